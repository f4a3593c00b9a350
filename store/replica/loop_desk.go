package replica

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// The desk's side of the loop (issue 11). Every method takes the signed-in
// member of staff and asks store.StaffMay, the server's own rule, before
// reading or changing anything. An action writes its op and its local
// effect in one transaction, so the screen shows it at once, offline too;
// the server's answer arrives through RecordResults (outbox.go).

// deskMay refuses anyone but a signed-in member of staff at a desktop
// whose role may make ops of kind, in the practice's settings as last
// synced. It returns those settings.
func (r *Replica) deskMay(ctx context.Context, q queryer, staff StaffMember, kind string) (Enrolment, store.Settings, error) {
	if staff.ID == 0 {
		return Enrolment{}, store.Settings{}, errSignInFirst()
	}
	e, err := readEnrolment(ctx, q)
	if err != nil {
		return Enrolment{}, store.Settings{}, err
	}
	if e.Role != gpsync.RoleDesktop {
		return Enrolment{}, store.Settings{}, refuse(store.ReasonStaffNotAllowed, "Only a member of staff signed in at a staff desktop can do that.")
	}
	st, err := settings(ctx, q)
	if err != nil {
		return Enrolment{}, store.Settings{}, err
	}
	// An op kind is the store request kind of the same name (sync/server
	// tests that every op kind maps to its namesake).
	if !store.StaffMay(store.RequestKind(kind), staff.Role, st) {
		return Enrolment{}, store.Settings{}, errRoleMayNot(kind)
	}
	return e, st, nil
}

// errRoleMayNot says, for each kind of desk work, who may do it instead.
func errRoleMayNot(kind string) error {
	switch kind {
	case gpsync.OpDecideRepeats:
		return refuse(store.ReasonStaffNotAllowed, "Only a clinician can decide repeat prescription requests.")
	case gpsync.OpHandOutRepeats:
		return refuse(store.ReasonStaffNotAllowed, "Only reception staff and the practice manager can hand out prescriptions.")
	case gpsync.OpHandleAlert:
		return refuse(store.ReasonStaffNotAllowed, "Only reception staff and the practice manager deal with help requests and problem reports here. The practice manager can let clinicians do it too.")
	}
	return refuse(store.ReasonStaffNotAllowed, "Your staff role cannot do that. Ask a receptionist or the practice manager.")
}

// deskErr returns a refusal as it is and wraps anything else with op.
func deskErr(op string, err error) error {
	if err == nil {
		return nil
	}
	return wrapUnlessRule(op, err)
}

// when is a moment as the desk's sentences say it: "09:05 on Tuesday 9 June".
func (r *Replica) when(t time.Time) string {
	return t.In(r.loc).Format("15:04 on Monday 2 January")
}

