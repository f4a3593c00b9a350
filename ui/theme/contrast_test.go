package theme

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	fynetheme "fyne.io/fyne/v2/theme"
)

func contrastRatio(a, b color.Color) float64 { return ContrastRatio(a, b) }

func relativeLuminance(c color.Color) float64 { return luminance(c) }

// over composites c onto the opaque colour under, as Fyne does when it
// draws a translucent hover, focus or selection fill over a widget.
func over(under, c color.Color) color.NRGBA {
	u := color.NRGBAModel.Convert(under).(color.NRGBA)
	o := color.NRGBAModel.Convert(c).(color.NRGBA)
	a := float64(o.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(y)*a + float64(x)*(1-a))) }
	return color.NRGBA{R: mix(u.R, o.R), G: mix(u.G, o.G), B: mix(u.B, o.B), A: 0xff}
}

func TestContrastRatioKnownValues(t *testing.T) {
	tests := []struct {
		a, b color.Color
		want float64
	}{
		{color.White, color.Black, 21},
		{color.Black, color.White, 21},
		{rgb(0x767676), rgb(white), 4.54},
		{rgb(0x595959), rgb(white), 7.00},
		{rgb(0x777777), rgb(0x777777), 1},
	}
	for _, tt := range tests {
		if got := contrastRatio(tt.a, tt.b); math.Abs(got-tt.want) > 0.01 {
			t.Errorf("contrastRatio(%v, %v) = %.3f, want %.2f", tt.a, tt.b, got, tt.want)
		}
	}
	if got := relativeLuminance(rgb(white)); got != 1 {
		t.Errorf("luminance(white) = %v, want 1", got)
	}
	if got := relativeLuminance(rgb(black)); got != 0 {
		t.Errorf("luminance(black) = %v, want 0", got)
	}
}

// textPair is text of colour fg drawn on bg, with optional translucent
// overlays (hover, focus, ...) composited onto bg first.
type textPair struct {
	fg, bg   fyne.ThemeColorName
	overlays []fyne.ThemeColorName
	where    string
}

// textPairs are the text/background combinations Fyne 2.7's widgets draw
// (see widget/button.go buttonColorNames, label.go, entry.go, select.go,
// list.go), plus labels of every importance.
func textPairs() []textPair {
	const (
		fg       = fynetheme.ColorNameForeground
		bg       = fynetheme.ColorNameBackground
		input    = fynetheme.ColorNameInputBackground
		button   = fynetheme.ColorNameButton
		primary  = fynetheme.ColorNamePrimary
		focus    = fynetheme.ColorNameFocus
		hover    = fynetheme.ColorNameHover
		pressed  = fynetheme.ColorNamePressed
		selected = fynetheme.ColorNameSelection
	)
	pairs := []textPair{
		{fg: fg, bg: bg, where: "label"},
		{fg: fg, bg: input, where: "entry text"},
		{fg: fg, bg: input, overlays: []fyne.ThemeColorName{selected}, where: "selected entry text"},
		{fg: fg, bg: fynetheme.ColorNameOverlayBackground, where: "dialog/popup"},
		{fg: fg, bg: fynetheme.ColorNameMenuBackground, where: "menu"},
		{fg: fg, bg: fynetheme.ColorNameHeaderBackground, where: "table header"},
		{fg: fg, bg: bg, overlays: []fyne.ThemeColorName{selected}, where: "selected list row"},
		{fg: fg, bg: bg, overlays: []fyne.ThemeColorName{hover}, where: "hovered list row"},
		{fg: fg, bg: bg, overlays: []fyne.ThemeColorName{focus}, where: "focused select"},
		{fg: fynetheme.ColorNamePlaceHolder, bg: input, where: "entry placeholder"},
		// LowImportance labels and disabled widgets use Disabled as text.
		{fg: fynetheme.ColorNameDisabled, bg: bg, where: "low-importance label"},
		{fg: fynetheme.ColorNameDisabled, bg: fynetheme.ColorNameDisabledButton, where: "disabled button"},
		{fg: fynetheme.ColorNameDisabled, bg: input, where: "disabled entry"},
		{fg: primary, bg: bg, where: "high-importance label"},
		{fg: fynetheme.ColorNameError, bg: bg, where: "danger label"},
		{fg: fynetheme.ColorNameError, bg: input, where: "validation message"},
		{fg: fynetheme.ColorNameSuccess, bg: bg, where: "success label"},
		{fg: fynetheme.ColorNameWarning, bg: bg, where: "warning label"},
		{fg: fynetheme.ColorNameHyperlink, bg: bg, where: "hyperlink"},
	}
	// Buttons: each importance plain, hovered, focused and mid-tap.
	buttons := []struct {
		fg, bg fyne.ThemeColorName
		where  string
	}{
		{fg, button, "button"},
		{fynetheme.ColorNameForegroundOnPrimary, primary, "primary button"},
		{fynetheme.ColorNameForegroundOnError, fynetheme.ColorNameError, "danger button"},
		{fynetheme.ColorNameForegroundOnSuccess, fynetheme.ColorNameSuccess, "success button"},
		{fynetheme.ColorNameForegroundOnWarning, fynetheme.ColorNameWarning, "warning button"},
	}
	for _, b := range buttons {
		pairs = append(pairs, textPair{fg: b.fg, bg: b.bg, where: b.where})
		for _, o := range []fyne.ThemeColorName{hover, focus, pressed} {
			pairs = append(pairs, textPair{fg: b.fg, bg: b.bg, overlays: []fyne.ThemeColorName{o}, where: b.where + " " + string(o)})
		}
	}
	return pairs
}

func TestThemeTextContrastAtLeast7(t *testing.T) {
	for _, hc := range []bool{false, true} {
		name := "default"
		if hc {
			name = "high contrast"
		}
		th := NewWith(Settings{HighContrast: hc})
		for _, p := range textPairs() {
			fgc := th.Color(p.fg, fynetheme.VariantLight)
			bgc := th.Color(p.bg, fynetheme.VariantLight)
			if _, _, _, a := fgc.RGBA(); a != 0xffff {
				t.Errorf("%s: %s text colour is translucent; contrast would depend on what is behind it", name, p.fg)
			}
			if _, _, _, a := bgc.RGBA(); a != 0xffff {
				t.Errorf("%s: %s background is translucent", name, p.bg)
			}
			for _, o := range p.overlays {
				bgc = over(bgc, th.Color(o, fynetheme.VariantLight))
			}
			r := contrastRatio(fgc, bgc)
			if r < 7 {
				t.Errorf("%s: %s (%s on %s %v) contrast %.2f:1, want >= 7:1", name, p.where, p.fg, p.bg, p.overlays, r)
			}
			t.Logf("%-13s %-30s %.2f:1", name, p.where, r)
		}
	}
}

// The OS dark/light preference must not change the palette.
func TestThemeIgnoresVariant(t *testing.T) {
	for _, hc := range []bool{false, true} {
		th := NewWith(Settings{HighContrast: hc})
		for _, p := range textPairs() {
			for _, n := range []fyne.ThemeColorName{p.fg, p.bg} {
				if th.Color(n, fynetheme.VariantDark) != th.Color(n, fynetheme.VariantLight) {
					t.Errorf("high contrast %v: %s differs between variants", hc, n)
				}
			}
		}
	}
}
