// Package practice is practice mode (issue 12): the real kiosk's screens
// on a pretend practice (sync/pretend), guided lessons over them
// (ui/lessons), and the helper's view that chooses lessons, resets
// everything and prints what was practised. It has no sync client and no
// token: nothing done here can reach a real practice.
package practice

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"gpkiosk/store"
	"gpkiosk/sync/pretend"
	"gpkiosk/ui/kiosk"
	"gpkiosk/ui/lessons"
	"gpkiosk/ui/receipt"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
	"gpkiosk/ui/widgets"
)

// Config sets up a practice session.
type Config struct {
	// Dir is the pretend practice's own folder; the session owns it.
	Dir      string
	Clock    func() time.Time
	Location *time.Location
	Log      *slog.Logger
	Display  *uitheme.Switcher
	// Printer is the kiosk's receipt printer, for slips and for "What I
	// practised today"; nil when there is none.
	Printer receipt.Printer
	// SavePDF keeps "What I practised today" as an A4 PDF and says where;
	// nil hides the button.
	SavePDF func(ctx context.Context, pdf []byte) (string, error)
	// Count adds a finished lesson to the anonymous counts the practice
	// receives; nil on a device with no practice to send them to.
	Count func(ctx context.Context, lesson string, day store.Date) error
	// Speak reads a lesson's instruction aloud; nil until the kiosk can.
	Speak func(string)
	// IdleTimeout and WarnFor are the kiosk's; after both, with nobody
	// touching the screen, the pretend practice starts again.
	IdleTimeout, WarnFor time.Duration
	// Leave ends practice mode (back to the real kiosk or desk, or the
	// app closes); called only from the helper's view.
	Leave func()
	// LeaveLabel names Leave on the helper's view.
	LeaveLabel text.Key
	// Pace is how slowly "Show me" taps (default 1 s).
	Pace time.Duration
	// Do runs a change from a timer on the UI goroutine (default fyne.Do).
	Do func(func())
}

// Session is one practice-mode session: a pretend practice, the kiosk
// over it, a coach and the helper's view. Use it on the UI goroutine.
type Session struct {
	cfg      Config
	ctx      context.Context
	practice *pretend.Practice
	learner  lessons.Learner
	all      []lessons.Lesson

	root       *fyne.Container // the session's whole content
	kioskSlot  *fyne.Container // the kiosk's content
	kioskView  fyne.CanvasObject
	k          *kiosk.Kiosk
	stopKiosk  context.CancelFunc
	coach      *lessons.Coach
	chosen     map[string]bool
	done       map[string]bool
	finished   int // lessons finished on this device since it started
	helperNote string
	// helperShowing: the helper's view is on the screen.
	helperShowing bool

	mu   sync.Mutex
	idle *time.Timer
	gen  int
}

// Open makes the pretend practice and shows the helper's view, where the
// helper chooses lessons.
func Open(ctx context.Context, cfg Config) (*Session, error) {
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
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 60 * time.Second
	}
	if cfg.WarnFor <= 0 {
		cfg.WarnFor = 30 * time.Second
	}
	if cfg.LeaveLabel == "" {
		cfg.LeaveLabel = text.HelperEnd
	}
	p, err := pretend.Open(ctx, cfg.Dir, cfg.Clock)
	if err != nil {
		return nil, fmt.Errorf("practice.Open: %w", err)
	}
	letter := pretend.Learner()
	s := &Session{cfg: cfg, ctx: ctx, practice: p, chosen: map[string]bool{}, done: map[string]bool{},
		learner: lessons.Learner{AccountID: letter.AccountID, DateOfBirth: letter.DateOfBirth, GivenName: letter.GivenName,
			FamilyName: letter.FamilyName, Sex: letter.Sex, SlotType: "GP appointment", ODSCode: pretend.Details().ODSCode}}
	s.all = lessons.All(s.learner)
	s.coach = lessons.NewCoach(lessons.Config{
		Screen:   func() fyne.CanvasObject { return s.kioskView },
		Restart:  s.restartFor,
		Activity: func() { s.k.Touch() },
		Finished: s.finishedLesson,
		Helper:   func() { s.k.AskStaffPIN() },
		Speak:    cfg.Speak,
		Pace:     cfg.Pace,
		Do:       cfg.Do,
	})
	s.kioskSlot = container.NewStack()
	s.root = container.NewStack()
	s.newKiosk()
	s.showHelper()
	return s, nil
}

// Content is the session's whole window content.
func (s *Session) Content() fyne.CanvasObject { return s.root }

