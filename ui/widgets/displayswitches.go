package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
)

// DisplaySwitches is the row of text-size buttons (A, A+, A++) and the
// high-contrast switch, the same on the kiosk and the staff desktop. The
// size in force and high contrast when on are marked by a heavy border,
// not by colour alone. touched runs after each change (the kiosk counts it
// as activity).
func DisplaySwitches(sw *uitheme.Switcher, touched func()) *fyne.Container {
	row := container.NewHBox()
	labels := []text.Key{text.TextSizeNormal, text.TextSizeLarge, text.TextSizeLarger}
	var sizes []*Button
	for i, z := range uitheme.TextSizes() {
		b := NewButtonOf(text.M(labels[i]), func() { sw.SetSize(z); touched() })
		b.Status = true
		sizes = append(sizes, b)
		row.Add(b)
	}
	contrast := NewButtonOf(text.M(text.HighContrast), func() { sw.SetHighContrast(!sw.Current().HighContrast); touched() })
	contrast.Status = true
	row.Add(contrast)
	mark := func(st uitheme.Settings) {
		for i, z := range uitheme.TextSizes() {
			sizes[i].Selected = z == st.Size
			sizes[i].Refresh()
		}
		contrast.Selected = st.HighContrast
		contrast.Refresh()
	}
	mark(sw.Current())
	sw.OnChange(mark)
	return row
}
