package manager

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// guessWidth is the width a layout measures its rows at before it is
// first laid out: the desk's body at 1366 wide. The desk lays the frame
// out again once it knows.
const guessWidth = 1300

// columns lays its objects out in as many equal columns as fit the width
// with each at least minWidth text-heights wide, row by row, each row as
// tall as its tallest. Its minimum width is one column, so it never
// widens the window at A++; it asks for the height it last needed.
type columns struct {
	minWidth float32 // in text sizes, so columns narrow as text grows
	lastW    float32
}

func (l *columns) count(width float32) int {
	w := l.minWidth * theme.TextSize()
	return max(1, int((width+theme.Padding())/(w+theme.Padding())))
}

func (l *columns) rows(objects []fyne.CanvasObject, cols int, width float32) []float32 {
	pad := theme.Padding()
	colW := (width - float32(cols-1)*pad) / float32(cols)
	var hs []float32
	for i, o := range objects {
		if i%cols == 0 {
			hs = append(hs, 0)
		}
		// A wrapping label's height depends on its width: measure it there.
		o.Resize(fyne.NewSize(colW, o.MinSize().Height))
		hs[len(hs)-1] = max(hs[len(hs)-1], o.MinSize().Height)
	}
	return hs
}

func (l *columns) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objects {
		w = max(w, o.MinSize().Width)
	}
	width := max(l.lastW, w)
	if l.lastW == 0 {
		width = max(guessWidth, w) // before the first layout: the desk's usual body
	}
	cols := l.count(width)
	var h float32
	for i, rh := range l.rows(objects, cols, width) {
		if i > 0 {
			h += theme.Padding()
		}
		h += rh
	}
	return fyne.NewSize(w, h)
}

func (l *columns) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	l.lastW = size.Width
	pad := theme.Padding()
	cols := l.count(size.Width)
	colW := (size.Width - float32(cols-1)*pad) / float32(cols)
	hs := l.rows(objects, cols, size.Width)
	var y float32
	for i, o := range objects {
		r, c := i/cols, i%cols
		if c == 0 && r > 0 {
			y += hs[r-1] + pad
		}
		o.Move(fyne.NewPos(float32(c)*(colW+pad), y))
		o.Resize(fyne.NewSize(colW, hs[r]))
	}
}

// table lays out cells row by row in len(weights) columns, each column's
// share of the width in proportion to its weight, each row as tall as its
// tallest cell (cells wrap). The numbers are labels, so screen readers
// and print read them in order.
type table struct {
	weights []float32
	lastW   float32
}

func (t *table) widths(width float32) []float32 {
	var total float32
	for _, w := range t.weights {
		total += w
	}
	pad := theme.Padding()
	free := width - float32(len(t.weights)-1)*pad
	out := make([]float32, len(t.weights))
	for i, w := range t.weights {
		out[i] = free * w / total
	}
	return out
}

func (t *table) heights(objects []fyne.CanvasObject, ws []float32) []float32 {
	n := len(ws)
	var hs []float32
	for i, o := range objects {
		if i%n == 0 {
			hs = append(hs, 0)
		}
		o.Resize(fyne.NewSize(ws[i%n], o.MinSize().Height))
		hs[len(hs)-1] = max(hs[len(hs)-1], o.MinSize().Height)
	}
	return hs
}

func (t *table) MinSize(objects []fyne.CanvasObject) fyne.Size {
	if len(objects) == 0 {
		return fyne.Size{}
	}
	// At least a little room for each column, never the whole text.
	minW := float32(len(t.weights)) * 2 * theme.TextSize()
	width := max(t.lastW, minW)
	if t.lastW == 0 {
		width = max(guessWidth, minW)
	}
	var h float32
	for _, rh := range t.heights(objects, t.widths(width)) {
		h += rh
	}
	return fyne.NewSize(minW, h)
}

func (t *table) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	t.lastW = size.Width
	ws := t.widths(size.Width)
	hs := t.heights(objects, ws)
	n := len(ws)
	var x, y float32
	for i, o := range objects {
		c := i % n
		if c == 0 {
			x = 0
			if i > 0 {
				y += hs[i/n-1]
			}
		}
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(ws[c], hs[i/n]))
		x += ws[c] + theme.Padding()
	}
}
