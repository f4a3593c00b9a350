package kiosk

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"gpkiosk/store"
	"gpkiosk/store/sqlitedb"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/text"
)

// tapPIN types digits on the staff keypad and taps OK.
func (h *harness) tapPIN(pin string) {
	h.t.Helper()
	pad := h.findKeypad()
	for _, r := range pin {
		test.Tap(pad.Key(string(r)))
	}
	h.tap(text.T(text.StaffOK))
}

// tapName taps the practice name in the status strip n times.
func (h *harness) tapName(n int, gap time.Duration) {
	h.t.Helper()
	name := find(h, "practice name", func(c *tapCounter) bool { return true })
	for range n {
		test.Tap(name)
		h.now.Add(int64(gap / time.Second))
	}
}

// Staff leave the kiosk with the practice's PIN (the demo's, synced from
// the server); patients cannot: wrong PINs are refused, five lock the
// screen and tell reception, and the hidden gesture needs five quick taps.
func TestOnlyStaffWithThePINCanCloseTheKiosk(t *testing.T) {
	quits := 0
	h := newHarness(t, Config{Quit: func() { quits++ }})
	// Four taps, or five slow ones, do nothing.
	h.tapName(4, 0)
	h.want(text.T(text.CheckIn))
	h.now.Add(10)
	h.tapName(5, time.Second)
	h.want(text.T(text.CheckIn))

	// A patient is signed in; the gesture clears them before asking.
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.want(h.name)
	h.tapName(5, 0)
	h.want(text.T(text.StaffEnterPIN))
	if h.screenHas(h.name) {
		t.Fatal("the patient's name is still on the staff screen")
	}
	if _, ok := h.k.signedIn(); ok {
		t.Fatal("the patient is still signed in behind the staff screen")
	}
	h.tapPIN("135790")
	h.want(text.T(text.StaffWrongPIN))
	if h.screenHas("135790") {
		t.Fatal("the typed PIN is shown in clear")
	}
	h.tapPIN("246810") // demo.KioskExitPIN, as the README says
	h.want(text.T(text.StaffMenuTitle))
	h.tap(text.T(text.StaffBackToKiosk))
	h.want(text.T(text.CheckIn))
	if quits != 0 {
		t.Fatal("the kiosk closed without being asked to")
	}
	// The window's close button asks for the PIN too.
	h.k.AskStaffPIN()
	h.tapPIN("246810")
	h.tap(text.T(text.StaffCloseKiosk))
	if quits != 1 {
		t.Fatalf("quit %d times after the right PIN and Close", quits)
	}

	// Five wrong PINs in a row lock the staff screen, even against the
	// right PIN, and reception hears of it once.
	h.k.AskStaffPIN()
	for range maxPINFailures {
		h.tapPIN("975310")
	}
	h.want(text.T(text.StaffLocked))
	h.tap(text.T(text.Back))
	h.k.AskStaffPIN()
	h.want(text.T(text.StaffLocked))
	if h.screenHas(text.T(text.StaffEnterPIN)) {
		t.Fatal("the keypad is offered while locked")
	}
	reports := 0
	ops, err := h.rep.PendingOps(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range ops {
		if op.Kind == gpsync.OpReportProblem && strings.Contains(string(op.Payload), "staff-pin") {
			reports++
		}
	}
	if reports != 1 {
		t.Fatalf("%d reports to reception, want 1", reports)
	}
	h.now.Add(int64(pinLockout/time.Second) + 1)
	h.k.AskStaffPIN()
	h.tapPIN("246810")
	h.want(text.T(text.StaffMenuTitle))
}

// A kiosk whose practice has set no PIN cannot be closed from the screen,
// and says how to set one.
func TestNoPINSetCannotClose(t *testing.T) {
	quits := 0
	h := newHarness(t, Config{Quit: func() { quits++ }})
	h.k.cfg.Backend = noPIN{h.k.cfg.Backend}
	h.k.AskStaffPIN()
	h.want(text.T(text.StaffNoPIN))
	if h.screenHas(text.T(text.StaffEnterPIN)) || quits != 0 {
		t.Fatal("offered a way out with no PIN set")
	}
}

// noPIN is the real replica as it is before a practice sets a PIN.
type noPIN struct{ Backend }

func (noPIN) ExitPINVerifier(context.Context) (string, error) { return "", nil }

// An appointment slip carries a QR code; scanned at the kiosk on arrival
// it checks the patient in, with no details typed.
func TestSlipQRCodeChecksInOnArrival(t *testing.T) {
	h, slips := newPrintingHarness(t)
	h.k.cfg.CheckIn = h.client
	ctx := context.Background()
	slip := h.bookAndPrintSlip(slips)
	if len(slip.QRCodes) != 1 {
		t.Fatalf("slip has %d QR codes, want 1", len(slip.QRCodes))
	}
	qr := string(slip.QRCodes[0].Data)
	if !strings.HasPrefix(qr, gpsync.CheckInCodePrefix) || !store.ValidCheckInCode(strings.TrimPrefix(qr, gpsync.CheckInCodePrefix)) {
		t.Fatalf("slip QR payload %q", qr)
	}
	h.finish()
	if err := h.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	p, _ := h.rep.SignIn(ctx, h.account, h.dob)
	appts, err := h.st.Appointments(ctx, p.ID, store.StatusBooked)
	if err != nil || len(appts) != 1 {
		t.Fatalf("appointments on the server: %d %v", len(appts), err)
	}
	// A slip from somewhere else, or a damaged one: see reception.
	h.k.Scanned(gpsync.CheckInCodePrefix + "NOTAREALCODE")
	h.want(text.T(text.Sorry))
	h.tap(text.T(text.Done))
	// On arrival, inside the check-in window, on the welcome screen.
	h.now.Store(appts[0].Slot.StartsAt.Add(-10 * time.Minute).Unix())
	h.k.Scanned(qr + "\n")
	h.want(text.T(text.CheckedIn))
	h.want(appts[0].Slot.StartsAt.In(h.k.cfg.Location).Format("15:04"))
	if arrived, _ := h.st.Appointments(ctx, p.ID, store.StatusArrived); len(arrived) != 1 {
		t.Fatalf("%d appointments arrived on the server", len(arrived))
	}
	// Scanning it again does not check anyone in twice.
	h.tap(text.T(text.Done))
	h.k.Scanned(qr)
	h.want(text.T(text.Sorry))
}

// A repeat order can carry a short note, typed on the text keypad with
// digits and capitals; it reaches the practice as typed.
func TestRepeatOrderWithANote(t *testing.T) {
	h := newHarness(t, Config{})
	h.tap(text.T(text.RepeatPrescriptions))
	h.signIn()
	h.tick("Amlodipine")
	h.tap(text.T(text.RepeatsOrder))
	h.want(text.T(text.RepeatsNoteTitle))
	h.want(text.T(text.RepeatsNoNote))
	pad := h.findKeypad()
	capital, space, del := text.T(text.KeypadCapital), text.T(text.KeypadSpace), text.T(text.KeypadDelete)
	// Keys show the case they type: a capital to start, small letters
	// after, a capital again after a full stop, and Capital for a name.
	for _, k := range []string{"N", "o", space, "r", "u", "s", "h", "h", del, ".", space, "T", "a", ",", space,
		capital, "D", "r", space, capital, "L", "i", space, "2"} {
		key := pad.Key(k)
		if key == nil {
			t.Fatalf("the note keypad has no %q key now", k)
		}
		test.Tap(key)
	}
	h.want("No rush. Ta, Dr Li 2")
	h.tap(text.T(text.RepeatsSend))
	h.waitFor(func() bool { return h.screenHas(text.T(text.RepeatsSent)) })
	if err := h.runner.SyncNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	db, err := sqlitedb.OpenReader(context.Background(), h.st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var note string
	if err := db.QueryRow("SELECT note FROM prescription_requests").Scan(&note); err != nil {
		t.Fatal(err)
	}
	if note != "No rush. Ta, Dr Li 2" {
		t.Fatalf("the practice got note %q", note)
	}
}

// Margaret is 80: the kiosk never offers her cervical screening (25 to 64)
// or an NHS Health Check (40 to 74).
func TestBookingOffersOnlyWhatThePatientMayHave(t *testing.T) {
	h := newHarness(t, Config{})
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.want(text.T(text.BookWhatFor))
	h.want("GP appointment")
	for _, no := range []string{"cervical screening", "NHS Health Check"} {
		if h.screenHas(no) {
			t.Fatalf("an 80-year-old is offered %q", no)
		}
	}
}
