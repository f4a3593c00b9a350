package store

import (
	"fmt"
	"maps"
	"strconv"
)

// A Sentence is a refusal a patient may read, with a stable code: the
// kiosk shows it in the patient's language by its code (the text
// package's "refusal.<code>"), never by matching the English. English is
// the sentence itself, with %s where a value goes; values are plain
// numbers, names, times ("09:30") or dates ("2026-03-03", which the
// kiosk says as a day in the patient's language), never English words,
// so a translation can use them as they are. A code never changes once
// released; a sentence that changes its meaning gets a new code.
type Sentence struct {
	Code    string
	English string
}

// sentences are every Sentence, by code, filled in as the package's
// variables are made.
var sentences = map[string]Sentence{}

// sentence registers one Sentence. A code used twice is a programming
// error, caught when the package loads.
func sentence(code, english string) Sentence {
	if _, dup := sentences[code]; dup {
		panic("store: sentence code used twice: " + code)
	}
	s := Sentence{Code: code, English: english}
	sentences[code] = s
	return s
}

// Sentences are the English of every coded refusal, by code.
func Sentences() map[string]string {
	out := make(map[string]string, len(sentences))
	for code, s := range sentences {
		out[code] = s.English
	}
	return out
}

// SentenceByCode is the Sentence with code, if there is one.
func SentenceByCode(code string) (Sentence, bool) {
	s, ok := sentences[code]
	return s, ok
}

// AllSentences are every Sentence (for tests).
func AllSentences() map[string]Sentence { return maps.Clone(sentences) }

// Say is the sentence with args filled in.
func (s Sentence) Say(args ...string) string {
	if len(args) == 0 {
		return s.English
	}
	vals := make([]any, len(args))
	for i, a := range args {
		vals[i] = a
	}
	return fmt.Sprintf(s.English, vals...)
}

// Refuse is a refusal for reason r in this sentence, with its values.
func (s Sentence) Refuse(r Reason, args ...string) error {
	return s.refuse(r, args...)
}

func (s Sentence) refuse(r Reason, args ...string) error { return s.rule(r, args...) }

// rule is the RuleError itself.
func (s Sentence) rule(r Reason, args ...string) *RuleError {
	if len(args) == 0 {
		args = nil
	}
	return &RuleError{Reason: r, Code: s.Code, Args: args, Message: s.Say(args...)}
}

// num is a whole number as a sentence's value.
func num(n int) string { return strconv.Itoa(n) }

