package widgets

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"gpkiosk/store"
	"gpkiosk/ui/text"
)

func newTestDOB(t *testing.T) (*DateOfBirthEntry, *[]store.Date) {
	t.Helper()
	test.NewTempApp(t)
	d := NewDateOfBirthEntry()
	test.NewTempWindow(t, d)
	var completed []store.Date
	d.OnComplete = func(date store.Date) { completed = append(completed, date) }
	return d, &completed
}

func tapDigits(t *testing.T, d *DateOfBirthEntry, digits string) {
	t.Helper()
	for _, r := range digits {
		tapKeys(t, d.Keypad(), string(r))
	}
}

// shownTexts is every piece of text the entry draws, leaving out the
// keypad, whose keys are digits.
func shownTexts(o fyne.CanvasObject) []string {
	switch o := o.(type) {
	case *Keypad:
		return nil
	case *canvas.Text:
		return []string{o.Text}
	case *Text:
		return []string{o.Text}
	case fyne.Widget:
		var out []string
		for _, c := range test.WidgetRenderer(o).Objects() {
			out = append(out, shownTexts(c)...)
		}
		return out
	case *fyne.Container:
		var out []string
		for _, c := range o.Objects {
			out = append(out, shownTexts(c)...)
		}
		return out
	}
	return nil
}

func boxes(d *DateOfBirthEntry) string {
	return d.fields[0].digits.Text + " " + d.fields[1].digits.Text + " " + d.fields[2].digits.Text
}

func TestDateOfBirthFromKeypad(t *testing.T) {
	d, completed := newTestDOB(t)

	tapDigits(t, d, "0103")
	if got := boxes(d); got != "01 03 ____" {
		t.Errorf("boxes = %q, want day and month filled first", got)
	}
	if _, err := d.Date(); !errors.Is(err, ErrDateIncomplete) {
		t.Errorf("Date() before the year = %v, want ErrDateIncomplete", err)
	}
	tapDigits(t, d, "1945")

	want := store.Date{Year: 1945, Month: 3, Day: 1}
	if len(*completed) != 1 || (*completed)[0] != want {
		t.Fatalf("OnComplete got %v, want once with %v", *completed, want)
	}
	if got, err := d.Date(); err != nil || got != want {
		t.Errorf("Date() = %v, %v; want %v", got, err, want)
	}
	tapDigits(t, d, "7")
	if len(*completed) != 1 || boxes(d) != "01 03 1945" {
		t.Errorf("a ninth digit changed things: boxes %q, %d completions", boxes(d), len(*completed))
	}
}

func TestDateOfBirthFromPhysicalKeyboard(t *testing.T) {
	d, completed := newTestDOB(t)
	test.Type(d, "01a/031945")
	want := store.Date{Year: 1945, Month: 3, Day: 1}
	if len(*completed) != 1 || (*completed)[0] != want {
		t.Fatalf("OnComplete got %v, want once with %v", *completed, want)
	}
	d.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	if got := boxes(d); got != "01 03 194_" {
		t.Errorf("after Backspace boxes = %q", got)
	}
}

func TestDateOfBirthImpossibleDate(t *testing.T) {
	d, completed := newTestDOB(t)
	_, storeErr := store.NewDate(2023, 2, 30)
	re, ok := store.AsRuleError(storeErr)
	if !ok {
		t.Fatalf("store.NewDate(2023, 2, 30) = %v, want a RuleError", storeErr)
	}

	tapDigits(t, d, "30022023")
	if len(*completed) != 0 {
		t.Errorf("OnComplete called with %v for 30 February", *completed)
	}
	if d.Message() != re.Message {
		t.Errorf("Message() = %q, want the store's %q", d.Message(), re.Message)
	}
	if !d.message.Visible() || !strings.Contains(strings.Join(shownTexts(d), "|"), re.Message) {
		t.Error("the store's message is not shown under the boxes")
	}
	_, err := d.Date()
	if got, ok := store.AsRuleError(err); !ok || got.Message != re.Message {
		t.Errorf("Date() error = %v, want the store's RuleError wrapped", err)
	}

	// The message goes as soon as the person starts correcting.
	tapKeys(t, d.Keypad(), text.T(text.KeypadDelete))
	if d.Message() != "" || d.message.Visible() {
		t.Errorf("message %q still shown after Delete", d.Message())
	}
}

func TestDateOfBirthDelete(t *testing.T) {
	d, completed := newTestDOB(t)
	tapDigits(t, d, "0104")
	tapKeys(t, d.Keypad(), text.T(text.KeypadDelete))
	if got := boxes(d); got != "01 0_ ____" {
		t.Errorf("after Delete boxes = %q", got)
	}
	tapDigits(t, d, "31945")
	want := store.Date{Year: 1945, Month: 3, Day: 1}
	if len(*completed) != 1 || (*completed)[0] != want {
		t.Errorf("OnComplete got %v, want once with %v", *completed, want)
	}

	for range 12 {
		tapKeys(t, d.Keypad(), text.T(text.KeypadDelete))
	}
	if got := boxes(d); got != "__ __ ____" {
		t.Errorf("after deleting everything boxes = %q", got)
	}
}

func TestDateOfBirthResetLeavesNothingBehind(t *testing.T) {
	for _, name := range []string{"Reset", "Clear key"} {
		t.Run(name, func(t *testing.T) {
			d, _ := newTestDOB(t)
			tapDigits(t, d, "30022023")
			if d.Message() == "" {
				t.Fatal("expected a message before Reset")
			}
			if !strings.ContainsFunc(strings.Join(shownTexts(d), ""), unicode.IsDigit) {
				t.Fatal("no digits found before Reset; the walk is broken")
			}
			if name == "Reset" {
				d.Reset()
			} else {
				tapKeys(t, d.Keypad(), text.T(text.KeypadClear))
			}
			texts := shownTexts(d)
			for _, s := range texts {
				if strings.ContainsFunc(s, unicode.IsDigit) {
					t.Errorf("text %q is still shown after %s", s, name)
				}
			}
			if d.Message() != "" || d.message.Visible() {
				t.Errorf("message %q is still shown after %s", d.Message(), name)
			}
			if _, err := d.Date(); !errors.Is(err, ErrDateIncomplete) {
				t.Errorf("Date() after %s = %v, want ErrDateIncomplete", name, err)
			}
		})
	}
}
