package staff

import (
	"context"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store/replica"
	"gpkiosk/ui/text"
)

// apptPrintTitle names the appointment letter's CUPS job; it names nobody.
const apptPrintTitle = "GP appointment letter"

// letterBackend is what the appointment letter needs of the replica: the
// practice's name, address and phone, as last synced.
type letterBackend interface {
	Practice(ctx context.Context) (p replica.PracticeName, ok bool, err error)
}

// justBooked is a booking just made at this desk. Its check-in code is
// for the patient's letter only; the replica does not keep it.
type justBooked struct {
	patientID int64
	slotID    int64
	code      string
}

// checkInCode is the code for the patient's appointment a, if this desk
// booked it just now; "" otherwise. A patient has one appointment per
// slot, so the slot names it even after a sync renumbers the booking.
func (d *Desk) checkInCode(patientID int64, a replica.Appointment) string {
	if b := d.booked; b != nil && b.patientID == patientID && b.slotID == a.SlotID {
		return b.code
	}
	return ""
}

// showAppointmentLetter offers the appointment letter for a: printed or
// saved as a PDF, by the same printer choice as the registration letter.
// The letter is optional: the appointment is booked whatever happens here.
func (d *Desk) showAppointmentLetter(rec replica.PatientRecord, a replica.Appointment) {
	if _, ok := d.signedIn(); !ok {
		d.SignOut("")
		return
	}
	name := rec.GivenName + " " + rec.FamilyName
	code := d.checkInCode(rec.ID, a)
	message := newMessage()
	back := widget.NewButton(text.T(text.ApptLetterBack), func() { d.showRecord(rec.ID, "") })
	content := container.NewVBox(heading(text.T(text.ApptLetterTitle, name)), para(d.apptLine(a)))
	if code == "" {
		content.Add(para(text.T(text.ApptLetterNoCode)))
	}
	content.Add(widget.NewSeparator())
	pdf, problem := d.appointmentPDF(name, a, code)
	if problem != "" {
		d.showWith(content, container.NewVBox(message, container.NewHBox(back)))
		d.say(message, problem)
		return
	}
	out := d.newLetterOut(letterJob{pdf: pdf, title: apptPrintTitle, file: "appointment-letter",
		printed: func(printer string) string { return text.T(text.ApptLetterPrinted, printer, name) },
		saved:   func(path string) string { return text.T(text.ApptLetterSaved, path, name) },
		failed:  text.T(text.ApptLetterStillSet),
		done:    func(said string) { d.showRecord(rec.ID, said) }}, message)
	content.Add(out.content)
	d.showWith(content, container.NewVBox(message, container.NewHBox(back, out.save, out.print)))
	out.hold([]*widget.Button{back, out.save, out.print})
}

// appointmentPDF renders the letter with the practice's details, or says
// in plain words why it cannot.
func (d *Desk) appointmentPDF(name string, a replica.Appointment, code string) (pdf []byte, problem string) {
	practice, ok, err := d.cfg.Backend.Practice(d.ctx)
	if err == nil && !ok {
		err = replica.ErrNotSynced
	}
	if err != nil {
		return nil, d.plain(err)
	}
	pdf, err = d.cfg.Letters.RenderAppointment(AppointmentLetter{Practice: practice, Addressee: name, Appointment: a, CheckInCode: code,
		// Online, the desk has called it booked (bookedWords): the
		// server is answering as the letter prints.
		NotConfirmed: a.State == replica.StateProvisional && !d.online, IssuedAt: d.cfg.Clock()})
	if err != nil {
		d.cfg.Log.Warn("staff desk: appointment letter not made", "err", err)
		return nil, d.cfg.Letters.Message(err)
	}
	return pdf, ""
}
