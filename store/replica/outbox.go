package replica

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// outbox status of an op the server never saw because what it acted on was
// rejected first (a cancel of a booking the server refused).
const statusDropped = "dropped"

// AttentionItem is an action the server rejected, to show as "needs
// attention" until someone dismisses it.
type AttentionItem struct {
	OpID    string
	Kind    string // the op kind, gpsync.Op*
	Reason  string // the server's machine code (store.Reason)
	Message string // plain English from the server, safe to show
	// Code and Args are Message's sentence code and values
	// (store.Sentence), for showing it in the patient's language; Code
	// is "" when the server gave none.
	Code string
	Args []string
	At   time.Time
}

// enqueue adds a device's own op (no person's proof) to the outbox in the
// action's transaction. dependsOn is an op that must be answered before
// this one is sent ("" if none).
func (r *Replica) enqueue(ctx context.Context, tx *sql.Tx, kind string, payload any, dependsOn string) (string, error) {
	return r.enqueueAs(ctx, tx, signer{}, kind, payload, dependsOn)
}

// enqueueAs is enqueue for an op made by someone: it is signed now, while
// their key is at hand, and its payload never changes after.
func (r *Replica) enqueueAs(ctx context.Context, tx *sql.Tx, by signer, kind string, payload any, dependsOn string) (string, error) {
	id, err := uuid.NewRandom()
	if err != nil {
		return "", fmt.Errorf("new op id: %w", err)
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return "", fmt.Errorf("encode %s payload: %w", kind, err)
	}
	op := gpsync.Op{ID: id.String(), Kind: kind, CreatedAt: time.Unix(r.clock().Unix(), 0).UTC(), Payload: body, StaffID: by.staffID, Session: by.session}
	if by.session != "" && !op.CreatedAt.Before(by.until) {
		return "", errStaffSessionOver()
	}
	if len(by.key) > 0 {
		e, err := readEnrolment(ctx, tx)
		if err != nil {
			return "", fmt.Errorf("sign %s: %w", kind, err)
		}
		signed, err := gpsync.SigningInput(e.DeviceID, op)
		if err != nil {
			return "", fmt.Errorf("sign %s: %w", kind, err)
		}
		op.Proof = gpsync.EncodeProof(store.Sign(by.key, signed))
	}
	var dep any
	if dependsOn != "" {
		dep = dependsOn
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO outbox (op_id, kind, created_at, payload, depends_on, staff_id, proof, session) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		op.ID, kind, op.CreatedAt.Unix(), string(body), dep, by.staffID, op.Proof, op.Session); err != nil {
		return "", fmt.Errorf("add to outbox: %w", err)
	}
	return op.ID, nil
}

