package manager_test

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
)

// buttons are every button on screen whose label starts with label.
func (h *harness) buttons(label string) []*widget.Button {
	var out []*widget.Button
	h.walk(func(o fyne.CanvasObject) bool {
		if b := asButton(o); b != nil && strings.HasPrefix(b.Text, label) {
			out = append(out, b)
		}
		return true
	})
	return out
}

func (h *harness) tapNth(label string, n int) {
	h.t.Helper()
	bs := h.buttons(label)
	if len(bs) <= n {
		h.t.Fatalf("no button %d %q; screen shows %q", n, label, h.texts())
	}
	bs[n].OnTapped()
}

// Saving sends every value as typed, once, with the new PIN, and says so;
// the rest of the settings go back as the server sent them.
func TestSettingsSaveSendsWhatWasTyped(t *testing.T) {
	h := newHarness(t)
	h.s.ShowSettings()
	h.waitFor(txt(text.ManageBookingWindow))
	h.typeAfter(txt(text.ManageBookingWindow), "42")
	h.typeAfter(txt(text.ManageLeasesPerDay), " 6 ")
	h.typeAfter(txt(text.ManageTypeMaxAge)+"", "12") // the first type's oldest age
	h.typeInto(txt(text.ManagePINNew), "482915")
	h.typeInto(txt(text.ManagePINAgain), "482915")
	h.tap(txt(text.ManageSave))
	h.waitFor(txt(text.ManageSaved))

	h.svc.Lock()
	defer h.svc.Unlock()
	if len(h.svc.Saves) != 1 {
		t.Fatalf("%d saves sent, want 1", len(h.svc.Saves))
	}
	got := h.svc.Saves[0]
	if got.Settings.BookingWindowDays != 42 || got.KioskLeasesPerDay != 6 || got.SlotTypeAges[0].MaxAgeYears != 12 {
		t.Errorf("sent window %d, leases %d, oldest %d; want 42, 6, 12", got.Settings.BookingWindowDays, got.KioskLeasesPerDay, got.SlotTypeAges[0].MaxAgeYears)
	}
	if got.Settings.MinNoticeMinutes != 60 || got.Settings.RepeatNoteMaxChars != 200 || got.SlotTypeAges[1].MaxAgeYears != 5 {
		t.Errorf("untouched settings changed: %+v", got)
	}
	if h.svc.PIN != "482915" {
		t.Errorf("PIN in force %q, want the one typed", h.svc.PIN)
	}
}

// A value the server refuses is named beside its field and in the
// summary; a value that is not a number, or two PINs that differ, are
// caught before anything is sent. Nothing changes either way.
func TestSettingsRefusalsShowBesideTheField(t *testing.T) {
	h := newHarness(t)
	h.s.ShowSettings()
	h.waitFor(txt(text.ManageBookingWindow))

	h.typeAfter(txt(text.ManageMinNotice), "an hour")
	h.typeInto(txt(text.ManagePINNew), "482915")
	h.typeInto(txt(text.ManagePINAgain), "482916")
	h.tap(txt(text.ManageSave))
	h.settle()
	if got := h.problemAfter(txt(text.ManageMinNotice)); got != txt(text.ManageWholeNumber) {
		t.Errorf("beside the notice: %q, want %q", got, txt(text.ManageWholeNumber))
	}
	if got := h.problemAfter(txt(text.ManagePIN)); got != txt(text.ManagePINDiffer) {
		t.Errorf("beside the PIN: %q, want %q", got, txt(text.ManagePINDiffer))
	}
	if !h.has(txt(text.ManageFixFields)) {
		t.Errorf("no summary; screen shows %q", h.texts())
	}

	h.typeAfter(txt(text.ManageMinNotice), "60")
	h.typeInto(txt(text.ManagePINAgain), "482915")
	h.typeAfter(txt(text.ManageBookingWindow), "500")
	h.tap(txt(text.ManageSave))
	want := "Choose a booking window from 1 to 365 days."
	h.waitFor(txt(text.ManageBookingWindow) + ": " + want)
	h.shot("settings-refused")
	if h.has("Nothing was changed. Please check the settings marked.") || !h.has(txt(text.ManageFixFields)) {
		t.Errorf("the summary repeats the server's sentence instead of heading the list; screen shows %q", h.texts())
	}
	if got := h.problemAfter(txt(text.ManageBookingWindow)); got != want {
		t.Errorf("beside the booking window: %q, want %q", got, want)
	}
	if !h.has(txt(text.ManageBookingWindow) + ": " + want) {
		t.Errorf("the summary does not name the field; screen shows %q", h.texts())
	}
	if got := h.problemAfter(txt(text.ManageMinNotice)); got == txt(text.ManageWholeNumber) {
		t.Error("the notice's old problem is still shown after it was put right")
	}
	h.svc.Lock()
	defer h.svc.Unlock()
	if len(h.svc.Saves) != 0 || h.svc.PIN != "" || h.svc.Managed.Settings.BookingWindowDays != 28 {
		t.Errorf("a refused save changed something: saves %d, PIN %q, window %d", len(h.svc.Saves), h.svc.PIN, h.svc.Managed.Settings.BookingWindowDays)
	}
}

