package staff

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/letter"
	"gpkiosk/ui/letter/lettertest"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
)

// The front desk's screen: 1366x768, the commonest laptop and desk
// monitor size.
var frontDesk = fyne.NewSize(1366, 768)

// atSize puts the desk in a window of size s at text size z.
func (h *harness) atSize(s fyne.Size, z uitheme.TextSize) {
	h.t.Helper()
	fyne.CurrentApp().Settings().SetTheme(uitheme.NewWith(uitheme.Settings{Size: z}))
	h.w.Resize(s)
}

// body is the scrolling part of the desk's window.
func (h *harness) body() *container.Scroll {
	h.t.Helper()
	return findOf(h, "scrolling body", func(*container.Scroll) bool { return true })
}

// within says whether o lies inside the object tree under root.
func within(root, o fyne.CanvasObject) bool {
	if root == o {
		return true
	}
	switch w := root.(type) {
	case *fyne.Container:
		for _, c := range w.Objects {
			if within(c, o) {
				return true
			}
		}
	case *container.Scroll:
		return within(w.Content, o)
	}
	return false
}

// inView fails unless o can be seen without scrolling: inside the window
// and, if it is in the scrolling body, inside the part of it on screen.
func (h *harness) inView(what string, o fyne.CanvasObject) {
	h.t.Helper()
	if !o.Visible() {
		h.t.Errorf("%s is hidden", what)
		return
	}
	drv := fyne.CurrentApp().Driver()
	pos, size := drv.AbsolutePositionForObject(o), o.Size()
	win := h.w.Canvas().Size()
	top, bottom := float32(0), win.Height
	if sc := h.body(); within(sc.Content, o) {
		top = drv.AbsolutePositionForObject(sc).Y
		bottom = top + sc.Size().Height
	}
	if pos.X < 0 || pos.X+size.Width > win.Width+0.5 || pos.Y < top-0.5 || pos.Y+size.Height > bottom+0.5 {
		h.t.Errorf("%s is out of view: at %v size %v; the visible area is x 0-%v, y %v-%v", what, pos, size, win.Width, top, bottom)
	}
}

// narrowEnough fails if the screen needs a window wider than the front
// desk's: the real window would widen itself off the screen.
func (h *harness) narrowEnough(where string) {
	h.t.Helper()
	if min := h.d.Content().MinSize(); min.Width > frontDesk.Width {
		h.t.Errorf("%s needs a window %v wide", where, min.Width)
	}
}

func (h *harness) button(label string) *widget.Button {
	h.t.Helper()
	return findOf(h, "button "+label, func(b *widget.Button) bool { return strings.HasPrefix(b.Text, label) })
}

func (h *harness) label(s string) *widget.Label {
	h.t.Helper()
	return findOf(h, "words "+s, func(l *widget.Label) bool { return strings.Contains(l.Text, s) })
}

