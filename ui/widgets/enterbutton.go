package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// EnterButton is the staff desk's button, which Enter presses as well as
// Space: staff work from the keyboard, and Enter is what they reach for.
type EnterButton struct {
	widget.Button
}

// NewEnterButton makes one.
func NewEnterButton(label string, tapped func()) *EnterButton {
	b := &EnterButton{}
	b.Text = label
	b.OnTapped = tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey presses the button on Enter or Return too.
func (b *EnterButton) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		if !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
		return
	}
	b.Button.TypedKey(ev)
}
