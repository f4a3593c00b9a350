package lessons

import (
	"image/color"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
	"gpkiosk/ui/widgets"
)

// Config connects a coach to the kiosk it teaches on.
type Config struct {
	// Screen is the kiosk's whole content now; the coach reads it and
	// outlines controls on it (its Overlay lies exactly over it).
	Screen func() fyne.CanvasObject
	// Restart puts the kiosk and the pretend practice back as they were
	// before the lesson began (its welcome screen, nobody signed in,
	// nothing booked, and what the lesson needs, such as an appointment
	// today to check in for): the start of a lesson and "Try again".
	Restart func(Lesson) error
	// Activity counts a tap on the coach's own buttons as activity, so
	// reading an instruction does not end the visit.
	Activity func()
	// Finished is told each lesson the learner finishes, for the helper's
	// view and the anonymous counts.
	Finished func(Lesson)
	// Helper asks for the helper's PIN and shows the helper's view.
	Helper func()
	// Speak reads an instruction aloud when a step begins; nil until the
	// kiosk can speak (issue 15), so every instruction is plain text.
	Speak func(string)
	// Pace is how long "Show me" waits between its taps (default 1 s),
	// slow enough to follow.
	Pace time.Duration
	// Do runs a change from a timer on the UI goroutine (default fyne.Do).
	Do func(func())
}

// Coach runs lessons over the kiosk's screens: a panel under the screen
// with the step's instruction, and an outline around the control to press.
// Use it on the UI goroutine only.
type Coach struct {
	cfg Config

	queue   []Lesson
	lesson  *Lesson
	step    int
	done    bool // the lesson is finished; the panel says well done
	free    bool // practising with no lesson
	hint    string
	playing bool // "Show me" or "Try again" is tapping for the learner
	gen     int  // invalidates timers from before the last start or stop
	// following is closed to stop the outline following the screen.
	following chan struct{}

	panel   *fyne.Container
	say     *widgets.Text
	actions *fyne.Container
	layout  *panelLayout
	// tall: the window has room for the panel to grow with the text
	// size; otherwise it stays at A (splitLayout decides).
	tall bool

	overlay *fyne.Container
	outer   *canvas.Rectangle
	inner   *canvas.Rectangle
	badge   *fyne.Container
}

// Outline colours: a black ring inside a yellow one, so the outline shows
// on light and dark screens alike, and its thickness, not its colour,
// is what marks the control.
func ringDark() color.Color  { return color.NRGBA{A: 0xff} }
func ringLight() color.Color { return color.NRGBA{R: 0xff, G: 0xd7, A: 0xff} }

const ringWidth = 5

// NewCoach builds a coach with nothing to teach yet.
func NewCoach(cfg Config) *Coach {
	if cfg.Pace <= 0 {
		cfg.Pace = time.Second
	}
	if cfg.Do == nil {
		cfg.Do = fyne.Do
	}
	c := &Coach{cfg: cfg}
	// The step's words (its instruction, or a hint in its place) beside
	// its buttons, at the A size whatever the size chosen, as the status
	// strip is: the kiosk's screen above keeps the room it needs at A++ on
	// a 1024x768 screen.
	c.say = widgets.NewText("", widgets.TextStrong)
	c.say.Align = fyne.TextAlignLeading
	c.actions = container.New(&buttonsLayout{})
	band := canvas.NewRectangle(color.NRGBA{R: 0x5e, G: 0x2a, B: 0x84, A: 0xff})
	band.SetMinSize(fyne.NewSize(0, 6))
	c.layout = &panelLayout{}
	c.panel = container.NewBorder(band, nil, nil, nil, container.NewThemeOverride(
		container.NewPadded(container.New(c.layout, c.say, c.actions)), uitheme.CappedBy(c.largest)))
	c.panel.Hide()

	c.outer = canvas.NewRectangle(color.Transparent)
	c.outer.StrokeColor, c.outer.StrokeWidth, c.outer.CornerRadius = ringLight(), ringWidth*2, 10
	c.inner = canvas.NewRectangle(color.Transparent)
	c.inner.StrokeColor, c.inner.StrokeWidth, c.inner.CornerRadius = ringDark(), ringWidth, 8
	label := canvas.NewText(text.T(text.CoachPressHere), ringDark())
	label.TextStyle.Bold = true
	c.badge = container.NewStack(canvas.NewRectangle(ringLight()), container.NewPadded(label))
	c.overlay = container.NewWithoutLayout(c.outer, c.inner, c.badge)
	c.hideOutline()
	return c
}

