package staff

import (
	"image/color"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

// section is one of the desk's places, reached from the row under the
// header or with Alt and its number.
type section int

const (
	secNone section = iota
	secFind
	secRepeats
	secHandOut
	secToday
	secInbox
	secAttention
	// The practice manager's (issue 16).
	secSettings
	secDevices
	secStaffAccounts
	secAudit
	secUptake
)

// sections in the order of the row and of their shortcut numbers. The
// numbers stay the same whoever is signed in, so Alt+4 is always today's
// list even where a section before it is not shown.
func sections() []section {
	return []section{secFind, secRepeats, secHandOut, secToday, secInbox, secAttention,
		secSettings, secDevices, secStaffAccounts, secAudit, secUptake}
}

// manager says whether the section is one of the practice manager's.
func (s section) manager() bool { return s >= secSettings && s <= secUptake }

// may says whether a member of staff in role sees the section: the ones
// for acting on something follow store.StaffMay, the one rule; the
// manager's are for managers only (the server checks again).
func (s section) may(role string, st store.Settings) bool {
	if s.manager() {
		return role == store.StaffManager
	}
	switch s {
	case secRepeats:
		return store.StaffMay(store.KindDecideRepeats, role, st)
	case secHandOut:
		return store.StaffMay(store.KindHandOutRepeats, role, st)
	case secToday:
		return store.StaffMay(store.KindRecordOutcome, role, st)
	case secInbox:
		return store.StaffMay(store.KindHandleAlert, role, st)
	}
	return true
}

// key is the section's shortcut key: Alt+1 to Alt+9, then Alt+0 for the
// tenth and Alt+U for the uptake figures, the digits having run out.
func (s section) key() fyne.KeyName {
	switch {
	case s == secUptake:
		return fyne.KeyU
	case s == secAudit:
		return fyne.Key0
	}
	return fyne.KeyName(strconv.Itoa(int(s)))
}

// label is the section's name with its count, if it has one.
func (s section) label(alerts, refused int) string {
	switch s {
	case secRepeats:
		return text.T(text.NavRepeats)
	case secHandOut:
		return text.T(text.NavHandOut)
	case secToday:
		return text.T(text.NavToday)
	case secInbox:
		if alerts > 0 {
			return text.T(text.NavInboxCount, strconv.Itoa(alerts))
		}
		return text.T(text.NavInbox)
	case secAttention:
		if refused > 0 {
			return text.T(text.NavAttentionCount, strconv.Itoa(refused))
		}
		return text.T(text.NavAttention)
	case secSettings:
		return text.T(text.NavSettings)
	case secDevices:
		return text.T(text.NavDevices)
	case secStaffAccounts:
		return text.T(text.NavStaffAccounts)
	case secAudit:
		return text.T(text.NavAudit)
	case secUptake:
		return text.T(text.NavUptake)
	}
	return text.T(text.FindTitle)
}

// button is the desk's button, which Enter presses as well as Space.
type button = widgets.EnterButton

func newButton(label string, tapped func()) *button { return widgets.NewEnterButton(label, tapped) }

// buildNav makes the row of sections for the member of staff just signed
// in; the practice's settings decide whether clinicians see the inbox.
func (d *Desk) buildNav(role string) {
	st, err := d.cfg.Backend.Settings(d.ctx)
	if err != nil {
		// Before the first sync: the defaults, so reception still has
		// its inbox.
		d.cfg.Log.Warn("staff desk: settings unreadable", "err", err)
		st = store.Settings{}
	}
	d.navButtons = map[section]*button{}
	var shown []fyne.CanvasObject
	for _, s := range sections() {
		if !s.may(role, st) || (s.manager() && d.cfg.Manager == nil) {
			continue
		}
		b := newButton("", func() { d.goTo(s) })
		d.navButtons[s] = b
		shown = append(shown, b)
	}
	d.navGrid.Objects = shown
	d.updateNav()
	d.nav.Show()
}

// updateNav writes the counts into the section names and marks where
// staff are. Call on the UI goroutine after each sync and each action.
func (d *Desk) updateNav() {
	staff, ok := d.signedIn()
	if !ok || len(d.navButtons) == 0 {
		return
	}
	alerts, refused := 0, 0
	if _, shown := d.navButtons[secInbox]; shown {
		n, err := d.cfg.Backend.OpenAlertCount(d.ctx)
		if err != nil {
			d.cfg.Log.Warn("staff desk: inbox count", "err", err)
		}
		alerts = n
	}
	if items, err := d.cfg.Backend.AttentionForStaff(d.ctx, staff); err == nil {
		refused = len(items)
	} else {
		d.cfg.Log.Warn("staff desk: needs attention count", "err", err)
	}
	for s, b := range d.navButtons {
		label := text.T(text.NavShortcut, s.label(alerts, refused), string(s.key()))
		imp := widget.MediumImportance
		switch {
		case s == d.section:
			imp = widget.HighImportance
		case (s == secInbox && alerts > 0) || (s == secAttention && refused > 0):
			imp = widget.WarningImportance
		}
		if b.Text != label || b.Importance != imp {
			b.Text, b.Importance = label, imp
			b.Refresh()
		}
	}
	d.updateChooser()
}

// updateChooser gives the compact chooser the sections' names as the
// buttons show them, in their order, and selects the one staff are in.
func (d *Desk) updateChooser() {
	var options []string
	current := ""
	for _, s := range sections() {
		if b, ok := d.navButtons[s]; ok {
			options = append(options, b.Text)
			if s == d.section {
				current = b.Text
			}
		}
	}
	d.navChooser.SetOptions(options)
	// Selecting here must not open the section again.
	changed := d.navChooser.OnChanged
	d.navChooser.OnChanged = nil
	d.navChooser.SetSelected(current)
	d.navChooser.OnChanged = changed
}

// chooseSection opens the section the chooser names.
func (d *Desk) chooseSection(label string) {
	for s, b := range d.navButtons {
		if b.Text == label {
			d.goTo(s)
			return
		}
	}
}

// setSection marks the section staff are in.
func (d *Desk) setSection(s section) {
	d.section = s
	d.updateNav()
}

// goTo opens a section, if the member of staff signed in may see it.
func (d *Desk) goTo(s section) {
	if _, ok := d.signedIn(); !ok {
		return
	}
	if _, shown := d.navButtons[s]; !shown {
		return
	}
	switch s {
	case secFind:
		d.showFind()
	case secRepeats:
		d.showRepeats("")
	case secHandOut:
		d.showHandOut("")
	case secToday:
		d.showDay(d.today(), "")
	case secInbox:
		d.showInbox("")
	case secAttention:
		d.showAttention("")
	default:
		if s.manager() {
			d.showManage(s)
		}
	}
}

// MainMenu is the window's "Go to" menu. Its shortcuts (Alt+1 to Alt+0, Alt+U)
// are the ones Fyne's desktop driver delivers whatever has the keyboard:
// it offers them to the main menu before the field being typed in, which
// would otherwise swallow them. The app sets it on the desk's window.
func (d *Desk) MainMenu() *fyne.MainMenu {
	var items []*fyne.MenuItem
	for _, s := range sections() {
		if s.manager() && d.cfg.Manager == nil {
			continue
		}
		item := fyne.NewMenuItem(s.label(0, 0), func() { d.goTo(s) })
		item.Shortcut = &desktop.CustomShortcut{KeyName: s.key(), Modifier: fyne.KeyModifierAlt}
		items = append(items, item)
	}
	menus := []*fyne.Menu{fyne.NewMenu(text.T(text.NavMenu), items...)}
	if d.cfg.StartPractice != nil {
		menus = append(menus, fyne.NewMenu(text.T(text.NavPracticeMenu),
			fyne.NewMenuItem(text.T(text.NavPracticeOpen), d.cfg.StartPractice)))
	}
	return fyne.NewMainMenu(menus...)
}

// navRow is the row of sections (grid, which buildNav fills) in the
// window's text size but with less padding than the kiosk's
// finger-sized buttons, so it costs the screen little height. Where the
// buttons would take more than a quarter of the window's height (a
// manager's ten sections at A++ on a laptop), one chooser naming the
// section takes their place, so the screen keeps its room.
func navRow(choose func(label string)) (row, grid *fyne.Container, chooser *widget.Select) {
	grid = container.New(&navLayout{})
	chooser = widget.NewSelect(nil, func(label string) {
		if label != "" {
			choose(label)
		}
	})
	compact := container.NewBorder(nil, nil, widget.NewLabelWithStyle(text.T(text.NavChooser), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, chooser)
	sw := &navSwitch{}
	row = container.New(sw, container.NewThemeOverride(grid, navTheme{}), compact)
	sw.row = row
	row.Hide()
	return row, grid, chooser
}

// navMaxShare is the most of the window's height the section buttons may
// take before the chooser takes their place.
const navMaxShare = 0.25

// navSwitch shows its first object (the buttons) or, where they would
// take more than navMaxShare of the window's height at the width given,
// its second (the chooser).
type navSwitch struct {
	row     fyne.CanvasObject // the container it lays out, to find the window
	compact bool              // the chooser is showing, as of the last layout
}

func (l *navSwitch) buttons(objects []fyne.CanvasObject) *fyne.Container {
	return objects[0].(*container.ThemeOverride).Content.(*fyne.Container)
}

func (l *navSwitch) MinSize(objects []fyne.CanvasObject) fyne.Size {
	if l.compact {
		return objects[1].MinSize()
	}
	return objects[0].MinSize()
}

func (l *navSwitch) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	grid := l.buttons(objects)
	l.compact = false
	if c := fyne.CurrentApp().Driver().CanvasForObject(l.row); c != nil {
		nl := grid.Layout.(*navLayout)
		rows := nl.rowsAt(grid.Objects, size.Width)
		height := float32(rows) * (nl.cell(grid.Objects).Height + theme.Padding())
		l.compact = rows > 1 && height > navMaxShare*c.Size().Height
	}
	shown, hidden := objects[0], objects[1]
	if l.compact {
		shown, hidden = hidden, shown
	}
	hidden.Hide()
	shown.Show()
	shown.Move(fyne.Position{})
	shown.Resize(fyne.NewSize(size.Width, shown.MinSize().Height))
}

// navTheme is the app's theme with tighter padding inside buttons.
type navTheme struct{}

func (navTheme) current() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t navTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return t.current().Color(n, v)
}
func (t navTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.current().Font(s) }
func (t navTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.current().Icon(n) }
func (t navTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.current().Size(n)
	if n == theme.SizeNameInnerPadding {
		return s / 3
	}
	return s
}

