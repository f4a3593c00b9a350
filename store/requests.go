package store

import (
	"time"
)

// A Request is one thing a device asks the practice to do, in the
// practice's own terms: which device asks, which member of staff (if any)
// acts, when it was asked, a key that makes it happen once, and the
// Command. How a request travels (its JSON, its HTTP) is sync/server's
// business; what it may do is the store's.
type Request struct {
	// Key is the device's own name for the action. A request whose key has
	// been applied before is answered with the first outcome and changes
	// nothing; another device's key is refused.
	Key    string
	Device Device
	// StaffID is the member of staff signed in at a desktop who made the
	// request (0: nobody, and always 0 on a kiosk). The store checks they
	// exist, are active and may do it, and names them in the audit log.
	StaffID int64
	// MadeAt is when the device says the action was taken, which may be
	// long before it reaches the store. The rules judge it at
	// Settings.JudgedAt: a device's clock is believed only so far.
	MadeAt  time.Time
	Command Command
	// Fingerprint is a digest of exactly what the device asked, made by
	// whoever decoded the request: a replay of Key with another
	// fingerprint is refused as a key conflict. "" is not compared.
	Fingerprint string
	// Proof shows who made the request: the patient at a kiosk, or the
	// member of staff named by StaffID (see proof.go).
	Proof Proof
	// Session, when a member of staff signed in online, names the session
	// whose key made Proof (staffsession.go); "" means their password's key.
	Session string
}

// A Command is one of the requests below.
type Command interface {
	Kind() RequestKind
}

// RequestKind names a kind of request. The names are kept with each
// applied request's record, so they never change.
type RequestKind string

// Request kinds.
const (
	KindBook                RequestKind = "book"
	KindCancelAppointment   RequestKind = "cancel_appointment"
	KindOrderRepeats        RequestKind = "order_repeats"
	KindCancelRepeatRequest RequestKind = "cancel_request"
	KindReportProblem       RequestKind = "report_problem"
	KindAskForHelp          RequestKind = "ask_for_help"
	KindAcknowledgeOutcome  RequestKind = "acknowledge_outcome" // a kiosk only
	KindCountLesson         RequestKind = "count_lesson"        // names nobody

	// A member of staff at a desktop only (StaffMay says who).
	KindLinkProxy      RequestKind = "link_proxy"
	KindRegisterOnline RequestKind = "register_online"
	KindRecordView     RequestKind = "record_view"
	KindDecideRepeats  RequestKind = "decide_repeats"
	KindHandOutRepeats RequestKind = "hand_out_repeats"
	KindRecordOutcome  RequestKind = "record_outcome"
	KindHandleAlert    RequestKind = "handle_alert"
)

// Book books a slot for a patient. CheckInCode is the random code printed
// on the patient's slip; the store keeps only its hash.
type Book struct {
	SlotID      int64
	PatientID   int64
	CheckInCode string
}

// CancelAppointment cancels a patient's appointment: by its number, or,
// when the device made the booking and sent the cancel before it heard
// the number, by BookingKey, the key of the request that booked it.
type CancelAppointment struct {
	AppointmentID int64
	BookingKey    string
	PatientID     int64
}

// OrderRepeats asks for repeat items, with an optional note to the
// prescriber.
type OrderRepeats struct {
	PatientID int64
	ItemIDs   []int64
	Note      string
}

// CancelRepeatRequest cancels a repeat request no prescriber has decided:
// by its number, or by OrderKey, the key of the request that ordered it
// (as CancelAppointment's BookingKey).
type CancelRepeatRequest struct {
	PatientID int64
	RequestID int64
	OrderKey  string
}

// ReportProblem reports a problem with the device or the service.
type ReportProblem struct {
	Category    string
	Description string
}

// MaxProblemChars bounds a problem report's description and a help
// request's note as a device lets someone type them.
const MaxProblemChars = 1000

// AskForHelp alerts reception that someone at the device needs help.
type AskForHelp struct {
	Note string
}

// AcknowledgeOutcome says the patient at a kiosk was shown the decisions
// on their completed request, so no kiosk shows them again.
type AcknowledgeOutcome struct {
	PatientID int64
	RequestID int64
}

// CountLesson adds one to the device's count of Lesson completed on Day
// (YYYY-MM-DD, the practice's date). It is about nobody.
type CountLesson struct {
	Lesson string
	Day    string
}

// LinkProxy links a proxy to a patient. The request's Key names the link
// until it has a number, so a registration made offline can refer to it
// (RegisterOnline.ProxyRef).
type LinkProxy struct {
	PatientID              int64
	ProxyPatientID         int64 // when the proxy is also our patient
	ProxyName              string
	ProxyDateOfBirth       string // YYYY-MM-DD
	Relationship           string
	LegalBasis             string
	ServiceAppointments    bool
	ServicePrescriptions   bool
	ServiceRecord          bool
	ProxyVerification      string
	VerifiedAt             time.Time
	SafeguardingConsidered bool
	CoercionConsidered     bool
}

// RegisterOnline issues a registration whose letter the desktop has
// already printed; the member of staff making the request checked the
// identity. It replaces the person's earlier letter.
type RegisterOnline struct {
	PatientID            int64
	ProxyRef             string // the Key of the LinkProxy request, for a proxy linked offline
	ProxyID              int64  // or the proxy's number
	VerificationMethod   string
	VerifiedAt           time.Time
	CoercionConsidered   bool
	ServiceAppointments  bool
	ServicePrescriptions bool
	RecordAccess         string
	KioskEnabled         bool
	AccountID            string
	LinkageKeyHash       string // HashLinkageKey
	LetterIssuedAt       time.Time
	LetterExpiresAt      time.Time
}

