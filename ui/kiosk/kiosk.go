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
	WithdrawHelp(ctx context.Context, opID string) (bool, error)
	ReportProblem(ctx context.Context, category, description string) (string, error)
	AttentionFor(ctx context.Context, patientID int64) ([]replica.AttentionItem, error)
	DismissAttention(ctx context.Context, opID string) error
	UnseenOutcomes(ctx context.Context, patientID int64) ([]replica.RequestOutcome, error)
	MarkOutcomesSeen(ctx context.Context, patientID int64, requestIDs []int64) error
	RepeatItems(ctx context.Context, patientID int64) ([]replica.RepeatItem, error)
	Requests(ctx context.Context, patientID int64) ([]replica.Request, error)
	OrderRepeats(ctx context.Context, patientID int64, itemIDs []int64, note string) (replica.LocalRequest, error)
	CancelRequest(ctx context.Context, patientID int64, ref replica.Ref) (string, error)
	ExitPINVerifier(ctx context.Context) (string, error)
	Settings(ctx context.Context) (store.Settings, error)
	// EndPatientSession forgets the signed-in patient's key: their
	// actions can no longer be signed here.
	EndPatientSession()
}

// PracticeSettings is the practice's settings as this kiosk last synced
// them (*replica.Replica). Before the first sync it returns an error
// (replica.ErrNotSynced).
type PracticeSettings interface {
	Settings(ctx context.Context) (store.Settings, error)
}

// Config sets up a kiosk.
type Config struct {
	Backend      Backend
	PracticeName string
	// PracticeODS is the practice's ODS code, to refuse a letter from
	// another practice by name; "" when not known (offline at start).
	PracticeODS string
	// IdleTimeout is how long any screen but the welcome screen waits
	// without a touch before "Are you still there?" (default 60 s);
	// WarnFor is how long that warning shows before everything is cleared
	// (default 30 s: WCAG 2.2 asks for at least 20 s to answer). They and
	// ReadAloudByDefault are the fallback: Settings, once synced, decides.
	IdleTimeout time.Duration
	WarnFor     time.Duration
	// Settings, when set, gives each visit the practice's idle time,
	// warning time and read-aloud choice (store.Settings' KioskIdleSeconds,
	// KioskIdleWarningSeconds, ReadAloudDefault), read as the welcome
	// screen appears, so a change reaches the next visit without a
	// restart. nil: the values here always.
	Settings PracticeSettings
	Clock    func() time.Time
	Location *time.Location // Europe/London
	Log      *slog.Logger
	// Nudge asks the sync runner to send new actions soon; may be nil.
	Nudge func()
	// SendNow sends what is queued to the practice server and returns once
	// the server has answered, so the screen can say "booked" or "help is
	// coming" truthfully; nil when there is no server.
	SendNow func(ctx context.Context) error
	// CheckIn checks patients in at the server; nil means reception does.
	CheckIn CheckInService
	// Printer prints appointment slips; nil when the kiosk has none.
	Printer receipt.Printer
	// Display switches text size and contrast; nil hides the switches.
	// Each visit ends by putting them back to normal.
	Display *uitheme.Switcher
	// Speaker reads screens aloud ("Read this to me"); nil, or one that
	// is not Available, shows no such button.
	Speaker Speaker
	// ReadAloudByDefault reads each screen as it appears, while nobody is
	// signed in, until Settings gives the practice's choice.
	ReadAloudByDefault bool
	// Quit closes the kiosk app; called only after staff give the PIN.
	Quit func()
	// Practice marks a pretend practice for a digital-skills session
	// (sync/pretend): the status strip says so on every screen.
	Practice bool
	// StaffMenu, when set, is shown instead of the kiosk's own staff menu
	// once the PIN is right: practice mode's helper's view.
	StaffMenu func()
	// StartPractice, when set, offers "Start practice mode" on the staff
	// menu (a digital-skills session on a pretend practice); an error is
	// told to the member of staff.
	StartPractice func() error
	// OnActivity runs after every screen change and every touch, on the
	// UI goroutine: a guided lesson follows the learner with it.
	OnActivity func()
	// OnIdleEnd runs after the idle warning has run out and the visit was
	// ended; practice mode resets its pretend practice then.
	OnIdleEnd func()
	// Do runs a UI change from a timer's goroutine on the UI goroutine
	// (default fyne.Do); tests pass their own to run it in step.
	Do func(func())
}

