// Package kiosk is the waiting-room touchscreen: patient self-service that
// works offline through the device's replica and leaves nothing of one
// patient behind for the next.
package kiosk

import (
	"context"
	"errors"
	"image/color"
	"log/slog"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/receipt"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
	"gpkiosk/ui/widgets"
)

// Backend is what the kiosk needs from the device's replica.
// *replica.Replica satisfies it.
type Backend interface {
	SignIn(ctx context.Context, accountID string, dateOfBirth store.Date) (replica.Patient, error)
	FreeSlots(ctx context.Context, patientID int64, dateOfBirth store.Date, from store.Date, days int) ([]replica.Slot, error)
	Book(ctx context.Context, patientID, slotID int64, dateOfBirth store.Date) (replica.LocalBooking, error)
	Appointments(ctx context.Context, patientID int64) ([]replica.Appointment, error)
	CancelAppointment(ctx context.Context, patientID int64, ref replica.Ref) (string, error)
	AskForHelp(ctx context.Context, note string) (string, error)
	ReportProblem(ctx context.Context, category, description string) (string, error)
	AttentionFor(ctx context.Context, patientID int64) ([]replica.AttentionItem, error)
	DismissAttention(ctx context.Context, opID string) error
	RepeatItems(ctx context.Context, patientID int64) ([]replica.RepeatItem, error)
	Requests(ctx context.Context, patientID int64) ([]replica.Request, error)
	OrderRepeats(ctx context.Context, patientID int64, itemIDs []int64, note string) (replica.LocalRequest, error)
	CancelRequest(ctx context.Context, patientID int64, ref replica.Ref) (string, error)
	ExitPINVerifier(ctx context.Context) (string, error)
	Settings(ctx context.Context) (store.Settings, error)
}

// Config sets up a kiosk.
type Config struct {
	Backend      Backend
	PracticeName string
	// PracticeODS is the practice's ODS code, to refuse a letter from
	// another practice by name; "" when not known (offline at start).
	PracticeODS string
	// IdleTimeout is how long without a touch before "Are you still
	// there?" (default 60 s); WarnFor is how long that warning shows
	// before everything is cleared (default 15 s).
	IdleTimeout time.Duration
	WarnFor     time.Duration
	Clock       func() time.Time
	Location    *time.Location // Europe/London
	Log         *slog.Logger
	// Nudge asks the sync runner to send new actions soon; may be nil.
	Nudge func()
	// CheckIn checks patients in at the server; nil means reception does.
	CheckIn CheckInService
	// Printer prints appointment slips; nil when the kiosk has none.
	Printer receipt.Printer
	// Display switches text size and contrast; nil hides the switches.
	Display *uitheme.Switcher
	// Quit closes the kiosk app; called only after staff give the PIN.
	Quit func()
	// Do runs a UI change from a timer's goroutine on the UI goroutine
	// (default fyne.Do); tests pass their own to run it in step.
	Do func(func())
}

// Kiosk is the kiosk's screens and the signed-in patient, if any.
type Kiosk struct {
	cfg     Config
	ctx     context.Context
	root    *fyne.Container // the current screen
	frame   fyne.CanvasObject
	offline *widget.Label
	time    *widget.Label

	// previousScreen is what the idle warning returns to; only touched on
	// the UI goroutine.
	previousScreen fyne.CanvasObject
	// scan handles a code from the scanner on the current screen, if it
	// accepts one; UI goroutine only.
	scan func(code string)

	staff staffGate

	mu      sync.Mutex
	session *session
	idle    *time.Timer
	warn    *time.Timer
	gen     int // invalidates timers from before the last touch
}

// session is one patient's visit. It is dropped, never reused.
type session struct {
	patient replica.Patient
	dob     store.Date
}

