package manager

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/ui/report"
)

// series is one row of figures drawn in one of the theme's colours, so
// the chart reads in the high-contrast theme as in the normal one.
type series struct {
	name   string
	values []float64
	color  fyne.ThemeColorName
}

// chart is a grouped bar chart, or with line set a trend line, of figures
// by month, with its axes labelled and a key of its colours. It is drawn
// from fyne's canvas primitives; the same figures are in the table below
// it for screen readers and print.
type chart struct {
	widget.BaseWidget
	labels []string // one per month, under the x axis
	series []series
	line   bool   // a trend line instead of bars
	unit   string // after each y axis number, such as "%"
	axis   report.Axis
	// reference, when not 0, is a level drawn across the plot and named
	// by refName (the national commitment on the trend line).
	reference float64
	refName   string
}

func newChart(labels []string, ss []series, line bool, unit string) *chart {
	c := &chart{labels: labels, series: ss, line: line, unit: unit}
	c.setAxis()
	c.ExtendBaseWidget(c)
	return c
}

// withReference draws a level across the chart, named, and makes sure the
// axis reaches it.
func (c *chart) withReference(level float64, name string) *chart {
	c.reference, c.refName = level, name
	c.setAxis()
	return c
}

// setAxis runs the y axis from 0 to a round number at or above the
// largest figure (and the reference), as the PDF report's charts do.
func (c *chart) setAxis() {
	most := c.reference
	for _, s := range c.series {
		for _, v := range s.values {
			most = max(most, v)
		}
	}
	c.axis = report.NiceAxis(most, 4, !c.line)
}

func (c *chart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c}
	r.build()
	return r
}

type chartRenderer struct {
	c       *chart
	axes    [2]*canvas.Line
	grid    []*canvas.Line
	yLabels []*canvas.Text
	xLabels []*canvas.Text
	bars    [][]*canvas.Rectangle // by series, by month
	lines   [][]*canvas.Line
	points  [][]*canvas.Circle
	ref     *canvas.Line
	refText *canvas.Text
	swatch  []*canvas.Rectangle
	key     []*canvas.Text
	objects []fyne.CanvasObject
}

func (r *chartRenderer) build() {
	c := r.c
	for i := range r.axes {
		r.axes[i] = canvas.NewLine(nil)
		r.objects = append(r.objects, r.axes[i])
	}
	for _, v := range c.axis.Ticks {
		t := canvas.NewText(c.axis.Label(v)+c.unit, nil)
		t.Alignment = fyne.TextAlignTrailing
		g := canvas.NewLine(nil)
		r.yLabels, r.grid = append(r.yLabels, t), append(r.grid, g)
		r.objects = append(r.objects, g, t)
	}
	for _, l := range c.labels {
		t := canvas.NewText(l, nil)
		t.Alignment = fyne.TextAlignCenter
		r.xLabels = append(r.xLabels, t)
		r.objects = append(r.objects, t)
	}
	for _, s := range c.series {
		if c.line {
			var ls []*canvas.Line
			var ps []*canvas.Circle
			for i := range s.values {
				if i > 0 {
					l := canvas.NewLine(nil)
					ls = append(ls, l)
					r.objects = append(r.objects, l)
				}
				p := canvas.NewCircle(nil)
				ps = append(ps, p)
				r.objects = append(r.objects, p)
			}
			r.lines, r.points = append(r.lines, ls), append(r.points, ps)
		} else {
			var bs []*canvas.Rectangle
			for range s.values {
				b := canvas.NewRectangle(nil)
				bs = append(bs, b)
				r.objects = append(r.objects, b)
			}
			r.bars = append(r.bars, bs)
		}
		sw := canvas.NewRectangle(nil)
		k := canvas.NewText(s.name, nil)
		r.swatch, r.key = append(r.swatch, sw), append(r.key, k)
		r.objects = append(r.objects, sw, k)
	}
	if c.reference > 0 {
		r.ref = canvas.NewLine(nil)
		r.refText = canvas.NewText(c.refName, nil)
		r.refText.Alignment = fyne.TextAlignTrailing
		r.objects = append(r.objects, r.ref, r.refText)
	}
	r.Refresh()
}

func (r *chartRenderer) textSize() float32 { return theme.CaptionTextSize() }

func (r *chartRenderer) MinSize() fyne.Size {
	ts := theme.TextSize()
	return fyne.NewSize(16*ts, 11*ts)
}

