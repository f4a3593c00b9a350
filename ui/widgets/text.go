package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	uitheme "gpkiosk/ui/theme"
)

// TextRole says what a piece of kiosk text is for, which sets its size,
// weight and colour.
type TextRole int

const (
	// TextBody is ordinary words.
	TextBody TextRole = iota
	// TextHeading is a screen's title: larger and bold.
	TextHeading
	// TextStrong is bold body text, for what matters most on a screen.
	TextStrong
	// TextDanger is a refusal or error, in the theme's error colour.
	TextDanger
	// TextNotice is a warning, such as working offline.
	TextNotice
	// TextTyped shows what the patient has typed: large and monospaced so
	// each character can be checked.
	TextTyped
	// TextStatus is the status strip's practice name, time and offline
	// notice: bold, at the normal (A) size whatever the patient chose, so
	// at A++ a long practice name does not take the screen's height. The
	// screen's own words grow.
	TextStatus
	// TextStatusNotice is the offline notice in the status strip.
	TextStatusNotice
)

// statusMaxScale caps status text at the normal (A) size.
const statusMaxScale = 1.0

// headingScale is a heading's size against body text. Fyne's own heading
// is 1.7 times body text, which at A++ leaves no room on a kiosk screen.
const headingScale = 1.3

// typedScale is typed characters' size against body text.
const typedScale = 1.5

// preferredWrapEms is how wide, in multiples of the text size, text wraps
// before any layout has given it a width.
const preferredWrapEms = 30

// Text is wrapped, centred (or left-aligned) text that never truncates: it
// wraps at word boundaries to whatever width its layout gives it and asks
// for the height that needs. Unlike widget.Label it adds no padding of its
// own, so a screen's words take only the room they need at A++.
type Text struct {
	widget.BaseWidget

	Text  string
	Role  TextRole
	Align fyne.TextAlign

	// gaveWay: a page short of room dropped this instruction so its
	// controls keep their size (see pageLayout); it draws nothing and
	// takes no height until the page has room again.
	gaveWay bool

	words // Msg, when the text is a text.Message (message.go)
}

// NewText returns centred text in role.
func NewText(s string, role TextRole) *Text {
	t := &Text{Text: s, Role: role, Align: fyne.TextAlignCenter}
	t.ExtendBaseWidget(t)
	return t
}

// SetText changes the words shown.
func (t *Text) SetText(s string) {
	if s == t.Text && t.Msg == nil {
		return
	}
	t.Msg = nil
	t.Text = s
	t.Refresh()
}

// Lines is how the text is wrapped at its current width; tests use it to
// check that no word is wider than the text's box.
func (t *Text) Lines() []string {
	size, style := t.font()
	return wrapLines(t.Text, t.wrapWidth(), size, style)
}

// GaveWay reports whether a page short of room has dropped this
// instruction for now.
func (t *Text) GaveWay() bool { return t.gaveWay }

func (t *Text) giveWay(on bool) {
	if t.gaveWay != on {
		t.gaveWay = on
		t.Refresh()
	}
}

// Whole reports whether every line, as drawn, fits inside the text's width.
func (t *Text) Whole() bool {
	size, style := t.font()
	for _, l := range shownLines(t.Text, t.wrapWidth(), size, style) {
		if fyne.MeasureText(l.text, size, style).Width > t.Size().Width+0.5 {
			return false
		}
	}
	return true
}

func (t *Text) font() (float32, fyne.TextStyle) {
	t.resolve(&t.Text, t.Theme())
	size := t.Theme().Size(theme.SizeNameText)
	switch t.Role {
	case TextHeading:
		return size * headingScale, fyne.TextStyle{Bold: true}
	case TextStrong:
		return size, fyne.TextStyle{Bold: true}
	case TextTyped:
		return size * typedScale, fyne.TextStyle{Bold: true, Monospace: true}
	case TextStatus, TextStatusNotice:
		return min(size, theme.DefaultTheme().Size(theme.SizeNameText)*uitheme.TextScale*statusMaxScale), fyne.TextStyle{Bold: true}
	}
	return size, fyne.TextStyle{}
}

func (t *Text) colour() fyne.ThemeColorName {
	switch t.Role {
	case TextDanger:
		return theme.ColorNameError
	case TextNotice, TextStatusNotice:
		return theme.ColorNameWarning
	}
	return theme.ColorNameForeground
}

func (t *Text) wrapWidth() float32 {
	if w := t.Size().Width; w > 0 {
		return w
	}
	size, _ := t.font()
	return size * preferredWrapEms
}

// CreateRenderer is part of fyne.Widget.
func (t *Text) CreateRenderer() fyne.WidgetRenderer {
	r := &textRenderer{t: t}
	r.Refresh()
	return r
}

type textRenderer struct {
	t     *Text
	lines []*canvas.Text
}

// MinSize asks for one line up to preferredWrapEms wide, and for the
// height the words need at the width the text has been given.
func (r *textRenderer) MinSize() fyne.Size {
	if r.t.Text == "" || r.t.gaveWay {
		return fyne.Size{}
	}
	size, style := r.t.font()
	natural := textExtent(wrapLines(r.t.Text, size*preferredWrapEms, size, style), size, style)
	lines := wrapLines(r.t.Text, r.t.wrapWidth(), size, style)
	return fyne.NewSize(max(widestWord(r.t.Text, size, style), natural.Width), float32(len(lines))*lineHeight(size, style))
}

func (r *textRenderer) Layout(size fyne.Size) {
	r.build()
	fs, style := r.t.font()
	h := lineHeight(fs, style)
	for i, l := range r.lines {
		l.Move(fyne.NewPos(0, float32(i)*h))
		l.Resize(fyne.NewSize(size.Width, h))
	}
}

// build makes one canvas.Text a line for the current width and theme;
// a right-to-left paragraph's lines are in visual order and aligned from
// the right.
func (r *textRenderer) build() {
	fs, style := r.t.font()
	words := shownLines(r.t.Text, r.t.wrapWidth(), fs, style)
	if r.t.Text == "" || r.t.gaveWay {
		words = nil
	}
	c := r.t.Theme().Color(r.t.colour(), fyne.CurrentApp().Settings().ThemeVariant())
	for len(r.lines) < len(words) {
		r.lines = append(r.lines, canvas.NewText("", c))
	}
	r.lines = r.lines[:len(words)]
	for i, w := range words {
		l := r.lines[i]
		l.Text, l.Color, l.TextSize, l.TextStyle, l.Alignment = w.text, c, fs, style, alignFor(r.t.Align, w.rtl)
	}
}

func (r *textRenderer) Refresh() {
	r.build()
	r.Layout(r.t.Size())
	for _, l := range r.lines {
		l.Refresh()
	}
}

func (r *textRenderer) Objects() []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, len(r.lines))
	for i, l := range r.lines {
		out[i] = l
	}
	return out
}

func (r *textRenderer) Destroy() {}
