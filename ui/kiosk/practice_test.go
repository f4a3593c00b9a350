package kiosk

import (
	"errors"
	"testing"

	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
)

// The practice banner's words pass 7:1 on their band, whatever the theme.
func TestPracticeBannerContrast(t *testing.T) {
	ink, band := practiceBannerColours()
	if r := uitheme.ContrastRatio(ink, band); r < 7 {
		t.Fatalf("practice banner contrast %.1f:1, want at least 7:1", r)
	}
}

// In practice mode every screen says so; a real kiosk never does.
func TestPracticeBannerOnEveryScreen(t *testing.T) {
	for _, practice := range []bool{false, true} {
		h := newHarness(t, Config{Practice: practice})
		for _, open := range []func(){h.k.showWelcome, h.k.showCheckIn, func() { h.k.showSignIn(h.k.showMenu) }} {
			open()
			if got := h.screenHas(text.T(text.PracticeBanner)); got != practice {
				t.Errorf("practice %v: banner shown %v", practice, got)
			}
		}
	}
}

// On the pretend practice nothing says "booked" alone: the screen that
// says it was done starts "Practice only:".
func TestPracticeSaysBookedOnlyAsPractice(t *testing.T) {
	h := newHarness(t, Config{Practice: true})
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.tap("GP appointment")
	h.tap("Monday 8 June")
	h.bookYes()
	h.want(text.T(text.PracticeSays, text.T(text.Booked)))
	for _, s := range texts(h.win.Content()) {
		if s == text.T(text.Booked) {
			t.Error(`"You are booked in." shown without "Practice only:"`)
		}
	}
}

// Staff start practice mode from the staff menu, behind the kiosk's PIN;
// a kiosk that cannot run it does not offer it.
func TestStaffMenuStartsPracticeMode(t *testing.T) {
	started := 0
	h := newHarness(t, Config{StartPractice: func() error { started++; return nil }})
	h.k.AskStaffPIN()
	h.tapPIN("246810")
	h.want(text.T(text.StaffMenuTitle))
	h.tap(text.T(text.StaffStartPractice))
	if started != 1 {
		t.Fatalf("practice mode started %d times", started)
	}
	h.want(text.T(text.CheckIn)) // the real kiosk is left at its welcome screen, nobody signed in

	plain := newHarness(t, Config{})
	plain.k.AskStaffPIN()
	plain.tapPIN("246810")
	if plain.screenHas(text.T(text.StaffStartPractice)) {
		t.Error("practice mode offered with nothing to start it")
	}
}

// Practice mode that cannot start says so to the member of staff, and the
// kiosk carries on as normal.
func TestPracticeModeThatCannotStartSaysSo(t *testing.T) {
	h := newHarness(t, Config{StartPractice: func() error { return errors.New("disk full") }})
	h.k.AskStaffPIN()
	h.tapPIN("246810")
	h.tap(text.T(text.StaffStartPractice))
	h.want(text.T(text.StaffPracticeFailed))
	h.tap(text.T(text.Back))
	h.want(text.T(text.CheckIn))
}

// A kiosk opens with the practice's name as it remembers it and shows the
// server's once that comes: at once on the welcome screen and in the
// status strip; a patient part way through keeps their screen.
func TestPracticeNameArrivesAfterTheWindowOpens(t *testing.T) {
	h := newHarness(t, Config{PracticeName: "GP Kiosk"})
	h.want("GP Kiosk")
	h.k.SetPractice("Riverside Health Centre", "Y12345")
	h.want("Riverside Health Centre")
	if h.screenHas("GP Kiosk") {
		t.Fatalf("the welcome screen still shows the old name: %q", texts(h.k.Content()))
	}
	h.tap(text.T(text.BookAppointment))
	h.k.SetPractice("Hillside Surgery", "Y54321")
	h.want(text.T(text.SignInTitle))
	h.want("Hillside Surgery") // in the status strip
}
