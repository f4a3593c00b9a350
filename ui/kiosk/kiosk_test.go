package kiosk

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"path/filepath"
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
	"gpkiosk/ui/receipt"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
	"gpkiosk/ui/widgets"
)

// harness is a kiosk in a headless window, its replica synced from a real
// practice server on 127.0.0.1 over a real SQLite file.
type harness struct {
	t       testing.TB
	k       *Kiosk
	win     fyne.Window
	st      *store.Store
	srv     *httptest.Server
	rep     *replica.Replica
	runner  *client.Runner
	client  *client.Client
	account string
	dob     store.Date
	name    string
	now     *atomic.Int64
	ui      chan func() // timer-driven UI changes, run by the test in step
}

func newHarness(t testing.TB, cfg Config) *harness {
	t.Helper()
	ctx := context.Background()
	h := &harness{t: t, now: &atomic.Int64{}, ui: make(chan func(), 256)}
	loc, _ := time.LoadLocation("Europe/London")
	start := store.Date{Year: 2026, Month: time.June, Day: 8}
	h.now.Store(start.At(7, 30, loc).Unix())
	clock := func() time.Time { return time.Unix(h.now.Load(), 0).UTC() }
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "practice.db"), store.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h.st = st
	if _, err := demo.Generate(ctx, st, demo.Options{Seed: 1, Patients: 100, Weeks: 2, Start: start}); err != nil {
		t.Fatal(err)
	}
	// The demo practice's first kiosk letter, as the README tells people.
	letter := demo.Letters()[0]
	h.account, h.dob, h.name = letter.AccountID, letter.DateOfBirth, letter.GivenName
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	h.srv = httptest.NewServer(server.New(st, quiet, server.WithClock(clock)))
	t.Cleanup(h.srv.Close)
	code, err := st.NewEnrolmentCode(ctx, store.Actor{Name: "manager:test", Device: "test"}, store.DeviceKiosk, "kiosk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := client.New(h.srv.URL)
	en, err := c.Enrol(ctx, gpsync.EnrolRequest{Code: code})
	if err != nil {
		t.Fatal(err)
	}
	h.rep, err = replica.Open(ctx, filepath.Join(dir, "kiosk.db"), replica.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.rep.Close() })
	if err := h.rep.SaveEnrolment(ctx, replica.Enrolment{DeviceID: en.DeviceID, Role: en.Role, Token: en.Token, ServerURL: h.srv.URL}); err != nil {
		t.Fatal(err)
	}
	authed, _ := client.New(h.srv.URL, client.WithToken(en.Token), client.WithLogger(quiet))
	h.client = authed
	h.runner = client.NewRunner(authed, h.rep, client.RunnerOptions{Clock: clock})
	if err := h.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}

	app := test.NewTempApp(t)
	app.Settings().SetTheme(uitheme.New())
	if cfg.Display == nil {
		cfg.Display = uitheme.NewSwitcher(app, uitheme.Settings{})
	}
	if cfg.PracticeName == "" {
		cfg.PracticeName = "Meadowbank Surgery"
	}
	cfg.Backend, cfg.Clock, cfg.Location, cfg.Log = h.rep, clock, loc, quiet
	if _, ok := cfg.Settings.(fromReplica); ok { // the practice's settings, as a real kiosk has them
		cfg.Settings = h.rep
	}
	cfg.Do = func(f func()) { h.ui <- f }
	if cfg.SendNow == nil {
		cfg.SendNow = h.runner.SyncNow // online, as a kiosk usually is
	}
	h.k = New(t.Context(), cfg)
	h.win = test.NewTempWindow(t, h.k.Content())
	h.win.Resize(fyne.NewSize(1024, 1400))
	return h
}

