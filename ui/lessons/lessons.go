// Package lessons is the guided lessons of practice mode (issue 12): short
// sequences of steps over the kiosk's own screens, each with one plain
// instruction, the control to press outlined, "Show me", "Try again" and
// the step's place in the lesson. The coach (coach.go) runs them; the
// screens are the real kiosk's, on a pretend practice (sync/pretend).
package lessons

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"gpkiosk/store"
	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

// Lesson is one thing a learner practises.
type Lesson struct {
	// ID names the lesson in the anonymous counts sent to the practice
	// ("book"); it never changes once released.
	ID    string
	Title text.Key
	// Setup is done for the learner, quickly, before the first step: the
	// booking lesson starts signed in.
	Setup []Step
	Steps []Step
	// Arrival asks for a pretend appointment today before the lesson
	// starts (checking in needs one).
	Arrival bool
}

// Step is one instruction. It is one of: a control to Press on the
// kiosk's screen, characters to Type on the screen's keys, a question
// with Answers in the coach's panel, or words to read (none of these).
type Step struct {
	Say  text.Key
	Args []string
	// Press finds the control to press on the screen; nil when it is not
	// showing.
	Press func(s *Screen) fyne.CanvasObject
	// Type is what the screen's box must hold after this step.
	Type string
	// Answers is a question's choices; one is right.
	Answers []Answer
	// Hint is said after a wrong answer.
	Hint text.Key
	// On is the screen this step is done on: anywhere else, the learner
	// is told kindly how to get back. Nil for any screen.
	On func(s *Screen) bool
	// Done reports the step is done; the coach moves on by itself.
	Done func(s *Screen) bool
}

// Answer is one choice of a question.
type Answer struct {
	Say   text.Key
	Right bool
}

// Instruction is the step's words, for the screen and for reading aloud.
func (st Step) Instruction() string {
	args := make([]any, len(st.Args))
	for i, a := range st.Args {
		args[i] = a
	}
	return text.T(st.Say, args...)
}

// kind of step, for the coach.
func (st Step) kind() stepKind {
	switch {
	case st.Press != nil:
		return pressStep
	case st.Type != "":
		return typeStep
	case len(st.Answers) > 0:
		return questionStep
	}
	return readStep
}

type stepKind int

const (
	readStep stepKind = iota
	pressStep
	typeStep
	questionStep
)

// Learner is the pretend patient the lessons use: the pretend letter's
// details, which the instructions read out, since a learner has no letter
// of their own for a pretend practice.
type Learner struct {
	AccountID   string // as printed, "DEMO-0001"
	DateOfBirth store.Date
	GivenName   string
	FamilyName  string
	Sex         store.Sex
	// SlotType is the kind of appointment the booking lesson books.
	SlotType string
	// ODSCode is the pretend practice's.
	ODSCode string
}

// typedID is the Account ID as typed: no dash.
func (l Learner) typedID() string { return strings.ReplaceAll(l.AccountID, "-", "") }

// dobDigits is the date of birth as typed on the keys.
func (l Learner) dobDigits() string {
	d := l.DateOfBirth
	return fmt.Sprintf("%02d%02d%04d", d.Day, int(d.Month), d.Year)
}

// dobSaid is the date of birth as the instruction says it: "15 03 1946".
func (l Learner) dobSaid() string {
	d := l.DateOfBirth
	return fmt.Sprintf("%02d %02d %04d", d.Day, int(d.Month), d.Year)
}

func (l Learner) sexWord() text.Key {
	switch l.Sex {
	case store.SexFemale:
		return text.CheckInFemale
	case store.SexMale:
		return text.CheckInMale
	}
	return text.CheckInOther
}

// press is a Press finder for the catalogue's words.
func press(k text.Key) func(s *Screen) fyne.CanvasObject {
	return func(s *Screen) fyne.CanvasObject { return obj(s.ButtonFor(k)) }
}

func obj(b *widgets.Button) fyne.CanvasObject {
	if b == nil {
		return nil
	}
	return b
}

func heading(k text.Key) func(s *Screen) bool { return func(s *Screen) bool { return s.HeadingIs(k) } }

func anyOf(fs ...func(s *Screen) bool) func(s *Screen) bool {
	return func(s *Screen) bool {
		for _, f := range fs {
			if f(s) {
				return true
			}
		}
		return false
	}
}

func welcome(s *Screen) bool { return s.ButtonFor(text.CheckIn) != nil }