// largest is the largest text size the panel takes: the learner's own
// on a tall screen, A on a short one.
func (c *Coach) largest() uitheme.TextSize {
	if c.tall {
		return uitheme.SizeLarger
	}
	return uitheme.SizeNormal
}

// Panel is the coach's panel, to go under the kiosk's screen.
func (c *Coach) Panel() fyne.CanvasObject { return c.panel }

// Overlay is the outline, to lie exactly over the kiosk's screen. It
// takes no taps: they go to the screen under it.
func (c *Coach) Overlay() fyne.CanvasObject { return c.overlay }

// Run starts the first of lessons; the rest follow one by one.
func (c *Coach) Run(lessons []Lesson) {
	c.Stop()
	if len(lessons) == 0 {
		return
	}
	c.queue = lessons[1:]
	c.start(lessons[0])
}

// Free shows the panel with no lesson: the learner practises on their own.
func (c *Coach) Free() {
	c.Stop()
	c.free = true
	c.panel.Show()
	c.render()
}

// Stop ends any lesson and hides the panel.
func (c *Coach) Stop() {
	c.gen++
	c.lesson, c.queue, c.done, c.free, c.playing, c.hint = nil, nil, false, false, false, ""
	if c.following != nil {
		close(c.following)
		c.following = nil
	}
	c.hideOutline()
	c.panel.Hide()
}

// Lesson is the lesson being taught and its step (from 0), if any.
func (c *Coach) Lesson() (Lesson, int, bool) {
	if c.lesson == nil {
		return Lesson{}, 0, false
	}
	return *c.lesson, c.step, true
}

// Finished reports whether the lesson's last step is done.
func (c *Coach) Finished() bool { return c.done }

// Playing reports whether "Show me" or "Try again" is pressing for the
// learner.
func (c *Coach) Playing() bool { return c.playing }

// Hint is the kind hint shown after a wrong tap, or "".
func (c *Coach) Hint() string { return c.hint }

func (c *Coach) start(l Lesson) {
	c.gen++
	// Playing while the kiosk restarts: its welcome screen must not count
	// as a step done.
	c.lesson, c.step, c.done, c.hint, c.playing = &l, 0, false, "", true
	c.panel.Show()
	c.restart()
	if len(l.Setup) > 0 {
		c.play(l.Setup, "", 0, func() { c.begin() })
		c.render()
		return
	}
	c.begin()
}

// begin shows the current step afresh and keeps the outline in place
// while the kiosk lays itself out (a text size change, a page turned).
func (c *Coach) begin() {
	c.playing = false
	c.speak()
	c.Check()
	if c.following == nil {
		stop := make(chan struct{})
		c.following = stop
		go func() {
			t := time.NewTicker(400 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					c.cfg.Do(func() {
						if c.following == stop && !c.playing {
							c.Check()
						}
					})
				}
			}
		}()
	}
}

// restart puts everything back as it was before the lesson began.
func (c *Coach) restart() {
	if err := c.cfg.Restart(*c.lesson); err != nil {
		// The lesson goes on: its step shows the learner what happens.
		c.hint = text.T(text.ErrorGeneral)
	}
}

func (c *Coach) current() (Step, bool) {
	if c.lesson == nil || c.done || c.step >= len(c.lesson.Steps) {
		return Step{}, false
	}
	return c.lesson.Steps[c.step], true
}

// Check reads the kiosk's screen: a step done moves on, a wrong tap gets a
// kind hint, and the outline follows the control to press. The kiosk
// calls it after every touch and screen change.
func (c *Coach) Check() {
	st, ok := c.current()
	if !ok {
		c.hideOutline()
		return
	}
	s := ReadScreen(c.cfg.Screen())
	if !c.playing {
		for ok && stepDone(st, s) {
			c.advance()
			if st, ok = c.current(); !ok {
				c.hideOutline()
				return
			}
		}
		c.hint = c.judge(st, s)
	}
	c.render()
	c.outline(s, target(st, c.typedBefore(), s))
}

