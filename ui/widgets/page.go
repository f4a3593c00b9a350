package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// columnEms is the widest the kiosk's column of words and buttons grows, in
// multiples of the text size: lines longer than this are hard to follow.
const columnEms = 34

// NewPage lays out one kiosk screen in a centred column: header at the top,
// footer at the bottom, and body taking all the room in between. Nothing
// scrolls: a touchscreen under Fyne's desktop driver cannot drag, so the
// body must fit (a Keypad shrinks its keys, a Pager pages). The page asks
// for almost no minimum size, so a screen can never make the window grow.
func NewPage(header []fyne.CanvasObject, body fyne.CanvasObject, footer []fyne.CanvasObject) *fyne.Container {
	l := &pageLayout{header: len(header), footer: len(footer), hasBody: body != nil}
	objs := append([]fyne.CanvasObject{}, header...)
	if body != nil {
		objs = append(objs, body)
	}
	objs = append(objs, footer...)
	return container.New(l, objs...)
}

// NewRow puts buttons side by side in equal columns, for a screen's footer.
func NewRow(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&rowLayout{}, objs...)
}

type pageLayout struct {
	header, footer int
	hasBody        bool
}

// gap is the space between a page's parts: small, because at A++ on a
// 1024x768 screen every pixel of height is needed, and the controls
// themselves are large.
func gap() float32 { return fyne.CurrentApp().Settings().Theme().Size(theme.SizeNamePadding) * 1.5 }

// column is the width of the column in a page of the given width.
func column(width float32) float32 {
	th := fyne.CurrentApp().Settings().Theme()
	return min(width-2*gap(), th.Size(theme.SizeNameText)*columnEms)
}

// fitHeight gives o the width w and returns the height it then needs;
// wrapped text only knows its height once it has its width.
func fitHeight(o fyne.CanvasObject, w float32) float32 {
	o.Resize(fyne.NewSize(w, o.Size().Height))
	h := o.MinSize().Height
	o.Resize(fyne.NewSize(w, h))
	return o.MinSize().Height
}

// need is the height the page's parts need at width w with gaps of g.
func (l *pageLayout) need(objs []fyne.CanvasObject, w, g float32) float32 {
	h := g
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		if l.hasBody && i == l.header {
			h += o.MinSize().Height + g
			continue
		}
		h += fitHeight(o, w) + g
	}
	return h
}

// fit makes room when the page is short of it (A++ on a 1024x768 screen,
// a lesson's panel below): first the gaps close up, then the header's
// plain instructions give way, so the keys and buttons keep their size
// and nothing lies on top of anything. The heading, what was typed and
// any refusal always stay. It returns the gap to use.
func (l *pageLayout) fit(objs []fyne.CanvasObject, w, height float32) float32 {
	var hints []*Text
	for _, o := range objs[:l.header] {
		if t, ok := o.(*Text); ok && t.Role == TextBody {
			t.giveWay(false)
			hints = append(hints, t)
		}
	}
	g := gap()
	if l.need(objs, w, g) <= height {
		return g
	}
	g = tightGap()
	for i := len(hints) - 1; i >= 0 && l.need(objs, w, g) > height; i-- {
		hints[i].giveWay(true)
	}
	return g
}

// tightGap is the gap on a page short of room.
func tightGap() float32 {
	return fyne.CurrentApp().Settings().Theme().Size(theme.SizeNamePadding) * 0.5
}

func (l *pageLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := column(size.Width)
	g := l.fit(objs, w, size.Height)
	x := (size.Width - w) / 2
	y := g
	for _, o := range objs[:l.header] {
		if !o.Visible() {
			continue
		}
		h := fitHeight(o, w)
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(w, h))
		y += h + g
	}
	bottom := size.Height - g
	for i := len(objs) - 1; i >= len(objs)-l.footer; i-- {
		o := objs[i]
		if !o.Visible() {
			continue
		}
		h := fitHeight(o, w)
		bottom -= h
		o.Move(fyne.NewPos(x, bottom))
		o.Resize(fyne.NewSize(w, h))
		bottom -= g
	}
	if l.hasBody {
		body := objs[l.header]
		body.Move(fyne.NewPos(x, y))
		body.Resize(fyne.NewSize(w, max(bottom-y, 0)))
	}
}

func (l *pageLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSquareSize(MinTouchTarget)
}

// rowLayout shares the width equally and gives every object the height of
// the tallest.
type rowLayout struct{}

func visible(objs []fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for _, o := range objs {
		if o.Visible() {
			out = append(out, o)
		}
	}
	return out
}

func (rowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	shown := visible(objs)
	if len(shown) == 0 {
		return
	}
	g := gap()
	w := (size.Width - g*float32(len(shown)-1)) / float32(len(shown))
	var h float32
	for _, o := range shown {
		h = max(h, fitHeight(o, w))
	}
	for i, o := range shown {
		o.Move(fyne.NewPos(float32(i)*(w+g), 0))
		o.Resize(fyne.NewSize(w, h))
	}
}

func (rowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var out fyne.Size
	shown := visible(objs)
	for _, o := range shown {
		m := o.MinSize()
		out.Width += m.Width
		out.Height = max(out.Height, m.Height)
	}
	if len(shown) > 1 {
		out.Width += gap() * float32(len(shown)-1)
	}
	return out
}

// NewColumn stacks objects top to bottom at the column's full width, each
// as tall as its words need at that width: one item of a Pager made of
// several parts (an appointment and its Cancel button).
func NewColumn(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&columnLayout{}, objs...)
}

type columnLayout struct{}

func (columnLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var y float32
	for _, o := range visible(objs) {
		h := fitHeight(o, size.Width)
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + gap()/2
	}
}

func (columnLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var out fyne.Size
	shown := visible(objs)
	for _, o := range shown {
		m := o.MinSize()
		out.Width = max(out.Width, m.Width)
		out.Height += m.Height
	}
	if len(shown) > 1 {
		out.Height += gap() / 2 * float32(len(shown)-1)
	}
	return out
}
