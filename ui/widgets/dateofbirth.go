package widgets

import (
	"errors"
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
)

// ErrDateIncomplete is returned by DateOfBirthEntry.Date before all eight
// digits have been entered.
var ErrDateIncomplete = errors.New(text.T(text.DOBIncomplete))

// dobDigits is DD + MM + YYYY.
const dobDigits = 8

// emptyDigit stands in for a digit not yet entered, so each box shows how
// many digits it still wants.
const emptyDigit = "_"

// dobTextScale makes the typed digits large enough to check at a glance.
const dobTextScale = 2.5

// dobField is one labelled box: Day, Month or Year.
type dobField struct {
	start, width int
	name         text.Key // Day, Month or Year, drawn in the theme's language
	label        *canvas.Text
	digits       *canvas.Text
	border       *canvas.Rectangle
}

// DateOfBirthEntry takes a date of birth as three labelled boxes, Day,
// Month and Year, filled in order from its own digit keypad or, when it has
// focus, from a physical keyboard. Call it from the UI goroutine only.
type DateOfBirthEntry struct {
	widget.BaseWidget

	// OnComplete is called once each time the eighth digit completes a
	// date that exists.
	OnComplete func(store.Date)
	// OnChange is called after every digit typed or deleted (the kiosk
	// counts it as activity).
	OnChange func()

	digits  []byte
	focused bool

	fields  [3]*dobField
	message *Text
	keypad  *Keypad
	content fyne.CanvasObject
}

// NewDateOfBirthEntry builds an empty date-of-birth entry.
func NewDateOfBirthEntry() *DateOfBirthEntry {
	d := &DateOfBirthEntry{digits: make([]byte, 0, dobDigits)}
	d.ExtendBaseWidget(d)

	d.fields = [3]*dobField{
		newDOBField(text.DOBDay, 0, 2),
		newDOBField(text.DOBMonth, 2, 2),
		newDOBField(text.DOBYear, 4, 4),
	}
	boxes := make([]fyne.CanvasObject, 0, len(d.fields))
	for _, f := range d.fields {
		box := container.NewStack(f.border, container.NewPadded(container.NewCenter(f.digits)))
		boxes = append(boxes, container.NewPadded(container.NewVBox(container.NewCenter(f.label), box)))
	}

	d.message = NewText("", TextDanger)
	d.message.Hide()

	d.keypad = NewKeypad(KeypadDigits)
	d.keypad.OnKey = d.typeDigit
	d.keypad.OnDelete = d.deleteDigit
	d.keypad.OnClear = d.Reset

	// The keypad takes whatever room the boxes and message leave, so the
	// digits typed are never scrolled out of sight.
	d.content = container.New(dobLayout{},
		container.NewCenter(container.NewHBox(boxes...)),
		d.message,
		d.keypad,
	)
	d.show()
	return d
}

func newDOBField(name text.Key, start, width int) *dobField {
	f := &dobField{
		start:  start,
		width:  width,
		name:   name,
		label:  canvas.NewText(text.T(name), color.Black),
		digits: canvas.NewText(strings.Repeat(emptyDigit, width), color.Black),
		border: canvas.NewRectangle(color.Transparent),
	}
	f.label.TextStyle.Bold = true
	f.digits.TextStyle.Monospace = true
	f.border.StrokeWidth = 3
	f.border.CornerRadius = 8
	return f
}

// Keypad is the entry's own digit keypad, for screens that want to place
// focus on it or tap it in tests.
func (d *DateOfBirthEntry) Keypad() *Keypad { return d.keypad }

