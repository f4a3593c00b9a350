package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// ErrCursorAhead means a device asked for changes after a sequence the
// server has never reached: the server was restored from a backup and the
// device must pull its replica again from the start.
var ErrCursorAhead = errors.New("the device's sync position is ahead of the server")

// Entities of the change feed: the names the changes table records (its
// triggers write them), which the sync wire uses as they are.
const (
	EntitySettings      = "settings"       // FeedSettings, ID 1
	EntityClinician     = "clinician"      // Clinician
	EntitySlotType      = "slot_type"      // SlotType
	EntitySlot          = "slot"           // FeedSlot
	EntityPatient       = "patient"        // FeedPatient (fields by role)
	EntityAppointment   = "appointment"    // FeedAppointment
	EntityRepeatItem    = "repeat_item"    // FeedRepeatItem
	EntityRepeatRequest = "repeat_request" // FeedRepeatRequest

	// Desktop only: a kiosk never learns these exist.
	EntityStaff         = "staff"          // FeedStaff
	EntityRegistration  = "registration"   // FeedRegistration
	EntityProxy         = "proxy"          // FeedProxy
	EntityHelpRequest   = "help_request"   // FeedAlert
	EntityProblemReport = "problem_report" // FeedAlert
)

// Alert statuses, worked out from who did what to a help request or
// problem report: new, someone has said they are dealing with it, done.
const (
	AlertOpen         = "open"
	AlertAcknowledged = "acknowledged"
	AlertResolved     = "resolved"
)

// MaxFeedPage bounds a page of Changes whatever the caller asks, so the
// store is safe on its own; sync/server clamps to the wire's limit first.
const MaxFeedPage = 1000

// FeedPage is one page of the change feed as one device may see it.
type FeedPage struct {
	Changes []FeedChange
	Cursor  int64 // the last change read: ask after it next time
	More    bool  // another page is ready now
}

// FeedChange is the current state of one row as one device may see it.
// The same row may come again later with a newer state.
type FeedChange struct {
	Seq    int64
	Entity string // one of the Entity constants
	ID     int64
	// State is the row for this device: FeedSettings, Clinician,
	// SlotType, FeedSlot, FeedPatient, FeedAppointment, FeedRepeatItem or
	// FeedRepeatRequest; on a desktop also FeedStaff, FeedRegistration,
	// FeedProxy or FeedAlert. nil: the row is gone or out of this
	// device's view, so the device drops it.
	State any
}

// FeedSettings is the practice's online-services settings as devices
// apply them offline.
type FeedSettings struct {
	Settings
	// KioskExitPIN is the argon2id verifier (PHC string) of the PIN staff
	// type to close a kiosk; "" when the practice has set none.
	KioskExitPIN string
}

// FeedSlot is a slot and whether it can still be had. A kiosk learns only
// that a slot is taken, never by whom, and sees only its own leases.
type FeedSlot struct {
	ClinicianID    int64
	SlotTypeID     int64
	StartsAt       time.Time
	EndsAt         time.Time
	OnlineBookable bool
	ReceptionOnly  bool
	ReleaseAt      time.Time // zero: no embargo
	Taken          bool
	// LeasedTo is the device holding a lease on the slot ("" if none, or
	// if a kiosk is asking and the lease is another device's).
	LeasedTo    string
	LeaseEndsAt time.Time // zero when LeasedTo is ""
}

// FeedPatient is a patient. A kiosk gets only GivenName, its letters, the
// slot types it may not book and the flags its rules need; every other
// field is empty. (A kiosk learns the date of birth only when the patient
// types it to sign in.)
type FeedPatient struct {
	GivenName                string
	IdentityVerified         bool
	OnlineOrderingUnsuitable bool
	OnlineBookingSuspended   bool

	// Kiosk only.
	KioskLetters []KioskLetter
	// NotEligibleSlotTypes are slot types the patient's recorded sex rules
	// out: a kiosk holds no sex to work it out itself.
	NotEligibleSlotTypes []int64

	// Desktop only.
	NHSNumber   NHSNumber
	FamilyName  string
	Sex         Sex
	DateOfBirth string // YYYY-MM-DD, as stored
	Address     string
	Postcode    string
	Phone       string
}

