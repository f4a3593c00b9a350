package staff

import (
	"context"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	"gpkiosk/ui/text"
)

// dayBackend is what the day's list needs of the replica.
type dayBackend interface {
	DayList(ctx context.Context, staff replica.StaffMember, day store.Date) ([]replica.DayAppointment, error)
	RecordOutcome(ctx context.Context, staff replica.StaffMember, appointmentID int64, status string) (string, error)
}

// statusWords is an appointment's status as the list says it.
func (d *Desk) statusWords(a replica.DayAppointment) string {
	var s string
	switch a.Status {
	case store.StatusArrived:
		s = text.T(text.DayArrived)
		if !a.StatusChangedAt.IsZero() {
			s = text.T(text.DayArrivedAt, d.clock(a.StatusChangedAt))
		}
	case store.StatusSeen:
		s = text.T(text.DaySeen)
	case store.StatusDidNotAttend:
		s = text.T(text.DayDNA)
	default:
		s = text.T(text.DayBooked)
	}
	if a.Waiting {
		s = text.T(text.AtTime, s, text.T(text.WaitingToSend))
	}
	return s
}

// outcomesFor are the outcomes that make sense next: one booked may
// arrive, be seen or be missed; one arrived can only be seen; seen and
// missed are closed.
func outcomesFor(status string) []string {
	switch status {
	case store.StatusBooked:
		return []string{store.StatusArrived, store.StatusSeen, store.StatusDidNotAttend}
	case store.StatusArrived:
		return []string{store.StatusSeen}
	}
	return nil
}

func outcomeLabel(status string) string {
	switch status {
	case store.StatusArrived:
		return text.T(text.DayArrived)
	case store.StatusSeen:
		return text.T(text.DaySeen)
	}
	return text.T(text.DayDNA)
}

// dayScreen is the day's list as it is on screen: its buttons by
// appointment and outcome, so that a refresh can put the keyboard back on
// the same one.
type dayScreen struct {
	d       *Desk
	staff   replica.StaffMember
	day     store.Date
	msg     *widget.Label
	ask     *fyne.Container // the did-not-attend question, in the footer
	buttons map[string]*button
}

func buttonKey(appointmentID int64, status string) string {
	return strconv.FormatInt(appointmentID, 10) + "/" + status
}

// showDay is the day's appointments per clinician with their status. A
// sync that brings a kiosk's check-in shows it at once, keeping where the
// list is scrolled to and which button has the keyboard.
func (d *Desk) showDay(day store.Date, msg string) {
	staff, ok := d.signedIn()
	if !ok {
		d.SignOut("")
		return
	}
	d.setSection(secToday)
	v := &dayScreen{d: d, staff: staff, day: day, msg: note(msg, widget.SuccessImportance), ask: container.NewVBox()}
	d.showWith(v.body(), v.footer())
	d.refresh = v.refresh
}

func (v *dayScreen) refresh() {
	if _, ok := v.d.signedIn(); !ok {
		return
	}
	var again string
	c := v.d.canvas()
	if c != nil {
		for k, b := range v.buttons {
			if c.Focused() == b {
				again = k
			}
		}
	}
	v.d.replace(v.body(), v.footer())
	if b, ok := v.buttons[again]; ok && c != nil {
		c.Focus(b)
	}
}

func (v *dayScreen) footer() fyne.CanvasObject {
	d := v.d
	prev := newButton(text.T(text.DayPrevious), func() { d.showDay(v.day.AddDays(-1), "") })
	next := newButton(text.T(text.DayNext), func() { d.showDay(v.day.AddDays(1), "") })
	row := container.NewHBox(prev)
	if v.day != d.today() {
		row.Add(newButton(text.T(text.DayBackToToday), func() { d.showDay(d.today(), "") }))
	}
	row.Add(next)
	return container.NewVBox(v.msg, v.ask, row)
}