// New builds the kiosk, showing the welcome screen.
func New(ctx context.Context, cfg Config) *Kiosk {
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 60 * time.Second
	}
	if cfg.WarnFor <= 0 {
		cfg.WarnFor = 15 * time.Second
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Do == nil {
		cfg.Do = fyne.Do
	}
	k := &Kiosk{cfg: cfg, ctx: ctx, root: container.NewStack()}
	k.frame = k.statusFrame()
	k.showWelcome()
	go k.tick()
	return k
}

// Content is the kiosk's whole window content.
func (k *Kiosk) Content() fyne.CanvasObject { return k.frame }

// statusFrame puts the status strip (practice, time, offline notice) above
// every screen and the display switches below it, always visible.
func (k *Kiosk) statusFrame() fyne.CanvasObject {
	name := newTapCounter(k.cfg.PracticeName, k.cfg.Clock, k.AskStaffPIN)
	k.time = widget.NewLabel(k.cfg.Clock().In(k.cfg.Location).Format("15:04"))
	k.offline = widget.NewLabel(text.T(text.WorkingOffline))
	k.offline.Wrapping = fyne.TextWrapWord
	k.offline.Importance = widget.WarningImportance
	k.offline.Hide()
	top := container.NewVBox(container.NewBorder(nil, nil, name, k.time), k.offline, widget.NewSeparator())
	var bottom fyne.CanvasObject
	if sw := k.cfg.Display; sw != nil {
		bottom = container.NewVBox(widget.NewSeparator(), container.NewCenter(widgets.DisplaySwitches(sw, k.touch)))
	}
	// A screen taller than the display (a small screen, or A++ text)
	// scrolls rather than running under the status strip and switches.
	return container.NewBorder(top, bottom, nil, nil, container.NewVScroll(k.root))
}

// SetOnline shows or hides the offline notice; call on the UI goroutine.
func (k *Kiosk) SetOnline(online bool) {
	if online {
		k.offline.Hide()
	} else {
		k.offline.Show()
	}
}

// tick keeps the clock in the status strip right.
func (k *Kiosk) tick() {
	t := time.NewTicker(15 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-k.ctx.Done():
			return
		case <-t.C:
			now := k.cfg.Clock().In(k.cfg.Location).Format("15:04")
			k.cfg.Do(func() { k.time.SetText(now) })
		}
	}
}

// show replaces the screen. Every screen change counts as activity.
func (k *Kiosk) show(screen fyne.CanvasObject) {
	// A proxy sees whose account they are using on every screen.
	if s, ok := k.signedIn(); ok && s.patient.ActingFor {
		banner := widget.NewLabelWithStyle(text.T(text.ActingFor, s.patient.GivenName), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		banner.Importance = widget.HighImportance
		screen = container.NewBorder(banner, nil, nil, nil, screen)
	}
	k.previousScreen = screen
	k.scan = nil
	k.setScreen(screen)
	k.touch()
}

// focus gives keyboard focus to o, so a keyboard (or a scanner used as
// one) can type into it.
func (k *Kiosk) focus(o fyne.Focusable) {
	if app := fyne.CurrentApp(); app != nil {
		if c := app.Driver().CanvasForObject(k.frame); c != nil {
			c.Focus(o)
		}
	}
}

// setScreen swaps the screen and drops keyboard focus: a button focused by
// Tab on the old screen would otherwise swallow the scanner's typing (and
// its Enter would press a button that is no longer shown).
func (k *Kiosk) setScreen(screen fyne.CanvasObject) {
	k.root.Objects = []fyne.CanvasObject{screen}
	k.root.Refresh()
	if app := fyne.CurrentApp(); app != nil {
		if c := app.Driver().CanvasForObject(k.frame); c != nil {
			c.Unfocus()
		}
	}
}

// touch restarts the idle countdown; called on every tap.
func (k *Kiosk) touch() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.gen++
	gen := k.gen
	if k.idle != nil {
		k.idle.Stop()
	}
	if k.warn != nil {
		k.warn.Stop()
	}
	if k.session == nil {
		return // nothing to protect on the welcome screen
	}
	k.idle = time.AfterFunc(k.cfg.IdleTimeout, func() {
		k.cfg.Do(func() { k.warnIdle(gen) })
	})
}

