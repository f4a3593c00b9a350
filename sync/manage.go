package sync

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// The practice manager's API. Only a desktop may call it, and every
// request is signed by a manager's online staff session (see
// ManageRequestInput): the device token says which desktop is talking,
// the signature says which manager is acting, and the server checks both.
// Changes are refused with 403 for anyone but an active manager, and with
// 422 and a ManageRefusal for a value the practice could not mean.
const (
	ManagePath         = APIVersion + "/manage"
	ManageSettingsPath = ManagePath + "/settings" // GET: ManagedSettings; PUT ManagedSettings: ManagedSettings
	// ManageDevicesPath: GET []DeviceInfo; POST NewEnrolmentRequest:
	// NewEnrolmentResponse. ManageDevicesPath + "/{id}": PATCH
	// RenameDeviceRequest; DELETE revokes.
	ManageDevicesPath = ManagePath + "/devices"
	// ManageStaffPath: GET []StaffAccount; POST NewStaffRequest.
	// ManageStaffPath + "/{username}": PATCH StaffChange.
	ManageStaffPath = ManagePath + "/staff"
	// ManageAuditPath: GET with AuditQuery's parameters: AuditPage, or
	// text/csv when format=csv.
	ManageAuditPath       = ManagePath + "/audit"
	ManageAuditVerifyPath = ManagePath + "/audit/verify" // POST: AuditVerifyResult
	// ManageUptakePath: GET ?from=YYYY-MM&to=YYYY-MM (at most 24 months):
	// UptakeReport.
	ManageUptakePath = ManagePath + "/uptake"
)

// Headers of a signed manager request. Proof is EncodeProof of
// ManageRequestInput under the staff session's key.
const (
	HeaderStaffID      = "X-GPK-Staff"
	HeaderStaffSession = "X-GPK-Session"
	HeaderSignedAt     = "X-GPK-At"    // RFC 3339 with nanoseconds, UTC
	HeaderNonce        = "X-GPK-Nonce" // fresh base64url, 16 to 64 characters, used once
	HeaderProof        = "X-GPK-Proof"
)

// Headers every device sends with every request, so the manager's device
// list can say what each device runs and what it still has to send.
const (
	HeaderAppVersion = "X-GPK-App-Version"
	HeaderOutbox     = "X-GPK-Outbox" // ops in the device's outbox not yet answered
)

// ManagedSettings is everything the settings screen edits: the practice's
// online-services settings, the kiosk's behaviour and the age limits of
// each kind of appointment. Saved whole, as one audited change.
type ManagedSettings struct {
	Settings SettingsData `json:"settings"`
	// Server-side settings the feed does not send to devices.
	KioskLeasesPerDay  int `json:"kioskLeasesPerDay"`
	LeaseReturnMinutes int `json:"leaseReturnMinutes"`
	LeaseIdleMinutes   int `json:"leaseIdleMinutes"`
	// NewKioskExitPIN, when not "", replaces the PIN that closes a kiosk.
	// It travels only in a PUT; a GET says only whether one is set.
	NewKioskExitPIN string        `json:"newKioskExitPin,omitempty"`
	KioskExitPINSet bool          `json:"kioskExitPinSet"`
	SlotTypeAges    []SlotTypeAge `json:"slotTypeAges"`
	UpdatedAt       time.Time     `json:"updatedAt"`
}

// SlotTypeAge is the age limit of one kind of appointment for patients
// booking it themselves; 0 means no limit.
type SlotTypeAge struct {
	SlotTypeID  int64  `json:"slotTypeId"`
	Name        string `json:"name"`
	MinAgeYears int    `json:"minAgeYears"`
	MaxAgeYears int    `json:"maxAgeYears"`
}

// ManageRefusal is the body of a 422: why the change was not made, in a
// sentence for the manager, and which fields were wrong. Nothing changed.
type ManageRefusal struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Fields  []FieldProblem `json:"fields,omitempty"`
}

// FieldProblem is one field's problem, named by its JSON name
// ("settings.bookingWindowDays", "slotTypeAges.3.minAgeYears").
type FieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// DeviceInfo is one enrolled device as the manager's list shows it.
type DeviceInfo struct {
	ID            string     `json:"id"`
	Name          string     `json:"name"`
	Role          string     `json:"role"` // RoleKiosk or RoleDesktop
	EnrolledAt    time.Time  `json:"enrolledAt"`
	LastSeenAt    *time.Time `json:"lastSeenAt,omitempty"`
	AppVersion    string     `json:"appVersion,omitempty"`
	OutboxWaiting int        `json:"outboxWaiting"` // as the device last reported it
	LeasesHeld    int        `json:"leasesHeld"`    // slots leased to it now
	RevokedAt     *time.Time `json:"revokedAt,omitempty"`
}

// NewEnrolmentRequest asks for a one-time set-up code for a new device.
type NewEnrolmentRequest struct {
	Role string `json:"role"`
	Name string `json:"name"` // what the practice will call it
}

// NewEnrolmentResponse is the code and what the new device scans:
// Enrolment is the string EncodeEnrolment makes (server address, code
// and, when the server pins its certificate, the pin).
type NewEnrolmentResponse struct {
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expiresAt"`
	Enrolment string    `json:"enrolment"`
}

// RenameDeviceRequest renames a device.
type RenameDeviceRequest struct {
	Name string `json:"name"`
}

