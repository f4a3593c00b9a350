package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Appointment statuses.
const (
	StatusBooked       = "booked"
	StatusCancelled    = "cancelled"
	StatusArrived      = "arrived"
	StatusDidNotAttend = "did_not_attend"
	StatusSeen         = "seen"
)

// Slot is a bookable time as a patient or receptionist sees it.
type Slot struct {
	ID            int64
	StartsAt      time.Time
	EndsAt        time.Time
	ClinicianID   int64
	ClinicianName string
	ClinicianRole ClinicianRole
	SlotTypeName  string
	Facts         SlotFacts
}

// Appointment is a booked (or once booked) slot.
type Appointment struct {
	ID        int64
	SlotID    int64
	PatientID int64
	Channel   Channel
	Status    string
	BookedAt  time.Time
	Slot      Slot
}

// BookingRequest asks for one slot for one patient.
type BookingRequest struct {
	SlotID    int64
	PatientID int64
	Channel   Channel
	Actor     Actor
	StaffID   int64     // the receptionist booking on the patient's behalf; 0 if none
	DeviceID  string    // the device booking, for slot leases; "" for none
	MadeAt    time.Time // when a device made the booking, if earlier than now (offline)
	// CheckInCode is the code printed on the patient's slip, if any (see
	// NewCheckInCode); only its hash is stored.
	CheckInCode string
}

const (
	slotColumns = `SELECT sl.id, sl.starts_at, sl.ends_at, sl.online_bookable, sl.release_at, sl.channel,
	c.id, c.display_name, c.role, c.online_bookable, st.name, st.online_bookable,
	st.id, st.for_sex, st.min_age_years, st.max_age_years`
	slotFrom = `
	FROM slots sl
	JOIN sessions se ON se.id = sl.session_id
	JOIN clinicians c ON c.id = se.clinician_id
	JOIN slot_types st ON st.id = sl.slot_type_id`
	slotSelect = slotColumns + slotFrom
	// bookSlotSelect is what a booking reads of its slot in one statement:
	// the slot, whether it is taken, and its lease if any.
	bookSlotSelect = slotColumns + `,
	EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = sl.id AND a.status <> 'cancelled'),
	coalesce(l.device_id, ''), coalesce(l.granted_at, 0), coalesce(l.ends_at, 0)` + slotFrom + `
	LEFT JOIN slot_leases l ON l.slot_id = sl.id
	WHERE sl.id = ?`
)

// withExtra scans a row's leading columns with scan and the rest into extra.
type withExtra struct {
	r     scanner
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.r.Scan(append(dest, w.extra...)...) }

type scanner interface{ Scan(dest ...any) error }

func scanSlot(r scanner) (Slot, error) {
	var sl Slot
	var starts, ends int64
	var release sql.NullInt64
	var channel string
	err := r.Scan(&sl.ID, &starts, &ends, &sl.Facts.OnlineBookable, &release, &channel,
		&sl.ClinicianID, &sl.ClinicianName, &sl.ClinicianRole, &sl.Facts.ClinicianOnline, &sl.SlotTypeName, &sl.Facts.TypeOnline,
		&sl.Facts.TypeID, &sl.Facts.Eligibility.Sex, &sl.Facts.Eligibility.MinAge, &sl.Facts.Eligibility.MaxAge)
	if err != nil {
		return Slot{}, err
	}
	sl.StartsAt, sl.EndsAt = time.Unix(starts, 0).UTC(), time.Unix(ends, 0).UTC()
	sl.Facts.StartsAt = sl.StartsAt
	sl.Facts.ReceptionOnly = channel == "reception"
	if release.Valid {
		sl.Facts.ReleaseAt = time.Unix(release.Int64, 0).UTC()
	}
	return sl, nil
}

// patientFacts reads what the booking rules need about a patient at now,
// booking through ch. Reception is not held to the self-service limits, so
// for it the patient's registration and future appointments (a count that
// grows with a patient's bookings) are not read.
func patientFacts(ctx context.Context, q queryRower, patientID int64, ch Channel, now time.Time) (PatientFacts, error) {
	var p PatientFacts
	var dob string
	var row *sql.Row
	if ch.SelfService() {
		row = q.QueryRowContext(ctx, `SELECT date_of_birth, sex, online_booking_suspended,
		EXISTS (SELECT 1 FROM online_registrations r WHERE r.patient_id = p.id AND r.revoked_at IS NULL
		        AND r.proxy_relationship_id IS NULL AND r.verification_method <> 'vouching'),
		(SELECT count(*) FROM appointments a JOIN slots sl ON sl.id = a.slot_id
		 WHERE a.patient_id = p.id AND a.status = 'booked' AND sl.starts_at > ?)
		FROM patients p WHERE p.id = ?`, now.Unix(), patientID)
	} else {
		row = q.QueryRowContext(ctx, "SELECT date_of_birth, sex, online_booking_suspended, 0, 0 FROM patients WHERE id = ?", patientID)
	}
	err := row.Scan(&dob, &p.Sex, &p.BookingSuspended, &p.IdentityVerified, &p.HeldAppointments)
	if errors.Is(err, sql.ErrNoRows) {
		return PatientFacts{}, RefusePatientNotFound()
	}
	if err != nil {
		return PatientFacts{}, fmt.Errorf("read patient: %w", err)
	}
	if p.DateOfBirth, err = ParseDate(dob); err != nil {
		return PatientFacts{}, fmt.Errorf("read patient: stored date of birth: %w", err)
	}
	return p, nil
}