// navLayout puts the sections in as many equal columns as fit the width,
// and in as few rows as that allows. Its minimum width is one column, so
// it never widens the window; its minimum height is the rows it needed
// at its last layout (Desk.relayout lays the frame out again when that
// changes).
type navLayout struct {
	rows int
}

func (l *navLayout) cell(objects []fyne.CanvasObject) fyne.Size {
	var c fyne.Size
	for _, o := range objects {
		c = c.Max(o.MinSize())
	}
	return c
}

// columnsAt is how many columns of sections fit in width.
func (l *navLayout) columnsAt(objects []fyne.CanvasObject, width float32) int {
	c, pad := l.cell(objects), theme.Padding()
	cols := int((width + pad) / (c.Width + pad))
	return min(max(cols, 1), len(objects))
}

// rowsAt is how many rows the sections take in width.
func (l *navLayout) rowsAt(objects []fyne.CanvasObject, width float32) int {
	if len(objects) == 0 {
		return 0
	}
	cols := l.columnsAt(objects, width)
	return (len(objects) + cols - 1) / cols
}

func (l *navLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	if len(objects) == 0 {
		return fyne.Size{}
	}
	rows := max(l.rows, 1)
	c := l.cell(objects)
	pad := theme.Padding()
	return fyne.NewSize(c.Width, float32(rows)*c.Height+float32(rows-1)*pad)
}

