package replica

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// Ref names an appointment or repeat request on this device. One the
// server knows has ServerID. One made here has LocalID, its local row key,
// from the moment it is made; the row keeps that key after the server
// confirms it (ServerID is then set too), so a Ref the UI is holding stays
// valid across a sync. Pass a Ref back exactly as a query returned it.
type Ref struct {
	ServerID int64
	LocalID  int64
}

// State is how sure an appointment or request is.
type State string

// The states. Firm and provisional are both waiting for the server; a firm
// booking was made under this device's own lease, so the server will take
// it unless the patient's own rules fail.
const (
	StateConfirmed   State = "confirmed"
	StateFirm        State = "firm"
	StateProvisional State = "provisional"
)

// Slot is a bookable time as the device sees it.
type Slot struct {
	ID            int64
	StartsAt      time.Time
	EndsAt        time.Time
	ClinicianID   int64
	ClinicianName string
	ClinicianRole string
	SlotTypeID    int64
	SlotTypeName  string
	// Leased: this device holds the slot's lease, so booking it here is
	// firm even offline.
	Leased bool
	// CancelUntil is the last instant an appointment booked in this slot
	// here could be cancelled here (store.Settings.CancelUntil with this
	// device's channel): at a kiosk, the cancellation cut-off before the
	// start. A time offered with less notice than the cut-off has a
	// CancelUntil already past: once booked, it cannot be cancelled here.
	CancelUntil time.Time
}

// LocalBooking is a booking just made on this device.
type LocalBooking struct {
	Ref   Ref
	OpID  string
	State State // StateFirm or StateProvisional
	Slot  Slot
	// CheckInCode is for the patient's slip only: scanned on arrival it
	// checks them in. The device does not keep it.
	CheckInCode string
}

// LocalRequest is a repeat request just made on this device.
type LocalRequest struct {
	Ref     Ref
	OpID    string
	ReadyBy store.Date // as the rules promise; the server's answer may move it
	ItemIDs []int64
}

// actor is what every action needs first: who this device is and the
// practice's settings.
func actor(ctx context.Context, tx *sql.Tx) (Enrolment, store.Settings, error) {
	e, err := readEnrolment(ctx, tx)
	if err != nil {
		return Enrolment{}, store.Settings{}, err
	}
	st, err := settings(ctx, tx)
	if err != nil {
		return Enrolment{}, store.Settings{}, err
	}
	return e, st, nil
}

// slotRow is a slot with what the rules and the lease need.
type slotRow struct {
	Slot
	facts         store.SlotFacts
	taken         bool
	heldElsewhere bool
}

const slotSelect = `SELECT s.id, s.starts_at, s.ends_at, s.clinician_id, coalesce(c.display_name, ''), coalesce(c.role, ''),
	s.slot_type_id, coalesce(t.name, ''), s.online_bookable, coalesce(c.online_bookable, 0), coalesce(t.online_bookable, 0),
	s.reception_only, s.release_at, coalesce(t.for_sex, ''), coalesce(t.min_age_years, 0), coalesce(t.max_age_years, 0),
	s.taken OR EXISTS (SELECT 1 FROM live_appointments la WHERE la.slot_id = s.id),
	s.leased_to, s.lease_ends_at
	FROM slots s LEFT JOIN clinicians c ON c.id = s.clinician_id LEFT JOIN slot_types t ON t.id = s.slot_type_id`

type scanner interface{ Scan(dest ...any) error }

func scanSlot(sc scanner, deviceID string, now time.Time) (slotRow, error) {
	var s slotRow
	var starts, ends int64
	var release, leaseEnds sql.NullInt64
	var leasedTo string
	if err := sc.Scan(&s.ID, &starts, &ends, &s.ClinicianID, &s.ClinicianName, &s.ClinicianRole, &s.SlotTypeID, &s.SlotTypeName,
		&s.facts.OnlineBookable, &s.facts.ClinicianOnline, &s.facts.TypeOnline, &s.facts.ReceptionOnly, &release,
		&s.facts.Eligibility.Sex, &s.facts.Eligibility.MinAge, &s.facts.Eligibility.MaxAge, &s.taken, &leasedTo, &leaseEnds); err != nil {
		return slotRow{}, err
	}
	s.StartsAt, s.EndsAt = time.Unix(starts, 0).UTC(), time.Unix(ends, 0).UTC()
	s.facts.StartsAt = s.StartsAt
	s.facts.TypeID = s.SlotTypeID
	s.facts.ReleaseAt = timeOf(release)
	s.Leased, s.heldElsewhere = lease(leasedTo, timeOf(leaseEnds), deviceID, now)
	return s, nil
}

