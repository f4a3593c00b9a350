package replica

import (
	"time"

	"gpkiosk/store"
)

// The practice's side of the loop (issue 11): what the staff desktop's
// queues show, and what a kiosk shows a patient of the practice's answer.
// Methods that read and act on these live in loop_desk.go and
// loop_kiosk.go.
//
// Desk (every method takes the signed-in StaffMember and refuses, with
// ReasonStaffNotAllowed, a role store.StaffMay does not allow):
//
//	RepeatQueue(ctx, staff) ([]RepeatRequestEntry, error)
//	DecideRepeats(ctx, staff, requestID int64, d []gpsync.ItemDecision) (opID string, err error)
//	ReadyToHandOut(ctx, staff) ([]RepeatRequestEntry, error)
//	HandOutRepeats(ctx, staff, requestID int64, how string) (opID string, err error)
//	DayList(ctx, staff, day store.Date) ([]DayAppointment, error)
//	RecordOutcome(ctx, staff, appointmentID int64, status string) (opID string, err error)
//	Alerts(ctx, staff) ([]Alert, error)
//	OpenAlertCount(ctx) (int, error)
//	HandleAlert(ctx, staff, entity string, id int64, action string) (opID string, err error)
//	ReceptionSlots(ctx, staff, patientID int64, from store.Date, days int) ([]Slot, error)
//	BookFor(ctx, staff, patientID, slotID int64) (LocalBooking, error)
//	AppointmentsFor(ctx, staff, patientID int64) ([]Appointment, error)
//	CancelFor(ctx, staff, patientID int64, ref Ref) (opID string, err error)
//	AttentionForStaff(ctx, staff) ([]AttentionItem, error)
//
// Kiosk:
//
//	UnseenOutcomes(ctx, patientID int64) ([]RequestOutcome, error)
//	MarkOutcomesSeen(ctx, patientID int64, requestIDs []int64) error

// RepeatRequestEntry is a repeat request as a prescriber or receptionist
// sees it in a queue.
type RepeatRequestEntry struct {
	RequestID   int64
	PatientID   int64
	PatientName string // "Given FAMILY"
	NHSNumber   string
	DateOfBirth store.Date
	RequestedAt time.Time
	Channel     string // kiosk, online, reception
	Note        string // the patient's note
	ReadyBy     store.Date
	HandedOut   string // "", gpsync.HandedOutCollected or gpsync.HandedOutPharmacy
	// OrderingUnsuitable: the practice has marked online ordering
	// unsuitable for this patient (a flag to show plainly).
	OrderingUnsuitable bool
	Items              []RepeatRequestEntryItem
	// Waiting: a decision or hand-out made on this desktop has not been
	// answered by the server yet.
	Waiting bool
}

// RepeatRequestEntryItem is one requested item with what a prescriber
// needs to decide it.
type RepeatRequestEntryItem struct {
	RepeatItemID int64
	Name         string
	Strength     string
	Form         string
	Dosage       string
	ReviewDue    store.Date // zero: none
	// ReviewOverdue: the review date has passed (today or earlier), so
	// the item is "due for review".
	ReviewOverdue bool
	LastIssuedAt  time.Time // zero: never or unknown
	Decision      string    // pending, approved, declined, cancelled
	ReasonCode    string    // gpsync.Decline*, when declined
	Reason        string
}

// DayAppointment is one appointment on the day's list.
type DayAppointment struct {
	AppointmentID   int64
	StartsAt        time.Time
	EndsAt          time.Time
	ClinicianID     int64
	ClinicianName   string
	SlotTypeName    string
	PatientID       int64
	PatientName     string // "Given FAMILY"
	DateOfBirth     store.Date
	NHSNumber       string
	Channel         string
	Status          string    // booked, arrived, seen, did_not_attend (cancelled ones are left out)
	StatusChangedAt time.Time // zero: unknown
	// Waiting: an outcome recorded here has not been answered by the
	// server yet (Status already shows it).
	Waiting bool
}

// Alert is a help request or problem report in the desk's inbox.
type Alert struct {
	Entity     string // gpsync.EntityHelpRequest or gpsync.EntityProblemReport
	ID         int64
	DeviceName string
	Reporter   string // problem reports: patient or staff
	Category   string
	Text       string
	RaisedAt   time.Time
	Status     string // gpsync.AlertOpen, AlertAcknowledged, AlertResolved
	HandledBy  string // display name of who acknowledged or resolved it
	HandledAt  time.Time
	Waiting    bool // handled here, not yet answered by the server
}

// RequestOutcome is what the practice decided on a patient's request, for
// the kiosk to tell them once.
type RequestOutcome struct {
	RequestID int64
	ReadyBy   store.Date // when anything was approved
	HandedOut string
	Items     []OutcomeItem
}

// OutcomeItem is one item's decision in words the kiosk builds from.
type OutcomeItem struct {
	Name       string
	Strength   string
	Approved   bool
	ReasonCode string // gpsync.Decline*, when declined
	Reason     string // the prescriber's own words, if any
}
