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