// KioskLetter is one registration letter a kiosk may see used, as a
// verifier it compares but cannot reverse (KioskVerifier). A revoked letter
// is still sent so the kiosk can say why it no longer works. It carries no
// expiry: the 14 days printed on a letter are the Linkage Key's, for the
// NHS App.
type KioskLetter struct {
	Verifier string
	Revoked  bool
	// ActingFor marks a proxy's letter: its verifier is made with the
	// proxy's own date of birth.
	ActingFor bool
	// The services the letter does not give.
	NoAppointments  bool
	NoPrescriptions bool
}

// FeedAppointment is an appointment. A kiosk gets only future, booked
// appointments of patients it may hold.
type FeedAppointment struct {
	SlotID    int64
	PatientID int64
	Channel   Channel
	Status    string
	BookedAt  time.Time
	// StatusChangedAt is when Status last changed (desktop only: zero for
	// a kiosk).
	StatusChangedAt time.Time
}

// FeedRepeatItem is an item on a patient's repeat prescription.
type FeedRepeatItem struct {
	PatientID    int64
	Name         string
	Strength     string
	Form         string
	Dosage       string
	Active       bool
	ReviewDue    Date // zero: none
	Outstanding  bool
	LastIssuedAt time.Time // desktop only; zero: never issued
}

// FeedRepeatRequest is a request for repeat items and what became of
// them: a kiosk gets what it needs to show the patient the outcome; a
// desktop also gets when and how it was asked, the note, and who decided
// each item when.
type FeedRepeatRequest struct {
	PatientID   int64
	Status      string // pending, cancelled, completed
	ReadyBy     string // YYYY-MM-DD, as stored
	Items       []FeedRepeatDecision
	HandedOut   string // "", collected or pharmacy
	OutcomeSeen bool   // the patient was shown the decisions at a kiosk

	// Desktop only.
	RequestedAt time.Time
	Channel     Channel
	Note        string
	HandedOutAt time.Time // zero: not handed out
}

// FeedRepeatDecision is what became of one item of a request.
type FeedRepeatDecision struct {
	RepeatItemID int64
	Decision     string // pending, approved, declined, cancelled
	ReasonCode   string
	Reason       string

	// Desktop only.
	DecidedBy int64     // staff ID; 0: not recorded
	DecidedAt time.Time // zero: not decided
}

// FeedStaff is a member of staff, so a desktop can sign them in offline.
type FeedStaff struct {
	Username    string
	DisplayName string
	Role        string
	// SignInCheck lets a desktop tell their password is right and work out
	// the key their ops are signed with (passhash.Check); "" when no
	// password has been set under today's policy, and then they cannot
	// sign in at a desktop. Never the verifier itself: that would be the
	// key.
	SignInCheck string
	Active      bool
}

// FeedRegistration is a patient's (or their proxy's) registration for
// online services. The linkage key's hash never leaves the store.
type FeedRegistration struct {
	PatientID            int64
	ProxyID              int64 // 0: the patient themselves
	AccountID            string
	VerificationMethod   string
	VerifiedByStaffID    int64 // 0: not recorded
	VerifiedAt           time.Time
	ServiceAppointments  bool
	ServicePrescriptions bool
	RecordAccess         string
	KioskEnabled         bool
	LetterIssuedAt       time.Time // zero: not yet printed
	LetterExpiresAt      time.Time
	Revoked              bool
}

// FeedProxy is someone linked to act for a patient.
type FeedProxy struct {
	PatientID            int64
	ProxyPatientID       int64 // 0: the proxy is not our patient
	ProxyName            string
	ProxyDateOfBirth     string // YYYY-MM-DD, as stored
	Relationship         string
	LegalBasis           string
	ServiceAppointments  bool
	ServicePrescriptions bool
	ServiceRecord        bool
	ProxyVerification    string
	VerifiedByStaffID    int64 // 0: not recorded
	CreatedAt            time.Time
	Ended                bool
}

