// Package manager is the practice manager's screens on the staff desktop:
// the practice's online-services settings, its devices, staff accounts,
// the audit log and the uptake figures. They talk to the practice server
// through a Service (sync/managedesk); what the server last sent is shown
// when it cannot be reached, saying how old it is, with every change
// button greyed out until it can.
package manager

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/managedesk"
	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

// Service is what the screens need of the practice server, on behalf of
// the manager signed in. Reads say how fresh they are; changes fail when
// the server cannot be reached, and a value the practice could not mean
// is refused with an error carrying a gpsync.ManageRefusal.
type Service interface {
	Settings(ctx context.Context) (gpsync.ManagedSettings, Freshness, error)
	SaveSettings(ctx context.Context, s gpsync.ManagedSettings) error

	Devices(ctx context.Context) ([]gpsync.DeviceInfo, Freshness, error)
	NewEnrolment(ctx context.Context, role, name string) (gpsync.NewEnrolmentResponse, error)
	RenameDevice(ctx context.Context, id, name string) error
	RevokeDevice(ctx context.Context, id string) error

	Staff(ctx context.Context) ([]gpsync.StaffAccount, Freshness, error)
	AddStaff(ctx context.Context, r gpsync.NewStaffRequest) error
	ChangeStaff(ctx context.Context, username string, c gpsync.StaffChange) error

	Audit(ctx context.Context, q gpsync.AuditQuery) (gpsync.AuditPage, Freshness, error)
	AuditCSV(ctx context.Context, q gpsync.AuditQuery) ([]byte, error)
	VerifyAudit(ctx context.Context) (gpsync.AuditVerifyResult, error)

	Uptake(ctx context.Context, from, to string) (gpsync.UptakeReport, Freshness, error)
}

// Freshness says where data came from: the server just now (Live), or
// what this desktop kept from FetchedAt. It is sync/managedesk's, so the
// desk's service is a Service as it is.
type Freshness = managedesk.Freshness

// refusal is an error that carries the server's 422 body.
type refusal interface {
	Refusal() gpsync.ManageRefusal
}

// asRefusal finds the server's refusal in err, if it is one.
func asRefusal(err error) (gpsync.ManageRefusal, bool) {
	var r refusal
	if errors.As(err, &r) {
		return r.Refusal(), true
	}
	return gpsync.ManageRefusal{}, false
}

// Frame is where the screens go: the desk's scrolling body and its footer
// of buttons and messages, which stays in view.
type Frame interface {
	// Show replaces the screen, scrolled to its top.
	Show(body, footer fyne.CanvasObject)
	// Relayout lays the window out again after part of a screen grew or
	// shrank, so everything stays reachable.
	Relayout()
	// Touch counts as activity for the desk's idle sign-out.
	Touch()
	// Focus puts the keyboard in o.
	Focus(o fyne.Focusable)
	// ScrollTo scrolls the body so o, part of it, is at the top of the view.
	ScrollTo(o fyne.CanvasObject)
}

// Config is what the screens are built from.
type Config struct {
	Service  Service
	Frame    Frame
	Clock    func() time.Time
	Location *time.Location // Europe/London
	Log      *slog.Logger
	// Do runs UI changes from other goroutines (fyne.Do); tests replace it.
	Do func(func())
	// ThisDevice is the ID of the desktop the screens run on: it is named
	// so in the device list and not offered for revoking.
	ThisDevice string
	// SaveDir is where CSV and PDF files are saved (the desk's Config.SaveDir).
	SaveDir string
	// MonthCSV writes one month's figures as CSV with POMI's field names
	// (ui/report.MonthCSV), and ReportPDF makes the report as a PDF
	// (ui/report.PDF). Nil hides the button.
	MonthCSV  func(w io.Writer, practice, ods string, m gpsync.UptakeMonth) error
	ReportPDF func(r gpsync.UptakeReport) ([]byte, error)
	// Fields are the settings form's fields; nil is DefaultFields.
	Fields []Field
}

// Screens opens the manager's screens in the frame.
type Screens struct {
	cfg Config
	ctx context.Context
}

// New makes the screens; ctx bounds every request.
func New(ctx context.Context, cfg Config) *Screens {
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
	if cfg.Fields == nil {
		cfg.Fields = DefaultFields()
	}
	return &Screens{cfg: cfg, ctx: ctx}
}

// screen is one screen being shown: its body and footer are filled in
// when the server answers. If staff have gone elsewhere meanwhile,
// filling them changes nothing on the window.
type screen struct {
	s    *Screens
	body *fyne.Container
	foot *fyne.Container
}