// Kiosk is the kiosk now showing the pretend practice.
func (s *Session) Kiosk() *kiosk.Kiosk { return s.k }

// Coach is the session's coach.
func (s *Session) Coach() *lessons.Coach { return s.coach }

// Lessons is every lesson, in order.
func (s *Session) Lessons() []lessons.Lesson { return s.all }

// Done reports whether the lesson was finished since the last reset.
func (s *Session) Done(id string) bool { return s.done[id] }

// Scanned passes a scanner's code to the kiosk.
func (s *Session) Scanned(code string) { s.k.Scanned(code) }

// AskHelper asks for the helper's PIN (the pretend practice's kiosk PIN)
// and then shows the helper's view: the window's close button calls it,
// so a learner cannot leave practice mode alone.
func (s *Session) AskHelper() { s.showKiosk(); s.k.AskStaffPIN() }

// Close ends the session and closes the pretend practice's files.
func (s *Session) Close() error {
	s.stopIdle()
	s.coach.Stop()
	if s.stopKiosk != nil {
		s.k.Stop()
		s.stopKiosk()
	}
	return s.practice.Close()
}

// newKiosk builds a kiosk over the pretend practice's replica as it is
// now; a reset builds another, since the old one's replica is closed.
func (s *Session) newKiosk() {
	if s.stopKiosk != nil {
		s.k.Stop()
		s.stopKiosk()
	}
	ctx, stop := context.WithCancel(s.ctx)
	s.stopKiosk = stop
	details := pretend.Details()
	var k *kiosk.Kiosk
	k = kiosk.New(ctx, kiosk.Config{
		Backend: s.practice.Replica(), PracticeName: details.Name, PracticeODS: details.ODSCode,
		IdleTimeout: s.cfg.IdleTimeout, WarnFor: s.cfg.WarnFor, Clock: s.cfg.Clock, Location: s.cfg.Location, Log: s.cfg.Log,
		SendNow: s.practice.SyncNow, CheckIn: s.practice, Printer: s.cfg.Printer, Display: s.cfg.Display, Practice: true,
		Nudge: func() {
			go func() {
				if err := s.practice.SyncNow(ctx); err != nil && ctx.Err() == nil {
					s.cfg.Log.Error("practice sync failed", "err", err)
				}
			}()
		},
		StaffMenu: s.showHelper,
		OnActivity: func() {
			if s.k == k {
				s.activity()
				s.coach.Check()
			}
		},
		OnIdleEnd: func() {
			if s.k == k {
				s.Reset()
			}
		},
		Do: s.cfg.Do,
	})
	s.k = k
	s.kioskView = k.Content()
	s.kioskSlot.Objects = []fyne.CanvasObject{s.coach.Around(s.kioskView)}
	s.kioskSlot.Refresh()
}

// activity restarts the wait after which an idle, used practice starts
// again, even on the welcome screen (which has nothing private to clear,
// but may show what the last learner booked).
func (s *Session) activity() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	gen := s.gen
	if s.idle != nil {
		s.idle.Stop()
	}
	s.idle = time.AfterFunc(s.cfg.IdleTimeout+s.cfg.WarnFor, func() {
		s.cfg.Do(func() {
			s.mu.Lock()
			current := s.gen == gen
			s.mu.Unlock()
			if current && s.dirty() {
				s.Reset()
			}
		})
	})
}

func (s *Session) stopIdle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	if s.idle != nil {
		s.idle.Stop()
	}
}

func (s *Session) dirty() bool {
	_, _, teaching := s.coach.Lesson()
	return teaching || len(s.done) > 0 || s.practice.Used()
}

// Reset throws away everything done in practice mode: the pretend
// practice is made again, lessons done are forgotten, and the kiosk goes
// back to its welcome screen. The anonymous counts already made stay.
func (s *Session) Reset() {
	s.stopIdle()
	s.coach.Stop()
	clear(s.done)
	if err := s.practice.Reset(s.ctx); err != nil {
		s.cfg.Log.Error("reset the pretend practice", "err", err)
	}
	s.newKiosk()
	if s.cfg.Display != nil {
		s.cfg.Display.Set(uitheme.Settings{})
	}
	s.cfg.Log.Info("practice mode reset")
	s.showKiosk()
	s.coach.Free()
}

func (s *Session) showKiosk() {
	s.helperShowing = false
	s.root.Objects = []fyne.CanvasObject{s.kioskSlot}
	s.root.Refresh()
}

