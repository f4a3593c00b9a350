package replica

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gpkiosk/store"
)

// Appointment is an upcoming appointment as the device shows it.
type Appointment struct {
	Ref           Ref
	SlotID        int64
	StartsAt      time.Time
	EndsAt        time.Time
	ClinicianName string
	SlotTypeName  string
	Channel       string
	State         State
	// CancelUntil is the last instant this device's CancelAppointment
	// will cancel it (store.Settings.CancelUntil with this device's
	// channel): at a kiosk, the last instant the patient may cancel it
	// themselves, the cancellation cut-off before the start; on a staff
	// desktop, until it starts. Already past when it can no longer be
	// cancelled here; zero if it cannot be cancelled here at all (the
	// device does not yet have the practice's settings).
	CancelUntil time.Time
}

// RepeatItem is an item of a patient's repeat prescription. Outstanding
// includes requests made here that the server has not answered.
type RepeatItem struct {
	ID           int64
	Name         string
	Strength     string
	Form         string
	Dosage       string
	Active       bool
	ReviewDue    store.Date // zero: none
	Outstanding  bool
	LastIssuedAt time.Time // desktop only; zero: never or unknown
}

// Request is a repeat request as the device shows it. Status is pending,
// cancelled or completed; a request cancelled here is cancelled at once.
type Request struct {
	Ref     Ref
	State   State // StateConfirmed or StateProvisional
	Status  string
	ReadyBy store.Date
	Items   []RequestItem
}

// RequestItem is one item of a request and what became of it.
type RequestItem struct {
	RepeatItemID int64
	Name         string
	Decision     string // pending, approved, declined, cancelled
	Reason       string // told to the patient when declined
}

// Patient is a patient as a kiosk may know them.
type Patient struct {
	ID                       int64
	GivenName                string
	IdentityVerified         bool
	OnlineOrderingUnsuitable bool
	OnlineBookingSuspended   bool
	// From the letter used to sign in: a proxy acting for the patient,
	// and the services that letter does not give.
	ActingFor       bool
	NoAppointments  bool
	NoPrescriptions bool
}

// KioskVerifier is the digest a kiosk signs a patient in by: computed from
// the scanned or typed account ID (in any form store.NormaliseAccountID
// accepts) and the typed date of birth, compared, never reversed (see
// store.KioskVerifierPrefix).
func KioskVerifier(accountID string, dateOfBirth store.Date) string {
	return store.KioskVerifier(accountID, dateOfBirth)
}

// PatientByKioskVerifier finds the patient a kiosk verifier belongs to. No
// match is a *store.RuleError the kiosk may show.
func (r *Replica) PatientByKioskVerifier(ctx context.Context, verifier string) (Patient, error) {
	p, err := patientByVerifier(ctx, r.read, verifier)
	if _, ok := store.AsRuleError(err); err != nil && !ok {
		return Patient{}, fmt.Errorf("replica.PatientByKioskVerifier: %w", err)
	}
	return p, err
}