func (r *chartRenderer) Layout(size fyne.Size) {
	c, pad, ts := r.c, theme.Padding(), r.textSize()
	lineH := fyne.MeasureText("0", ts, fyne.TextStyle{}).Height

	// The key along the top, wrapping onto more lines if need be.
	x, y := float32(0), float32(0)
	for i, k := range r.key {
		w := lineH + pad + fyne.MeasureText(k.Text, ts, fyne.TextStyle{}).Width
		if x > 0 && x+w > size.Width {
			x, y = 0, y+lineH+pad
		}
		r.swatch[i].Move(fyne.NewPos(x, y+lineH*0.15))
		r.swatch[i].Resize(fyne.NewSquareSize(lineH * 0.7))
		k.Move(fyne.NewPos(x+lineH+pad/2, y))
		k.Resize(fyne.NewSize(w, lineH))
		x += w + 3*pad
	}
	top := y + lineH + 2*pad

	var left float32
	for _, t := range r.yLabels {
		left = max(left, fyne.MeasureText(t.Text, ts, fyne.TextStyle{}).Width)
	}
	left += pad
	bottom := size.Height - lineH - pad
	plotW, plotH := size.Width-left-pad, bottom-top
	if plotW <= 0 || plotH <= 0 {
		return
	}
	yAt := func(v float64) float32 { return bottom - plotH*float32(c.axis.Fraction(v)) }

	r.axes[0].Position1, r.axes[0].Position2 = fyne.NewPos(left, top), fyne.NewPos(left, bottom)
	r.axes[1].Position1, r.axes[1].Position2 = fyne.NewPos(left, bottom), fyne.NewPos(size.Width, bottom)
	for i, t := range r.yLabels {
		yy := yAt(c.axis.Ticks[i])
		t.Move(fyne.NewPos(0, yy-lineH/2))
		t.Resize(fyne.NewSize(left-pad, lineH))
		r.grid[i].Position1, r.grid[i].Position2 = fyne.NewPos(left, yy), fyne.NewPos(size.Width, yy)
	}
	if r.ref != nil {
		yy := yAt(c.reference)
		r.ref.Position1, r.ref.Position2 = fyne.NewPos(left, yy), fyne.NewPos(size.Width, yy)
		// Under the line: the trend it is read against is meant to be above it.
		r.refText.Move(fyne.NewPos(left, yy+pad/4))
		r.refText.Resize(fyne.NewSize(size.Width-left-pad, lineH))
	}
	n := len(c.labels)
	if n == 0 {
		return
	}
	slot := plotW / float32(n)
	// Label every month if they fit, else every other one.
	every := 1
	if fyne.MeasureText("May 26", ts, fyne.TextStyle{}).Width > slot-pad {
		every = 2
	}
	for i, t := range r.xLabels {
		t.Move(fyne.NewPos(left+slot*float32(i), bottom+pad/2))
		t.Resize(fyne.NewSize(slot, lineH))
		if i%every == 0 {
			t.Show()
		} else {
			t.Hide()
		}
	}
	if c.line {
		dot := max(pad, 6)
		for si, s := range c.series {
			var prev fyne.Position
			for i, v := range s.values {
				p := fyne.NewPos(left+slot*(float32(i)+0.5), yAt(v))
				r.points[si][i].Move(p.SubtractXY(dot/2, dot/2))
				r.points[si][i].Resize(fyne.NewSquareSize(dot))
				if i > 0 {
					r.lines[si][i-1].Position1, r.lines[si][i-1].Position2 = prev, p
				}
				prev = p
			}
		}
		return
	}
	groupW := slot * 0.8
	barW := groupW / float32(max(len(c.series), 1))
	for si, s := range c.series {
		for i, v := range s.values {
			h := bottom - yAt(v)
			b := r.bars[si][i]
			b.Move(fyne.NewPos(left+slot*float32(i)+slot*0.1+barW*float32(si), bottom-h))
			b.Resize(fyne.NewSize(max(barW-1, 1), h))
		}
	}
}

// Refresh takes the theme's colours and sizes again, so switching to high
// contrast or A++ redraws the chart in them.
func (r *chartRenderer) Refresh() {
	fg := theme.Color(theme.ColorNameForeground)
	sep := theme.Color(theme.ColorNameSeparator)
	ts := r.textSize()
	for _, a := range r.axes {
		a.StrokeColor, a.StrokeWidth = fg, 2
	}
	for _, g := range r.grid {
		g.StrokeColor, g.StrokeWidth = sep, 1
	}
	if r.ref != nil {
		r.ref.StrokeColor, r.ref.StrokeWidth = fg, 1
		r.refText.Color, r.refText.TextSize = fg, ts
	}
	for _, group := range [][]*canvas.Text{r.yLabels, r.xLabels, r.key} {
		for _, t := range group {
			t.Color, t.TextSize = fg, ts
		}
	}
	for si, s := range r.c.series {
		col := theme.Color(s.color)
		r.swatch[si].FillColor = col
		if r.c.line {
			for _, l := range r.lines[si] {
				l.StrokeColor, l.StrokeWidth = col, 3
			}
			for _, p := range r.points[si] {
				p.FillColor = col
			}
		} else {
			for _, b := range r.bars[si] {
				b.FillColor = col
			}
		}
	}
	r.Layout(r.c.Size())
	for _, o := range r.objects {
		o.Refresh()
	}
}

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *chartRenderer) Destroy()                     {}