// judge says what is wrong, kindly, or "" when the learner is on track.
func (c *Coach) judge(st Step, s *Screen) string {
	if st.kind() == questionStep {
		return c.hint // set by a wrong answer, kept until the next answer
	}
	if st.On != nil && !st.On(s) {
		return text.T(text.CoachWrongPlace)
	}
	if st.kind() == typeStep && !onTrack(s.Typed(), st.Type, c.typedBefore()) {
		return text.T(text.CoachWrongKey)
	}
	if typedAgain(st, c.typedBefore(), s) {
		return text.T(text.CoachWrongKey)
	}
	return ""
}

// onTrack: what is typed is the start of what is wanted, or, for a step
// that deletes, still part of what the step before typed.
func onTrack(typed, want, before string) bool {
	return strings.HasPrefix(want, typed) || strings.HasPrefix(typed, want) && strings.HasPrefix(before, typed)
}

// typedAgain reports a key pressed when the step asks for a button, on the
// screen where the step before typed: what was typed is no longer what it
// typed.
func typedAgain(st Step, before string, s *Screen) bool {
	return st.kind() == pressStep && before != "" && (s.Keypad() != nil || s.DateOfBirth() != nil) && s.Typed() != before
}

// typedBefore is what the step before this one typed, if it typed.
func (c *Coach) typedBefore() string {
	if c.lesson == nil || c.step == 0 {
		return ""
	}
	return c.lesson.Steps[c.step-1].Type
}

func stepDone(st Step, s *Screen) bool {
	switch st.kind() {
	case pressStep:
		return st.Done != nil && st.Done(s)
	case typeStep:
		return s.Typed() == st.Type || st.Done != nil && st.Done(s)
	}
	return false
}

// target is the control the learner should press next on the kiosk's
// screen: for typing, the next key (or Delete after a wrong one).
// before is what the step before it typed, if it typed.
func target(st Step, before string, s *Screen) fyne.CanvasObject {
	switch st.kind() {
	case pressStep:
		if st.On != nil && !st.On(s) {
			return nil
		}
		if typedAgain(st, before, s) {
			return nextKey(Step{Type: before}, s)
		}
		return st.Press(s)
	case typeStep:
		return nextKey(st, s)
	}
	return nil
}

func nextKey(st Step, s *Screen) fyne.CanvasObject {
	pad := s.Keypad()
	if d := s.DateOfBirth(); d != nil {
		pad = d.Keypad()
	}
	if pad == nil {
		return nil
	}
	typed := s.Typed()
	label := text.T(text.KeypadDelete)
	if len(typed) < len(st.Type) && st.Type[:len(typed)] == typed {
		label = st.Type[len(typed) : len(typed)+1]
	}
	if key, ok := pad.Key(label).(fyne.CanvasObject); ok && key != nil {
		return key
	}
	return nil
}

func (c *Coach) advance() {
	c.step++
	c.hint = ""
	if c.step >= len(c.lesson.Steps) {
		c.done = true
		c.render()
		if c.cfg.Finished != nil {
			c.cfg.Finished(*c.lesson)
		}
		return
	}
	c.speak()
}

func (c *Coach) speak() {
	if st, ok := c.current(); ok && c.cfg.Speak != nil {
		c.cfg.Speak(st.Instruction())
	}
}