// lease says how a slot's lease stands for device self at now: mine (a
// booking here is firm) or held by another device (the server refuses
// anyone else it: slot_held). A lease ends at endsAt; one whose end is
// unknown is never firm here and always held elsewhere, the safe side.
func lease(leasedTo string, endsAt time.Time, self string, now time.Time) (mine, elsewhere bool) {
	switch {
	case leasedTo == "":
		return false, false
	case leasedTo == self:
		return !endsAt.IsZero() && now.Before(endsAt), false
	default:
		return false, endsAt.IsZero() || now.Before(endsAt)
	}
}

// patientFacts gathers what the booking rules need about a patient. dob is
// the date of birth the caller has (a kiosk has none stored: the patient
// typed it to sign in); zero means use the stored one (desktop).
func (r *Replica) patientFacts(ctx context.Context, q queryer, patientID int64, dob store.Date, ch store.Channel, now time.Time) (store.PatientFacts, error) {
	var p store.PatientFacts
	var stored sql.NullString
	var sex sql.NullString
	err := q.QueryRowContext(ctx, `SELECT p.date_of_birth, p.sex, p.online_booking_suspended, p.identity_verified,
		(SELECT count(*) FROM live_appointments la WHERE la.patient_id = p.id AND la.starts_at > ?)
		FROM patients p WHERE p.id = ?`, now.Unix(), patientID).Scan(&stored, &sex, &p.BookingSuspended, &p.IdentityVerified, &p.HeldAppointments)
	if errors.Is(err, sql.ErrNoRows) {
		return store.PatientFacts{}, errPatientNotFound()
	}
	if err != nil {
		return store.PatientFacts{}, fmt.Errorf("read patient: %w", err)
	}
	p.Sex = store.Sex(sex.String) // a kiosk holds none: the server's list below stands in
	rows, err := q.QueryContext(ctx, "SELECT slot_type_id FROM patient_not_eligible WHERE patient_id = ?", patientID)
	if err != nil {
		return store.PatientFacts{}, fmt.Errorf("read patient: %w", err)
	}
	for rows.Next() {
		var t int64
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return store.PatientFacts{}, fmt.Errorf("read patient: %w", err)
		}
		p.NotEligibleTypes = append(p.NotEligibleTypes, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.PatientFacts{}, fmt.Errorf("read patient: %w", err)
	}
	p.DateOfBirth = dob
	if dob.IsZero() && stored.Valid {
		if p.DateOfBirth, err = store.ParseDate(stored.String); err != nil {
			return store.PatientFacts{}, fmt.Errorf("read patient: stored date of birth: %w", err)
		}
	}
	if p.DateOfBirth.IsZero() && ch.SelfService() {
		return store.PatientFacts{}, errNeedDateOfBirth() // the age rule needs it
	}
	return p, nil
}

// Book books a slot for a patient on this device: the local appointment
// shows at once and the book op waits in the outbox, both written in one
// transaction. It is firm if this device holds the slot's lease, otherwise
// provisional until the server answers. A refusal is a *store.RuleError
// and writes nothing.
func (r *Replica) Book(ctx context.Context, patientID, slotID int64, dateOfBirth store.Date) (LocalBooking, error) {
	return r.book(ctx, "replica.Book", r.patientSigner(patientID), patientID, slotID, dateOfBirth)
}