// Out of reach of the server, every screen says how old its data is and
// greys out what would change something.
func TestOfflineSaysHowOldAndDisablesChanges(t *testing.T) {
	h := newHarness(t)
	h.svc.Offline = true
	h.svc.FetchedAt = h.now.Add(-3 * time.Hour)
	stale := txt(text.ManageStale, txt(text.ManageAgoHours, "3"))
	if stale != "Showing what this desktop last fetched, 3 hours ago: the practice server cannot be reached." {
		t.Fatalf("stale sentence reads %q", stale)
	}
	for _, c := range []struct {
		name    string
		open    func()
		changes []string
	}{
		{"settings", h.s.ShowSettings, []string{txt(text.ManageSave)}},
		{"devices", h.s.ShowDevices, []string{txt(text.ManageAddDevice), txt(text.ManageRevoke, "Front desk"), txt(text.ManageRename, "Front desk")}},
		{"staff", h.s.ShowStaff, []string{txt(text.ManageAddStaff), txt(text.ManageDisable), txt(text.ManageResetPassword), txt(text.ManageChangeRole)}},
	} {
		c.open()
		h.waitFor(stale)
		for _, label := range c.changes {
			for _, b := range h.buttons(label) {
				if !b.Disabled() {
					t.Errorf("%s: %q can be pressed while offline", c.name, b.Text)
				}
			}
			if len(h.buttons(label)) == 0 {
				t.Errorf("%s: no %q button", c.name, label)
			}
		}
	}
	// The settings' fields are greyed out too.
	h.s.ShowSettings()
	h.waitFor(stale)
	h.shot("settings-offline")
	if !h.entryAfter(txt(text.ManageBookingWindow)).Disabled() {
		t.Error("the booking window can be typed in while offline")
	}
}

// Adding a kiosk shows its set-up code large, a QR code to scan and when
// the code stops working.
func TestAddDeviceShowsCodeAndQR(t *testing.T) {
	h := newHarness(t)
	h.s.ShowDevices()
	h.waitFor("Waiting room kiosk")
	if !h.has(txt(text.ManageLastSeen, txt(text.ManageAgoMinutes, "2"))) || !h.has(txt(text.ManageWaiting, "3")) || !h.has(txt(text.ManageLeasesHeld, "4")) {
		t.Errorf("the list does not say what the kiosk is doing: %q", h.texts())
	}
	h.tap(txt(text.ManageAddDevice))
	h.tap(txt(text.ManageMakeCode))
	if !h.has(txt(text.ManageChooseKind)) {
		t.Errorf("no kind chosen, yet no word; screen shows %q", h.texts())
	}
	h.choose(txt(text.ManageKioskForPatients))
	h.typeInto(txt(text.ManageDeviceNameHint), "Reception kiosk")
	h.tap(txt(text.ManageMakeCode))
	h.waitFor("K7Q2-M9X1")
	h.shot("device-code")
	if !h.has(txt(text.ManageCodeExpires, "09:15", "08/06/2026")) {
		t.Errorf("no expiry; screen shows %q", h.texts())
	}
	imgs := h.images()
	if len(imgs) != 1 || imgs[0].Image == nil {
		t.Fatalf("want one QR image, have %d", len(imgs))
	}
	var dark, light int
	b := imgs[0].Image.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			if g := color.GrayModel.Convert(imgs[0].Image.At(x, y)).(color.Gray); g.Y < 64 {
				dark++
			} else {
				light++
			}
		}
	}
	if dark == 0 || light == 0 {
		t.Errorf("the QR code is blank: %d dark, %d light samples", dark, light)
	}
	h.svc.Lock()
	defer h.svc.Unlock()
	if len(h.svc.Codes) != 1 {
		t.Errorf("%d codes asked for, want 1", len(h.svc.Codes))
	}
}

