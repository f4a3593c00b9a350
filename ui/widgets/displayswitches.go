package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
)

// DisplaySwitches is the row of text-size buttons (A, A+, A++) and the
// high-contrast switch, the same on the kiosk and the staff desktop.
// touched runs after each change (the kiosk counts it as activity).
func DisplaySwitches(sw *uitheme.Switcher, touched func()) *fyne.Container {
	row := container.NewHBox()
	labels := []text.Key{text.TextSizeNormal, text.TextSizeLarge, text.TextSizeLarger}
	for i, z := range uitheme.TextSizes() {
		row.Add(widget.NewButton(text.T(labels[i]), func() { sw.SetSize(z); touched() }))
	}
	row.Add(widget.NewButton(text.T(text.HighContrast), func() { sw.SetHighContrast(!sw.Current().HighContrast); touched() }))
	return row
}
