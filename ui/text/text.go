// Package text is the one place user-facing words come from. Screens ask
// for a Key, never write English inline, so that other languages can be
// added later as another Catalog and so every string can be checked for
// plain English (reading age about 9) in one test.
package text

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// Key names one user-facing string. Keys are dotted ids grouped by
// screen; they are not shown to patients unless a string is missing.
type Key string

// Welcome screen.
const (
	WelcomeTitle        Key = "welcome.title"
	CheckIn             Key = "welcome.check_in"
	BookAppointment     Key = "welcome.book"
	MyAppointments      Key = "welcome.my_appointments"
	RepeatPrescriptions Key = "welcome.repeat_prescriptions"
	NeedHelp            Key = "welcome.need_help"
	ReportProblem       Key = "welcome.report_problem"
)

// Status shown on every screen.
const (
	WorkingOffline Key = "status.offline"
	PracticeBanner Key = "status.practice"
	PracticeSays   Key = "status.practice_says"

	// A proxy signed in with their own letter, and what a letter leaves out.
	ActingFor             Key = "proxy.acting_for"
	LetterNoAppointments  Key = "letter.no_appointments"
	LetterNoPrescriptions Key = "letter.no_prescriptions"
)

// Display switches, always visible.
const (
	TextSizeNormal Key = "display.size_normal"
	TextSizeLarge  Key = "display.size_large"
	TextSizeLarger Key = "display.size_larger"
	HighContrast   Key = "display.high_contrast"
)

// Common buttons and messages.
const (
	Back         Key = "common.back"
	Cancel       Key = "common.cancel"
	Confirm      Key = "common.confirm"
	Done         Key = "common.done"
	SeeReception Key = "common.see_reception"
	Next         Key = "common.next"
	Sorry        Key = "common.sorry"
	Cancelled    Key = "common.cancelled"
	YesCancelIt  Key = "common.yes_cancel_it"
	NoKeepIt     Key = "common.no_keep_it"
)

// Welcome screen, below the practice's name.
const (
	WelcomePrompt Key = "welcome.prompt"
	// WelcomeLanguage opens the choice of language; LanguageTitle heads it.
	WelcomeLanguage Key = "welcome.language"
	LanguageTitle   Key = "language.title"
	// ReadAloud reads the screen aloud; ReadAloudStop stops it.
	ReadAloud     Key = "read_aloud.start"
	ReadAloudStop Key = "read_aloud.stop"
)

// Messages for errors, in words a patient can act on.
const (
	ErrorStopped Key = "error.stopped"
	ErrorGeneral Key = "error.general"
)

// The "are you still there?" warning before the screen clears itself.
const (
	IdleTitle     Key = "idle.title"
	IdleMessage   Key = "idle.message"
	IdleStillHere Key = "idle.still_here"
	IdleCountdown Key = "idle.countdown"
)

// Dates and times, in each language's own words (Catalog.Date).
const (
	// DateAtTime joins a day and a time: "%s at %s".
	DateAtTime Key = "date.at_time"
	// DateDayMonth is a day: weekday, day of the month, month: "%s %s %s".
	DateDayMonth Key = "date.day_month"
)

// Day and month names.
const (
	DateSunday    Key = "date.sunday"
	DateMonday    Key = "date.monday"
	DateTuesday   Key = "date.tuesday"
	DateWednesday Key = "date.wednesday"
	DateThursday  Key = "date.thursday"
	DateFriday    Key = "date.friday"
	DateSaturday  Key = "date.saturday"

	DateJanuary   Key = "date.january"
	DateFebruary  Key = "date.february"
	DateMarch     Key = "date.march"
	DateApril     Key = "date.april"
	DateMay       Key = "date.may"
	DateJune      Key = "date.june"
	DateJuly      Key = "date.july"
	DateAugust    Key = "date.august"
	DateSeptember Key = "date.september"
	DateOctober   Key = "date.october"
	DateNovember  Key = "date.november"
	DateDecember  Key = "date.december"
)

// weekdayKey and monthKey name a day and a month.
func weekdayKey(d time.Weekday) Key {
	return [...]Key{DateSunday, DateMonday, DateTuesday, DateWednesday, DateThursday, DateFriday, DateSaturday}[d]
}

func monthKey(m time.Month) Key {
	return [...]Key{DateJanuary, DateFebruary, DateMarch, DateApril, DateMay, DateJune, DateJuly, DateAugust,
		DateSeptember, DateOctober, DateNovember, DateDecember}[m-1]
}

