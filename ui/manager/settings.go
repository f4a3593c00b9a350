package manager

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	gpsync "gpkiosk/sync"
	"gpkiosk/ui/text"
)

// Group is a heading of the settings form.
type Group int

// The form's groups, in the order they are shown. The kiosk's exit PIN
// leads the Kiosk group.
const (
	GroupBooking Group = iota
	GroupAppointmentTypes
	GroupRepeats
	GroupKiosk
	GroupDesktops
	GroupLeases
)

func (g Group) title() string {
	return text.T([...]text.Key{text.ManageGroupBooking, text.ManageGroupTypes, text.ManageGroupRepeats,
		text.ManageGroupKiosk, text.ManageGroupDesktops, text.ManageGroupLeases}[g])
}

// Field is one value on the settings form: its words and where it lives
// in ManagedSettings, from which the name the server's refusals use for
// it is worked out. Make one with NumberField, CheckField or ClockField:
// adding a setting to the form is one line in DefaultFields.
type Field struct {
	Group             Group
	Label, Help, Unit text.Key // Unit may be ""
	JSON              string   // "settings.bookingWindowDays", "kioskLeasesPerDay"
	num               func(*gpsync.ManagedSettings) *int
	flag              func(*gpsync.ManagedSettings) *bool
	clock             func(*gpsync.ManagedSettings) *string
	clockMinutes      func(*gpsync.ManagedSettings) *int
}

// NumberField is a whole number.
func NumberField(g Group, label, help, unit text.Key, at func(*gpsync.ManagedSettings) *int) Field {
	return Field{Group: g, Label: label, Help: help, Unit: unit, num: at}
}

// CheckField is a yes or no, as a tick box.
func CheckField(g Group, label, help text.Key, at func(*gpsync.ManagedSettings) *bool) Field {
	return Field{Group: g, Label: label, Help: help, flag: at}
}

// ClockField is a time of day held as "HH:MM".
func ClockField(g Group, label, help text.Key, at func(*gpsync.ManagedSettings) *string) Field {
	return Field{Group: g, Label: label, Help: help, clock: at}
}

// ClockMinutesField is a time of day held as minutes after midnight,
// typed as HH:MM.
func ClockMinutesField(g Group, label, help text.Key, at func(*gpsync.ManagedSettings) *int) Field {
	return Field{Group: g, Label: label, Help: help, clockMinutes: at}
}

// DefaultFields is the settings form, group by group; a new setting is one
// line here.
func DefaultFields() []Field {
	return []Field{
		NumberField(GroupBooking, text.ManageBookingWindow, text.ManageBookingWindowHelp, text.ManageUnitDays,
			func(m *gpsync.ManagedSettings) *int { return &m.Settings.BookingWindowDays }),
		NumberField(GroupBooking, text.ManageMinNotice, text.ManageMinNoticeHelp, text.ManageUnitMinutes,
			func(m *gpsync.ManagedSettings) *int { return &m.Settings.MinNoticeMinutes }),
		NumberField(GroupBooking, text.ManageCancelCutoff, text.ManageCancelCutoffHelp, text.ManageUnitMinutes,
			func(m *gpsync.ManagedSettings) *int { return &m.Settings.CancelCutoffMinutes }),
		NumberField(GroupBooking, text.ManageMaxHeld, text.ManageMaxHeldHelp, text.ManageUnitAppointments,
			func(m *gpsync.ManagedSettings) *int { return &m.Settings.MaxHeldAppointments }),
		NumberField(GroupBooking, text.ManageMaxHeldUnchecked, text.ManageMaxHeldUncheckedHelp, text.ManageUnitAppointments,
			func(m *gpsync.ManagedSettings) *int { return &m.Settings.MaxHeldUnverified }),
		NumberField(GroupBooking, text.ManageMinAge, text.ManageMinAgeHelp, text.ManageUnitYears,
			func(m *gpsync.ManagedSettings) *int { return &m.Settings.MinAgeYears }),
		ClockMinutesField(GroupBooking, text.ManageRelease, text.ManageReleaseHelp,
			func(m *gpsync.ManagedSettings) *int { return &m.Settings.DailyReleaseMinutes }),
		NumberField(GroupRepeats, text.ManageRepeatDays, text.ManageRepeatDaysHelp, text.ManageUnitDays,
			func(m *gpsync.ManagedSettings) *int { return &m.Settings.RepeatProcessingDays }),
		NumberField(GroupRepeats, text.ManageNoteLength, text.ManageNoteLengthHelp, text.ManageUnitLetters,
			func(m *gpsync.ManagedSettings) *int { return &m.Settings.RepeatNoteMaxChars }),
		NumberField(GroupKiosk, text.ManageKioskIdle, text.ManageKioskIdleHelp, text.ManageUnitSeconds,
			func(m *gpsync.ManagedSettings) *int { return &m.Settings.KioskIdleSeconds }),
		NumberField(GroupKiosk, text.ManageKioskWarning, text.ManageKioskWarningHelp, text.ManageUnitSeconds,
			func(m *gpsync.ManagedSettings) *int { return &m.Settings.KioskIdleWarningSeconds }),
		CheckField(GroupKiosk, text.ManageReadAloud, text.ManageReadAloudHelp,
			func(m *gpsync.ManagedSettings) *bool { return &m.Settings.ReadAloudDefault }),
		NumberField(GroupDesktops, text.ManageStaffIdle, text.ManageStaffIdleHelp, text.ManageUnitMinutes,
			func(m *gpsync.ManagedSettings) *int { return &m.Settings.StaffIdleMinutes }),
		NumberField(GroupLeases, text.ManageLeasesPerDay, text.ManageLeasesPerDayHelp, text.ManageUnitSlots,
			func(m *gpsync.ManagedSettings) *int { return &m.KioskLeasesPerDay }),
		NumberField(GroupLeases, text.ManageLeaseReturn, text.ManageLeaseReturnHelp, text.ManageUnitMinutes,
			func(m *gpsync.ManagedSettings) *int { return &m.LeaseReturnMinutes }),
		NumberField(GroupLeases, text.ManageLeaseIdle, text.ManageLeaseIdleHelp, text.ManageUnitMinutes,
			func(m *gpsync.ManagedSettings) *int { return &m.LeaseIdleMinutes }),
	}
}

