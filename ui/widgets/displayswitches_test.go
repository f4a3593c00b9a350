package widgets

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
)

func TestDisplaySwitchesChangeTheThemeAndCountAsActivity(t *testing.T) {
	sw := uitheme.NewSwitcher(test.NewTempApp(t), uitheme.Settings{})
	touched := 0
	row := DisplaySwitches(sw, func() { touched++ })
	tap := func(label string) {
		t.Helper()
		for _, o := range row.Objects {
			if b, ok := o.(*widget.Button); ok && b.Text == label {
				test.Tap(b)
				return
			}
		}
		t.Fatalf("no %q switch", label)
	}
	tap(text.T(text.TextSizeLarge))
	if sw.Current().Size != uitheme.SizeLarge {
		t.Fatalf("size %v after A+", sw.Current().Size)
	}
	tap(text.T(text.HighContrast))
	tap(text.T(text.HighContrast))
	if sw.Current().HighContrast {
		t.Fatal("high contrast did not switch off again")
	}
	if touched != 3 {
		t.Fatalf("%d taps counted as activity, want 3", touched)
	}
}
