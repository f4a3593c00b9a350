package practice

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"gpkiosk/store"
	"gpkiosk/ui/lessons"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
	"gpkiosk/ui/widgets"
)

type harness struct {
	t      *testing.T
	s      *Session
	ui     chan func()
	win    fyne.Window
	mu     sync.Mutex
	counts []string
	spoken []string
}

// newHarness opens practice mode on a Tuesday morning, with "Show me"
// tapping at once and timers' UI changes run by the test in step.
func newHarness(t *testing.T) *harness { t.Helper(); return newHarnessWith(t, nil) }

// newHarnessWith is newHarness with the session's Config changed by edit.
func newHarnessWith(t *testing.T, edit func(*Config)) *harness {
	t.Helper()
	h := &harness{t: t, ui: make(chan func(), 1024)}
	app := test.NewTempApp(t)
	app.Settings().SetTheme(uitheme.New())
	loc, _ := time.LoadLocation("Europe/London")
	now := time.Date(2026, time.June, 9, 10, 0, 0, 0, loc)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := Config{Dir: t.TempDir(), Clock: func() time.Time { return now }, Location: loc, Log: quiet,
		Display: uitheme.NewSwitcher(app, uitheme.Settings{}), Pace: time.Millisecond,
		Do: func(f func()) { h.ui <- f },
		Count: func(_ context.Context, lesson string, day store.Date) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.counts = append(h.counts, lesson+" "+day.String())
			return nil
		},
		Speak: func(s string) { h.spoken = append(h.spoken, s) },
	}
	if edit != nil {
		edit(&cfg)
	}
	s, err := Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	h.s = s
	h.win = test.NewTempWindow(t, s.Content())
	h.win.Resize(fyne.NewSize(1024, 1400))
	return h
}

// waitFor runs queued UI changes until cond holds.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	// A guard against a hang, not a speed check: under -race on two busy
	// cores a lesson's setup has taken over 10 s.
	deadline := time.After(30 * time.Second)
	for !cond() {
		select {
		case f := <-h.ui:
			f()
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s at step %d; screen heading %q, typed %q, hint %q", what, h.step()+1, h.screen().Heading(), h.screen().Typed(), h.s.Coach().Hint())
		}
	}
}

func (h *harness) screen() *lessons.Screen { return lessons.ReadScreen(h.s.kioskView) }

// lessonsScreen is whatever the session shows now, read as a lesson
// reads the kiosk's screen.
func lessonsScreen(h *harness) *lessons.Screen { return lessons.ReadScreen(h.s.Content()) }

func (h *harness) step() int {
	_, i, _ := h.s.Coach().Lesson()
	return i
}

// wrongTap presses something other than what the step asks for, as a
// learner might: another button that leads elsewhere, or a wrong key. It
// reports false on a screen whose one control is the one to press
// ("Thank you" and its Done), where no tap can go wrong.
func (h *harness) wrongTap(st lessons.Step) bool {
	h.t.Helper()
	s := h.screen()
	if st.Type != "" {
		if pad := s.DateOfBirth(); pad != nil {
			tapKey(h.t, pad.Keypad(), wrongDigit(st.Type, pad.Typed()))
			return true
		}
		tapKey(h.t, s.Keypad(), wrongKey(st.Type, s.Typed()))
		return true
	}
	target := st.Press(s)
	_, isButton := target.(*widgets.Button)
	if isButton {
		for _, label := range []text.Key{text.ReportProblem, text.BookNo, text.NoKeepIt, text.RepeatsBack, text.MenuBackToMenu,
			text.BookAppointment, text.MyAppointments, text.RepeatPrescriptions, text.Back} {
			if b := s.ButtonFor(label); b != nil && fyne.CanvasObject(b) != target {
				test.Tap(b)
				return true
			}
		}
	}
	// A key where a button was asked for, or another key than the one.
	if pad := s.Keypad(); pad != nil && target != nil {
		for _, l := range []string{"A", "B"} {
			if k := pad.Key(l); k != nil && k.(fyne.CanvasObject) != target {
				k.Tapped(&fyne.PointEvent{})
				return true
			}
		}
	}
	if s.Heading() == text.T(text.FinishedTitle) {
		return false
	}
	h.t.Fatalf("no wrong button to press on %q", s.Heading())
	return false
}

func tapKey(t *testing.T, pad *widgets.Keypad, label string) {
	t.Helper()
	k := pad.Key(label)
	if k == nil {
		t.Fatalf("no key %q", label)
	}
	k.Tapped(&fyne.PointEvent{})
}