// Revoking asks first, naming the device; "No" changes nothing.
func TestRevokeAsksFirst(t *testing.T) {
	h := newHarness(t)
	h.s.ShowDevices()
	h.waitFor("Waiting room kiosk")
	revoked := func() bool { h.svc.Lock(); defer h.svc.Unlock(); return h.svc.DevList[0].RevokedAt != nil }

	h.tap(txt(text.ManageRevoke, "Waiting room kiosk"))
	if !h.has(txt(text.ManageRevokeAsk, "Waiting room kiosk")) {
		t.Fatalf("no question; screen shows %q", h.texts())
	}
	h.settle()
	if revoked() {
		t.Fatal("revoked before the manager said yes")
	}
	h.tap(txt(text.ManageNoGoBack))
	h.waitFor(txt(text.ManageRevoke, "Waiting room kiosk"))
	if revoked() {
		t.Fatal("revoked after the manager said no")
	}
	h.tap(txt(text.ManageRevoke, "Waiting room kiosk"))
	h.tap(txt(text.ManageRevokeYes, "Waiting room kiosk"))
	h.waitFor(txt(text.ManageRevoked, "Waiting room kiosk"))
	if !revoked() {
		t.Fatal("not revoked after yes")
	}
	if len(h.buttons(txt(text.ManageRevoke, "Waiting room kiosk"))) != 0 {
		t.Error("a revoked device can be revoked again")
	}

	// Renaming asks too, naming both names.
	h.tap(txt(text.ManageRename, "Front desk"))
	h.typeAfter(txt(text.ManageDeviceName), "Front desk 2")
	h.tap(txt(text.ManageNext))
	if !h.has(txt(text.ManageRenameAsk, "Front desk", "Front desk 2")) {
		t.Fatalf("no question; screen shows %q", h.texts())
	}
	h.tap(txt(text.ManageRenameYes))
	h.waitFor(txt(text.ManageRenamed, "Front desk 2"))
}

