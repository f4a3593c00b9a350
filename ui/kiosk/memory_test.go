package kiosk

import (
	"runtime"
	"testing"
	"time"

	"gpkiosk/ui/text"
)

// bookingFlow books the first kind of appointment's first time on Monday
// 8 June, says no at the last step, and finishes: every screen of a
// booking, starting and ending on the welcome screen.
func (h *harness) bookingFlow() {
	h.t.Helper()
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.tap("GP appointment")
	h.tap("Monday 8 June")
	h.tap(text.T(text.BookNo))
	h.finish()
}

// settledGoroutines is the number of goroutines once those a screen
// change started for a moment (a timer's fyne.Do) have ended.
func settledGoroutines() int {
	n := runtime.NumGoroutine()
	for range 50 {
		time.Sleep(10 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			return n
		}
		n = m
	}
	return n
}

// TestBookingFlowsLeaveNothingRunning: a kiosk in use all day starts no
// goroutine (a countdown, a clock, a sync) per visit that outlives it: 40
// more booking flows leave as many running as 10 did.
func TestBookingFlowsLeaveNothingRunning(t *testing.T) {
	h := newHarness(t, Config{})
	for range 10 {
		h.bookingFlow()
	}
	after10 := settledGoroutines()
	for range 40 {
		h.bookingFlow()
	}
	if after50 := settledGoroutines(); after50 > after10+2 {
		t.Errorf("%d goroutines after 50 booking flows, %d after 10: each visit leaves something running", after50, after10)
	}
}

// TestBookingFlowsHeapPerFlow: the live heap grows by little a flow.
// Fyne keeps the renderers of the screens shown in the last minute
// (here all of them: a flow takes milliseconds), so this bounds what a
// flow makes and keeps, not what it frees later: before the booking
// screen's list of times stopped making a renderer for every time it did
// not show and a copy of every slot in each time's button, a flow kept
// about 2.1 MB; now about 0.6 MB.
func TestBookingFlowsHeapPerFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("50 booking flows")
	}
	h := newHarness(t, Config{})
	for range 10 {
		h.bookingFlow()
	}
	after10 := heapAfterGC()
	const more = 40
	for range more {
		h.bookingFlow()
	}
	per := (int64(heapAfterGC()) - int64(after10)) / more
	t.Logf("live heap %d KB after 10 flows, %d KB a flow after that", after10/1024, per/1024)
	if per > maxHeapPerFlow {
		t.Errorf("the live heap grew %d KB a booking flow, want at most %d KB", per/1024, maxHeapPerFlow/1024)
	}
}

// maxHeapPerFlow is TestBookingFlowsHeapPerFlow's bound.
const maxHeapPerFlow = 1 << 20

// The status strip's clock wakes just after each minute turns, not on a
// poll: an idle kiosk should cost little more than a bare window.
func TestClockWakesJustAfterTheMinute(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse("15:04:05.000", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, c := range []struct {
		now  string
		want time.Duration
	}{
		{"10:00:00.000", 60*time.Second + 50*time.Millisecond},
		{"10:00:59.900", 150 * time.Millisecond},
		{"10:00:30.000", 30*time.Second + 50*time.Millisecond},
		{"10:00:00.040", 60*time.Second + 10*time.Millisecond},
	} {
		if got := untilNextMinute(at(c.now)); got != c.want {
			t.Errorf("at %s the clock waits %v, want %v", c.now, got, c.want)
		}
	}
}
