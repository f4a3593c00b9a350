package receipt

import (
	"gpkiosk/ui/practiceday"
	"gpkiosk/ui/text"
)

// PracticeDaySlip lays out the "What I practised today" slip a helper
// prints at the end of a practice session: "PRACTICE — NOT REAL" as the
// title, so nobody takes it for a real appointment or account, the lessons
// done with a tick, next steps, and the pretend letter's QR code to
// practise scanning. A day with no lessons still makes a whole slip.
func PracticeDaySlip(d practiceday.PracticeDay) Slip {
	s := Slip{Title: text.T(text.PracticeSlipNotReal)}
	s.Lines = append(s.Lines, text.T(text.PracticeSlipHeading))
	if !d.Date.IsZero() {
		s.Lines = append(s.Lines, FormatDate(d.Day()))
	}
	s.Lines = append(s.Lines, "")
	lessons := d.Lessons()
	if len(lessons) == 0 {
		s.Lines = append(s.Lines, text.T(text.PracticeSlipNothingYet))
	}
	for _, l := range lessons {
		s.Lines = append(s.Lines, text.T(text.PracticeSlipDone, l))
	}
	s.Lines = append(s.Lines, "", text.T(text.PracticeSlipNextSteps))
	for _, st := range d.Steps() {
		s.Lines = append(s.Lines, "- "+st)
	}
	if !d.Letter.HasCode() {
		return s
	}
	s.Lines = append(s.Lines, "", text.T(text.PracticeSlipLetter), text.T(text.PracticeSlipAccount, d.Letter.AccountID))
	if dob := d.Letter.TypedDateOfBirth(); dob != "" {
		s.Lines = append(s.Lines, text.T(text.PracticeSlipDOB, dob))
	}
	s.QR = d.Letter.QRPayload()
	return s
}