// Date-of-birth entry and keypad (ui/widgets).
const (
	DOBDay        Key = "dob.day"
	DOBMonth      Key = "dob.month"
	DOBYear       Key = "dob.year"
	DOBHint       Key = "dob.hint"
	DOBIncomplete Key = "dob.incomplete"
	DOBNotADate   Key = "dob.not_a_date"
	KeypadDelete  Key = "keypad.delete"
	KeypadClear   Key = "keypad.clear"
	KeypadSpace   Key = "keypad.space"
	KeypadCapital Key = "keypad.capital"
)

// Lists too long for the screen, a page at a time (ui/widgets).
const (
	PagerMore  Key = "pager.more"
	PagerBack  Key = "pager.back"
	PagerWhere Key = "pager.where"
)

// The signed-in patient's own menu, shown after each task.
const (
	MenuTitle       Key = "menu.title"
	MenuHint        Key = "menu.hint"
	MenuFinished    Key = "menu.finished"
	MenuBackToMenu  Key = "menu.back_to_menu"
	FinishedTitle   Key = "menu.finished_title"
	FinishedMessage Key = "menu.finished_message"
)

// Check in on arrival.
const (
	CheckInDOBTitle     Key = "checkin.dob_title"
	CheckInSexTitle     Key = "checkin.sex_title"
	CheckInFemale       Key = "checkin.female"
	CheckInMale         Key = "checkin.male"
	CheckInOther        Key = "checkin.other"
	CheckInInitialTitle Key = "checkin.initial_title"
	CheckInInitialHint  Key = "checkin.initial_hint"
	CheckedIn           Key = "checkin.checked_in"
	CheckedInDetails    Key = "checkin.checked_in_details"
	CheckedInTakeSeat   Key = "checkin.checked_in_take_seat"
	NotCheckedIn        Key = "checkin.not_checked_in"
)

// Sign in with a letter and a date of birth.
const (
	SignInTitle         Key = "signin.title"
	SignInHow           Key = "signin.how"
	SignInNotOurs       Key = "signin.not_our_code"
	SignInOtherPractice Key = "signin.other_practice"
	SignInDOBTitle      Key = "signin.dob_title"
	AttentionTitle      Key = "signin.attention_title"
	AttentionSeenIt     Key = "signin.attention_understood"
)

// Book an appointment.
const (
	BookNoTimes         Key = "book.no_times"
	BookWhatFor         Key = "book.what_for"
	BookChooseOne       Key = "book.choose_one"
	BookSlot            Key = "book.slot"
	BookNoTimesForThis  Key = "book.no_times_for_this"
	BookAnyone          Key = "book.anyone"
	BookWhoWith         Key = "book.who_with"
	BookWhoTitle        Key = "book.who_title"
	BookWhoHint         Key = "book.who_hint"
	BookChooseTime      Key = "book.choose_time"
	BookEarliest        Key = "book.earliest"
	BookConfirmTitle    Key = "book.confirm_title"
	BookConfirmDetails  Key = "book.confirm_details"
	BookYes             Key = "book.yes"
	BookNo              Key = "book.no"
	BookNotBooked       Key = "book.not_booked"
	BookChooseAnother   Key = "book.choose_another"
	Booked              Key = "book.booked"
	BookedProvisional   Key = "book.booked_provisional"
	BookConfirmed       Key = "book.confirmed"
	BookNotConfirmedYet Key = "book.not_confirmed_yet"
	BookSending         Key = "book.sending"
	BookLaterTimes      Key = "book.later_times"
	BookEarlierTimes    Key = "book.earlier_times"
	BookAnotherDay      Key = "book.another_day"
	BookDayTitle        Key = "book.day_title"
	BookDayHint         Key = "book.day_hint"
	BookTimesOn         Key = "book.times_on"
	BookEarliestDays    Key = "book.earliest_days"
	BookLaterDays       Key = "book.later_days"
	BookNoCancelHere    Key = "book.no_cancel_here"
)

// Appointment slips: the kiosk's words about printing them.
const (
	SlipPrint     Key = "slip.print"
	SlipPrinting  Key = "slip.printing"
	SlipFailed    Key = "slip.failed"
	SlipNoPrinter Key = "slip.no_printer"
)

