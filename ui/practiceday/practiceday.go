// Package practiceday is what a digital-skills helper prints at the end of
// a practice session (issue 12): the lessons the learner did, next steps,
// and a pretend registration letter to practise scanning at the kiosk.
// ui/receipt lays it out as an 80 mm slip (PracticeDaySlip) and ui/letter
// as an A4 PDF (RenderPracticeDay); it lives apart from both so each can
// import it.
//
// Privacy: nothing here is about the learner. Their name and details are
// never asked for; the letter is the pretend practice's invented demo
// patient's.
package practiceday

import (
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the session's day is London's on any machine

	"gpkiosk/store"
	"gpkiosk/store/demo"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/text"
)

// PracticeDay is one session's slip.
type PracticeDay struct {
	Date      time.Time // the session's day; printed as London's day (Day)
	Practised []string  // titles of lessons done today, e.g. "Booking an appointment"
	NextSteps []string  // plain-English next steps; empty gives DefaultNextSteps
	Letter    PretendLetter
}

// PretendLetter is the pretend practice's registration letter for its
// demo patient: what the real letter (ui/letter.Details) prints, and the
// date of birth the kiosk asks for after the scan, which a real letter
// never prints but a learner needs to finish signing in.
type PretendLetter struct {
	PracticeName     string
	PracticeAddress  string
	PracticePostcode string
	PracticePhone    string
	ODS              string

	PatientName string // the invented demo patient's, never the learner's
	DateOfBirth store.Date

	AccountID  string
	LinkageKey string
	IssuedAt   time.Time
	ExpiresAt  time.Time
}

// DemoLinkageKey is the pretend letter's linkage key: the real format
// (three groups of five from the letter alphabet) so a learner sees what
// one looks like. The demo registrations keep the hash of a key nobody
// holds (store/demo), so this one links to nothing, anywhere.
const DemoLinkageKey = "DEMKY-PRACT-34679"

// Demo is the pretend letter for the pretend practice's first demo
// patient (DEMO-0001), issued at issued. practice is the pretend
// practice's details (sync/pretend.Details), passed in so the ui layer
// does not import the in-process server.
func Demo(practice store.Practice, issued time.Time) PretendLetter {
	l := demo.Letters()[0]
	return PretendLetter{
		PracticeName: practice.Name, PracticeAddress: practice.Address, PracticePostcode: practice.Postcode,
		PracticePhone: practice.Phone, ODS: practice.ODSCode,
		PatientName: l.GivenName + " " + l.FamilyName, DateOfBirth: l.DateOfBirth,
		AccountID: l.AccountID, LinkageKey: DemoLinkageKey,
		IssuedAt: issued, ExpiresAt: issued.Add(store.LetterValidity),
	}
}

// london is where surgery days are counted (docs: "show and reason about
// surgery days in Europe/London"); set once, never changed.
var london = mustLondon()

func mustLondon() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(fmt.Errorf("practiceday: Europe/London time zone missing: %w", err))
	}
	return loc
}

// Day is Date in Europe/London, so the slip and the sheet print the same
// day whatever zone the caller's clock gave (an evening session after
// 23:00 UTC in summer is already the next day at the surgery).
func (d PracticeDay) Day() time.Time { return d.Date.In(london) }

// HasCode says whether the letter has what its QR code needs; without it
// the slip and sheet leave the letter out rather than print a code the
// kiosk would refuse.
func (l PretendLetter) HasCode() bool {
	return strings.TrimSpace(l.ODS) != "" && strings.TrimSpace(l.AccountID) != "" && strings.TrimSpace(l.LinkageKey) != ""
}

// QRPayload is what the letter's QR code carries: the real letter's
// format (sync.Letter, docs/letter-qr.md), so the kiosk reads it as it
// reads a real one.
func (l PretendLetter) QRPayload() string {
	return gpsync.Letter{ODS: strings.TrimSpace(l.ODS), AccountID: strings.TrimSpace(l.AccountID),
		LinkageKey: strings.TrimSpace(l.LinkageKey)}.String()
}

// TypedDateOfBirth is the date of birth as the learner types it into the
// kiosk's day, month and year boxes, e.g. "15 03 1946"; "" when unknown.
func (l PretendLetter) TypedDateOfBirth() string {
	if l.DateOfBirth.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d %02d %04d", l.DateOfBirth.Day, int(l.DateOfBirth.Month), l.DateOfBirth.Year)
}

// Lessons are the lessons practised, blanks dropped and each once in the
// order first done: a lesson done twice is still one thing learnt.
func (d PracticeDay) Lessons() []string {
	var out []string
	for _, p := range d.Practised {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// Steps are the next steps to print: the helper's, or DefaultNextSteps
// when they gave none.
func (d PracticeDay) Steps() []string {
	var out []string
	for _, s := range d.NextSteps {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return DefaultNextSteps()
	}
	return out
}

// DefaultNextSteps suit any learner: practise again, get a real letter,
// and bring the slip back.
func DefaultNextSteps() []string {
	return []string{text.T(text.PracticeSlipStepAgain), text.T(text.PracticeSlipStepLetter), text.T(text.PracticeSlipStepBring)}
}
