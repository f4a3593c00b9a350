package receipt_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"gpkiosk/store/demo"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/pretend"
	"gpkiosk/ui/practiceday"
	"gpkiosk/ui/receipt"
)

// sessionDay is a session's afternoon at the practice, in London.
func sessionDay(t *testing.T) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skipf("no tzdata: %v", err)
	}
	return time.Date(2026, 11, 27, 15, 0, 0, 0, loc)
}

// printed encodes a slip for the printer and reads it back as the printer
// would put it on paper.
func printed(t *testing.T, s receipt.Slip) receipt.DecodedSlip {
	t.Helper()
	d, err := receipt.Decode(receipt.Encode(s))
	if err != nil {
		t.Fatalf("the printer would not print the slip: %v", err)
	}
	return d
}

// defaultSteps are the next steps printed when the helper gives none, as
// wrapped at 48 columns.
var defaultSteps = []string{
	"Next steps",
	"- Try the lessons again until they feel easy.",
	"- To use the kiosk for real, ask at reception",
	"for your own letter.",
	"- Bring this with you next time, so your helper",
	"can see what you did.",
}

func TestPracticeDaySlipSaysWhatWasPractised(t *testing.T) {
	day := sessionDay(t)
	d := practiceday.PracticeDay{
		Date: day,
		// A lesson done twice is listed once; a blank title is dropped.
		Practised: []string{"Booking an appointment", " ", "Ordering a repeat prescription", "Booking an appointment"},
		Letter:    practiceday.Demo(pretend.Details(), day),
	}
	got := printed(t, receipt.PracticeDaySlip(d))

	top := got.Lines[0]
	if top.Text != "PRACTICE - NOT REAL" || !top.Style.Bold {
		t.Errorf("top line %+v, want %q in bold", top, "PRACTICE - NOT REAL")
	}
	want := append([]string{
		"PRACTICE - NOT REAL", "",
		"What I practised today",
		"Friday 27 November 2026",
		"",
		"√ Booking an appointment",
		"√ Ordering a repeat prescription",
		"",
	}, defaultSteps...)
	want = append(want,
		"",
		"Pretend letter: practise scanning this at the",
		"practice kiosk. It is not a real account.",
		"No scanner? Type the pretend Account ID:",
		"DEMO-0001",
		"Then type the pretend date of birth: 15 03 1946",
		"",
	)
	if !slices.Equal(got.Text(), want) {
		t.Errorf("the slip reads:\n%s\nwant lines:\n%s", got, strings.Join(want, "\n"))
	}
	if len(got.QRCodes) != 1 || got.QRCodes[0].AfterLine != len(got.Lines) {
		t.Fatalf("want one QR code at the bottom of the slip:\n%s", got)
	}
	if qr := got.QRCodes[0].Data; qr != d.Letter.QRPayload() {
		t.Errorf("QR code reads %q, want the pretend letter's %q", qr, d.Letter.QRPayload())
	}
}

// The QR code is a sign-in the kiosk in practice mode accepts: a
// registration letter for the pretend practice's ODS code, whose account
// ID and the printed date of birth sign DEMO-0001 in on a real pretend
// practice (sync/pretend, as gpkiosk --practice runs it).
func TestPracticeDaySlipCodeSignsInOnThePretendPractice(t *testing.T) {
	ctx := context.Background()
	day := sessionDay(t)
	details := pretend.Details()
	slip := printed(t, receipt.PracticeDaySlip(practiceday.PracticeDay{Date: day, Letter: practiceday.Demo(details, day)}))
	if len(slip.QRCodes) != 1 {
		t.Fatalf("no QR code on the slip:\n%s", slip)
	}
	scanned := slip.QRCodes[0].Data
	l, err := gpsync.ParseLetter(scanned)
	if err != nil {
		t.Fatalf("the QR code %q is not a registration letter: %v", scanned, err)
	}
	if l.AccountID != "DEMO-0001" || l.ODS != details.ODSCode {
		t.Fatalf("the letter is for %q at %q, want DEMO-0001 at %q", l.AccountID, l.ODS, details.ODSCode)
	}
	// The kiosk's own reader (ui/kiosk readScan) splits the payload on "&"
	// without unescaping, so every part must read the same either way.
	q, err := url.ParseQuery(strings.TrimPrefix(scanned, gpsync.LetterScheme+"?"))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range q {
		if !strings.Contains(scanned, k+"="+v[0]) {
			t.Errorf("part %s=%q is escaped in %q; the kiosk would misread it", k, v[0], scanned)
		}
	}

	p, err := pretend.Open(ctx, t.TempDir(), func() time.Time { return day })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	dob := demo.Letters()[0].DateOfBirth
	if typed := slices.Contains(slip.Text(), "Then type the pretend date of birth: "+
		practiceday.PretendLetter{DateOfBirth: dob}.TypedDateOfBirth()); !typed {
		t.Errorf("the slip does not give the demo patient's date of birth:\n%s", slip)
	}
	patient, err := p.Replica().SignIn(ctx, l.AccountID, dob)
	if err != nil {
		t.Fatalf("signing in on the pretend practice with the slip's code: %v", err)
	}
	if patient.GivenName != demo.Letters()[0].GivenName {
		t.Errorf("signed in as %q, want the demo patient", patient.GivenName)
	}
}

