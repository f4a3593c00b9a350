// Package widgets holds the kiosk's input widgets: an on-screen keypad with
// big keys, a date-of-birth entry built on it, and a catcher for
// keyboard-wedge barcode/QR scanners. The kiosk has no keyboard, so every
// entry goes through these.
package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/ui/text"
)

// MinTouchTarget is the smallest width and height, in Fyne units, of
// anything a finger must hit: comfortably above the 44–48 px guidance, for
// unsteady hands.
const MinTouchTarget = 64

// keyTextScale enlarges single-character key labels so they can be read
// without glasses; word keys ("Delete") keep the normal size so the grid
// does not grow wider than the screen.
const keyTextScale = 2

// KeypadMode chooses which keys a Keypad shows.
type KeypadMode int

const (
	// KeypadDigits shows 1–9 and 0 in telephone order, with Clear and Delete.
	KeypadDigits KeypadMode = iota
	// KeypadLetters shows A–Z in alphabetical rows, with Delete.
	KeypadLetters
	// KeypadText shows A–Z, a full stop and a question mark, with a wide
	// Space key and Delete: enough for a short note to the practice.
	KeypadText
)

// letterColumns keeps A–Z in four short alphabetical rows.
const letterColumns = 7

// Keypad is an on-screen keypad with big keys. Every key is a button, so it
// can also be reached with Tab and pressed with Space or Enter.
type Keypad struct {
	widget.BaseWidget

	// OnKey is called with the digit or capital letter pressed.
	OnKey func(r rune)
	// OnDelete is called when Delete is pressed.
	OnDelete func()
	// OnClear is called when Clear is pressed (digits mode only).
	OnClear func()

	mode    KeypadMode
	keys    []*keyButton
	content fyne.CanvasObject
}

// NewKeypad builds a keypad in the given mode.
func NewKeypad(mode KeypadMode) *Keypad {
	k := &Keypad{mode: mode}
	k.ExtendBaseWidget(k)

	var cells []fyne.CanvasObject
	cols := 3
	switch mode {
	case KeypadLetters:
		cols = letterColumns
		for r := 'A'; r <= 'Z'; r++ {
			cells = append(cells, k.runeKey(r))
		}
		cells = append(cells, k.wordKey(text.T(text.KeypadDelete), k.deleted))
	case KeypadText:
		for r := 'A'; r <= 'Z'; r++ {
			cells = append(cells, k.runeKey(r))
		}
		cells = append(cells, k.runeKey('.'), k.runeKey('?'))
		space := k.wordKey(text.T(text.KeypadSpace), func() {
			if k.OnKey != nil {
				k.OnKey(' ')
			}
		})
		k.content = container.NewVBox(container.NewGridWithColumns(letterColumns, cells...),
			container.NewBorder(nil, nil, nil, k.wordKey(text.T(text.KeypadDelete), k.deleted), space))
		return k
	default:
		for _, r := range "123456789" {
			cells = append(cells, k.runeKey(r))
		}
		cells = append(cells, k.wordKey(text.T(text.KeypadClear), k.cleared), k.runeKey('0'), k.wordKey(text.T(text.KeypadDelete), k.deleted))
	}
	k.content = container.NewGridWithColumns(cols, cells...)
	return k
}

// Mode reports which keys the keypad shows.
func (k *Keypad) Mode() KeypadMode { return k.mode }

// Key returns the key labelled label ("7", "K", text.T(text.KeypadDelete)),
// or nil if the keypad has none; screens' tests tap it with test.Tap.
func (k *Keypad) Key(label string) fyne.Tappable {
	for _, b := range k.keys {
		if b.Text == label {
			return b
		}
	}
	return nil
}

// CreateRenderer is part of fyne.Widget.
func (k *Keypad) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(k.content)
}

func (k *Keypad) runeKey(r rune) fyne.CanvasObject {
	b := newKeyButton(string(r), func() {
		if k.OnKey != nil {
			k.OnKey(r)
		}
	})
	b.scale = keyTextScale
	k.keys = append(k.keys, b)
	return b
}

func (k *Keypad) wordKey(label string, tapped func()) fyne.CanvasObject {
	b := newKeyButton(label, tapped)
	k.keys = append(k.keys, b)
	return b
}

func (k *Keypad) deleted() {
	if k.OnDelete != nil {
		k.OnDelete()
	}
}

func (k *Keypad) cleared() {
	if k.OnClear != nil {
		k.OnClear()
	}
}
