package widgets

import (
	"fmt"
	"runtime"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
)

// A Pager of a few hundred buttons (the kiosk's free times) shows one page
// of them and keeps little for the rest: before, measuring a button made
// its renderer, and Fyne kept every one for a minute after the screen had
// gone, about 1.5 MB a booking screen. The page shown still works.
func TestPagerKeepsLittleForButtonsItDoesNotShow(t *testing.T) {
	app := test.NewTempApp(t)
	app.Settings().SetTheme(uitheme.New())
	const n = 400
	heap := func() int64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	tapped := -1
	times := func() []fyne.CanvasObject {
		items := make([]fyne.CanvasObject, n)
		for i := range items {
			items[i] = NewPrimaryButtonOf(text.Literal(fmt.Sprintf("Monday 8 June at %02d:%02d with Dr Okafor", 8+i/12, i%12*5)), func() { tapped = i })
		}
		return items
	}
	// The fonts' glyphs, the words' catalogue and the measures of the
	// same labels are loaded once, by a first pager: a screen shown again.
	warm := test.NewTempWindow(t, NewPager(times(), text.M(text.PagerMore), text.M(text.PagerBack)))
	warm.Resize(fyne.NewSize(1024, 700))
	before := heap()
	items := times()
	p := NewPager(items, text.M(text.PagerMore), text.M(text.PagerBack))
	w := test.NewTempWindow(t, p)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1024, 700))
	per := (heap() - before) / n
	runtime.KeepAlive(p)

	shown := 0
	for _, o := range items {
		if o.Visible() {
			shown++
		}
	}
	if shown == 0 || shown == n {
		t.Fatalf("%d of %d buttons show, want one page", shown, n)
	}
	test.Tap(items[0].(*Button))
	if tapped != 0 {
		t.Fatalf("tapping the first time ran button %d's action", tapped)
	}
	if h := items[0].Size().Height; h < MinTouchTarget {
		t.Errorf("a time's button is %.0f high, under the %v touch target", h, MinTouchTarget)
	}
	t.Logf("%d of %d buttons on the first page; %d bytes a button", shown, n, per)
	if per > 1024 {
		t.Errorf("the pager keeps %d bytes a button, want at most 1 KB: it makes renderers for buttons it does not show", per)
	}
}