// staffName is a member of staff's display name, "" if this desktop does
// not know them.
func staffName(ctx context.Context, q queryer, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	var name string
	err := q.QueryRowContext(ctx, "SELECT display_name FROM staff WHERE id = ?", id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return name, err
}

// requestFrom is what the queues read of a request and its patient.
const requestFrom = `SELECT r.id, r.patient_id, coalesce(p.given_name, ''), coalesce(p.family_name, ''), coalesce(p.nhs_number, ''),
	coalesce(p.date_of_birth, ''), coalesce(p.online_ordering_unsuitable, 0), r.requested_at, coalesce(r.channel, ''),
	coalesce(r.note, ''), r.ready_by, r.handed_out,
	(SELECT max(local_ready_by) FROM desk_request_items d WHERE d.request_id = r.id AND d.local_op IS NOT NULL),
	EXISTS (SELECT 1 FROM desk_request_items d JOIN outbox o ON o.op_id = d.local_op WHERE d.request_id = r.id AND o.status IS NULL)
FROM repeat_requests r LEFT JOIN patients p ON p.id = r.patient_id
WHERE NOT EXISTS (SELECT 1 FROM local_cancels x WHERE x.entity = 'repeat_request' AND x.server_id = r.id) AND `

// requestEntries reads the requests where selects, oldest first, with
// their items, as one snapshot.
func (r *Replica) requestEntries(ctx context.Context, op, where string, args ...any) ([]RepeatRequestEntry, error) {
	tx, err := r.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, requestFrom+where+" ORDER BY coalesce(r.requested_at, 0), r.id", args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	var out []RepeatRequestEntry
	for rows.Next() {
		var e RepeatRequestEntry
		var given, family, dob, ready string
		var requested sql.NullInt64
		var localReady sql.NullString
		if err := rows.Scan(&e.RequestID, &e.PatientID, &given, &family, &e.NHSNumber, &dob, &e.OrderingUnsuitable, &requested,
			&e.Channel, &e.Note, &ready, &e.HandedOut, &localReady, &e.Waiting); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		e.PatientName = strings.TrimSpace(given + " " + family)
		e.RequestedAt = timeOf(requested)
		if dob != "" {
			if e.DateOfBirth, err = store.ParseDate(dob); err != nil {
				rows.Close()
				return nil, fmt.Errorf("%s: stored date of birth: %w", op, err)
			}
		}
		// A day promised here by an approval not yet answered can only be
		// later than the request's own.
		if localReady.String > ready {
			ready = localReady.String
		}
		if e.ReadyBy, err = store.ParseDate(ready); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%s: stored ready-by day: %w", op, err)
		}
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	today := store.DateOf(r.clock(), r.loc)
	for i := range out {
		if out[i].Items, err = entryItems(ctx, tx, out[i].RequestID, today); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
	}
	return out, nil
}

func entryItems(ctx context.Context, q queryer, requestID int64, today store.Date) ([]RepeatRequestEntryItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT d.repeat_item_id, coalesce(ri.name, ''), coalesce(ri.strength, ''), coalesce(ri.form, ''),
		coalesce(ri.dosage, ''), ri.review_due, ri.last_issued_at, d.decision, d.reason_code, d.reason
		FROM desk_request_items d LEFT JOIN repeat_items ri ON ri.id = d.repeat_item_id
		WHERE d.request_id = ? ORDER BY 2, 1`, requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RepeatRequestEntryItem
	for rows.Next() {
		var it RepeatRequestEntryItem
		var review sql.NullString
		var issued sql.NullInt64
		if err := rows.Scan(&it.RepeatItemID, &it.Name, &it.Strength, &it.Form, &it.Dosage, &review, &issued, &it.Decision,
			&it.ReasonCode, &it.Reason); err != nil {
			return nil, err
		}
		if review.Valid {
			if it.ReviewDue, err = store.ParseDate(review.String); err != nil {
				return nil, fmt.Errorf("stored review date: %w", err)
			}
			// The same test the ordering rule applies (CheckRepeatRequest).
			it.ReviewOverdue = !today.Before(it.ReviewDue)
		}
		it.LastIssuedAt = timeOf(issued)
		out = append(out, it)
	}
	return out, rows.Err()
}

// RepeatQueue lists the repeat requests waiting for a prescriber, oldest
// first: pending requests with at least one item nobody has decided. A
// request decided here in part stays, with Waiting set and the items
// decided here showing their decision; one decided here in full leaves
// the queue at once (and returns if the server refuses the decision).
func (r *Replica) RepeatQueue(ctx context.Context, staff StaffMember) ([]RepeatRequestEntry, error) {
	const op = "replica.RepeatQueue"
	if _, _, err := r.deskMay(ctx, r.read, staff, gpsync.OpDecideRepeats); err != nil {
		return nil, deskErr(op, err)
	}
	return r.requestEntries(ctx, op, `r.status = 'pending'
		AND EXISTS (SELECT 1 FROM desk_request_items d WHERE d.request_id = r.id AND d.decision = 'pending')`)
}

// ReadyToHandOut lists, oldest first, decided requests with an approved
// item that has not been collected or sent to the pharmacy. One decided
// here in full is listed at once (Waiting until the server answers); one
// handed out here leaves the list at once.
func (r *Replica) ReadyToHandOut(ctx context.Context, staff StaffMember) ([]RepeatRequestEntry, error) {
	const op = "replica.ReadyToHandOut"
	if _, _, err := r.deskMay(ctx, r.read, staff, gpsync.OpHandOutRepeats); err != nil {
		return nil, deskErr(op, err)
	}
	return r.requestEntries(ctx, op, `r.status IN ('pending', 'completed') AND r.handed_out = ''
		AND NOT EXISTS (SELECT 1 FROM local_handouts h WHERE h.request_id = r.id)
		AND NOT EXISTS (SELECT 1 FROM desk_request_items d WHERE d.request_id = r.id AND d.decision = 'pending')
		AND EXISTS (SELECT 1 FROM desk_request_items d WHERE d.request_id = r.id AND d.decision = 'approved')`)
}

// checkDecisions tidies a decision as the screen made it (an approval
// carries no reason) and checks it by the server's own rule.
func checkDecisions(ds []gpsync.ItemDecision) ([]gpsync.ItemDecision, error) {
	out := make([]gpsync.ItemDecision, 0, len(ds))
	check := make([]store.ItemDecision, 0, len(ds))
	for _, d := range ds {
		d.Reason = strings.TrimSpace(d.Reason)
		if d.Approve {
			d.ReasonCode, d.Reason = "", ""
		}
		out = append(out, d)
		check = append(check, store.ItemDecision{RepeatItemID: d.RepeatItemID, Approve: d.Approve, ReasonCode: d.ReasonCode, Reason: d.Reason})
	}
	return out, store.CheckDecisions(check)
}

// DecideRepeats approves or declines some or all of a pending request's
// pending items. The decision shows at once and goes to the server, which
// decides: if another prescriber got there first, the decision is undone
// here and listed under needs attention for whoever made it. A refusal
// writes nothing. It returns the op ID.
func (r *Replica) DecideRepeats(ctx context.Context, staff StaffMember, requestID int64, d []gpsync.ItemDecision) (string, error) {
	const op = "replica.DecideRepeats"
	var opID string
	err := r.inTx(ctx, op, func(tx *sql.Tx) error {
		_, st, err := r.deskMay(ctx, tx, staff, gpsync.OpDecideRepeats)
		if err != nil {
			return err
		}
		ds, err := checkDecisions(d)
		if err != nil {
			return err
		}
		var status, ready string
		var cancelledHere bool
		err = tx.QueryRowContext(ctx, `SELECT status, ready_by, EXISTS (SELECT 1 FROM local_cancels x WHERE x.entity = 'repeat_request'
			AND x.server_id = r.id) FROM repeat_requests r WHERE id = ?`, requestID).Scan(&status, &ready, &cancelledHere)
		if errors.Is(err, sql.ErrNoRows) {
			return errRequestNotFound()
		}
		if err != nil {
			return err
		}
		if status == "cancelled" || cancelledHere {
			return refuse(store.ReasonAlreadyDecided, "The patient has cancelled this request, so there is nothing to decide.")
		}
		for _, it := range ds {
			if err := r.checkItemPending(ctx, tx, requestID, it.RepeatItemID); err != nil {
				return err
			}
		}
		now := r.clock()
		readyBy := ""
		if slices.ContainsFunc(ds, func(d gpsync.ItemDecision) bool { return d.Approve }) {
			// The working-day rule from the approval, never earlier than
			// the day first promised; the server's answer replaces it.
			readyBy = max(st.RepeatReadyBy(now, r.loc).String(), ready)
		}
		if opID, err = r.enqueueAs(ctx, tx, staff.signer(), gpsync.OpDecideRepeats, gpsync.DecideRepeatsPayload{RequestID: requestID, Items: ds}, ""); err != nil {
			return err
		}
		for _, it := range ds {
			decision := "declined"
			if it.Approve {
				decision = "approved"
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO local_decisions (op_id, request_id, repeat_item_id, decision, reason_code, reason, ready_by)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, opID, requestID, it.RepeatItemID, decision, it.ReasonCode, it.Reason, readyBy); err != nil {
				return err
			}
		}
		return nil
	})
	return opID, deskErr(op, err)
}

// checkItemPending refuses an item that is not on the request or that
// someone has decided already, saying who and when if this desktop knows.
func (r *Replica) checkItemPending(ctx context.Context, tx *sql.Tx, requestID, itemID int64) error {
	var name, decision string
	var local sql.NullString
	var by, at sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT coalesce(ri.name, ''), d.decision, d.local_op, d.decided_by, d.decided_at
		FROM desk_request_items d LEFT JOIN repeat_items ri ON ri.id = d.repeat_item_id
		WHERE d.request_id = ? AND d.repeat_item_id = ?`, requestID, itemID).Scan(&name, &decision, &local, &by, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return refuse(store.ReasonNotFound, "That medicine is not part of this request.")
	}
	if err != nil {
		return err
	}
	if name == "" {
		name = "That medicine"
	}
	switch {
	case decision == "pending":
		return nil
	case decision == "cancelled":
		return refuse(store.ReasonAlreadyDecided, fmt.Sprintf("%s was cancelled by the patient, so there is nothing to decide.", name))
	case local.Valid:
		return refuse(store.ReasonAlreadyDecided, fmt.Sprintf("%s has already been decided on this computer.", name))
	}
	who, err := staffName(ctx, tx, by.Int64)
	if err != nil {
		return err
	}
	switch {
	case who != "" && at.Valid:
		return refuse(store.ReasonAlreadyDecided, fmt.Sprintf("%s was already %s by %s at %s.", name, decision, who, r.when(timeOf(at))))
	case who != "":
		return refuse(store.ReasonAlreadyDecided, fmt.Sprintf("%s was already %s by %s.", name, decision, who))
	}
	return refuse(store.ReasonAlreadyDecided, fmt.Sprintf("%s has already been %s.", name, decision))
}

