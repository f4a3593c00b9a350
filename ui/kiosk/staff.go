package kiosk

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"gpkiosk/store/passhash"
	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

// Leaving the kiosk: only staff, with the practice's kiosk PIN, may close
// it. Two ways in: the window's close button (intercepted by the caller,
// which calls AskStaffPIN) and a hidden gesture, five quick taps on the
// practice name, for a touchscreen with no window decorations.
const (
	staffTaps       = 5
	staffTapsWithin = 3 * time.Second
	// maxPINFailures wrong PINs in a row lock the staff screen for
	// pinLockout and tell reception; a PIN has few digits, so guessing
	// must be slow.
	maxPINFailures = 5
	pinLockout     = 5 * time.Minute
	maxPINDigits   = 12
)

// staffGate counts wrong PINs. It lives as long as the kiosk, not a
// session, so signing out does not reset it.
type staffGate struct {
	mu       sync.Mutex
	failures int
	lockedTo time.Time
}

func (g *staffGate) locked(now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return now.Before(g.lockedTo)
}

// failed records a wrong PIN and reports whether it just locked the gate.
func (g *staffGate) failed(now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failures++
	if g.failures < maxPINFailures {
		return false
	}
	g.failures = 0
	g.lockedTo = now.Add(pinLockout)
	return true
}

func (g *staffGate) passed() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failures = 0
}

// AskStaffPIN clears any patient's session and asks for the staff PIN.
// The window's close intercept calls it; so does the hidden gesture. Call
// on the UI goroutine.
func (k *Kiosk) AskStaffPIN() {
	k.forgetPatient()
	k.previousScreen = nil
	if k.staff.locked(k.cfg.Clock()) {
		k.showStaffMessage(text.M(text.StaffLocked))
		return
	}
	verifier, err := k.cfg.Backend.ExitPINVerifier(k.ctx)
	if err != nil {
		k.cfg.Log.Error("read kiosk exit PIN", "err", err)
		k.showStaffMessage(text.M(text.StaffNoPIN))
		return
	}
	if verifier == "" {
		k.showStaffMessage(text.M(text.StaffNoPIN))
		return
	}
	k.showStaffPIN(verifier, nil)
}

func (k *Kiosk) showStaffMessage(msg text.Message) {
	k.show(widgets.NewPage(objs(heading(text.M(text.StaffTitle)), para(msg)), widgets.NewList(widgets.NewPrimaryButtonOf(text.M(text.Back), k.showWelcome)), nil))
}

// showStaffPIN shows a digit keypad whose entry is masked: people in the
// waiting room can see the screen.
func (k *Kiosk) showStaffPIN(verifier string, notice text.Message) {
	var pin []rune
	masked := widgets.NewText("", widgets.TextTyped)
	update := func() {
		masked.SetText(strings.TrimSpace(strings.Repeat("● ", len(pin))))
		k.touch()
	}
	pad := widgets.NewKeypad(widgets.KeypadDigits)
	pad.OnKey = func(r rune) {
		if len(pin) < maxPINDigits {
			pin = append(pin, r)
		}
		update()
	}
	pad.OnDelete = func() {
		if len(pin) > 0 {
			pin = pin[:len(pin)-1]
		}
		update()
	}
	pad.OnClear = func() { pin = pin[:0]; update() }
	check := func() {
		entered := string(pin)
		pin = pin[:0]
		k.checkStaffPIN(verifier, entered)
	}
	header := objs(heading(text.M(text.StaffTitle)), para(text.M(text.StaffEnterPIN)))
	if notice != nil {
		header[1] = warning(notice)
	}
	header = append(header, widgets.NewField(masked))
	k.show(widgets.NewPage(header, pad,
		objs(widgets.NewRow(widgets.NewButtonOf(text.M(text.Back), k.showWelcome), widgets.NewPrimaryButtonOf(text.M(text.StaffOK), check)))))
	// Staff with a keyboard may type the PIN and press Enter; it arrives
	// like a scan, and is never echoed.
	k.scan = func(code string) {
		pin = []rune(strings.TrimSpace(code))
		check()
	}
}

func (k *Kiosk) checkStaffPIN(verifier, pin string) {
	ok, err := passhash.Verify(verifier, pin)
	if err != nil {
		// A verifier we cannot read is the practice's problem to fix; say
		// so rather than pretend the PIN was wrong.
		k.cfg.Log.Error("kiosk exit PIN verifier unreadable", "err", err)
		k.showStaffMessage(text.M(text.StaffNoPIN))
		return
	}
	if !ok {
		k.cfg.Log.Warn("wrong kiosk exit PIN")
		if k.staff.failed(k.cfg.Clock()) {
			if _, err := k.cfg.Backend.ReportProblem(k.ctx, "staff-pin", text.English().T(text.StaffLockedReport, strconv.Itoa(int(pinLockout/time.Minute)))); err != nil {
				k.cfg.Log.Error("report locked staff screen", "err", err)
			}
			k.nudge()
			k.showStaffMessage(text.M(text.StaffLocked))
			return
		}
		k.showStaffPIN(verifier, text.M(text.StaffWrongPIN))
		return
	}
	k.staff.passed()
	k.cfg.Log.Info("staff opened the kiosk's staff menu")
	if k.cfg.StaffMenu != nil {
		k.cfg.StaffMenu()
		return
	}
	k.showStaffMenu()
}

func (k *Kiosk) showStaffMenu() {
	choices := []fyne.CanvasObject{
		widgets.NewPrimaryButtonOf(text.M(text.StaffCloseKiosk), func() {
			k.cfg.Log.Info("staff closed the kiosk")
			if k.cfg.Quit != nil {
				k.cfg.Quit()
			}
		}),
	}
	if k.cfg.StartPractice != nil {
		choices = append(choices, widgets.NewButtonOf(text.M(text.StaffStartPractice), func() {
			k.cfg.Log.Info("staff started practice mode")
			k.EndVisit()
			if err := k.cfg.StartPractice(); err != nil {
				k.cfg.Log.Error("start practice mode", "err", err)
				k.showStaffMessage(text.M(text.StaffPracticeFailed))
			}
		}))
	}
	choices = append(choices, widgets.NewButtonOf(text.M(text.StaffBackToKiosk), k.showWelcome))
	k.show(widgets.NewPage(objs(heading(text.M(text.StaffMenuTitle))), widgets.NewList(choices...), nil))
}

// tapCounter is the practice name in the status strip. It looks like
// text; five quick taps on it open the staff PIN screen.
type tapCounter struct {
	widgets.Text
	onTaps func()
	clock  func() time.Time
	taps   []time.Time
}

func newTapCounter(label string, clock func() time.Time, onTaps func()) *tapCounter {
	t := &tapCounter{onTaps: onTaps, clock: clock}
	t.Text.Text = label
	t.Role = widgets.TextStatus
	t.Align = fyne.TextAlignLeading
	t.ExtendBaseWidget(t)
	return t
}

// Tapped is part of fyne.Tappable.
func (t *tapCounter) Tapped(*fyne.PointEvent) {
	now := t.clock()
	kept := t.taps[:0]
	for _, at := range t.taps {
		if now.Sub(at) < staffTapsWithin {
			kept = append(kept, at)
		}
	}
	t.taps = append(kept, now)
	if len(t.taps) >= staffTaps {
		t.taps = t.taps[:0]
		t.onTaps()
	}
}