// jsonPath names the field of *root that p points at as the server's
// refusals name it ("settings.bookingWindowDays"), from the JSON tags, so
// a field's descriptor need not spell it out.
func jsonPath(root, p any) string {
	return findField(reflect.ValueOf(root).Elem(), reflect.ValueOf(p), "")
}

func findField(v reflect.Value, p reflect.Value, prefix string) string {
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		f := v.Field(i)
		// A struct's first field shares its address: match the type too.
		if f.Addr().Pointer() == p.Pointer() && f.Addr().Type() == p.Type() {
			return prefix + name
		}
		if f.Kind() == reflect.Struct {
			if found := findField(f, p, prefix+name+"."); found != "" {
				return found
			}
		}
	}
	return ""
}

// fieldJSON is a field's name in the server's refusals.
func (f Field) fieldJSON() string {
	var m gpsync.ManagedSettings
	switch {
	case f.num != nil:
		return jsonPath(&m, f.num(&m))
	case f.flag != nil:
		return jsonPath(&m, f.flag(&m))
	case f.clock != nil:
		return jsonPath(&m, f.clock(&m))
	case f.clockMinutes != nil:
		return jsonPath(&m, f.clockMinutes(&m))
	}
	return ""
}

// input is one field on screen: what reads it back into the settings,
// and where its problem is shown.
type input struct {
	json    string
	label   string
	problem *widget.Label
	read    func(m *gpsync.ManagedSettings) string // "" or why the typed value is no good
	widgets []fyne.Disableable
}

// ShowSettings opens the online-services settings form.
func (s *Screens) ShowSettings() { s.showSettings("") }

func (s *Screens) showSettings(done string) {
	sc := s.open(text.ManageSettingsTitle)
	s.async(func() func() {
		m, f, err := s.cfg.Service.Settings(s.ctx)
		return func() {
			if err != nil {
				sc.set([]fyne.CanvasObject{heading(text.T(text.ManageSettingsTitle)), message(s.plain(err), widget.DangerImportance)}, nil)
				return
			}
			s.settingsForm(sc, m, f, done)
		}
	})
}