// A screen opened from a scrolled one starts at its top: "Find another
// patient" from the bottom of a record shows the search fields, and
// saving a long proxy form shows what was saved, not a blank page.
func TestEveryScreenStartsAtTheTop(t *testing.T) {
	h := newHarness(t, time.Minute)
	h.atSize(frontDesk, uitheme.SizeLarger)
	h.signInAs(store.StaffReceptionist)
	h.openMargaret()
	h.body().ScrollToBottom()
	if h.body().Offset.Y == 0 {
		t.Fatal("the record does not scroll at A++ on 1366x768: this test would prove nothing")
	}
	h.tap(text.T(text.FindAnother))
	h.waitFor(text.T(text.FindTitle))
	if off := h.body().Offset.Y; off != 0 {
		t.Errorf("find a patient opens scrolled down by %v", off)
	}
	h.inView("the NHS number field", findOf(h, "NHS number", func(e *widget.Entry) bool { return e.PlaceHolder == text.T(text.FindNHSNumber) }))

	// From a long screen to another long one.
	h.openMargaret()
	h.body().ScrollToBottom()
	h.tap(text.T(text.RecordNewLetter))
	h.waitFor(text.T(text.WizardStep, "1", "4"))
	if off := h.body().Offset.Y; off != 0 {
		t.Errorf("the wizard opens scrolled down by %v", off)
	}
	h.inView("the wizard's title", h.label(text.T(text.WizardTitle, "Margaret Hughes")))
	h.choose(text.T(text.WizardIDPhoto))
	h.body().ScrollToBottom()
	h.tap(text.T(text.WizardNext))
	h.waitFor(text.T(text.WizardStep, "2", "4"))
	if off := h.body().Offset.Y; off != 0 {
		t.Errorf("step 2 opens scrolled down by %v", off)
	}
	h.tap(text.T(text.WizardCancel))
	h.waitFor(text.T(text.RecordRegistrations))
	h.tap(text.T(text.FindAnother))

	h.openPatient(childGiven, childFamily, childBorn)
	h.tap(text.T(text.RecordProxyAccess))
	h.typeInto(text.T(text.ProxyName), "Sarah Parent")
	h.typeInto(text.T(text.FindDOBHint), "09/07/1988")
	h.pick(text.T(text.ProxyRelParent))
	h.pick(text.T(text.ProxyBasisParental))
	h.tick(text.T(text.WizardAppointments), true)
	h.choose(text.T(text.ProxyIDPhoto))
	h.tick(text.T(text.ProxySafeguarding), true)
	h.tick(text.T(text.ProxyCoercion), true)
	h.narrowEnough("the proxy form")
	h.body().ScrollToBottom()
	if h.body().Offset.Y == 0 {
		t.Fatal("the proxy form does not scroll at A++ on 1366x768: this test would prove nothing")
	}
	h.tap(text.T(text.ProxySave))
	h.waitFor(text.T(text.ProxySaved, "Sarah Parent", childGiven))
	if off := h.body().Offset.Y; off != 0 {
		t.Errorf("the proxy's confirmation opens scrolled down by %v", off)
	}
	h.inView("the confirmation", h.label(text.T(text.ProxySaved, "Sarah Parent", childGiven)))
}

// At 1366x768, at A and at A++, what staff press next and what went wrong
// are on screen without scrolling: Register on a long record, Next on
// every step, and the printer's refusal with Print beside it. The window
// never needs to be wider than the screen.
func TestButtonsAndMessagesStayInViewOnAFrontDeskScreen(t *testing.T) {
	env := lettertest.NeedCUPS(t)
	for _, z := range []uitheme.TextSize{uitheme.SizeNormal, uitheme.SizeLarger} {
		t.Run(fmt.Sprintf("scale %.1f", z.Scale()), func(t *testing.T) {
			h := newHarness(t, time.Minute)
			h.atSize(frontDesk, z)
			h.signInAs(store.StaffReceptionist)
			h.openMargaret()
			h.narrowEnough("the record")
			h.inView("Print a new letter", h.button(text.T(text.RecordNewLetter)))
			h.inView("Set up proxy access", h.button(text.T(text.RecordProxyAccess)))
			h.tap(text.T(text.RecordNewLetter))
			h.waitFor(text.T(text.WizardStep, "1", "4"))
			h.choose(text.T(text.WizardIDVouchInfo)) // the longest first step
			h.inView("Next on step 1", h.button(text.T(text.WizardNext)))
			h.narrowEnough("step 1")
			h.tap(text.T(text.WizardNext))
			h.tap(text.T(text.WizardNext))
			h.waitFor(text.T(text.WizardCoercionNeed))
			h.inView("the refusal on step 2", h.label(text.T(text.WizardCoercionNeed)))
			h.choose(text.T(text.WizardCoercionNo))
			h.tap(text.T(text.WizardNext))
			h.waitFor(text.T(text.WizardStep, "3", "4"))
			h.inView("Next on step 3", h.button(text.T(text.WizardNext)))
			h.narrowEnough("step 3")
			h.tap(text.T(text.WizardNext))
			h.waitFor(text.T(text.WizardStep, "4", "4"))
			h.narrowEnough("the letter step")
			h.pickPrinter(env.OffQueue)
			h.inView("Print letter", h.button(text.T(text.WizardPrint)))
			h.tap(text.T(text.WizardPrint))
			h.waitFor(text.T(text.WizardNotIssued))
			h.inView("the printer's refusal", h.label(text.T(text.WizardNotIssued)))
			h.inView("Print letter after the refusal", h.button(text.T(text.WizardPrint)))
			h.inView("Save as PDF after the refusal", h.button(text.T(text.WizardSave)))
		})
	}
}

