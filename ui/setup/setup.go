// Package setup is the screen a device shows until it has been enrolled: it
// names the practice it found and says, in plain English, that the device
// still needs setting up, or that it cannot reach the practice server.
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
	// has finished changing to show a new state. The app will use it to
	// move on once the device is enrolled; tests use it to wait.
	OnState func(State)
}

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
	content  fyne.CanvasObject
}

// New builds the screen; Start makes it ask the practice server. Fetches
// stop when ctx is cancelled.
func New(ctx context.Context, cfg Config) *Screen {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
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

	s.content = container.NewPadded(container.NewVBox(
		layout.NewSpacer(),
		s.heading,
		s.message,
		s.detail,
		s.retryBox,
		layout.NewSpacer(),
	))

	s.show(StateConnecting, "", text.T(text.SetupConnecting), "")
	return s
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
		fyne.Do(func() { s.showResult(info, err) })
	}()
}

func (s *Screen) showResult(info gpsync.PracticeInfo, err error) {
	var serverErr *client.ServerError
	switch {
	case err == nil:
		s.show(StateNotSetUp, info.Name, text.T(text.SetupNotSetUp), text.T(text.SetupAskManager))
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
	if s.cfg.OnState != nil {
		s.cfg.OnState(st)
	}
}

func setLine(l *widget.Label, s string) {
	l.SetText(s)
	if s == "" {
		l.Hide()
	} else {
		l.Show()
	}
}
