package theme

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func TestSizesStrictlyIncrease(t *testing.T) {
	// Everything the layout is built from must grow, or A++ text would
	// overflow buttons whose padding stayed small.
	names := []fyne.ThemeSizeName{
		fynetheme.SizeNameText, fynetheme.SizeNameHeadingText, fynetheme.SizeNameSubHeadingText,
		fynetheme.SizeNameCaptionText, fynetheme.SizeNameInlineIcon, fynetheme.SizeNamePadding,
		fynetheme.SizeNameInnerPadding, fynetheme.SizeNameLineSpacing, fynetheme.SizeNameScrollBar,
	}
	for _, hc := range []bool{false, true} {
		for _, n := range names {
			prev := float32(0)
			for _, z := range TextSizes() {
				got := NewWith(Settings{Size: z, HighContrast: hc}).Size(n)
				if got <= prev {
					t.Errorf("high contrast %v, size %d: %s = %v, want > %v (previous size)", hc, z, n, got, prev)
				}
				prev = got
			}
		}
	}
}

func TestNormalTextIsLarge(t *testing.T) {
	for _, th := range []fyne.Theme{New(), NewWith(Settings{HighContrast: true})} {
		if got := th.Size(fynetheme.SizeNameText); got < 20 {
			t.Errorf("normal text size = %v, want >= 20", got)
		}
		if got := th.Size(fynetheme.SizeNameCaptionText); got < 16 {
			t.Errorf("caption text size = %v, want >= 16", got)
		}
	}
}

func TestUnknownSizeFallsBackToNormal(t *testing.T) {
	if got, want := NewWith(Settings{Size: 42}).Size(fynetheme.SizeNameText), New().Size(fynetheme.SizeNameText); got != want {
		t.Errorf("unknown size text = %v, want normal %v", got, want)
	}
}

// Plain one-line buttons, entries, checks and selects must be at least MinTouchTarget tall at every
// size without the screen having to pad it.
func TestButtonMeetsTouchTarget(t *testing.T) {
	for _, hc := range []bool{false, true} {
		for _, z := range TextSizes() {
			a := test.NewTempApp(t)
			a.Settings().SetTheme(NewWith(Settings{Size: z, HighContrast: hc}))
			for name, w := range map[string]fyne.Widget{
				"button": widget.NewButton("Back", nil),
				"entry":  widget.NewEntry(),
				"check":  widget.NewCheck("High contrast", nil),
				"select": widget.NewSelect([]string{"A"}, nil),
			} {
				if h := w.MinSize().Height; h < MinTouchTarget {
					t.Errorf("high contrast %v, size %d: %s height %v, want >= %v", hc, z, name, h, MinTouchTarget)
				}
			}
		}
	}
}

func TestSwitcher(t *testing.T) {
	a := test.NewTempApp(t)
	s := NewSwitcher(a, Settings{})
	if got := a.Settings().Theme().Size(fynetheme.SizeNameText); got != New().Size(fynetheme.SizeNameText) {
		t.Fatalf("initial theme text size %v, want normal", got)
	}

	var seen []Settings
	s.OnChange(func(st Settings) { seen = append(seen, st) })

	s.SetSize(SizeLarger)
	s.SetHighContrast(true)
	s.SetHighContrast(true) // no change: no notification

	want := Settings{Size: SizeLarger, HighContrast: true}
	if got := s.Current(); got != want {
		t.Errorf("Current() = %+v, want %+v", got, want)
	}
	if len(seen) != 2 || seen[0] != (Settings{Size: SizeLarger}) || seen[1] != want {
		t.Errorf("listener saw %+v, want [{Larger false} {Larger true}]", seen)
	}
	th := a.Settings().Theme()
	if got, want := th.Size(fynetheme.SizeNameText), NewWith(want).Size(fynetheme.SizeNameText); got != want {
		t.Errorf("app text size %v, want %v", got, want)
	}
	if got := th.Color(fynetheme.ColorNameBackground, fynetheme.VariantLight); got != rgb(black) {
		t.Errorf("app background %v, want high-contrast black", got)
	}
}
