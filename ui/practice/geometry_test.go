package practice

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	uitheme "gpkiosk/ui/theme"
	"gpkiosk/ui/widgets"
)

// layouts are the windows and display settings each step is checked at:
// the kiosk's three screens at A++ (where room runs out first), A at the
// smallest and the portrait screen (where the panel's words sit beside
// its buttons, or grow), and high contrast (heavier borders) at the
// tightest. Every combination was checked when this was written; this
// subset keeps the test within minutes under the race detector.
var layouts = []struct {
	size fyne.Size
	set  uitheme.Settings
}{
	{fyne.NewSize(1024, 768), uitheme.Settings{}},
	{fyne.NewSize(1024, 768), uitheme.Settings{Size: uitheme.SizeLarger}},
	{fyne.NewSize(1024, 768), uitheme.Settings{Size: uitheme.SizeLarger, HighContrast: true}},
	{fyne.NewSize(1280, 1024), uitheme.Settings{Size: uitheme.SizeLarger}},
	{fyne.NewSize(1080, 1920), uitheme.Settings{}},
	{fyne.NewSize(1080, 1920), uitheme.Settings{Size: uitheme.SizeLarger}},
}

type leaf struct {
	what    string
	pos     fyne.Position
	size    fyne.Size
	control bool
}

// problems lists what a finger or an eye would trip over in content shown
// in a window of size win: a control or words outside the window, a
// control smaller than a finger, things lying on top of each other, words
// cut off.
func problems(content fyne.CanvasObject, win fyne.Size) []string {
	var out []string
	var leaves []leaf
	widgets.Walk(content, func(o fyne.CanvasObject, at fyne.Position) bool {
		switch w := o.(type) {
		case *widgets.Text:
			if strings.TrimSpace(w.Text) != "" {
				if !w.Whole() {
					out = append(out, fmt.Sprintf("text %q is cut off", w.Text))
				}
				leaves = append(leaves, leaf{what: "text " + w.Text, pos: at, size: w.Size()})
			}
		case *widgets.Button:
			if !w.Whole() {
				out = append(out, fmt.Sprintf("button %q is cut off", w.Text))
			}
			leaves = append(leaves, leaf{what: "button " + w.Text, pos: at, size: w.Size(), control: true})
		case interface{ LabelSize() float32 }:
			leaves = append(leaves, leaf{what: "key", pos: at, size: o.Size(), control: true})
		}
		return true
	})
	const slack = 0.5
	for i, l := range leaves {
		if l.pos.X < -slack || l.pos.Y < -slack || l.pos.X+l.size.Width > win.Width+slack || l.pos.Y+l.size.Height > win.Height+slack {
			out = append(out, fmt.Sprintf("%s at %v size %v is not wholly inside the window", l.what, l.pos, l.size))
		}
		if l.control && (l.size.Width < widgets.MinTouchTarget-slack || l.size.Height < widgets.MinTouchTarget-slack) {
			out = append(out, fmt.Sprintf("%s is %v, smaller than a finger", l.what, l.size))
		}
		for _, m := range leaves[i+1:] {
			w := min(l.pos.X+l.size.Width, m.pos.X+m.size.Width) - max(l.pos.X, m.pos.X)
			h := min(l.pos.Y+l.size.Height, m.pos.Y+m.size.Height) - max(l.pos.Y, m.pos.Y)
			if w > 2 && h > 2 {
				out = append(out, fmt.Sprintf("%s overlaps %s", l.what, m.what))
			}
		}
	}
	return out
}

// Every step of every lesson, with its panel, fits each kiosk screen at
// every text size in both themes: the kiosk's own screens fit without the
// panel (ui/kiosk's geometry test), and the panel must not break that.
func TestEveryLessonStepFits(t *testing.T) {
	h := newHarness(t)
	h.s.cfg.Display.Set(uitheme.Settings{})
	for _, l := range h.s.Lessons() {
		clear(h.s.chosen)
		h.s.chosen[l.ID] = true
		h.s.startLessons()
		h.waitFor("setup", func() bool { return !h.s.Coach().Playing() })
		for i := range l.Steps {
			for _, at := range layouts {
				h.s.cfg.Display.Set(at.set)
				h.win.Resize(at.size.SubtractWidthHeight(1, 1))
				h.win.Resize(at.size)
				h.s.Coach().Check()
				ps := problems(h.win.Canvas().Content(), at.size)
				if len(ps) > 2 {
					ps = append(ps[:2], fmt.Sprintf("and %d more", len(ps)-2))
				}
				for _, p := range ps {
					t.Errorf("%s step %d at %vx%v text %d hc %v: %s", l.ID, i+1, at.size.Width, at.size.Height, at.set.Size, at.set.HighContrast, p)
				}
			}
			h.s.cfg.Display.Set(uitheme.Settings{})
			tapPanel(h, "Show me", "Next step")
			h.waitFor("the step done", func() bool { return h.step() > i || h.s.Coach().Finished() })
		}
	}
}
