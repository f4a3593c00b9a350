package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keyButton is one key of a Keypad: never smaller than MinTouchTarget,
// pressed by a tap, or by Space or Enter when it has keyboard focus.
//
// It draws its own label at its own size rather than wrapping a
// widget.Button in container.NewThemeOverride for big text: Fyne 2.7
// keeps a separate font cache for every theme override and never frees
// it, which cost over 200 MB for the sign-in screen's 38 keys (measured by
// BenchmarkRSSAfterBookingFlows in cmd/gpkiosk).
type keyButton struct {
	widget.BaseWidget

	Text     string
	OnTapped func()

	press
	scale float32 // text size as a multiple of the theme's; 0 means 1
	drawn float32 // label size at the last layout
	words         // Msg, for a word key ("Delete") in the patient's language
}

func newKeyButton(label string, tapped func()) *keyButton {
	b := &keyButton{Text: label, OnTapped: tapped}
	b.ExtendBaseWidget(b)
	b.press = press{redraw: b.Refresh, do: func() {
		if b.OnTapped != nil {
			b.OnTapped()
		}
	}}
	return b
}

// CreateRenderer is part of fyne.Widget.
func (b *keyButton) CreateRenderer() fyne.WidgetRenderer {
	r := &keyRenderer{b: b, bg: canvas.NewRectangle(nil), ring: canvas.NewRectangle(nil), label: canvas.NewText(b.Text, nil)}
	r.label.Alignment = fyne.TextAlignCenter
	r.label.TextStyle = fyne.TextStyle{Bold: true}
	r.Refresh()
	return r
}

type keyRenderer struct {
	b     *keyButton
	bg    *canvas.Rectangle
	ring  *canvas.Rectangle
	label *canvas.Text
}

// textSize is the label's size: the theme's (times scale for a single
// character), made smaller when a key shrunk to fit the screen would cut
// the label off.
func (r *keyRenderer) textSize(size fyne.Size) float32 {
	scale := r.b.scale
	if scale == 0 {
		scale = 1
	}
	r.b.resolve(&r.b.Text, r.b.Theme())
	ts := r.b.Theme().Size(theme.SizeNameText) * scale
	if size.Height > 0 {
		ts = min(ts, size.Height*0.5)
	}
	if size.Width > 0 {
		room := size.Width - 2*keyLabelMargin
		if w := fyne.MeasureText(r.b.Text, ts, r.label.TextStyle).Width; w > room {
			ts *= room / w
		}
	}
	return ts
}

// keyLabelMargin keeps a key's label off its edges.
const keyLabelMargin = 6

func (r *keyRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.bg.Move(fyne.NewPos(0, 0))
	out := float32(focusRingGap + focusRingWidth)
	r.ring.Move(fyne.NewPos(-out, -out))
	r.ring.Resize(fyne.NewSize(size.Width+2*out, size.Height+2*out))
	r.label.TextSize = r.textSize(size)
	r.b.drawn = r.label.TextSize
	m := r.label.MinSize()
	r.label.Resize(fyne.NewSize(size.Width, m.Height))
	r.label.Move(fyne.NewPos(0, (size.Height-m.Height)/2))
}

func (r *keyRenderer) MinSize() fyne.Size {
	return fyne.NewSquareSize(MinTouchTarget)
}

// LabelSize is the size the key's label was last drawn at: smaller than
// the theme's text when the key had to shrink to fit the screen. The
// kiosk's geometry test checks it stays readable.
func (b *keyButton) LabelSize() float32 { return b.drawn }

// Refresh reads the theme every time, so the text-size and contrast
// switches apply to keys already on screen. Keys have a border in the
// text colour, so each key stands out from the background in every theme,
// and a solid ring when focused.
func (r *keyRenderer) Refresh() {
	th := r.b.Theme()
	r.b.resolve(&r.b.Text, th)
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.bg.FillColor = th.Color(theme.ColorNameButton, v)
	if r.b.hovered {
		r.bg.FillColor = blend(th.Color(theme.ColorNameHover, v), r.bg.FillColor)
	}
	r.bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.bg.StrokeColor = th.Color(theme.ColorNameForeground, v)
	r.bg.StrokeWidth = borderWidth
	r.ring.FillColor = color.Transparent
	r.ring.StrokeColor = th.Color(theme.ColorNameForeground, v)
	r.ring.StrokeWidth = 0
	if r.b.focused {
		r.ring.StrokeWidth = focusRingWidth
	}
	r.ring.CornerRadius = r.bg.CornerRadius + focusRingGap + focusRingWidth
	r.label.Text = r.b.Text
	r.label.Color = th.Color(theme.ColorNameForeground, v)
	r.Layout(r.b.Size())
	r.ring.Refresh()
	r.bg.Refresh()
	r.label.Refresh()
}

func (r *keyRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.ring, r.bg, r.label}
}

func (r *keyRenderer) Destroy() {}
