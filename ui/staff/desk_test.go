package staff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	"gpkiosk/store/demo"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
	"gpkiosk/sync/server"
	"gpkiosk/ui/letter/lettertest"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
)

// harness is a staff desk in a headless window over a desktop replica
// synced from a real practice server on 127.0.0.1 (the demo practice).
type harness struct {
	t       *testing.T
	d       *Desk
	w       fyne.Window
	st      *store.Store
	rep     *replica.Replica
	server  *client.Client // the practice server, as this desktop
	now     *atomic.Int64
	ui      chan func()
	saveDir string
}

var deskStart = store.Date{Year: 2026, Month: time.June, Day: 8}

func newHarness(t *testing.T, idle time.Duration, opts ...func(*Config)) *harness {
	t.Helper()
	ctx := context.Background()
	h := &harness{t: t, now: &atomic.Int64{}, ui: make(chan func(), 16), saveDir: t.TempDir()}
	loc, _ := time.LoadLocation("Europe/London")
	h.now.Store(deskStart.At(9, 0, loc).Unix())
	clock := func() time.Time { return time.Unix(h.now.Load(), 0).UTC() }
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "practice.db"), store.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h.st = st
	if _, err := demo.Generate(ctx, st, demo.Options{Seed: 1, Patients: 80, Weeks: 1, Start: deskStart}); err != nil {
		t.Fatal(err)
	}
	// A child of 12, under the practice's minimum age of 16.
	childNHS, ok := store.NHSNumberFromNine("999999990")
	if !ok {
		t.Fatal("no valid NHS number for the test child")
	}
	if err := st.Load(ctx, func(l *store.Loader) error {
		_, err := l.AddPatient(store.NewPatient{NHSNumber: string(childNHS), GivenName: childGiven, FamilyName: childFamily, Sex: store.SexFemale,
			DateOfBirth: childBorn, Address: "4 Mill Lane, Meadowbank", Postcode: "MB1 4QT", Phone: "07700 900123"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(server.New(st, quiet, server.WithClock(clock)))
	t.Cleanup(srv.Close)
	code, err := st.NewEnrolmentCode(ctx, store.SystemActor(), store.DeviceDesktop, "desk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := client.New(srv.URL)
	en, err := c.Enrol(ctx, gpsync.EnrolRequest{Code: code})
	if err != nil {
		t.Fatal(err)
	}
	h.rep, err = replica.Open(ctx, filepath.Join(dir, "desk.db"), replica.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.rep.Close() })
	if err := h.rep.SaveEnrolment(ctx, replica.Enrolment{DeviceID: en.DeviceID, Role: en.Role, Token: en.Token, ServerURL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	authed, _ := client.New(srv.URL, client.WithToken(en.Token), client.WithLogger(quiet))
	h.server = authed
	if err := client.NewRunner(authed, h.rep, client.RunnerOptions{Clock: clock}).SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	pr, err := st.Practice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.rep.SavePractice(ctx, replica.PracticeName{Name: pr.Name, ODSCode: pr.ODSCode, Address: pr.Address, Postcode: pr.Postcode, Phone: pr.Phone}); err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t).Settings().SetTheme(uitheme.New())
	cfg := Config{Backend: h.rep, Letters: NewLetters(), PracticeName: "Meadowbank Surgery (demo practice)", IdleTimeout: idle,
		SaveDir: h.saveDir, Clock: clock, Location: loc, Log: quiet, Do: func(f func()) { h.ui <- f }}
	for _, o := range opts {
		o(&cfg)
	}
	h.d = New(t.Context(), cfg)
	h.w = test.NewTempWindow(t, h.d.Content())
	h.w.Resize(fyne.NewSize(1200, 2400))
	return h
}

// walk visits every visible object of the desk.
func (h *harness) walk(visit func(fyne.CanvasObject) bool) {
	var rec func(o fyne.CanvasObject) bool
	rec = func(o fyne.CanvasObject) bool {
		if o == nil || !o.Visible() {
			return true
		}
		if !visit(o) {
			return false
		}
		// A desk button (Enter presses it) is a widget.Button inside:
		// the helpers find, read and tap it as one.
		if b, ok := o.(*button); ok && !visit(&b.Button) {
			return false
		}
		switch w := o.(type) {
		case *fyne.Container:
			for _, c := range w.Objects {
				if !rec(c) {
					return false
				}
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				if !rec(c) {
					return false
				}
			}
		}
		return true
	}
	rec(h.d.Content())
}

func (h *harness) texts() []string {
	var out []string
	h.walk(func(o fyne.CanvasObject) bool {
		switch w := o.(type) {
		case *canvas.Text:
			out = append(out, w.Text)
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *widget.Entry:
			out = append(out, w.Text)
		}
		return true
	})
	return out
}

func (h *harness) has(s string) bool {
	return slices.ContainsFunc(h.texts(), func(t string) bool { return strings.Contains(t, s) })
}

// waitFor runs the desk's background results on this goroutine, as the
// UI goroutine would, until s is on screen.
func (h *harness) waitFor(s string) {
	h.t.Helper()
	h.waitUntil("\""+s+"\"", func() bool { return h.has(s) })
}

func (h *harness) waitUntil(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case f := <-h.ui:
			f()
		case <-time.After(10 * time.Millisecond):
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s; screen shows %q", what, h.texts())
		}
	}
}

func findOf[T fyne.CanvasObject](h *harness, what string, match func(T) bool) T {
	h.t.Helper()
	var found T
	ok := false
	h.walk(func(o fyne.CanvasObject) bool {
		if x, is := o.(T); is && match(x) {
			found, ok = x, true
			return false
		}
		return true
	})
	if !ok {
		h.t.Fatalf("no %s on screen; it shows %q", what, h.texts())
	}
	return found
}

func (h *harness) tap(label string) {
	h.t.Helper()
	test.Tap(findOf(h, "button "+label, func(b *widget.Button) bool { return strings.HasPrefix(b.Text, label) }))
}

func (h *harness) typeInto(placeholder, s string) {
	h.t.Helper()
	e := findOf(h, "entry "+placeholder, func(e *widget.Entry) bool { return e.PlaceHolder == placeholder })
	e.SetText(s)
}

func (h *harness) choose(option string) {
	h.t.Helper()
	findOf(h, "choice "+option, func(r *widget.RadioGroup) bool { return slices.Contains(r.Options, option) }).SetSelected(option)
}

func (h *harness) tick(label string, on bool) {
	h.t.Helper()
	findOf(h, "tick box "+label, func(c *widget.Check) bool { return c.Text == label }).SetChecked(on)
}

func (h *harness) pick(option string) {
	h.t.Helper()
	findOf(h, "list "+option, func(s *widget.Select) bool { return slices.Contains(s.Options, option) }).SetSelected(option)
}

// pickPrinter chooses a printer once the list has come, whatever state it
// is marked with.
func (h *harness) pickPrinter(queue string) {
	h.t.Helper()
	var sel *widget.Select
	h.waitUntil("the printer list", func() bool {
		sel = findOf(h, "printer list", func(s *widget.Select) bool { return s.PlaceHolder == text.T(text.WizardFindPrinters) })
		return len(sel.Options) > 0
	})
	for _, o := range sel.Options {
		if o == queue || o == text.T(text.WizardPrinterOff, queue) {
			sel.SetSelected(o)
			return
		}
	}
	h.t.Fatalf("printer %s is not in the list %q", queue, sel.Options)
}

func (h *harness) signIn(username, password string) {
	h.t.Helper()
	h.typeInto(text.T(text.StaffUsername), username)
	h.typeInto(text.T(text.StaffPassword), password)
	h.tap(text.T(text.StaffSignIn))
}

func account(role string) demo.StaffAccount {
	for _, a := range demo.StaffAccounts() {
		if a.Role == role {
			return a
		}
	}
	panic("no demo account for " + role)
}

func (h *harness) signInAs(role string) {
	h.t.Helper()
	a := account(role)
	h.signIn(a.Username, a.Password)
	h.waitFor(text.T(text.FindTitle))
}

// openMargaret finds the demo letter's patient by surname and date of birth.
func (h *harness) openMargaret() {
	h.t.Helper()
	m := demo.Letters()[0]
	h.typeInto(text.T(text.FindSurname), m.FamilyName)
	h.typeInto(text.T(text.FindDOBHint), "15/03/1946")
	h.tap(text.T(text.FindButton))
	h.tap(m.GivenName + " " + m.FamilyName)
	h.waitFor(text.T(text.RecordRegistrations))
}

func (h *harness) ops(kind string) []gpsync.Op {
	h.t.Helper()
	all, err := h.rep.PendingOps(context.Background(), 100)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []gpsync.Op
	for _, o := range all {
		if o.Kind == kind {
			out = append(out, o)
		}
	}
	return out
}

func TestSignInRefusalsAndIdleSignOut(t *testing.T) {
	h := newHarness(t, 300*time.Millisecond)
	h.signIn("reception", "not-the-password")
	h.waitFor("not right")
	h.signInAs(store.StaffReceptionist)
	h.waitFor(text.T(text.StaffSignedInAs, "", "")[:8])
	h.openMargaret()
	if !h.has("Hughes") {
		t.Fatal("the record does not show the patient")
	}
	// Nobody touches it: signed out, and nothing of Margaret is left.
	h.waitFor(text.T(text.StaffSignedOutIdle))
	for _, s := range h.texts() {
		if strings.Contains(s, "Hughes") || strings.Contains(s, "Margaret") || strings.Contains(s, "1946") {
			t.Fatalf("after idle sign-out the screen still holds %q", s)
		}
	}
}

func TestLockedAfterFiveWrongPasswords(t *testing.T) {
	h := newHarness(t, time.Minute)
	ready := func() bool {
		b := findOf(h, "sign-in button", func(b *widget.Button) bool { return b.OnTapped != nil && b.Importance == widget.HighImportance })
		return !b.Disabled()
	}
	for range 5 {
		h.signIn("reception", "wrong-password")
		h.waitUntil("the sign-in button", ready)
	}
	h.signIn("reception", account(store.StaffReceptionist).Password)
	h.waitFor("locked")
}

func TestSwitchedOffAccountCannotSignIn(t *testing.T) {
	h := newHarness(t, time.Minute)
	// Switched off on the server and synced: the replica has active = 0.
	if err := h.st.SetStaffActive(context.Background(), store.SystemActor(), "reception", false); err != nil {
		t.Fatal(err)
	}
	h.resync()
	h.signIn("reception", account(store.StaffReceptionist).Password)
	h.waitFor("switched off")
}

func (h *harness) resync() {
	h.t.Helper()
	en, err := h.rep.Enrolment(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	c, _ := client.New(en.ServerURL, client.WithToken(en.Token))
	if err := client.NewRunner(c, h.rep, client.RunnerOptions{}).SyncNow(context.Background()); err != nil {
		h.t.Fatal(err)
	}
}

func TestClinicianSeesTheRecordOnly(t *testing.T) {
	h := newHarness(t, time.Minute)
	h.signInAs(store.StaffClinician)
	h.openMargaret()
	h.waitFor(text.T(text.RecordViewOnly))
	for _, s := range []string{text.T(text.RecordNewLetter), text.T(text.RecordRegister), text.T(text.RecordProxyAccess)} {
		if h.has(s) {
			t.Errorf("a clinician is offered %q", s)
		}
	}
}

func TestSearchRefusals(t *testing.T) {
	h := newHarness(t, time.Minute)
	h.signInAs(store.StaffReceptionist)
	h.typeInto(text.T(text.FindNHSNumber), "999 000 0019")
	h.tap(text.T(text.FindButton))
	h.waitFor("not a valid NHS number")
	h.typeInto(text.T(text.FindNHSNumber), "")
	h.typeInto(text.T(text.FindSurname), "Nobody")
	h.typeInto(text.T(text.FindDOBHint), "31/02/1950")
	h.tap(text.T(text.FindButton))
	h.waitFor(text.T(text.FindBadDOB))
	h.typeInto(text.T(text.FindDOBHint), "01/02/1950")
	h.tap(text.T(text.FindButton))
	h.waitFor(text.T(text.FindNone))
}

// walkToLetter runs the wizard from the record to the letter step.
func (h *harness) walkToLetter(button, method string) {
	h.t.Helper()
	h.tap(button)
	h.waitFor(text.T(text.WizardStep, "1", "4"))
	h.tap(text.T(text.WizardNext))
	h.waitFor(text.T(text.WizardIDChoose))
	h.choose(method)
	h.tap(text.T(text.WizardNext))
	h.waitFor(text.T(text.WizardStep, "2", "4"))
	h.tap(text.T(text.WizardNext))
	h.waitFor(text.T(text.WizardCoercionNeed))
	h.choose(text.T(text.WizardCoercionNo))
	h.tap(text.T(text.WizardNext))
	h.waitFor(text.T(text.WizardStep, "3", "4"))
}

func TestReissueSavesTheLetterThenIssues(t *testing.T) {
	h := newHarness(t, time.Minute)
	h.signInAs(store.StaffReceptionist)
	h.openMargaret()
	h.walkToLetter(text.T(text.RecordNewLetter), text.T(text.WizardIDVouchInfo))
	h.tap(text.T(text.WizardBack))
	h.tap(text.T(text.WizardBack))
	h.waitFor(text.T(text.WizardQuestion1)) // vouching with information shows the questions
	h.tap(text.T(text.WizardNext))
	h.tap(text.T(text.WizardNext))
	h.waitFor(text.T(text.WizardStep, "3", "4"))
	h.tap(text.T(text.WizardNext))
	h.waitFor(text.T(text.WizardStep, "4", "4"))
	h.waitFor(text.T(text.WizardReissueWarn))
	path := filepath.Join(h.saveDir, "margaret.pdf")
	h.typeInto("", path) // the save path entry
	h.tap(text.T(text.WizardSave))
	h.waitFor(text.T(text.WizardOldStops))
	data, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(data), "%PDF") {
		t.Fatalf("the saved letter: %v, starts %q", err, data[:min(len(data), 8)])
	}
	ops := h.ops(gpsync.OpRegisterOnline)
	if len(ops) != 1 || ops[0].StaffID == 0 {
		t.Fatalf("register ops %+v, want one made by the member of staff", ops)
	}
	var p gpsync.RegisterOnlinePayload
	if err := json.Unmarshal(ops[0].Payload, &p); err != nil || p.VerificationMethod != store.VerifyVouchingWithInfo || !p.CoercionConsidered {
		t.Fatalf("payload %s", ops[0].Payload)
	}
	if decoded := lettertest.DecodePDF(t, data); !strings.Contains(decoded, "account="+p.AccountID) {
		t.Fatalf("the saved letter's QR code reads %q, want account %s", decoded, p.AccountID)
	}
	h.waitFor(text.T(text.RecordReplaced))
}

func TestSaveWhereItCannotIssuesNothing(t *testing.T) {
	h := newHarness(t, time.Minute)
	h.signInAs(store.StaffReceptionist)
	h.openMargaret()
	h.walkToLetter(text.T(text.RecordNewLetter), text.T(text.WizardIDPhoto))
	h.tap(text.T(text.WizardNext))
	h.waitFor(text.T(text.WizardStep, "4", "4"))
	h.typeInto("", filepath.Join(h.saveDir, "no-such-folder", "letter.pdf"))
	h.tap(text.T(text.WizardSave))
	h.waitFor(text.T(text.WizardNotIssued))
	if ops := h.ops(gpsync.OpRegisterOnline); len(ops) != 0 {
		t.Fatalf("a registration was queued although its letter was not saved: %+v", ops)
	}
}

func TestPrinterThatIsOffIssuesNothing(t *testing.T) {
	env := lettertest.NeedCUPS(t)
	h := newHarness(t, time.Minute)
	h.signInAs(store.StaffReceptionist)
	h.openMargaret()
	h.walkToLetter(text.T(text.RecordNewLetter), text.T(text.WizardIDPhoto))
	h.tap(text.T(text.WizardNext))
	h.waitFor(text.T(text.WizardStep, "4", "4"))
	h.pickPrinter(env.OffQueue)
	h.tap(text.T(text.WizardPrint))
	// While CUPS has the letter nobody can leave or start another.
	for _, label := range []string{text.T(text.WizardBack), text.T(text.WizardCancel), text.T(text.WizardSave)} {
		if b := findOf(h, "button "+label, func(b *widget.Button) bool { return b.Text == label }); !b.Disabled() {
			t.Errorf("%q can be pressed while the letter prints", label)
		}
	}
	h.waitFor(text.T(text.WizardNotIssued))
	if b := findOf(h, "Back", func(b *widget.Button) bool { return b.Text == text.T(text.WizardBack) }); b.Disabled() {
		t.Error("Back stays greyed out after the printer refused")
	}
	if ops := h.ops(gpsync.OpRegisterOnline); len(ops) != 0 {
		t.Fatalf("a registration was queued although its letter did not print: %+v", ops)
	}
}

func TestCoercionConcernStopsTheWizard(t *testing.T) {
	h := newHarness(t, time.Minute)
	h.signInAs(store.StaffReceptionist)
	h.openMargaret()
	h.tap(text.T(text.RecordNewLetter))
	h.choose(text.T(text.WizardIDPhoto))
	h.tap(text.T(text.WizardNext))
	h.choose(text.T(text.WizardCoercionYes))
	h.tap(text.T(text.WizardNext))
	h.waitFor(text.T(text.WizardCoercionStop))
	if ops := h.ops(gpsync.OpRegisterOnline); len(ops) != 0 {
		t.Fatalf("queued %+v after a coercion concern", ops)
	}
}

func TestVouchingAloneCannotUnlockTheDetailedRecord(t *testing.T) {
	h := newHarness(t, time.Minute)
	h.signInAs(store.StaffReceptionist)
	h.openMargaret()
	h.walkToLetter(text.T(text.RecordNewLetter), text.T(text.WizardIDVouch))
	h.waitFor(text.T(text.WizardRecordVouch))
	h.choose(text.T(text.WizardRecordFull))
	h.tap(text.T(text.WizardNext))
	h.waitFor("Vouching alone cannot unlock the detailed record")
}

// The child the harness adds to the demo practice.
const (
	childGiven  = "Simran"
	childFamily = "Robinson"
)

var childBorn = store.Date{Year: 2014, Month: time.February, Day: 3}

func (h *harness) openPatient(given, family string, born store.Date) {
	h.t.Helper()
	h.typeInto(text.T(text.FindSurname), family)
	h.typeInto(text.T(text.FindDOBHint), born.String()[8:10]+"/"+born.String()[5:7]+"/"+born.String()[:4])
	h.tap(text.T(text.FindButton))
	h.tap(given + " " + family)
	h.waitFor(text.T(text.RecordRegistrations))
}

func TestUnderMinimumAgeIsNotOfferedButAProxyCanBeLinked(t *testing.T) {
	h := newHarness(t, time.Minute)
	h.signInAs(store.StaffReceptionist)
	given, family, born := childGiven, childFamily, childBorn
	h.openPatient(given, family, born)
	// Registering her is not offered only to be refused at step 3: the
	// record says why, and what to do instead.
	h.waitFor(text.T(text.RecordTooYoung, given, "12", "16"))
	for _, s := range []string{text.T(text.RecordRegister), text.T(text.RecordNewLetter)} {
		if h.has(s) {
			t.Errorf("a 12-year-old is offered %q", s)
		}
	}
	proxy := findOf(h, "proxy button", func(b *widget.Button) bool { return b.Text == text.T(text.RecordProxyAccess) })
	if proxy.Importance != widget.HighImportance {
		t.Error("proxy access is not the main action for a child")
	}

	h.tap(text.T(text.RecordProxyAccess))
	h.waitFor(text.T(text.ProxyChildNote, given, "12")) // from about 11 the child's view matters
	h.typeInto(text.T(text.ProxyName), "Sarah Parent")
	h.typeInto(text.T(text.FindDOBHint), "09/07/1988")
	h.pick(text.T(text.ProxyRelParent))
	h.pick(text.T(text.ProxyBasisConsent)) // a child cannot consent alone
	h.tick(text.T(text.WizardAppointments), true)
	h.choose(text.T(text.ProxyIDPhoto))
	h.tick(text.T(text.ProxySafeguarding), true)
	h.tap(text.T(text.ProxySave))
	h.waitFor("cannot consent")
	h.pick(text.T(text.ProxyBasisParental))
	h.tap(text.T(text.ProxySave))
	h.waitFor("safeguarding") // coercion not yet ticked
	h.tick(text.T(text.ProxyCoercion), true)
	h.tap(text.T(text.ProxySave))
	h.waitFor(text.T(text.ProxySaved, "Sarah Parent", given))

	h.tap(text.T(text.ProxyPrintLetter))
	h.waitFor(text.T(text.WizardProxyTitle, "Sarah Parent", given+" "+family))
	h.tap(text.T(text.WizardNext))
	h.waitFor(text.T(text.WizardActingFor, given+" "+family))
	h.typeInto("", filepath.Join(h.saveDir, "proxy.pdf"))
	h.tap(text.T(text.WizardSave))
	h.waitFor(text.T(text.RecordProxyLetter, "Sarah Parent"))
	links, regs := h.ops(gpsync.OpLinkProxy), h.ops(gpsync.OpRegisterOnline)
	if len(links) != 1 || len(regs) != 1 {
		t.Fatalf("ops: %d links and %d registrations, want one each", len(links), len(regs))
	}
	var p gpsync.RegisterOnlinePayload
	if err := json.Unmarshal(regs[0].Payload, &p); err != nil || p.ProxyRef != links[0].ID {
		t.Fatalf("the proxy's registration names %q, want the link op %s", p.ProxyRef, links[0].ID)
	}
}

func TestTypedDates(t *testing.T) {
	if d, ok := optionalDate("  "); !ok || !d.IsZero() {
		t.Errorf("a blank date: %v, %v; want no date and no complaint", d, ok)
	}
}

func TestErrorsBecomePlainWords(t *testing.T) {
	d := &Desk{cfg: Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}}
	if got := d.plain(fmt.Errorf("replica.PrepareRegistration: %w", replica.ErrNotSynced)); got != text.T(text.StaffNotSynced) {
		t.Errorf("not synced: %q", got)
	}
	if got := d.plain(errors.New("sql: database is locked")); got != text.T(text.StaffSomethingWrong) || strings.Contains(got, "sql") {
		t.Errorf("a fault of the computer: %q", got)
	}
}
