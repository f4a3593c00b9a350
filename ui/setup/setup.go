// Package setup is the screen a device shows until it has been enrolled: it
// names the practice it found and says, in plain English, that the device
// still needs setting up, or that it cannot reach the practice server. It
// takes the set-up code: the enrolment string of a QR code scanned with a
// keyboard-wedge scanner (which types it and presses Enter), the same
// string pasted, or the code on its own, typed.
package setup

import (
	"context"
	"errors"
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
	"gpkiosk/ui/text"
)

// MinButtonHeight is the smallest height of a button a finger must hit;
// 64px is comfortably above the 44–48px minimum touch-target guidance.
const MinButtonHeight = 64

// PracticeSource is what the screen needs from the practice server.
// *client.Client satisfies it.
type PracticeSource interface {
	PracticeInfo(ctx context.Context) (gpsync.PracticeInfo, error)
}

// State is what the screen is currently showing.
type State int

const (
	StateConnecting  State = iota // waiting for the practice server
	StateNotSetUp                 // practice found; device not enrolled
	StateUnreachable              // no answer from the server
	StateServerFault              // the server answered with an error or nonsense

	StateEnrolling   // a set-up code was accepted and is being used
	StateEnrolFailed // the set-up code was refused; the reason is shown and the code kept
	StateEnrolled    // the device is set up; OnEnrolled has been called
)

func (s State) String() string {
	switch s {
	case StateConnecting:
		return "connecting"
	case StateNotSetUp:
		return "not set up"
	case StateUnreachable:
		return "unreachable"
	case StateServerFault:
		return "server fault"
	case StateEnrolling:
		return "enrolling"
	case StateEnrolFailed:
		return "enrol failed"
	case StateEnrolled:
		return "enrolled"
	}
	return "unknown"
}

// Config is what New needs.
type Config struct {
	Source PracticeSource
	// ServerAddress is shown when the server cannot be reached, so staff
	// can check the device is pointed at the right place.
	ServerAddress string
	// Log defaults to slog.Default().
	Log *slog.Logger
	// OnState, if set, is called on the UI goroutine each time the screen
	// has finished changing to show a new state; tests use it to wait.
	OnState func(State)
	// Enrol, if set, lets the screen set the device up. It is called off
	// the UI goroutine with the set-up code read by gpsync.ReadEnrolment
	// (a code on its own names ServerAddress), and enrols and saves the
	// device. The screen explains its errors: client.ErrCertMismatch,
	// client.ErrUntrustedCert, client.ErrUnreachable, the server's
	// invalid_code, ErrNotSaved. Without it the screen only tells people
	// to ask the practice manager.
	Enrol func(ctx context.Context, e gpsync.Enrolment) error
	// OnEnrolled is called on the UI goroutine once Enrol has succeeded,
	// for the app to open the enrolled device's screens.
	OnEnrolled func()
	// Do runs the answer of a fetch or an enrolment on the UI goroutine
	// (default fyne.Do); tests pass their own to run it in step.
	Do func(func())
}

// ErrNotSaved is what Enrol wraps when the server enrolled the device but
// the device could not keep its enrolment.
var ErrNotSaved = errors.New("the device could not save its enrolment")

// Screen is the set-up screen. Its fields are touched only on the Fyne UI
// goroutine: the fetch goroutine hands its result over with fyne.Do.
type Screen struct {
	ctx context.Context
	cfg Config

	heading *widget.Label
	message *widget.Label
	detail  *widget.Label
	retry   *widget.Button
	// retryBox holds the button and is what we show and hide, so the
	// button keeps its minimum size.
	retryBox *fyne.Container

	// The set-up code: what was scanned or typed stays in entry until it
	// works, so a refused code is never lost.
	entry     *widget.Entry
	submitBtn *widget.Button
	feedback  *widget.Label
	enrolBox  *fyne.Container
	enrolling bool

	content fyne.CanvasObject
}

// New builds the screen; Start makes it ask the practice server. Fetches
// stop when ctx is cancelled.
func New(ctx context.Context, cfg Config) *Screen {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Do == nil {
		cfg.Do = fyne.Do
	}
	s := &Screen{ctx: ctx, cfg: cfg}

	s.heading = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.heading.SizeName = theme.SizeNameHeadingText
	s.heading.Wrapping = fyne.TextWrapWord

	s.message = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	s.message.SizeName = theme.SizeNameSubHeadingText
	s.message.Wrapping = fyne.TextWrapWord

	s.detail = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	s.detail.Wrapping = fyne.TextWrapWord

	s.retry = widget.NewButton(text.T(text.SetupTryAgain), s.load)
	s.retry.Importance = widget.HighImportance
	// A transparent rectangle in a stack sets the button's minimum size:
	// widget.Button has no minimum of its own beyond its text.
	touchTarget := canvas.NewRectangle(nil)
	touchTarget.SetMinSize(fyne.NewSize(320, MinButtonHeight+16))
	// A gap above keeps the button from crowding the text it follows.
	gap := canvas.NewRectangle(nil)
	gap.SetMinSize(fyne.NewSize(1, 24))
	s.retryBox = container.NewVBox(gap, container.NewCenter(container.NewStack(touchTarget, s.retry)))

	s.enrolBox = s.buildEnrol()
	s.content = container.NewPadded(container.NewVBox(
		layout.NewSpacer(),
		s.heading,
		s.message,
		s.detail,
		s.retryBox,
		s.enrolBox,
		layout.NewSpacer(),
	))

	s.show(StateConnecting, "", text.T(text.SetupConnecting), "")
	return s
}