// A manager adds a member of staff, turns one off (after a question),
// gives one a new password and changes a role; the last manager cannot be
// turned off, and the server's sentence says why.
func TestStaffAccounts(t *testing.T) {
	h := newHarness(t)
	h.s.ShowStaff()
	h.waitFor("Rita Patel")

	h.tap(txt(text.ManageAddStaff))
	h.typeInto(txt(text.ManageUsernameHint), "jsmith")
	h.typeInto(txt(text.ManageFullNameHint), "Jo Smith")
	h.choose(txt(text.StaffRoleReceptionist))
	h.typeAfter(txt(text.ManagePasswordNew), "correct horse battery")
	h.typeAfter(txt(text.ManagePasswordAgain), "correct horse batterY")
	h.tap(txt(text.ManageAddStaffYes))
	if !h.has(txt(text.ManagePasswordsDiffer)) {
		t.Fatalf("different passwords not caught; screen shows %q", h.texts())
	}
	h.typeAfter(txt(text.ManagePasswordAgain), "correct horse battery")
	h.tap(txt(text.ManageAddStaffYes))
	h.waitFor(txt(text.ManageAdded, "Jo Smith"))
	h.svc.Lock()
	if h.svc.Passwords["jsmith"] != "correct horse battery" || h.svc.Accounts[3].Role != store.StaffReceptionist {
		t.Errorf("added %+v with password %q", h.svc.Accounts[3], h.svc.Passwords["jsmith"])
	}
	h.svc.Unlock()

	// The only manager: refused in the server's words.
	h.tapNth(txt(text.ManageDisable), 0)
	h.tap(txt(text.ManageDisableYes, "Mark Owen"))
	h.waitFor("The practice must keep at least one practice manager who can sign in.")
	h.tap(txt(text.ManageNoGoBack))
	h.waitFor("Rita Patel")

	h.tapNth(txt(text.ManageDisable), 1)
	if !h.has(txt(text.ManageDisableAsk, "Rita Patel")) {
		t.Fatalf("no question; screen shows %q", h.texts())
	}
	h.tap(txt(text.ManageDisableYes, "Rita Patel"))
	h.waitFor(txt(text.ManageDisabledDone, "Rita Patel"))

	h.tapNth(txt(text.ManageResetPassword), 2)
	h.waitFor(txt(text.ManageResetTitle, "Nina Evans"))
	h.typeAfter(txt(text.ManagePasswordNew), "a long new password")
	h.typeAfter(txt(text.ManagePasswordAgain), "a long new password")
	h.tap(txt(text.ManageResetYes))
	h.waitFor(txt(text.ManageResetDone, "Nina Evans"))

	h.tapNth(txt(text.ManageChangeRole), 2)
	h.choose(txt(text.StaffRoleManager))
	h.tap(txt(text.ManageNext))
	if !h.has(txt(text.ManageRoleAsk, "Nina Evans", txt(text.StaffRoleClinician), txt(text.StaffRoleManager))) {
		t.Fatalf("no question; screen shows %q", h.texts())
	}
	h.tap(txt(text.ManageRoleYes))
	h.waitFor(txt(text.ManageRoleDone, "Nina Evans", txt(text.StaffRoleManager)))

	h.svc.Lock()
	defer h.svc.Unlock()
	if !h.svc.Accounts[0].Active || h.svc.Accounts[1].Active {
		t.Errorf("active: manager %v, reception %v; want true, false", h.svc.Accounts[0].Active, h.svc.Accounts[1].Active)
	}
	if h.svc.Passwords["nurse"] != "a long new password" || h.svc.Accounts[2].Role != store.StaffManager {
		t.Errorf("nurse: password %q, role %q", h.svc.Passwords["nurse"], h.svc.Accounts[2].Role)
	}
}

func auditEntries(n int, at time.Time) []gpsync.AuditEntry {
	var es []gpsync.AuditEntry
	for i := n; i >= 1; i-- {
		es = append(es, gpsync.AuditEntry{Seq: int64(i), At: at.Add(-time.Duration(n-i) * time.Hour), Actor: "staff:reception", Device: "dev-desk-1",
			Action: "staff.booked", SubjectKind: "appointment", SubjectID: int64(1000 + i)})
	}
	return es
}

