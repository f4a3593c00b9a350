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
// that a kiosk may show as it is; Reason is for code and logs. A refusal a
// patient may see has a Code, its Sentence's stable code, and Args, the
// values in it: Message is the sentence's English with Args filled in, and
// a kiosk shows the sentence in the patient's language by Code. A
// RuleError never carries patient data beyond what the person chose (a
// medicine's name), so it is safe to log.
type RuleError struct {
	Reason  Reason
	Message string
	Code    string   // a Sentence's code; "" for staff-only refusals
	Args    []string // the values in Message, in order
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
	return sentSlotGone.refuse(ReasonNotFound)
}

// RefuseSlotTaken: someone else booked the slot first.
func RefuseSlotTaken() error {
	return sentSlotTaken.refuse(ReasonSlotTaken)
}

// RefuseSlotHeld: the slot is leased to a kiosk.
func RefuseSlotHeld() error {
	return sentSlotHeld.refuse(ReasonSlotHeld)
}

// RefusePatientNotFound: no such patient.
func RefusePatientNotFound() error {
	return sentPatientNotFound.refuse(ReasonNotFound)
}

// RefuseAppointmentNotFound: no such appointment for this patient.
func RefuseAppointmentNotFound() error {
	return sentAppointmentNotFound.refuse(ReasonNotFound)
}

// RefuseItemNotOnList: a chosen medicine is not on the patient's list.
func RefuseItemNotOnList() error {
	return sentItemNotOnList.refuse(ReasonNotFound)
}

// RefuseRequestNotFound: no such repeat request for this patient.
func RefuseRequestNotFound() error {
	return sentRequestNotFound.refuse(ReasonNotFound)
}

// RefuseRequestDealtWith: the request is no longer pending.
func RefuseRequestDealtWith() error {
	return sentRequestDealtWith.refuse(ReasonNotCancellable)
}
