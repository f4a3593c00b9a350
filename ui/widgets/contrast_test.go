package widgets

import (
	"fmt"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	uitheme "gpkiosk/ui/theme"
)

// WCAG 2.2 AA: 3:1 for what shows where a control is, its focus and its
// state (1.4.11 non-text contrast); the kiosk holds text to 7:1.
const (
	nonTextContrast = 3
	textContrast    = 7
)

// TestControlsStandOutInBothThemes reads the colours the kiosk's buttons
// and keys really draw, in each theme and state, and checks each against
// what is next to it: the edge of every control against the screen, the
// focus ring against the screen, the tick against its box, the label
// against its fill.
func TestControlsStandOutInBothThemes(t *testing.T) {
	for _, hc := range []bool{false, true} {
		a := test.NewTempApp(t)
		th := uitheme.NewWith(uitheme.Settings{HighContrast: hc})
		a.Settings().SetTheme(th)
		bg := th.Color(theme.ColorNameBackground, theme.VariantLight)
		check := func(what string, min float64, x, y color.Color) {
			t.Helper()
			if r := uitheme.ContrastRatio(x, y); r < min {
				t.Errorf("high contrast %v: %s %.2f:1, want at least %v:1", hc, what, r, min)
			}
		}

		for _, kind := range []ButtonKind{ButtonSecondary, ButtonPrimary, ButtonCheck} {
			b := NewButton("Book an appointment", func() {})
			b.Kind = kind
			b.Checked = kind == ButtonCheck
			w := test.NewTempWindow(t, b)
			w.Resize(fyne.NewSize(400, 120))
			w.Canvas().Focus(b)
			r := test.WidgetRenderer(b).(*buttonRenderer)
			name := fmt.Sprintf("button kind %d", kind)
			// The edge: a border, or the fill itself, against the screen.
			edge := r.bg.StrokeColor
			if r.bg.StrokeWidth == 0 {
				edge = r.bg.FillColor
			}
			check(name+" edge against the screen", nonTextContrast, edge, bg)
			check(name+" focus ring against the screen", nonTextContrast, r.ring.StrokeColor, bg)
			if r.ring.StrokeWidth < 2 {
				t.Errorf("%s: focus ring %v px wide", name, r.ring.StrokeWidth)
			}
			check(name+" label against its fill", textContrast, r.lines[0].Color, r.bg.FillColor)
			if kind == ButtonCheck {
				check("tick against its box", nonTextContrast, r.tick1.StrokeColor, r.box.FillColor)
				check("tick box edge against the button", nonTextContrast, r.box.StrokeColor, r.bg.FillColor)
			}
		}

		// A chosen switch (A, A+, A++) is marked by a heavier border, not
		// by a colour change alone.
		plain, chosen := NewButton("A", nil), NewButton("A+", nil)
		chosen.Selected = true
		test.NewTempWindow(t, plain)
		test.NewTempWindow(t, chosen)
		pw := test.WidgetRenderer(plain).(*buttonRenderer).bg.StrokeWidth
		cw := test.WidgetRenderer(chosen).(*buttonRenderer).bg.StrokeWidth
		if cw < 2*pw {
			t.Errorf("high contrast %v: a chosen switch's border is %v px against %v", hc, cw, pw)
		}

		k := NewKeypad(KeypadDigits)
		w := test.NewTempWindow(t, k)
		w.Resize(fyne.NewSize(400, 400))
		key := k.keys[0]
		w.Canvas().Focus(key)
		kr := test.WidgetRenderer(key).(*keyRenderer)
		check("key edge against the screen", nonTextContrast, kr.bg.StrokeColor, bg)
		check("key focus ring against the screen", nonTextContrast, kr.ring.StrokeColor, bg)
		check("key label against the key", textContrast, kr.label.Color, kr.bg.FillColor)
	}
}
