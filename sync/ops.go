package sync

import (
	"encoding/json"
	"time"
)

// Device roles. A role decides what the change feed sends a device and
// which channel its bookings count as (kiosk: self-service; desktop:
// reception).
const (
	RoleKiosk   = "kiosk"
	RoleDesktop = "desktop"
)

// Limits every server enforces and every client should respect.
const (
	MaxBodyBytes  = 1 << 20 // any request body
	MaxOpsPerPush = 100     // ops in one POST /v1/ops
	MaxPageSize   = 1000    // changes in one GET /v1/changes page
	DefaultPage   = 500
	MaxDeviceName = 80
)

// EnrolRequest is the body of POST /v1/enrol: a one-time code from the
// practice manager exchanged for a device token.
type EnrolRequest struct {
	Code       string `json:"code"`
	DeviceName string `json:"deviceName"`
}

// EnrolResponse carries the device's token. It is shown once; the server
// keeps only its hash.
type EnrolResponse struct {
	DeviceID string       `json:"deviceId"`
	Role     string       `json:"role"`
	Token    string       `json:"token"`
	Practice PracticeInfo `json:"practice"`
}

// MaxWaitSeconds bounds the wait= parameter of GET /v1/changes: a device
// with nothing to send asks with wait=IdleWaitSeconds and the server holds
// the request open until there is a change after the cursor, or the wait
// ends (then it answers with an empty page). Servers' write timeouts and
// clients' request timeouts must be longer than this.
const (
	MaxWaitSeconds  = 30
	IdleWaitSeconds = 25
)

// ChangesResponse is one page of GET /v1/changes?after=CURSOR&limit=N[&wait=S].
// Apply Changes and then store Cursor, in one local transaction.
type ChangesResponse struct {
	Changes []Change `json:"changes"`
	Cursor  int64    `json:"cursor"` // ask after this next time
	More    bool     `json:"more"`   // another page is ready now
	// Snapshot is set on a page of a snapshot (FeedSnapshots) with more
	// to come: store it with Cursor, and ask for the next page with
	// after=Cursor&snapshot=Snapshot.
	Snapshot string `json:"snapshot,omitempty"`
}

// Change is the current state of one row, or its removal from this
// device's view. The same row may appear again later with a newer state.
type Change struct {
	Seq     int64           `json:"seq"`
	Entity  string          `json:"entity"` // one of the Entity constants
	ID      int64           `json:"id"`
	Deleted bool            `json:"deleted,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"` // the entity's Data type; absent when Deleted
}

// Entities in the change feed.
const (
	EntitySettings      = "settings"       // SettingsData, ID 1
	EntityClinician     = "clinician"      // ClinicianData
	EntitySlotType      = "slot_type"      // SlotTypeData
	EntitySlot          = "slot"           // SlotData
	EntityPatient       = "patient"        // PatientData (fields by role)
	EntityAppointment   = "appointment"    // AppointmentData
	EntityRepeatItem    = "repeat_item"    // RepeatItemData
	EntityRepeatRequest = "repeat_request" // RepeatRequestData

	// Desktop only: a kiosk never receives these.
	EntityStaff         = "staff"          // StaffData
	EntityRegistration  = "registration"   // RegistrationData
	EntityProxy         = "proxy"          // ProxyData
	EntityHelpRequest   = "help_request"   // AlertData
	EntityProblemReport = "problem_report" // AlertData
)

// AlertData is a help request or a problem report from a device, as the
// practice's inbox shows it (EntityHelpRequest, EntityProblemReport). A
// kiosk never receives these: it learns nothing of who dealt with them.
type AlertData struct {
	DeviceID   string     `json:"deviceId"`
	DeviceName string     `json:"deviceName"`
	Reporter   string     `json:"reporter,omitempty"` // problem reports: "patient" (from a kiosk), "staff" or "system" (the server)
	Category   string     `json:"category,omitempty"` // problem reports only
	Text       string     `json:"text"`               // the help note or the problem's description
	RaisedAt   time.Time  `json:"raisedAt"`
	Status     string     `json:"status"` // one of the Alert statuses
	HandledBy  int64      `json:"handledByStaffId,omitempty"`
	HandledAt  *time.Time `json:"handledAt,omitempty"`
}

// Alert statuses: new, someone has said they are dealing with it, done.
const (
	AlertOpen         = "open"
	AlertAcknowledged = "acknowledged"
	AlertResolved     = "resolved"
)

