package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	uitheme "gpkiosk/ui/theme"
)

// ButtonKind is how a Button looks.
type ButtonKind int

const (
	// ButtonSecondary is an outlined button: Back, Finished, choices that
	// are not the main action.
	ButtonSecondary ButtonKind = iota
	// ButtonPrimary is filled in the theme's primary colour: the action
	// the screen is for.
	ButtonPrimary
	// ButtonCheck is a choice that can be ticked on and off (a medicine to
	// order). A drawn box shows the tick, so the state never rests on
	// colour alone.
	ButtonCheck
)

// focusRingWidth and focusRingGap draw keyboard focus as a solid ring
// just outside the button, in the text colour, which always contrasts with
// the background (Fyne's own focus is a 1.5:1 tint).
const (
	focusRingWidth = 4
	focusRingGap   = 3
	borderWidth    = 2
	selectedBorder = 5
)

// Button is the kiosk's button: never smaller than MinTouchTarget, its
// label wraps rather than being cut off, and it has a visible border and
// focus ring in every theme. It can be reached with Tab and pressed with
// Space or Enter.
type Button struct {
	widget.DisableableWidget

	Text     string
	Kind     ButtonKind
	OnTapped func()
	// Checked is the tick of a ButtonCheck; Selected marks the current
	// choice of a set (the A, A+, A++ switches) with a heavy border.
	Checked  bool
	Selected bool
	// Status: a button of the status strip, whose words stay at the
	// normal (A) size at A+ and A++, as status text does, so the strip
	// keeps room for the practice's name on a narrow screen.
	Status bool

	press
	words // Msg, when the label is a text.Message (message.go)
}

// NewButton returns a secondary button.
func NewButton(label string, tapped func()) *Button {
	b := &Button{Text: label, OnTapped: tapped}
	b.ExtendBaseWidget(b)
	b.press = press{redraw: b.Refresh, do: func() {
		if !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
	}}
	return b
}

// NewPrimaryButton returns the screen's main action.
func NewPrimaryButton(label string, tapped func()) *Button {
	b := NewButton(label, tapped)
	b.Kind = ButtonPrimary
	return b
}

// NewCheckButton returns a choice that ticks on and off when tapped,
// calling changed with the new state.
func NewCheckButton(label string, changed func(bool)) *Button {
	b := NewButton(label, nil)
	b.Kind = ButtonCheck
	b.OnTapped = func() {
		b.Checked = !b.Checked
		b.Refresh()
		if changed != nil {
			changed(b.Checked)
		}
	}
	return b
}

// SetText changes the label.
func (b *Button) SetText(s string) { b.Msg = nil; b.Text = s; b.Refresh() }

// Whole reports whether every line of the label fits inside the button.
func (b *Button) Whole() bool {
	size, style := b.font()
	room := b.textRoom(b.Size().Width)
	for _, l := range shownLines(b.Text, room, size, style) {
		if fyne.MeasureText(l.text, size, style).Width > room+0.5 {
			return false
		}
	}
	return true
}

// OneLineWidth is how wide the button must be for its label to fit on one
// line.
func (b *Button) OneLineWidth() float32 {
	size, style := b.font()
	w := fyne.MeasureText(b.Text, size, style).Width + 2*b.pad()
	if b.Kind == ButtonCheck {
		w += b.boxSize() + b.pad()
	}
	return w
}

func (b *Button) font() (float32, fyne.TextStyle) {
	b.resolve(&b.Text, b.Theme())
	size := b.Theme().Size(theme.SizeNameText)
	if b.Status {
		size = min(size, theme.DefaultTheme().Size(theme.SizeNameText)*uitheme.TextScale*statusMaxScale)
	}
	return size, fyne.TextStyle{Bold: true}
}

func (b *Button) pad() float32 { return b.Theme().Size(theme.SizeNamePadding) * 2 }

// boxSize is the side of a ButtonCheck's tick box.
func (b *Button) boxSize() float32 {
	size, _ := b.font()
	return size * 1.3
}

