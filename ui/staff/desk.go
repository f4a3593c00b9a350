// Package staff is the staff desktop at the front desk: signing in, finding
// a patient, registering them for online services with the identity and
// coercion checks, proxy access, and producing the QR registration letter.
// It works on the desktop's replica, so it keeps working offline; the
// replica queues every action, and every view, for the server.
package staff

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	"gpkiosk/ui/letter"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
	"gpkiosk/ui/widgets"
)

// Backend is what the desk needs of the device's replica.
type Backend interface {
	StaffSignIn(ctx context.Context, username, password string) (replica.StaffMember, error)
	SearchPatients(ctx context.Context, staff replica.StaffMember, q replica.PatientQuery) ([]replica.PatientSummary, error)
	PatientRecord(ctx context.Context, staff replica.StaffMember, patientID int64) (replica.PatientRecord, error)
	// RefreshRecord reads again a record already open on screen (after a
	// sync), without counting as another view.
	RefreshRecord(ctx context.Context, staff replica.StaffMember, patientID int64) (replica.PatientRecord, error)
	LinkProxy(ctx context.Context, staff replica.StaffMember, in replica.ProxyInput) (string, error)
	PrepareRegistration(ctx context.Context, staff replica.StaffMember, in replica.RegistrationInput) (replica.PreparedRegistration, error)
	IssueRegistration(ctx context.Context, staff replica.StaffMember, p replica.PreparedRegistration) error
	// Settings are the practice's, as last synced: they decide whether
	// clinicians see the inbox.
	Settings(ctx context.Context) (store.Settings, error)

	// The practice's side of the loop, one small interface per screen.
	repeatsBackend
	dayBackend
	bookingBackend
	inboxBackend
	attentionBackend
	letterBackend
}

// Letters makes the registration and appointment letters and puts them
// on paper or disk.
type Letters interface {
	Render(p replica.PreparedRegistration) ([]byte, error)
	RenderAppointment(a AppointmentLetter) ([]byte, error)
	// Printers lists the printers, saying which can print now and which
	// is the computer's default.
	Printers(ctx context.Context) ([]letter.Queue, error)
	Print(ctx context.Context, printer string, pdf []byte, title string) error
	Save(path string, pdf []byte) error
	// Message is the plain sentence for an error from Print or Save.
	Message(err error) string
}

// Config is what the desk is built from.
type Config struct {
	Backend      Backend
	Letters      Letters
	PracticeName string
	IdleTimeout  time.Duration // signs staff out; default 5 minutes, until Settings says
	// Settings, when set, gives each sign-in the practice's idle time
	// (store.Settings.StaffIdleMinutes, as last synced), so a change
	// applies from the next sign-in without a restart; nil, or before the
	// first sync, IdleTimeout stands.
	Settings PracticeSettings
	SaveDir  string // where "Save as PDF" suggests; default the home folder
	// StartPractice, when set, offers practice mode (a digital-skills
	// session on a pretend practice) in the window's menu.
	StartPractice func()
	Clock         func() time.Time
	Location      *time.Location // Europe/London
	Log           *slog.Logger
	Display       *uitheme.Switcher // text size and contrast; nil hides the switches
	// Do runs UI changes from other goroutines (fyne.Do); tests replace it.
	Do func(func())
	// Nudge asks the sync runner to send queued changes now rather than
	// at its next turn; nil when there is none.
	Nudge func()
	// SignIn, when set, signs staff in and out with the practice server
	// as well as here (sync/staffsignin); nil signs in on this desktop
	// only, with Backend.StaffSignIn.
	SignIn StaffSignIn
	// Manager, when set, gives managers their screens (settings, devices,
	// staff, audit, uptake); nil hides them.
	Manager *ManagerConfig
}

// PracticeSettings is the practice's settings as this desktop last synced
// them (*replica.Replica); an error before the first sync.
type PracticeSettings interface {
	Settings(ctx context.Context) (store.Settings, error)
}

// StaffSignIn signs staff in and out with the practice server.
type StaffSignIn interface {
	StaffSignIn(ctx context.Context, username, password string) (replica.StaffMember, error)
	StaffSignOut(ctx context.Context, m replica.StaffMember)
}

