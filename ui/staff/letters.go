package staff

import (
	"context"
	"time"

	"gpkiosk/store/replica"
	"gpkiosk/ui/letter"
)

// CUPSLetters renders letters with ui/letter and prints them through CUPS.
type CUPSLetters struct{}

// NewLetters is the real letter maker for the desk.
func NewLetters() CUPSLetters { return CUPSLetters{} }

// Render makes the letter's PDF from a prepared registration.
func (CUPSLetters) Render(p replica.PreparedRegistration) ([]byte, error) {
	return letter.Render(letter.Details{PracticeName: p.Practice.Name, PracticeAddress: p.Practice.Address,
		PracticePostcode: p.Practice.Postcode, PracticePhone: p.Practice.Phone, ODS: p.Practice.ODSCode,
		PatientName: p.Addressee, ActingForName: p.ActingFor, AccountID: p.Details.AccountID, LinkageKey: p.Details.LinkageKey,
		IssuedAt: p.IssuedAt, ExpiresAt: p.ExpiresAt})
}

// Printers lists the computer's CUPS queues, which can print now and
// which is the default.
func (CUPSLetters) Printers(ctx context.Context) ([]letter.Queue, error) { return letter.Queues(ctx) }

// Print prints and waits until CUPS says the job completed.
func (CUPSLetters) Print(ctx context.Context, printer string, pdf []byte, title string) error {
	return letter.CUPSPrinter{Queue: printer}.Print(ctx, pdf, title)
}

// Save writes the PDF, whole or not at all.
func (CUPSLetters) Save(path string, pdf []byte) error { return letter.SavePDF(path, pdf) }

// Message is the sentence to show staff for a print or save error.
func (CUPSLetters) Message(err error) string { return letter.Message(err) }

// AppointmentLetter is what the desk puts in an appointment letter.
type AppointmentLetter struct {
	Practice    replica.PracticeName
	Addressee   string // the patient's name
	Appointment replica.Appointment
	CheckInCode string // "" leaves the check-in QR code out
	// NotConfirmed: booked offline without this desk's lease, so the
	// practice has not confirmed it yet.
	NotConfirmed bool
	IssuedAt     time.Time
}

// RenderAppointment makes the appointment letter's PDF.
func (CUPSLetters) RenderAppointment(a AppointmentLetter) ([]byte, error) {
	return letter.RenderAppointment(letter.Appointment{PracticeName: a.Practice.Name, PracticeAddress: a.Practice.Address,
		PracticePostcode: a.Practice.Postcode, PracticePhone: a.Practice.Phone, PatientName: a.Addressee,
		StartsAt: a.Appointment.StartsAt, ClinicianName: a.Appointment.ClinicianName,
		SlotTypeName: a.Appointment.SlotTypeName, CheckInCode: a.CheckInCode, NotConfirmed: a.NotConfirmed, IssuedAt: a.IssuedAt})
}