// buildEnrol makes the part of the screen that takes the set-up code,
// hidden when there is no Enrol to call.
func (s *Screen) buildEnrol() *fyne.Container {
	prompt := widget.NewLabelWithStyle(text.T(text.SetupScanPrompt), fyne.TextAlignCenter, fyne.TextStyle{})
	prompt.Wrapping = fyne.TextWrapWord

	s.entry = widget.NewEntry()
	s.entry.SetPlaceHolder(text.T(text.SetupCodeHint))
	// Enter ends a scan (a keyboard-wedge scanner presses it) or typing.
	s.entry.OnSubmitted = s.Submit
	s.submitBtn = widget.NewButton(text.T(text.SetupButton), func() { s.Submit(s.entry.Text) })
	s.submitBtn.Importance = widget.HighImportance

	// The entry is wide enough to show a pasted enrolment string's start;
	// the button is as tall as any other a finger must hit.
	entryWidth := canvas.NewRectangle(nil)
	entryWidth.SetMinSize(fyne.NewSize(520, 1))
	buttonSize := canvas.NewRectangle(nil)
	buttonSize.SetMinSize(fyne.NewSize(240, MinButtonHeight))
	row := container.NewBorder(nil, nil, nil, container.NewStack(buttonSize, s.submitBtn),
		container.NewStack(entryWidth, container.NewVBox(layout.NewSpacer(), s.entry, layout.NewSpacer())))

	s.feedback = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.feedback.Wrapping = fyne.TextWrapWord
	s.feedback.Hide()

	gap := canvas.NewRectangle(nil)
	gap.SetMinSize(fyne.NewSize(1, 32))
	box := container.NewVBox(gap, prompt, container.NewCenter(row), s.feedback)
	if s.cfg.Enrol == nil {
		box.Hide()
	}
	return box
}

// Entry is where a set-up code is typed or scanned; the app focuses it so
// a scanner's typing lands there.
func (s *Screen) Entry() *widget.Entry { return s.entry }

// Submit uses code, scanned or typed, to set the device up; call it on the
// UI goroutine. The app also passes it a scan caught while nothing had
// focus (widgets.ScannerInput). A code it cannot use is explained and
// kept on screen to be corrected or scanned again.
func (s *Screen) Submit(code string) {
	if s.cfg.Enrol == nil || s.enrolling {
		return
	}
	if s.entry.Text != code {
		s.entry.SetText(code)
	}
	e, err := gpsync.ReadEnrolment(code, s.cfg.ServerAddress)
	if err != nil {
		// Not the code itself: until it is used, it sets up a device.
		s.cfg.Log.Warn("set-up code not usable", "damaged_pin", errors.Is(err, gpsync.ErrEnrolmentPinDamaged),
			"pin_without_tls", errors.Is(err, gpsync.ErrEnrolmentPinWithoutTLS))
		s.enrolFailed(err, s.cfg.ServerAddress)
		return
	}
	s.enrolling = true
	s.entry.Disable()
	s.submitBtn.Disable()
	s.setFeedback(text.T(text.SetupWorking))
	s.notify(StateEnrolling)
	go func() {
		err := s.cfg.Enrol(s.ctx, e)
		if s.ctx.Err() != nil {
			return // the app is closing
		}
		s.cfg.Do(func() { s.enrolDone(e, err) })
	}()
}

func (s *Screen) enrolDone(e gpsync.Enrolment, err error) {
	s.enrolling = false
	s.entry.Enable()
	s.submitBtn.Enable()
	if err != nil {
		s.cfg.Log.Error("device not set up", "server", e.Server, "pinned", e.Pin != "", "err", err)
		s.enrolFailed(err, e.Server)
		return
	}
	s.cfg.Log.Info("device set up", "server", e.Server, "pinned", e.Pin != "")
	s.entry.SetText("")
	s.setFeedback(text.T(text.SetupDone))
	s.notify(StateEnrolled)
	if s.cfg.OnEnrolled != nil {
		s.cfg.OnEnrolled()
	}
}

