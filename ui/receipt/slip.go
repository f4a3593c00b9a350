// Package receipt builds appointment and prescription-request slips, encodes
// them for an 80 mm ESC/POS thermal printer and sends them to the printer
// configured for the kiosk.
//
// Privacy: slips are printed in a shared waiting room and are often left
// behind, so they carry the minimum patient data needed to be useful — the
// first name at most. Never put a surname, NHS number, date of birth, address
// or clinical detail on a slip. The check-in QR payload must be an opaque,
// short-lived token, not patient identifiers.
package receipt

import (
	"fmt"
	"strings"
	"time"

	"gpkiosk/ui/text"
)

// Slip is one printed slip: a title in large bold type, plain-text lines and
// an optional QR code printed under them.
type Slip struct {
	Title string
	// Lines are printed left-aligned (right-to-left ones right-aligned, on a
	// raster slip) and word-wrapped; "" prints a blank line.
	Lines []string
	// QR is the payload of a QR code printed at the bottom; "" for none.
	QR string
}

// Appointment is what an appointment slip shows.
type Appointment struct {
	Practice  string
	FirstName string // optional; first name only, see package comment
	Clinician string
	When      time.Time // in the practice's local time zone
	WaitIn    string    // where to wait, e.g. "Waiting area B"
	// CheckIn is an opaque token encoded in the QR code that checks the
	// patient in when scanned at the arrival screen; "" prints no code.
	CheckIn string
	// Words is the patient's language (the zero Catalog is English).
	Words text.Catalog
}

// RepeatRequest is what a repeat-prescription request slip shows.
type RepeatRequest struct {
	Practice  string
	FirstName string // optional; first name only, see package comment
	Items     []string
	ReadyFrom time.Time
	Words     text.Catalog // the patient's language
}

// Outcome is what a slip of the practice's decision on a repeat order
// shows: Lines are the same sentences as the screen's, already worded.
type Outcome struct {
	Practice  string
	FirstName string // optional; first name only, see package comment
	Lines     []string
	Words     text.Catalog // the patient's language, as Lines are
}

// OutcomeSlip lays out the practice's decision on a repeat order.
func OutcomeSlip(o Outcome) Slip {
	s := Slip{Title: o.Practice}
	if o.FirstName != "" {
		s.Lines = append(s.Lines, o.Words.T(text.SlipHello, o.FirstName))
	}
	s.Lines = append(s.Lines, o.Words.T(text.SlipYourOutcome), "")
	for i, l := range o.Lines {
		if i > 0 {
			s.Lines = append(s.Lines, "")
		}
		s.Lines = append(s.Lines, l)
	}
	return s
}

// AppointmentSlip lays out an appointment slip.
func AppointmentSlip(a Appointment) Slip {
	s := Slip{Title: a.Practice, QR: a.CheckIn}
	if a.FirstName != "" {
		s.Lines = append(s.Lines, a.Words.T(text.SlipHello, a.FirstName))
	}
	s.Lines = append(s.Lines, a.Words.T(text.SlipYourAppointment), "")
	if a.Clinician != "" {
		s.Lines = append(s.Lines, a.Words.T(text.SlipWith, a.Clinician))
	}
	s.Lines = append(s.Lines, a.Words.T(text.SlipWhen, formatWhen(a.Words, a.When)))
	if a.WaitIn != "" {
		s.Lines = append(s.Lines, a.Words.T(text.SlipWaitIn, a.WaitIn))
	}
	if a.CheckIn != "" {
		s.Lines = append(s.Lines, "", a.Words.T(text.SlipScanToCheckIn))
	}
	return s
}

// PrescriptionSlip lays out a repeat-prescription request slip.
func PrescriptionSlip(r RepeatRequest) Slip {
	s := Slip{Title: r.Practice}
	if r.FirstName != "" {
		s.Lines = append(s.Lines, r.Words.T(text.SlipHello, r.FirstName))
	}
	s.Lines = append(s.Lines, r.Words.T(text.SlipYourRepeats), "")
	for _, it := range r.Items {
		s.Lines = append(s.Lines, "- "+it)
	}
	s.Lines = append(s.Lines, "", r.Words.T(text.SlipReadyFrom, formatDate(r.Words, r.ReadyFrom)))
	return s
}

// FormatDate spells a date out in words, e.g. "Tuesday 9 June 2026", so it
// cannot be misread as a US-style numeric date.
func FormatDate(t time.Time) string { return formatDate(text.English(), t) }

// FormatWhen formats an appointment time, e.g. "Tuesday 9 June 2026 at 10:30".
func FormatWhen(t time.Time) string { return formatWhen(text.English(), t) }

// formatDate is FormatDate in c's language: its day and month names, then
// the year.
func formatDate(c text.Catalog, t time.Time) string {
	return fmt.Sprintf("%s %d", c.Date(t), t.Year())
}

func formatWhen(c text.Catalog, t time.Time) string {
	return c.T(text.DateAtTime, formatDate(c, t), t.Format("15:04"))
}

// PlainText renders the slip for on-screen display when no printer is
// configured (see ErrNoPrinter).
func (s Slip) PlainText() string {
	var b strings.Builder
	b.WriteString(s.Title)
	b.WriteString("\n\n")
	for _, l := range s.Lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}
