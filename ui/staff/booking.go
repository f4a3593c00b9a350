package staff

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	"gpkiosk/ui/text"
)

// bookingBackend is what booking and cancelling at the desk need of the
// replica: the reception channel's rules, with the same leases and
// provisional bookings the kiosk has offline.
type bookingBackend interface {
	ReceptionSlots(ctx context.Context, staff replica.StaffMember, patientID int64, from store.Date, days int) ([]replica.Slot, error)
	BookFor(ctx context.Context, staff replica.StaffMember, patientID, slotID int64) (replica.LocalBooking, error)
	AppointmentsFor(ctx context.Context, staff replica.StaffMember, patientID int64) ([]replica.Appointment, error)
	CancelFor(ctx context.Context, staff replica.StaffMember, patientID int64, ref replica.Ref) (string, error)
}

// mayBook says whether the member of staff may book and cancel for
// patients (store.StaffMay; booking does not depend on the settings).
func mayBook(role string) bool {
	return store.StaffMay(store.KindBook, role, store.Settings{}) && store.StaffMay(store.KindCancelAppointment, role, store.Settings{})
}

// apptLine says one of the patient's appointments, and how sure it is.
func (d *Desk) apptLine(a replica.Appointment) string {
	switch a.State {
	case replica.StateProvisional:
		return text.T(text.ApptsLineNotYet, d.when(a.StartsAt), a.ClinicianName, a.SlotTypeName)
	case replica.StateFirm:
		return text.T(text.AtTime, text.T(text.ApptsLine, d.when(a.StartsAt), a.ClinicianName, a.SlotTypeName), text.T(text.WaitingToSend))
	}
	return text.T(text.ApptsLine, d.when(a.StartsAt), a.ClinicianName, a.SlotTypeName)
}

// appointmentsSection lists the patient's coming appointments on their
// record, each with its letter to print, and Cancel while it can still be
// cancelled here.
func (d *Desk) appointmentsSection(staff replica.StaffMember, rec replica.PatientRecord) fyne.CanvasObject {
	box := container.NewVBox(heading(text.T(text.ApptsTitle)))
	appts, err := d.cfg.Backend.AppointmentsFor(d.ctx, staff, rec.ID)
	if err != nil {
		box.Add(note(d.plain(err), widget.DangerImportance))
		return box
	}
	if len(appts) == 0 {
		box.Add(para(text.T(text.ApptsNone)))
	}
	may := mayBook(staff.Role)
	for _, a := range appts {
		line := para(d.apptLine(a))
		if !may {
			box.Add(line)
			continue
		}
		appt := a
		actions := container.NewHBox(newButton(text.T(text.ApptsLetter), func() { d.showAppointmentLetter(rec, appt) }))
		if !a.CancelUntil.IsZero() && !d.cfg.Clock().After(a.CancelUntil) {
			actions.Add(newButton(text.T(text.ApptsCancel), func() { d.confirmCancel(rec, appt) }))
		}
		// Centred, so the buttons keep their height beside a line that
		// wraps at A++.
		box.Add(container.NewBorder(nil, nil, nil, container.NewCenter(actions), line))
	}
	if may {
		// In the body, not the footer: the record's footer is already as
		// wide as a front-desk screen at A++.
		box.Add(container.NewHBox(newButton(text.T(text.DeskBookButton), func() { d.showBook(rec, d.today()) })))
	}
	return box
}

// confirmCancel asks before cancelling.
func (d *Desk) confirmCancel(rec replica.PatientRecord, a replica.Appointment) {
	staff, ok := d.signedIn()
	if !ok {
		d.SignOut("")
		return
	}
	d.ask(rec.GivenName+" "+rec.FamilyName, text.T(text.ApptsCancelAsk, d.when(a.StartsAt), a.ClinicianName),
		text.T(text.ApptsCancelYes), widget.DangerImportance, func() error {
			if _, err := d.cfg.Backend.CancelFor(d.ctx, staff, rec.ID, a.Ref); err != nil {
				return err
			}
			if d.checkInCode(rec.ID, a) != "" {
				d.booked = nil // its code checks in nothing now
			}
			d.nudge()
			d.updateNav()
			d.showRecord(rec.ID, text.T(text.ApptsCancelled, d.when(a.StartsAt), a.ClinicianName)+" "+d.savedNote())
			return nil
		},
		text.T(text.ApptsKeep), func() { d.showRecord(rec.ID, "") })
}