// enrolFailed explains err; server is the address the code named.
func (s *Screen) enrolFailed(err error, server string) {
	s.setFeedback(explainEnrolError(err, server))
	s.notify(StateEnrolFailed)
	s.Focus()
	// The refused code stays to be read or corrected, selected, so the
	// next scan replaces it rather than adding to it.
	s.entry.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// Focus puts the cursor in the set-up code entry, once the screen is in a
// window.
func (s *Screen) Focus() {
	if app := fyne.CurrentApp(); app != nil && s.enrolBox.Visible() {
		if c := app.Driver().CanvasForObject(s.entry); c != nil {
			c.Focus(s.entry)
		}
	}
}

// explainEnrolError is the plain-English reason a set-up code did not
// work, saying what to do next.
func explainEnrolError(err error, server string) string {
	var serverErr *client.ServerError
	switch {
	case errors.Is(err, gpsync.ErrEnrolmentPinDamaged):
		return text.T(text.SetupPinDamaged)
	case errors.Is(err, gpsync.ErrEnrolmentPinWithoutTLS):
		return text.T(text.SetupPinWithoutTLS)
	case errors.Is(err, gpsync.ErrBadEnrolmentString):
		return text.T(text.SetupBadCode)
	case errors.Is(err, client.ErrCertMismatch):
		return text.T(text.SetupWrongServer)
	case errors.Is(err, client.ErrUntrustedCert):
		return text.T(text.SetupUntrusted)
	case errors.Is(err, client.ErrUnreachable):
		return text.T(text.SetupCannotReach, server)
	case client.HasCode(err, client.CodeInvalidCode):
		return text.T(text.SetupCodeRefused)
	case errors.Is(err, ErrNotSaved):
		return text.T(text.SetupNotSaved)
	case errors.As(err, &serverErr) && serverErr.Code != "" && serverErr.Message != "":
		return serverErr.Message // written by the server to be shown to people
	}
	return text.T(text.SetupFailed)
}

func (s *Screen) setFeedback(msg string) {
	setLine(s.feedback, msg)
	s.content.Refresh()
}

func (s *Screen) notify(st State) {
	if s.cfg.OnState != nil {
		s.cfg.OnState(st)
	}
}

// Content is the screen's root object, for Window.SetContent.
func (s *Screen) Content() fyne.CanvasObject { return s.content }

// Start begins asking the practice server for the practice's details. Call
// it on the UI goroutine (or before the app runs) once Content is in a
// window, so the answer never lands on a half-built screen.
func (s *Screen) Start() { s.load() }

// load shows "Connecting…" and fetches the practice details in the
// background so the UI never freezes while the network is slow.
func (s *Screen) load() {
	s.show(StateConnecting, "", text.T(text.SetupConnecting), "")
	go func() {
		info, err := s.cfg.Source.PracticeInfo(s.ctx)
		if s.ctx.Err() != nil {
			return // the app is closing; there is no one to tell
		}
		s.cfg.Do(func() { s.showResult(info, err) })
	}()
}

func (s *Screen) showResult(info gpsync.PracticeInfo, err error) {
	var serverErr *client.ServerError
	switch {
	case err == nil:
		s.show(StateNotSetUp, info.Name, text.T(text.SetupNotSetUp), text.T(text.SetupAskManager))
	case errors.Is(err, client.ErrUntrustedCert) && s.cfg.Enrol != nil:
		// A practice server with its own certificate: the QR code carries
		// what the device needs to trust it, so this is no fault.
		s.cfg.Log.Info("practice server's certificate not known yet; waiting for the set-up QR code", "server", s.cfg.ServerAddress)
		s.show(StateNotSetUp, text.T(text.SetupNotSetUp), text.T(text.SetupScanFirst), "")
	case errors.Is(err, client.ErrUnreachable):
		s.cfg.Log.Warn("practice server unreachable", "server", s.cfg.ServerAddress, "err", err)
		s.show(StateUnreachable, text.T(text.SetupUnreachable), text.T(text.SetupTellStaff), text.T(text.SetupServerAddress, s.cfg.ServerAddress))
	case errors.As(err, &serverErr) && serverErr.Code != "":
		// The server's message is written to be shown to people.
		s.cfg.Log.Error("practice server refused request", "server", s.cfg.ServerAddress, "err", err)
		s.show(StateServerFault, text.T(text.SetupServerFault), serverErr.Message, text.T(text.SetupTellStaff))
	default:
		s.cfg.Log.Error("practice server answer not understood", "server", s.cfg.ServerAddress, "err", err)
		s.show(StateServerFault, text.T(text.SetupServerFault), text.T(text.SetupNotUnderstood), text.T(text.SetupTellStaff))
	}
}

// show puts the screen into state st; empty texts hide their line.
func (s *Screen) show(st State, heading, message, detail string) {
	setLine(s.heading, heading)
	setLine(s.message, message)
	setLine(s.detail, detail)
	if st == StateUnreachable || st == StateServerFault {
		s.retryBox.Show()
	} else {
		s.retryBox.Hide()
	}
	s.content.Refresh()
	s.notify(st)
}

func setLine(l *widget.Label, s string) {
	l.SetText(s)
	if s == "" {
		l.Hide()
	} else {
		l.Show()
	}
}