// Desk is the staff desktop's window content and who is signed in.
type Desk struct {
	cfg    Config
	ctx    context.Context
	root   *fyne.Container
	scroll *container.Scroll // the screen's body; every new screen starts at its top
	foot   *fyne.Container   // the screen's buttons and messages, always in view
	frame  fyne.CanvasObject
	who    *widget.Label
	out    *widget.Button
	state  *widget.Label
	first  fyne.Focusable // the current screen's first field; UI goroutine only
	// refresh re-reads the screen after a sync (the record screen sets it);
	// online is the last sync state. UI goroutine only.
	refresh func()
	online  bool
	pending int // changes not yet answered by the server, at the last report
	// nav is the row of sections under the header; navButtons the ones
	// this member of staff sees; section the one they are in.
	nav        *fyne.Container
	navGrid    *fyne.Container
	navChooser *widget.Select // in navGrid's place when it would need too many rows
	navRows    int            // the rows navGrid took when last laid out
	navButtons map[section]*button
	section    section
	// booked is the booking last made at this desk, whose check-in code
	// its appointment letter can carry. UI goroutine only.
	booked *justBooked

	mu    sync.Mutex
	staff replica.StaffMember // zero when nobody is signed in
	// idleFor signs the member of staff out when the desk is unused this
	// long: fixed at sign-in (idleTimeout).
	idleFor time.Duration
	idle    *time.Timer
	gen     int // invalidates idle timers from before the last activity
}

// New builds the desk, showing the sign-in screen.
func New(ctx context.Context, cfg Config) *Desk {
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 5 * time.Minute
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
	d := &Desk{cfg: cfg, ctx: ctx, root: container.NewStack(), foot: container.NewVBox()}
	d.frame = d.buildFrame()
	d.showSignIn("")
	return d
}

// Content is the desk's whole window content.
func (d *Desk) Content() fyne.CanvasObject { return d.frame }

// buildFrame is the header (practice, who is signed in, sign out, sync
// state) above every screen; below it the screen's body, which scrolls, and
// its footer of messages and buttons, which does not, so that Next, Print
// and any error stay in view on a small screen at any text size; then the
// display switches.
func (d *Desk) buildFrame() fyne.CanvasObject {
	d.who = widget.NewLabel("")
	d.out = widget.NewButton(text.T(text.StaffSignOut), func() { d.SignOut("") })
	d.out.Hide()
	d.state = widget.NewLabel("")
	d.state.Importance = widget.WarningImportance
	d.state.Wrapping = fyne.TextWrapWord
	d.state.Hide()
	name := widget.NewLabelWithStyle(d.cfg.PracticeName, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	// Neither may widen the window at A++. The practice's name (also in
	// the window's title) is cut short rather than wrapped, so the header
	// stays one line and leaves the screen's body room at 1366x768; who is
	// signed in wraps, since it must be read whole.
	name.Truncation = fyne.TextTruncateEllipsis
	d.who.Wrapping = fyne.TextWrapWord
	d.who.Alignment = fyne.TextAlignTrailing
	d.nav, d.navGrid, d.navChooser = navRow(d.chooseSection)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, d.out, container.NewGridWithColumns(2, name, d.who)), d.state, d.nav, widget.NewSeparator())
	bottom := container.NewVBox(d.foot)
	if sw := d.cfg.Display; sw != nil {
		bottom.Add(widget.NewSeparator())
		bottom.Add(widgets.DisplaySwitches(sw, d.touch))
	}
	d.scroll = container.NewVScroll(d.root)
	return container.NewBorder(top, bottom, nil, nil, d.scroll)
}

// SetOnline shows whether the desk is working offline and how many changes
// wait to be sent; call on the UI goroutine.
func (d *Desk) SetOnline(online bool, pending int) {
	shown := d.state.Visible()
	switch {
	case !online:
		msg := text.T(text.StaffOffline)
		if pending > 0 {
			if pending == 1 {
				msg += " " + text.T(text.StaffPendingOne)
			} else {
				msg += " " + text.T(text.StaffPending, strconv.Itoa(pending))
			}
		}
		d.state.SetText(msg)
		d.state.Show()
	default:
		d.state.Hide()
	}
	if shown != d.state.Visible() {
		d.relayout()
	}
	d.online, d.pending = online, pending
	// The runner reports after every sync: what the screen shows (say, a
	// registration "being sent") may have changed.
	if d.refresh != nil {
		d.refresh()
	}
	// A sync may have brought help requests, or the server's refusal of
	// something done here.
	d.updateNav()
}