// FeedAlert is a help request or problem report from a device, as the
// practice's inbox shows it.
type FeedAlert struct {
	DeviceID   string
	DeviceName string
	Reporter   string // problem reports: "patient" (from a kiosk), "staff" or "system" (the server, about a device)
	Category   string // problem reports only
	Text       string // the help note or the problem's description
	RaisedAt   time.Time
	Status     string    // one of the Alert statuses
	HandledBy  int64     // who acknowledged or resolved it; 0: nobody recorded
	HandledAt  time.Time // zero while open
}

// Changes is one page of the change feed for a device: each row changed
// after the cursor after, as that device may see it (the scoping rules
// are data rules, so they live here and not in the wire layer). A kiosk's
// pull also hands back and tops up its slot leases, and any device's pull
// returns the leases of kiosks gone quiet (maintainLeases).
func (s *Store) Changes(ctx context.Context, dev Device, after int64, limit int) (FeedPage, error) {
	if after < 0 || limit < 1 {
		return FeedPage{}, refuse(ReasonInvalidInput, "The sync position and page size must be positive.")
	}
	limit = min(limit, MaxFeedPage)
	if err := s.maintainLeases(ctx, dev); err != nil {
		return FeedPage{}, err
	}
	// One read transaction: the rows read below are the state as of the
	// last change in the page or later, never earlier.
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return FeedPage{}, fmt.Errorf("store.Changes: %w", err)
	}
	defer tx.Rollback()
	var head int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM changes").Scan(&head); err != nil {
		return FeedPage{}, fmt.Errorf("store.Changes: %w", err)
	}
	if after > head {
		return FeedPage{}, fmt.Errorf("store.Changes: cursor %d, newest change %d: %w", after, head, ErrCursorAhead)
	}
	rows, err := tx.QueryContext(ctx, "SELECT seq, entity, entity_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", after, limit+1)
	if err != nil {
		return FeedPage{}, fmt.Errorf("store.Changes: %w", err)
	}
	type ref struct {
		entity string
		id     int64
	}
	var order []ref
	seqOf := map[ref]int64{}
	page := FeedPage{Cursor: after}
	n := 0
	for rows.Next() {
		var seq int64
		var r ref
		if err := rows.Scan(&seq, &r.entity, &r.id); err != nil {
			rows.Close()
			return FeedPage{}, fmt.Errorf("store.Changes: %w", err)
		}
		if n++; n > limit {
			page.More = true
			break
		}
		page.Cursor = seq
		if dev.Role == DeviceKiosk && deskOnlyEntity(r.entity) {
			continue // not even a deletion: a kiosk never learns these exist
		}
		// A row changed twice in a page is sent once, at its first place
		// (so parents still come before children), with its newest state.
		if _, seen := seqOf[r]; !seen {
			order = append(order, r)
			seqOf[r] = seq
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return FeedPage{}, fmt.Errorf("store.Changes: %w", err)
	}
	v := feedView{tx: tx, dev: dev, now: s.Now(), kioskPatients: map[int64]bool{}}
	page.Changes = make([]FeedChange, 0, len(order))
	for _, r := range order {
		state, err := v.state(ctx, r.entity, r.id)
		if err != nil {
			return FeedPage{}, fmt.Errorf("store.Changes: %s %d: %w", r.entity, r.id, err)
		}
		page.Changes = append(page.Changes, FeedChange{Seq: seqOf[r], Entity: r.entity, ID: r.id, State: state})
	}
	return page, nil
}

// feedView reads the current state of rows as one device may see them.
type feedView struct {
	tx            *sql.Tx
	dev           Device
	now           time.Time
	kioskPatients map[int64]bool // memo: may a kiosk hold this patient?
}