// textRoom is how wide the label may be inside a button of width w.
func (b *Button) textRoom(w float32) float32 {
	room := w - 2*b.pad()
	if b.Kind == ButtonCheck {
		room -= b.boxSize() + b.pad()
	}
	return room
}

// CreateRenderer is part of fyne.Widget.
func (b *Button) CreateRenderer() fyne.WidgetRenderer {
	r := &buttonRenderer{b: b, bg: canvas.NewRectangle(color.Transparent), ring: canvas.NewRectangle(color.Transparent),
		box: canvas.NewRectangle(color.Transparent), tick1: canvas.NewLine(color.Transparent), tick2: canvas.NewLine(color.Transparent)}
	r.Refresh()
	return r
}

type buttonRenderer struct {
	b            *Button
	bg, ring     *canvas.Rectangle
	box          *canvas.Rectangle
	tick1, tick2 *canvas.Line
	lines        []*canvas.Text
}

// preferredRoom is how wide a label wraps before any layout has given the
// button a width: one line up to 18 ems.
func (r *buttonRenderer) preferredRoom() float32 {
	size, style := r.b.font()
	return min(fyne.MeasureText(r.b.Text, size, style).Width+1, size*18)
}

// MinSize is the button's own: worked out from its words alone, so a
// Pager can measure a long list of buttons without Fyne making (and
// caching for a minute) a renderer for each one it does not show.
func (b *Button) MinSize() fyne.Size {
	b.ExtendBaseWidget(b)
	return b.minSizeAt(b.Size().Width)
}

// heightAt is the height the button needs at width w, without a renderer.
func (b *Button) heightAt(w float32) float32 { return b.minSizeAt(w).Height }

// minSizeAt asks for one line up to 18 ems wide, and for the height the
// label needs at width cur (the width the button has been given, or none
// yet): asking for the width it has would ratchet narrower each time a
// bigger text size wrapped the label.
func (b *Button) minSizeAt(cur float32) fyne.Size {
	size, style := b.font()
	pad := b.pad()
	room := min(fyne.MeasureText(b.Text, size, style).Width+1, size*18)
	w := max(widestWord(b.Text, size, style), room) + 2*pad
	if b.Kind == ButtonCheck {
		w += b.boxSize() + pad
	}
	if cur > 0 {
		room = b.textRoom(cur)
	}
	lines := wrapLines(b.Text, room, size, style)
	h := float32(len(lines)) * lineHeight(size, style)
	return fyne.NewSize(max(w, MinTouchTarget), max(h+2*pad, MinTouchTarget))
}

func (r *buttonRenderer) MinSize() fyne.Size { return r.b.minSizeAt(r.b.Size().Width) }

func (r *buttonRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.bg.Move(fyne.NewPos(0, 0))
	out := float32(focusRingGap + focusRingWidth)
	r.ring.Move(fyne.NewPos(-out, -out))
	r.ring.Resize(fyne.NewSize(size.Width+2*out, size.Height+2*out))

	pad := r.b.pad()
	left := pad
	r.build(size) // first: it puts a Message's words in the theme's language
	if r.b.Kind == ButtonCheck {
		bs := r.b.boxSize()
		x, y := pad, (size.Height-bs)/2
		if rightToLeft(r.b.Text) {
			// The tick box goes where a right-to-left reader starts.
			x = size.Width - pad - bs
		} else {
			left += bs + pad
		}
		r.box.Move(fyne.NewPos(x, y))
		r.box.Resize(fyne.NewSquareSize(bs))
		r.tick1.Position1, r.tick1.Position2 = fyne.NewPos(x+bs*0.2, y+bs*0.5), fyne.NewPos(x+bs*0.42, y+bs*0.75)
		r.tick2.Position1, r.tick2.Position2 = fyne.NewPos(x+bs*0.42, y+bs*0.75), fyne.NewPos(x+bs*0.82, y+bs*0.25)
	}
	fs, style := r.b.font()
	h := lineHeight(fs, style)
	top := (size.Height - h*float32(len(r.lines))) / 2
	for i, l := range r.lines {
		l.Move(fyne.NewPos(left, top+float32(i)*h))
		l.Resize(fyne.NewSize(r.b.textRoom(size.Width), h))
	}
}