// BookAppointment books a slot if the practice's rules allow it. The checks
// and the insert run in one write transaction, and a unique index allows one
// live appointment per slot, so two bookers can never both get it.
func (s *Store) BookAppointment(ctx context.Context, req BookingRequest) (Appointment, error) {
	var appt Appointment
	err := s.writeTx(ctx, "store.BookAppointment", func(ctx context.Context, tx *sql.Tx) error {
		var err error
		appt, err = s.book(ctx, tx, req)
		return err
	})
	return appt, err
}

func (s *Store) book(ctx context.Context, tx *sql.Tx, req BookingRequest) (Appointment, error) {
	if _, err := ParseChannel(string(req.Channel)); err != nil {
		return Appointment{}, err
	}
	now := s.Now()
	st, err := s.txSettings(ctx, tx)
	if err != nil {
		return Appointment{}, fmt.Errorf("store.BookAppointment: %w", err)
	}
	// Idle kiosks' leases go back first, so the slot's lease read below is
	// the one that stands.
	if memo := memoFrom(ctx); memo.leasesBackFor != req.DeviceID || memo.leasesBackAt != now.Unix() {
		if _, err := returnIdleLeases(ctx, tx, now, st, req.DeviceID); err != nil { // leases.go
			return Appointment{}, fmt.Errorf("store.BookAppointment: %w", err)
		}
		memo.leasesBackFor, memo.leasesBackAt = req.DeviceID, now.Unix()
	}
	var taken bool
	var holder string
	var leaseGranted, leaseEnds int64
	slot, err := scanSlot(withExtra{tx.QueryRowContext(ctx, bookSlotSelect, req.SlotID), []any{&taken, &holder, &leaseGranted, &leaseEnds}})
	if errors.Is(err, sql.ErrNoRows) {
		return Appointment{}, RefuseSlotGone()
	}
	if err != nil {
		return Appointment{}, fmt.Errorf("store.BookAppointment: read slot: %w", err)
	}
	if taken {
		return Appointment{}, RefuseSlotTaken()
	}
	// A slot leased to a kiosk is that kiosk's alone. Its offline booking of
	// the slot is firm: the rules are applied as at the moment it was made.
	at := now
	switch {
	case holder == "":
	case holder != req.DeviceID:
		return Appointment{}, RefuseSlotHeld()
	case !req.MadeAt.IsZero() && req.MadeAt.Before(now) && req.MadeAt.Unix() >= leaseGranted && req.MadeAt.Unix() < leaseEnds:
		at = req.MadeAt
	}
	p, err := patientFacts(ctx, tx, req.PatientID, req.Channel, at)
	if err != nil {
		return Appointment{}, fmt.Errorf("store.BookAppointment: %w", err)
	}
	if err := st.CheckBooking(at, s.loc, req.Channel, slot.Facts, p); err != nil {
		return Appointment{}, err
	}
	var staff any
	if req.StaffID != 0 {
		staff = req.StaffID
	}
	var codeHash any
	if req.CheckInCode != "" {
		if !ValidCheckInCode(req.CheckInCode) {
			return Appointment{}, sentCheckInCodeInvalid.refuse(ReasonInvalidInput)
		}
		codeHash = checkInCodeHash(req.CheckInCode)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO appointments
		(slot_id, patient_id, channel, status, booked_at, booked_by_staff_id, status_changed_at, checkin_code_hash)
		VALUES (?, ?, ?, 'booked', ?, ?, ?, ?)`, req.SlotID, req.PatientID, string(req.Channel), now.Unix(), staff, now.Unix(), codeHash)
	if isUniqueViolation(err) && strings.Contains(err.Error(), "checkin_code_hash") {
		return Appointment{}, sentCheckInCodeInUse.refuse(ReasonInvalidInput)
	}
	if isUniqueViolation(err) {
		return Appointment{}, RefuseSlotTaken()
	}
	if err != nil {
		return Appointment{}, fmt.Errorf("store.BookAppointment: insert: %w", err)
	}
	if holder != "" { // the lease has done its job
		if _, err := tx.ExecContext(ctx, "DELETE FROM slot_leases WHERE slot_id = ?", req.SlotID); err != nil {
			return Appointment{}, fmt.Errorf("store.BookAppointment: end lease: %w", err)
		}
	}
	id, _ := res.LastInsertId()
	appt := Appointment{ID: id, SlotID: req.SlotID, PatientID: req.PatientID, Channel: req.Channel,
		Status: StatusBooked, BookedAt: now.Truncate(time.Second), Slot: slot}
	return appt, appendAudit(ctx, tx, now, req.Actor, "appointment.book", "patient", req.PatientID,
		fmt.Sprintf("appointment=%d slot=%d channel=%s", id, req.SlotID, req.Channel))
}

func isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// CancelRequest asks to cancel an appointment. For self-service channels
// PatientID must be the appointment's patient.
type CancelRequest struct {
	AppointmentID int64
	PatientID     int64
	Channel       Channel
	Actor         Actor
	Reason        string
}

// CancelAppointment cancels a booked appointment inside the practice's
// cut-off, freeing the slot at once for every channel.
func (s *Store) CancelAppointment(ctx context.Context, req CancelRequest) error {
	return s.writeTx(ctx, "store.CancelAppointment", func(ctx context.Context, tx *sql.Tx) error { return s.cancel(ctx, tx, req) })
}

func (s *Store) cancel(ctx context.Context, tx *sql.Tx, req CancelRequest) error {
	if _, err := ParseChannel(string(req.Channel)); err != nil {
		return err
	}
	now := s.Now()
	st, err := s.txSettings(ctx, tx)
	if err != nil {
		return fmt.Errorf("store.CancelAppointment: %w", err)
	}
	var patientID, starts int64
	var status string
	err = tx.QueryRowContext(ctx, `SELECT a.patient_id, a.status, sl.starts_at FROM appointments a
		JOIN slots sl ON sl.id = a.slot_id WHERE a.id = ?`, req.AppointmentID).Scan(&patientID, &status, &starts)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && req.Channel.SelfService() && patientID != req.PatientID) {
		return RefuseAppointmentNotFound()
	}
	if err != nil {
		return fmt.Errorf("store.CancelAppointment: %w", err)
	}
	if err := st.CheckCancellation(now, req.Channel, time.Unix(starts, 0), status); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE appointments SET status = 'cancelled', status_changed_at = ?, reason = ? WHERE id = ?",
		now.Unix(), req.Reason, req.AppointmentID); err != nil {
		return fmt.Errorf("store.CancelAppointment: %w", err)
	}
	return appendAudit(ctx, tx, now, req.Actor, "appointment.cancel", "patient", patientID,
		fmt.Sprintf("appointment=%d channel=%s", req.AppointmentID, req.Channel))
}

// RecordOutcome marks a booked appointment arrived, seen or did-not-attend.
// A did-not-attend of a self-service booking may suspend the patient's
// online booking, following the practice's setting.
func (s *Store) RecordOutcome(ctx context.Context, actor Actor, appointmentID int64, outcome string) error {
	return s.writeTx(ctx, "store.RecordOutcome", func(ctx context.Context, tx *sql.Tx) error {
		return s.recordOutcome(ctx, tx, actor, appointmentID, outcome)
	})
}

// recordOutcome is the one path for an appointment's outcome, from the
// store's callers and from a desktop's record_outcome op. A booked or
// arrived appointment may become arrived, seen or did-not-attend; a
// cancelled, seen or did-not-attend one is closed.
func (s *Store) recordOutcome(ctx context.Context, tx *sql.Tx, actor Actor, appointmentID int64, outcome string) error {
	switch outcome {
	case StatusArrived, StatusSeen, StatusDidNotAttend:
	default:
		return refuse(ReasonInvalidInput, "An appointment can be marked arrived, seen or did not attend.")
	}
	now := s.Now()
	st, err := s.txSettings(ctx, tx)
	if err != nil {
		return fmt.Errorf("store.RecordOutcome: %w", err)
	}
	var patientID int64
	var status string
	err = tx.QueryRowContext(ctx, "SELECT patient_id, status FROM appointments WHERE id = ?", appointmentID).Scan(&patientID, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return refuse(ReasonNotFound, "That appointment does not exist.")
	}
	if err != nil {
		return fmt.Errorf("store.RecordOutcome: %w", err)
	}
	if status == StatusCancelled || status == StatusSeen || status == StatusDidNotAttend {
		return refuse(ReasonInvalidInput, "That appointment is already closed.")
	}
	if _, err := tx.ExecContext(ctx, "UPDATE appointments SET status = ?, status_changed_at = ? WHERE id = ?",
		outcome, now.Unix(), appointmentID); err != nil {
		return fmt.Errorf("store.RecordOutcome: %w", err)
	}
	if outcome == StatusDidNotAttend {
		var dnas int
		since := now.AddDate(0, 0, -st.DNALookbackDays).Unix()
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM appointments a JOIN slots sl ON sl.id = a.slot_id
			WHERE a.patient_id = ? AND a.status = 'did_not_attend' AND a.channel IN ('kiosk', 'online') AND sl.starts_at >= ?`,
			patientID, since).Scan(&dnas); err != nil {
			return fmt.Errorf("store.RecordOutcome: count missed: %w", err)
		}
		if st.SuspendsOnlineBooking(dnas) {
			if _, err := tx.ExecContext(ctx, "UPDATE patients SET online_booking_suspended = 1 WHERE id = ?", patientID); err != nil {
				return fmt.Errorf("store.RecordOutcome: suspend: %w", err)
			}
		}
	}
	return appendAudit(ctx, tx, now, actor, "appointment."+outcome, "patient", patientID, fmt.Sprintf("appointment=%d", appointmentID))
}