func (v *feedView) kiosk() bool { return v.dev.Role == DeviceKiosk }

// state returns the row's state for this device, or nil if the row is
// gone or outside the device's view.
func (v *feedView) state(ctx context.Context, entity string, id int64) (any, error) {
	var (
		state any
		err   error
	)
	switch entity {
	case EntitySettings:
		state, err = v.settings(ctx, id)
	case EntityClinician:
		c := Clinician{ID: id}
		err = v.tx.QueryRowContext(ctx, "SELECT display_name, role, online_bookable FROM clinicians WHERE id = ?", id).
			Scan(&c.DisplayName, &c.Role, &c.OnlineBookable)
		state = c
	case EntitySlotType:
		t := SlotType{ID: id}
		err = v.tx.QueryRowContext(ctx, `SELECT code, name, minutes, clinician_role, online_bookable, urgent, for_sex, min_age_years, max_age_years
			FROM slot_types WHERE id = ?`, id).
			Scan(&t.Code, &t.Name, &t.Minutes, &t.ClinicianRole, &t.OnlineBookable, &t.Urgent, &t.Eligibility.Sex, &t.Eligibility.MinAge, &t.Eligibility.MaxAge)
		state = t
	case EntitySlot:
		state, err = v.slot(ctx, id)
	case EntityPatient:
		state, err = v.patient(ctx, id)
	case EntityAppointment:
		state, err = v.appointment(ctx, id)
	case EntityRepeatItem:
		state, err = v.repeatItem(ctx, id)
	case EntityRepeatRequest:
		state, err = v.repeatRequest(ctx, id)
	case EntityStaff, EntityRegistration, EntityProxy, EntityHelpRequest, EntityProblemReport:
		if v.kiosk() {
			return nil, nil // Changes skips them; this is a second lock
		}
		state, err = v.deskOnly(ctx, entity, id)
	default:
		return nil, fmt.Errorf("unknown entity %q in the change log", entity)
	}
	if errors.Is(err, sql.ErrNoRows) || errors.Is(err, errOutOfView) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return state, nil
}

var errOutOfView = errors.New("outside this device's view")

// deskOnlyEntity: entities a kiosk is never sent, not even as deletions.
func deskOnlyEntity(entity string) bool {
	switch entity {
	case EntityStaff, EntityRegistration, EntityProxy, EntityHelpRequest, EntityProblemReport:
		return true
	}
	return false
}