// signedIn: the menu, or the screens a patient may see first on signing
// in (news about an order, something needing attention).
func signedIn(s *Screen) bool {
	return s.HeadingIs(text.MenuTitle) || s.HeadingIs(text.OutcomeTitle) || s.HeadingIs(text.AttentionTitle) ||
		s.HeadingIs(text.MyAppointments)
}

// signInSteps sign the learner in with the pretend letter from the
// welcome screen, through "My appointments" (which asks for the letter).
func signInSteps(l Learner) []Step {
	return []Step{
		{Say: text.SignInAbout, Args: []string{l.AccountID}},
		{Say: text.SignInPressMine, Press: press(text.MyAppointments), On: welcome, Done: heading(text.SignInTitle)},
		{Say: text.SignInTypeID, Args: []string{l.typedID()}, Type: l.typedID(), On: heading(text.SignInTitle),
			Done: heading(text.SignInDOBTitle)},
		{Say: text.SignInPressNext, Press: press(text.Next), On: heading(text.SignInTitle), Done: heading(text.SignInDOBTitle)},
		{Say: text.SignInTypeDOB, Args: []string{l.dobSaid()}, Type: l.dobDigits(), On: heading(text.SignInDOBTitle), Done: signedIn},
	}
}

// toMenu goes on from the first screens after signing in to the menu.
var toMenu = Step{Say: text.CoachNext, Press: func(s *Screen) fyne.CanvasObject {
	for _, k := range []text.Key{text.OutcomeReadIt, text.AttentionSeenIt, text.MenuBackToMenu} {
		if b := s.ButtonFor(k); b != nil {
			return b
		}
	}
	return nil
}, Done: heading(text.MenuTitle)}

func bookingSteps(l Learner) []Step {
	choosing := anyOf(heading(text.BookWhatFor), heading(text.BookChooseTime))
	return []Step{
		{Say: text.BookPressBook, Press: press(text.BookAppointment), On: heading(text.MenuTitle), Done: choosing},
		{Say: text.BookPressGP, Args: []string{l.SlotType}, Press: func(s *Screen) fyne.CanvasObject { return obj(s.Button(l.SlotType)) },
			On: choosing, Done: heading(text.BookChooseTime)},
		{Say: text.BookPressTime, Press: func(s *Screen) fyne.CanvasObject { return obj(s.Primary()) },
			On: heading(text.BookChooseTime), Done: heading(text.BookConfirmTitle)},
		{Say: text.BookPressYes, Press: press(text.BookYes), On: heading(text.BookConfirmTitle),
			Done: func(s *Screen) bool { return s.Practised(text.Booked) || s.Practised(text.BookedProvisional) }},
	}
}

// bookLater books the first time on the second day with free times, so
// the cancel lesson's appointment is well before the practice's
// cancellation cut-off (a time later today may be too close to cancel).
func bookLater(l Learner) []Step {
	b := bookingSteps(l)
	later := []Step{
		{Say: text.CoachNext, Press: press(text.BookAnotherDay), Done: heading(text.BookDayTitle)},
		{Say: text.CoachNext, Press: func(s *Screen) fyne.CanvasObject { return obj(s.NthPrimary(1)) }, Done: heading(text.BookChooseTime)},
	}
	return append(append(append([]Step{}, b[:2]...), later...), b[2:]...)
}

