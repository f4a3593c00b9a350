// Command barewindow is the baseline for the real-window benchmarks in
// cmd/gpkiosk: a Fyne window with one label and nothing else, built with
// the same flags as the kiosk. Whatever it costs to start and to keep
// resident is Go, Fyne, GLFW, GL and X11, not the kiosk. With -fullscreen
// it fills the screen as the kiosk does, so both draw the same number of
// pixels.
package main

import (
	"flag"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	fullScreen := flag.Bool("fullscreen", false, "fill the screen")
	flag.Parse()
	a := app.NewWithID("org.gpkiosk.barewindow")
	w := a.NewWindow("Bare window")
	w.SetContent(widget.NewLabel("A bare Fyne window with one label."))
	w.Resize(fyne.NewSize(1024, 768))
	w.SetFullScreen(*fullScreen)
	w.ShowAndRun()
}