// render redraws the panel for the lesson's state.
func (c *Coach) render() {
	var buttons []fyne.CanvasObject
	helper := widgets.NewButton(text.T(text.CoachHelper), c.helper)
	switch {
	case c.free:
		c.say.SetText(text.T(text.CoachFree))
		buttons = append(buttons, helper)
	case c.lesson == nil:
		return
	case c.done:
		if len(c.queue) > 0 {
			c.say.SetText(text.T(text.CoachWellDone, text.T(c.lesson.Title)))
			buttons = append(buttons, widgets.NewPrimaryButton(text.T(text.CoachNextLesson), c.nextLesson))
		} else {
			c.say.SetText(text.T(text.CoachWellDone, text.T(c.lesson.Title)) + "\n" + text.T(text.CoachAllDone))
		}
		buttons = append(buttons, helper)
	default:
		st := c.lesson.Steps[c.step]
		say := st.Instruction()
		switch {
		case c.playing:
			say = text.T(text.CoachWorking)
		case c.hint != "":
			say = c.hint
		}
		c.say.SetText(text.T(text.CoachStep, strconv.Itoa(c.step+1), strconv.Itoa(len(c.lesson.Steps))) + " " + say)
		switch st.kind() {
		case readStep:
			buttons = append(buttons, widgets.NewPrimaryButton(text.T(text.CoachNext), c.next))
		case questionStep:
			// The answers side by side, their words wrapping, above the
			// usual buttons: the panel stays short enough for the kiosk's
			// screen above it at A++ on a 1024x768 screen.
			var answers []fyne.CanvasObject
			for _, a := range st.Answers {
				answers = append(answers, widgets.NewButton(text.T(a.Say), func() { c.answer(a) }))
			}
			c.layout.few = false
			c.actions.Objects = []fyne.CanvasObject{widgets.NewColumn(widgets.NewRow(answers...),
				widgets.NewRow(widgets.NewPrimaryButton(text.T(text.CoachShowMe), c.ShowMe), helper))}
			c.actions.Refresh()
			c.say.Role = widgets.TextStrong
			if c.hint != "" {
				c.say.Role = widgets.TextDanger
			}
			c.say.Refresh()
			c.panel.Refresh()
			return
		default:
			show := widgets.NewPrimaryButton(text.T(text.CoachShowMe), c.ShowMe)
			again := widgets.NewButton(text.T(text.CoachTryAgain), c.TryAgain)
			if c.playing {
				show.Disable()
				again.Disable()
			}
			buttons = append(buttons, show, again)
		}
		buttons = append(buttons, helper)
	}
	// A hint takes the instruction's place, in the error colour and
	// with "Try again" in its words, not in colour alone.
	if c.hint != "" && !c.free && !c.done && !c.playing {
		c.say.Role = widgets.TextDanger
	} else {
		c.say.Role = widgets.TextStrong
	}
	c.say.Refresh()
	// Up to three short buttons sit beside the words, which keeps the
	// panel one row high; a question's answers go under them, each across
	// the panel.
	c.layout.few = len(buttons) <= 3
	c.actions.Objects = buttons
	c.actions.Refresh()
	c.panel.Refresh()
}

func (c *Coach) touched() {
	if c.cfg.Activity != nil {
		c.cfg.Activity()
	}
}

func (c *Coach) helper() {
	c.touched()
	if c.cfg.Helper != nil {
		c.cfg.Helper()
	}
}

// next goes on from a step that is only words to read.
func (c *Coach) next() {
	c.touched()
	if st, ok := c.current(); ok && st.kind() == readStep {
		c.advance()
		c.Check()
	}
}

func (c *Coach) answer(a Answer) {
	c.touched()
	st, ok := c.current()
	if !ok || st.kind() != questionStep {
		return
	}
	if !a.Right {
		c.hint = text.T(st.Hint)
		c.render()
		return
	}
	c.advance()
	c.Check()
}

func (c *Coach) nextLesson() {
	c.touched()
	if len(c.queue) == 0 {
		return
	}
	next := c.queue[0]
	c.queue = c.queue[1:]
	c.start(next)
}

// ShowMe does the step for the learner, slowly, with the outline on each
// control before it is pressed. A question is answered for them.
func (c *Coach) ShowMe() {
	c.touched()
	st, ok := c.current()
	if !ok {
		return
	}
	switch st.kind() {
	case readStep:
		c.next()
		return
	case questionStep:
		for _, a := range st.Answers {
			if a.Right {
				c.answer(a)
			}
		}
		return
	}
	c.hint = ""
	c.play([]Step{st}, c.typedBefore(), c.cfg.Pace, func() {
		c.playing = false
		c.Check()
	})
	c.render()
}

// TryAgain puts the kiosk back as it was when this step began: from the
// welcome screen, the lesson's setup and the steps before are done again,
// quickly, for the learner.
func (c *Coach) TryAgain() {
	c.touched()
	if c.lesson == nil || c.done {
		return
	}
	steps := append(append([]Step{}, c.lesson.Setup...), c.lesson.Steps[:c.step]...)
	c.gen++
	c.hint, c.playing = "", true
	c.restart()
	c.play(steps, "", 0, func() { c.playing = false; c.Check() })
	c.render()
}

// play presses and types through steps for the learner, waiting after
// each until the kiosk shows it is done, then runs then.
// before is what the step before the first typed.
func (c *Coach) play(steps []Step, before string, pace time.Duration, then func()) {
	c.playing = true
	gen := c.gen
	var from func(i int)
	from = func(i int) {
		if i == len(steps) {
			then()
			return
		}
		typed := before
		if i > 0 {
			typed = steps[i-1].Type
		}
		c.act(gen, steps[i], typed, pace, func() { from(i + 1) })
	}
	from(0)
}