// showBook offers the free times on one day for the patient at the desk,
// by the reception channel's rules.
func (d *Desk) showBook(rec replica.PatientRecord, day store.Date) {
	staff, ok := d.signedIn()
	if !ok {
		d.SignOut("")
		return
	}
	name := rec.GivenName + " " + rec.FamilyName
	box := container.NewVBox(heading(text.T(text.DeskBookTitle, name)), widget.NewLabel(text.T(text.DeskBookFreeOn, d.dayName(day))))
	slots, err := d.cfg.Backend.ReceptionSlots(d.ctx, staff, rec.ID, day, 1)
	var first fyne.Focusable
	switch {
	case err != nil:
		box.Add(note(d.plain(err), widget.DangerImportance))
	case len(slots) == 0:
		box.Add(para(text.T(text.DeskBookNoSlots)))
	}
	for _, sl := range slots {
		slot := sl
		b := newButton(text.T(text.DeskBookSlot, d.clock(sl.StartsAt), sl.ClinicianName, sl.SlotTypeName), func() { d.confirmBook(rec, slot) })
		b.Alignment = widget.ButtonAlignLeading
		if first == nil {
			first = b
		}
		box.Add(b)
	}
	prev := newButton(text.T(text.DayPrevious), func() { d.showBook(rec, day.AddDays(-1)) })
	if !d.today().Before(day) {
		prev.Disable() // nothing to book in the past
	}
	next := newButton(text.T(text.DayNext), func() { d.showBook(rec, day.AddDays(1)) })
	back := newButton(text.T(text.DeskBookBack), func() { d.showRecord(rec.ID, "") })
	d.showWith(box, container.NewHBox(prev, next, back))
	if first == nil {
		first = next
	}
	d.focus(first)
}

// confirmBook asks before booking, then books: firm under this desk's
// lease or online, provisional otherwise, and says which.
func (d *Desk) confirmBook(rec replica.PatientRecord, sl replica.Slot) {
	staff, ok := d.signedIn()
	if !ok {
		d.SignOut("")
		return
	}
	name := rec.GivenName + " " + rec.FamilyName
	d.ask(text.T(text.DeskBookTitle, name), text.T(text.DeskBookAsk, d.when(sl.StartsAt), sl.ClinicianName, name),
		text.T(text.DeskBookYes), widget.HighImportance, func() error {
			b, err := d.cfg.Backend.BookFor(d.ctx, staff, rec.ID, sl.ID)
			if err != nil {
				return err
			}
			d.booked = &justBooked{patientID: rec.ID, slotID: b.Slot.ID, code: b.CheckInCode}
			d.nudge()
			d.updateNav()
			d.showRecord(rec.ID, d.bookedWords(b))
			return nil
		},
		text.T(text.DeskBookBack), func() { d.showBook(rec, store.DateOf(sl.StartsAt, d.cfg.Location)) })
}

// bookedWords says what became of a booking just made: booked; booked
// and waiting to be sent (firm under this desk's lease, offline); or not
// confirmed yet (provisional, offline), as the kiosk says it.
func (d *Desk) bookedWords(b replica.LocalBooking) string {
	when, who := d.when(b.Slot.StartsAt), b.Slot.ClinicianName
	switch {
	case d.online:
		return text.T(text.DeskBookDone, when, who)
	case b.State == replica.StateFirm:
		return text.T(text.DeskBookDoneWaiting, when, who)
	}
	return text.T(text.DeskBookDoneNotYet, when, who) + " " + text.T(text.DeskBookNotYetWhy)
}