// FreeSlots lists, earliest first, the slots this patient could book here
// now, from surgery day from for days days, by the same rules as Book. A
// patient who may not book at all gets that refusal rather than an empty
// list. dateOfBirth is as for Book.
func (r *Replica) FreeSlots(ctx context.Context, patientID int64, dateOfBirth store.Date, from store.Date, days int) ([]Slot, error) {
	const op = "replica.FreeSlots"
	now := r.clock()
	e, err := readEnrolment(ctx, r.read)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	st, err := settings(ctx, r.read)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	ch := e.channel()
	p, err := r.patientFacts(ctx, r.read, patientID, dateOfBirth, ch, now)
	if err != nil {
		return nil, wrapUnlessRule(op, err)
	}
	if err := st.CheckPatientMayBook(now, r.loc, ch, p); err != nil {
		return nil, err
	}
	lo := max(from.At(0, 0, r.loc).Unix(), now.Unix())
	hi := from.AddDays(days).At(0, 0, r.loc).Unix()
	if ch.SelfService() { // nothing past the booking window can pass CheckSlot
		hi = min(hi, st.LastBookableDay(now, r.loc).AddDays(1).At(0, 0, r.loc).Unix())
	}
	rows, err := r.read.QueryContext(ctx, slotSelect+" WHERE s.starts_at > ? AND s.starts_at < ? ORDER BY s.starts_at, s.id", lo, hi)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []Slot
	for rows.Next() {
		sl, err := scanSlot(rows, e.DeviceID, now)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		// The whole booking rule, so a slot type the patient may not have
		// (by age or sex) is never offered.
		if !sl.taken && !sl.heldElsewhere && st.CheckBooking(now, r.loc, ch, sl.facts, p) == nil {
			sl.CancelUntil = st.CancelUntil(ch, sl.StartsAt, store.StatusBooked)
			out = append(out, sl.Slot)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// Appointments lists a patient's upcoming appointments, earliest first,
// including those made here and not yet confirmed, and leaving out those
// cancelled here.
func (r *Replica) Appointments(ctx context.Context, patientID int64) ([]Appointment, error) {
	const op = "replica.Appointments"
	// Before the device is enrolled or has the practice's settings
	// (after a resync) its pending bookings still show, but nothing can
	// be cancelled here, so CancelUntil stays zero.
	e, err := readEnrolment(ctx, r.read)
	if err != nil && !errors.Is(err, ErrNotEnrolled) {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	mayCancel := err == nil
	st, err := settings(ctx, r.read)
	if err != nil && !errors.Is(err, ErrNotSynced) {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	mayCancel = mayCancel && err == nil
	rows, err := r.read.QueryContext(ctx, `SELECT server_id, local_id, slot_id, starts_at, ends_at, clinician_name,
		slot_type_name, channel, state FROM live_appointments WHERE patient_id = ? AND starts_at > ?
		ORDER BY starts_at, local_id`, patientID, r.clock().Unix())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []Appointment
	for rows.Next() {
		var a Appointment
		var sid, lid sql.NullInt64
		var starts, ends int64
		if err := rows.Scan(&sid, &lid, &a.SlotID, &starts, &ends, &a.ClinicianName, &a.SlotTypeName, &a.Channel, &a.State); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		a.Ref = Ref{ServerID: sid.Int64, LocalID: lid.Int64}
		a.StartsAt, a.EndsAt = time.Unix(starts, 0).UTC(), time.Unix(ends, 0).UTC()
		// Every appointment listed here is booked (or being booked);
		// CancelAppointment checks it as booked too.
		if mayCancel {
			a.CancelUntil = st.CancelUntil(e.channel(), a.StartsAt, store.StatusBooked)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

const repeatItemSelect = `SELECT id, name, strength, form, dosage, active, review_due, outstanding, last_issued_at
	FROM live_repeat_items`

func scanRepeatItem(sc scanner) (RepeatItem, error) {
	var it RepeatItem
	var review sql.NullString
	var issued sql.NullInt64
	if err := sc.Scan(&it.ID, &it.Name, &it.Strength, &it.Form, &it.Dosage, &it.Active, &review, &it.Outstanding, &issued); err != nil {
		return RepeatItem{}, err
	}
	if review.Valid {
		d, err := store.ParseDate(review.String)
		if err != nil {
			return RepeatItem{}, fmt.Errorf("stored review date: %w", err)
		}
		it.ReviewDue = d
	}
	it.LastIssuedAt = timeOf(issued)
	return it, nil
}

// RepeatItems lists a patient's repeat items, active first, by name.
func (r *Replica) RepeatItems(ctx context.Context, patientID int64) ([]RepeatItem, error) {
	const op = "replica.RepeatItems"
	rows, err := r.read.QueryContext(ctx, repeatItemSelect+" WHERE patient_id = ? ORDER BY active DESC, name, id", patientID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []RepeatItem
	for rows.Next() {
		it, err := scanRepeatItem(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// Requests lists a patient's repeat requests, latest ready-by day first.
func (r *Replica) Requests(ctx context.Context, patientID int64) ([]Request, error) {
	const op = "replica.Requests"
	// One transaction, so requests and their items are one snapshot.
	tx, err := r.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT server_id, local_id, state, status, ready_by FROM live_requests
		WHERE patient_id = ? ORDER BY ready_by DESC, coalesce(local_id, 0) DESC, server_id DESC`, patientID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	var out []Request
	for rows.Next() {
		var q Request
		var sid, lid sql.NullInt64
		var ready string
		if err := rows.Scan(&sid, &lid, &q.State, &q.Status, &ready); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		q.Ref = Ref{ServerID: sid.Int64, LocalID: lid.Int64}
		if q.ReadyBy, err = store.ParseDate(ready); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%s: stored ready-by day: %w", op, err)
		}
		out = append(out, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	for i := range out {
		if out[i].Items, err = requestItems(ctx, tx, out[i].Ref); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
	}
	return out, nil
}

// requestItems reads a request's items: the server's decisions for one it
// knows, "pending" for one made here.
func requestItems(ctx context.Context, q queryer, ref Ref) ([]RequestItem, error) {
	query := `SELECT i.repeat_item_id, coalesce(ri.name, ''), i.decision, i.reason FROM repeat_request_items i
		LEFT JOIN repeat_items ri ON ri.id = i.repeat_item_id WHERE i.request_id = ? ORDER BY 2, 1`
	key := ref.ServerID
	if ref.LocalID != 0 {
		query = `SELECT repeat_item_id, name, 'pending', '' FROM local_request_items WHERE local_id = ? ORDER BY 2, 1`
		key = ref.LocalID
	}
	rows, err := q.QueryContext(ctx, query, key)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RequestItem
	for rows.Next() {
		var it RequestItem
		if err := rows.Scan(&it.RepeatItemID, &it.Name, &it.Decision, &it.Reason); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}