// The filters reach the search as typed; a bad NHS number or date is
// caught first; Older asks for the next page; the check's two sentences;
// the CSV is saved.
func TestAuditSearchVerifyAndExport(t *testing.T) {
	h := newHarness(t)
	h.svc.Entries = auditEntries(205, h.now)
	h.s.ShowAudit()
	h.settle() // the device names
	queries := func() []gpsync.AuditQuery { h.svc.Lock(); defer h.svc.Unlock(); return slices.Clone(h.svc.Queries) }

	h.typeInto(txt(text.ManageAuditNHS), "943 476 5918")
	h.tap(txt(text.ManageSearch))
	h.settle()
	if len(queries()) != 0 || h.has(txt(text.ManageColWhen)) {
		t.Fatalf("a bad NHS number was searched for: %+v", queries())
	}
	if !h.has("NHS number") {
		t.Errorf("no word about the NHS number; screen shows %q", h.texts())
	}
	nhs, _ := store.NHSNumberFromNine("943476591")
	h.typeInto(txt(text.ManageAuditNHS), string(nhs))
	h.typeInto(txt(text.ManageAuditStaff), "reception")
	h.typeInto(txt(text.ManageAuditActionHint), "staff.")
	find(h, "device choice", func(s *widget.Select) bool { return true }).SetSelected("Front desk")
	h.typeAfter(txt(text.ManageAuditFrom), "31/02/2026")
	h.tap(txt(text.ManageSearch))
	if !h.has(txt(text.ManageBadDate, "31/02/2026")) || len(queries()) != 0 {
		t.Fatalf("a date that does not exist was searched for; screen shows %q", h.texts())
	}
	h.typeAfter(txt(text.ManageAuditFrom), "1/5/2026")
	h.typeAfter(txt(text.ManageAuditTo), "08/06/2026")
	h.tap(txt(text.ManageSearch))
	h.waitFor(txt(text.ManageAuditNone))
	want := gpsync.AuditQuery{PatientNHSNumber: string(nhs), StaffUsername: "reception", DeviceID: "dev-desk-1", Action: "staff.", From: "2026-05-01", To: "2026-06-08"}
	if qs := queries(); len(qs) != 1 || qs[0] != want {
		t.Fatalf("searched for %+v, want %+v", qs, want)
	}

	// Everything: a page of 200 and Older for the rest.
	for _, p := range []string{txt(text.ManageAuditNHS), txt(text.ManageAuditStaff), txt(text.ManageAuditActionHint)} {
		h.typeInto(p, "")
	}
	h.typeAfter(txt(text.ManageAuditFrom), "")
	h.typeAfter(txt(text.ManageAuditTo), "")
	h.tap(txt(text.ManageSearch))
	h.waitFor(txt(text.ManageOlder))
	if !h.has("appointment 1205") || h.has("appointment 1005") {
		t.Errorf("first page wrong; screen shows %d texts", len(h.texts()))
	}
	// The results are in view without scrolling: the filters above them
	// would otherwise fill the body at 1366x768.
	d := fyne.CurrentApp().Driver()
	when := find(h, "the When heading", func(l *widget.Label) bool { return l.Text == txt(text.ManageColWhen) })
	top := d.AbsolutePositionForObject(h.f.scroll).Y
	if y := d.AbsolutePositionForObject(when).Y; h.f.scrolledTo == nil || y < top-1 || y > top+h.f.scroll.Size().Height-when.MinSize().Height {
		t.Errorf("the results' heading is at %v, outside the view from %v to %v", y, top, top+h.f.scroll.Size().Height)
	}
	h.tap(txt(text.ManageOlder))
	h.waitFor("appointment 1005")
	if qs := queries(); qs[len(qs)-1].Before != 6 {
		t.Errorf("Older asked for entries before %d, want 6", qs[len(qs)-1].Before)
	}
	if !h.has("appointment 1205") {
		t.Error("Older dropped the first page")
	}
	if len(h.buttons(txt(text.ManageOlder))) != 0 {
		t.Error("Older still offered after the last page")
	}

	h.tap(txt(text.ManageVerify))
	h.waitFor("The audit log is intact: 12,345 entries checked.")
	h.svc.Lock()
	h.svc.Verify = gpsync.AuditVerifyResult{Holds: false, Checked: 1233, BrokenAt: 1234}
	h.svc.Unlock()
	h.tap(txt(text.ManageVerify))
	h.waitFor("The audit log has been altered at entry 1,234. Tell your data protection officer.")

	h.tap(txt(text.ManageExportCSV))
	h.waitFor(txt(text.ManageSavedTo, ""))
	files, _ := filepath.Glob(filepath.Join(h.saveDir, "audit-*.csv"))
	if len(files) != 1 {
		t.Fatalf("saved %q, want one audit CSV", files)
	}
	data, _ := os.ReadFile(files[0])
	if lines := strings.Count(string(data), "\n"); lines != 206 {
		t.Errorf("the CSV has %d lines, want a heading and 205 entries", lines)
	}
}

