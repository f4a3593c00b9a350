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
	// Snapshot is set on a page of a snapshot that has more to come: ask
	// for the next with it (FeedRequest.Snapshot) and After Cursor.
	Snapshot string
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

// ErrCursorExpired means a device that can take a snapshot asked for
// changes after a position below the compaction floor: it was away longer
// than FeedAwayTooLong, so the log no longer keeps what it missed in
// order. It must drop its replica and pull a snapshot from 0.
var ErrCursorExpired = errors.New("the device's sync position is older than the change log keeps")

// FeedRequest is what a device asks of the change feed.
type FeedRequest struct {
	After int64 // the cursor: changes after it
	Limit int   // changes in the page, at most MaxFeedPage
	// Snapshots says the device can take a snapshot: from 0 it is sent
	// one (only the current rows it may hold) rather than the whole log,
	// and below the compaction floor it gets ErrCursorExpired. A device
	// that does not say so gets the log, compacted, as before.
	Snapshots bool
	// Snapshot continues a snapshot: FeedPage.Snapshot of the page before,
	// with After its Cursor.
	Snapshot string
	// Continued marks a later page of one sync: lease upkeep and the
	// device's position were done on its first page, so this page is only
	// a read. A snapshot's later pages are continued too.
	Continued bool
}

// Changes is one page of the change feed after cursor after, for a device
// that takes no snapshots (Feed).
func (s *Store) Changes(ctx context.Context, dev Device, after int64, limit int) (FeedPage, error) {
	return s.Feed(ctx, dev, FeedRequest{After: after, Limit: limit})
}

// Feed is one page of the change feed for a device: each row changed
// after req.After, or a page of a snapshot of the rows it may hold, as
// that device may see them (the scoping rules are data rules, so they live
// here and not in the wire layer). The first page of a sync also hands
// back and tops up a kiosk's slot leases, returns the leases of kiosks
// gone quiet (maintainLeases), records where the device is and lets the
// log be compacted (compactIfDue); later pages (req.Continued) only read.
func (s *Store) Feed(ctx context.Context, dev Device, req FeedRequest) (FeedPage, error) {
	if req.After < 0 || req.Limit < 1 {
		return FeedPage{}, refuse(ReasonInvalidInput, "The sync position and page size must be positive.")
	}
	limit := min(req.Limit, MaxFeedPage)
	var snap snapshotPos
	inSnapshot := req.Snapshot != "" || (req.Snapshots && req.After == 0)
	if req.Snapshot != "" {
		var err error
		if snap, err = parseSnapshotPos(req.Snapshot); err != nil {
			return FeedPage{}, err
		}
		if snap.head != req.After {
			return FeedPage{}, refuse(ReasonInvalidInput, "The snapshot position does not match the sync position.")
		}
	}
	if !req.Continued && req.Snapshot == "" {
		if err := s.maintainLeases(ctx, dev, req.After); err != nil {
			return FeedPage{}, err
		}
		if err := s.compactIfDue(ctx); err != nil {
			return FeedPage{}, err
		}
	}
	// One read transaction: the rows read below are the state as of the
	// last change in the page (or the snapshot's head) or later, never
	// earlier.
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return FeedPage{}, fmt.Errorf("store.Feed: %w", err)
	}
	defer tx.Rollback()
	var head, floor int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce((SELECT max(seq) FROM changes), 0), (SELECT floor FROM feed_compaction WHERE id = 1)").
		Scan(&head, &floor); err != nil {
		return FeedPage{}, fmt.Errorf("store.Feed: %w", err)
	}
	v := newFeedView(tx, dev, s.Now())
	if inSnapshot {
		if req.Snapshot == "" {
			snap = snapshotPos{head: head}
		}
		if snap.head > head {
			return FeedPage{}, fmt.Errorf("store.Feed: snapshot at %d, newest change %d: %w", snap.head, head, ErrCursorAhead)
		}
		if snap.head < floor {
			return FeedPage{}, fmt.Errorf("store.Feed: snapshot at %d, floor %d: %w", snap.head, floor, ErrCursorExpired)
		}
		page, err := v.snapshotPage(ctx, snap, limit)
		if err != nil {
			return FeedPage{}, fmt.Errorf("store.Feed: snapshot: %w", err)
		}
		return page, nil
	}
	if req.After > head {
		return FeedPage{}, fmt.Errorf("store.Feed: cursor %d, newest change %d: %w", req.After, head, ErrCursorAhead)
	}
	if req.Snapshots && req.After < floor {
		return FeedPage{}, fmt.Errorf("store.Feed: cursor %d, floor %d: %w", req.After, floor, ErrCursorExpired)
	}
	page, err := v.logPage(ctx, req.After, limit)
	if err != nil {
		return FeedPage{}, fmt.Errorf("store.Feed: %w", err)
	}
	return page, nil
}

