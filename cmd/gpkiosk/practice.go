package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	"gpkiosk/ui/kiosk"
	"gpkiosk/ui/practice"
	"gpkiosk/ui/receipt"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
	"gpkiosk/ui/widgets"
)

// practiceOptions is what practice mode is started with, wherever from.
type practiceOptions struct {
	display    *uitheme.Switcher
	printer    receipt.Printer
	log        *slog.Logger
	leave      func()
	leaveLabel text.Key
	// counts is the device's real replica, which queues the anonymous
	// lesson counts for the practice server; nil on a device that is not
	// enrolled (gpkiosk --practice), where they are not kept.
	counts *replica.Replica
	// nudge asks the device's sync runner to send what is queued soon; may
	// be nil.
	nudge func()
}

// open makes a practice session in a folder of its own, removed by end.
func (o practiceOptions) open(ctx context.Context) (*practice.Session, func(), error) {
	dir, err := os.MkdirTemp("", "gpkiosk-practice-")
	if err != nil {
		return nil, nil, fmt.Errorf("practice mode: %w", err)
	}
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		loc = time.UTC
	}
	cfg := practice.Config{Dir: dir, Location: loc, Log: o.log, Display: o.display, Printer: o.printer,
		SavePDF: savePracticePDF, Leave: o.leave, LeaveLabel: o.leaveLabel}
	if o.counts != nil {
		cfg.Count = func(ctx context.Context, lesson string, day store.Date) error {
			if err := o.counts.CountLesson(ctx, lesson, day); err != nil {
				return err
			}
			if o.nudge != nil {
				o.nudge()
			}
			return nil
		}
	}
	s, err := practice.Open(ctx, cfg)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return s, func() {
		if err := s.Close(); err != nil {
			o.log.Error("close practice mode", "err", err)
		}
		os.RemoveAll(dir)
	}, nil
}

// savePracticePDF keeps "What I practised today" in the Documents folder
// (the home folder if there is none), named by the time, so the helper
// can print it or send it on.
func savePracticePDF(_ context.Context, pdf []byte) (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("save what was practised: %w", err)
	}
	dir := filepath.Join(home, "Documents")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		dir = home
	}
	path := filepath.Join(dir, "What I practised "+time.Now().Format("2006-01-02 1504")+".pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		return "", fmt.Errorf("save what was practised: %w", err)
	}
	return path, nil
}

// kioskPractice switches a real kiosk's window to practice mode and back:
// the real kiosk keeps syncing underneath, untouched, and comes back as
// it was when the helper ends practice mode.
type kioskPractice struct {
	ctx     context.Context
	w       fyne.Window
	real    *kiosk.Kiosk
	rep     *replica.Replica
	opts    practiceOptions
	session *practice.Session
	end     func()
}

func (p *kioskPractice) start() error {
	if p.session != nil {
		return nil
	}
	o := p.opts
	o.counts = p.rep
	o.leave = func() { fyne.Do(p.stop) }
	o.leaveLabel = text.HelperEnd
	s, end, err := o.open(p.ctx)
	if err != nil {
		return err
	}
	p.session, p.end = s, end
	p.w.SetContent(s.Content())
	return nil
}

func (p *kioskPractice) stop() {
	if p.session == nil {
		return
	}
	p.end()
	p.session, p.end = nil, nil
	p.real.EndVisit()
	p.w.SetContent(p.real.Content())
}

// scanned and close go to practice mode while it runs.
func (p *kioskPractice) scanned(code string) {
	if p.session != nil {
		p.session.Scanned(code)
		return
	}
	p.real.Scanned(code)
}

func (p *kioskPractice) close() {
	if p.session != nil {
		p.session.AskHelper()
		return
	}
	p.real.AskStaffPIN()
}

// openDeskPractice opens practice mode in a window of its own beside the
// staff desk (a desktop in a library or community room).
func openDeskPractice(ctx context.Context, desk fyne.Window, rep *replica.Replica, nudge func(), display *uitheme.Switcher, log *slog.Logger) {
	w := fyne.CurrentApp().NewWindow("GP Kiosk: practice (not real)")
	o := practiceOptions{display: display, log: log, counts: rep, nudge: nudge, leaveLabel: text.HelperClose}
	o.leave = func() { fyne.Do(w.Close) }
	s, end, err := o.open(ctx)
	if err != nil {
		log.Error("start practice mode", "err", err)
		dialog.ShowInformation(text.T(text.NavPracticeMenu), text.T(text.StaffPracticeFailed), desk)
		return
	}
	w.SetPadded(false)
	w.SetContent(s.Content())
	w.SetCloseIntercept(s.AskHelper)
	w.SetOnClosed(end)
	widgets.NewScannerInput(s.Scanned).Attach(w.Canvas())
	w.Resize(fyne.NewSize(1024, 768))
	w.Show()
}