// All is every lesson, in the order a helper usually teaches them.
func All(l Learner) []Lesson {
	signIn := signInSteps(l)
	signedInSetup := append(append([]Step{}, signIn...), toMenu)
	booking := bookingSteps(l)
	return []Lesson{
		{ID: "touchscreen", Title: text.LessonTouch, Steps: []Step{
			{Say: text.TouchPressBook, Press: press(text.BookAppointment), On: welcome, Done: heading(text.SignInTitle)},
			{Say: text.TouchTypeAB, Type: "AB", On: heading(text.SignInTitle)},
			{Say: text.TouchDelete, Type: "A", On: heading(text.SignInTitle)},
			{Say: text.TouchBack, Press: press(text.Back), On: heading(text.SignInTitle), Done: welcome},
		}},
		{ID: "sign-in", Title: text.LessonSignIn, Steps: append(append([]Step{}, signIn...),
			Step{Say: text.SignInKeepSafe},
			Step{Say: text.SignInPressDone, Press: press(text.MenuFinished), On: heading(text.MyAppointments),
				Done: heading(text.FinishedTitle)},
			Step{Say: text.SignInPressClose, Press: press(text.Done), On: heading(text.FinishedTitle), Done: welcome},
		)},
		{ID: "book", Title: text.LessonBook, Setup: signedInSetup, Steps: append(append([]Step{}, booking...),
			Step{Say: text.BookAfter})},
		{ID: "cancel", Title: text.LessonCancel,
			Setup: append(append(append([]Step{}, signedInSetup...), bookLater(l)...),
				Step{Say: text.CoachNext, Press: press(text.MenuBackToMenu), Done: heading(text.MenuTitle)}),
			Steps: []Step{
				{Say: text.CancelPressMine, Press: press(text.MyAppointments), On: heading(text.MenuTitle), Done: heading(text.MyAppointments)},
				{Say: text.CancelPressOne, Press: press(text.AppointmentsCancel), On: heading(text.MyAppointments), Done: heading(text.AppointmentsCancelTitle)},
				{Say: text.CancelPressYes, Press: press(text.YesCancelIt), On: heading(text.AppointmentsCancelTitle), Done: heading(text.Cancelled)},
				{Say: text.CancelAfter},
			}},
		{ID: "repeat", Title: text.LessonRepeat, Setup: signedInSetup, Steps: []Step{
			{Say: text.RepeatPressOrder, Press: press(text.RepeatPrescriptions), On: heading(text.MenuTitle), Done: heading(text.RepeatsTitle)},
			{Say: text.RepeatTick, Press: func(s *Screen) fyne.CanvasObject { return obj(s.Unticked()) }, On: heading(text.RepeatsTitle),
				Done: func(s *Screen) bool { return s.Ticked() }},
			{Say: text.RepeatPressNext, Press: press(text.RepeatsOrder), On: heading(text.RepeatsTitle), Done: heading(text.RepeatsNoteTitle)},
			{Say: text.RepeatTypeNote, Args: []string{"Thanks"}, Type: "Thanks", On: heading(text.RepeatsNoteTitle)},
			{Say: text.RepeatPressSend, Press: press(text.RepeatsSend), On: heading(text.RepeatsNoteTitle),
				Done: func(s *Screen) bool { return s.Practised(text.RepeatsSent) || s.Practised(text.RepeatsQueued) }},
			{Say: text.RepeatAfter},
		}},
		{ID: "check-in", Title: text.LessonArrive, Arrival: true, Steps: []Step{
			{Say: text.ArriveAbout, Args: []string{l.GivenName + " " + l.FamilyName, l.DateOfBirth.At(12, 0, time.UTC).Format("2 January 2006")}},
			{Say: text.ArrivePress, Press: press(text.CheckIn), On: welcome, Done: heading(text.CheckInDOBTitle)},
			{Say: text.ArriveTypeDOB, Args: []string{l.dobSaid()}, Type: l.dobDigits(), On: heading(text.CheckInDOBTitle), Done: heading(text.CheckInSexTitle)},
			{Say: text.ArrivePressSex, Args: []string{text.T(l.sexWord())}, Press: press(l.sexWord()), On: heading(text.CheckInSexTitle), Done: heading(text.CheckInInitialTitle)},
			{Say: text.ArrivePressH, Args: []string{l.FamilyName}, Press: func(s *Screen) fyne.CanvasObject {
				if pad := s.Keypad(); pad != nil {
					if key, ok := pad.Key(l.FamilyName[:1]).(fyne.CanvasObject); ok && key != nil {
						return key
					}
				}
				return nil
			}, On: heading(text.CheckInInitialTitle), Done: func(s *Screen) bool { return s.Practised(text.CheckedIn) }},
			{Say: text.ArriveAfter},
		}},
		{ID: "staying-safe", Title: text.LessonSafe, Steps: []Step{
			{Say: text.SafeAbout},
			{Say: text.SafeTextAsk, Hint: text.SafeTextHint, Answers: []Answer{{Say: text.SafeTextReal}, {Say: text.SafeTextScam, Right: true}}},
			{Say: text.SafeCallAsk, Hint: text.SafeCallHint, Answers: []Answer{{Say: text.SafeCallRead}, {Say: text.SafeCallHangUp, Right: true}}},
			{Say: text.SafePayAsk, Hint: text.SafePayHint, Answers: []Answer{{Say: text.SafePayYes}, {Say: text.SafePayNo, Right: true}}},
			{Say: text.SafeAfter},
		}},
		{ID: "nhs-app", Title: text.LessonHome, Steps: []Step{
			{Say: text.HomeThree},
			{Say: text.HomeODS, Args: []string{l.ODSCode}},
			{Say: text.HomeProve},
			{Say: text.HomeWhere},
			{Say: text.HomeSecretAsk, Hint: text.HomeSecretHint, Answers: []Answer{{Say: text.HomeSecretName}, {Say: text.HomeSecretKey, Right: true}}},
		}},
	}
}
