// Package widgets holds the kiosk's own widgets: wrapped text and buttons
// that never cut off their words, a Page layout and Pager that fit a
// screen without scrolling, on-screen keypads whose keys shrink to fit
// (never below MinTouchTarget), a date-of-birth entry built on them, and
// a catcher for keyboard-wedge barcode/QR scanners. The kiosk has no
// keyboard and its touchscreen cannot scroll, so every entry goes through
// these.
package widgets

import (
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/ui/text"
)

// MinTouchTarget is the smallest width and height, in Fyne units, of
// anything a finger must hit: comfortably above the 44–48 px guidance, for
// unsteady hands.
const MinTouchTarget = 64

// keyTextScale enlarges single-character key labels so they can be read
// without glasses, as room allows.
const keyTextScale = 2

// keyEms is the largest a key grows, in multiples of the text size; on a
// big screen bigger keys only mean longer reaches.
const keyEms = 4.5

// KeypadMode chooses which keys a Keypad shows.
type KeypadMode int

const (
	// KeypadDigits shows 1–9 and 0 in telephone order, with Clear and Delete.
	KeypadDigits KeypadMode = iota
	// KeypadLetters shows A–Z in alphabetical rows, with Delete.
	KeypadLetters
	// KeypadText shows digits, small letters, a Capital key for the next
	// letter, a little punctuation, a wide Space key and Delete: enough
	// for a short note to the practice.
	KeypadText
	// KeypadAccountID shows digits and A–Z with Clear and Delete: what a
	// letter's Account ID is made of. Hyphens are not needed: the ID is
	// matched without them.
	KeypadAccountID
)

// keyCell is one key and how many columns it spans.
type keyCell struct {
	key  *keyButton
	span int
}

// Keypad is an on-screen keypad with big keys. Every key is a button, so it
// can also be reached with Tab and pressed with Space or Enter. Its keys
// share whatever room the screen gives it, down to MinTouchTarget.
type Keypad struct {
	widget.BaseWidget

	// OnKey is called with the character pressed, as its key shows it.
	OnKey func(r rune)
	// OnDelete is called when Delete is pressed.
	OnDelete func()
	// OnClear is called when Clear is pressed.
	OnClear func()

	mode KeypadMode
	keys []*keyButton
	// arrangements are ways to lay the keys out, preferred first; the
	// first that fits the room given is used (a wider, flatter one on a
	// short screen at A++).
	arrangements [][][]keyCell
	rows         [][]keyCell // the arrangement last used
	shift        bool        // KeypadText: the next letter is a capital
}