// StaffData is a member of staff, so a desktop can sign them in offline.
type StaffData struct {
	Username    string `json:"username"`
	DisplayName string `json:"displayName"`
	Role        string `json:"role"` // receptionist, clinician, manager
	// SignInCheck is what a desktop signs them in with, offline too:
	// argon2id's costs and salt with a SHA-256 of the key in place of the
	// key ("$argon2id-sha256$v=19$m=...,t=...,p=...$salt$sum"); the key
	// worked out from the password typed signs their ops. "" when they
	// have no password set under today's policy: they cannot sign in at a
	// desktop until the practice manager sets one.
	SignInCheck string `json:"signInCheck"`
	Active      bool   `json:"active"`
}

// RegistrationData is a patient's (or their proxy's) registration for
// online services. The linkage key's hash never leaves the server.
type RegistrationData struct {
	PatientID            int64      `json:"patientId"`
	ProxyID              int64      `json:"proxyId,omitempty"` // 0: the patient themselves
	AccountID            string     `json:"accountId"`
	VerificationMethod   string     `json:"verificationMethod"`
	VerifiedByStaffID    int64      `json:"verifiedByStaffId,omitempty"`
	VerifiedAt           time.Time  `json:"verifiedAt"`
	ServiceAppointments  bool       `json:"serviceAppointments"`
	ServicePrescriptions bool       `json:"servicePrescriptions"`
	RecordAccess         string     `json:"recordAccess"` // none, summary, detailed
	KioskEnabled         bool       `json:"kioskEnabled"`
	LetterIssuedAt       *time.Time `json:"letterIssuedAt,omitempty"`
	LetterExpiresAt      *time.Time `json:"letterExpiresAt,omitempty"`
	Revoked              bool       `json:"revoked"`
}

// ProxyData is someone linked to act for a patient.
type ProxyData struct {
	PatientID            int64     `json:"patientId"`
	ProxyPatientID       int64     `json:"proxyPatientId,omitempty"` // when the proxy is also our patient
	ProxyName            string    `json:"proxyName"`
	ProxyDateOfBirth     string    `json:"proxyDateOfBirth"` // YYYY-MM-DD
	Relationship         string    `json:"relationship"`
	LegalBasis           string    `json:"legalBasis"`
	ServiceAppointments  bool      `json:"serviceAppointments"`
	ServicePrescriptions bool      `json:"servicePrescriptions"`
	ServiceRecord        bool      `json:"serviceRecord"`
	ProxyVerification    string    `json:"proxyVerification"`
	VerifiedByStaffID    int64     `json:"verifiedByStaffId,omitempty"`
	CreatedAt            time.Time `json:"createdAt"`
	Ended                bool      `json:"ended"`
}

// SettingsData is the practice's online-services settings.
type SettingsData struct {
	BookingWindowDays    int `json:"bookingWindowDays"`
	MinNoticeMinutes     int `json:"minNoticeMinutes"`
	MaxHeldAppointments  int `json:"maxHeldAppointments"`
	MaxHeldUnverified    int `json:"maxHeldUnverified"`
	MinAgeYears          int `json:"minAgeYears"`
	CancelCutoffMinutes  int `json:"cancelCutoffMinutes"`
	DNASuspendCount      int `json:"dnaSuspendCount"`
	DNALookbackDays      int `json:"dnaLookbackDays"`
	CheckInBeforeMinutes int `json:"checkInBeforeMinutes"`
	CheckInAfterMinutes  int `json:"checkInAfterMinutes"`
	RepeatProcessingDays int `json:"repeatProcessingDays"`
	RepeatNoteMaxChars   int `json:"repeatNoteMaxChars"`
	// CliniciansHandleAlerts lets clinicians acknowledge and resolve help
	// requests and problem reports (reception and managers always may).
	CliniciansHandleAlerts bool `json:"cliniciansHandleAlerts"`
	// KioskExitPIN is the argon2id verifier (PHC string) of the PIN staff
	// type to close a kiosk; "" when the practice has set none.
	KioskExitPIN string `json:"kioskExitPin,omitempty"`
	// DailyReleaseMinutes is when, in minutes after midnight on the clock
	// in Europe/London, the booking window's furthest day opens
	// (store.Settings.LastBookableDay).
	DailyReleaseMinutes int `json:"dailyReleaseMinutes"`
	// What every kiosk and staff desktop applies from its next visit or
	// sign-in. Absent (0, false) from a server that predates them: a
	// device then keeps its own defaults.
	KioskIdleSeconds        int  `json:"kioskIdleSeconds,omitempty"`
	KioskIdleWarningSeconds int  `json:"kioskIdleWarningSeconds,omitempty"`
	StaffIdleMinutes        int  `json:"staffIdleMinutes,omitempty"`
	ReadAloudDefault        bool `json:"readAloudDefault"`
}