func TestPracticeDaySlipWithNothingPractised(t *testing.T) {
	day := sessionDay(t)
	cases := map[string]practiceday.PracticeDay{
		"empty":       {},
		"blank names": {Date: day, Practised: []string{"", "  "}, NextSteps: []string{" "}},
	}
	for name, d := range cases {
		t.Run(name, func(t *testing.T) {
			got := printed(t, receipt.PracticeDaySlip(d))
			want := []string{"PRACTICE - NOT REAL", "", "What I practised today"}
			if !d.Date.IsZero() {
				want = append(want, "Friday 27 November 2026")
			}
			want = append(append(want, "", "You practised: nothing yet.", ""), defaultSteps...)
			if !slices.Equal(got.Text(), want) {
				t.Errorf("the slip reads:\n%s\nwant lines:\n%s", got, strings.Join(want, "\n"))
			}
			// No letter given: no code the kiosk would refuse.
			if len(got.QRCodes) != 0 {
				t.Errorf("a slip without a letter has a QR code:\n%s", got)
			}
		})
	}
}

func TestPracticeDaySlipUsesTheHelpersNextSteps(t *testing.T) {
	day := sessionDay(t)
	got := printed(t, receipt.PracticeDaySlip(practiceday.PracticeDay{Date: day, Practised: []string{"Checking in"},
		NextSteps: []string{"Come to the Tuesday session.", ""}, Letter: practiceday.Demo(pretend.Details(), day)}))
	lines := got.Text()
	i := slices.Index(lines, "Next steps")
	if i < 0 || lines[i+1] != "- Come to the Tuesday session." || lines[i+2] != "" {
		t.Errorf("want only the helper's next step:\n%s", got)
	}
	if slices.Contains(lines, defaultSteps[1]) {
		t.Errorf("the default steps were printed too:\n%s", got)
	}
}

// Nothing on the slip could identify the learner or the demo patient
// beyond the pretend account: the slip is left behind in waiting rooms.
func TestPracticeDaySlipNamesNobody(t *testing.T) {
	day := sessionDay(t)
	l := practiceday.Demo(pretend.Details(), day)
	got := printed(t, receipt.PracticeDaySlip(practiceday.PracticeDay{Date: day, Practised: []string{"Booking an appointment"}, Letter: l}))
	all := strings.Join(got.Text(), "\n")
	for _, name := range strings.Fields(l.PatientName) {
		if strings.Contains(all, name) {
			t.Errorf("the slip names the demo patient (%q):\n%s", name, got)
		}
	}
}

// The slip prints the surgery's day: 23:30 UTC on 30 June is already
// 1 July in London.
func TestPracticeDaySlipPrintsLondonsDay(t *testing.T) {
	got := printed(t, receipt.PracticeDaySlip(practiceday.PracticeDay{Date: time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC)}))
	if !slices.Contains(got.Text(), "Wednesday 1 July 2026") {
		t.Errorf("want London's day, Wednesday 1 July 2026:\n%s", got)
	}
}