// sendWait is how long a screen waits for the practice server to confirm
// a booking or a call for help before saying it is not confirmed.
const sendWait = 4 * time.Second

// Kiosk is the kiosk's screens and the signed-in patient, if any.
type Kiosk struct {
	cfg     Config
	ctx     context.Context
	root    *fyne.Container // the current screen
	frame   fyne.CanvasObject
	offline *widgets.Text
	time    *widgets.Text
	name    *tapCounter // the practice's name in the status strip

	// previousScreen is what the idle warning returns to; only touched on
	// the UI goroutine.
	previousScreen fyne.CanvasObject
	// scan handles a code from the scanner on the current screen, if it
	// accepts one; UI goroutine only.
	scan func(code string)
	// online is the sync runner's last word: false once a sync failed.
	// UI goroutine only.
	online bool

	staff staffGate
	// languageChoices are the choice-of-language buttons made so far
	// (language.go); UI goroutine only.
	languageChoices map[uitheme.Settings]*languageChoice
	// readAloud is "Read this to me" (readaloud.go), nil when the kiosk
	// cannot speak; UI goroutine only.
	readAloud *widgets.Button

	mu        sync.Mutex
	visit     visitSettings // this visit's idle times and reading aloud
	session   *session
	idle      *time.Timer
	warn      *time.Timer
	gen       int  // invalidates timers from before the last touch
	stopped   bool // Stop was called: no timer starts again
	onWelcome bool // the welcome screen, the only one with nothing to clear
}

// visitSettings are what one visit goes by, fixed as it starts so a
// change part way through neither cuts a visit short nor starts reading
// a screen aloud unasked.
type visitSettings struct {
	idle, warn time.Duration
	readAloud  bool
}

// takeSettings fixes the next visit's settings: the practice's as last
// synced, or the Config's before the first sync. UI goroutine; a read of
// one row of the replica.
func (k *Kiosk) takeSettings() {
	v := visitSettings{idle: k.cfg.IdleTimeout, warn: k.cfg.WarnFor, readAloud: k.cfg.ReadAloudByDefault}
	if k.cfg.Settings != nil {
		st, err := k.cfg.Settings.Settings(k.ctx)
		switch {
		case err == nil:
			// 0 is a server from before these were settings: keep ours.
			if st.KioskIdleSeconds > 0 {
				v.idle = time.Duration(st.KioskIdleSeconds) * time.Second
			}
			if st.KioskIdleWarningSeconds > 0 {
				v.warn = time.Duration(st.KioskIdleWarningSeconds) * time.Second
			}
			v.readAloud = st.ReadAloudDefault
		case !errors.Is(err, replica.ErrNotSynced):
			k.cfg.Log.Warn("kiosk: cannot read the practice's settings; using this kiosk's own", "err", err)
		}
	}
	k.mu.Lock()
	k.visit = v
	k.mu.Unlock()
}

// visitNow is the current visit's settings.
func (k *Kiosk) visitNow() visitSettings {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.visit
}

// Synced takes the practice's settings again after a sync while nobody is
// using the kiosk, so a kiosk left on its welcome screen all day starts
// the next visit with today's. Call on the UI goroutine.
func (k *Kiosk) Synced() {
	k.mu.Lock()
	between := k.onWelcome && k.session == nil
	k.mu.Unlock()
	if between {
		k.takeSettings()
	}
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
		cfg.WarnFor = 30 * time.Second
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
	k := &Kiosk{cfg: cfg, ctx: ctx, root: container.New(fillLayout{}), online: true, languageChoices: map[uitheme.Settings]*languageChoice{}}
	k.frame = k.statusFrame()
	k.showWelcome()
	go k.tick()
	return k
}

// Content is the kiosk's whole window content.
func (k *Kiosk) Content() fyne.CanvasObject { return k.frame }

