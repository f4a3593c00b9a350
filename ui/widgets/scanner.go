package widgets

import (
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
)

// Defaults for ScannerInput.
const (
	// ScanGap is the longest pause between two characters of one scan.
	// Scanners type a whole code in a few milliseconds; a person pressing
	// a key is far slower.
	ScanGap = 500 * time.Millisecond
	// MaxScanLength is the most characters kept from one scan; anything a
	// kiosk accepts is far shorter.
	MaxScanLength = 512
)

// ScannerInput catches a keyboard-wedge scanner, which "types" a code and
// then presses Enter, on a window that has no text entry in focus. Attach
// it to the window's canvas; it only acts while nothing has focus, so a
// focused Entry keeps its typing. Call it from the UI goroutine only.
type ScannerInput struct {
	// OnScan is called with each complete code, spaces trimmed.
	OnScan func(code string)
	// Gap, MaxLength and Now default to ScanGap, MaxScanLength and
	// time.Now; tests may set them.
	Gap       time.Duration
	MaxLength int
	Now       func() time.Time

	canvas   fyne.Canvas
	prevRune func(rune)
	prevKey  func(*fyne.KeyEvent)

	buf  []rune
	last time.Time
}

// NewScannerInput returns a ScannerInput that calls onScan with each code.
func NewScannerInput(onScan func(code string)) *ScannerInput {
	return &ScannerInput{OnScan: onScan}
}

// Attach starts listening on c, keeping c's own typing handlers to give
// back on Detach and to pass on the keys a scan does not use. Attaching
// again first detaches from the previous canvas.
func (s *ScannerInput) Attach(c fyne.Canvas) {
	s.Detach()
	s.canvas = c
	s.prevRune = c.OnTypedRune()
	s.prevKey = c.OnTypedKey()
	c.SetOnTypedRune(s.TypedRune)
	c.SetOnTypedKey(s.TypedKey)
}

// Detach gives the canvas back its earlier handlers and forgets any
// half-read code.
func (s *ScannerInput) Detach() {
	if s.canvas == nil {
		return
	}
	s.canvas.SetOnTypedRune(s.prevRune)
	s.canvas.SetOnTypedKey(s.prevKey)
	s.canvas, s.prevRune, s.prevKey = nil, nil, nil
	s.discard()
}

// TypedRune collects one character of a scan. It is the canvas handler
// while attached, and exported so a focused widget may pass runes on.
func (s *ScannerInput) TypedRune(r rune) {
	if s.someoneElseHasFocus() {
		if s.prevRune != nil {
			s.prevRune(r)
		}
		return
	}
	now := s.now()
	if s.stale(now) {
		// A stray keypress long ago must not prefix this scan.
		s.discard()
	}
	s.last = now
	if unicode.IsControl(r) {
		return
	}
	if len(s.buf) >= s.maxLength() {
		return // keep the start of an overlong code, drop the rest
	}
	s.buf = append(s.buf, r)
}

// TypedKey ends a scan on Enter or Return. Other keys, and an Enter with
// nothing scanned, go on to the canvas's earlier handler.
func (s *ScannerInput) TypedKey(ev *fyne.KeyEvent) {
	enter := ev.Name == fyne.KeyEnter || ev.Name == fyne.KeyReturn
	if s.someoneElseHasFocus() || !enter || len(s.buf) == 0 {
		if s.prevKey != nil {
			s.prevKey(ev)
		}
		return
	}
	stale := s.stale(s.now())
	code := strings.TrimSpace(string(s.buf))
	s.discard()
	if stale || code == "" || s.OnScan == nil {
		return
	}
	s.OnScan(code)
}

func (s *ScannerInput) someoneElseHasFocus() bool {
	return s.canvas != nil && s.canvas.Focused() != nil
}

func (s *ScannerInput) stale(now time.Time) bool {
	return len(s.buf) > 0 && now.Sub(s.last) > s.gap()
}

func (s *ScannerInput) discard() {
	clear(s.buf) // the code may identify a person
	s.buf = s.buf[:0]
}

func (s *ScannerInput) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *ScannerInput) gap() time.Duration {
	if s.Gap > 0 {
		return s.Gap
	}
	return ScanGap
}

func (s *ScannerInput) maxLength() int {
	if s.MaxLength > 0 {
		return s.MaxLength
	}
	return MaxScanLength
}