func problemLabel() *widget.Label {
	l := para("")
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

// block is one field's label, help, control and problem line.
func block(label, help string, control fyne.CanvasObject, problem *widget.Label) fyne.CanvasObject {
	box := container.NewVBox(bold(label))
	if help != "" {
		box.Add(para(help))
	}
	box.Add(control)
	box.Add(problem)
	return box
}

// numberInput is an entry for a whole number with its unit beside it.
func numberInput(f Field, m gpsync.ManagedSettings) (*input, fyne.CanvasObject) {
	e := widget.NewEntry()
	in := &input{json: f.fieldJSON(), label: text.T(f.Label), problem: problemLabel(), widgets: []fyne.Disableable{e}}
	var control fyne.CanvasObject = e
	switch {
	case f.num != nil:
		e.SetText(strconv.Itoa(*f.num(&m)))
		in.read = func(m *gpsync.ManagedSettings) string {
			n, err := strconv.Atoi(strings.TrimSpace(e.Text))
			if err != nil {
				return text.T(text.ManageWholeNumber)
			}
			*f.num(m) = n
			return ""
		}
		if f.Unit != "" {
			control = container.NewBorder(nil, nil, nil, widget.NewLabel(text.T(f.Unit)), e)
		}
	case f.clock != nil:
		e.SetText(*f.clock(&m))
		e.SetPlaceHolder(text.T(text.ManageClockHint))
		in.read = func(m *gpsync.ManagedSettings) string {
			hm, ok := parseClock(e.Text)
			if !ok {
				return text.T(text.ManageBadClock)
			}
			*f.clock(m) = fmt.Sprintf("%02d:%02d", hm/60, hm%60)
			return ""
		}
	case f.clockMinutes != nil:
		v := *f.clockMinutes(&m)
		e.SetText(fmt.Sprintf("%02d:%02d", v/60, v%60))
		e.SetPlaceHolder(text.T(text.ManageClockHint))
		in.read = func(m *gpsync.ManagedSettings) string {
			hm, ok := parseClock(e.Text)
			if !ok {
				return text.T(text.ManageBadClock)
			}
			*f.clockMinutes(m) = hm
			return ""
		}
	}
	return in, block(in.label, text.T(f.Help), control, in.problem)
}

// parseClock reads HH:MM (or H:MM, or HH.MM) as minutes after midnight.
func parseClock(s string) (int, bool) {
	h, m, ok := strings.Cut(strings.ReplaceAll(strings.TrimSpace(s), ".", ":"), ":")
	if !ok || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, false
	}
	return hh*60 + mm, true
}

func checkInput(f Field, m gpsync.ManagedSettings) (*input, fyne.CanvasObject) {
	c := widget.NewCheck(text.T(f.Label), nil)
	c.SetChecked(*f.flag(&m))
	in := &input{json: f.fieldJSON(), label: text.T(f.Label), problem: problemLabel(), widgets: []fyne.Disableable{c},
		read: func(m *gpsync.ManagedSettings) string { *f.flag(m) = c.Checked; return "" }}
	box := container.NewVBox(c)
	if f.Help != "" {
		box.Add(para(text.T(f.Help)))
	}
	box.Add(in.problem)
	return in, box
}

// ageInputs are one kind of appointment's youngest and oldest ages.
func ageInputs(i int, t gpsync.SlotTypeAge) ([]*input, fyne.CanvasObject) {
	var ins []*input
	row := container.NewGridWithColumns(2)
	for _, which := range []struct {
		label text.Key
		at    func(*gpsync.SlotTypeAge) *int
	}{
		{text.ManageTypeMinAge, func(a *gpsync.SlotTypeAge) *int { return &a.MinAgeYears }},
		{text.ManageTypeMaxAge, func(a *gpsync.SlotTypeAge) *int { return &a.MaxAgeYears }},
	} {
		e := widget.NewEntry()
		e.SetText(strconv.Itoa(*which.at(&t)))
		var m gpsync.ManagedSettings
		var a gpsync.SlotTypeAge
		// "slotTypeAges.3.minAgeYears"
		json := jsonPath(&m, &m.SlotTypeAges) + "." + strconv.Itoa(i) + "." + jsonPath(&a, which.at(&a))
		in := &input{json: json, label: text.T(which.label) + " (" + t.Name + ")",
			problem: problemLabel(), widgets: []fyne.Disableable{e}}
		in.read = func(m *gpsync.ManagedSettings) string {
			n, err := strconv.Atoi(strings.TrimSpace(e.Text))
			if err != nil {
				return text.T(text.ManageWholeNumber)
			}
			*which.at(&m.SlotTypeAges[i]) = n
			return ""
		}
		ins = append(ins, in)
		row.Add(container.NewVBox(widget.NewLabel(text.T(which.label)),
			container.NewBorder(nil, nil, nil, widget.NewLabel(text.T(text.ManageUnitYears)), e), in.problem))
	}
	return ins, container.NewVBox(bold(t.Name), row)
}

// pinInputs are the new exit PIN, typed twice and masked; blank keeps
// the PIN the kiosks have.
func pinInputs(m gpsync.ManagedSettings) (*input, fyne.CanvasObject) {
	pin, again := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	pin.SetPlaceHolder(text.T(text.ManagePINNew))
	again.SetPlaceHolder(text.T(text.ManagePINAgain))
	var zero gpsync.ManagedSettings
	in := &input{json: jsonPath(&zero, &zero.NewKioskExitPIN), label: text.T(text.ManagePIN), problem: problemLabel(), widgets: []fyne.Disableable{pin, again}}
	in.read = func(m *gpsync.ManagedSettings) string {
		m.NewKioskExitPIN = ""
		if pin.Text == "" && again.Text == "" {
			return ""
		}
		if pin.Text != again.Text {
			return text.T(text.ManagePINDiffer)
		}
		m.NewKioskExitPIN = pin.Text
		return ""
	}
	help := text.T(text.ManagePINHelpNone)
	if m.KioskExitPINSet {
		help = text.T(text.ManagePINHelp)
	}
	return in, block(in.label, help, container.NewVBox(pin, again), in.problem)
}