// deskOnly reads the entities only a desktop receives: staff (with their
// verifier, to sign in offline), registrations (never the linkage key's
// hash), proxies and the inbox.
func (v *feedView) deskOnly(ctx context.Context, entity string, id int64) (any, error) {
	switch entity {
	case EntityStaff:
		var d FeedStaff
		var verifier string
		var policy int
		err := v.tx.QueryRowContext(ctx, "SELECT username, display_name, role, coalesce(password_hash, ''), password_policy, active FROM staff WHERE id = ?", id).
			Scan(&d.Username, &d.DisplayName, &d.Role, &verifier, &policy, &d.Active)
		if err != nil {
			return nil, err
		}
		if d.SignInCheck, err = signInCheck(verifier, policy); err != nil {
			return nil, fmt.Errorf("staff %d: %w", id, err)
		}
		return d, nil
	case EntityRegistration:
		var d FeedRegistration
		var verified int64
		var issued, expires sql.NullInt64
		err := v.tx.QueryRowContext(ctx, `SELECT patient_id, coalesce(proxy_relationship_id, 0), account_id, verification_method,
			coalesce(verified_by_staff_id, 0), verified_at, service_appointments, service_prescriptions, record_access, kiosk_enabled,
			letter_issued_at, letter_expires_at, revoked_at IS NOT NULL FROM online_registrations WHERE id = ?`, id).
			Scan(&d.PatientID, &d.ProxyID, &d.AccountID, &d.VerificationMethod, &d.VerifiedByStaffID, &verified, &d.ServiceAppointments,
				&d.ServicePrescriptions, &d.RecordAccess, &d.KioskEnabled, &issued, &expires, &d.Revoked)
		d.VerifiedAt = time.Unix(verified, 0).UTC()
		d.LetterIssuedAt, d.LetterExpiresAt = instantOrZero(issued), instantOrZero(expires)
		return d, err
	case EntityProxy:
		var d FeedProxy
		var created int64
		err := v.tx.QueryRowContext(ctx, `SELECT patient_id, coalesce(proxy_patient_id, 0), proxy_name, proxy_date_of_birth, relationship,
			legal_basis, service_appointments, service_prescriptions, service_record, proxy_verification, coalesce(verified_by_staff_id, 0),
			created_at, ended_at IS NOT NULL FROM proxy_relationships WHERE id = ?`, id).
			Scan(&d.PatientID, &d.ProxyPatientID, &d.ProxyName, &d.ProxyDateOfBirth, &d.Relationship, &d.LegalBasis, &d.ServiceAppointments,
				&d.ServicePrescriptions, &d.ServiceRecord, &d.ProxyVerification, &d.VerifiedByStaffID, &created, &d.Ended)
		d.CreatedAt = time.Unix(created, 0).UTC()
		return d, err
	case EntityHelpRequest:
		return v.alert(ctx, `SELECT h.device_id, coalesce(dv.name, h.device_id), '', '', h.note, h.requested_at, h.status,
			h.acknowledged_by_staff_id, h.acknowledged_at, h.resolved_by_staff_id, h.resolved_at
			FROM help_requests h LEFT JOIN devices dv ON dv.id = h.device_id WHERE h.id = ?`, id)
	case EntityProblemReport:
		return v.alert(ctx, `SELECT p.device_id, coalesce(dv.name, p.device_id), p.reporter, p.category, p.description, p.reported_at, p.status,
			p.acknowledged_by_staff_id, p.acknowledged_at, p.resolved_by_staff_id, p.resolved_at
			FROM problem_reports p LEFT JOIN devices dv ON dv.id = p.device_id WHERE p.id = ?`, id)
	}
	return nil, fmt.Errorf("unknown entity %q", entity)
}

// alert reads a help request or problem report (query names the columns
// in FeedAlert's order). Status comes from who did what: resolved (or
// closed before 0006 recorded who), acknowledged, or open.
func (v *feedView) alert(ctx context.Context, query string, id int64) (any, error) {
	var d FeedAlert
	var raised int64
	var status string
	var ackBy, ackAt, resBy, resAt sql.NullInt64
	if err := v.tx.QueryRowContext(ctx, query, id).Scan(&d.DeviceID, &d.DeviceName, &d.Reporter, &d.Category, &d.Text, &raised, &status,
		&ackBy, &ackAt, &resBy, &resAt); err != nil {
		return nil, err
	}
	d.RaisedAt = time.Unix(raised, 0).UTC()
	switch {
	case resAt.Valid || status == "closed":
		d.Status, d.HandledBy, d.HandledAt = AlertResolved, resBy.Int64, instantOrZero(resAt)
	case ackAt.Valid:
		d.Status, d.HandledBy, d.HandledAt = AlertAcknowledged, ackBy.Int64, instantOrZero(ackAt)
	default:
		d.Status = AlertOpen
	}
	return d, nil
}

// instantOrZero is a stored Unix time, or the zero time for NULL.
func instantOrZero(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(n.Int64, 0).UTC()
}

func (v *feedView) settings(ctx context.Context, id int64) (any, error) {
	st, err := loadSettings(ctx, v.tx)
	if err != nil {
		return nil, err
	}
	d := FeedSettings{Settings: st}
	err = v.tx.QueryRowContext(ctx, "SELECT kiosk_exit_pin FROM online_settings WHERE id = ?", id).Scan(&d.KioskExitPIN)
	return d, err
}

