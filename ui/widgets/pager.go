package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/ui/text"
)

// growMax is the most a Pager adds to each button's height when it has
// room to spare.
const growMax = 24

// Pager shows a list a page at a time, with big "More" and "Back" buttons
// when it does not all fit: the kiosk's answer to a touchscreen that cannot
// scroll. How many items make a page is worked out from the room the pager
// is given, so the same list pages at A++ and fits whole at A.
type Pager struct {
	widget.BaseWidget

	// OnPage runs after the page changes (the kiosk counts it as activity).
	OnPage func()

	items      []fyne.CanvasObject
	page       int
	more, back *Button
	where      *Text
}

// NewPager pages items. moreLabel and backLabel name the buttons in the
// list's own words ("Later times", "Earlier times").
func NewPager(items []fyne.CanvasObject, moreLabel, backLabel text.Message) *Pager {
	p := &Pager{items: items}
	p.ExtendBaseWidget(p)
	p.more = NewButtonOf(moreLabel, func() { p.turn(1) })
	p.back = NewButtonOf(backLabel, func() { p.turn(-1) })
	p.where = NewText("", TextBody)
	return p
}

// NewList pages items with the general "More choices" and "Back" labels.
func NewList(items ...fyne.CanvasObject) *Pager {
	return NewPager(items, text.M(text.PagerMore), text.M(text.PagerBack))
}

// Page is the page shown, counting from 0.
func (p *Pager) Page() int { return p.page }

// MoreButton and BackButton are the paging buttons, for tests.
func (p *Pager) MoreButton() *Button { return p.more }

// BackButton is the button to the previous page.
func (p *Pager) BackButton() *Button { return p.back }

func (p *Pager) turn(by int) {
	p.page += by
	p.Refresh()
	if p.OnPage != nil {
		p.OnPage()
	}
}

// CreateRenderer is part of fyne.Widget.
func (p *Pager) CreateRenderer() fyne.WidgetRenderer { return &pagerRenderer{p: p} }

type pagerRenderer struct{ p *Pager }

// pages splits the items into pages that fit height h at width w, each
// with at least one item. With one page the paging buttons are not needed.
func (r *pagerRenderer) pages(w, h float32) (starts []int, heights []float32, nav float32) {
	g := gap()
	heights = make([]float32, len(r.p.items))
	var total float32
	for i, o := range r.p.items {
		heights[i] = itemHeight(o, w)
		total += heights[i]
	}
	total += g * float32(max(len(r.p.items)-1, 0))
	if total <= h || len(r.p.items) == 1 {
		return []int{0}, heights, 0
	}
	nav = r.navHeight(w)
	room := h - nav - g
	starts = []int{0}
	var used float32
	for i, hi := range heights {
		if used > 0 && used+g+hi > room {
			starts = append(starts, i)
			used = 0
		}
		if used > 0 {
			used += g
		}
		used += hi
	}
	return starts, heights, nav
}

// itemHeight is o's height at width w. A Button, the usual item, is
// measured from its words: a list of a few hundred free times must not
// make a renderer for every button it never shows (each would be kept by
// Fyne's cache for a minute: about 1.5 MB a booking screen).
func itemHeight(o fyne.CanvasObject, w float32) float32 {
	if b, ok := o.(interface{ heightAt(float32) float32 }); ok {
		return b.heightAt(w)
	}
	return fitHeight(o, w)
}

func (r *pagerRenderer) navHeight(w float32) float32 {
	bw := (w - 2*gap()) / 3
	return max(fitHeight(r.p.back, bw), fitHeight(r.p.more, bw))
}

func (r *pagerRenderer) Layout(size fyne.Size) {
	p := r.p
	g := gap()
	starts, heights, nav := r.pages(size.Width, size.Height)
	p.page = min(max(p.page, 0), len(starts)-1)
	first := starts[p.page]
	end := len(p.items)
	if p.page+1 < len(starts) {
		end = starts[p.page+1]
	}
	var block float32
	for i := first; i < end; i++ {
		block += heights[i]
	}
	block += g * float32(max(end-first-1, 0))
	y := float32(0)
	if nav == 0 {
		// Room to spare: bigger buttons are easier to hit, up to a
		// point; what is left over puts the list in the middle.
		if n := end - first; n > 0 && block < size.Height {
			grow := min((size.Height-block)/float32(n), growMax)
			for i := first; i < end; i++ {
				if _, ok := p.items[i].(*Button); ok {
					heights[i] += grow
					block += grow
				}
			}
		}
		y = max((size.Height-block)/2, 0)
	}
	for i, o := range p.items {
		if i < first || i >= end {
			o.Hide()
			continue
		}
		o.Show()
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, heights[i]))
		y += heights[i] + g
	}
	if nav == 0 {
		p.more.Hide()
		p.back.Hide()
		p.where.Hide()
		return
	}
	bw := (size.Width - 2*g) / 3
	top := size.Height - nav
	p.back.Show()
	p.more.Show()
	p.where.Show()
	p.back.Move(fyne.NewPos(0, top))
	p.back.Resize(fyne.NewSize(bw, nav))
	p.more.Move(fyne.NewPos(size.Width-bw, top))
	p.more.Resize(fyne.NewSize(bw, nav))
	p.where.SetMessage(text.M(text.PagerWhere, text.Number(p.page+1), text.Number(len(starts))))
	wh := fitHeight(p.where, bw)
	p.where.Move(fyne.NewPos(bw+g, top+(nav-wh)/2))
	if p.page == 0 {
		p.back.Disable()
	} else {
		p.back.Enable()
	}
	if p.page == len(starts)-1 {
		p.more.Disable()
	} else {
		p.more.Enable()
	}
}

// MinSize is the tallest item, with the paging buttons under it when
// there is more than one item (a page short of room needs to know).
func (r *pagerRenderer) MinSize() fyne.Size {
	var out fyne.Size
	for _, o := range r.p.items {
		m := o.MinSize()
		out.Width = max(out.Width, m.Width)
		out.Height = max(out.Height, m.Height)
	}
	if len(r.p.items) > 1 {
		out.Height += r.navHeight(max(r.p.Size().Width, out.Width)) + gap()
	}
	return out
}

// Refresh lays the page out and redraws what shows: a hidden item is
// redrawn when it is shown, and refreshing it now would only make its
// renderer.
func (r *pagerRenderer) Refresh() {
	r.Layout(r.p.Size())
	for _, o := range r.Objects() {
		if o.Visible() {
			o.Refresh()
		}
	}
}

func (r *pagerRenderer) Objects() []fyne.CanvasObject {
	return append(append([]fyne.CanvasObject{}, r.p.items...), r.p.back, r.p.where, r.p.more)
}

func (r *pagerRenderer) Destroy() {}