// book is Book made by someone: the patient signed in at a kiosk, or a
// member of staff at a desktop.
func (r *Replica) book(ctx context.Context, op string, by signer, patientID, slotID int64, dateOfBirth store.Date) (LocalBooking, error) {
	var out LocalBooking
	err := r.inTx(ctx, op, func(tx *sql.Tx) error {
		now := r.clock()
		e, st, err := actor(ctx, tx)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		ch := e.channel()
		sl, err := scanSlot(tx.QueryRowContext(ctx, slotSelect+" WHERE s.id = ?", slotID), e.DeviceID, now)
		if errors.Is(err, sql.ErrNoRows) {
			return errSlotGone()
		}
		if err != nil {
			return fmt.Errorf("%s: read slot: %w", op, err)
		}
		if sl.taken {
			return errSlotTaken()
		}
		if sl.heldElsewhere {
			return errSlotHeld()
		}
		p, err := r.patientFacts(ctx, tx, patientID, dateOfBirth, ch, now)
		if err != nil {
			return wrapUnlessRule(op, err)
		}
		if err := st.CheckBooking(now, r.loc, ch, sl.facts, p); err != nil {
			return err
		}
		sl.CancelUntil = st.CancelUntil(ch, sl.StartsAt, store.StatusBooked)
		code, err := store.NewCheckInCode()
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		opID, err := r.enqueueAs(ctx, tx, by, gpsync.OpBook, gpsync.BookPayload{SlotID: slotID, PatientID: patientID, CheckInCode: code}, "")
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO local_appointments (op_id, slot_id, patient_id, channel, firm, booked_at,
			starts_at, ends_at, clinician_id, slot_type_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			opID, slotID, patientID, string(ch), sl.Leased, now.Unix(), sl.StartsAt.Unix(), sl.EndsAt.Unix(),
			sl.ClinicianID, sl.SlotTypeID)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		localID, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		out = LocalBooking{Ref: Ref{LocalID: localID}, OpID: opID, State: StateProvisional, Slot: sl.Slot, CheckInCode: code}
		if sl.Leased {
			out.State = StateFirm
		}
		return nil
	})
	return out, err
}

// wrapUnlessRule adds the op name to a fault but returns a refusal as it
// is, like store does, so callers can show its Message.
func wrapUnlessRule(op string, err error) error {
	if _, ok := store.AsRuleError(err); ok {
		return err
	}
	return fmt.Errorf("%s: %w", op, err)
}

// liveRow is an appointment or request as the live_* views show it.
type liveRow struct {
	serverID  sql.NullInt64
	localID   sql.NullInt64
	opID      sql.NullString // the unanswered op that made it, if not yet confirmed
	patientID int64
}

// resolve finds the live row ref names in view (live_appointments or
// live_requests; local the matching local_* table). A LocalID whose row
// the server has since confirmed resolves to the server's row.
func resolve(ctx context.Context, q queryer, view, local string, ref Ref, extra string, dest ...any) (liveRow, error) {
	if ref.LocalID != 0 {
		var sid sql.NullInt64
		err := q.QueryRowContext(ctx, "SELECT server_id FROM "+local+" WHERE local_id = ?", ref.LocalID).Scan(&sid)
		if err != nil {
			return liveRow{}, err // sql.ErrNoRows: not found
		}
		if !sid.Valid {
			return scanLive(q.QueryRowContext(ctx, "SELECT server_id, local_id, op_id, patient_id"+extra+" FROM "+view+
				" WHERE local_id = ?", ref.LocalID), dest)
		}
		ref.ServerID = sid.Int64
	}
	if ref.ServerID == 0 {
		return liveRow{}, sql.ErrNoRows
	}
	return scanLive(q.QueryRowContext(ctx, "SELECT server_id, local_id, op_id, patient_id"+extra+" FROM "+view+
		" WHERE server_id = ?", ref.ServerID), dest)
}

func scanLive(row *sql.Row, dest []any) (liveRow, error) {
	var l liveRow
	err := row.Scan(append([]any{&l.serverID, &l.localID, &l.opID, &l.patientID}, dest...)...)
	return l, err
}

// CancelAppointment cancels a patient's appointment, server-known or made
// here and not yet confirmed; it disappears at once. Cancelling one still
// waiting for the server queues a cancel that is sent once the booking is
// answered (and dropped if the booking is rejected). It returns the op ID.
// The slot stays taken here until the feed says otherwise, so nobody is
// offered a time the server may not free.
func (r *Replica) CancelAppointment(ctx context.Context, patientID int64, ref Ref) (string, error) {
	return r.cancelAppointment(ctx, "replica.CancelAppointment", r.patientSigner(patientID), patientID, ref)
}

