package widgets

import (
	"testing"

	"fyne.io/fyne/v2/test"

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
			if b, ok := o.(*Button); ok && b.Text == label {
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
	// The size in force is marked by more than colour: a heavy border,
	// on exactly one of A, A+ and A++; high contrast when on.
	for _, o := range row.Objects {
		b := o.(*Button)
		if want := b.Text == text.T(text.TextSizeLarge); b.Selected != want {
			t.Errorf("%q selected = %v, want %v", b.Text, b.Selected, want)
		}
		if m := b.MinSize(); m.Width < MinTouchTarget || m.Height < MinTouchTarget {
			t.Errorf("%q is %v, smaller than a finger", b.Text, m)
		}
	}
}
