package replica

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// The kiosk's side of the loop (issue 11): a patient signing in is told,
// once, what the practice decided on their repeat requests.

// UnseenOutcomes lists, oldest first, the patient's decided requests (no
// item pending, at least one approved or declined) that they have not been
// shown: not seen at any kiosk as far as the server has said, and not
// marked seen here. Items are the approved and declined ones, with names.
func (r *Replica) UnseenOutcomes(ctx context.Context, patientID int64) ([]RequestOutcome, error) {
	const op = "replica.UnseenOutcomes"
	// One transaction, so requests and their items are one snapshot.
	tx, err := r.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.ready_by, r.handed_out FROM repeat_requests r
		WHERE r.patient_id = ? AND r.status = 'completed' AND NOT r.outcome_seen
			AND NOT EXISTS (SELECT 1 FROM local_outcomes_seen s WHERE s.request_id = r.id)
			AND NOT EXISTS (SELECT 1 FROM repeat_request_items i WHERE i.request_id = r.id AND i.decision = 'pending')
			AND EXISTS (SELECT 1 FROM repeat_request_items i WHERE i.request_id = r.id AND i.decision IN ('approved', 'declined'))
		ORDER BY r.id`, patientID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	var out []RequestOutcome
	var ready []string
	for rows.Next() {
		var o RequestOutcome
		var day string
		if err := rows.Scan(&o.RequestID, &day, &o.HandedOut); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out, ready = append(out, o), append(ready, day)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	for i := range out {
		if out[i].Items, err = outcomeItems(ctx, tx, out[i].RequestID); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		// A ready-by day only means something when anything was approved.
		if slices.ContainsFunc(out[i].Items, func(it OutcomeItem) bool { return it.Approved }) {
			if out[i].ReadyBy, err = store.ParseDate(ready[i]); err != nil {
				return nil, fmt.Errorf("%s: stored ready-by day: %w", op, err)
			}
		}
	}
	return out, nil
}

func outcomeItems(ctx context.Context, q queryer, requestID int64) ([]OutcomeItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT coalesce(ri.name, ''), coalesce(ri.strength, ''), i.decision = 'approved', i.reason_code, i.reason
		FROM repeat_request_items i LEFT JOIN repeat_items ri ON ri.id = i.repeat_item_id
		WHERE i.request_id = ? AND i.decision IN ('approved', 'declined') ORDER BY 3 DESC, 1, i.repeat_item_id`, requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutcomeItem
	for rows.Next() {
		var it OutcomeItem
		if err := rows.Scan(&it.Name, &it.Strength, &it.Approved, &it.ReasonCode, &it.Reason); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// MarkOutcomesSeen records that the patient has been shown these
// requests' outcomes: they are not shown again here at once, and one
// acknowledge_outcome op per request tells the server, so no kiosk shows
// them again. A request already marked seen is skipped, so a double tap is
// harmless; one that is not the patient's is refused and nothing is
// written.
func (r *Replica) MarkOutcomesSeen(ctx context.Context, patientID int64, requestIDs []int64) error {
	const op = "replica.MarkOutcomesSeen"
	err := r.inTx(ctx, op, func(tx *sql.Tx) error {
		var done []int64
		for _, id := range requestIDs {
			if slices.Contains(done, id) {
				continue
			}
			done = append(done, id)
			var seen bool
			err := tx.QueryRowContext(ctx, `SELECT r.outcome_seen OR EXISTS (SELECT 1 FROM local_outcomes_seen s WHERE s.request_id = r.id)
				FROM repeat_requests r WHERE r.id = ? AND r.patient_id = ?`, id, patientID).Scan(&seen)
			if errors.Is(err, sql.ErrNoRows) {
				return errRequestNotFound()
			}
			if err != nil {
				return err
			}
			if seen {
				continue
			}
			opID, err := r.enqueueAs(ctx, tx, r.patientSigner(patientID), gpsync.OpAcknowledgeOutcome, gpsync.AcknowledgeOutcomePayload{PatientID: patientID, RequestID: id}, "")
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO local_outcomes_seen (op_id, patient_id, request_id) VALUES (?, ?, ?)",
				opID, patientID, id); err != nil {
				return err
			}
		}
		return nil
	})
	return deskErr(op, err)
}