// statusFrame puts the status strip above every screen: the practice
// name (and the offline notice under it) on the left, the display
// switches and the time on the right. One strip, not a row above and
// another below, leaves the screen the height it needs at A++.
func (k *Kiosk) statusFrame() fyne.CanvasObject {
	name := newTapCounter(k.cfg.PracticeName, k.cfg.Clock, k.AskStaffPIN)
	k.name = name
	k.time = widgets.NewText(k.cfg.Clock().In(k.cfg.Location).Format("15:04"), widgets.TextStatus)
	k.offline = widgets.NewTextOf(text.M(text.WorkingOffline), widgets.TextStatusNotice)
	k.offline.Align = fyne.TextAlignLeading
	k.offline.Hide()
	right := container.NewHBox()
	// The choice of language and "Read this to me" sit with the display
	// switches, on every screen: someone who struggles half way through
	// can switch or listen without starting again.
	for _, b := range k.accessButtons() {
		right.Add(b)
	}
	if sw := k.cfg.Display; sw != nil {
		right.Add(widgets.DisplaySwitches(sw, k.touch))
	}
	right.Add(container.NewCenter(k.time))
	left := widgets.NewColumn(name, k.offline)
	if k.cfg.Practice {
		left = widgets.NewColumn(name, PracticeBanner(), k.offline)
	}
	strip := container.New(stripLayout{}, left, right)
	top := container.NewVBox(container.NewPadded(strip), widget.NewSeparator())
	// Nothing scrolls: a touchscreen cannot drag under Fyne's desktop
	// driver, so each screen fits or pages (widgets.Page, widgets.Pager).
	return container.NewBorder(top, nil, nil, nil, k.root)
}

// Practice banner colours: white on a purple no kiosk screen otherwise
// uses, in either theme, so practice is told apart from the real thing at
// a glance; 9.9:1 (TestPracticeBannerContrast).
func practiceBannerColours() (ink, band color.NRGBA) {
	return color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}, color.NRGBA{R: 0x5e, G: 0x2a, B: 0x84, A: 0xff}
}

// outcome words the title of a screen that says something was done
// (booked, ordered, checked in): on the pretend practice it says
// "Practice only:" first, so no practice screen says "booked" alone.
func (k *Kiosk) outcome(title text.Message) text.Message {
	if k.cfg.Practice {
		return text.M(text.PracticeSays, title)
	}
	return title
}

// PracticeBanner says "Practice — nothing here is real" on a purple band,
// at the status strip's own size.
func PracticeBanner() fyne.CanvasObject {
	ink, band := practiceBannerColours()
	// Staff run practice sessions in English; the banner stays English so
	// a volunteer can always read it.
	words := canvas.NewText(text.T(text.PracticeBanner), ink)
	words.TextStyle = fyne.TextStyle{Bold: true}
	words.TextSize = theme.DefaultTheme().Size(theme.SizeNameText)
	return container.NewStack(canvas.NewRectangle(band), container.NewPadded(words))
}

// stripLayout gives the right-hand part its natural width and the left
// the rest, wrapping a long practice name rather than pushing the
// switches off the screen.
type stripLayout struct{}

func (stripLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	left, right := objs[0], objs[1]
	rm := right.MinSize()
	lw := max(size.Width-rm.Width-theme.Padding()*2, 0)
	left.Resize(fyne.NewSize(lw, left.Size().Height))
	lh := left.MinSize().Height
	h := max(lh, rm.Height)
	left.Move(fyne.NewPos(0, (h-lh)/2))
	left.Resize(fyne.NewSize(lw, lh))
	right.Move(fyne.NewPos(size.Width-rm.Width, (h-rm.Height)/2))
	right.Resize(rm)
}

func (stripLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	rm := objs[1].MinSize()
	return fyne.NewSize(rm.Width, max(objs[0].MinSize().Height, rm.Height))
}

// fillLayout gives its one screen all the room and asks for none, so a
// screen can never make the window grow.
type fillLayout struct{}