// relayout lays the whole window out again after part of a screen grew
// or shrank (results added, a line shown), so the scrolling body knows its
// new height and everything stays reachable.
func (d *Desk) relayout() {
	d.frame.Refresh()
	// The sections row learns how many rows it needs only when laid out
	// at the window's width: if that changed, once more with its height.
	grid := d.navGrid.Layout.(*navLayout)
	if rows := grid.rowsAt(d.navGrid.Objects, d.nav.Size().Width); rows != d.navRows {
		d.navRows = rows
		d.frame.Refresh()
	}
}

// nudge asks for queued changes to be sent now.
func (d *Desk) nudge() {
	if d.cfg.Nudge != nil {
		d.cfg.Nudge()
	}
}

// show replaces the screen with one that has no footer.
func (d *Desk) show(screen fyne.CanvasObject) { d.showWith(screen, nil) }

// showWith replaces the screen: body scrolls, footer (if any) stays at the
// bottom of the window. A new screen starts at its top, whatever the
// last one was scrolled to. Every screen change counts as activity.
func (d *Desk) showWith(body, footer fyne.CanvasObject) {
	d.first = nil
	d.refresh = nil
	d.replace(body, footer)
	d.scroll.ScrollToTop()
	d.touch()
}

// replace swaps the screen's content in place, keeping where it is
// scrolled to: the same screen, read again.
func (d *Desk) replace(body, footer fyne.CanvasObject) {
	d.root.Objects = []fyne.CanvasObject{body}
	d.root.Refresh()
	d.foot.Objects = nil
	if footer != nil {
		d.foot.Objects = []fyne.CanvasObject{widget.NewSeparator(), footer}
	}
	// The footer's height changed: lay the whole frame out again now, not
	// at the driver's next look at minimum sizes.
	d.relayout()
}

// idleTimeout is how long the desk may go unused before signing its user
// out: the practice's choice as last synced, else Config.IdleTimeout.
func (d *Desk) idleTimeout() time.Duration {
	if d.cfg.Settings == nil {
		return d.cfg.IdleTimeout
	}
	st, err := d.cfg.Settings.Settings(d.ctx)
	if err != nil || st.StaffIdleMinutes <= 0 {
		if err != nil && !errors.Is(err, replica.ErrNotSynced) {
			d.cfg.Log.Warn("staff desk: cannot read the practice's settings; using this desk's own", "err", err)
		}
		return d.cfg.IdleTimeout
	}
	return time.Duration(st.StaffIdleMinutes) * time.Minute
}

// signedIn is who is signed in, if anyone.
func (d *Desk) signedIn() (replica.StaffMember, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.staff, d.staff.ID != 0
}

// touch restarts the idle countdown while someone is signed in.
func (d *Desk) touch() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.idle != nil {
		d.idle.Stop()
		d.idle = nil
	}
	if d.staff.ID == 0 {
		return
	}
	d.gen++
	gen := d.gen
	// An online sign-in ends at the server's time limit even while the
	// desk is busy: sign out then, saying why, rather than let the next
	// action fail.
	wait, why := d.idleFor, text.StaffSignedOutIdle
	if wait <= 0 {
		wait = d.cfg.IdleTimeout
	}
	if _, until := d.staff.Session(); !until.IsZero() {
		if left := until.Sub(d.cfg.Clock()); left < wait {
			wait, why = max(left, 0), text.StaffSessionOver
		}
	}
	d.idle = time.AfterFunc(wait, func() {
		d.cfg.Do(func() {
			d.mu.Lock()
			stale := gen != d.gen
			d.mu.Unlock()
			if !stale {
				d.SignOut(text.T(why))
			}
		})
	})
}