// RecordView records that a member of staff saw patients' details: a
// search's results (ViewSearch) or one patient's record (ViewRecord).
type RecordView struct {
	PatientIDs []int64
	What       string
}

// What a member of staff saw.
const (
	ViewSearch = "search"
	ViewRecord = "record"
)

// DecideRepeats is a prescriber's decision on some or all of a request's
// items; items not listed stay pending. If any listed item is no longer
// pending, nothing is recorded and the refusal says who got there first.
type DecideRepeats struct {
	RequestID int64
	Items     []ItemDecision
}

// ItemDecision approves or declines one requested item. A decline needs a
// ReasonCode, and DeclineOther needs Reason as well.
type ItemDecision struct {
	RepeatItemID int64
	Approve      bool
	ReasonCode   string
	Reason       string
}

// Why a prescriber declined an item: a short list, so the patient is told
// in plain words what to do next.
const (
	DeclineNeedsReview       = "needs_review"       // book a medication review
	DeclineMedicationChanged = "medication_changed" // the practice will be in touch
	DeclineTooEarly          = "too_early"          // ordered too soon after the last issue
	DeclineNotOnRepeat       = "not_on_repeat"      // no longer a repeat item
	DeclineOther             = "other"              // Reason says why
)

// HandOutRepeats records how a completed request's approved items left
// the practice (How: HandedOutCollected or HandedOutPharmacy).
type HandOutRepeats struct {
	RequestID int64
	How       string
}

// How approved items left the practice.
const (
	HandedOutCollected = "collected"
	HandedOutPharmacy  = "pharmacy"
)

// RecordOutcome marks an appointment arrived, seen or did not attend.
type RecordOutcome struct {
	AppointmentID int64
	Status        string
}

// HandleAlert acknowledges or resolves a help request or a problem report
// (Entity: EntityHelpRequest or EntityProblemReport; Action:
// AlertAcknowledged or AlertResolved).
type HandleAlert struct {
	Entity string
	ID     int64
	Action string
}

func (Book) Kind() RequestKind                { return KindBook }
func (CancelAppointment) Kind() RequestKind   { return KindCancelAppointment }
func (OrderRepeats) Kind() RequestKind        { return KindOrderRepeats }
func (CancelRepeatRequest) Kind() RequestKind { return KindCancelRepeatRequest }
func (ReportProblem) Kind() RequestKind       { return KindReportProblem }
func (AskForHelp) Kind() RequestKind          { return KindAskForHelp }
func (AcknowledgeOutcome) Kind() RequestKind  { return KindAcknowledgeOutcome }
func (CountLesson) Kind() RequestKind         { return KindCountLesson }
func (LinkProxy) Kind() RequestKind           { return KindLinkProxy }
func (RegisterOnline) Kind() RequestKind      { return KindRegisterOnline }
func (RecordView) Kind() RequestKind          { return KindRecordView }
func (DecideRepeats) Kind() RequestKind       { return KindDecideRepeats }
func (HandOutRepeats) Kind() RequestKind      { return KindHandOutRepeats }
func (RecordOutcome) Kind() RequestKind       { return KindRecordOutcome }
func (HandleAlert) Kind() RequestKind         { return KindHandleAlert }

// patientCommand is a request a patient makes for themselves (or a proxy
// for them): at a kiosk it must carry the patient's proof.
type patientCommand interface {
	Command
	patient() int64
}

func (c Book) patient() int64                { return c.PatientID }
func (c CancelAppointment) patient() int64   { return c.PatientID }
func (c OrderRepeats) patient() int64        { return c.PatientID }
func (c CancelRepeatRequest) patient() int64 { return c.PatientID }
func (c AcknowledgeOutcome) patient() int64  { return c.PatientID }

// An Outcome is what became of a request: applied, with what it made, or
// refused by a rule, with the reason. A refusal is a normal answer.
type Outcome struct {
	Refusal *RuleError // nil when applied
	// Made is what an applied request made, when it made something to
	// refer to: Booked, RepeatsOrdered, Created, ProxyLinked, Registered
	// or RepeatsDecided. nil otherwise.
	Made any
}

// Applied reports whether the request was done.
func (o Outcome) Applied() bool { return o.Refusal == nil }

// What applied requests made. Their JSON is how the store keeps them with
// the request's record, to answer a replay; the field names are those kept
// since the first schema, so never rename them.
type (
	// Booked: a Book request's appointment.
	Booked struct {
		AppointmentID int64 `json:"appointmentId"`
	}
	// RepeatsOrdered: an OrderRepeats request's repeat request, and the day
	// (YYYY-MM-DD) it should be ready by.
	RepeatsOrdered struct {
		RequestID int64  `json:"requestId"`
		ReadyBy   string `json:"readyBy"`
	}
	// Created: a ReportProblem's report or an AskForHelp's help request.
	Created struct {
		ID int64 `json:"id"`
	}
	// ProxyLinked: a LinkProxy request's proxy.
	ProxyLinked struct {
		ProxyID int64 `json:"proxyId"`
	}
	// Registered: a RegisterOnline request's registration.
	Registered struct {
		RegistrationID int64 `json:"registrationId"`
	}
	// RepeatsDecided: the day (YYYY-MM-DD) a request is now ready by, when
	// anything was approved; "" otherwise.
	RepeatsDecided struct {
		ReadyBy string `json:"readyBy"`
	}
)