func (v *dayScreen) body() fyne.CanvasObject {
	d := v.d
	v.buttons = map[string]*button{}
	title := text.T(text.DayTitle, d.dayName(v.day))
	if v.day == d.today() {
		title = text.T(text.DayTitleToday, d.dayName(v.day))
	}
	box := container.NewVBox(heading(title))
	appts, err := d.cfg.Backend.DayList(d.ctx, v.staff, v.day)
	if err != nil {
		box.Add(note(d.plain(err), widget.DangerImportance))
		return box
	}
	if len(appts) == 0 {
		box.Add(para(text.T(text.DayNone)))
		return box
	}
	// Per clinician, by name; each clinician's list by time.
	slices.SortStableFunc(appts, func(a, b replica.DayAppointment) int {
		if a.ClinicianName != b.ClinicianName {
			if a.ClinicianName < b.ClinicianName {
				return -1
			}
			return 1
		}
		return a.StartsAt.Compare(b.StartsAt)
	})
	clinician := int64(-1)
	for _, a := range appts {
		if a.ClinicianID != clinician {
			clinician = a.ClinicianID
			box.Add(widget.NewSeparator())
			box.Add(widget.NewLabelWithStyle(a.ClinicianName, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		}
		row := para(text.T(text.DayRow, d.clock(a.StartsAt), a.PatientName, longDate(a.DateOfBirth), a.SlotTypeName))
		status := widget.NewLabel(v.d.statusWords(a))
		if a.Status == store.StatusArrived {
			status.Importance = widget.SuccessImportance
		}
		actions := container.NewHBox(status)
		for _, outcome := range outcomesFor(a.Status) {
			appt, outcome := a, outcome
			b := newButton(outcomeLabel(outcome), func() {
				if outcome == store.StatusDidNotAttend {
					v.askDNA(appt)
					return
				}
				v.record(appt, outcome)
			})
			v.buttons[buttonKey(a.AppointmentID, outcome)] = b
			actions.Add(b)
		}
		box.Add(container.NewBorder(nil, nil, nil, actions, row))
	}
	return box
}

// askDNA asks before a did-not-attend, which, for a booking the patient
// made themselves, counts towards suspending their online booking.
func (v *dayScreen) askDNA(a replica.DayAppointment) {
	d := v.d
	d.touch()
	no := newButton(text.T(text.DayNoGoBack), func() {
		v.ask.RemoveAll()
		d.relayout()
		if c := d.canvas(); c != nil {
			if b, ok := v.buttons[buttonKey(a.AppointmentID, store.StatusDidNotAttend)]; ok {
				c.Focus(b)
			}
		}
	})
	yes := newButton(text.T(text.DayDNAYes), func() {
		v.ask.RemoveAll()
		v.record(a, store.StatusDidNotAttend)
	})
	yes.Importance = widget.DangerImportance
	ask := text.T(text.DayDNAAsk, a.PatientName, d.clock(a.StartsAt))
	if store.Channel(a.Channel).SelfService() {
		// Only missed appointments the patient booked themselves count
		// towards suspending online booking (store.RecordOutcome).
		ask += " " + text.T(text.DayDNAWhy)
	}
	q := para(ask)
	q.Importance = widget.WarningImportance
	v.ask.Objects = []fyne.CanvasObject{q, container.NewHBox(yes, no)}
	v.ask.Refresh()
	d.relayout()
	if c := d.canvas(); c != nil {
		c.Focus(yes)
	}
}

// record queues the outcome; a refusal is shown and changes nothing.
func (v *dayScreen) record(a replica.DayAppointment, outcome string) {
	d := v.d
	d.touch()
	if _, err := d.cfg.Backend.RecordOutcome(d.ctx, v.staff, a.AppointmentID, outcome); err != nil {
		say(v.msg, d.plain(err))
		d.relayout()
		return
	}
	d.nudge()
	v.msg.Importance = widget.SuccessImportance
	v.msg.SetText(text.T(text.DayRecorded, a.PatientName, outcomeLabel(outcome)) + " " + d.savedNote())
	v.msg.Show()
	v.refresh()
}

// dayName is a day as staff say it: Monday 8 June 2026.
func (d *Desk) dayName(day store.Date) string {
	return day.Weekday().String() + " " + longDate(day)
}

// canvas is the desk's window canvas, once it is in one.
func (d *Desk) canvas() fyne.Canvas {
	if app := fyne.CurrentApp(); app != nil {
		return app.Driver().CanvasForObject(d.frame)
	}
	return nil
}
