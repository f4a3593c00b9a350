package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Field shows what the patient has typed on an on-screen keypad in a
// bordered box, like an entry, so they can see where their typing will go
// before they type.
type Field struct {
	widget.BaseWidget
	text *Text
}

// NewField shows typed in a box; typed is usually a TextTyped Text.
func NewField(typed *Text) *Field {
	f := &Field{text: typed}
	f.ExtendBaseWidget(f)
	return f
}

// CreateRenderer is part of fyne.Widget.
func (f *Field) CreateRenderer() fyne.WidgetRenderer {
	r := &fieldRenderer{f: f, box: canvas.NewRectangle(nil)}
	r.Refresh()
	return r
}

type fieldRenderer struct {
	f   *Field
	box *canvas.Rectangle
}

func (r *fieldRenderer) pad() float32 { return r.f.Theme().Size(theme.SizeNamePadding) }

func (r *fieldRenderer) Layout(size fyne.Size) {
	r.box.Resize(size)
	p := r.pad()
	r.f.text.Move(fyne.NewPos(p, p))
	r.f.text.Resize(fyne.NewSize(size.Width-2*p, size.Height-2*p))
}

func (r *fieldRenderer) MinSize() fyne.Size {
	p := r.pad()
	size, style := r.f.text.font()
	m := r.f.text.MinSize()
	return fyne.NewSize(m.Width+2*p, max(m.Height, lineHeight(size, style))+2*p)
}

func (r *fieldRenderer) Refresh() {
	th := r.f.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.box.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.box.StrokeColor = th.Color(theme.ColorNameInputBorder, v)
	r.box.StrokeWidth = 3
	r.box.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.box.Refresh()
	r.f.text.Refresh()
}

func (r *fieldRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.box, r.f.text} }

func (r *fieldRenderer) Destroy() {}