// wrongKey is a key that is not the next one wanted.
func wrongKey(want, typed string) string {
	for _, k := range []string{"Q", "7"} {
		if len(typed) >= len(want) || want[len(typed):len(typed)+1] != k {
			return k
		}
	}
	return "X"
}

// wrongDigit is a digit that a date of birth accepts next but is not the
// one wanted.
func wrongDigit(want, typed string) string {
	if len(typed) < len(want) && want[len(typed)] == '1' {
		return "2"
	}
	return "1"
}

// Every lesson can be walked to its end: on each step a wrong tap gets a
// kind hint, "Try again" puts the screen back as the step began, and
// "Show me" does the step; each finished lesson is counted once.
func TestEveryLessonWithAWrongTapTryAgainAndShowMe(t *testing.T) {
	h := newHarness(t)
	for _, l := range h.s.Lessons() {
		t.Run(l.ID, func(t *testing.T) {
			h.t = t
			clear(h.s.chosen)
			h.s.chosen[l.ID] = true
			h.s.startLessons()
			h.waitFor("the lesson's setup", func() bool { return !h.s.Coach().Playing() })
			for i, st := range l.Steps {
				if got := h.step(); got != i {
					t.Fatalf("at step %d, want %d", got, i)
				}
				if want := st.Instruction(); !panelSays(h, want) {
					t.Fatalf("step %d: panel does not say %q", i+1, want)
				}
				if !panelSays(h, text.T(text.CoachStep, itoa(i+1), itoa(len(l.Steps)))) {
					t.Errorf("step %d: no progress shown", i+1)
				}
				switch {
				case len(st.Answers) > 0:
					tapPanel(h, wrongAnswer(st))
					if h.s.Coach().Hint() != text.T(st.Hint) {
						t.Fatalf("step %d: a wrong answer gave hint %q", i+1, h.s.Coach().Hint())
					}
				case st.Press != nil || st.Type != "":
					if st.Press != nil && st.Press(h.screen()) == nil {
						t.Fatalf("step %d: nothing to press on %q", i+1, h.screen().Heading())
					}
					if !h.wrongTap(st) {
						break
					}
					h.waitFor("a hint after a wrong tap", func() bool { return h.s.Coach().Hint() != "" })
					tapPanel(h, text.T(text.CoachTryAgain))
					h.waitFor("try again", func() bool { return !h.s.Coach().Playing() })
					if h.s.Coach().Hint() != "" || h.step() != i {
						t.Fatalf("step %d: after Try again, hint %q at step %d on %q", i+1, h.s.Coach().Hint(), h.step(), h.screen().Heading())
					}
					if st.On != nil && !st.On(h.screen()) {
						t.Fatalf("step %d: Try again left %q, not the step's screen", i+1, h.screen().Heading())
					}
				}
				tapPanel(h, text.T(text.CoachShowMe), text.T(text.CoachNext))
				h.waitFor("Show me to do the step", func() bool { return h.step() > i || h.s.Coach().Finished() })
			}
			if !h.s.Coach().Finished() || !h.s.Done(l.ID) {
				t.Fatalf("lesson not finished")
			}
			if !panelSays(h, text.T(text.CoachWellDone, text.T(l.Title))) {
				t.Error("no well done at the end")
			}
		})
	}
	h.t = t
	if len(h.counts) != len(h.s.Lessons()) {
		t.Errorf("counted %q, want each lesson once", h.counts)
	}
	for i, l := range h.s.Lessons() {
		if i < len(h.counts) && h.counts[i] != l.ID+" 2026-06-09" {
			t.Errorf("count %d is %q, want %q", i, h.counts[i], l.ID+" 2026-06-09")
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func wrongAnswer(st lessons.Step) string {
	for _, a := range st.Answers {
		if !a.Right {
			return text.T(a.Say)
		}
	}
	return ""
}

// panelSays reports whether the coach's panel shows any of words.
func panelSays(h *harness, words ...string) bool {
	found := false
	widgets.Walk(h.s.Coach().Panel(), func(o fyne.CanvasObject, _ fyne.Position) bool {
		if t, ok := o.(*widgets.Text); ok {
			for _, w := range words {
				if strings.Contains(t.Text, w) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// tapPanel taps the first of labels the coach's panel shows.
func tapPanel(h *harness, labels ...string) {
	h.t.Helper()
	for _, label := range labels {
		var hit *widgets.Button
		widgets.Walk(h.s.Coach().Panel(), func(o fyne.CanvasObject, _ fyne.Position) bool {
			if b, ok := o.(*widgets.Button); ok && b.Text == label && !b.Disabled() {
				hit = b
			}
			return hit == nil
		})
		if hit != nil {
			test.Tap(hit)
			return
		}
	}
	h.t.Fatalf("the coach's panel has none of %q", labels)
}