// fixedPrinters prints through CUPS but lists the printers it is given.
type fixedPrinters struct {
	CUPSLetters
	queues []letter.Queue
}

func (f fixedPrinters) Printers(context.Context) ([]letter.Queue, error) { return f.queues, nil }

func (h *harness) toLetterStep() {
	h.t.Helper()
	h.signInAs(store.StaffReceptionist)
	h.openMargaret()
	h.walkToLetter(text.T(text.RecordNewLetter), text.T(text.WizardIDPhoto))
	h.tap(text.T(text.WizardNext))
	h.waitFor(text.T(text.WizardStep, "4", "4"))
}

func (h *harness) chosenPrinter() string {
	h.t.Helper()
	var sel *widget.Select
	h.waitUntil("the printer list", func() bool {
		sel = findOf(h, "printer list", func(s *widget.Select) bool { return s.PlaceHolder == text.T(text.WizardFindPrinters) })
		return len(sel.Options) > 0
	})
	return sel.Selected
}

// The printer starts on one that can print: the computer's default if it
// can, else the first that can. One that cannot is marked, and choosing it
// says why.
func TestPrinterChoiceStartsOnOneThatCanPrint(t *testing.T) {
	off := letter.Queue{Name: "Back-Office", Why: "It has been stopped. It is not taking new jobs."}
	for _, c := range []struct {
		name   string
		queues []letter.Queue
		want   string
	}{
		{"a stopped printer first", []letter.Queue{off, {Name: "Reception", Ready: true}}, "Reception"},
		{"the default", []letter.Queue{{Name: "Annex", Ready: true}, {Name: "Reception", Ready: true, Default: true}}, "Reception"},
		{"a stopped default", []letter.Queue{{Name: "Annex", Ready: true}, {Name: off.Name, Why: off.Why, Default: true}}, "Annex"},
		{"none can print", []letter.Queue{off}, text.T(text.WizardPrinterOff, off.Name)},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, time.Minute, func(cfg *Config) { cfg.Letters = fixedPrinters{queues: c.queues} })
			h.toLetterStep()
			if got := h.chosenPrinter(); got != c.want {
				t.Errorf("the printer chosen is %q, want %q", got, c.want)
			}
		})
	}
	h := newHarness(t, time.Minute, func(cfg *Config) {
		cfg.Letters = fixedPrinters{queues: []letter.Queue{off, {Name: "Reception", Ready: true}}}
	})
	h.toLetterStep()
	h.pickPrinter(off.Name)
	h.waitFor(text.T(text.WizardPrinterNotNow, off.Name, off.Why))
}

// Pressing Print says at once, beside the button, that it is printing and
// where; when CUPS says the job completed the record says plainly that the
// letter printed, on which printer, and when its Linkage Key must be used.
func TestPrintingSaysSoAtOnceThenWhereItPrinted(t *testing.T) {
	env := lettertest.NeedCUPS(t)
	h := newHarness(t, time.Minute)
	h.atSize(frontDesk, uitheme.SizeNormal)
	h.toLetterStep()
	h.pickPrinter(env.Queue)
	h.tap(text.T(text.WizardPrint))
	// Before anything comes back from the printer:
	printing := text.T(text.WizardPrintingOn, env.Queue)
	if !h.has(printing) {
		t.Fatalf("after Print the screen shows %q, want %q at once", h.texts(), printing)
	}
	h.inView("the printing message", h.label(printing))
	h.waitFor(text.T(text.WizardPrinted, env.Queue, "Margaret Hughes"))
	h.waitFor(text.T(text.WizardUseBy, "22 June 2026")) // 14 days from 8 June
	if off := h.body().Offset.Y; off != 0 {
		t.Errorf("the record opens scrolled down by %v", off)
	}
	h.inView("the printed note", h.label(text.T(text.WizardPrinted, env.Queue, "Margaret Hughes")))
}