// Date returns the date entered. It is ErrDateIncomplete until all eight
// digits are in, and wraps the store's *store.RuleError for a date that does
// not exist.
func (d *DateOfBirthEntry) Date() (store.Date, error) {
	if len(d.digits) < dobDigits {
		return store.Date{}, ErrDateIncomplete
	}
	part := func(f *dobField) int {
		n, _ := strconv.Atoi(string(d.digits[f.start : f.start+f.width])) // only ASCII digits are stored
		return n
	}
	date, err := store.NewDate(part(d.fields[2]), time.Month(part(d.fields[1])), part(d.fields[0]))
	if err != nil {
		return store.Date{}, fmt.Errorf("date of birth: %w", err)
	}
	return date, nil
}

// Message is the refusal shown under the boxes, or "" when there is none.
func (d *DateOfBirthEntry) Message() string {
	if !d.message.Visible() {
		return ""
	}
	return d.message.Text
}

// Reset empties the boxes and the message, so nothing of one person's
// date of birth is left for the next.
func (d *DateOfBirthEntry) Reset() {
	d.digits = d.digits[:0]
	d.setMessage(nil)
	d.show()
}

func (d *DateOfBirthEntry) changed() {
	if d.OnChange != nil {
		d.OnChange()
	}
}

// Refuse empties the boxes and shows msg under them: a date that was
// typed in full but not accepted (no one with that date of birth).
func (d *DateOfBirthEntry) Refuse(msg text.Message) {
	d.digits = d.digits[:0]
	d.setMessage(msg)
	d.show()
}

func (d *DateOfBirthEntry) typeDigit(r rune) {
	if r < '0' || r > '9' || len(d.digits) >= dobDigits {
		return
	}
	defer d.changed()
	d.digits = append(d.digits, byte(r))
	d.setMessage(nil)
	if len(d.digits) == dobDigits {
		date, err := d.Date()
		if err != nil {
			d.setMessage(messageFor(err))
			d.show()
			return
		}
		d.show()
		if d.OnComplete != nil {
			d.OnComplete(date)
		}
		return
	}
	d.show()
}

func (d *DateOfBirthEntry) deleteDigit() {
	defer d.changed()
	if len(d.digits) > 0 {
		d.digits = d.digits[:len(d.digits)-1]
	}
	d.setMessage(nil)
	d.show()
}

// messageFor picks words fit to show a person: the store's own sentence
// for a refusal, in the patient's language, and a general one for
// anything else.
func messageFor(err error) text.Message {
	if m, ok := text.RefusalOf(err); ok {
		return m
	}
	return text.M(text.DOBNotADate)
}

// setMessage shows msg under the boxes; nil clears it.
func (d *DateOfBirthEntry) setMessage(msg text.Message) {
	if msg == nil && !d.message.Visible() {
		return
	}
	if msg == nil {
		d.message.SetText("")
	} else {
		d.message.SetMessage(msg)
	}
	if msg == nil {
		d.message.Hide()
	} else {
		d.message.Show()
	}
	d.content.Refresh()
}

// active is the box the next digit goes into, or -1 when all are full.
func (d *DateOfBirthEntry) active() int {
	for i, f := range d.fields {
		if len(d.digits) < f.start+f.width {
			return i
		}
	}
	return -1
}

// show redraws the boxes from the digits and the current theme.
func (d *DateOfBirthEntry) show() {
	th := d.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	textSize := th.Size(theme.SizeNameText)
	words := uitheme.CatalogOf(th)
	active := d.active()
	for i, f := range d.fields {
		var sb strings.Builder
		for j := f.start; j < f.start+f.width; j++ {
			if j < len(d.digits) {
				sb.WriteByte(d.digits[j])
			} else {
				sb.WriteString(emptyDigit)
			}
		}
		f.digits.Text = sb.String()
		f.digits.TextSize = textSize * dobTextScale
		f.digits.Color = th.Color(theme.ColorNameForeground, v)
		f.label.Text = words.T(f.name)
		f.label.TextSize = textSize
		f.label.Color = th.Color(theme.ColorNameForeground, v)
		f.border.FillColor = th.Color(theme.ColorNameInputBackground, v)
		f.border.StrokeColor = th.Color(theme.ColorNameInputBorder, v)
		f.border.StrokeWidth = 3
		if i == active {
			// The box waiting for the next digit stands out by a heavy
			// border in the primary colour (3:1 or more in both themes),
			// not by a tint.
			f.border.StrokeColor = th.Color(theme.ColorNamePrimary, v)
			f.border.StrokeWidth = 6
		}
		f.label.Refresh()
		f.digits.Refresh()
		f.border.Refresh()
	}
}