// FreeSlots lists, earliest first, the slots this patient could book now
// through channel, starting on surgery day from and for days days. A patient
// who may not book at all gets that refusal rather than an empty list.
func (s *Store) FreeSlots(ctx context.Context, patientID int64, ch Channel, from Date, days int) ([]Slot, error) {
	now := s.Now()
	st, err := loadSettings(ctx, s.read)
	if err != nil {
		return nil, fmt.Errorf("store.FreeSlots: %w", err)
	}
	p, err := patientFacts(ctx, s.read, patientID, ch, now)
	if err != nil {
		return nil, fmt.Errorf("store.FreeSlots: %w", err)
	}
	if err := st.CheckPatientMayBook(now, s.loc, ch, p); err != nil {
		return nil, err
	}
	lo := max(from.At(0, 0, s.loc).Unix(), now.Unix())
	hi := from.AddDays(days).At(0, 0, s.loc).Unix()
	if ch.SelfService() { // nothing past the booking window can pass CheckSlot
		hi = min(hi, st.LastBookableDay(now, s.loc).AddDays(1).At(0, 0, s.loc).Unix())
	}
	q := slotSelect + ` WHERE sl.starts_at > ? AND sl.starts_at < ?
		AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = sl.id AND a.status <> 'cancelled')`
	if ch.SelfService() {
		q += " AND sl.online_bookable = 1 AND c.online_bookable = 1 AND st.online_bookable = 1 AND sl.channel = 'any'"
	}
	rows, err := s.read.QueryContext(ctx, q+" ORDER BY sl.starts_at, sl.id", lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store.FreeSlots: %w", err)
	}
	defer rows.Close()
	var out []Slot
	for rows.Next() {
		sl, err := scanSlot(rows)
		if err != nil {
			return nil, fmt.Errorf("store.FreeSlots: %w", err)
		}
		if st.CheckSlot(now, s.loc, ch, sl.Facts) == nil {
			out = append(out, sl)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.FreeSlots: %w", err)
	}
	return out, nil
}

// Appointments lists a patient's appointments with the given status,
// earliest first.
func (s *Store) Appointments(ctx context.Context, patientID int64, status string) ([]Appointment, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT a.id, a.channel, a.status, a.booked_at, sl.id, sl.starts_at, sl.ends_at,
		c.display_name, st.name FROM appointments a
		JOIN slots sl ON sl.id = a.slot_id JOIN sessions se ON se.id = sl.session_id
		JOIN clinicians c ON c.id = se.clinician_id JOIN slot_types st ON st.id = sl.slot_type_id
		WHERE a.patient_id = ? AND a.status = ? ORDER BY sl.starts_at`, patientID, status)
	if err != nil {
		return nil, fmt.Errorf("store.Appointments: %w", err)
	}
	defer rows.Close()
	var out []Appointment
	for rows.Next() {
		a := Appointment{PatientID: patientID}
		var booked, starts, ends int64
		if err := rows.Scan(&a.ID, &a.Channel, &a.Status, &booked, &a.SlotID, &starts, &ends,
			&a.Slot.ClinicianName, &a.Slot.SlotTypeName); err != nil {
			return nil, fmt.Errorf("store.Appointments: %w", err)
		}
		a.BookedAt = time.Unix(booked, 0).UTC()
		a.Slot.ID, a.Slot.StartsAt, a.Slot.EndsAt = a.SlotID, time.Unix(starts, 0).UTC(), time.Unix(ends, 0).UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}