// ClinicianData is a bookable clinician as patients see them.
type ClinicianData struct {
	DisplayName    string `json:"displayName"`
	Role           string `json:"role"`
	OnlineBookable bool   `json:"onlineBookable"`
}

// SlotTypeData is a kind of appointment.
type SlotTypeData struct {
	Name           string `json:"name"`
	Minutes        int    `json:"minutes"`
	ClinicianRole  string `json:"clinicianRole"`
	OnlineBookable bool   `json:"onlineBookable"`
	Urgent         bool   `json:"urgent"`
	// Who it is for: ForSex "" is anyone; an age of 0 is no limit.
	ForSex      string `json:"forSex,omitempty"`
	MinAgeYears int    `json:"minAgeYears,omitempty"`
	MaxAgeYears int    `json:"maxAgeYears,omitempty"`
}

// SlotData is a slot and whether it can still be had. A kiosk learns only
// that a slot is taken, never by whom.
type SlotData struct {
	ClinicianID    int64      `json:"clinicianId"`
	SlotTypeID     int64      `json:"slotTypeId"`
	StartsAt       time.Time  `json:"startsAt"`
	EndsAt         time.Time  `json:"endsAt"`
	OnlineBookable bool       `json:"onlineBookable"`
	ReceptionOnly  bool       `json:"receptionOnly"`
	ReleaseAt      *time.Time `json:"releaseAt,omitempty"`
	Taken          bool       `json:"taken"`
	// LeasedTo is the device holding a lease on the slot ("" if none). A
	// kiosk sees only its own leases; a desktop sees all, to show "held".
	LeasedTo    string     `json:"leasedTo,omitempty"`
	LeaseEndsAt *time.Time `json:"leaseEndsAt,omitempty"`
}

// PatientData is a patient. A kiosk receives only GivenName, the kiosk
// verifiers and the flags its rules need; every other field is empty. (A
// kiosk learns the date of birth only when the patient types it to sign in.)
type PatientData struct {
	GivenName string `json:"givenName"`
	// KioskLetters are the patient's registration letters enabled for
	// kiosk use, each as a verifier a kiosk compares but cannot reverse.
	KioskLetters []KioskLetter `json:"kioskLetters,omitempty"`
	// NotEligibleSlotTypes are slot types the patient's recorded sex rules
	// out (kiosk only: a kiosk holds no sex to work it out itself).
	NotEligibleSlotTypes     []int64 `json:"notEligibleSlotTypes,omitempty"`
	IdentityVerified         bool    `json:"identityVerified"`
	OnlineOrderingUnsuitable bool    `json:"onlineOrderingUnsuitable"`
	OnlineBookingSuspended   bool    `json:"onlineBookingSuspended"`

	// Desktop only.
	NHSNumber   string `json:"nhsNumber,omitempty"`
	FamilyName  string `json:"familyName,omitempty"`
	Sex         string `json:"sex,omitempty"`
	DateOfBirth string `json:"dateOfBirth,omitempty"`
	Address     string `json:"address,omitempty"`
	Postcode    string `json:"postcode,omitempty"`
	Phone       string `json:"phone,omitempty"`
}

// AppointmentData is an appointment. Kiosks receive only future, live
// appointments of kiosk-registered patients.
type AppointmentData struct {
	SlotID    int64     `json:"slotId"`
	PatientID int64     `json:"patientId"`
	Channel   string    `json:"channel"`
	Status    string    `json:"status"` // booked, cancelled, arrived, did_not_attend, seen
	BookedAt  time.Time `json:"bookedAt"`
	// StatusChangedAt is when Status last changed (desktop only): "arrived
	// 10:02" on the day's list.
	StatusChangedAt *time.Time `json:"statusChangedAt,omitempty"`
}