func (l *navLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	if len(objects) == 0 {
		return
	}
	c, pad := l.cell(objects), theme.Padding()
	cols := l.columnsAt(objects, size.Width)
	l.rows = (len(objects) + cols - 1) / cols
	w := (size.Width - float32(cols-1)*pad) / float32(cols)
	for i, o := range objects {
		r, k := i/cols, i%cols
		o.Move(fyne.NewPos(float32(k)*(w+pad), float32(r)*(c.Height+pad)))
		o.Resize(fyne.NewSize(w, c.Height))
	}
}

// when is an instant as staff say it: Tuesday 24 November, 10:02.
func (d *Desk) when(t time.Time) string {
	t = t.In(d.cfg.Location)
	return text.T(text.AtTime, t.Format("Monday 2 January"), t.Format("15:04"))
}

// ago is how long before today an instant's day was, in words.
func (d *Desk) ago(t time.Time) string {
	n := store.DateOf(t, d.cfg.Location).DaysUntil(d.today())
	switch {
	case n <= 0:
		return text.T(text.AgoToday)
	case n == 1:
		return text.T(text.AgoYesterday)
	}
	return text.T(text.AgoDays, strconv.Itoa(n))
}

// clock is a time of day: 10:02.
func (d *Desk) clock(t time.Time) string { return t.In(d.cfg.Location).Format("15:04") }