// playTimeout is how long play waits for the kiosk to show a step done
// (a booking sent to the pretend practice) before giving the learner back
// the controls.
const playTimeout = 10 * time.Second

// act does one step for the learner, then runs then once it is done.
func (c *Coach) act(gen int, st Step, before string, pace time.Duration, then func()) {
	deadline := time.Now().Add(playTimeout)
	var try func()
	try = func() {
		s := ReadScreen(c.cfg.Screen())
		switch {
		case st.kind() == readStep || st.kind() == questionStep || stepDone(st, s):
			then()
			return
		case time.Now().After(deadline):
			c.playing = false
			c.hint = text.T(text.CoachWrongPlace)
			c.render()
			return
		}
		to := target(st, before, s)
		if to == nil {
			c.after(gen, 50*time.Millisecond, try)
			return
		}
		c.outline(s, to)
		c.after(gen, pace, func() {
			// The screen may have changed in the pause: press what is
			// there now.
			s := ReadScreen(c.cfg.Screen())
			if t, ok := target(st, before, s).(fyne.Tappable); ok && !stepDone(st, s) {
				t.Tapped(&fyne.PointEvent{})
			}
			c.after(gen, 0, try)
		})
	}
	try()
}

// after runs f on the UI goroutine after d, unless the lesson has moved
// on or stopped since.
func (c *Coach) after(gen int, d time.Duration, f func()) {
	time.AfterFunc(d, func() {
		c.cfg.Do(func() {
			if c.gen == gen {
				f()
			}
		})
	})
}

// outline rings target where it is on the screen, with "Touch here" above
// it (below, when it is at the top).
func (c *Coach) outline(s *Screen, target fyne.CanvasObject) {
	if target == nil {
		c.hideOutline()
		return
	}
	at, size, ok := s.Where(target)
	if !ok || size.IsZero() {
		c.hideOutline()
		return
	}
	const gap = ringWidth * 2
	c.outer.Move(at.SubtractXY(gap, gap))
	c.outer.Resize(size.AddWidthHeight(gap*2, gap*2))
	c.inner.Move(at.SubtractXY(gap/2, gap/2))
	c.inner.Resize(size.AddWidthHeight(gap, gap))
	// "Touch here" goes beside the control, on the first side where it
	// covers no other control and stays on the screen; above it if none.
	badge := c.badge.MinSize()
	room := c.overlay.Size()
	mid := at.Y + (size.Height-badge.Height)/2
	centre := at.X + (size.Width-badge.Width)/2
	spots := []fyne.Position{
		fyne.NewPos(at.X-gap*2-badge.Width, mid),
		fyne.NewPos(at.X+size.Width+gap*2, mid),
		fyne.NewPos(centre, at.Y-gap-badge.Height),
		fyne.NewPos(centre, at.Y+size.Height+gap),
	}
	place := spots[2]
	for _, p := range spots {
		inside := p.X >= 0 && p.Y >= 0 && p.X+badge.Width <= room.Width && p.Y+badge.Height <= room.Height
		if inside && !s.Covers(p, badge, target) {
			place = p
			break
		}
	}
	c.badge.Move(place)
	c.badge.Resize(badge)
	for _, o := range c.overlay.Objects {
		o.Show()
	}
	c.overlay.Refresh()
}

func (c *Coach) hideOutline() {
	for _, o := range c.overlay.Objects {
		o.Hide()
	}
	c.overlay.Refresh()
}

// panelLayout puts the coach's words beside its buttons (buttons taking
// besideShare of the width) when there are few and the panel is wide, as
// under the kiosk's screen; otherwise the buttons go under the words, as
// in a panel beside the screen.
type panelLayout struct {
	few bool
}

const (
	besideShare = 0.42
	besideFrom  = 700 // narrowest panel with words and buttons side by side
)

func (l *panelLayout) beside(w float32) bool { return l.few && w >= besideFrom }