// RepeatItemData is an item on a patient's repeat prescription.
type RepeatItemData struct {
	PatientID    int64      `json:"patientId"`
	Name         string     `json:"name"`
	Strength     string     `json:"strength"`
	Form         string     `json:"form"`
	Dosage       string     `json:"dosage"`
	Active       bool       `json:"active"`
	ReviewDue    string     `json:"reviewDue,omitempty"` // YYYY-MM-DD
	Outstanding  bool       `json:"outstanding"`
	LastIssuedAt *time.Time `json:"lastIssuedAt,omitempty"` // desktop only
}

// RepeatRequestData is a request for repeat items and what became of them.
type RepeatRequestData struct {
	PatientID int64                   `json:"patientId"`
	Status    string                  `json:"status"`  // pending, cancelled, completed
	ReadyBy   string                  `json:"readyBy"` // YYYY-MM-DD; approval may move it later
	Items     []RepeatRequestItemData `json:"items"`
	// HandedOut is how the approved items left the practice: "" (not
	// yet), HandedOutCollected or HandedOutPharmacy.
	HandedOut string `json:"handedOut,omitempty"`
	// OutcomeSeen: the patient has been shown the decisions at a kiosk
	// (acknowledge_outcome), so no kiosk shows them again.
	OutcomeSeen bool `json:"outcomeSeen,omitempty"`

	// Desktop only.
	RequestedAt *time.Time `json:"requestedAt,omitempty"`
	Channel     string     `json:"channel,omitempty"` // kiosk, online, reception
	Note        string     `json:"note,omitempty"`    // the patient's note to the prescriber
	HandedOutAt *time.Time `json:"handedOutAt,omitempty"`
}

// RepeatRequestItemData is one item's decision. ReasonCode and Reason are
// told to the patient.
type RepeatRequestItemData struct {
	RepeatItemID int64  `json:"repeatItemId"`
	Decision     string `json:"decision"`             // pending, approved, declined, cancelled
	ReasonCode   string `json:"reasonCode,omitempty"` // declined: one of the Decline constants
	Reason       string `json:"reason,omitempty"`     // the prescriber's own words, optional except for DeclineOther

	// Desktop only.
	DecidedBy int64      `json:"decidedByStaffId,omitempty"`
	DecidedAt *time.Time `json:"decidedAt,omitempty"`
}

// Why a prescriber declined an item: a short list, so the patient is told
// in plain words what to do next (the kiosk words each one).
const (
	DeclineNeedsReview       = "needs_review"       // book a medication review
	DeclineMedicationChanged = "medication_changed" // the medicine has changed; the practice will be in touch
	DeclineTooEarly          = "too_early"          // ordered too soon after the last issue
	DeclineNotOnRepeat       = "not_on_repeat"      // no longer a repeat item
	DeclineOther             = "other"              // Reason says why (required)
)

// How approved items left the practice.
const (
	HandedOutCollected = "collected" // the patient (or their proxy) collected the paper prescription
	HandedOutPharmacy  = "pharmacy"  // sent to the patient's pharmacy
)

// PushRequest is the body of POST /v1/ops: the device's outbox, oldest
// first.
type PushRequest struct {
	Ops []Op `json:"ops"`
}

// Op is one action taken on a device. ID is a UUID the device made when the
// action happened; the server applies an ID once and answers every replay
// with the first result.
type Op struct {
	ID        string          `json:"id"`
	Kind      string          `json:"kind"` // one of the Op constants
	CreatedAt time.Time       `json:"createdAt"`
	Payload   json.RawMessage `json:"payload"`
	// StaffID is the member of staff signed in on the desktop that made
	// the op (0 on a kiosk). The server checks they exist, are active and
	// may do it, and names them in the audit log.
	StaffID int64 `json:"staffId,omitempty"`
	// Proof is who made the op: base64url (no padding) of HMAC-SHA256 over
	// SigningInput, keyed by the patient's letter at a kiosk or the staff
	// member's password at a desktop (docs/sync-protocol.md, "Proof").
	Proof string `json:"proof,omitempty"`
	// Session names the online staff session whose key made Proof
	// (StaffSessionResponse); "" when the staff member's password key, or
	// a patient's key, made it.
	Session string `json:"session,omitempty"`
}