// StaffAccount is one member of staff as the manager's list shows it.
type StaffAccount struct {
	Username    string    `json:"username"`
	DisplayName string    `json:"displayName"`
	Role        string    `json:"role"`
	Active      bool      `json:"active"`
	HasPassword bool      `json:"hasPassword"` // false until one is set under today's policy
	CreatedAt   time.Time `json:"createdAt"`
}

// NewStaffRequest adds a member of staff.
type NewStaffRequest struct {
	Username    string `json:"username"`
	DisplayName string `json:"displayName"`
	Role        string `json:"role"`
	Password    string `json:"password"`
}

// StaffChange changes one thing or more about a member of staff; nil
// fields stay as they are.
type StaffChange struct {
	Active   *bool   `json:"active,omitempty"`
	Role     *string `json:"role,omitempty"`
	Password *string `json:"password,omitempty"`
}

// AuditQuery selects audit events; empty fields select everything. As
// URL parameters: patient (NHS number), staff (username), device (ID),
// action (exact, or a prefix ending in "."), from and to (YYYY-MM-DD,
// Europe/London, inclusive), before (a Seq, for the next page), limit.
type AuditQuery struct {
	PatientNHSNumber string `json:"patient,omitempty"`
	StaffUsername    string `json:"staff,omitempty"`
	DeviceID         string `json:"device,omitempty"`
	Action           string `json:"action,omitempty"`
	From             string `json:"from,omitempty"`
	To               string `json:"to,omitempty"`
	Before           int64  `json:"before,omitempty"`
	Limit            int    `json:"limit,omitempty"` // default 200, at most 1000
}

// AuditEntry is one audit event, newest first in an AuditPage.
type AuditEntry struct {
	Seq         int64     `json:"seq"`
	At          time.Time `json:"at"`
	Actor       string    `json:"actor"`  // "staff:reception", "patient", "system", ...
	Device      string    `json:"device"` // device ID or "server"
	Action      string    `json:"action"`
	SubjectKind string    `json:"subjectKind"`
	SubjectID   int64     `json:"subjectId"`
	Detail      string    `json:"detail,omitempty"`
}

// AuditPage is one page of a search, newest first; More says there are
// older matches (ask again with Before set to the last Seq).
type AuditPage struct {
	Entries []AuditEntry `json:"entries"`
	More    bool         `json:"more"`
}

// AuditVerifyResult says whether the audit log's hash chain holds.
type AuditVerifyResult struct {
	Holds    bool      `json:"holds"`
	Checked  int       `json:"checked"`            // events checked
	BrokenAt int64     `json:"brokenAt,omitempty"` // the first event whose hash does not match
	At       time.Time `json:"at"`
}

// UptakeReport is the practice's use of online services, month by month,
// oldest first.
type UptakeReport struct {
	Practice string        `json:"practice"`
	ODSCode  string        `json:"odsCode"`
	Months   []UptakeMonth `json:"months"`
	Made     time.Time     `json:"made"`
}

// UptakeMonth is one calendar month (Europe/London). Figures named after
// POMI's fields mean what POMI means by them: the *Enbld figures are
// patients enabled at the end of the month, the *Use figures are
// transactions during it.
type UptakeMonth struct {
	Month              string `json:"month"` // YYYY-MM
	PatientListSize    int    `json:"patient_list_size"`
	PatApptsEnbld      int    `json:"Pat_Appts_Enbld"`
	PatApptsUse        int    `json:"Pat_Appts_Use"` // self-service bookings plus cancellations
	PatPrescEnbld      int    `json:"Pat_Presc_Enbld"`
	PatPrescUse        int    `json:"Pat_Presc_Use"` // repeat items ordered self-service
	PatDetCodeRecEnbld int    `json:"Pat_DetCodeRec_Enbld"`
	TotalPatEnbld      int    `json:"Total_Pat_Enbld"`
	NewPatEnbld        int    `json:"New_Pat_Enbld"`
	TotalUse           int    `json:"Total_Use"`
	// NewByVerification counts new registrations by how identity was
	// checked (the registration's verification method).
	NewByVerification map[string]int `json:"newByVerification"`
	LettersPrinted    int            `json:"lettersPrinted"`
	// By channel ("kiosk", "reception", "online").
	Booked         map[string]int `json:"booked"`
	Cancelled      map[string]int `json:"cancelled"`
	RepeatsOrdered map[string]int `json:"repeatsOrdered"` // requests made
	CheckIns       int            `json:"checkIns"`       // at the kiosk
	Lessons        int            `json:"lessons"`        // practice-mode lessons completed
}

// manageDomain starts a manager request's signing input, so its MAC is
// never valid as an op's or a sign-in's.
const manageDomain = "gpkiosk-manage-v1"

// ManageRequestInput is the exact text a manager request's proof covers:
// the device, the member of staff, the session, the method, the path with
// its query, the time (HeaderSignedAt), the nonce and the SHA-256 of the
// body (hex; of nothing for a GET), separated by U+001F.
func ManageRequestInput(deviceID string, staffID int64, sessionID, method, pathAndQuery, at, nonce string, body []byte) []byte {
	sum := sha256.Sum256(body)
	var b bytes.Buffer
	for _, part := range []string{manageDomain, deviceID, strconv.FormatInt(staffID, 10), sessionID, method, pathAndQuery, at, nonce, hex.EncodeToString(sum[:])} {
		b.WriteString(part)
		b.WriteByte(0x1f)
	}
	return b.Bytes()
}
