package kiosk

import (
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/ui/text"
)

// heapAfterGC is the live heap, for memory comparisons.
func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkBookingFlowScreens walks the booking flow headless (welcome,
// sign-in, date of birth, what for, times, confirm, back to the times,
// start again: 7 screen changes each) against the replica, and compares a
// screen change with swapping a bare label in the same run. It also
// reports the live heap after the flows as a multiple of a window with one
// label.
func BenchmarkBookingFlowScreens(b *testing.B) {
	h := newHarness(b, Config{})
	// Baseline: a window whose content is swapped between two labels,
	// timed by hand (testing.Benchmark cannot run inside a benchmark).
	bare := test.NewTempWindow(b, widget.NewLabel("hello"))
	one, two := container.NewCenter(widget.NewLabel("one")), container.NewCenter(widget.NewLabel("two"))
	bareHeap := heapAfterGC()
	const swaps = 2000
	start := time.Now()
	for i := range swaps {
		if i%2 == 0 {
			bare.SetContent(one)
		} else {
			bare.SetContent(two)
		}
	}
	swap := float64(time.Since(start).Nanoseconds()) / swaps

	flows := 0
	for b.Loop() {
		h.tap(text.T(text.BookAppointment))
		h.signIn()
		h.tap("GP appointment")
		h.tap("Monday 8 June")
		h.tap(text.T(text.BookNo))
		h.finish()
		flows++
	}
	perScreen := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 7
	b.ReportMetric(perScreen/1e6, "ms/screen")
	b.ReportMetric(swap/1e6, "bare-ms/swap")
	b.ReportMetric(perScreen/swap, "screen/bare")
	b.StopTimer()
	for ; flows < 100; flows++ {
		h.tap(text.T(text.BookAppointment))
		h.signIn()
		h.finish()
	}
	b.ReportMetric(float64(heapAfterGC())/float64(bareHeap), "heap-after-100/bare")
}

// BenchmarkLanguageSwitch switches the booking screen's language (Polish,
// then English, and so on) against a plain change of screen in the same
// run: showing the same booking screen again. A switch redraws every word
// on the screen and Fyne re-reads the theme's fonts. Target (issue 15):
// under 50 ms a switch on these machines.
func BenchmarkLanguageSwitch(b *testing.B) {
	h := newHarness(b, Config{})
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.tap("GP appointment")
	h.want(text.T(text.BookChooseTime))
	choice := bookingChoice{slotType: "GP appointment"}

	// Baseline, timed by hand: the same screen built and shown again.
	const shows = 50
	start := time.Now()
	for range shows {
		h.k.showBookFor(choice)
		h.win.Canvas().Content().Refresh()
	}
	show := float64(time.Since(start).Nanoseconds()) / shows

	langs := []text.Lang{text.LangPolish, text.LangEnglish}
	i := 0
	for b.Loop() {
		h.k.cfg.Display.SetLang(langs[i%2])
		i++
	}
	per := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(per/1e6, "ms/switch")
	b.ReportMetric(show/1e6, "screen-ms")
	b.ReportMetric(per/show, "switch/screen")
}
