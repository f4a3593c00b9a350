package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// press is what the kiosk's buttons and keys share: pressed by a tap, or by
// Space or Enter when it has keyboard focus, and lit while a mouse is over
// it. Each embeds one and says what a press does and how to redraw.
type press struct {
	do     func()
	redraw func()

	hovered, focused bool
}

// Tapped is part of fyne.Tappable.
func (p *press) Tapped(*fyne.PointEvent) { p.do() }

// FocusGained is part of fyne.Focusable.
func (p *press) FocusGained() { p.focused = true; p.redraw() }

// FocusLost is part of fyne.Focusable.
func (p *press) FocusLost() { p.focused = false; p.redraw() }

// TypedRune is part of fyne.Focusable; Space presses.
func (p *press) TypedRune(r rune) {
	if r == ' ' {
		p.do()
	}
}

// TypedKey is part of fyne.Focusable; Space, Enter and Return press.
func (p *press) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeySpace, fyne.KeyEnter, fyne.KeyReturn:
		p.do()
	}
}

// MouseIn is part of desktop.Hoverable.
func (p *press) MouseIn(*desktop.MouseEvent) { p.hovered = true; p.redraw() }

// MouseMoved is part of desktop.Hoverable.
func (p *press) MouseMoved(*desktop.MouseEvent) {}

// MouseOut is part of desktop.Hoverable.
func (p *press) MouseOut() { p.hovered = false; p.redraw() }