// Words printed on slips (ui/receipt).
const (
	SlipHello           Key = "slip.hello"
	SlipYourAppointment Key = "slip.your_appointment"
	SlipWith            Key = "slip.with"
	SlipWhen            Key = "slip.when"
	SlipWaitIn          Key = "slip.wait_in"
	SlipScanToCheckIn   Key = "slip.scan_to_check_in"
	SlipNoCheckInCode   Key = "slip.no_check_in_code"
	SlipYourRepeats     Key = "slip.your_repeats"
	SlipReadyFrom       Key = "slip.ready_from"
	SlipYourOutcome     Key = "slip.your_outcome"
)

// What the practice decided on a repeat prescription order, shown once at
// the next sign-in.
const (
	OutcomeTitle             Key = "outcome.title"
	OutcomeReady             Key = "outcome.ready"
	OutcomePharmacy          Key = "outcome.pharmacy"
	OutcomeCollected         Key = "outcome.collected"
	OutcomeNotIssued         Key = "outcome.not_issued"
	OutcomeNeedsReview       Key = "outcome.needs_review"
	OutcomeMedicationChanged Key = "outcome.medication_changed"
	OutcomeTooEarly          Key = "outcome.too_early"
	OutcomeNotOnRepeat       Key = "outcome.not_on_repeat"
	OutcomeOther             Key = "outcome.other"
	OutcomePracticeSays      Key = "outcome.practice_says"
	OutcomeReadIt            Key = "outcome.read_it"
)

// My appointments.
const (
	AppointmentsNone        Key = "appointments.none"
	AppointmentsItem        Key = "appointments.item"
	AppointmentsItemNotYet  Key = "appointments.item_not_confirmed"
	AppointmentsCancel      Key = "appointments.cancel"
	AppointmentsCancelTitle Key = "appointments.cancel_title"
	AppointmentsCancelled   Key = "appointments.cancelled"
	AppointmentsTooLate     Key = "appointments.too_late"
)

// Repeat prescriptions.
const (
	RepeatsTitle       Key = "repeats.title"
	RepeatsHint        Key = "repeats.hint"
	RepeatsOrdered     Key = "repeats.already_ordered"
	RepeatsNone        Key = "repeats.none"
	RepeatsPending     Key = "repeats.pending"
	RepeatsCancel      Key = "repeats.cancel"
	RepeatsYourOrders  Key = "repeats.your_orders"
	RepeatsOrder       Key = "repeats.order"
	RepeatsNotOrdered  Key = "repeats.not_ordered"
	RepeatsBack        Key = "repeats.back"
	RepeatsSent        Key = "repeats.sent"
	RepeatsReady       Key = "repeats.ready"
	RepeatsCancelTitle Key = "repeats.cancel_title"
	RepeatsCancelled   Key = "repeats.cancelled"
	RepeatsNoteTitle   Key = "repeats.note_title"
	RepeatsNoteHint    Key = "repeats.note_hint"
	RepeatsNoNote      Key = "repeats.no_note"
	RepeatsNoteCount   Key = "repeats.note_count"
	RepeatsSend        Key = "repeats.send"
	RepeatsSending     Key = "repeats.sending"
	RepeatsQueued      Key = "repeats.queued"
	RepeatsNoPrinter   Key = "repeats.no_printer"
)

// I need help.
const (
	HelpComing  Key = "help.coming"
	HelpNotSent Key = "help.not_sent"
	HelpOffline Key = "help.offline"
	HelpSending Key = "help.sending"
)

// Report a problem with this screen.
const (
	ProblemPrompt     Key = "problem.prompt"
	ProblemScreen     Key = "problem.screen"
	ProblemHardToRead Key = "problem.hard_to_read"
	ProblemPrinter    Key = "problem.printer"
	ProblemScanner    Key = "problem.scanner"
	ProblemOther      Key = "problem.other"
	ProblemSent       Key = "problem.sent"
	ProblemNotSent    Key = "problem.not_sent"
)