func (l *panelLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	say, acts := objs[0], objs[1]
	g := theme.Padding()
	if !l.beside(size.Width) {
		th := heightAt(say, size.Width)
		say.Move(fyne.NewPos(0, 0))
		acts.Move(fyne.NewPos(0, th+g))
		acts.Resize(fyne.NewSize(size.Width, heightAt(acts, size.Width)))
		return
	}
	aw := size.Width * besideShare
	tw := size.Width - aw - g
	th := heightAt(say, tw)
	ah := heightAt(acts, aw)
	h := max(th, ah)
	say.Move(fyne.NewPos(0, (h-th)/2))
	acts.Move(fyne.NewPos(tw+g, (h-ah)/2))
}

// heightAt gives o the width w and the height its words then need.
func heightAt(o fyne.CanvasObject, w float32) float32 {
	o.Resize(fyne.NewSize(w, o.MinSize().Height))
	h := o.MinSize().Height
	o.Resize(fyne.NewSize(w, h))
	return h
}

func (l *panelLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	// No width of its own: the panel must never make the window wider.
	say, acts := objs[0].MinSize(), objs[1].MinSize()
	if l.beside(objs[0].Size().Width + objs[1].Size().Width) {
		return fyne.NewSize(0, max(say.Height, acts.Height))
	}
	return fyne.NewSize(0, say.Height+acts.Height+theme.Padding())
}

// buttonsLayout puts buttons side by side in equal columns when each
// label then fits on one line, else one above another, each across the
// panel.
type buttonsLayout struct {
	row bool // as last laid out
}

func fitsInRow(objs []fyne.CanvasObject, w float32) bool {
	if len(objs) == 0 {
		return false
	}
	each := (w - theme.Padding()*float32(len(objs)-1)) / float32(len(objs))
	for _, o := range objs {
		if b, ok := o.(*widgets.Button); ok && b.OneLineWidth() > each {
			return false
		}
	}
	return true
}

func (b *buttonsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	g := theme.Padding()
	b.row = fitsInRow(objs, size.Width)
	if b.row {
		n := float32(len(objs))
		w := (size.Width - g*(n-1)) / n
		h := float32(0)
		for _, o := range objs {
			h = max(h, heightAt(o, w))
		}
		for i, o := range objs {
			o.Move(fyne.NewPos(float32(i)*(w+g), 0))
			o.Resize(fyne.NewSize(w, h))
		}
		return
	}
	var y float32
	for _, o := range objs {
		h := heightAt(o, size.Width)
		o.Move(fyne.NewPos(0, y))
		y += h + g
	}
}

func (b *buttonsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var out fyne.Size
	for i, o := range objs {
		m := o.MinSize()
		switch {
		case b.row:
			out.Height = max(out.Height, m.Height)
		case i > 0:
			out.Height += theme.Padding() + m.Height
		default:
			out.Height = m.Height
		}
	}
	return out
}

// Around lays the coach's panel and outline around the kiosk's screen:
// the outline exactly over it and the panel under it. (Beside it, on a
// short wide window, the kiosk's keys and status strip lose the width
// they need at A++: tried and seen under Xvfb.)
func (c *Coach) Around(screen fyne.CanvasObject) fyne.CanvasObject {
	// The practice banner's purple marks the panel's edge.
	band := canvas.NewRectangle(color.NRGBA{R: 0x5e, G: 0x2a, B: 0x84, A: 0xff})
	return container.New(&splitLayout{c: c}, container.NewStack(screen, c.overlay), c.panel, band)
}

// tallFrom is the shortest window in which the panel grows with the text
// size: a portrait kiosk, a 1280x1024 screen.
const tallFrom = 1000

type splitLayout struct{ c *Coach }

const bandWidth = 6

func (l *splitLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	screen, panel, band := objs[0], objs[1], objs[2]
	if tall := size.Height >= tallFrom; tall != l.c.tall {
		l.c.tall = tall
		panel.Refresh()
	}
	screen.Move(fyne.NewPos(0, 0))
	if !panel.Visible() {
		band.Hide()
		screen.Resize(size)
		return
	}
	band.Show()
	ph := heightAt(panel, size.Width)
	screen.Resize(fyne.NewSize(size.Width, size.Height-ph-bandWidth))
	band.Move(fyne.NewPos(0, size.Height-ph-bandWidth))
	band.Resize(fyne.NewSize(size.Width, bandWidth))
	panel.Move(fyne.NewPos(0, size.Height-ph))
}

// MinSize asks for nothing, as the kiosk's own screens do: the window's
// size decides.
func (*splitLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }
