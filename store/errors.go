package store

import "errors"

// Reason is a stable, machine-readable code for a rule the practice applies.
// It is an error itself so callers can write errors.Is(err, store.ReasonSlotTaken).
type Reason string

// The reasons a request is refused. The codes travel over the wire and into
// the audit log, so they never change once released.
const (
	ReasonInvalidNHSNumber     Reason = "invalid_nhs_number"
	ReasonInvalidDate          Reason = "invalid_date"
	ReasonInvalidInput         Reason = "invalid_input"
	ReasonNotFound             Reason = "not_found"
	ReasonSlotInPast           Reason = "slot_in_past"
	ReasonSlotTaken            Reason = "slot_taken"
	ReasonSlotNotOnline        Reason = "slot_not_online"
	ReasonSlotNotReleased      Reason = "slot_not_released"
	ReasonSlotHeld             Reason = "slot_held"
	ReasonBeyondBookingWindow  Reason = "beyond_booking_window"
	ReasonTooLittleNotice      Reason = "too_little_notice"
	ReasonTooManyAppointments  Reason = "too_many_appointments"
	ReasonUnderMinimumAge      Reason = "under_minimum_age"
	ReasonBookingSuspended     Reason = "online_booking_suspended"
	ReasonPastCancelCutoff     Reason = "past_cancellation_cutoff"
	ReasonNotCancellable       Reason = "not_cancellable"
	ReasonNoItemsChosen        Reason = "no_items_chosen"
	ReasonItemNotActive        Reason = "item_not_active"
	ReasonItemAlreadyRequested Reason = "item_already_requested"
	ReasonItemReviewDue        Reason = "item_review_due"
	ReasonOnlineOrderingOff    Reason = "online_ordering_unsuitable"
	ReasonNoteTooLong          Reason = "note_too_long"
	ReasonTooManyAttempts      Reason = "too_many_attempts"
	ReasonNotEligible          Reason = "not_eligible"
	ReasonLetterExpired        Reason = "letter_expired"
	ReasonLetterReplaced       Reason = "letter_replaced"
	// Someone else got there first: the message says who and when.
	ReasonAlreadyDecided Reason = "already_decided" // a repeat request's item
	ReasonAlreadyHandled Reason = "already_handled" // a help request or problem report
)

func (r Reason) Error() string { return string(r) }

// RuleError is a refusal the person can act on: Message is plain English
// that a kiosk may show as it is; Reason is for code and logs. A RuleError
// never carries patient data, so it is safe to log.
type RuleError struct {
	Reason  Reason
	Message string
}

func (e *RuleError) Error() string { return e.Message }

// Is lets errors.Is match a RuleError against its Reason.
func (e *RuleError) Is(target error) bool {
	r, ok := target.(Reason)
	return ok && r == e.Reason
}

func refuse(r Reason, message string) error { return &RuleError{Reason: r, Message: message} }

// AsRuleError returns the RuleError inside err, if any.
func AsRuleError(err error) (*RuleError, bool) {
	var re *RuleError
	ok := errors.As(err, &re)
	return re, ok
}

// Refusals the store makes inside its operations rather than in the pure
// rule functions (a row missing, a slot already booked or held). They are
// exported so a device's replica says exactly the same thing offline.

// RefuseSlotGone: the slot no longer exists.
func RefuseSlotGone() error {
	return refuse(ReasonNotFound, "That time is no longer available. Please choose another.")
}

// RefuseSlotTaken: someone else booked the slot first.
func RefuseSlotTaken() error {
	return refuse(ReasonSlotTaken, "Sorry, that time has just been booked by someone else. Please choose another.")
}

// RefuseSlotHeld: the slot is leased to a kiosk.
func RefuseSlotHeld() error {
	return refuse(ReasonSlotHeld, "Sorry, that time is being held for the waiting-room kiosk. Please choose another.")
}

// RefusePatientNotFound: no such patient.
func RefusePatientNotFound() error {
	return refuse(ReasonNotFound, "We could not find that patient's record. Please ask at the desk.")
}

// RefuseAppointmentNotFound: no such appointment for this patient.
func RefuseAppointmentNotFound() error {
	return refuse(ReasonNotFound, "We could not find that appointment. Please ask at the desk.")
}

// RefuseItemNotOnList: a chosen medicine is not on the patient's list.
func RefuseItemNotOnList() error {
	return refuse(ReasonNotFound, "One of the medicines chosen is not on your repeat list. Please start again.")
}

// RefuseRequestNotFound: no such repeat request for this patient.
func RefuseRequestNotFound() error {
	return refuse(ReasonNotFound, "We could not find that request. Please ask at the desk.")
}

// RefuseRequestDealtWith: the request is no longer pending.
func RefuseRequestDealtWith() error {
	return refuse(ReasonNotCancellable, "That request has already been dealt with, so it cannot be cancelled.")
}
