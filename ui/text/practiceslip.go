package text

// The "What I practised today" slip and A4 sheet a digital-skills helper
// prints for a learner (issue 12). The learner reads them at home, often
// an older person new to this: short sentences, and "PRACTICE — NOT REAL"
// wherever a pretend detail could be taken for a real one.
const (
	PracticeSlipNotReal    Key = "practiceslip.not_real"
	PracticeSlipHeading    Key = "practiceslip.heading"
	PracticeSlipDone       Key = "practiceslip.done"
	PracticeSlipNothingYet Key = "practiceslip.nothing_yet"
	PracticeSlipNextSteps  Key = "practiceslip.next_steps"
	PracticeSlipStepAgain  Key = "practiceslip.step_again"
	PracticeSlipStepLetter Key = "practiceslip.step_letter"
	PracticeSlipStepBring  Key = "practiceslip.step_bring"
	PracticeSlipLetter     Key = "practiceslip.letter"
	PracticeSlipAccount    Key = "practiceslip.account"
	PracticeSlipDOB        Key = "practiceslip.dob"
	PracticeSheetNextPage  Key = "practiceslip.sheet_next_page"
	PracticeSheetKioskOnly Key = "practiceslip.sheet_kiosk_only"
)

func practiceSlipEnglish() map[Key]string {
	return map[Key]string{
		PracticeSlipNotReal:    "PRACTICE — NOT REAL",
		PracticeSlipHeading:    "What I practised today",
		PracticeSlipDone:       "✓ %s",
		PracticeSlipNothingYet: "You practised: nothing yet.",
		PracticeSlipNextSteps:  "Next steps",
		PracticeSlipStepAgain:  "Try the lessons again until they feel easy.",
		PracticeSlipStepLetter: "To use the kiosk for real, ask at reception for your own letter.",
		PracticeSlipStepBring:  "Bring this with you next time, so your helper can see what you did.",
		PracticeSlipLetter:     "Pretend letter: practise scanning this at the practice kiosk. It is not a real account.",
		PracticeSlipAccount:    "No scanner? Type the pretend Account ID: %s",
		PracticeSlipDOB:        "Then type the pretend date of birth: %s",
		PracticeSheetNextPage:  "The next page is a pretend letter. Practise scanning its code at the practice kiosk.",
		PracticeSheetKioskOnly: "This pretend letter works only on the practice kiosk. It will not work in the NHS App.",
	}
}