func (v *feedView) slot(ctx context.Context, id int64) (any, error) {
	var d FeedSlot
	var starts, ends int64
	var release, leaseEnds sql.NullInt64
	var channel string
	var holder sql.NullString
	err := v.tx.QueryRowContext(ctx, `SELECT se.clinician_id, sl.slot_type_id, sl.starts_at, sl.ends_at, sl.online_bookable, sl.channel, sl.release_at,
		EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = sl.id AND a.status <> 'cancelled'),
		l.device_id, l.ends_at
		FROM slots sl JOIN sessions se ON se.id = sl.session_id LEFT JOIN slot_leases l ON l.slot_id = sl.id
		WHERE sl.id = ?`, id).Scan(&d.ClinicianID, &d.SlotTypeID, &starts, &ends, &d.OnlineBookable, &channel, &release, &d.Taken, &holder, &leaseEnds)
	if err != nil {
		return nil, err
	}
	if v.kiosk() && starts <= v.now.Unix() {
		return nil, errOutOfView // a kiosk has no use for past slots
	}
	d.StartsAt, d.EndsAt = time.Unix(starts, 0).UTC(), time.Unix(ends, 0).UTC()
	d.ReceptionOnly = channel == "reception"
	d.ReleaseAt = instantOrZero(release)
	if holder.Valid && (!v.kiosk() || holder.String == v.dev.ID) {
		d.LeasedTo, d.LeaseEndsAt = holder.String, time.Unix(leaseEnds.Int64, 0).UTC()
	}
	return d, nil
}

// kioskMayHold reports whether a kiosk may hold the patient
// (kioskRegisteredSQL).
func (v *feedView) kioskMayHold(ctx context.Context, patientID int64) (bool, error) {
	if ok, seen := v.kioskPatients[patientID]; seen {
		return ok, nil
	}
	var ok bool
	err := v.tx.QueryRowContext(ctx, kioskRegisteredSQL, patientID).Scan(&ok)
	if err != nil {
		return false, err
	}
	v.kioskPatients[patientID] = ok
	return ok, nil
}

func (v *feedView) inView(ctx context.Context, patientID int64) error {
	if !v.kiosk() {
		return nil
	}
	ok, err := v.kioskMayHold(ctx, patientID)
	if err != nil {
		return err
	}
	if !ok {
		return errOutOfView
	}
	return nil
}

// KioskVerifierPrefix starts the text hashed into a kiosk verifier:
// hex(SHA-256(KioskVerifierPrefix + accountID + "\x1f" + dateOfBirth)),
// where accountID is in NormaliseAccountID's form (upper case, no spaces
// or hyphens). The account ID is long and random, so the digest cannot be
// reversed by trying dates of birth. v1 hashed the account ID as printed,
// with its hyphens; a v1 verifier never matches a v2 one.
const KioskVerifierPrefix = "gpkiosk-kiosk-v2\x1f"

// KioskVerifier is the digest a kiosk compares to sign a patient in with
// the account ID from their letter and the date of birth they type. The
// account ID is hashed in its NormaliseAccountID form, so it matches
// however it was typed or scanned.
func KioskVerifier(accountID string, dob Date) string {
	sum := sha256.Sum256([]byte(KioskVerifierPrefix + NormaliseAccountID(accountID) + "\x1f" + dob.String()))
	return hex.EncodeToString(sum[:])
}