// open shows a screen saying it is loading.
func (s *Screens) open(title text.Key) *screen {
	sc := &screen{s: s, body: container.NewVBox(heading(text.T(title)), para(text.T(text.ManageLoading))), foot: container.NewVBox()}
	s.cfg.Frame.Show(sc.body, sc.foot)
	return sc
}

// set fills the screen.
func (sc *screen) set(body []fyne.CanvasObject, foot []fyne.CanvasObject) {
	sc.body.Objects = body
	sc.body.Refresh()
	sc.foot.Objects = foot
	sc.foot.Refresh()
	sc.s.cfg.Frame.Relayout()
}

// async runs work off the UI goroutine (the server may be slow or gone)
// and then its result on it.
func (s *Screens) async(work func() func()) {
	go func() {
		done := work()
		s.cfg.Do(done)
	}()
}

// plain is an error as a sentence for the manager: the server's refusal,
// the store's rule, or the error's own words.
func (s *Screens) plain(err error) string {
	if r, ok := asRefusal(err); ok && r.Message != "" {
		return r.Message
	}
	if re, ok := store.AsRuleError(err); ok {
		return re.Message
	}
	s.cfg.Log.Warn("manager desk: request failed", "err", err)
	return err.Error()
}

// stale is the line saying the data is what this desktop last fetched,
// or nil when it is live.
func (s *Screens) stale(f Freshness) fyne.CanvasObject {
	if f.Live {
		return nil
	}
	l := para(text.T(text.ManageStale, s.ago(f.FetchedAt)))
	l.Importance = widget.WarningImportance
	return l
}

// ago is how long before now t was, in words.
func (s *Screens) ago(t time.Time) string {
	d := s.cfg.Clock().Sub(t)
	switch {
	case t.IsZero():
		return text.T(text.ManageAgoNever)
	case d < time.Minute:
		return text.T(text.ManageAgoNow)
	case d < 2*time.Minute:
		return text.T(text.ManageAgoMinute)
	case d < time.Hour:
		return text.T(text.ManageAgoMinutes, strconv.Itoa(int(d/time.Minute)))
	case d < 2*time.Hour:
		return text.T(text.ManageAgoHour)
	case d < 24*time.Hour:
		return text.T(text.ManageAgoHours, strconv.Itoa(int(d/time.Hour)))
	case d < 48*time.Hour:
		return text.T(text.ManageAgoDay)
	}
	return text.T(text.ManageAgoDays, strconv.Itoa(int(d/(24*time.Hour))))
}

// when is an instant as staff read it: 08/06/2026 10:02.
func (s *Screens) when(t time.Time) string {
	return t.In(s.cfg.Location).Format("02/01/2006 15:04")
}

// message is a line for the footer: what was just done, or a refusal.
func message(s string, imp widget.Importance) *widget.Label {
	l := para(s)
	l.Importance = imp
	if s == "" {
		l.Hide()
	}
	return l
}

// say shows s in l with importance imp, or hides l when s is "".
func say(l *widget.Label, s string, imp widget.Importance) {
	l.Importance = imp
	l.SetText(s)
	if s == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

func heading(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}

func bold(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	return l
}

func para(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// button is the desk's button, which Enter presses as well as Space.
type button = widgets.EnterButton

func newButton(label string, tapped func()) *button { return widgets.NewEnterButton(label, tapped) }

// enable greys out the change buttons while the server is out of reach.
func enable(on bool, bs ...*button) {
	for _, b := range bs {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// ask puts a question naming what will change, with yes and no. yes runs
// off the UI goroutine; its error is shown beside the buttons, and
// nothing moves on.
func (s *Screens) ask(title, question, yesLabel string, yes func() error, done func(), noLabel string, no func()) {
	msg := message("", widget.DangerImportance)
	var y, n *button
	y = newButton(yesLabel, func() {
		s.cfg.Frame.Touch()
		enable(false, y, n)
		say(msg, text.T(text.ManageSending), widget.MediumImportance)
		s.async(func() func() {
			err := yes()
			return func() {
				enable(true, y, n)
				if err != nil {
					say(msg, s.plain(err), widget.DangerImportance)
					s.cfg.Frame.Relayout()
					return
				}
				done()
			}
		})
	})
	y.Importance = widget.DangerImportance
	n = newButton(noLabel, no)
	s.cfg.Frame.Show(container.NewVBox(heading(title), para(question)), container.NewVBox(msg, container.NewHBox(y, n)))
	s.cfg.Frame.Focus(n)
}