// Op kinds.
const (
	OpBook              = "book"               // BookPayload
	OpCancelAppointment = "cancel_appointment" // CancelAppointmentPayload
	OpOrderRepeats      = "order_repeats"      // OrderRepeatsPayload
	OpCancelRequest     = "cancel_request"     // CancelRequestPayload
	OpReportProblem     = "report_problem"     // ReportProblemPayload
	OpAskForHelp        = "ask_for_help"       // AskForHelpPayload

	// Kiosk: the patient has been shown their request's outcome.
	OpAcknowledgeOutcome = "acknowledge_outcome" // AcknowledgeOutcomePayload

	// Kiosk or desktop: the device's own anonymous tally of a completed
	// practice-mode lesson. It names no patient and no member of staff.
	OpCountLesson = "count_lesson" // CountLessonPayload

	// Desktop only, and only with a StaffID.
	OpLinkProxy      = "link_proxy"       // LinkProxyPayload
	OpRegisterOnline = "register_online"  // RegisterOnlinePayload
	OpRecordView     = "record_view"      // RecordViewPayload
	OpDecideRepeats  = "decide_repeats"   // DecideRepeatsPayload (clinicians)
	OpHandOutRepeats = "hand_out_repeats" // HandOutRepeatsPayload
	OpRecordOutcome  = "record_outcome"   // RecordOutcomePayload
	OpHandleAlert    = "handle_alert"     // HandleAlertPayload
)

// DecideRepeatsPayload is a prescriber's decision on some or all of a
// request's items. Items not listed stay pending. The server decides: if
// any listed item is no longer pending (another prescriber decided it
// first, or the patient cancelled), the whole op is rejected with
// ReasonAlreadyDecided and a sentence saying who decided and when, and
// nothing of it is recorded.
type DecideRepeatsPayload struct {
	RequestID int64          `json:"requestId"`
	Items     []ItemDecision `json:"items"`
}

// ItemDecision approves or declines one requested item. A decline needs a
// ReasonCode, and DeclineOther needs Reason as well.
type ItemDecision struct {
	RepeatItemID int64  `json:"repeatItemId"`
	Approve      bool   `json:"approve"`
	ReasonCode   string `json:"reasonCode,omitempty"`
	Reason       string `json:"reason,omitempty"`
}

// DecideRepeatsResult is the Result of an applied decide_repeats op.
type DecideRepeatsResult struct {
	ReadyBy string `json:"readyBy"` // YYYY-MM-DD, when anything was approved
}

// HandOutRepeatsPayload records that a completed request's approved items
// were collected or sent to the pharmacy (How: a HandedOut constant).
type HandOutRepeatsPayload struct {
	RequestID int64  `json:"requestId"`
	How       string `json:"how"`
}

// RecordOutcomePayload marks an appointment arrived, seen or did not
// attend (Status: arrived, seen, did_not_attend). A did-not-attend may
// suspend the patient's online booking by the practice's rule.
type RecordOutcomePayload struct {
	AppointmentID int64  `json:"appointmentId"`
	Status        string `json:"status"`
}

// HandleAlertPayload acknowledges or resolves a help request or problem
// report. Entity is EntityHelpRequest or EntityProblemReport; Action is
// AlertAcknowledged or AlertResolved. Acknowledging one already
// acknowledged or resolved, or resolving one already resolved, is rejected
// with ReasonAlreadyHandled, saying who did it.
type HandleAlertPayload struct {
	Entity string `json:"entity"`
	ID     int64  `json:"id"`
	Action string `json:"action"`
}

// AcknowledgeOutcomePayload says the patient at a kiosk was shown the
// decisions on their completed request, so no kiosk shows them again.
type AcknowledgeOutcomePayload struct {
	PatientID int64 `json:"patientId"`
	RequestID int64 `json:"requestId"`
}

// CountLessonPayload adds one to the device's count of Lesson completed
// on Day (YYYY-MM-DD, Europe/London), for the practice's uptake figures.
// It is about no person, so it carries no patient and no staff ID and
// proves nothing about anyone. Lesson is a short id of lower-case letters,
// digits and hyphens ("book", "nhs-app"); the server checks only that
// shape, so new lessons need no server change.
type CountLessonPayload struct {
	Lesson string `json:"lesson"`
	Day    string `json:"day"`
}