// HandOutRepeats records that a decided request's approved items were
// collected (how gpsync.HandedOutCollected) or sent to the pharmacy
// (gpsync.HandedOutPharmacy). It returns the op ID.
func (r *Replica) HandOutRepeats(ctx context.Context, staff StaffMember, requestID int64, how string) (string, error) {
	const op = "replica.HandOutRepeats"
	var opID string
	err := r.inTx(ctx, op, func(tx *sql.Tx) error {
		if _, _, err := r.deskMay(ctx, tx, staff, gpsync.OpHandOutRepeats); err != nil {
			return err
		}
		if how != gpsync.HandedOutCollected && how != gpsync.HandedOutPharmacy {
			return refuse(store.ReasonInvalidInput, "Say whether the prescription was collected or sent to the pharmacy.")
		}
		var status, handed string
		var localHow sql.NullString
		var pending, approved bool
		err := tx.QueryRowContext(ctx, `SELECT status, handed_out,
			(SELECT how FROM local_handouts h WHERE h.request_id = r.id),
			EXISTS (SELECT 1 FROM desk_request_items d WHERE d.request_id = r.id AND d.decision = 'pending'),
			EXISTS (SELECT 1 FROM desk_request_items d WHERE d.request_id = r.id AND d.decision = 'approved')
			FROM repeat_requests r WHERE id = ?`, requestID).Scan(&status, &handed, &localHow, &pending, &approved)
		if errors.Is(err, sql.ErrNoRows) {
			return errRequestNotFound()
		}
		if err != nil {
			return err
		}
		if localHow.Valid {
			handed = localHow.String
		}
		switch {
		case handed == gpsync.HandedOutCollected:
			return refuse(store.ReasonAlreadyHandled, "This prescription has already been marked collected.")
		case handed != "":
			return refuse(store.ReasonAlreadyHandled, "This prescription has already been sent to the pharmacy.")
		case status == "cancelled" || pending || !approved:
			return refuse(store.ReasonInvalidInput, "Nothing on this request has been approved yet, so there is nothing to hand out.")
		}
		if opID, err = r.enqueueAs(ctx, tx, staff.signer(), gpsync.OpHandOutRepeats, gpsync.HandOutRepeatsPayload{RequestID: requestID, How: how}, ""); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO local_handouts (op_id, request_id, how, at) VALUES (?, ?, ?, ?)",
			opID, requestID, how, r.clock().Unix())
		return err
	})
	return opID, deskErr(op, err)
}