func (k *Kiosk) current(gen int) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return gen == k.gen
}

func (k *Kiosk) warnIdle(gen int) {
	if !k.current(gen) {
		return
	}
	stillHere := bigButton(text.T(text.IdleStillHere), func() {})
	screen := centred(
		heading(text.T(text.IdleTitle)),
		widget.NewLabel(text.T(text.IdleMessage)),
		stillHere,
	)
	// Showing the warning is not activity: keep the countdown's generation.
	k.setScreen(screen)
	previous := k.previousScreen
	stillHere.OnTapped = func() {
		if previous != nil {
			k.show(previous)
		} else {
			k.showWelcome()
		}
	}
	k.mu.Lock()
	k.warn = time.AfterFunc(k.cfg.WarnFor, func() {
		k.cfg.Do(func() {
			if k.current(gen) {
				k.SignOut()
			}
		})
	})
	k.mu.Unlock()
}

// Scanned takes a code from the keyboard-wedge scanner. An appointment
// slip's code checks its patient in, on any screen. On the welcome screen
// a letter's code starts signing in; on the sign-in screen it is the
// account ID; elsewhere it is ignored. Call on the UI goroutine.
func (k *Kiosk) Scanned(code string) {
	k.touch()
	if slip, ok := strings.CutPrefix(strings.TrimSpace(code), gpsync.CheckInCodePrefix); ok {
		k.checkInWithSlip(slip)
		return
	}
	if k.scan != nil {
		k.scan(code)
		return
	}
	if _, ok := k.signedIn(); !ok && k.previousScreen == nil {
		k.showSignIn(k.showAppointments)
		k.scan(code)
	}
}

// SignOut forgets the patient and returns to the welcome screen, dropping
// every screen that showed their details.
func (k *Kiosk) SignOut() {
	k.mu.Lock()
	k.session = nil
	k.mu.Unlock()
	k.previousScreen = nil
	k.showWelcome()
}

func (k *Kiosk) signedIn() (session, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.session == nil {
		return session{}, false
	}
	return *k.session, true
}

// plain turns any error into words a patient can act on: the store's own
// message for a rule, never a Go error string.
func plain(err error) string {
	if re, ok := store.AsRuleError(err); ok {
		return re.Message
	}
	if errors.Is(err, context.Canceled) {
		return text.T(text.ErrorStopped)
	}
	return text.T(text.ErrorGeneral)
}

func heading(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.Alignment = fyne.TextAlignCenter
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameHeadingText
	return l
}

func para(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	l.Alignment = fyne.TextAlignCenter
	return l
}

// minTouch is the smallest side of anything a finger must hit.
const minTouch = 64

func bigButton(label string, tapped func()) *widget.Button {
	b := widget.NewButton(label, tapped)
	b.Importance = widget.HighImportance
	return b
}

// sized wraps a button so it is never smaller than a finger.
func sized(b fyne.CanvasObject) fyne.CanvasObject {
	return container.NewCenter(container.New(layout.NewGridWrapLayout(fyne.NewSize(columnWidth, minTouch+16)), b))
}

// centred stacks objs in the middle of the screen. The strut gives the
// column a width: wrapping labels have almost none of their own and would
// otherwise print one letter a line.
func centred(objs ...fyne.CanvasObject) fyne.CanvasObject {
	strut := canvas.NewRectangle(color.Transparent)
	strut.SetMinSize(fyne.NewSize(columnWidth, 0))
	return container.NewCenter(container.NewVBox(append([]fyne.CanvasObject{strut}, objs...)...))
}

// columnWidth is the width of the kiosk's central column of text and
// buttons.
const columnWidth = 560
