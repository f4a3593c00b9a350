package widgets

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// fakeClock is moved on by hand so gaps between keys are exact.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

type scanFixture struct {
	canvas fyne.Canvas
	clock  *fakeClock
	scans  []string
	s      *ScannerInput
}

func newScanFixture(t *testing.T, content fyne.CanvasObject) *scanFixture {
	t.Helper()
	test.NewTempApp(t)
	if content == nil {
		content = widget.NewLabel("Scan your code")
	}
	f := &scanFixture{
		canvas: test.NewTempWindow(t, content).Canvas(),
		clock:  &fakeClock{t: time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)},
	}
	f.s = NewScannerInput(func(code string) { f.scans = append(f.scans, code) })
	f.s.Now = f.clock.Now
	f.s.Attach(f.canvas)
	return f
}

// scan types code as a scanner does: quickly, then Return.
func (f *scanFixture) scan(code string) {
	for _, r := range code {
		f.clock.Advance(5 * time.Millisecond)
		f.canvas.OnTypedRune()(r)
	}
	f.clock.Advance(5 * time.Millisecond)
	f.canvas.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func (f *scanFixture) want(t *testing.T, want ...string) {
	t.Helper()
	if strings.Join(f.scans, "\n") != strings.Join(want, "\n") || len(f.scans) != len(want) {
		t.Errorf("scans = %q, want %q", f.scans, want)
	}
}

func TestScannerDeliversCodeOnEnter(t *testing.T) {
	f := newScanFixture(t, nil)
	test.TypeOnCanvas(f.canvas, "GP-4711-ABC")
	f.canvas.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	f.scan("SECOND")
	test.TypeOnCanvas(f.canvas, "KEYPAD")
	f.canvas.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEnter})
	f.want(t, "GP-4711-ABC", "SECOND", "KEYPAD")
}

func TestScannerDropsStrayKeyBeforeScan(t *testing.T) {
	f := newScanFixture(t, nil)
	f.canvas.OnTypedRune()('x')
	f.clock.Advance(2 * time.Second)
	f.scan("BOOKING-42")
	f.want(t, "BOOKING-42")

	// A half-typed code whose Enter comes too late is thrown away too.
	f.canvas.OnTypedRune()('y')
	f.clock.Advance(time.Second)
	f.canvas.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	f.scan("NEXT")
	f.want(t, "BOOKING-42", "NEXT")
}

func TestScannerCutsOverlongInputAndDropsControls(t *testing.T) {
	f := newScanFixture(t, nil)
	f.scan(strings.Repeat("A", MaxScanLength) + strings.Repeat("B", 100))
	f.want(t, strings.Repeat("A", MaxScanLength))

	f.scans = nil
	f.scan("AB\x00C\tD\x1b")
	f.want(t, "ABCD")

	f.scans = nil
	f.s.MaxLength = 4
	f.scan("123456")
	f.want(t, "1234")
}

func TestScannerIgnoresInputWhileEntryHasFocus(t *testing.T) {
	entry := widget.NewEntry()
	f := newScanFixture(t, container.NewVBox(entry))
	f.canvas.Focus(entry)
	f.scan("SHOULD-NOT-SCAN")
	f.want(t)

	f.canvas.Unfocus()
	f.scan("NOW")
	f.want(t, "NOW")
}

func TestScannerDetachRestoresHandlers(t *testing.T) {
	test.NewTempApp(t)
	c := test.NewTempWindow(t, widget.NewLabel("")).Canvas()
	var runes []rune
	var keys []fyne.KeyName
	c.SetOnTypedRune(func(r rune) { runes = append(runes, r) })
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) { keys = append(keys, ev.Name) })

	var scans []string
	s := NewScannerInput(func(code string) { scans = append(scans, code) })
	s.Attach(c)
	test.TypeOnCanvas(c, "AB")
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape}) // not the scanner's: passed on
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(runes) != 0 || len(keys) != 1 || keys[0] != fyne.KeyEscape || len(scans) != 1 || scans[0] != "AB" {
		t.Fatalf("while attached: runes %q, keys %q, scans %q", string(runes), keys, scans)
	}

	s.Detach()
	test.TypeOnCanvas(c, "CD")
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if string(runes) != "CD" || len(keys) != 2 || keys[1] != fyne.KeyReturn || len(scans) != 1 {
		t.Errorf("after Detach: runes %q, keys %q, scans %q", string(runes), keys, scans)
	}
	s.Detach() // twice is harmless
}
