package letter

import (
	"fmt"
	"strings"
	"time"

	"github.com/signintech/gopdf"
	"github.com/skip2/go-qrcode"

	gpsync "gpkiosk/sync"
	"gpkiosk/ui/receipt"
)

// Appointment is what an appointment letter says. Every field is needed
// except CheckInCode and NotConfirmed. It carries no patient data but the
// name the letter is addressed to.
type Appointment struct {
	PracticeName     string
	PracticeAddress  string // lines separated by newlines or commas
	PracticePostcode string
	PracticePhone    string

	PatientName   string
	StartsAt      time.Time
	ClinicianName string
	SlotTypeName  string // as the practice names it, e.g. "GP appointment (10 minutes)"
	// CheckInCode is the booking's code for the kiosk's scanner, printed
	// as a QR code; "" leaves the code out (the desk keeps it only for a
	// booking it has just made).
	CheckInCode string
	// NotConfirmed: booked offline without this desk's lease, so the
	// practice has not yet confirmed it.
	NotConfirmed bool
	IssuedAt     time.Time
}

// The appointment letter's words, printed, for a reading age of about 9.
const (
	textApptHeading    = "Your appointment"
	labelWhen          = "When: %s"
	labelWith          = "With: %s"
	labelAppt          = "Appointment: %s"
	textCheckInCaption = "Check-in code"
	textCheckIn        = "Scan this code at the kiosk when you arrive to check in, or tell reception."
	textArrive         = "When you arrive, check in at the kiosk or tell reception."
	textNotConfirmed   = "Not confirmed yet: we booked this while our computer could not reach the practice's system. If the time has gone, we will tell you."
	textCannotCome     = "If you cannot come, please tell us as soon as you can, so someone else can have the time: phone %s."
	docApptTitle       = "Your appointment"
	sizeWhen           = 16.0 // the appointment's details: large, for reading at a glance
)

// CheckInPayload is what the letter's QR code carries: what the kiosk's
// receipt slip carries for the same booking.
func (a Appointment) CheckInPayload() string {
	if strings.TrimSpace(a.CheckInCode) == "" {
		return ""
	}
	return gpsync.CheckInCodePrefix + strings.TrimSpace(a.CheckInCode)
}

func (a Appointment) check() error {
	const op = "appointment letter render"
	if err := required(op, [2]string{"practice name", a.PracticeName}, [2]string{"practice address", a.PracticeAddress},
		[2]string{"practice postcode", a.PracticePostcode}, [2]string{"practice phone", a.PracticePhone},
		[2]string{"patient name", a.PatientName}, [2]string{"clinician's name", a.ClinicianName},
		[2]string{"kind of appointment", a.SlotTypeName}); err != nil {
		return err
	}
	if a.IssuedAt.IsZero() {
		return &Error{Op: op, Kind: ErrMissingDetails, Reason: "The date of the letter is missing."}
	}
	if a.StartsAt.IsZero() {
		return &Error{Op: op, Kind: ErrMissingDetails, Reason: "The time of the appointment is missing."}
	}
	return nil
}

// RenderAppointment makes the appointment letter: one A4 page as a PDF,
// in the registration letter's style.
func RenderAppointment(a Appointment) ([]byte, error) {
	const op = "appointment letter render"
	if err := a.check(); err != nil {
		return nil, err
	}
	var bitmap [][]bool
	if payload := a.CheckInPayload(); payload != "" {
		qr, err := qrcode.New(payload, qrcode.Medium)
		if err != nil {
			return nil, fmt.Errorf("%s: QR code: %w", op, err)
		}
		bitmap = qr.Bitmap()
	}
	return render(op, gopdf.PdfInfo{Title: docApptTitle, Creator: a.PracticeName + " – " + docCreatorSuffix, CreationDate: a.IssuedAt},
		"Shorten the practice address or the names on the letter.", func(p *page) error { return p.appointment(a, bitmap) })
}

func (p *page) appointment(a Appointment, qr [][]bool) error {
	if err := p.letterhead(a.PracticeName, a.PracticeAddress, a.PracticePostcode, a.PracticePhone, a.IssuedAt); err != nil {
		return err
	}
	if err := p.greeting(a.PatientName, textApptHeading); err != nil {
		return err
	}
	p.y += 3
	if err := p.appointmentBox(a, qr); err != nil {
		return err
	}
	if a.NotConfirmed {
		p.y += 4
		if err := p.para(fontBold, sizeBody, textNotConfirmed, 0); err != nil {
			return err
		}
	}
	p.y += 4
	if err := p.para(fontRegular, sizeBody, fmt.Sprintf(textCannotCome, strings.TrimSpace(a.PracticePhone)), 0); err != nil {
		return err
	}
	return p.signOff(a.PracticeName)
}

// appointmentBox draws when, with whom and what, boxed, with the check-in
// QR code beside them when there is one.
func (p *page) appointmentBox(a Appointment, qr [][]bool) error {
	top := p.y
	p.y += boxPad
	textW := contentW - 2*boxPad
	if qr != nil {
		textW -= qrSize + boxPad
	}
	lines := []string{
		fmt.Sprintf(labelWhen, receipt.FormatWhen(a.StartsAt.In(london))),
		fmt.Sprintf(labelWith, strings.TrimSpace(a.ClinicianName)),
		fmt.Sprintf(labelAppt, strings.TrimSpace(a.SlotTypeName)),
	}
	for i, l := range lines {
		if i > 0 {
			p.y += 2.5
		}
		if err := p.textAt(fontBold, sizeWhen, l, margin+boxPad, textW); err != nil {
			return err
		}
	}
	arrive := textArrive
	if qr != nil {
		arrive = textCheckIn
	}
	p.y += 4
	if err := p.textAt(fontRegular, sizeBody, arrive, margin+boxPad, textW); err != nil {
		return err
	}
	bottom := p.y + boxPad
	if qr != nil {
		qrBottom, err := p.qr(qr, margin+contentW-boxPad-qrSize, top+boxPad, textCheckInCaption)
		if err != nil {
			return err
		}
		bottom = max(bottom, qrBottom+boxPad)
	}
	p.box(top, bottom)
	return nil
}