// Set-up screen shown until the device is enrolled (ui/setup); read by
// staff.
const (
	SetupConnecting    Key = "setup.connecting"
	SetupNotSetUp      Key = "setup.not_set_up"
	SetupAskManager    Key = "setup.ask_manager"
	SetupUnreachable   Key = "setup.unreachable"
	SetupTellStaff     Key = "setup.tell_staff"
	SetupServerFault   Key = "setup.server_fault"
	SetupNotUnderstood Key = "setup.not_understood"
	SetupTryAgain      Key = "setup.try_again"
	SetupServerAddress Key = "setup.server_address"
	SetupScanFirst     Key = "setup.scan_first"

	// Setting the device up from its set-up code or QR code.
	SetupScanPrompt    Key = "setup.enrol.prompt"
	SetupCodeHint      Key = "setup.enrol.hint"
	SetupButton        Key = "setup.enrol.button"
	SetupWorking       Key = "setup.enrol.working"
	SetupDone          Key = "setup.enrol.done"
	SetupBadCode       Key = "setup.enrol.bad_code"
	SetupPinDamaged    Key = "setup.enrol.pin_damaged"
	SetupPinWithoutTLS Key = "setup.enrol.pin_without_tls"
	SetupWrongServer   Key = "setup.enrol.wrong_server"
	SetupUntrusted     Key = "setup.enrol.untrusted"
	SetupCodeRefused   Key = "setup.enrol.code_refused"
	SetupCannotReach   Key = "setup.enrol.cannot_reach"
	SetupNotSaved      Key = "setup.enrol.not_saved"
	SetupFailed        Key = "setup.enrol.failed"
)

// Staff screens: leaving the kiosk with the practice's PIN.
const (
	StaffTitle          Key = "staff.title"
	StaffEnterPIN       Key = "staff.enter_pin"
	StaffOK             Key = "staff.ok"
	StaffWrongPIN       Key = "staff.wrong_pin"
	StaffLocked         Key = "staff.locked"
	StaffLockedReport   Key = "staff.locked_report"
	StaffNoPIN          Key = "staff.no_pin"
	StaffMenuTitle      Key = "staff.menu_title"
	StaffCloseKiosk     Key = "staff.close_kiosk"
	StaffBackToKiosk    Key = "staff.back_to_kiosk"
	StaffStartPractice  Key = "staff.start_practice"
	StaffPracticeFailed Key = "staff.practice_failed"
)

// english builds the English catalogue. It is a function so nothing can
// change the strings at run time.
func english() map[Key]string {
	m := englishScreens()
	for d := time.Sunday; d <= time.Saturday; d++ {
		m[weekdayKey(d)] = d.String()
	}
	for mo := time.January; mo <= time.December; mo++ {
		m[monthKey(mo)] = mo.String()
	}
	maps.Copy(m, refusalsEnglish())
	return m
}