func (fillLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (fillLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }

// SetPractice changes the practice's name and ODS code, for a kiosk that
// opened with the name it remembered and has since heard the server's.
// The status strip shows the new name at once, and so does the welcome
// screen if nobody is using the kiosk; a visit under way keeps its screen
// and sees the new name on the next. Call on the UI goroutine.
func (k *Kiosk) SetPractice(name, ods string) {
	if name == k.cfg.PracticeName && ods == k.cfg.PracticeODS {
		return
	}
	k.cfg.PracticeName, k.cfg.PracticeODS = name, ods
	k.name.SetText(name)
	k.mu.Lock()
	between := k.onWelcome && k.session == nil
	k.mu.Unlock()
	if between {
		k.showWelcome()
	}
}

// SetOnline shows or hides the offline notice; call on the UI goroutine.
// The sync runner reports after every sync, online or not: only a change
// redraws, so an idle kiosk does not repaint its window every poll.
func (k *Kiosk) SetOnline(online bool) {
	if online == k.online && k.offline.Visible() != online {
		return
	}
	k.online = online
	if online {
		k.offline.Hide()
	} else {
		k.offline.Show()
	}
	k.offline.Refresh()
}

// tick keeps the clock in the status strip right: it wakes once a
// minute, just after the minute turns, rather than polling, and redraws
// only when the time shown changes. An idle kiosk should cost little more
// than a bare window (docs/benchmarks.md).
func (k *Kiosk) tick() {
	t := time.NewTimer(untilNextMinute(k.cfg.Clock()))
	defer t.Stop()
	shown := k.cfg.Clock().In(k.cfg.Location).Format("15:04")
	for {
		select {
		case <-k.ctx.Done():
			return
		case <-t.C:
		}
		now := k.cfg.Clock()
		if s := now.In(k.cfg.Location).Format("15:04"); s != shown {
			shown = s
			k.cfg.Do(func() { k.time.SetText(s) })
		}
		t.Reset(untilNextMinute(now))
	}
}

// untilNextMinute is how long from now until just after the next minute
// starts (a little after, so a timer that fires early still sees it).
func untilNextMinute(now time.Time) time.Duration {
	return now.Truncate(time.Minute).Add(time.Minute + 50*time.Millisecond).Sub(now)
}

// show replaces the screen. Every screen change counts as activity.
func (k *Kiosk) show(screen fyne.CanvasObject) {
	// A proxy sees whose account they are using on every screen.
	if s, ok := k.signedIn(); ok && s.patient.ActingFor {
		banner := widgets.NewTextOf(text.M(text.ActingFor, s.patient.GivenName), widgets.TextStrong)
		screen = widgets.NewPage([]fyne.CanvasObject{banner}, screen, nil)
	}
	k.previousScreen = screen
	k.scan = nil
	k.setScreen(screen, false)
	k.touch()
}

// Touch counts as activity: a guided lesson's own buttons call it, so
// reading the instructions does not end the visit.
func (k *Kiosk) Touch() { k.touch() }

// Stop stops the kiosk's timers, for a kiosk that is being replaced
// (practice mode's reset): nothing from before may fire on a new screen.
func (k *Kiosk) Stop() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.gen++
	k.stopped = true
	if k.idle != nil {
		k.idle.Stop()
	}
	if k.warn != nil {
		k.warn.Stop()
	}
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
func (k *Kiosk) setScreen(screen fyne.CanvasObject, welcome bool) {
	k.mu.Lock()
	k.onWelcome = welcome
	k.mu.Unlock()
	k.root.Objects = []fyne.CanvasObject{screen}
	k.root.Refresh()
	k.screenChanged()
	if app := fyne.CurrentApp(); app != nil {
		if c := app.Driver().CanvasForObject(k.frame); c != nil {
			c.Unfocus()
		}
	}
}

// touch restarts the idle countdown; called on every tap. Every screen but
// the welcome screen counts down: a half-typed date of birth or "help is
// coming" is as much someone's business as a signed-in menu.
func (k *Kiosk) touch() {
	k.startCountdown()
	if k.cfg.OnActivity != nil {
		k.cfg.OnActivity()
	}
}

func (k *Kiosk) startCountdown() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.stopped {
		return
	}
	k.gen++
	gen := k.gen
	if k.idle != nil {
		k.idle.Stop()
	}
	if k.warn != nil {
		k.warn.Stop()
	}
	if k.onWelcome && k.session == nil {
		// Nothing private to clear, but a text size or contrast chosen
		// here and left must not greet the next person.
		if k.cfg.Display != nil && k.cfg.Display.Current() != (uitheme.Settings{}) {
			k.idle = time.AfterFunc(k.visit.idle, func() {
				k.cfg.Do(func() {
					if k.current(gen) {
						k.cfg.Display.Set(uitheme.Settings{})
					}
				})
			})
		}
		return
	}
	k.idle = time.AfterFunc(k.visit.idle, func() {
		k.cfg.Do(func() { k.warnIdle(gen) })
	})
}

