package widgets

import (
	"strings"

	"fyne.io/fyne/v2"
	"golang.org/x/text/unicode/bidi"
)

// Fyne 2.7's painter lays every line out left to right: it shapes each
// run of a script in its own direction (so Arabic letters join) but puts
// the runs down in the order they are stored. An Urdu or Arabic sentence
// with a time, a number or a Latin name in it then comes out with its
// pieces in the wrong order. The kiosk wraps its own text line by line, so
// it fixes each line at that one point: wrap in reading (logical) order,
// then store the line's runs in the order the eye meets them from the left
// and let Fyne draw them as they come.

const (
	lrm = "\u200e" // left-to-right mark: a boundary Fyne will not reorder across
	rlm = "\u200f" // right-to-left mark: keeps a run's edge spaces inside it
)

// shownLine is one line as it is drawn, and whether its paragraph reads
// right to left (so it is aligned from the right).
type shownLine struct {
	text string
	rtl  bool
}

// shownLines wraps s as wrapLines does, then readies each line of a
// right-to-left paragraph for Fyne's painter. Left-to-right paragraphs
// come back exactly as wrapLines gives them.
func shownLines(s string, width, size float32, style fyne.TextStyle) []shownLine {
	var out []shownLine
	for _, para := range strings.Split(s, "\n") {
		rtl := rightToLeft(para)
		for _, l := range wrapParagraph(para, width, size, style) {
			if rtl {
				l = visualOrder(l)
			}
			out = append(out, shownLine{text: l, rtl: rtl})
		}
	}
	return out
}

// rightToLeft reports whether a paragraph reads right to left: its first
// letter with a direction of its own is Arabic or Hebrew script (Unicode's
// bidi rules P2 and P3). Text decides, not the chosen language, so an
// English name or a refusal in English stays left to right on an Urdu
// screen, and Urdu shows right to left wherever it appears.
func rightToLeft(para string) bool {
	for _, r := range para {
		p, _ := bidi.LookupRune(r)
		switch p.Class() {
		case bidi.L:
			return false
		case bidi.R, bidi.AL:
			return true
		}
	}
	return false
}

// visualOrder returns one line of a right-to-left paragraph with its runs
// from left to right as they are seen: the runs' order reversed, each
// right-to-left run between RLMs (so the spaces at its edges stay with it
// and Fyne shapes it right to left) and runs joined by LRMs (so Fyne keeps
// them apart and in this order). Without explicit embedding marks, which
// the kiosk's text never has, levels go no deeper than 2 (left-to-right
// text and numbers inside right-to-left), where reversing the runs is
// exactly Unicode's reordering rule L2.
//
// x/text calls its result an Ordering, but its runs are in logical order.
func visualOrder(line string) string {
	var p bidi.Paragraph
	if _, err := p.SetString(line, bidi.DefaultDirection(bidi.RightToLeft)); err != nil {
		return line // unchanged is still readable; the letters still join
	}
	o, err := p.Order()
	if err != nil {
		return line
	}
	var b strings.Builder
	b.WriteString(lrm)
	for i := o.NumRuns() - 1; i >= 0; i-- {
		r := o.Run(i)
		if r.Direction() == bidi.RightToLeft {
			b.WriteString(rlm + r.String() + rlm)
		} else {
			b.WriteString(r.String())
		}
		b.WriteString(lrm)
	}
	return b.String()
}

// alignFor mirrors an alignment for a right-to-left line: its leading
// edge is on the right. Centred text stays centred.
func alignFor(a fyne.TextAlign, rtl bool) fyne.TextAlign {
	if !rtl {
		return a
	}
	switch a {
	case fyne.TextAlignLeading:
		return fyne.TextAlignTrailing
	case fyne.TextAlignTrailing:
		return fyne.TextAlignLeading
	}
	return a
}