// logPage is the change log after after, each row once at its first
// place in the page (so parents still come before children) with its
// newest state, read one query per entity type rather than one per row.
func (v *feedView) logPage(ctx context.Context, after int64, limit int) (FeedPage, error) {
	rows, err := v.tx.QueryContext(ctx, "SELECT seq, entity, entity_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", after, limit+1)
	if err != nil {
		return FeedPage{}, err
	}
	var order []rowRef
	seqOf := map[rowRef]int64{}
	idsOf := map[string][]int64{}
	page := FeedPage{Cursor: after}
	n := 0
	for rows.Next() {
		var seq int64
		var r rowRef
		if err := rows.Scan(&seq, &r.entity, &r.id); err != nil {
			rows.Close()
			return FeedPage{}, err
		}
		if n++; n > limit {
			page.More = true
			break
		}
		page.Cursor = seq
		if v.kiosk() && deskOnlyEntity(r.entity) {
			continue // not even a deletion: a kiosk never learns these exist
		}
		if _, seen := seqOf[r]; !seen {
			order = append(order, r)
			seqOf[r] = seq
			idsOf[r.entity] = append(idsOf[r.entity], r.id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return FeedPage{}, err
	}
	states := map[string]map[int64]any{}
	for _, entity := range feedEntityOrder() { // parents first: a kiosk's patients before their children
		if ids := idsOf[entity]; len(ids) > 0 {
			if states[entity], err = v.load(ctx, entity, ids); err != nil {
				return FeedPage{}, fmt.Errorf("%s: %w", entity, err)
			}
		}
	}
	page.Changes = make([]FeedChange, 0, len(order))
	for _, r := range order {
		st, known := states[r.entity]
		if !known {
			return FeedPage{}, fmt.Errorf("unknown entity %q in the change log", r.entity)
		}
		page.Changes = append(page.Changes, FeedChange{Seq: seqOf[r], Entity: r.entity, ID: r.id, State: st[r.id]})
	}
	return page, nil
}

type rowRef struct {
	entity string
	id     int64
}

// feedEntityOrder is every entity, parents before children: a snapshot
// is sent in this order, and a log page's rows are read in it.
func feedEntityOrder() [13]string {
	return [...]string{EntitySettings, EntityClinician, EntitySlotType, EntitySlot, EntityPatient, EntityAppointment,
		EntityRepeatItem, EntityRepeatRequest, EntityStaff, EntityRegistration, EntityProxy, EntityHelpRequest, EntityProblemReport}
}

// feedView reads the current state of rows as one device may see them.
type feedView struct {
	tx            *sql.Tx
	dev           Device
	now           time.Time
	kioskPatients map[int64]bool    // memo: may a kiosk hold this patient?
	notEligible   map[Sex][]int64   // memo: notEligibleBySex
	sexRules      []slotTypeSexRule // slot types with a sex rule, read once
	sexRulesRead  bool
}

type slotTypeSexRule struct {
	id int64
	e  SlotEligibility
}

func newFeedView(tx *sql.Tx, dev Device, now time.Time) *feedView {
	return &feedView{tx: tx, dev: dev, now: now, kioskPatients: map[int64]bool{}, notEligible: map[Sex][]int64{}}
}

func (v *feedView) kiosk() bool { return v.dev.Role == DeviceKiosk }

// load reads the states of rows of one entity for this device: a row
// gone or outside the device's view has no entry. The busy entities are
// read with one query (or two) for all of ids; the rare ones row by row.
func (v *feedView) load(ctx context.Context, entity string, ids []int64) (map[int64]any, error) {
	if v.kiosk() && deskOnlyEntity(entity) {
		return map[int64]any{}, nil // the log page skips them; this is a second lock
	}
	switch entity {
	case EntitySlot:
		return v.slots(ctx, ids)
	case EntityPatient:
		return v.patients(ctx, ids)
	case EntityAppointment:
		return v.appointments(ctx, ids)
	case EntityRepeatItem:
		return v.repeatItems(ctx, ids)
	case EntityRepeatRequest:
		return v.repeatRequests(ctx, ids)
	case EntityRegistration:
		return v.registrations(ctx, ids)
	case EntityProxy:
		return v.proxies(ctx, ids)
	}
	out := make(map[int64]any, len(ids))
	for _, id := range ids {
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
		case EntityStaff, EntityHelpRequest, EntityProblemReport:
			state, err = v.deskOnly(ctx, entity, id)
		default:
			return nil, fmt.Errorf("unknown entity %q in the change log", entity)
		}
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s %d: %w", entity, id, err)
		}
		out[id] = state
	}
	return out, nil
}

// deskOnlyEntity: entities a kiosk is never sent, not even as deletions.
func deskOnlyEntity(entity string) bool {
	switch entity {
	case EntityStaff, EntityRegistration, EntityProxy, EntityHelpRequest, EntityProblemReport:
		return true
	}
	return false
}

// deskOnly reads the rare entities only a desktop receives: staff (with
// their verifier, to sign in offline) and the inbox.
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

// replacedLetterMemory is how long a kiosk remembers a replaced letter.
const replacedLetterMemory = 90 * 24 * time.Hour