// cancelAppointment is CancelAppointment made by someone, as book.
func (r *Replica) cancelAppointment(ctx context.Context, op string, by signer, patientID int64, ref Ref) (string, error) {
	var opID string
	err := r.inTx(ctx, op, func(tx *sql.Tx) error {
		now := r.clock()
		e, st, err := actor(ctx, tx)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		var starts sql.NullInt64
		l, err := resolve(ctx, tx, "live_appointments", "local_appointments", ref, ", starts_at", &starts)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && l.patientID != patientID) {
			return errAppointmentNotFound()
		}
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if err := st.CheckCancellation(now, e.channel(), timeOf(starts), store.StatusBooked); err != nil {
			return err
		}
		opID, err = r.enqueueAs(ctx, tx, by, gpsync.OpCancelAppointment,
			gpsync.CancelAppointmentPayload{AppointmentID: l.serverID.Int64, BookingRef: l.waitFor(), PatientID: patientID}, l.waitFor())
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		return addCancel(ctx, tx, opID, "appointment", l)
	})
	return opID, err
}

// waitFor is the op a cancel of this row must wait for, and names what it
// cancels by: the one that made it, while the server has not given it an
// ID.
func (l liveRow) waitFor() string {
	if l.serverID.Valid {
		return ""
	}
	return l.opID.String
}

func addCancel(ctx context.Context, tx *sql.Tx, opID, entity string, l liveRow) error {
	if _, err := tx.ExecContext(ctx, "INSERT INTO local_cancels (op_id, entity, server_id, local_id) VALUES (?, ?, ?, ?)",
		opID, entity, l.serverID, l.localID); err != nil {
		return fmt.Errorf("record cancel: %w", err)
	}
	return nil
}

// OrderRepeats asks for some of a patient's repeat items. The request
// shows at once, ready by the day the practice's rules give; the items
// count as outstanding here until the server answers.
func (r *Replica) OrderRepeats(ctx context.Context, patientID int64, itemIDs []int64, note string) (LocalRequest, error) {
	const op = "replica.OrderRepeats"
	var out LocalRequest
	err := r.inTx(ctx, op, func(tx *sql.Tx) error {
		now := r.clock()
		e, st, err := actor(ctx, tx)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		var unsuitable bool
		err = tx.QueryRowContext(ctx, "SELECT online_ordering_unsuitable FROM patients WHERE id = ?", patientID).Scan(&unsuitable)
		if errors.Is(err, sql.ErrNoRows) {
			return errPatientNotFound()
		}
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		var ids []int64
		var facts []store.RepeatItemFacts
		for _, id := range itemIDs {
			if slices.Contains(ids, id) {
				continue
			}
			it, err := scanRepeatItem(tx.QueryRowContext(ctx, repeatItemSelect+" WHERE id = ? AND patient_id = ?", id, patientID))
			if errors.Is(err, sql.ErrNoRows) {
				return errItemNotOnList()
			}
			if err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
			ids = append(ids, id)
			facts = append(facts, store.RepeatItemFacts{Name: it.Name, Active: it.Active, ReviewDue: it.ReviewDue, Outstanding: it.Outstanding})
		}
		note = strings.TrimSpace(note)
		if err := st.CheckRepeatRequest(store.DateOf(now, r.loc), e.channel(), unsuitable, facts, note); err != nil {
			return err
		}
		ready := st.RepeatReadyBy(now, r.loc)
		opID, err := r.enqueueAs(ctx, tx, r.patientSigner(patientID), gpsync.OpOrderRepeats, gpsync.OrderRepeatsPayload{PatientID: patientID, ItemIDs: ids, Note: note}, "")
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO local_requests (op_id, patient_id, requested_at, ready_by) VALUES (?, ?, ?, ?)",
			opID, patientID, now.Unix(), ready.String())
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		localID, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		for i, id := range ids {
			if _, err := tx.ExecContext(ctx, "INSERT INTO local_request_items (local_id, repeat_item_id, name) VALUES (?, ?, ?)",
				localID, id, facts[i].Name); err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
		}
		out = LocalRequest{Ref: Ref{LocalID: localID}, OpID: opID, ReadyBy: ready, ItemIDs: ids}
		return nil
	})
	return out, err
}