// DayList lists the day's appointments (a surgery day in London) by
// clinician name and then start time: the server's, with any outcome
// recorded here shown at once (Waiting), and bookings made here the server
// has not confirmed (Waiting, AppointmentID 0 until it has). Cancelled
// ones are left out.
func (r *Replica) DayList(ctx context.Context, staff StaffMember, day store.Date) ([]DayAppointment, error) {
	const op = "replica.DayList"
	if _, _, err := r.deskMay(ctx, r.read, staff, gpsync.OpRecordOutcome); err != nil {
		return nil, deskErr(op, err)
	}
	lo, hi := day.At(0, 0, r.loc).Unix(), day.AddDays(1).At(0, 0, r.loc).Unix()
	rows, err := r.read.QueryContext(ctx, `
		WITH latest AS (
			SELECT l.appointment_id, l.status, l.at, o.status IS NULL AS waiting FROM local_outcomes l JOIN outbox o ON o.op_id = l.op_id
			WHERE o.seq = (SELECT max(o2.seq) FROM local_outcomes l2 JOIN outbox o2 ON o2.op_id = l2.op_id
				WHERE l2.appointment_id = l.appointment_id)),
		day AS (
			SELECT a.id, s.starts_at, s.ends_at, s.clinician_id, s.slot_type_id, a.patient_id, a.channel,
				coalesce(lt.status, a.status) AS status, coalesce(lt.at, a.status_changed_at) AS changed_at, coalesce(lt.waiting, 0) AS waiting
			FROM appointments a JOIN slots s ON s.id = a.slot_id LEFT JOIN latest lt ON lt.appointment_id = a.id
			WHERE s.starts_at >= ?1 AND s.starts_at < ?2 AND a.status <> 'cancelled'
				AND NOT EXISTS (SELECT 1 FROM local_cancels x WHERE x.entity = 'appointment' AND x.server_id = a.id)
			UNION ALL
			SELECT coalesce(la.server_id, 0), la.starts_at, la.ends_at, la.clinician_id, la.slot_type_id, la.patient_id, la.channel,
				'booked', NULL, 1
			FROM local_appointments la JOIN outbox o ON o.op_id = la.op_id
			WHERE la.starts_at >= ?1 AND la.starts_at < ?2 AND o.status IS NULL
				AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.id = la.server_id)
				AND NOT EXISTS (SELECT 1 FROM local_cancels x WHERE x.entity = 'appointment' AND x.local_id = la.local_id))
		SELECT d.id, d.starts_at, d.ends_at, d.clinician_id, coalesce(c.display_name, ''), coalesce(t.name, ''), d.patient_id,
			coalesce(p.given_name, ''), coalesce(p.family_name, ''), coalesce(p.date_of_birth, ''), coalesce(p.nhs_number, ''),
			d.channel, d.status, d.changed_at, d.waiting
		FROM day d LEFT JOIN clinicians c ON c.id = d.clinician_id LEFT JOIN slot_types t ON t.id = d.slot_type_id
		LEFT JOIN patients p ON p.id = d.patient_id
		ORDER BY coalesce(c.display_name, ''), d.clinician_id, d.starts_at, d.id`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []DayAppointment
	for rows.Next() {
		var a DayAppointment
		var starts, ends int64
		var given, family, dob string
		var changed sql.NullInt64
		if err := rows.Scan(&a.AppointmentID, &starts, &ends, &a.ClinicianID, &a.ClinicianName, &a.SlotTypeName, &a.PatientID,
			&given, &family, &dob, &a.NHSNumber, &a.Channel, &a.Status, &changed, &a.Waiting); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		a.StartsAt, a.EndsAt = time.Unix(starts, 0).UTC(), time.Unix(ends, 0).UTC()
		a.PatientName = strings.TrimSpace(given + " " + family)
		a.StatusChangedAt = timeOf(changed)
		if dob != "" {
			if a.DateOfBirth, err = store.ParseDate(dob); err != nil {
				return nil, fmt.Errorf("%s: stored date of birth: %w", op, err)
			}
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// RecordOutcome marks an appointment arrived, seen or did not attend
// (store.StatusArrived, StatusSeen, StatusDidNotAttend). The day's list
// shows it at once; a did-not-attend may suspend the patient's online
// booking, which the server decides by the practice's rule. It returns the
// op ID.
func (r *Replica) RecordOutcome(ctx context.Context, staff StaffMember, appointmentID int64, status string) (string, error) {
	const op = "replica.RecordOutcome"
	var opID string
	err := r.inTx(ctx, op, func(tx *sql.Tx) error {
		if _, _, err := r.deskMay(ctx, tx, staff, gpsync.OpRecordOutcome); err != nil {
			return err
		}
		switch status {
		case store.StatusArrived, store.StatusSeen, store.StatusDidNotAttend:
		default:
			return refuse(store.ReasonInvalidInput, "An appointment can be marked arrived, seen or did not attend.")
		}
		if appointmentID <= 0 {
			return refuse(store.ReasonNotFound, "This booking has not been confirmed by the practice server yet. Try again once it has.")
		}
		var current string
		var cancelledHere bool
		err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT l.status FROM local_outcomes l JOIN outbox o ON o.op_id = l.op_id
			WHERE l.appointment_id = a.id ORDER BY o.seq DESC LIMIT 1), a.status),
			EXISTS (SELECT 1 FROM local_cancels x WHERE x.entity = 'appointment' AND x.server_id = a.id)
			FROM appointments a WHERE a.id = ?`, appointmentID).Scan(&current, &cancelledHere)
		if errors.Is(err, sql.ErrNoRows) {
			return refuse(store.ReasonNotFound, "That appointment does not exist.")
		}
		if err != nil {
			return err
		}
		// The server's rule (store.RecordOutcome): a closed appointment
		// stays closed.
		if cancelledHere || current == store.StatusCancelled || current == store.StatusSeen || current == store.StatusDidNotAttend {
			return refuse(store.ReasonInvalidInput, "That appointment is already closed.")
		}
		if opID, err = r.enqueueAs(ctx, tx, staff.signer(), gpsync.OpRecordOutcome,
			gpsync.RecordOutcomePayload{AppointmentID: appointmentID, Status: status}, ""); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO local_outcomes (op_id, appointment_id, status, at) VALUES (?, ?, ?, ?)",
			opID, appointmentID, status, r.clock().Unix())
		return err
	})
	return opID, deskErr(op, err)
}

// resolvedShownFor is how long a resolved alert stays in the inbox.
const resolvedShownFor = 24 * time.Hour

// Alerts lists the inbox: open and acknowledged help requests and problem
// reports, oldest raised first, then those resolved in the last day, most
// recently resolved first. An action taken here shows at once (Waiting).
func (r *Replica) Alerts(ctx context.Context, staff StaffMember) ([]Alert, error) {
	const op = "replica.Alerts"
	if _, _, err := r.deskMay(ctx, r.read, staff, gpsync.OpHandleAlert); err != nil {
		return nil, deskErr(op, err)
	}
	since := r.clock().Add(-resolvedShownFor).Unix()
	rows, err := r.read.QueryContext(ctx, `SELECT a.entity, a.id, a.device_name, a.reporter, a.category, a.text, a.raised_at, a.status,
		coalesce(s.display_name, ''), a.handled_at, a.waiting
		FROM desk_alerts a LEFT JOIN staff s ON s.id = a.handled_by
		WHERE a.status <> 'resolved' OR coalesce(a.handled_at, a.raised_at) >= ?
		ORDER BY a.status = 'resolved',
			CASE WHEN a.status = 'resolved' THEN -coalesce(a.handled_at, a.raised_at) ELSE a.raised_at END, a.entity, a.id`, since)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		var a Alert
		var raised int64
		var handled sql.NullInt64
		if err := rows.Scan(&a.Entity, &a.ID, &a.DeviceName, &a.Reporter, &a.Category, &a.Text, &raised, &a.Status,
			&a.HandledBy, &handled, &a.Waiting); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		a.RaisedAt, a.HandledAt = time.Unix(raised, 0).UTC(), timeOf(handled)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// OpenAlertCount is how many help requests and problem reports nobody has
// taken on yet, for the inbox's badge.
func (r *Replica) OpenAlertCount(ctx context.Context) (int, error) {
	var n int
	if err := r.read.QueryRowContext(ctx, "SELECT count(*) FROM desk_alerts WHERE status = 'open'").Scan(&n); err != nil {
		return 0, fmt.Errorf("replica.OpenAlertCount: %w", err)
	}
	return n, nil
}

// HandleAlert acknowledges (action gpsync.AlertAcknowledged) or resolves
// (gpsync.AlertResolved) a help request or problem report (entity
// gpsync.EntityHelpRequest or EntityProblemReport). One already
// acknowledged, or already resolved, is refused, saying who did it. It
// returns the op ID.
func (r *Replica) HandleAlert(ctx context.Context, staff StaffMember, entity string, id int64, action string) (string, error) {
	const op = "replica.HandleAlert"
	var opID string
	err := r.inTx(ctx, op, func(tx *sql.Tx) error {
		if _, _, err := r.deskMay(ctx, tx, staff, gpsync.OpHandleAlert); err != nil {
			return err
		}
		if entity != gpsync.EntityHelpRequest && entity != gpsync.EntityProblemReport {
			return refuse(store.ReasonInvalidInput, "Only a help request or a problem report can be acknowledged or resolved.")
		}
		if action != gpsync.AlertAcknowledged && action != gpsync.AlertResolved {
			return refuse(store.ReasonInvalidInput, "A help request or problem report can be acknowledged or resolved.")
		}
		var status string
		var by int64
		var at sql.NullInt64
		err := tx.QueryRowContext(ctx, "SELECT status, handled_by, handled_at FROM desk_alerts WHERE entity = ? AND id = ?", entity, id).
			Scan(&status, &by, &at)
		if errors.Is(err, sql.ErrNoRows) {
			return refuse(store.ReasonNotFound, "That is no longer in the inbox.")
		}
		if err != nil {
			return err
		}
		if status == gpsync.AlertResolved || (status == gpsync.AlertAcknowledged && action == gpsync.AlertAcknowledged) {
			return r.errAlreadyHandled(ctx, tx, status, by, at)
		}
		if opID, err = r.enqueueAs(ctx, tx, staff.signer(), gpsync.OpHandleAlert, gpsync.HandleAlertPayload{Entity: entity, ID: id, Action: action}, ""); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO local_alert_actions (op_id, entity, alert_id, action, staff_id, at) VALUES (?, ?, ?, ?, ?, ?)",
			opID, entity, id, action, staff.ID, r.clock().Unix())
		return err
	})
	return opID, deskErr(op, err)
}

func (r *Replica) errAlreadyHandled(ctx context.Context, q queryer, status string, by int64, at sql.NullInt64) error {
	who, err := staffName(ctx, q, by)
	if err != nil {
		return err
	}
	if who == "" {
		who = "Someone"
	}
	if at.Valid {
		return refuse(store.ReasonAlreadyHandled, fmt.Sprintf("%s already %s this at %s.", who, status, r.when(timeOf(at))))
	}
	return refuse(store.ReasonAlreadyHandled, fmt.Sprintf("%s already %s this.", who, status))
}

// ReceptionSlots lists, earliest first, the slots reception can book for
// this patient from surgery day from for days days: the reception
// channel's rules, as BookFor applies them.
func (r *Replica) ReceptionSlots(ctx context.Context, staff StaffMember, patientID int64, from store.Date, days int) ([]Slot, error) {
	if _, _, err := r.deskMay(ctx, r.read, staff, gpsync.OpBook); err != nil {
		return nil, deskErr("replica.ReceptionSlots", err)
	}
	return r.FreeSlots(ctx, patientID, store.Date{}, from, days)
}

// BookFor books a slot for the patient at the desk, as Book does at a
// kiosk: firm under this desktop's lease, otherwise provisional until the
// server answers; the op carries the member of staff.
func (r *Replica) BookFor(ctx context.Context, staff StaffMember, patientID, slotID int64) (LocalBooking, error) {
	const op = "replica.BookFor"
	if _, _, err := r.deskMay(ctx, r.read, staff, gpsync.OpBook); err != nil {
		return LocalBooking{}, deskErr(op, err)
	}
	return r.book(ctx, op, staff.signer(), patientID, slotID, store.Date{})
}

// AppointmentsFor lists the patient's upcoming appointments as
// Appointments does, for reception to cancel one.
func (r *Replica) AppointmentsFor(ctx context.Context, staff StaffMember, patientID int64) ([]Appointment, error) {
	if _, _, err := r.deskMay(ctx, r.read, staff, gpsync.OpBook); err != nil {
		return nil, deskErr("replica.AppointmentsFor", err)
	}
	return r.Appointments(ctx, patientID)
}

// CancelFor cancels the patient's appointment at the desk, as
// CancelAppointment does; the op carries the member of staff.
func (r *Replica) CancelFor(ctx context.Context, staff StaffMember, patientID int64, ref Ref) (string, error) {
	const op = "replica.CancelFor"
	if _, _, err := r.deskMay(ctx, r.read, staff, gpsync.OpCancelAppointment); err != nil {
		return "", deskErr(op, err)
	}
	return r.cancelAppointment(ctx, op, staff.signer(), patientID, ref)
}

// AttentionForStaff lists the undismissed attention items of ops this
// member of staff made, oldest first, in the server's words.
func (r *Replica) AttentionForStaff(ctx context.Context, staff StaffMember) ([]AttentionItem, error) {
	const op = "replica.AttentionForStaff"
	if staff.ID == 0 {
		return nil, errSignInFirst()
	}
	return r.attention(ctx, op, " AND o.staff_id = ?", []any{staff.ID})
}