// LinkProxyPayload links a proxy to a patient. The op's ID names the link
// until the server has given it a number, so a registration for the proxy
// made offline can refer to it (RegisterOnlinePayload.ProxyRef).
type LinkProxyPayload struct {
	PatientID              int64     `json:"patientId"`
	ProxyPatientID         int64     `json:"proxyPatientId,omitempty"`
	ProxyName              string    `json:"proxyName"`
	ProxyDateOfBirth       string    `json:"proxyDateOfBirth"` // YYYY-MM-DD
	Relationship           string    `json:"relationship"`
	LegalBasis             string    `json:"legalBasis"`
	ServiceAppointments    bool      `json:"serviceAppointments"`
	ServicePrescriptions   bool      `json:"servicePrescriptions"`
	ServiceRecord          bool      `json:"serviceRecord"`
	ProxyVerification      string    `json:"proxyVerification"`
	VerifiedAt             time.Time `json:"verifiedAt"`
	SafeguardingConsidered bool      `json:"safeguardingConsidered"`
	CoercionConsidered     bool      `json:"coercionConsidered"`
}

// LinkProxyResult is the Result of an applied link_proxy op.
type LinkProxyResult struct {
	ProxyID int64 `json:"proxyId"`
}

// RegisterOnlinePayload issues a registration whose letter the desktop has
// already printed or saved. The member of staff in Op.StaffID verified the
// identity. Any earlier live registration of the same person (the patient,
// or the same proxy for the patient) is revoked: its letter stops working.
type RegisterOnlinePayload struct {
	PatientID            int64     `json:"patientId"`
	ProxyRef             string    `json:"proxyRef,omitempty"` // ID of the link_proxy op, for a proxy linked offline
	ProxyID              int64     `json:"proxyId,omitempty"`  // or the server's ID of the proxy
	VerificationMethod   string    `json:"verificationMethod"`
	VerifiedAt           time.Time `json:"verifiedAt"`
	CoercionConsidered   bool      `json:"coercionConsidered"`
	ServiceAppointments  bool      `json:"serviceAppointments"`
	ServicePrescriptions bool      `json:"servicePrescriptions"`
	RecordAccess         string    `json:"recordAccess"`
	KioskEnabled         bool      `json:"kioskEnabled"`
	AccountID            string    `json:"accountId"`
	LinkageKeyHash       string    `json:"linkageKeyHash"` // store.HashLinkageKey
	LetterIssuedAt       time.Time `json:"letterIssuedAt"`
	LetterExpiresAt      time.Time `json:"letterExpiresAt"`
}

// RegisterOnlineResult is the Result of an applied register_online op.
type RegisterOnlineResult struct {
	RegistrationID int64 `json:"registrationId"`
}

// RecordViewPayload records that a member of staff saw patients' details:
// a search's results list (What "search") or one patient's record ("record").
type RecordViewPayload struct {
	PatientIDs []int64 `json:"patientIds"`
	What       string  `json:"what"`
}

// Record view kinds.
const (
	ViewSearch = "search"
	ViewRecord = "record"
)

// BookPayload books a slot for a patient.
type BookPayload struct {
	SlotID    int64 `json:"slotId"`
	PatientID int64 `json:"patientId"`
	// CheckInCode is the random code the device printed on the patient's
	// slip (see CheckInCodePrefix); the server keeps only its hash.
	CheckInCode string `json:"checkInCode,omitempty"`
}

// CancelAppointmentPayload cancels a patient's appointment.
type CancelAppointmentPayload struct {
	AppointmentID int64 `json:"appointmentId,omitempty"`
	// BookingRef is the book op's ID, for a booking the device had not
	// heard the number of when the patient cancelled: an op's payload is
	// signed when it is made and never changes after.
	BookingRef string `json:"bookingRef,omitempty"`
	PatientID  int64  `json:"patientId"`
}

// OrderRepeatsPayload asks for repeat items with an optional note.
type OrderRepeatsPayload struct {
	PatientID int64   `json:"patientId"`
	ItemIDs   []int64 `json:"itemIds"`
	Note      string  `json:"note"`
}

// CancelRequestPayload cancels a pending repeat request.
type CancelRequestPayload struct {
	PatientID int64 `json:"patientId"`
	RequestID int64 `json:"requestId,omitempty"`
	// OrderRef is the order_repeats op's ID, as CancelAppointmentPayload's
	// BookingRef.
	OrderRef string `json:"orderRef,omitempty"`
}

// ReportProblemPayload reports a problem with the device or service.
type ReportProblemPayload struct {
	Category    string `json:"category"`
	Description string `json:"description"`
}