// The record's words for a letter follow the sync: "waiting to be sent"
// while offline, "being sent" once online, then active with its Linkage
// Key's date once the server has it, without reopening the record. A
// letter with no date (the demo's, made before this desk printed letters)
// gives none, rather than "use by -".
func TestRecordStatusFollowsTheSync(t *testing.T) {
	h := newHarness(t, time.Minute)
	h.signInAs(store.StaffReceptionist)
	h.openMargaret()
	own := text.T(text.RecordOwnLetter) + ": " + text.T(text.RecordActive) + ". "
	h.waitFor(own)
	for _, s := range h.texts() {
		if strings.Contains(s, " -.") || strings.Contains(s, "use by -") {
			t.Errorf("the record says %q", s)
		}
	}
	h.walkToLetter(text.T(text.RecordNewLetter), text.T(text.WizardIDPhoto))
	h.tap(text.T(text.WizardNext))
	h.waitFor(text.T(text.WizardStep, "4", "4"))
	h.typeInto("", filepath.Join(h.saveDir, "margaret.pdf"))
	h.tap(text.T(text.WizardSave))
	h.waitFor(text.T(text.RecordWaiting))
	views := len(h.ops(gpsync.OpRecordView))
	h.d.SetOnline(true, 1) // the runner's report: online, one op to send
	h.waitFor(text.T(text.RecordSending))
	h.resync()
	h.d.SetOnline(true, 0)
	h.waitFor(text.T(text.RecordOwnLetter) + ": " + text.T(text.RecordActiveUntil, "22 June 2026"))
	if h.has(text.T(text.RecordSending)) || h.has(text.T(text.RecordWaiting)) {
		t.Errorf("after the sync the record still shows it unsent: %q", h.texts())
	}
	if n := len(h.ops(gpsync.OpRecordView)); n != 0 && n != views {
		t.Errorf("refreshing the record queued %d more record views", n-views)
	}
}

// linkSarah links a parent to the 12-year-old from her record.
func (h *harness) linkSarah() {
	h.t.Helper()
	h.openPatient(childGiven, childFamily, childBorn)
	h.tap(text.T(text.RecordProxyAccess))
	h.typeInto(text.T(text.ProxyName), "Sarah Parent")
	h.typeInto(text.T(text.FindDOBHint), "09/07/1988")
	h.pick(text.T(text.ProxyRelParent))
	h.pick(text.T(text.ProxyBasisParental))
	h.tick(text.T(text.WizardAppointments), true)
	h.tick(text.T(text.ProxyRecord), true)
	h.choose(text.T(text.ProxyIDVouch))
	h.tick(text.T(text.ProxySafeguarding), true)
	h.tick(text.T(text.ProxyCoercion), true)
	h.tap(text.T(text.ProxySave))
	h.waitFor(text.T(text.ProxySaved, "Sarah Parent", childGiven))
}