func (v *feedView) patient(ctx context.Context, id int64) (any, error) {
	if err := v.inView(ctx, id); err != nil {
		return nil, err
	}
	var d FeedPatient
	var dob string
	err := v.tx.QueryRowContext(ctx, `SELECT nhs_number, given_name, family_name, sex, date_of_birth, address, postcode, phone,
		online_ordering_unsuitable, online_booking_suspended,
		EXISTS (SELECT 1 FROM online_registrations r WHERE r.patient_id = p.id AND r.revoked_at IS NULL
		        AND r.proxy_relationship_id IS NULL AND r.verification_method <> 'vouching')
		FROM patients p WHERE id = ?`, id).Scan(&d.NHSNumber, &d.GivenName, &d.FamilyName, &d.Sex, &dob, &d.Address, &d.Postcode, &d.Phone,
		&d.OnlineOrderingUnsuitable, &d.OnlineBookingSuspended, &d.IdentityVerified)
	if err != nil {
		return nil, err
	}
	if !v.kiosk() {
		d.DateOfBirth = dob
		return d, nil
	}
	born, err := ParseDate(dob)
	if err != nil {
		return nil, fmt.Errorf("stored date of birth: %w", err)
	}
	kiosk := FeedPatient{GivenName: d.GivenName, IdentityVerified: d.IdentityVerified,
		OnlineOrderingUnsuitable: d.OnlineOrderingUnsuitable, OnlineBookingSuspended: d.OnlineBookingSuspended}
	if kiosk.KioskLetters, err = v.kioskLetters(ctx, id, born); err != nil {
		return nil, err
	}
	kiosk.NotEligibleSlotTypes, err = v.notEligibleBySex(ctx, d.Sex)
	return kiosk, err
}