// AskForHelpPayload alerts reception that someone at the device needs help.
type AskForHelpPayload struct {
	Note string `json:"note"`
}

// PushResponse has one result per op, in the order sent.
type PushResponse struct {
	Results []OpResult `json:"results"`
}

// Op result statuses. A rejection is a normal answer: the device shows it as
// "needs attention" and carries on with the next op.
const (
	OpApplied  = "applied"
	OpRejected = "rejected"
)

// OpResult is what became of one op.
type OpResult struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Reason  string `json:"reason,omitempty"`  // machine code when rejected (store.Reason)
	Message string `json:"message,omitempty"` // plain English when rejected
	// Code and Args, when rejected with a patient's sentence: its stable
	// code (store.Sentence) and the values in Message, so a kiosk can say
	// it in the patient's language. Absent from servers before them.
	Code   string          `json:"code,omitempty"`
	Args   []string        `json:"args,omitempty"`
	Result json.RawMessage `json:"result,omitempty"` // e.g. {"appointmentId":12} when applied
}

// BookResult is the Result of an applied book op.
type BookResult struct {
	AppointmentID int64 `json:"appointmentId"`
}

// OrderRepeatsResult is the Result of an applied order_repeats op.
type OrderRepeatsResult struct {
	RequestID int64  `json:"requestId"`
	ReadyBy   string `json:"readyBy"`
}

// CreatedResult is the Result of ops that create one row (report, help).
type CreatedResult struct {
	ID int64 `json:"id"`
}

// KioskLetter is one registration letter a kiosk may see used. A revoked
// letter is still sent so the kiosk can say why it no longer works.
// Signing in at a kiosk with a letter lasts until the letter is reissued
// or revoked: the 14 days printed on a letter are the Linkage Key's, for
// the NHS App, so a kiosk letter carries no expiry. (Servers before this
// change sent the Linkage Key's expiry as "expiresAt"; it is ignored.)
type KioskLetter struct {
	// Verifier is store.KioskVerifier's digest (its formula is
	// store.KioskVerifierPrefix's doc).
	Verifier string `json:"verifier"`
	Revoked  bool   `json:"revoked,omitempty"`
	// ActingFor marks a proxy's letter: its verifier is made with the
	// proxy's own date of birth, and the kiosk shows "Acting for <name>".
	ActingFor bool `json:"actingFor,omitempty"`
	// The services the letter does not give (negative, so a letter from
	// before these fields gives everything).
	NoAppointments  bool `json:"noAppointments,omitempty"`
	NoPrescriptions bool `json:"noPrescriptions,omitempty"`
}

// CheckInRequest is the body of POST /v1/checkin. Arrival check-in is not
// an outbox op: it is only true at the moment it happens, so a kiosk that
// cannot reach the server sends the patient to reception instead.
//
// A patient either gives date of birth, sex and surname initial, or scans
// the check-in code on their appointment slip (Code, without its prefix).
type CheckInRequest struct {
	DateOfBirth    string `json:"dateOfBirth,omitempty"` // YYYY-MM-DD
	Sex            string `json:"sex,omitempty"`         // female, male, other
	SurnameInitial string `json:"surnameInitial,omitempty"`
	Code           string `json:"code,omitempty"`
}

// CheckInCodePrefix starts the QR payload on an appointment slip; the rest
// is the code: 26 characters of base32 (16 random bytes).
const CheckInCodePrefix = "gpkiosk-checkin:v1:"

// CheckInResponse says whether the patient was checked in. A refusal is a
// normal answer with a plain message, the same whatever the reason.
type CheckInResponse struct {
	CheckedIn bool      `json:"checkedIn"`
	StartsAt  time.Time `json:"startsAt,omitzero"`
	Clinician string    `json:"clinician,omitempty"`
	Message   string    `json:"message,omitempty"`
	// Code and Args are a refusal's sentence code and values (OpResult's).
	Code string   `json:"code,omitempty"`
	Args []string `json:"args,omitempty"`
	// DetailsPaused: this kiosk's check-in by date of birth is paused after
	// too many tries that matched nobody (slips still work), for
	// RetryAfterSeconds more. Message says the same as any refusal.
	DetailsPaused     bool `json:"detailsPaused,omitempty"`
	RetryAfterSeconds int  `json:"retryAfterSeconds,omitempty"`
}
