package widgets

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"gpkiosk/ui/text"
)

func tapKeys(t *testing.T, k *Keypad, labels ...string) {
	t.Helper()
	for _, l := range labels {
		key := k.Key(l)
		if key == nil {
			t.Fatalf("keypad has no %q key", l)
		}
		test.Tap(key)
	}
}

func TestKeypadDigitsTappedInOrder(t *testing.T) {
	test.NewTempApp(t)
	k := NewKeypad(KeypadDigits)
	test.NewTempWindow(t, k)

	var got []rune
	deletes, clears := 0, 0
	k.OnKey = func(r rune) { got = append(got, r) }
	k.OnDelete = func() { deletes++ }
	k.OnClear = func() { clears++ }

	tapKeys(t, k, "1", "9", "4", "5", "0", text.T(text.KeypadDelete), "7", text.T(text.KeypadClear))
	if want := []rune("194507"); !slices.Equal(got, want) {
		t.Errorf("runes = %q, want %q", string(got), string(want))
	}
	if deletes != 1 || clears != 1 {
		t.Errorf("deletes = %d, clears = %d, want 1 and 1", deletes, clears)
	}

	var labels []string
	for _, b := range k.keys {
		labels = append(labels, b.Text)
	}
	want := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", text.T(text.KeypadClear), "0", text.T(text.KeypadDelete)}
	if !slices.Equal(labels, want) {
		t.Errorf("keys = %q, want %q", labels, want)
	}
}

func TestKeypadLettersAlphabetical(t *testing.T) {
	test.NewTempApp(t)
	k := NewKeypad(KeypadLetters)
	test.NewTempWindow(t, k)

	var got []rune
	deletes := 0
	k.OnKey = func(r rune) { got = append(got, r) }
	k.OnDelete = func() { deletes++ }
	tapKeys(t, k, "S", "M", "I", "T", "H", text.T(text.KeypadDelete), "A", "Z")
	if string(got) != "SMITHAZ" || deletes != 1 {
		t.Errorf("runes = %q, deletes = %d; want SMITHAZ and 1", string(got), deletes)
	}

	var labels string
	for _, b := range k.keys[:26] {
		labels += b.Text
	}
	if labels != "ABCDEFGHIJKLMNOPQRSTUVWXYZ" {
		t.Errorf("letter keys = %q, want A–Z in order", labels)
	}
	if len(k.keys) != 27 || k.keys[26].Text != text.T(text.KeypadDelete) {
		t.Errorf("want 26 letters then Delete, got %d keys", len(k.keys))
	}
	if k.Key(text.T(text.KeypadClear)) != nil {
		t.Error("letters keypad should have no Clear key")
	}
}

func TestKeypadTextHasDigitsCapitalsSpaceAndPunctuation(t *testing.T) {
	test.NewTempApp(t)
	k := NewKeypad(KeypadText)
	w := test.NewTempWindow(t, k)
	w.Resize(fyne.NewSize(900, 600))
	var got []rune
	deletes := 0
	k.OnKey = func(r rune) { got = append(got, r) }
	k.OnDelete = func() { deletes++ }
	capital, space := text.T(text.KeypadCapital), text.T(text.KeypadSpace)
	tapKeys(t, k, capital, "N", "o", space, "r", "u", "s", "h", "x", text.T(text.KeypadDelete), ".", "?", "2", "0")
	if string(got) != "No rushx.?20" || deletes != 1 {
		t.Errorf("runes = %q, deletes = %d; want %q and 1", string(got), deletes, "No rushx.?20")
	}
	if k.Shift() {
		t.Error("Capital stayed on after one letter")
	}
	if k.Key(text.T(text.KeypadClear)) != nil {
		t.Error("text keypad should have no Clear key")
	}
	// The wide Space key is at least as wide as three letter keys, so it
	// is easy to find and hit.
	var spaceSize, letter fyne.Size
	for _, b := range k.keys {
		switch b.Text {
		case space:
			spaceSize = b.Size()
		case "a":
			letter = b.Size()
		}
	}
	if spaceSize.Width < 3*letter.Width {
		t.Errorf("Space is %v wide, a letter %v", spaceSize.Width, letter.Width)
	}
}

// Given too little height for its usual rows, a keypad lays the same keys
// out wider and flatter rather than shrinking them below a finger.
func TestKeypadRearrangesOnAShortScreen(t *testing.T) {
	test.NewTempApp(t)
	for _, mode := range []KeypadMode{KeypadDigits, KeypadAccountID, KeypadText} {
		k := NewKeypad(mode)
		w := test.NewTempWindow(t, k)
		w.SetPadded(false)
		tall := len(k.arrangements[0])
		w.Resize(fyne.NewSize(1000, float32(tall)*MinTouchTarget-1))
		if len(k.rows) >= tall {
			t.Errorf("mode %d kept %d rows in a window too short for them", mode, len(k.rows))
		}
		for _, b := range k.keys {
			if s := b.Size(); s.Width < MinTouchTarget || s.Height < MinTouchTarget {
				t.Errorf("mode %d key %q is %v", mode, b.Text, s)
			}
		}
	}
}

func TestKeypadKeysAreBigEnoughToTouch(t *testing.T) {
	test.NewTempApp(t)
	for _, mode := range []KeypadMode{KeypadDigits, KeypadLetters, KeypadText, KeypadAccountID} {
		k := NewKeypad(mode)
		w := test.NewTempWindow(t, k)
		w.SetPadded(false)
		w.Resize(k.MinSize()) // the smallest the keypad can ever be
		for _, b := range k.keys {
			if m := b.MinSize(); m.Width < MinTouchTarget || m.Height < MinTouchTarget {
				t.Errorf("mode %d key %q MinSize = %v, want at least %dx%d", mode, b.Text, m, MinTouchTarget, MinTouchTarget)
			}
			if s := b.Size(); s.Width < MinTouchTarget || s.Height < MinTouchTarget {
				t.Errorf("mode %d key %q laid out at %v, want at least %dx%d", mode, b.Text, s, MinTouchTarget, MinTouchTarget)
			}
		}
	}
}

func TestKeypadUsableWithTabSpaceAndEnter(t *testing.T) {
	test.NewTempApp(t)
	k := NewKeypad(KeypadDigits)
	w := test.NewTempWindow(t, k)
	c := w.Canvas()

	var got []rune
	k.OnKey = func(r rune) { got = append(got, r) }

	test.FocusNext(c)
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	test.FocusNext(c)
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.FocusNext(c)
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnter})
	if string(got) != "123" {
		t.Errorf("runes = %q, want 123", string(got))
	}

	// Tab reaches every key.
	seen := map[fyne.Focusable]bool{}
	for range len(k.keys) * 2 {
		test.FocusNext(c)
		seen[c.Focused()] = true
	}
	for _, b := range k.keys {
		if !seen[b] {
			t.Errorf("key %q is not reached by Tab", b.Text)
		}
	}
}