// summaryLines is how many problems the footer lists: more would push
// the Save button out of sight at A++; the rest are beside their fields.
const summaryLines = 3

// summary is the footer's account of what is wrong: the sentence, then
// the first few problems.
func summary(sentence string, problems []string) string {
	lines := []string{sentence}
	if len(problems) > summaryLines {
		lines = append(lines, problems[:summaryLines-1]...)
		lines = append(lines, text.T(text.ManageMoreMarked, strconv.Itoa(len(problems)-summaryLines+1)))
	} else {
		lines = append(lines, problems...)
	}
	return strings.Join(lines, "\n")
}

func (s *Screens) settingsForm(sc *screen, m gpsync.ManagedSettings, f Freshness, done string) {
	body := []fyne.CanvasObject{heading(text.T(text.ManageSettingsTitle))}
	if l := s.stale(f); l != nil {
		body = append(body, l)
	}
	var inputs []*input
	groups := map[Group][]fyne.CanvasObject{}
	for i, t := range m.SlotTypeAges {
		ins, o := ageInputs(i, t)
		inputs = append(inputs, ins...)
		groups[GroupAppointmentTypes] = append(groups[GroupAppointmentTypes], o)
	}
	pin, pinBox := pinInputs(m)
	inputs = append(inputs, pin)
	groups[GroupKiosk] = append(groups[GroupKiosk], pinBox)
	for _, fd := range s.cfg.Fields {
		var in *input
		var o fyne.CanvasObject
		if fd.flag != nil {
			in, o = checkInput(fd, m)
		} else {
			in, o = numberInput(fd, m)
		}
		inputs = append(inputs, in)
		groups[fd.Group] = append(groups[fd.Group], o)
	}
	for g := GroupBooking; g <= GroupLeases; g++ { // empty groups are left out
		if len(groups[g]) == 0 {
			continue
		}
		body = append(body, widget.NewSeparator(), heading(g.title()), container.New(&columns{minWidth: 16}, groups[g]...))
	}

	msg := message(done, widget.SuccessImportance)
	var save *button
	save = newButton(text.T(text.ManageSave), func() {
		s.cfg.Frame.Touch()
		next := m // the form's values over what the server sent
		next.SlotTypeAges = append([]gpsync.SlotTypeAge(nil), m.SlotTypeAges...)
		var wrong []string
		for _, in := range inputs {
			why := in.read(&next)
			say(in.problem, why, widget.DangerImportance)
			if why != "" {
				wrong = append(wrong, in.label+": "+why)
			}
		}
		if len(wrong) > 0 {
			say(msg, summary(text.T(text.ManageFixFields), wrong), widget.DangerImportance)
			s.cfg.Frame.Relayout()
			return
		}
		save.Disable()
		say(msg, text.T(text.ManageSending), widget.MediumImportance)
		s.async(func() func() {
			err := s.cfg.Service.SaveSettings(s.ctx, next)
			return func() {
				save.Enable()
				if err == nil {
					s.showSettings(text.T(text.ManageSaved))
					return
				}
				r, ok := asRefusal(err)
				if !ok {
					say(msg, s.plain(err), widget.DangerImportance)
					s.cfg.Frame.Relayout()
					return
				}
				var lines []string
				for _, p := range r.Fields {
					shown := false
					for _, in := range inputs {
						if in.json == p.Field {
							say(in.problem, p.Message, widget.DangerImportance)
							lines = append(lines, in.label+": "+p.Message)
							shown = true
						}
					}
					if !shown {
						lines = append(lines, p.Message)
					}
				}
				// With each problem listed by its field, the server's own
				// sentence (all of them run together) would say it twice.
				headline := r.Message
				if len(lines) > 0 {
					headline = text.T(text.ManageFixFields)
				}
				say(msg, summary(headline, lines), widget.DangerImportance)
				s.cfg.Frame.Relayout()
			}
		})
	})
	save.Importance = widget.HighImportance
	if !f.Live {
		save.Disable()
		for _, in := range inputs {
			for _, w := range in.widgets {
				w.Disable()
			}
		}
	}
	sc.set(body, []fyne.CanvasObject{msg, container.NewHBox(save)})
}