// restartFor makes the pretend practice afresh if anything was done on
// it, so a lesson (or "Try again") starts from the same place every time,
// then readies what the lesson needs.
func (s *Session) restartFor(l lessons.Lesson) error {
	if s.practice.Used() {
		if err := s.practice.Reset(s.ctx); err != nil {
			s.cfg.Log.Error("reset the pretend practice", "err", err)
			return err
		}
		s.newKiosk()
	}
	s.k.EndVisit()
	if !l.Arrival {
		return nil
	}
	if err := s.practice.ArrangeArrival(s.ctx); err != nil {
		s.cfg.Log.Error("arrange a pretend arrival", "err", err)
		return err
	}
	return nil
}

func (s *Session) finishedLesson(l lessons.Lesson) {
	s.done[l.ID] = true
	// Done, so no longer chosen: "Start the lessons" goes on to the rest.
	delete(s.chosen, l.ID)
	s.finished++
	s.cfg.Log.Info("practice lesson finished", "lesson", l.ID)
	if s.cfg.Count == nil {
		return
	}
	if err := s.cfg.Count(s.ctx, l.ID, store.DateOf(s.cfg.Clock(), s.cfg.Location)); err != nil {
		s.cfg.Log.Error("count a practice lesson", "lesson", l.ID, "err", err)
	}
}

// startLessons runs the chosen lessons, in the usual order.
func (s *Session) startLessons() {
	var run []lessons.Lesson
	for _, l := range s.all {
		if s.chosen[l.ID] {
			run = append(run, l)
		}
	}
	if len(run) == 0 {
		s.helperNote = text.T(text.HelperChooseOne)
		s.showHelper()
		return
	}
	s.helperNote = ""
	s.showKiosk()
	s.coach.Run(run)
}

// practiseFreely gives the learner the kiosk with no lesson.
func (s *Session) practiseFreely() {
	s.helperNote = ""
	s.k.EndVisit()
	s.showKiosk()
	s.coach.Free()
}

// showHelper is the helper's view: choose lessons, see which are done,
// reset, print what was practised, leave.
func (s *Session) showHelper() {
	s.coach.Stop()
	s.k.EndVisit()
	var choices []fyne.CanvasObject
	for _, l := range s.all {
		label := text.T(l.Title)
		if s.done[l.ID] {
			label = text.T(text.HelperDoneToday, label)
		}
		b := widgets.NewCheckButton(label, func(on bool) { s.chosen[l.ID] = on; s.k.Touch() })
		b.Checked = s.chosen[l.ID]
		choices = append(choices, b)
	}
	note := widgets.NewText(s.helperNote, widgets.TextStrong)
	if s.helperNote == "" {
		note.Hide()
	}
	header := []fyne.CanvasObject{widgets.NewText(text.T(text.HelperTitle), widgets.TextHeading),
		widgets.NewText(text.T(text.HelperHint), widgets.TextBody), note}
	if s.finished > 0 {
		header = append(header, widgets.NewText(text.T(text.HelperCounted, strconv.Itoa(s.finished)), widgets.TextBody))
	}
	list := widgets.NewPager(choices, text.M(text.PagerMore), text.M(text.PagerBack))
	output := []fyne.CanvasObject{}
	if s.cfg.Printer != nil {
		output = append(output, widgets.NewButton(text.T(text.HelperPrint), s.printSlip))
	}
	if s.cfg.SavePDF != nil {
		output = append(output, widgets.NewButton(text.T(text.HelperSavePDF), s.savePDF))
	}
	footer := []fyne.CanvasObject{
		widgets.NewRow(widgets.NewPrimaryButton(text.T(text.HelperStart), s.startLessons),
			widgets.NewButton(text.T(text.HelperFree), s.practiseFreely)),
	}
	if len(output) > 0 {
		footer = append(footer, widgets.NewRow(output...))
	}
	footer = append(footer, widgets.NewRow(widgets.NewButton(text.T(text.HelperReset), func() {
		s.Reset()
		s.helperNote = text.T(text.HelperResetDone)
		s.showHelper()
	}), widgets.NewButton(text.T(s.cfg.LeaveLabel), s.leave)))
	page := widgets.NewPage(header, list, footer)
	s.helperShowing = true
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(kiosk.PracticeBanner(), nil, nil, nil, page)}
	s.root.Refresh()
}

func (s *Session) leave() {
	s.cfg.Log.Info("practice mode ended by the helper")
	if s.cfg.Leave != nil {
		s.cfg.Leave()
	}
}