func englishScreens() map[Key]string {
	return map[Key]string{
		WelcomeTitle:          "Welcome to %s",
		ActingFor:             "Acting for %s",
		LetterNoAppointments:  "Your letter does not let you book or see appointments here. Please ask at the desk.",
		LetterNoPrescriptions: "Your letter does not let you order prescriptions here. Please ask at the desk.",
		CheckIn:               "Check in for my appointment",
		BookAppointment:       "Book an appointment",
		MyAppointments:        "My appointments",
		RepeatPrescriptions:   "Order my repeat prescriptions",
		NeedHelp:              "I need help",
		ReportProblem:         "Report a problem with this screen",
		WorkingOffline:        "Working offline",
		PracticeBanner:        "Practice — nothing here is real",
		PracticeSays:          "Practice only: %s",
		TextSizeNormal:        "A",
		TextSizeLarge:         "A+",
		TextSizeLarger:        "A++",
		HighContrast:          "High contrast",
		Back:                  "Back",
		Cancel:                "Cancel",
		Confirm:               "Confirm",
		Done:                  "Done",
		SeeReception:          "Please see reception",
		Next:                  "Next",
		Sorry:                 "Sorry",
		Cancelled:             "Cancelled",
		YesCancelIt:           "Yes, cancel it",
		NoKeepIt:              "No, keep it",

		WelcomePrompt:   "Welcome. What would you like to do?",
		WelcomeLanguage: "Language",
		ReadAloud:       "Read this to me",
		ReadAloudStop:   "Stop reading",
		LanguageTitle:   "Choose your language",

		ErrorStopped: "That was stopped. Please try again.",
		ErrorGeneral: "Sorry, something went wrong. Please ask at the desk.",

		IdleTitle:     "Are you still there?",
		IdleMessage:   "For your privacy, this screen will clear soon. Tap the button if you need more time.",
		IdleCountdown: "It will clear in %s seconds.",
		IdleStillHere: "Yes, I am still here",

		DateAtTime:   "%s at %s",
		DateDayMonth: "%s %s %s",

		DOBDay:        "Day",
		DOBMonth:      "Month",
		DOBYear:       "Year",
		DOBHint:       "Type the day, month and year, for example 01 03 1945.",
		DOBIncomplete: "Please enter the day, month and year.",
		DOBNotADate:   "That date does not exist. Please check the day, month and year.",
		KeypadDelete:  "Delete",
		KeypadClear:   "Clear",
		KeypadSpace:   "Space",
		KeypadCapital: "Capital",

		PagerMore:  "Next",
		PagerBack:  "Previous",
		PagerWhere: "Page %s of %s",

		MenuTitle:           "What would you like to do next, %s?",
		MenuHint:            "When you are done, tap \"I have finished\". Then the next person cannot see your details.",
		MenuFinished:        "I have finished",
		MenuBackToMenu:      "Back to my menu",
		FinishedTitle:       "Thank you",
		FinishedMessage:     "You are signed out. Your details have been cleared from the screen.",
		StaffTitle:          "For staff only",
		StaffEnterPIN:       "Type the kiosk PIN, then tap OK.",
		StaffOK:             "OK",
		StaffWrongPIN:       "That PIN is not right. Please try again.",
		StaffLocked:         "Too many wrong PINs. Please wait 5 minutes and try again.",
		StaffLockedReport:   "Five wrong staff PINs in a row at this kiosk. The staff screen is locked for %s minutes.",
		StaffNoPIN:          "This kiosk has no PIN set. The practice manager can set one on the practice server.",
		StaffMenuTitle:      "Staff menu",
		StaffCloseKiosk:     "Close the kiosk",
		StaffBackToKiosk:    "Back to the kiosk",
		StaffStartPractice:  "Start practice mode (for a digital-skills session)",
		StaffPracticeFailed: "Practice mode could not start here. All else works as normal. Please tell the practice manager.",

		CheckInDOBTitle:     "Check in: your date of birth",
		CheckInSexTitle:     "Check in: are you female, male or other?",
		CheckInFemale:       "Female",
		CheckInMale:         "Male",
		CheckInOther:        "Other",
		CheckInInitialTitle: "Check in: the first letter of your surname",
		CheckInInitialHint:  "Tap the letter your surname starts with.",
		CheckedIn:           "You are checked in.",
		CheckedInDetails:    "Your appointment is at %s with %s. Please take a seat: you will be called.",
		CheckedInTakeSeat:   "Please take a seat; you will be called.",
		NotCheckedIn:        "We could not check you in here. Please see reception.",

		SignInTitle:         "Sign in with your letter",
		SignInHow:           "Scan the square code on your letter, or type its account ID.",
		SignInNotOurs:       "That code is not from one of our letters. Please scan the square code on your letter, or type the account ID.",
		SignInOtherPractice: "That letter is from a different surgery. It only works there. Please ask at the desk if you need help.",
		SignInDOBTitle:      "Your date of birth",
		AttentionTitle:      "Something you did here needs your attention",
		AttentionSeenIt:     "I understand",

		BookNoTimes:         "There are no times you can book here at the moment. Please see reception.",
		BookWhatFor:         "What is the appointment for?",
		BookChooseOne:       "%s, choose one.",
		BookSlot:            "%s\nwith %s",
		BookNoTimesForThis:  "There are no times for this at the moment. Please see reception.",
		BookAnyone:          "Anyone",
		BookWhoWith:         "Who with: %s",
		BookWhoTitle:        "Who would you like to see?",
		BookWhoHint:         "Choose \"Anyone\" for the earliest times.",
		BookChooseTime:      "Choose a time",
		BookEarliest:        "%s: earliest first",
		BookConfirmTitle:    "Book this appointment?",
		BookConfirmDetails:  "%s\nwith %s\n%s",
		BookYes:             "Yes, book it",
		BookNo:              "No, choose another time",
		BookNotBooked:       "Not booked",
		BookChooseAnother:   "Choose another time",
		Booked:              "You are booked in.",
		BookConfirmed:       "This appointment is confirmed.",
		BookedProvisional:   "Your booking is saved on this kiosk.",
		BookNotConfirmedYet: "Not confirmed yet: this kiosk cannot reach the practice just now. We will send it as soon as we can. If the time has gone, reception will tell you.",
		BookSending:         "Booking your appointment. Please wait…",
		BookLaterTimes:      "Later times",
		BookEarlierTimes:    "Earlier times",
		BookAnotherDay:      "Show another day",
		BookDayTitle:        "Choose a day",
		BookDayHint:         "Days with %s times you can book.",
		BookTimesOn:         "%s on %s",
		BookEarliestDays:    "Earlier days",
		BookLaterDays:       "Later days",
		BookNoCancelHere:    "This time is soon, so it cannot be cancelled at the kiosk. If you cannot come, please tell reception.",

		SlipPrint:     "Print a slip",
		SlipPrinting:  "Your slip is printing. Please take it from the printer.",
		SlipFailed:    "Sorry, the printer is not working. Please make a note of the day and time.",
		SlipNoPrinter: "There is no printer here. Please make a note of the day and time.",

		SlipHello:           "Hello %s",
		SlipYourAppointment: "Your appointment",
		SlipWith:            "With: %s",
		SlipWhen:            "When: %s",
		SlipWaitIn:          "Please wait in: %s",
		SlipScanToCheckIn:   "Scan this code at the arrival screen to check in.",
		SlipNoCheckInCode:   "The check-in code could not be printed. Please ask at reception.",
		SlipYourRepeats:     "Your repeat prescription request",
		SlipReadyFrom:       "Ready from %s",
		SlipYourOutcome:     "Your repeat prescription",

		OutcomeTitle:             "News about your prescription order",
		OutcomeReady:             "Ready to collect from %s:",
		OutcomePharmacy:          "Sent to your pharmacy:",
		OutcomeCollected:         "Already collected:",
		OutcomeNotIssued:         "Not given this time: %s.",
		OutcomeNeedsReview:       "The doctor needs to check this medicine with you first. Please book a medicine review.",
		OutcomeMedicationChanged: "Your medicine has been changed. The practice will contact you about it.",
		OutcomeTooEarly:          "It is too soon to order this again. Please order it nearer the time you need it.",
		OutcomeNotOnRepeat:       "This is no longer on your repeat list. Please ask at the desk if you still need it.",
		OutcomeOther:             "Please ask at the desk about this.",
		OutcomePracticeSays:      "The practice says: “%s”",
		OutcomeReadIt:            "I have read this",

		AppointmentsNone:        "You have no appointments booked.",
		AppointmentsItem:        "%s with %s",
		AppointmentsItemNotYet:  "%s with %s (not confirmed yet)",
		AppointmentsCancel:      "Cancel this appointment",
		AppointmentsCancelTitle: "Cancel this appointment?",
		AppointmentsCancelled:   "Your appointment is cancelled.",
		AppointmentsTooLate:     "This one is too soon to cancel here. If you cannot come, please tell reception at the desk.",

		RepeatsTitle:       "Choose the medicine you need",
		RepeatsHint:        "Tap each medicine you need, so it has a tick. Then tap Order.",
		RepeatsOrdered:     "%s: already ordered",
		RepeatsNone:        "You have no repeat medicine you can order here.",
		RepeatsPending:     "%s: ready from %s",
		RepeatsCancel:      "Cancel this order",
		RepeatsYourOrders:  "Orders the practice is dealing with",
		RepeatsOrder:       "Order",
		RepeatsNotOrdered:  "Not ordered",
		RepeatsBack:        "Back to my medicine",
		RepeatsSent:        "Your order has been sent to the practice.",
		RepeatsReady:       "It should be ready to collect from %s. The practice needs a few working days to check it.",
		RepeatsCancelTitle: "Cancel this order?",
		RepeatsCancelled:   "Your order is cancelled.",
		RepeatsNoteTitle:   "Add a note for the practice?",
		RepeatsNoteHint:    "You do not have to. Type a short note if you like.",
		RepeatsNoNote:      "(No note)",
		RepeatsNoteCount:   "%s of %s letters",
		RepeatsSend:        "Send my order",
		RepeatsSending:     "Sending your order to the practice. Please wait…",
		RepeatsQueued:      "Your order is saved. This kiosk will send it to the practice as soon as it can.",
		RepeatsNoPrinter:   "There is no printer here. Please make a note of the day it will be ready.",

		HelpComing:  "Someone from reception is coming to help you. Please stay here.",
		HelpNotSent: "Sorry, we could not send your message. Please go to the reception desk.",
		HelpOffline: "This kiosk cannot reach reception just now. Please go to the reception desk and someone will help you.",
		HelpSending: "Sending your message to reception. Please wait…",

		ProblemPrompt:     "What went wrong? Tap one. We will look into it.",
		ProblemScreen:     "The screen did not do what I expected",
		ProblemHardToRead: "The screen is hard to read",
		ProblemPrinter:    "The printer did not work",
		ProblemScanner:    "The scanner did not read my letter",
		ProblemOther:      "Something else",
		ProblemSent:       "Thank you. We have told the practice.",
		ProblemNotSent:    "Sorry, we could not send that. Please see reception.",

		SetupConnecting:    "Connecting to the practice server…",
		SetupNotSetUp:      "This device is not set up yet.",
		SetupAskManager:    "Please ask the practice manager to set it up.",
		SetupUnreachable:   "Cannot reach the practice server",
		SetupTellStaff:     "Please tell a member of staff.",
		SetupServerFault:   "The practice server has a problem",
		SetupNotUnderstood: "It sent an answer this device could not understand.",
		SetupTryAgain:      "Try again",
		SetupServerAddress: "Server address: %s",
		SetupScanFirst:     "Scan the set-up QR code first. It lets this device check the practice server.",

		SetupScanPrompt:    "Scan the set-up QR code, or type the set-up code and press Enter.",
		SetupCodeHint:      "Set-up code",
		SetupButton:        "Set up this device",
		SetupWorking:       "Setting up this device. Please wait…",
		SetupDone:          "This device is set up.",
		SetupBadCode:       "That is not a GP Kiosk set-up code. Please scan it again, or type the code.",
		SetupPinDamaged:    "Part of that set-up code is damaged. Please scan it again. If it fails again, ask for a new code.",
		SetupPinWithoutTLS: "That set-up code is not safe to use. It names a server without a secure link. Please ask for a new code.",
		SetupWrongServer:   "The server did not prove it is the one in the set-up code. Nothing was sent. Please tell the practice manager.",
		SetupUntrusted:     "This device cannot check the practice server. Please scan the set-up QR code, not the code alone.",
		SetupCodeRefused:   "That set-up code has been used or has run out. Please ask the practice manager for a new one.",
		SetupCannotReach:   "Cannot reach the practice server at %s. Please check the network and try again.",
		SetupNotSaved:      "This device could not save its set-up. Please tell a member of staff.",
		SetupFailed:        "This device could not be set up. Please tell the practice manager.",
	}
}