// CancelRequest cancels a patient's pending repeat request, server-known
// or made here; it shows as cancelled at once. It returns the op ID.
func (r *Replica) CancelRequest(ctx context.Context, patientID int64, ref Ref) (string, error) {
	const op = "replica.CancelRequest"
	var opID string
	err := r.inTx(ctx, op, func(tx *sql.Tx) error {
		var status string
		l, err := resolve(ctx, tx, "live_requests", "local_requests", ref, ", status", &status)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && l.patientID != patientID) {
			return errRequestNotFound()
		}
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if status != "pending" {
			return errRequestDealtWith()
		}
		opID, err = r.enqueueAs(ctx, tx, r.patientSigner(patientID), gpsync.OpCancelRequest,
			gpsync.CancelRequestPayload{PatientID: patientID, RequestID: l.serverID.Int64, OrderRef: l.waitFor()}, l.waitFor())
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		return addCancel(ctx, tx, opID, "repeat_request", l)
	})
	return opID, err
}

// ReportProblem queues a problem report for the practice. It returns the
// op ID.
func (r *Replica) ReportProblem(ctx context.Context, category, description string) (string, error) {
	category, description = strings.TrimSpace(category), strings.TrimSpace(description)
	if description == "" {
		return "", store.SentenceDescribeProblem.Refuse(store.ReasonInvalidInput)
	}
	if utf8.RuneCountInString(description) > store.MaxProblemChars {
		return "", store.SentenceProblemTooLong.Refuse(store.ReasonInvalidInput, strconv.Itoa(store.MaxProblemChars))
	}
	return r.enqueueAlone(ctx, "replica.ReportProblem", gpsync.OpReportProblem,
		gpsync.ReportProblemPayload{Category: category, Description: description})
}

// AskForHelp queues an alert to reception that someone at this device
// needs help. It returns the op ID.
func (r *Replica) AskForHelp(ctx context.Context, note string) (string, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > store.MaxProblemChars {
		return "", store.SentenceHelpNoteTooLong.Refuse(store.ReasonInvalidInput, strconv.Itoa(store.MaxProblemChars))
	}
	return r.enqueueAlone(ctx, "replica.AskForHelp", gpsync.OpAskForHelp, gpsync.AskForHelpPayload{Note: note})
}

// CountLesson queues one completed practice-mode lesson for the practice's
// anonymous counts: the lesson's id and the day, and nothing about who did
// it (no patient, no member of staff, even on a desktop with someone
// signed in). The server checks the day against its own clock, so the day
// is only checked to exist here.
func (r *Replica) CountLesson(ctx context.Context, lesson string, day store.Date) error {
	const op = "replica.CountLesson"
	if err := store.CheckLessonID(lesson); err != nil {
		return err
	}
	if _, err := store.NewDate(day.Year, day.Month, day.Day); err != nil {
		return err
	}
	_, err := r.enqueueAlone(ctx, op, gpsync.OpCountLesson, gpsync.CountLessonPayload{Lesson: lesson, Day: day.String()})
	return err
}

// WithdrawHelp takes back a call for help that has not been sent, when
// the kiosk could not reach the practice and told the patient to go to
// the desk instead: reception should not get it later, when nobody is
// waiting. It reports whether the call was still unsent; one already on
// its way (or another kind of op) is left alone.
func (r *Replica) WithdrawHelp(ctx context.Context, opID string) (bool, error) {
	const op = "replica.WithdrawHelp"
	res, err := r.write.ExecContext(ctx, "UPDATE outbox SET status = ?, answered_at = ? WHERE op_id = ? AND kind = ? AND status IS NULL",
		statusDropped, r.clock().Unix(), opID, gpsync.OpAskForHelp)
	if err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	return n == 1, nil
}

// enqueueAlone writes an op whose only local effect is its outbox row.
func (r *Replica) enqueueAlone(ctx context.Context, op, kind string, payload any) (string, error) {
	var opID string
	err := r.inTx(ctx, op, func(tx *sql.Tx) error {
		var err error
		if opID, err = r.enqueue(ctx, tx, kind, payload, ""); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		return nil
	})
	return opID, err
}