// SignOut forgets who was signed in and every patient on screen, and
// returns to the sign-in screen with msg (if any).
func (d *Desk) SignOut(msg string) {
	d.mu.Lock()
	was := d.staff
	d.staff = replica.StaffMember{}
	d.gen++
	d.mu.Unlock()
	if d.cfg.SignIn != nil && was.ID != 0 {
		go d.cfg.SignIn.StaffSignOut(d.ctx, was) // the network must not hold up the screen
	}
	d.who.SetText("")
	d.out.Hide()
	d.nav.Hide()
	d.navGrid.RemoveAll()
	d.navButtons = nil
	d.section = secNone
	d.booked = nil
	d.showSignIn(msg)
}

// plain turns an error into words staff can act on: the store's own
// message for a refusal, otherwise a general sentence (the detail is
// logged, never shown).
func (d *Desk) plain(err error) string {
	if re, ok := store.AsRuleError(err); ok {
		return re.Message
	}
	if errors.Is(err, replica.ErrNotSynced) {
		return text.T(text.StaffNotSynced)
	}
	d.cfg.Log.Error("staff desk action failed", "err", err)
	return text.T(text.StaffSomethingWrong)
}

// roleName is the role in plain words.
func roleName(role string) string {
	switch role {
	case store.StaffClinician:
		return text.T(text.StaffRoleClinician)
	case store.StaffManager:
		return text.T(text.StaffRoleManager)
	}
	return text.T(text.StaffRoleReceptionist)
}

func (d *Desk) showSignIn(msg string) {
	username := widget.NewEntry()
	username.SetPlaceHolder(text.T(text.StaffUsername))
	password := widget.NewPasswordEntry()
	password.SetPlaceHolder(text.T(text.StaffPassword))
	message := widget.NewLabel(msg)
	message.Wrapping = fyne.TextWrapWord
	message.Importance = widget.DangerImportance
	var button *widget.Button
	submit := func() {
		if button.Disabled() {
			return
		}
		button.Disable()
		button.SetText(text.T(text.StaffCheckingPassword))
		user, pw := username.Text, password.Text
		// argon2id takes a noticeable moment: off the UI goroutine.
		go func() {
			signIn := d.cfg.Backend.StaffSignIn
			if d.cfg.SignIn != nil {
				signIn = d.cfg.SignIn.StaffSignIn
			}
			m, err := signIn(d.ctx, user, pw)
			idle := d.idleTimeout()
			d.cfg.Do(func() {
				if err != nil {
					password.SetText("")
					message.SetText(d.plain(err))
					button.SetText(text.T(text.StaffSignIn))
					button.Enable()
					return
				}
				d.mu.Lock()
				d.staff, d.idleFor = m, idle
				d.mu.Unlock()
				d.who.SetText(text.T(text.StaffSignedInAs, m.DisplayName, roleName(m.Role)))
				d.out.Show()
				d.buildNav(m.Role)
				d.showFind()
			})
		}()
	}
	button = widget.NewButton(text.T(text.StaffSignIn), submit)
	button.Importance = widget.HighImportance
	username.OnSubmitted = func(string) { submit() }
	password.OnSubmitted = func(string) { submit() }
	form := container.NewVBox(
		widget.NewLabelWithStyle(text.T(text.StaffSignInTitle, d.cfg.PracticeName), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel(text.T(text.StaffUsername)), username,
		widget.NewLabel(text.T(text.StaffPassword)), password,
		button, message,
	)
	// At least 480 wide, and as tall as the text size needs: a fixed box
	// would leave Sign in below its bottom edge at A++.
	d.show(container.NewCenter(container.New(atLeastWide(480), form)))
	d.focus(username)
}

// focus gives keyboard focus to o, the field staff type into first, and
// remembers it for FocusFirst.
func (d *Desk) focus(o fyne.Focusable) {
	d.first = o
	d.FocusFirst()
}

// FocusFirst puts the cursor in the current screen's first field. The app
// calls it once the desk is in its window, which the first screen was
// built before; call on the UI goroutine.
func (d *Desk) FocusFirst() {
	if d.first == nil {
		return
	}
	if app := fyne.CurrentApp(); app != nil {
		if c := app.Driver().CanvasForObject(d.frame); c != nil {
			c.Focus(d.first)
		}
	}
}

// atLeastWide lays its one object out at least this wide and as tall as
// it asks to be.
type atLeastWide float32

func (w atLeastWide) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := objs[0].MinSize()
	return fyne.NewSize(max(m.Width, float32(w)), m.Height)
}

func (w atLeastWide) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
}