// savedNote says a local action is saved, and when it will reach the
// practice.
func (d *Desk) savedNote() string {
	if d.online {
		return text.T(text.SavedSending)
	}
	return text.T(text.SavedWaiting)
}

// note is a line of words for the top of a screen: what was just done
// (success) or a refusal (danger).
func note(s string, imp widget.Importance) *widget.Label {
	l := para(s)
	l.Importance = imp
	if s == "" {
		l.Hide()
	}
	return l
}

// showList opens a section's screen: body, read again in place after
// every sync, and msg (what was just done) in the footer, where body's
// actions also put their refusals.
func (d *Desk) showList(s section, msg string, body func(staff replica.StaffMember, msg *widget.Label) fyne.CanvasObject) {
	staff, ok := d.signedIn()
	if !ok {
		d.SignOut("")
		return
	}
	d.setSection(s)
	foot := note(msg, widget.SuccessImportance)
	d.showWith(body(staff, foot), foot)
	d.refresh = func() {
		d.settleSavedNote(foot)
		if staff, ok := d.signedIn(); ok {
			d.replace(body(staff, foot), foot)
		}
	}
}

// settleSavedNote keeps the saved note true as syncs report: "It is being
// sent" said while the desk still thought it was online becomes "It will
// be sent when this computer is back online" once a sync finds the server
// gone, and either becomes "It has reached the practice" once nothing is
// waiting (a refusal then shows under Needs attention).
func (d *Desk) settleSavedNote(l *widget.Label) {
	sending, waiting := text.T(text.SavedSending), text.T(text.SavedWaiting)
	for _, said := range []string{sending, waiting} {
		if !strings.HasSuffix(l.Text, said) {
			continue
		}
		now := said
		switch {
		case d.online && d.pending == 0:
			now = text.T(text.SavedSent)
		case !d.online:
			now = waiting
		}
		l.SetText(strings.TrimSuffix(l.Text, said) + now)
		return
	}
}

// ask puts a question with two answers; yes acts and moves on, or
// returns the refusal to show beside the buttons.
func (d *Desk) ask(title, question, yesLabel string, yesImp widget.Importance, yes func() error, noLabel string, no func()) {
	msg := note("", widget.DangerImportance)
	y := newButton(yesLabel, func() {
		d.touch()
		if err := yes(); err != nil {
			say(msg, d.plain(err))
			d.relayout()
		}
	})
	y.Importance = yesImp
	d.showWith(container.NewVBox(heading(title), para(question)), container.NewVBox(msg, container.NewHBox(y, newButton(noLabel, no))))
	d.focus(y)
}

// say shows msg in l as a refusal, or hides l when msg is empty.
func say(l *widget.Label, msg string) {
	l.Importance = widget.DangerImportance
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}