// NewKeypad builds a keypad in the given mode.
func NewKeypad(mode KeypadMode) *Keypad {
	k := &Keypad{mode: mode}
	k.ExtendBaseWidget(k)
	byRune := map[rune]*keyButton{}
	runes := func(s string) []keyCell {
		var out []keyCell
		for _, r := range s {
			key, ok := byRune[r]
			if !ok {
				key = k.runeKey(r)
				byRune[r] = key
			}
			out = append(out, keyCell{key: key, span: 1})
		}
		return out
	}
	words := map[text.Key]*keyButton{}
	word := func(name text.Key, span int, tapped func()) keyCell {
		key, ok := words[name]
		if !ok {
			key = k.wordKey(text.M(name), tapped)
			words[name] = key
		}
		return keyCell{key: key, span: span}
	}
	switch mode {
	case KeypadLetters:
		all := runes("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
		all = append(all, word(text.KeypadDelete, 1, k.deleted))
		var rows [][]keyCell
		for len(all) > 0 {
			n := min(7, len(all))
			rows = append(rows, all[:n])
			all = all[n:]
		}
		k.arrangements = [][][]keyCell{rows}
	case KeypadAccountID:
		k.arrangements = [][][]keyCell{{
			runes("1234567890"),
			runes("ABCDEFGHIJ"),
			runes("KLMNOPQRST"),
			append(runes("UVWXYZ"), word(text.KeypadClear, 2, k.cleared), word(text.KeypadDelete, 2, k.deleted)),
		}, {
			append(runes("1234567890"), word(text.KeypadClear, 2, k.cleared), word(text.KeypadDelete, 2, k.deleted)),
			runes("ABCDEFGHIJKLMN"),
			runes("OPQRSTUVWXYZ"),
		}}
	case KeypadText:
		shift := func() { k.SetShift(!k.shift) }
		space := func() { k.typed(' ') }
		k.arrangements = [][][]keyCell{{
			runes("1234567890"),
			runes("abcdefghij"),
			runes("klmnopqrst"),
			runes("uvwxyz.,?'"),
			{word(text.KeypadCapital, 2, shift), word(text.KeypadSpace, 6, space), word(text.KeypadDelete, 2, k.deleted)},
		}, {
			runes("1234567890.,?'"),
			runes("abcdefghijklmn"),
			append(runes("opqrstuvwxyz"), word(text.KeypadDelete, 2, k.deleted)),
			{word(text.KeypadCapital, 3, shift), word(text.KeypadSpace, 11, space)},
		}}
	default:
		k.arrangements = [][][]keyCell{{
			runes("123"), runes("456"), runes("789"),
			{word(text.KeypadClear, 1, k.cleared), runes("0")[0], word(text.KeypadDelete, 1, k.deleted)},
		}, {
			runes("123456"),
			append(runes("7890"), word(text.KeypadClear, 1, k.cleared), word(text.KeypadDelete, 1, k.deleted)),
		}}
	}
	k.rows = k.arrangements[0]
	return k
}

// Mode reports which keys the keypad shows.
func (k *Keypad) Mode() KeypadMode { return k.mode }

// SetShift makes the next letter a capital (on) or small (off); the letter
// keys show which. Only KeypadText has small letters.
func (k *Keypad) SetShift(on bool) {
	if k.mode != KeypadText || on == k.shift {
		return
	}
	k.shift = on
	for _, b := range k.keys {
		if r := []rune(b.Text); len(r) == 1 && unicode.IsLetter(r[0]) {
			if on {
				b.Text = string(unicode.ToUpper(r[0]))
			} else {
				b.Text = string(unicode.ToLower(r[0]))
			}
			b.Refresh()
		}
	}
}

// Shift reports whether the next letter will be a capital.
func (k *Keypad) Shift() bool { return k.shift }

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

func (k *Keypad) typed(r rune) {
	if k.OnKey != nil {
		k.OnKey(r)
	}
}

func (k *Keypad) runeKey(r rune) *keyButton {
	var b *keyButton
	b = newKeyButton(string(r), func() {
		k.typed([]rune(b.Text)[0])
		if unicode.IsLetter([]rune(b.Text)[0]) {
			k.SetShift(false) // a capital is for one letter
		}
	})
	b.scale = keyTextScale
	k.keys = append(k.keys, b)
	return b
}

func (k *Keypad) wordKey(label text.Message, tapped func()) *keyButton {
	b := newKeyButton("", tapped)
	b.Msg = label
	b.resolve(&b.Text, b.Theme())
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

// columns is the width of an arrangement in single keys.
func columns(rows [][]keyCell) int {
	cols := 0
	for _, row := range rows {
		n := 0
		for _, c := range row {
			n += c.span
		}
		cols = max(cols, n)
	}
	return cols
}

// CreateRenderer is part of fyne.Widget.
func (k *Keypad) CreateRenderer() fyne.WidgetRenderer { return &keypadRenderer{k: k} }

type keypadRenderer struct{ k *Keypad }

// gap between keys: small, since each key has a border of its own and
// every pixel goes to the keys on a short screen.
func (r *keypadRenderer) gap() float32 { return r.k.Theme().Size(theme.SizeNamePadding) * 0.6 }

// arrange picks the first arrangement whose keys are at least
// MinTouchTarget in the room given, else the one with fewest rows.
func (r *keypadRenderer) arrange(size fyne.Size) [][]keyCell {
	g := r.gap()
	flattest := r.k.arrangements[0]
	for _, rows := range r.k.arrangements {
		cols, n := float32(columns(rows)), float32(len(rows))
		if (size.Height-(n-1)*g)/n >= MinTouchTarget && (size.Width-(cols-1)*g)/cols >= MinTouchTarget {
			return rows
		}
		if len(rows) < len(flattest) {
			flattest = rows
		}
	}
	return flattest
}

// Layout shares the room between the keys: as big as keyEms allows, as
// small as MinTouchTarget, centred across and at the top.
func (r *keypadRenderer) Layout(size fyne.Size) {
	g := r.gap()
	r.k.rows = r.arrange(size)
	cols, rows := float32(columns(r.k.rows)), float32(len(r.k.rows))
	largest := r.k.Theme().Size(theme.SizeNameText) * keyEms
	h := max(min((size.Height-(rows-1)*g)/rows, largest), MinTouchTarget)
	w := max(min((size.Width-(cols-1)*g)/cols, largest*1.3), MinTouchTarget)
	left := (size.Width - (cols*w + (cols-1)*g)) / 2
	for i, row := range r.k.rows {
		x := left
		y := float32(i) * (h + g)
		for _, c := range row {
			cw := w*float32(c.span) + g*float32(c.span-1)
			c.key.Move(fyne.NewPos(x, y))
			c.key.Resize(fyne.NewSize(cw, h))
			x += cw + g
		}
	}
}

// preferredHeight is the height of the first (usual) arrangement with
// keys of MinTouchTarget.
func (k *Keypad) preferredHeight() float32 {
	g := (&keypadRenderer{k: k}).gap()
	n := float32(len(k.arrangements[0]))
	return n*MinTouchTarget + (n-1)*g
}

// MinSize is the smallest arrangement at MinTouchTarget keys.
func (r *keypadRenderer) MinSize() fyne.Size {
	g := r.gap()
	var out fyne.Size
	for i, rows := range r.k.arrangements {
		cols, n := float32(columns(rows)), float32(len(rows))
		m := fyne.NewSize(cols*MinTouchTarget+(cols-1)*g, n*MinTouchTarget+(n-1)*g)
		if i == 0 || m.Height < out.Height {
			out = m
		}
	}
	return out
}

func (r *keypadRenderer) Refresh() {
	r.Layout(r.k.Size())
	for _, b := range r.k.keys {
		b.Refresh()
	}
}

func (r *keypadRenderer) Objects() []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, len(r.k.keys))
	for i, b := range r.k.keys {
		out[i] = b
	}
	return out
}

func (r *keypadRenderer) Destroy() {}