func (k *Kiosk) current(gen int) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return gen == k.gen
}

// warnIdle asks "Are you still there?" with a countdown, then clears
// everything.
func (k *Kiosk) warnIdle(gen int) {
	if !k.current(gen) {
		return
	}
	warnFor := k.visitNow().warn
	left := int(warnFor / time.Second)
	countdown := widgets.NewTextOf(text.M(text.IdleCountdown, text.Number(left)), widgets.TextStrong)
	stillHere := widgets.NewPrimaryButtonOf(text.M(text.IdleStillHere), nil)
	screen := widgets.NewPage(
		[]fyne.CanvasObject{heading(text.M(text.IdleTitle)), para(text.M(text.IdleMessage)), countdown},
		widgets.NewList(stillHere), nil)
	// Showing the warning is not activity: keep the countdown's generation.
	k.setScreen(screen, false)
	previous := k.previousScreen
	stillHere.OnTapped = func() {
		if previous != nil {
			k.show(previous)
		} else {
			k.showWelcome()
		}
	}
	k.mu.Lock()
	k.warn = time.AfterFunc(warnFor, func() {
		k.cfg.Do(func() {
			if k.current(gen) {
				k.EndVisit()
				if k.cfg.OnIdleEnd != nil {
					k.cfg.OnIdleEnd()
				}
			}
		})
	})
	k.mu.Unlock()
	go k.countDown(gen, left, countdown)
}

// countDown updates the warning's seconds left once a second while it
// shows.
func (k *Kiosk) countDown(gen, left int, countdown *widgets.Text) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for left > 1 {
		select {
		case <-k.ctx.Done():
			return
		case <-t.C:
		}
		left--
		if !k.current(gen) {
			return
		}
		n := left
		k.cfg.Do(func() {
			if k.current(gen) {
				countdown.SetMessage(text.M(text.IdleCountdown, text.Number(n)))
			}
		})
	}
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
		k.showSignIn(k.showMenu)
		k.scan(code)
	}
}

// SignOut forgets the patient and returns to the welcome screen, dropping
// every screen that showed their details.
func (k *Kiosk) SignOut() { k.EndVisit() }

// forgetPatient signs out whoever is signed in, here and in the backend,
// which forgets the key their actions were signed with.
func (k *Kiosk) forgetPatient() {
	k.mu.Lock()
	k.session = nil
	k.mu.Unlock()
	k.cfg.Backend.EndPatientSession()
}

// EndVisit clears everything one person left: the signed-in patient, every
// screen that showed their details, anything typed, and their text size
// and contrast. The next person starts from the welcome screen as new.
func (k *Kiosk) EndVisit() {
	k.forgetPatient()
	k.previousScreen = nil
	if k.cfg.Display != nil {
		k.cfg.Display.Set(uitheme.Settings{})
	}
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
// sentence for a rule, in the patient's language by its code, never a Go
// error string.
func plain(err error) text.Message {
	if m, ok := text.RefusalOf(err); ok {
		return m
	}
	if errors.Is(err, context.Canceled) {
		return text.M(text.ErrorStopped)
	}
	return text.M(text.ErrorGeneral)
}

// catalogue is the patient's language for this visit.
func (k *Kiosk) catalogue() text.Catalog {
	if k.cfg.Display == nil {
		return text.English()
	}
	return text.For(k.cfg.Display.Current().Lang)
}

// say is m in the patient's language, for what is not drawn by a widget
// (a printed slip).
func (k *Kiosk) say(m text.Message) string { return m.In(k.catalogue()) }

// sayAll is each of ms in the patient's language.
func (k *Kiosk) sayAll(ms []text.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = k.say(m)
	}
	return out
}

func heading(m text.Message) *widgets.Text { return widgets.NewTextOf(m, widgets.TextHeading) }

func para(m text.Message) *widgets.Text { return widgets.NewTextOf(m, widgets.TextBody) }

func warning(m text.Message) *widgets.Text { return widgets.NewTextOf(m, widgets.TextDanger) }

// objs is a list of screen parts, for widgets.NewPage.
func objs(o ...fyne.CanvasObject) []fyne.CanvasObject { return o }
