package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// ScrollToShow scrolls sc so that o, somewhere inside its content, starts
// at the top of the view: what a person asked for (search results, say)
// comes into view instead of waiting below the fold. Nothing happens
// before both are on a canvas.
func ScrollToShow(sc *container.Scroll, o fyne.CanvasObject) {
	d := fyne.CurrentApp().Driver()
	if d.CanvasForObject(o) == nil || d.CanvasForObject(sc) == nil {
		return
	}
	delta := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(sc).Y
	sc.ScrollToOffset(fyne.NewPos(sc.Offset.X, max(0, sc.Offset.Y+delta)))
}