// PendingOps returns up to limit unanswered ops, oldest first; limit is
// capped at what one push may carry. It stops before an op that waits for
// the answer to an earlier one (a cancel of a booking not yet confirmed),
// since its payload needs that answer.
//
// Ops of the skip kinds are left out, and stay queued: the server holds
// those kinds to a quota for now (the runner's hold). Skipping keeps the
// order of everything else, and is safe because an op waits only for a
// booking or an order, never for a kind with a quota (report_problem,
// ask_for_help, count_lesson); were a skipped op waited for, the waiting
// op would stop the list as above, so nothing goes out of order.
func (r *Replica) PendingOps(ctx context.Context, limit int, skip ...string) ([]gpsync.Op, error) {
	const op = "replica.PendingOps"
	if limit <= 0 || limit > gpsync.MaxOpsPerPush {
		limit = gpsync.MaxOpsPerPush
	}
	skipped, err := json.Marshal(append([]string{}, skip...))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	rows, err := r.read.QueryContext(ctx, `SELECT o.op_id, o.kind, o.created_at, o.payload, o.staff_id, o.proof, o.session,
		o.depends_on IS NOT NULL AND d.status IS NULL
		FROM outbox o LEFT JOIN outbox d ON d.op_id = o.depends_on
		WHERE o.status IS NULL AND o.kind NOT IN (SELECT value FROM json_each(?)) ORDER BY o.seq LIMIT ?`, string(skipped), limit)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []gpsync.Op
	for rows.Next() {
		var o gpsync.Op
		var created int64
		var payload string
		var waiting bool
		if err := rows.Scan(&o.ID, &o.Kind, &created, &payload, &o.StaffID, &o.Proof, &o.Session, &waiting); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		if waiting {
			break
		}
		o.CreatedAt = time.Unix(created, 0).UTC()
		o.Payload = json.RawMessage(payload)
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// PendingCount is how many ops the server has not answered.
func (r *Replica) PendingCount(ctx context.Context) (int, error) {
	var n int
	if err := r.read.QueryRowContext(ctx, "SELECT count(*) FROM outbox WHERE status IS NULL").Scan(&n); err != nil {
		return 0, fmt.Errorf("replica.PendingCount: %w", err)
	}
	return n, nil
}

// RecordResults records the server's answers in one transaction. An
// applied op's local rows are linked to the server's IDs; a rejected op's
// local effect is undone and it becomes an attention item. Results for op
// IDs that are unknown or already answered are replays and change nothing.
func (r *Replica) RecordResults(ctx context.Context, results []gpsync.OpResult) error {
	const op = "replica.RecordResults"
	return r.inTx(ctx, op, func(tx *sql.Tx) error {
		now := r.clock().Unix()
		for _, res := range results {
			// One statement answers the op and says what it was; a push's
			// hundred answers are a hundred statements, not two hundred.
			var kind string
			err := tx.QueryRowContext(ctx, `UPDATE outbox SET status = ?, reason = ?, message = ?, result = ?, answered_at = ?
				WHERE op_id = ? AND status IS NULL RETURNING kind`, res.Status, res.Reason, res.Message, string(res.Result), now, res.ID).Scan(&kind)
			if errors.Is(err, sql.ErrNoRows) {
				continue // unknown or already answered: a replay
			}
			if err != nil {
				return fmt.Errorf("%s: op %s: %w", op, res.ID, err)
			}
			switch res.Status {
			case gpsync.OpApplied:
				err = applied(ctx, tx, kind, res)
			case gpsync.OpRejected:
				err = rejected(ctx, tx, kind, res, now)
			default: // the whole answer is refused, the row's update with it
				err = fmt.Errorf("unknown result status %q", res.Status)
			}
			if err != nil {
				return fmt.Errorf("%s: op %s (%s): %w", op, res.ID, kind, err)
			}
		}
		return nil
	})
}

// applied links the op's local row to the server's ID and fills that ID
// into the ops waiting for it.
func applied(ctx context.Context, tx *sql.Tx, kind string, res gpsync.OpResult) error {
	var serverID int64
	var linkRow, linkCancels string
	switch kind {
	case gpsync.OpBook:
		var br gpsync.BookResult
		if err := json.Unmarshal(res.Result, &br); err != nil || br.AppointmentID <= 0 {
			return fmt.Errorf("result %s has no appointment ID (%v)", res.Result, err)
		}
		serverID = br.AppointmentID
		linkRow = "UPDATE local_appointments SET server_id = ? WHERE op_id = ?"
		linkCancels = `UPDATE local_cancels SET server_id = ? WHERE entity = 'appointment'
			AND local_id = (SELECT local_id FROM local_appointments WHERE op_id = ?)`
	case gpsync.OpOrderRepeats:
		var or gpsync.OrderRepeatsResult
		if err := json.Unmarshal(res.Result, &or); err != nil || or.RequestID <= 0 {
			return fmt.Errorf("result %s has no request ID (%v)", res.Result, err)
		}
		serverID = or.RequestID
		linkRow = "UPDATE local_requests SET server_id = ? WHERE op_id = ?"
		linkCancels = `UPDATE local_cancels SET server_id = ? WHERE entity = 'repeat_request'
			AND local_id = (SELECT local_id FROM local_requests WHERE op_id = ?)`
		if or.ReadyBy != "" { // the server's day wins over the one promised here
			if _, err := tx.ExecContext(ctx, "UPDATE local_requests SET ready_by = ? WHERE op_id = ?", or.ReadyBy, res.ID); err != nil {
				return err
			}
		}
	case gpsync.OpLinkProxy:
		var lr gpsync.LinkProxyResult
		if err := json.Unmarshal(res.Result, &lr); err != nil || lr.ProxyID <= 0 {
			return fmt.Errorf("result %s has no proxy ID (%v)", res.Result, err)
		}
		_, err := tx.ExecContext(ctx, "UPDATE local_proxies SET server_id = ? WHERE op_id = ?", lr.ProxyID, res.ID)
		return err
	case gpsync.OpRegisterOnline:
		var rr gpsync.RegisterOnlineResult
		if err := json.Unmarshal(res.Result, &rr); err != nil || rr.RegistrationID <= 0 {
			return fmt.Errorf("result %s has no registration ID (%v)", res.Result, err)
		}
		_, err := tx.ExecContext(ctx, "UPDATE local_registrations SET server_id = ? WHERE op_id = ?", rr.RegistrationID, res.ID)
		return err
	case gpsync.OpDecideRepeats:
		var dr gpsync.DecideRepeatsResult
		if len(res.Result) > 0 {
			if err := json.Unmarshal(res.Result, &dr); err != nil {
				return fmt.Errorf("result %s: %w", res.Result, err)
			}
		}
		if dr.ReadyBy == "" {
			return nil
		}
		// The server's day wins over the one promised here.
		_, err := tx.ExecContext(ctx, "UPDATE local_decisions SET ready_by = ? WHERE op_id = ?", dr.ReadyBy, res.ID)
		return err
	default:
		// Cancels keep hiding their target, and the desk's decisions,
		// hand-outs, outcomes and inbox actions keep showing, until the
		// feed agrees (forgetAnswered).
		return nil
	}
	if _, err := tx.ExecContext(ctx, linkRow, serverID, res.ID); err != nil {
		return fmt.Errorf("link to server ID %d: %w", serverID, err)
	}
	if _, err := tx.ExecContext(ctx, linkCancels, serverID, res.ID); err != nil {
		return err
	}
	// An op waiting for this one names it by ID (bookingRef, orderRef):
	// its signed payload is sent as it was made.
	return nil
}

// rejected undoes the op's local effect and records the attention item.
func rejected(ctx context.Context, tx *sql.Tx, kind string, res gpsync.OpResult, now int64) error {
	undo := ""
	switch kind {
	case gpsync.OpBook:
		undo = "DELETE FROM local_appointments WHERE op_id = ?"
	case gpsync.OpOrderRepeats:
		undo = "DELETE FROM local_requests WHERE op_id = ?" // items cascade
	case gpsync.OpCancelAppointment, gpsync.OpCancelRequest:
		undo = "DELETE FROM local_cancels WHERE op_id = ?"
	case gpsync.OpLinkProxy:
		undo = "DELETE FROM local_proxies WHERE op_id = ?"
	case gpsync.OpRegisterOnline:
		undo = "DELETE FROM local_registrations WHERE op_id = ?"
	case gpsync.OpDecideRepeats:
		undo = "DELETE FROM local_decisions WHERE op_id = ?" // the request is pending again
	case gpsync.OpHandOutRepeats:
		undo = "DELETE FROM local_handouts WHERE op_id = ?"
	case gpsync.OpRecordOutcome:
		undo = "DELETE FROM local_outcomes WHERE op_id = ?"
	case gpsync.OpHandleAlert:
		undo = "DELETE FROM local_alert_actions WHERE op_id = ?"
	case gpsync.OpAcknowledgeOutcome:
		// Not worth a patient's attention: the outcome stays seen here,
		// and at worst another kiosk shows it once more.
		return nil
	case gpsync.OpCountLesson:
		// Nobody at the device can do anything about a count the server
		// would not take (a wrong device clock, issue 14): its reason stays
		// on the outbox row and in the server's record.
		return nil
	}
	if undo != "" {
		if _, err := tx.ExecContext(ctx, undo, res.ID); err != nil {
			return fmt.Errorf("undo: %w", err)
		}
	}
	// What waited for this op acted on something that never existed on the
	// server, so it is dropped unsent, with its own local effect.
	if _, err := tx.ExecContext(ctx, `DELETE FROM local_cancels WHERE op_id IN
		(SELECT op_id FROM outbox WHERE depends_on = ? AND status IS NULL)`, res.ID); err != nil {
		return fmt.Errorf("undo: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE outbox SET status = ?, answered_at = ? WHERE depends_on = ? AND status IS NULL",
		statusDropped, now, res.ID); err != nil {
		return fmt.Errorf("drop waiting ops: %w", err)
	}
	msg, code, args := res.Message, res.Code, res.Args
	if msg == "" {
		msg, code, args = store.SentenceNotCarriedOut.English, store.SentenceNotCarriedOut.Code, nil
	}
	if args == nil {
		args = []string{}
	}
	argsJSON, err := json.Marshal(args)
	if err != nil {
		return fmt.Errorf("attention: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO attention (op_id, kind, reason, message, code, args, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		res.ID, kind, res.Reason, msg, code, string(argsJSON), now); err != nil {
		return fmt.Errorf("attention: %w", err)
	}
	return nil
}

// Attention lists the rejected actions not yet dismissed, oldest first.
func (r *Replica) Attention(ctx context.Context) ([]AttentionItem, error) {
	return r.attention(ctx, "replica.Attention", "", nil)
}

// AttentionFor lists the undismissed items about one patient's own
// actions, so the kiosk can tell them when they next sign in.
func (r *Replica) AttentionFor(ctx context.Context, patientID int64) ([]AttentionItem, error) {
	return r.attention(ctx, "replica.AttentionFor", " AND json_extract(o.payload, '$.patientId') = ?", []any{patientID})
}

func (r *Replica) attention(ctx context.Context, op, where string, args []any) ([]AttentionItem, error) {
	rows, err := r.read.QueryContext(ctx, `SELECT a.op_id, a.kind, a.reason, a.message, a.code, a.args, a.at FROM attention a
		JOIN outbox o ON o.op_id = a.op_id WHERE a.dismissed_at IS NULL`+where+` ORDER BY a.at, o.seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []AttentionItem
	for rows.Next() {
		var it AttentionItem
		var at int64
		var args string
		if err := rows.Scan(&it.OpID, &it.Kind, &it.Reason, &it.Message, &it.Code, &args, &at); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		if err := json.Unmarshal([]byte(args), &it.Args); err != nil {
			return nil, fmt.Errorf("%s: attention args: %w", op, err)
		}
		if len(it.Args) == 0 {
			it.Args = nil
		}
		it.At = time.Unix(at, 0).UTC()
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// AttentionCount is how many attention items are not yet dismissed, for
// the sync status.
func (r *Replica) AttentionCount(ctx context.Context) (int, error) {
	var n int
	if err := r.read.QueryRowContext(ctx, "SELECT count(*) FROM attention WHERE dismissed_at IS NULL").Scan(&n); err != nil {
		return 0, fmt.Errorf("replica.AttentionCount: %w", err)
	}
	return n, nil
}

// DismissAttention marks an attention item dealt with. Dismissing one that
// is unknown or already dismissed does nothing, so a double tap is harmless.
func (r *Replica) DismissAttention(ctx context.Context, opID string) error {
	const op = "replica.DismissAttention"
	return r.inTx(ctx, op, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE attention SET dismissed_at = ? WHERE op_id = ? AND dismissed_at IS NULL",
			r.clock().Unix(), opID); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		return nil
	})
}