// CreateRenderer is part of fyne.Widget.
func (d *DateOfBirthEntry) CreateRenderer() fyne.WidgetRenderer {
	d.show()
	return widget.NewSimpleRenderer(d.content)
}

// Refresh re-reads the theme, which may have changed.
func (d *DateOfBirthEntry) Refresh() {
	d.show()
	d.BaseWidget.Refresh()
}

// FocusGained is part of fyne.Focusable.
func (d *DateOfBirthEntry) FocusGained() {
	d.focused = true
	d.show()
}

// FocusLost is part of fyne.Focusable.
func (d *DateOfBirthEntry) FocusLost() {
	d.focused = false
	d.show()
}

// TypedRune is part of fyne.Focusable: digits from a keyboard fill the boxes.
func (d *DateOfBirthEntry) TypedRune(r rune) { d.typeDigit(r) }

// TypedKey is part of fyne.Focusable: Backspace and Delete remove a digit.
func (d *DateOfBirthEntry) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyBackspace, fyne.KeyDelete:
		d.deleteDigit()
	}
}

var _ fyne.Focusable = (*DateOfBirthEntry)(nil)

// keyWidthEms is a comfortable digit key's width, in text sizes.
const keyWidthEms = 3.3

// dobLayout puts the boxes and message above the keypad when there is room
// for the keypad's keys below them, and beside it on a short screen (A++
// on 1024x768), so the keys never shrink below MinTouchTarget.
type dobLayout struct{}

func (dobLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	boxes, message, keypad := objs[0], objs[1], objs[2]
	g := gap()
	bm := boxes.MinSize()
	var mh float32
	if message.Visible() {
		mh = fitHeight(message, size.Width) + g
	}
	// Stacked only if the keys fit in their telephone order below; a
	// flatter keypad is the last resort, after putting it beside.
	if size.Height-bm.Height-mh-g >= keypad.(*Keypad).preferredHeight() {
		boxes.Move(fyne.NewPos(0, 0))
		boxes.Resize(fyne.NewSize(size.Width, bm.Height))
		message.Move(fyne.NewPos(0, bm.Height+g))
		message.Resize(fyne.NewSize(size.Width, max(mh-g, 0)))
		keypad.Move(fyne.NewPos(0, bm.Height+mh+g))
		keypad.Resize(fyne.NewSize(size.Width, size.Height-bm.Height-mh-g))
		return
	}
	// The keys need only the width of three readable keys; the boxes and
	// any message take the rest, so a refusal wraps to fewer lines.
	keys := min(size.Width/2, 3*theme.TextSize()*keyWidthEms+2*g)
	left := max(bm.Width, size.Width-keys-g)
	if message.Visible() {
		mh = fitHeight(message, left) + g
	}
	top := max((size.Height-bm.Height-mh)/2, 0)
	boxes.Move(fyne.NewPos(0, top))
	boxes.Resize(fyne.NewSize(left, bm.Height))
	message.Move(fyne.NewPos(0, top+bm.Height+g))
	message.Resize(fyne.NewSize(left, max(mh-g, 0)))
	keypad.Move(fyne.NewPos(left+g, 0))
	keypad.Resize(fyne.NewSize(size.Width-left-g, size.Height))
}

func (dobLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	bm, km := objs[0].MinSize(), objs[2].MinSize()
	return fyne.NewSize(max(bm.Width, km.Width), max(bm.Height, km.Height))
}
