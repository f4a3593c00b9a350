package letter_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	gpsync "gpkiosk/sync"
	"gpkiosk/ui/letter"
	"gpkiosk/ui/letter/lettertest"
)

// appointment is at 10:30 on Tuesday 1 December 2026 (GMT, so London and
// UTC agree); the letter is written the evening before.
func appointment() letter.Appointment {
	starts := time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)
	return letter.Appointment{
		PracticeName:     "Riverside Surgery",
		PracticeAddress:  "12 Mill Lane, Riverside, Exampleton",
		PracticePostcode: "EX1 2AB",
		PracticePhone:    "01234 567890",
		PatientName:      "Siobhán Zoë O'Brien",
		StartsAt:         starts,
		ClinicianName:    "Dr Amir Khan",
		SlotTypeName:     "GP appointment (10 minutes)",
		CheckInCode:      "K7Q2M9XW4D",
		IssuedAt:         time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC),
	}
}

func TestAppointmentLetterSaysWhenWhereAndWho(t *testing.T) {
	pdf, err := letter.RenderAppointment(appointment())
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{
		"Riverside Surgery", "12 Mill Lane", "Exampleton", "EX1 2AB", "Phone: 01234 567890",
		"30 November 2026",
		"Dear Siobhán Zoë O'Brien,",
		"Your appointment",
		"When: Tuesday 1 December 2026 at 10:30",
		"With: Dr Amir Khan",
		"Appointment: GP appointment (10 minutes)",
		"Scan this code at the kiosk when you arrive to check in, or tell reception.",
		"If you cannot come, please tell us as soon as you can, so someone else can have the time: phone 01234 567890.",
		"From the team at Riverside Surgery",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("appointment letter does not say %q; it says:\n%s", want, text)
		}
	}
	for _, never := range []string{"K7Q2M9XW4D", "Not confirmed", "Account ID", "Linkage key"} {
		if strings.Contains(text, never) {
			t.Errorf("appointment letter says %q:\n%s", never, text)
		}
	}
}

// Summer time: 10:30 in London is 09:30 UTC, and the letter says 10:30.
func TestAppointmentLetterTellsLondonTime(t *testing.T) {
	a := appointment()
	a.StartsAt = time.Date(2026, 7, 7, 9, 30, 0, 0, time.UTC)
	a.IssuedAt = a.StartsAt.Add(-48 * time.Hour)
	pdf, err := letter.RenderAppointment(a)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"When: Tuesday 7 July 2026 at 10:30"} {
		if !strings.Contains(text, want) {
			t.Errorf("letter does not say %q; it says:\n%s", want, text)
		}
	}
}

func TestAppointmentLetterQRCodeChecksIn(t *testing.T) {
	a := appointment()
	pdf, err := letter.RenderAppointment(a)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := lettertest.DecodePDF(t, pdf), gpsync.CheckInCodePrefix+a.CheckInCode; got != want {
		t.Fatalf("QR code reads %q, want %q", got, want)
	}
}

// Without a check-in code the letter has no QR code and does not tell the
// patient to scan one; a booking not yet confirmed says so.
func TestAppointmentLetterWithoutCodeOrConfirmation(t *testing.T) {
	a := appointment()
	a.CheckInCode = ""
	a.NotConfirmed = true
	pdf, err := letter.RenderAppointment(a)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	if strings.Contains(text, "Scan this code") || strings.Contains(text, "Check-in code") {
		t.Errorf("a letter with no code talks about one:\n%s", text)
	}
	for _, want := range []string{"When you arrive, check in at the kiosk or tell reception.", "Not confirmed yet:", "If the time has gone, we will tell you."} {
		if !strings.Contains(text, want) {
			t.Errorf("letter does not say %q; it says:\n%s", want, text)
		}
	}
}

func TestIncompleteAppointmentIsRefused(t *testing.T) {
	blank := map[string]func(*letter.Appointment){
		"practice name": func(a *letter.Appointment) { a.PracticeName = " " },
		"address":       func(a *letter.Appointment) { a.PracticeAddress = "" },
		"postcode":      func(a *letter.Appointment) { a.PracticePostcode = "" },
		"phone":         func(a *letter.Appointment) { a.PracticePhone = "\t" },
		"patient":       func(a *letter.Appointment) { a.PatientName = "" },
		"clinician":     func(a *letter.Appointment) { a.ClinicianName = "" },
		"slot type":     func(a *letter.Appointment) { a.SlotTypeName = "" },
		"issued":        func(a *letter.Appointment) { a.IssuedAt = time.Time{} },
		"starts":        func(a *letter.Appointment) { a.StartsAt = time.Time{} },
	}
	for name, change := range blank {
		t.Run(name, func(t *testing.T) {
			a := appointment()
			change(&a)
			pdf, err := letter.RenderAppointment(a)
			refusedAsMissing(t, "appointment letter render", pdf, err)
		})
	}
}

func TestAppointmentTooLongForOnePageIsRefused(t *testing.T) {
	a := appointment()
	a.PracticeAddress = strings.Repeat("The Old Mill Buildings, ", 40)
	pdf, err := letter.RenderAppointment(a)
	if !errors.Is(err, letter.ErrTooLong) || pdf != nil {
		t.Fatalf("got %d bytes, %v; want ErrTooLong", len(pdf), err)
	}
}