func (r *buttonRenderer) build(size fyne.Size) {
	fs, style := r.b.font()
	words := shownLines(r.b.Text, r.b.textRoom(size.Width), fs, style)
	fg := r.colours()
	for len(r.lines) < len(words) {
		r.lines = append(r.lines, canvas.NewText("", fg))
	}
	r.lines = r.lines[:len(words)]
	align := fyne.TextAlignCenter
	if r.b.Kind == ButtonCheck {
		align = fyne.TextAlignLeading
	}
	for i, w := range words {
		l := r.lines[i]
		l.Text, l.Color, l.TextSize, l.TextStyle, l.Alignment = w.text, fg, fs, style, alignFor(align, w.rtl)
	}
}

// colours paints the background, border, ring and tick for the button's
// state, and returns the label's colour.
func (r *buttonRenderer) colours() color.Color {
	th := r.b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }

	fill, fg, border := c(theme.ColorNameButton), c(theme.ColorNameForeground), c(theme.ColorNameForeground)
	if r.b.Kind == ButtonPrimary {
		fill, fg, border = c(theme.ColorNamePrimary), c(theme.ColorNameForegroundOnPrimary), c(theme.ColorNamePrimary)
	}
	if r.b.Disabled() {
		fill, fg, border = c(theme.ColorNameDisabledButton), c(theme.ColorNameDisabled), c(theme.ColorNameDisabled)
	}
	r.bg.FillColor = fill
	if r.b.hovered && !r.b.Disabled() {
		r.bg.FillColor = blend(c(theme.ColorNameHover), fill)
	}
	r.bg.StrokeColor = border
	r.bg.StrokeWidth = borderWidth
	if r.b.Selected || (r.b.Kind == ButtonCheck && r.b.Checked) {
		r.bg.StrokeWidth = selectedBorder
	}
	r.bg.CornerRadius = th.Size(theme.SizeNameInputRadius)

	r.ring.FillColor = color.Transparent
	r.ring.StrokeColor = c(theme.ColorNameForeground)
	r.ring.StrokeWidth = 0
	if r.b.focused {
		r.ring.StrokeWidth = focusRingWidth
	}
	r.ring.CornerRadius = r.bg.CornerRadius + focusRingGap + focusRingWidth

	r.box.FillColor = c(theme.ColorNameInputBackground)
	r.box.StrokeColor = fg
	r.box.StrokeWidth = 3
	tick := color.Color(color.Transparent)
	if r.b.Checked {
		tick = fg
	}
	r.tick1.StrokeColor, r.tick2.StrokeColor = tick, tick
	r.tick1.StrokeWidth, r.tick2.StrokeWidth = 4, 4
	return fg
}

// blend lays a translucent colour over an opaque one.
func blend(over, under color.Color) color.Color {
	or, og, ob, oa := over.RGBA()
	ur, ug, ub, _ := under.RGBA()
	mix := func(o, u uint32) uint8 { return uint8((o + u*(0xffff-oa)/0xffff) >> 8) }
	return color.NRGBA{R: mix(or, ur), G: mix(og, ug), B: mix(ob, ub), A: 0xff}
}

func (r *buttonRenderer) Refresh() {
	r.Layout(r.b.Size())
	for _, o := range r.Objects() {
		o.Refresh()
	}
}

func (r *buttonRenderer) Objects() []fyne.CanvasObject {
	out := []fyne.CanvasObject{r.ring, r.bg}
	if r.b.Kind == ButtonCheck {
		out = append(out, r.box, r.tick1, r.tick2)
	}
	for _, l := range r.lines {
		out = append(out, l)
	}
	return out
}

func (r *buttonRenderer) Destroy() {}