// kioskLetters are the patient's letters a kiosk may see used. Letters
// replaced (or whose proxy's access ended) in the last 90 days are kept so
// the kiosk can say "this letter has been replaced" to someone holding an
// old one. A proxy's letter is checked against the proxy's own date of
// birth, since they are the one at the kiosk. A letter signs in at a kiosk
// until it is replaced or revoked: letter_expires_at is the Linkage Key's
// expiry (for the NHS App), not the letter's, so it is not sent.
func (v *feedView) kioskLetters(ctx context.Context, patientID int64, born Date) ([]KioskLetter, error) {
	since := v.now.Add(-replacedLetterMemory).Unix()
	rows, err := v.tx.QueryContext(ctx, `SELECT r.account_id, r.revoked_at IS NOT NULL,
		r.service_appointments, r.service_prescriptions, r.proxy_relationship_id IS NOT NULL,
		coalesce(pr.proxy_date_of_birth, ''), pr.ended_at IS NOT NULL, coalesce(pr.service_appointments, 1), coalesce(pr.service_prescriptions, 1)
		FROM online_registrations r LEFT JOIN proxy_relationships pr ON pr.id = r.proxy_relationship_id
		WHERE r.patient_id = ? AND r.kiosk_enabled = 1 AND (r.revoked_at IS NULL OR r.revoked_at > ?)
		AND (pr.ended_at IS NULL OR pr.ended_at > ?) ORDER BY r.id`, patientID, since, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []KioskLetter
	for rows.Next() {
		var account, proxyDOB string
		var appts, scripts, proxyEnded, proxyAppts, proxyScripts bool
		var letter KioskLetter
		if err := rows.Scan(&account, &letter.Revoked, &appts, &scripts, &letter.ActingFor, &proxyDOB, &proxyEnded,
			&proxyAppts, &proxyScripts); err != nil {
			return nil, err
		}
		dob := born
		if letter.ActingFor {
			if dob, err = ParseDate(proxyDOB); err != nil {
				continue // a proxy linked before their date of birth was kept cannot sign in at a kiosk
			}
			letter.Revoked = letter.Revoked || proxyEnded
			appts, scripts = appts && proxyAppts, scripts && proxyScripts
		}
		letter.Verifier = KioskVerifier(account, dob)
		letter.NoAppointments, letter.NoPrescriptions = !appts, !scripts
		out = append(out, letter)
	}
	return out, rows.Err()
}

// replacedLetterMemory is how long a kiosk remembers a replaced letter.
const replacedLetterMemory = 90 * 24 * time.Hour

// notEligibleBySex lists the slot types a patient of this recorded sex may
// not book for themselves, by the same rule the store applies.
func (v *feedView) notEligibleBySex(ctx context.Context, sex Sex) ([]int64, error) {
	rows, err := v.tx.QueryContext(ctx, "SELECT id, for_sex FROM slot_types WHERE for_sex <> '' ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		var e SlotEligibility
		if err := rows.Scan(&id, &e.Sex); err != nil {
			return nil, err
		}
		if !e.AllowsSex(sex) {
			out = append(out, id)
		}
	}
	return out, rows.Err()
}

func (v *feedView) appointment(ctx context.Context, id int64) (any, error) {
	var d FeedAppointment
	var booked, starts, changed int64
	err := v.tx.QueryRowContext(ctx, `SELECT a.slot_id, a.patient_id, a.channel, a.status, a.booked_at, sl.starts_at, a.status_changed_at
		FROM appointments a JOIN slots sl ON sl.id = a.slot_id WHERE a.id = ?`, id).
		Scan(&d.SlotID, &d.PatientID, &d.Channel, &d.Status, &booked, &starts, &changed)
	if err != nil {
		return nil, err
	}
	if err := v.inView(ctx, d.PatientID); err != nil {
		return nil, err
	}
	if v.kiosk() && (d.Status != StatusBooked || starts <= v.now.Unix()) {
		return nil, errOutOfView
	}
	d.BookedAt = time.Unix(booked, 0).UTC()
	if !v.kiosk() {
		d.StatusChangedAt = time.Unix(changed, 0).UTC()
	}
	return d, nil
}

func (v *feedView) repeatItem(ctx context.Context, id int64) (any, error) {
	var patientID int64
	if err := v.tx.QueryRowContext(ctx, "SELECT patient_id FROM repeat_medications WHERE id = ?", id).Scan(&patientID); err != nil {
		return nil, err
	}
	if err := v.inView(ctx, patientID); err != nil {
		return nil, err
	}
	it, err := scanRepeat(v.tx.QueryRowContext(ctx, repeatSelect+" WHERE rm.id = ?", id))
	if err != nil {
		return nil, err
	}
	d := FeedRepeatItem{PatientID: patientID, Name: it.Name, Strength: it.Strength, Form: it.Form, Dosage: it.Dosage,
		Active: it.Active, ReviewDue: it.ReviewDue, Outstanding: it.Outstanding}
	if !v.kiosk() {
		d.LastIssuedAt = it.LastIssuedAt
	}
	return d, nil
}

// repeatRequest gives a kiosk what it needs to show the patient the
// outcome; a desktop also gets when and how it was asked, the note, and
// who decided each item when.
func (v *feedView) repeatRequest(ctx context.Context, id int64) (any, error) {
	var d FeedRepeatRequest
	var requested int64
	var channel Channel
	var note string
	var handedOutAt, seenAt sql.NullInt64
	if err := v.tx.QueryRowContext(ctx, `SELECT patient_id, status, ready_by, handed_out, outcome_seen_at, requested_at, channel, note, handed_out_at
		FROM prescription_requests WHERE id = ?`, id).
		Scan(&d.PatientID, &d.Status, &d.ReadyBy, &d.HandedOut, &seenAt, &requested, &channel, &note, &handedOutAt); err != nil {
		return nil, err
	}
	if err := v.inView(ctx, d.PatientID); err != nil {
		return nil, err
	}
	d.OutcomeSeen = seenAt.Valid
	if !v.kiosk() {
		d.RequestedAt, d.Channel, d.Note, d.HandedOutAt = time.Unix(requested, 0).UTC(), channel, note, instantOrZero(handedOutAt)
	}
	rows, err := v.tx.QueryContext(ctx, `SELECT repeat_medication_id, decision, reason_code, reason, coalesce(decided_by_staff_id, 0), decided_at
		FROM prescription_request_items WHERE request_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var it FeedRepeatDecision
		var by int64
		var at sql.NullInt64
		if err := rows.Scan(&it.RepeatItemID, &it.Decision, &it.ReasonCode, &it.Reason, &by, &at); err != nil {
			return nil, err
		}
		if !v.kiosk() {
			it.DecidedBy, it.DecidedAt = by, instantOrZero(at)
		}
		d.Items = append(d.Items, it)
	}
	return d, rows.Err()
}