// The proxy's letter does not ask again what the proxy form has just
// recorded: who checked the proxy's identity and how, and that
// safeguarding and pressure were considered; the services start as the
// link gives them.
func TestProxyLetterKeepsWhatTheProxyFormRecorded(t *testing.T) {
	h := newHarness(t, time.Minute)
	h.signInAs(store.StaffReceptionist)
	h.linkSarah()
	h.tap(text.T(text.ProxyPrintLetter))
	h.waitFor(text.T(text.WizardStep, "1", "2"))
	me := account(store.StaffReceptionist)
	staff, err := h.rep.StaffSignIn(context.Background(), me.Username, me.Password)
	if err != nil {
		t.Fatal(err)
	}
	h.waitFor(text.T(text.WizardCarried, staff.DisplayName, text.T(text.WizardIDVouch)))
	for _, asked := range []string{text.T(text.WizardIDQuestion), text.T(text.WizardCoercionAsk)} {
		if h.has(asked) {
			t.Errorf("the proxy's letter asks again %q", asked)
		}
	}
	ticked := func(label string) bool {
		return findOf(h, label, func(c *widget.Check) bool { return c.Text == label }).Checked
	}
	if !ticked(text.T(text.WizardAppointments)) || ticked(text.T(text.WizardPrescriptions)) {
		t.Error("the services do not start as the link gives them")
	}
	if r := findOf(h, "record access", func(r *widget.RadioGroup) bool { return r.Selected == text.T(text.WizardRecordSummary) }); r == nil {
		t.Error("record access does not start at summary")
	}
	h.tap(text.T(text.WizardNext))
	h.waitFor(text.T(text.WizardStep, "2", "2"))
	h.typeInto("", filepath.Join(h.saveDir, "proxy.pdf"))
	h.tap(text.T(text.WizardSave))
	h.waitFor(text.T(text.RecordProxyLetter, "Sarah Parent"))
	regs := h.ops(gpsync.OpRegisterOnline)
	if len(regs) != 1 {
		t.Fatalf("%d registrations queued, want 1", len(regs))
	}
	var p gpsync.RegisterOnlinePayload
	if err := json.Unmarshal(regs[0].Payload, &p); err != nil {
		t.Fatal(err)
	}
	if p.VerificationMethod != store.VerifyVouching || !p.CoercionConsidered || !p.ServiceAppointments || p.ServicePrescriptions ||
		p.RecordAccess != store.RecordAccessSummary {
		t.Errorf("the proxy's registration: %s", regs[0].Payload)
	}
}

// A background sync between linking a proxy and printing their letter
// gives the link its server ID; the letter is still made, for that link.
// (It used to say "That proxy is no longer linked".)
func TestProxyLetterSurvivesABackgroundSync(t *testing.T) {
	for _, when := range []string{"before the wizard", "during the wizard"} {
		t.Run(when, func(t *testing.T) {
			h := newHarness(t, time.Minute)
			h.signInAs(store.StaffReceptionist)
			h.linkSarah()
			if when == "before the wizard" {
				h.resync()
			}
			h.tap(text.T(text.ProxyPrintLetter))
			h.waitFor(text.T(text.WizardStep, "1", "2"))
			if when == "during the wizard" {
				h.resync()
			}
			h.tap(text.T(text.WizardNext))
			h.waitFor(text.T(text.WizardStep, "2", "2"))
			h.typeInto("", filepath.Join(h.saveDir, "proxy.pdf"))
			h.tap(text.T(text.WizardSave))
			h.waitFor(text.T(text.RecordProxyLetter, "Sarah Parent"))
			h.resync()
			// The server took it, for Sarah's link: nothing waits or was
			// refused, and the record has the server's registration.
			ctx := context.Background()
			if n, err := h.rep.PendingCount(ctx); err != nil || n != 0 {
				t.Errorf("%d ops still waiting (%v)", n, err)
			}
			if n, err := h.rep.AttentionCount(ctx); err != nil || n != 0 {
				t.Errorf("%d ops refused by the server (%v)", n, err)
			}
			me := account(store.StaffReceptionist)
			staff, err := h.rep.StaffSignIn(ctx, me.Username, me.Password)
			if err != nil {
				t.Fatal(err)
			}
			found, err := h.rep.SearchPatients(ctx, staff, replica.PatientQuery{FamilyName: childFamily, DateOfBirth: childBorn})
			if err != nil || len(found) != 1 {
				t.Fatalf("finding the child: %v, %v", found, err)
			}
			rec, err := h.rep.RefreshRecord(ctx, staff, found[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			ok := false
			for _, g := range rec.Registrations {
				ok = ok || (g.ProxyName == "Sarah Parent" && !g.Pending && !g.Revoked && g.ServerID != 0)
			}
			if !ok {
				t.Errorf("no registration from the server for Sarah: %+v", rec.Registrations)
			}
		})
	}
}
