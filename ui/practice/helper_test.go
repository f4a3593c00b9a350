package practice

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	gpsync "gpkiosk/sync"
	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

// helperShows reports whether the helper's view is on the screen.
func (h *harness) helperShows() bool { return h.s.helperShowing }

// typePIN types a PIN on the staff keypad and presses OK.
func (h *harness) typePIN(pin string) {
	h.t.Helper()
	pad := lessonsScreen(h).Keypad()
	if pad == nil {
		h.t.Fatalf("no PIN keypad on %q", lessonsScreen(h).Heading())
	}
	for _, r := range pin {
		tapKey(h.t, pad, string(r))
	}
	b := lessonsScreen(h).ButtonFor(text.StaffOK)
	if b == nil {
		h.t.Fatal("no OK button")
	}
	test.Tap(b)
}

// A learner cannot leave practice mode or reach the helper's view without
// the PIN; with it, the helper's view opens, and "Start again" puts
// everything back.
func TestHelpersViewNeedsThePIN(t *testing.T) {
	h := newHarness(t)
	h.s.chosen["book"] = true
	h.s.startLessons()
	h.waitFor("setup", func() bool { return !h.s.Coach().Playing() })
	if h.helperShows() {
		t.Fatal("the helper's view shows during a lesson")
	}
	tapPanel(h, text.T(text.CoachHelper))
	if h.helperShows() || !lessonsScreen(h).HeadingIs(text.StaffTitle) {
		t.Fatalf("Helper did not ask for the PIN; screen %q", lessonsScreen(h).Heading())
	}
	h.typePIN("111111")
	if h.helperShows() {
		t.Fatal("a wrong PIN opened the helper's view")
	}
	// The window's close button asks for the PIN too.
	h.s.AskHelper()
	h.typePIN("246810")
	if !h.helperShows() {
		t.Fatalf("the right PIN did not open the helper's view; screen %q", lessonsScreen(h).Heading())
	}
	if _, _, teaching := h.s.Coach().Lesson(); teaching {
		t.Error("the lesson still runs under the helper's view")
	}
}

// Left alone, a used practice starts again by itself, even on the
// welcome screen (which has nothing private on it but may show what the
// last learner booked): what was done is gone, and the lesson with it.
func TestIdlePracticeStartsAgain(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) { c.IdleTimeout, c.WarnFor = time.Second, time.Second })
	h.s.chosen["touchscreen"] = true
	h.s.startLessons()
	h.waitFor("setup", func() bool { return !h.s.Coach().Playing() })
	// The learner checked in (wrongly: it still uses the pretend
	// practice) and finished a lesson, then walked away.
	if _, err := h.s.practice.CheckIn(t.Context(), gpsync.CheckInRequest{DateOfBirth: "1946-03-15", Sex: "female", SurnameInitial: "Z"}); err != nil {
		t.Fatal(err)
	}
	h.s.done["book"] = true
	old := h.s.Kiosk()
	h.waitFor("the idle reset", func() bool { return h.s.Kiosk() != old })
	if h.s.practice.Used() || h.s.Done("book") {
		t.Error("the reset kept what was done")
	}
	if b := lessonsScreen(h).ButtonFor(text.CheckIn); b == nil {
		t.Errorf("after the reset the kiosk shows %q, not its welcome screen", lessonsScreen(h).Heading())
	}
	if _, _, teaching := h.s.Coach().Lesson(); teaching {
		t.Error("the lesson still runs after the reset")
	}
}

// Every step's instruction is plain text handed to the read-aloud hook as
// the step begins.
func TestEveryStepIsReadAloud(t *testing.T) {
	h := newHarness(t)
	l := h.s.Lessons()[0]
	h.s.chosen[l.ID] = true
	h.s.startLessons()
	for i := range l.Steps {
		h.waitFor("the step", func() bool { return h.step() >= i && !h.s.Coach().Playing() })
		tapPanel(h, text.T(text.CoachShowMe), text.T(text.CoachNext))
	}
	h.waitFor("the end", h.s.Coach().Finished)
	if len(h.spoken) != len(l.Steps) {
		t.Fatalf("read aloud %d times for %d steps: %q", len(h.spoken), len(l.Steps), h.spoken)
	}
	for i, st := range l.Steps {
		if h.spoken[i] != st.Instruction() {
			t.Errorf("step %d read %q, want %q", i+1, h.spoken[i], st.Instruction())
		}
	}
}

// The outline rings the control to press, where it is on the screen.
func TestOutlineRingsTheControl(t *testing.T) {
	h := newHarness(t)
	h.s.chosen["touchscreen"] = true
	h.s.startLessons()
	h.waitFor("setup", func() bool { return !h.s.Coach().Playing() })
	s := lessonsScreen(h)
	book := s.ButtonFor(text.BookAppointment)
	at, size, ok := s.Where(book)
	if !ok {
		t.Fatal("no Book button showing")
	}
	var ring fyne.CanvasObject
	widgets.Walk(h.s.Coach().Overlay(), func(o fyne.CanvasObject, _ fyne.Position) bool {
		if o != h.s.Coach().Overlay() && ring == nil {
			ring = o
		}
		return true
	})
	if ring == nil || !ring.Visible() {
		t.Fatal("no outline shows")
	}
	r := ring.Position()
	if r.X > at.X || r.Y > at.Y || r.X+ring.Size().Width < at.X+size.Width || r.Y+ring.Size().Height < at.Y+size.Height {
		t.Errorf("outline at %v size %v does not go round the button at %v size %v", r, ring.Size(), at, size)
	}
}