// Catalog is the strings for one language. The zero value is empty and
// falls back to English for every key.
type Catalog struct {
	strings map[Key]string
	// A language's own catalogue (For): its go-i18n messages and which
	// keys it has.
	lang      Lang
	localizer *i18n.Localizer
	has       map[Key]bool
	plural    map[Key]bool // has plural forms
}

// englishOnce builds the English map once; it is only ever read.
var englishOnce = sync.OnceValue(func() map[Key]string {
	m := english()
	maps.Copy(m, staffEnglish())
	maps.Copy(m, managerEnglish())
	maps.Copy(m, practiceSlipEnglish())
	maps.Copy(m, lessonsEnglish())
	return m
})

// English returns the English catalogue.
func English() Catalog { return Catalog{strings: englishOnce()} }

// NewCatalog returns a catalogue of translated strings. Keys it lacks fall
// back to English, so a part-finished translation still shows words.
func NewCatalog(strings map[Key]string) Catalog {
	return Catalog{strings: maps.Clone(strings)}
}

// Lookup returns the string for k and whether this catalogue or English
// has one. Tests use it to catch missing strings.
func (c Catalog) Lookup(k Key) (string, bool) {
	if s, ok := c.strings[k]; ok {
		return s, true
	}
	s, ok := englishOnce()[k]
	return s, ok
}

// T returns the string for k, with args filled in as by fmt.Sprintf. A
// missing key comes back as the key itself: visibly wrong in testing,
// but never a blank button in front of a patient.
func (c Catalog) T(k Key, args ...any) string {
	s, ok := c.translate(k, args)
	if !ok {
		s, ok = c.Lookup(k)
	}
	if !ok {
		return string(k)
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Keys returns every key that has an English string.
func Keys() []Key {
	return slices.Sorted(maps.Keys(englishOnce()))
}

// T looks k up in English. Screens call this until the kiosk offers other
// languages; then they will take a Catalog instead.
func T(k Key, args ...any) string { return English().T(k, args...) }