// texts is every piece of text in the current widget tree.
func texts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *canvas.Text:
			out = append(out, w.Text)
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *widgets.Text:
			out = append(out, w.Text)
		case *widgets.Button:
			out = append(out, w.Text)
		}
		switch w := o.(type) {
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// waitFor runs the kiosk's timer-driven UI changes on this goroutine, as
// the UI goroutine would, until cond holds.
func (h *harness) waitFor(cond func() bool) {
	h.t.Helper()
	deadline := time.After(5 * time.Second)
	for !cond() {
		select {
		case f := <-h.ui:
			f()
		case <-time.After(10 * time.Millisecond):
		case <-deadline:
			h.t.Fatalf("timed out; screen shows %q", texts(h.k.Content()))
		}
	}
}

func (h *harness) screenHas(s string) bool {
	for _, t := range texts(h.k.Content()) {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

func (h *harness) want(s string) {
	h.t.Helper()
	if !h.screenHas(s) {
		h.t.Fatalf("screen does not show %q; it shows %q", s, texts(h.k.Content()))
	}
}

// tap presses the button showing label on the current screen.
func (h *harness) tap(label string) {
	h.t.Helper()
	test.Tap(find(h, "button "+label, func(b *widgets.Button) bool { return strings.HasPrefix(b.Text, label) && !b.Disabled() }))
}

// findDOB is the date-of-birth entry on the current screen.
func (h *harness) findDOB() *widgets.DateOfBirthEntry {
	h.t.Helper()
	return find[*widgets.DateOfBirthEntry](h, "date-of-birth entry", nil)
}

// find is the first visible object of type T on the current screen that
// matches (all of them when match is nil).
func find[T fyne.CanvasObject](h *harness, what string, match func(T) bool) T {
	h.t.Helper()
	var found T
	ok := false
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if ok || o == nil || !o.Visible() {
			return
		}
		if x, is := o.(T); is && (match == nil || match(x)) {
			found, ok = x, true
			return
		}
		switch w := o.(type) {
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(h.k.Content())
	if !ok {
		h.t.Fatalf("no %s on screen %q", what, texts(h.k.Content()))
	}
	return found
}

func (h *harness) typeDOB(d store.Date) {
	h.t.Helper()
	entry := h.findDOB()
	for _, r := range fmt.Sprintf("%02d%02d%04d", d.Day, int(d.Month), d.Year) {
		test.Tap(entry.Keypad().Key(string(r)))
	}
}

// finish taps "I have finished" and then Done, back to the welcome screen.
func (h *harness) finish() {
	h.t.Helper()
	h.tap(text.T(text.MenuFinished))
	h.want(text.T(text.FinishedMessage))
	h.tap(text.T(text.Done))
	h.want(text.T(text.CheckIn))
}

// tick ticks the medicine whose name starts with name.
func (h *harness) tick(name string) {
	h.t.Helper()
	b := find(h, "medicine "+name, func(b *widgets.Button) bool { return strings.HasPrefix(b.Text, name) && b.Kind == widgets.ButtonCheck })
	test.Tap(b)
	if !b.Checked {
		h.t.Fatalf("%s has no tick after tapping it", name)
	}
}

// bookYes taps "Yes, book it" and waits for the answer.
func (h *harness) bookYes() {
	h.t.Helper()
	h.tap(text.T(text.BookYes))
	h.waitFor(func() bool {
		return h.screenHas(text.T(text.Booked)) || h.screenHas(text.T(text.BookedProvisional)) || h.screenHas(text.T(text.AttentionTitle))
	})
}

func (h *harness) signIn() {
	h.t.Helper()
	h.k.Scanned(h.account)
	h.want(text.T(text.SignInDOBTitle))
	h.typeDOB(h.dob)
}

func TestBookAtTheKiosk(t *testing.T) {
	h := newHarness(t, Config{})
	h.want(text.T(text.BookAppointment))
	h.tap(text.T(text.BookAppointment))
	h.want(text.T(text.SignInTitle))
	h.signIn()
	h.want(text.T(text.BookWhatFor))
	h.want(text.T(text.BookChooseOne, h.name))
	h.tap("GP appointment")
	h.want(text.T(text.BookChooseTime))
	h.want(text.T(text.BookWhoWith, text.T(text.BookAnyone)))
	h.tap("Who with")
	h.want(text.T(text.BookWhoTitle))
	h.tap(text.T(text.BookAnyone))
	h.tap("Monday 8 June") // the earliest times are today's
	h.want(text.T(text.BookConfirmTitle))
	h.bookYes()
	// Online, the server confirmed it before the screen said "booked".
	h.want(text.T(text.BookConfirmed))
	if h.screenHas("Not confirmed yet") {
		t.Fatal("a booking the server applied is described as not confirmed")
	}
	if err := h.runner.SyncNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := h.runner.Status().Pending; n != 0 {
		t.Fatalf("%d ops still pending", n)
	}
	// It is on the server, and "My appointments" shows it.
	h.finish()
	h.tap(text.T(text.MyAppointments))
	h.signIn()
	h.want(text.T(text.MyAppointments))
	h.want("Monday 8 June")
	if h.screenHas("not confirmed yet") {
		t.Fatal("a synced appointment is still shown as not confirmed")
	}
}

func TestSignInRefusals(t *testing.T) {
	h := newHarness(t, Config{})
	h.tap(text.T(text.BookAppointment))
	h.k.Scanned("%%%\x07garbage from the scanner")
	h.want(text.T(text.SignInNotOurs))
	h.k.Scanned(h.account)
	wrong := h.dob
	wrong.Year--
	h.typeDOB(wrong)
	h.want("We could not find you")
	// An impossible date is caught before anyone is looked up.
	h.typeDOB(store.Date{Year: 1950, Month: time.February, Day: 30})
	h.want(text.T(text.DOBNotADate))
	for _, s := range texts(h.k.Content()) {
		if strings.Contains(s, "error") || strings.Contains(s, "sql") {
			t.Fatalf("a Go error reached the screen: %q", s)
		}
	}
}

// After the idle time a warning shows; after the warning everything is
// cleared: no trace of the patient is left in the widget tree.
func TestIdleClearsEverything(t *testing.T) {
	h := newHarness(t, Config{IdleTimeout: 150 * time.Millisecond, WarnFor: 150 * time.Millisecond})
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.want(h.name)
	h.waitFor(func() bool { return h.screenHas(text.T(text.IdleTitle)) })
	h.waitFor(func() bool { return h.screenHas(text.T(text.CheckIn)) })
	for _, s := range texts(h.k.Content()) {
		if strings.Contains(s, h.name) || strings.Contains(s, "June at") {
			t.Fatalf("patient details left on screen: %q", s)
		}
	}
	if _, ok := h.k.signedIn(); ok {
		t.Fatal("still signed in after the idle timeout")
	}
	// Booking again asks to sign in again.
	h.tap(text.T(text.BookAppointment))
	h.want(text.T(text.SignInTitle))
}

func TestStillHereKeepsTheSession(t *testing.T) {
	h := newHarness(t, Config{IdleTimeout: 100 * time.Millisecond, WarnFor: 2 * time.Second})
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.waitFor(func() bool { return h.screenHas(text.T(text.IdleTitle)) })
	h.tap(text.T(text.IdleStillHere))
	h.want(text.T(text.BookWhatFor))
}

func TestAskForHelp(t *testing.T) {
	h := newHarness(t, Config{})
	h.tap(text.T(text.NeedHelp))
	h.waitFor(func() bool { return h.screenHas(text.T(text.HelpComing)) })
	if err := h.runner.SyncNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if applied, _, _ := h.st.OpCount(context.Background()); applied != 1 {
		t.Fatalf("%d ops reached the server, want the help request", applied)
	}
}

// A kiosk whose calls for help the practice server holds to its quota
// does not promise help: the patient is sent to the desk, and the held
// call is taken back so reception is not called later to an empty kiosk.
func TestHelpHeldByTheQuotaSaysGoToTheDesk(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Config{})
	q, _ := store.QuotaFor(store.KindAskForHelp)
	for range q.PerHour {
		if _, err := h.rep.AskForHelp(ctx, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	h.tap(text.T(text.NeedHelp))
	h.waitFor(func() bool { return h.screenHas(text.T(text.HelpNotSent)) })
	if h.screenHas(text.T(text.HelpComing)) {
		t.Fatal("promised help the practice server is holding back")
	}
	if n, err := h.rep.PendingCount(ctx); err != nil || n != 0 {
		t.Fatalf("%d calls still queued (%v), want the held one taken back", n, err)
	}
	if applied, _, _ := h.st.OpCount(ctx); applied != q.PerHour {
		t.Fatalf("%d ops on the server, want the %d within the quota", applied, q.PerHour)
	}
}

func TestStatusStripAndDisplaySwitches(t *testing.T) {
	h := newHarness(t, Config{})
	h.want("Meadowbank Surgery")
	h.want("07:30") // 07:30 in London from the fixed clock
	if h.screenHas(text.T(text.WorkingOffline)) {
		t.Fatal("offline notice shown while online")
	}
	h.k.SetOnline(false)
	h.want(text.T(text.WorkingOffline))
	h.k.SetOnline(true)
	if h.screenHas(text.T(text.WorkingOffline)) {
		t.Fatal("offline notice still shown")
	}
}

func TestDisplaySwitchesChangeTheTheme(t *testing.T) {
	a := test.NewTempApp(t)
	sw := uitheme.NewSwitcher(a, uitheme.Settings{})
	h := newHarness(t, Config{Display: sw})
	h.tap(text.T(text.TextSizeLarger))
	if sw.Current().Size != uitheme.SizeLarger {
		t.Fatalf("size %v after tapping A++", sw.Current().Size)
	}
	h.tap(text.T(text.HighContrast))
	if !sw.Current().HighContrast {
		t.Fatal("high contrast not switched on")
	}
}

func TestOrderRepeatPrescriptions(t *testing.T) {
	h := newHarness(t, Config{})
	h.tap(text.T(text.RepeatPrescriptions))
	h.signIn()
	h.want(text.T(text.RepeatsTitle))
	h.want("Amlodipine 5 mg tablets")
	h.tick("Amlodipine")
	h.tap(text.T(text.RepeatsOrder))
	h.want(text.T(text.RepeatsNoteTitle)) // a note is offered, never required
	h.tap(text.T(text.RepeatsSend))
	h.waitFor(func() bool { return h.screenHas(text.T(text.RepeatsSent)) })
	h.want(text.T(text.RepeatsReady, "Wednesday 10 June")) // Monday + 2 working days
	// Ordering again shows it as already ordered, with the order listed.
	h.finish()
	h.tap(text.T(text.RepeatPrescriptions))
	h.signIn()
	h.want("already ordered")
	h.want(text.T(text.RepeatsYourOrders))
	// Nothing chosen: the store's own plain message.
	h.tap(text.T(text.RepeatsOrder))
	h.want("Please choose at least one medicine")
	h.tap(text.T(text.RepeatsBack))
	h.tap(text.T(text.RepeatsCancel))
	h.tap(text.T(text.YesCancelIt))
	h.want(text.T(text.RepeatsCancelled))
	if err := h.runner.SyncNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if applied, rejected, _ := h.st.OpCount(context.Background()); applied != 2 || rejected != 0 {
		t.Fatalf("server applied %d ops and rejected %d, want the order and its cancellation", applied, rejected)
	}
}

// captured is a printer on 127.0.0.1:9100's stand-in: a real TCP listener
// the kiosk prints to; each connection's bytes are one slip.
func printerListener(t *testing.T) (string, <-chan []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got := make(chan []byte, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b, _ := io.ReadAll(c)
			c.Close()
			got <- b
		}
	}()
	return ln.Addr().String(), got
}

// newPrintingHarness is a kiosk whose receipt printer is a real TCP
// listener on 127.0.0.1; each slip printed arrives on the channel.
func newPrintingHarness(t *testing.T) (*harness, <-chan []byte) {
	t.Helper()
	addr, slips := printerListener(t)
	printer, err := receipt.Open(receipt.Config{Kind: receipt.KindTCP, Target: addr})
	if err != nil {
		t.Fatal(err)
	}
	return newHarness(t, Config{Printer: printer}), slips
}

// bookAndPrintSlip books Margaret's earliest GP appointment today, prints
// its slip and decodes what reached the printer.
func (h *harness) bookAndPrintSlip(slips <-chan []byte) receipt.DecodedSlip {
	h.t.Helper()
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.tap("GP appointment")
	h.tap("Monday 8 June")
	h.bookYes()
	h.tap(text.T(text.SlipPrint))
	return h.printedSlip(slips)
}

// printedSlip waits for the slip the kiosk has just sent to the printer
// and decodes it as the printer would read it.
func (h *harness) printedSlip(slips <-chan []byte) receipt.DecodedSlip {
	h.t.Helper()
	var data []byte
	select {
	case data = <-slips:
	case <-time.After(5 * time.Second):
		h.t.Fatal("nothing reached the printer")
	}
	slip, err := receipt.Decode(data)
	if err != nil {
		h.t.Fatal(err)
	}
	return slip
}

func TestPrintAppointmentSlip(t *testing.T) {
	h, slips := newPrintingHarness(t)
	slip := h.bookAndPrintSlip(slips)
	h.want(text.T(text.SlipPrinting))
	all := strings.Join(slip.Text(), "\n")
	for _, want := range []string{"Meadowbank Surgery", text.T(text.SlipHello, h.name), "Monday 8 June 2026 at"} {
		if !strings.Contains(all, want) {
			t.Fatalf("slip does not say %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "Hughes") {
		t.Fatal("the slip carries the surname")
	}
}

func TestNoPrinterSaysSo(t *testing.T) {
	h := newHarness(t, Config{})
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.tap("GP appointment")
	h.tap("Monday 8 June")
	h.bookYes()
	h.want(text.T(text.SlipNoPrinter))
	if h.screenHas(text.T(text.SlipPrint)) {
		t.Fatal("offered to print with no printer")
	}
}

func TestReportAProblem(t *testing.T) {
	h := newHarness(t, Config{})
	h.tap(text.T(text.ReportProblem))
	h.tap(text.T(text.ProblemPrinter))
	h.want(text.T(text.ProblemSent))
	if err := h.runner.SyncNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if applied, _, _ := h.st.OpCount(context.Background()); applied != 1 {
		t.Fatalf("%d ops reached the server, want the report", applied)
	}
}

func (h *harness) typeDOBAndSex(d store.Date, sex string, initial string) {
	h.t.Helper()
	h.want(text.T(text.CheckInDOBTitle))
	h.typeDOB(d)
	h.want(text.T(text.CheckInSexTitle))
	h.tap(sex)
	h.want(text.T(text.CheckInInitialTitle))
	test.Tap(h.findKeypad().Key(initial))
}

// findKeypad is the on-screen keypad of the current screen.
func (h *harness) findKeypad() *widgets.Keypad {
	h.t.Helper()
	return find[*widgets.Keypad](h, "keypad", nil)
}

func TestCheckInOnArrival(t *testing.T) {
	h := newHarness(t, Config{})
	h.k.cfg.CheckIn = h.client
	ctx := context.Background()
	p, err := h.rep.SignIn(ctx, h.account, h.dob)
	if err != nil {
		t.Fatal(err)
	}
	// Margaret has an 08:00 appointment today; it is 07:30.
	slots, err := h.st.FreeSlots(ctx, p.ID, store.ChannelReception, store.Date{Year: 2026, Month: time.June, Day: 8}, 1)
	if err != nil || len(slots) == 0 {
		t.Fatalf("free slots: %v", err)
	}
	if _, err := h.st.BookAppointment(ctx, store.BookingRequest{SlotID: slots[0].ID, PatientID: p.ID, Channel: store.ChannelReception,
		Actor: store.SystemActor()}); err != nil {
		t.Fatal(err)
	}
	// A wrong initial: plainly sent to reception, nothing said about why.
	h.tap(text.T(text.CheckIn))
	h.typeDOBAndSex(h.dob, text.T(text.CheckInFemale), "J")
	h.want("Please see reception")
	h.tap(text.T(text.Done))
	h.tap(text.T(text.CheckIn))
	h.typeDOBAndSex(h.dob, text.T(text.CheckInFemale), "H")
	h.want(text.T(text.CheckedIn))
	// By details, the kiosk confirms the arrival and names no time or
	// clinician: anyone who knows those details could be standing here.
	h.want(text.T(text.CheckedInTakeSeat))
	if at := slots[0].StartsAt.In(h.k.cfg.Location).Format("15:04"); h.screenHas(at) {
		t.Fatalf("the screen shows the appointment's time %s", at)
	}
	if appts, _ := h.st.Appointments(ctx, p.ID, store.StatusArrived); len(appts) != 1 {
		t.Fatalf("%d appointments arrived on the server", len(appts))
	}
	// The result clears itself for the next person.
	h.tap(text.T(text.Done))
	h.want(text.T(text.CheckIn))
}

func TestCheckInWithoutTheServer(t *testing.T) {
	h := newHarness(t, Config{})
	h.tap(text.T(text.CheckIn))
	h.typeDOBAndSex(h.dob, text.T(text.CheckInFemale), "H")
	h.want(text.T(text.NotCheckedIn))
	// Laid out as a readable line, not one letter under another (a bug
	// seen in the real window).
	if w := h.labelWidth(text.T(text.NotCheckedIn)); w < 300 {
		t.Fatalf("the message is %.0f px wide", w)
	}
}

// labelWidth is the laid-out width of the label showing text.
func (h *harness) labelWidth(s string) float32 {
	h.t.Helper()
	return find(h, "text "+s, func(l *widgets.Text) bool { return l.Text == s }).Size().Width
}

// Booked offline, taken by reception before the kiosk could send it: the
// patient is told when they next sign in, and the appointment is gone.
func TestNeedsAttentionAfterAnOfflineBookingIsRefused(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Config{})
	h.k.SetOnline(false)
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.tap("GP appointment")
	h.tap("Monday 8 June")
	h.bookYes()
	h.want("Not confirmed yet")
	p, err := h.rep.SignIn(ctx, h.account, h.dob)
	if err != nil {
		t.Fatal(err)
	}
	appts, err := h.rep.Appointments(ctx, p.ID)
	if err != nil || len(appts) != 1 {
		t.Fatalf("local appointments %+v %v", appts, err)
	}
	// Reception books the same time on the server first.
	arthur, err := h.rep.SignIn(ctx, demo.Letters()[1].AccountID, demo.Letters()[1].DateOfBirth)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.st.BookAppointment(ctx, store.BookingRequest{SlotID: appts[0].SlotID, PatientID: arthur.ID,
		Channel: store.ChannelReception, Actor: store.SystemActor()}); err != nil {
		t.Fatal(err)
	}
	if err := h.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	h.finish()
	h.tap(text.T(text.MyAppointments))
	h.signIn()
	h.want(text.T(text.AttentionTitle))
	h.want("someone else")
	h.tap(text.T(text.AttentionSeenIt))
	h.want(text.T(text.MyAppointments))
	h.want(text.T(text.AppointmentsNone))
	// Told once.
	h.finish()
	h.tap(text.T(text.MyAppointments))
	h.signIn()
	if h.screenHas(text.T(text.AttentionTitle)) {
		t.Fatal("told twice")
	}
}