// The refusals a patient may see at the kiosk.
var (
	// Made in the store's operations, and the same offline (errors.go).
	sentSlotGone            = sentence("slot_gone", "That time is no longer free. Please choose another.")
	sentSlotTaken           = sentence("slot_taken", "Sorry, that time has just been booked by someone else. Please choose another.")
	sentSlotHeld            = sentence("slot_held", "Sorry, that time is being held for the waiting-room kiosk. Please choose another.")
	sentPatientNotFound     = sentence("patient_not_found", "We could not find that patient's record. Please ask at the desk.")
	sentAppointmentNotFound = sentence("appointment_not_found", "We could not find that appointment. Please ask at the desk.")
	sentItemNotOnList       = sentence("item_not_on_list", "One of the things you chose is not on your repeat list. Please start again.")
	sentRequestNotFound     = sentence("request_not_found", "We could not find that request. Please ask at the desk.")
	sentRequestDealtWith    = sentence("request_dealt_with", "That request has already been dealt with, so it cannot be cancelled.")
	sentItemOrderedJustNow  = sentence("item_ordered_just_now", "One of these has already been ordered. You do not need to order it again.")
	sentCheckInCodeInvalid  = sentence("checkin_code_invalid", "The check-in code on the slip is not valid.")
	sentCheckInCodeInUse    = sentence("checkin_code_in_use", "That check-in code is already in use. Please book again.")
	sentKeyTaken            = sentence("device_fault", "This action could not be sent because of a device fault. Please ask at the desk.")
	sentNotProven           = sentence("not_proven", "This kiosk could not show that you asked for this, so it was not done. Please sign in again, or ask at the desk.")

	// Check-in and dates.
	sentSeeReception        = sentence("see_reception", "We could not check you in here. Please see reception.")
	sentChooseInitial       = sentence("choose_surname_initial", "Please choose the first letter of your surname.")
	sentDateNotReal         = sentence("date_not_real", "That date does not exist. Please check the day, month and year.")
	SentenceNotRecognised   = sentence("not_recognised", "We could not find you. Please check your date of birth, or ask at the desk.")
	SentenceNeedDateOfBirth = sentence("need_date_of_birth", "Please enter your date of birth.")
	SentenceTooManyTries    = sentence("too_many_tries", "There have been too many tries. For your safety, please ask at the desk.")
	SentenceLetterReplaced  = sentence("letter_replaced", "This letter has been replaced by a newer one. Please use your newest letter, or ask at the desk.")

	// Booking and cancelling (rules.go).
	sentNotOffered      = sentence("not_offered_to_you", "That kind of appointment is not offered to you. Please choose another kind, or ask at the desk.")
	sentSlotInPast      = sentence("slot_in_past", "That time has already passed. Please choose a later time.")
	sentSlotNotReleased = sentence("slot_not_released", "That time cannot be booked yet. It opens for booking at %s on %s.")
	sentSlotNotOnline   = sentence("slot_reception_only", "That time can only be booked by reception. Please ask at the desk or phone the surgery.")
	sentBeyondWindow    = sentence("beyond_booking_window", "You can book up to %s days ahead. Please choose an earlier day.")
	sentNoticeHour      = sentence("too_little_notice_hour", "That time is too soon to book here. Appointments must be booked at least 1 hour before they start. Please ask at the desk.")
	sentNoticeHours     = sentence("too_little_notice_hours", "That time is too soon to book here. Appointments must be booked at least %s hours before they start. Please ask at the desk.")
	sentNoticeMinutes   = sentence("too_little_notice_minutes", "That time is too soon to book here. Appointments must be booked at least %s minutes before they start. Please ask at the desk.")
	sentUnderAge        = sentence("under_minimum_age", "You need to be %s or older to book for yourself. A parent or carer can book at the desk.")
	sentBookingPaused   = sentence("booking_paused", "Booking here is paused for you because of missed appointments. Please ask at the desk.")
	sentTooManyOne      = sentence("too_many_appointments_one", "You already have 1 appointment booked, which is the most you can hold at once. You can cancel one and book again.")
	sentTooMany         = sentence("too_many_appointments", "You already have %s appointments booked, which is the most you can hold at once. You can cancel one and book again.")
	sentNotCancellable  = sentence("not_cancellable_now", "That appointment cannot be cancelled now. Please ask at the desk.")
	sentCancelHour      = sentence("too_late_to_cancel_hour", "It is too close to the appointment to cancel here (less than 1 hour before). Please tell reception or phone the surgery.")
	sentCancelHours     = sentence("too_late_to_cancel_hours", "It is too close to the appointment to cancel here (less than %s hours before). Please tell reception or phone the surgery.")
	sentCancelMinutes   = sentence("too_late_to_cancel_minutes", "It is too close to the appointment to cancel here (less than %s minutes before). Please tell reception or phone the surgery.")

	// Repeat prescriptions (rules.go).
	sentNoItems            = sentence("no_items_chosen", "Please choose at least one medicine to order.")
	sentOrderAtDesk        = sentence("order_with_reception", "Your doctor has asked that your repeat medicine is ordered with the help of reception. Please ask at the desk. They will be happy to help.")
	sentItemNotActive      = sentence("item_not_active", "%s is no longer on your repeat list, so it cannot be ordered. Please speak to reception or your pharmacist if you still need it.")
	sentItemAlreadyOrdered = sentence("item_already_ordered", "You have already ordered %s and the practice is still dealing with it. You do not need to order it again.")
	sentItemReviewDue      = sentence("item_review_due", "%s is due for a review with your doctor or pharmacist. Please ask at the desk so they can arrange it. You will not go without.")
	sentNoteTooLong        = sentence("note_too_long", "Your note is too long. Please keep it to %s letters or fewer.")

	// Problem reports and help requests, checked on the device.
	SentenceDescribeProblem = sentence("describe_problem", "Please describe the problem.")
	SentenceProblemTooLong  = sentence("problem_too_long", "Please keep the description to %s letters or fewer.")
	SentenceHelpNoteTooLong = sentence("help_note_too_long", "Please keep the note to %s letters or fewer.")

	// A device held to its quota (QuotaFor's Held).
	sentHeldProblems = sentence("held_problem_reports", "This device has sent a lot of problem reports recently. This one will be sent later. If it is urgent, please tell reception.")
	sentHeldHelp     = sentence("held_help_requests", "This device has asked for help a lot recently. It cannot ask again for now. Please go to reception.")
	sentHeldLessons  = sentence("held_lesson_counts", "This device has counted a lot of lessons recently. This one will be counted later.")

	// The server gave no sentence for an action it rejected (replica).
	SentenceNotCarriedOut = sentence("not_carried_out", "The practice could not carry out this request. Please ask at the desk.")
)

// minutesSentence picks the one of three sentences that says m minutes
// plainly: exactly an hour, whole hours, or minutes; its args.
func minutesSentence(m int, hour, hours, minutes Sentence) (Sentence, []string) {
	switch {
	case m == 60:
		return hour, nil
	case m > 0 && m%60 == 0:
		return hours, []string{num(m / 60)}
	}
	return minutes, []string{num(m)}
}