func uptakeReport() gpsync.UptakeReport {
	r := gpsync.UptakeReport{Practice: "Meadowbank Surgery", ODSCode: "Y12345"}
	for i := range 12 {
		m := time.Date(2025, time.July+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		r.Months = append(r.Months, gpsync.UptakeMonth{Month: m.Format("2006-01"), PatientListSize: 6000, TotalPatEnbld: 1200 + 100*i,
			PatApptsEnbld: 1100 + 100*i, Booked: map[string]int{"kiosk": 40 + 10*i, "reception": 300, "online": 120},
			RepeatsOrdered: map[string]int{"kiosk": 15 + i, "online": 200}, CheckIns: 1234 + i})
	}
	return r
}

// The uptake screen draws three charts and a table of every figure, for
// the last 12 or 6 months, and saves a month as CSV and the report as PDF.
func TestUptakeChartsAndTable(t *testing.T) {
	h := newHarness(t)
	h.svc.Report = uptakeReport()
	h.s.ShowUptake()
	h.waitFor(txt(text.ManageFiguresTitle))
	if h.svc.Asked[0] != [2]string{"2025-07", "2026-06"} {
		t.Errorf("asked for %v, want July 2025 to June 2026", h.svc.Asked[0])
	}
	charts := 0
	h.walk(func(o fyne.CanvasObject) bool {
		if fmt.Sprintf("%T", o) == "*manager.chart" {
			charts++
		}
		return true
	})
	if charts != 3 {
		t.Errorf("%d charts drawn, want 3", charts)
	}
	for _, s := range []string{"Jul 25", "Jun 26", "1,234", "1,245", "20.0%", "38.3%", txt(text.ManageFigBooked, txt(text.ChannelKiosk))} {
		if !h.has(s) {
			t.Errorf("the table does not show %q", s)
		}
	}

	h.tap(txt(text.ManageSaveMonthCSV))
	h.waitFor(txt(text.ManageSavedTo, filepath.Join(h.saveDir, "uptake-2026-06.csv")))
	if data, _ := os.ReadFile(filepath.Join(h.saveDir, "uptake-2026-06.csv")); string(data) != "Month,Pat_Appts_Enbld\n2026-06,2200\n" {
		t.Errorf("the month's CSV reads %q", data)
	}
	h.tap(txt(text.ManageSavePDF))
	h.waitFor(txt(text.ManageSavedTo, filepath.Join(h.saveDir, "uptake-2025-07-to-2026-06.pdf")))

	h.choose(txt(text.ManageLast6))
	h.waitFor(txt(text.ManageFiguresTitle))
	if got := h.svc.Asked[len(h.svc.Asked)-1]; got != [2]string{"2026-01", "2026-06"} {
		t.Errorf("asked for %v, want January to June 2026", got)
	}
	if h.has("Dec 25") {
		t.Error("the last 6 months show December")
	}
}

// screens are the manager's screens as the screenshots take them.
func (h *harness) screens() []struct {
	name string
	open func()
	wait string
} {
	return []struct {
		name string
		open func()
		wait string
	}{
		{"settings", h.s.ShowSettings, txt(text.ManageBookingWindow)},
		{"devices", h.s.ShowDevices, "Waiting room kiosk"},
		{"staff", h.s.ShowStaff, "Rita Patel"},
		{"audit", h.s.ShowAudit, txt(text.ManageAuditTitle)},
		{"uptake", h.s.ShowUptake, txt(text.ManageFiguresTitle)},
	}
}

// Screenshots at 1366x768, normal and A++ text, both themes, for a person
// to look at: MANAGER_SHOTS=/some/dir go test ./ui/manager -run Shots.
// Without it, the same screens are still laid out, and the footer's
// buttons must stay inside the window.
func TestScreenshots(t *testing.T) {
	h := newHarness(t)
	h.svc.Report = uptakeReport()
	h.svc.Entries = auditEntries(30, h.now)
	for _, size := range []uitheme.TextSize{uitheme.SizeNormal, uitheme.SizeLarger} {
		for _, hc := range []bool{false, true} {
			h.sw.Set(uitheme.Settings{Size: size, HighContrast: hc})
			for _, sc := range h.screens() {
				sc.open()
				h.waitFor(sc.wait)
				if sc.name == "audit" {
					h.tap(txt(text.ManageSearch))
					h.waitFor(txt(text.ManageColWhen))
				}
				h.settle()
				h.w.Resize(deskSize)
				foot := fyne.CurrentApp().Driver().AbsolutePositionForObject(h.f.foot).Y + h.f.foot.Size().Height
				if foot > deskSize.Height+1 {
					t.Errorf("%s at size %d: the footer's buttons end at %v, below the window", sc.name, size, foot)
				}
				if h.f.all.MinSize().Width > deskSize.Width {
					t.Errorf("%s at size %d is %v wide, wider than the desk", sc.name, size, h.f.all.MinSize().Width)
				}
				name := fmt.Sprintf("%s-%s-%s", sc.name, map[uitheme.TextSize]string{uitheme.SizeNormal: "A", uitheme.SizeLarger: "A++"}[size],
					map[bool]string{false: "normal", true: "contrast"}[hc])
				h.shot(name)
				h.f.scroll.ScrollToBottom()
				h.shot(name + "-end")
			}
		}
	}
}

// Many problems: each is beside its field, and the footer lists only the
// first few, so the Save button stays in view.
func TestSettingsManyProblemsKeepSaveInView(t *testing.T) {
	h := newHarness(t)
	h.uitheme(uitheme.SizeLarger)
	h.s.ShowSettings()
	h.waitFor(txt(text.ManageBookingWindow))
	fields := []text.Key{text.ManageBookingWindow, text.ManageMinNotice, text.ManageCancelCutoff, text.ManageRepeatDays, text.ManageLeaseIdle}
	for _, f := range fields {
		h.typeAfter(txt(f), "soon")
	}
	h.tap(txt(text.ManageSave))
	h.settle()
	for _, f := range fields {
		if got := h.problemAfter(txt(f)); got != txt(text.ManageWholeNumber) {
			t.Errorf("beside %s: %q", txt(f), got)
		}
	}
	if !h.has(txt(text.ManageMoreMarked, "3")) {
		t.Errorf("the footer does not cut the list short; screen shows %q", h.texts())
	}
	foot := fyne.CurrentApp().Driver().AbsolutePositionForObject(h.f.foot).Y + h.f.foot.Size().Height
	if foot > deskSize.Height+1 {
		t.Errorf("the footer ends at %v, below the window", foot)
	}
	h.shot("settings-many-problems")
}

func (h *harness) uitheme(size uitheme.TextSize) {
	h.sw.Set(uitheme.Settings{Size: size})
}

// The release time and the read-aloud tick box: the time is typed HH:MM
// and sent as minutes after midnight, a time that is not one is caught
// before anything is sent, and the tick is sent as ticked.
func TestSettingsClockAndTickFields(t *testing.T) {
	h := newHarness(t)
	h.s.ShowSettings()
	h.waitFor(txt(text.ManageRelease))
	if got := h.entryAfter(txt(text.ManageRelease)).Text; got != "00:00" {
		t.Errorf("midnight shows as %q", got)
	}
	h.typeAfter(txt(text.ManageRelease), "25:00")
	h.tap(txt(text.ManageSave))
	if got := h.problemAfter(txt(text.ManageRelease)); got != txt(text.ManageBadClock) {
		t.Errorf("beside the release time: %q", got)
	}
	h.typeAfter(txt(text.ManageRelease), "7.30")
	find(h, "tick box", func(c *widget.Check) bool { return c.Text == txt(text.ManageReadAloud) }).SetChecked(true)
	h.tap(txt(text.ManageSave))
	h.waitFor(txt(text.ManageSaved))
	h.svc.Lock()
	defer h.svc.Unlock()
	if len(h.svc.Saves) != 1 || h.svc.Saves[0].Settings.DailyReleaseMinutes != 450 || !h.svc.Saves[0].Settings.ReadAloudDefault {
		t.Errorf("sent %+v, want 450 minutes and ticked", h.svc.Saves)
	}
}
