package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// RepeatItem is one item of a patient's repeat prescription.
type RepeatItem struct {
	ID           int64
	Name         string
	Strength     string
	Form         string
	Dosage       string
	Quantity     string
	Active       bool
	ReviewDue    Date
	LastIssuedAt time.Time // zero: never issued
	Outstanding  bool      // a request for it is pending
}

// Facts is what the repeat-request rules need about the item.
func (it RepeatItem) Facts() RepeatItemFacts {
	return RepeatItemFacts{Name: it.Name, Active: it.Active, ReviewDue: it.ReviewDue, Outstanding: it.Outstanding}
}

const repeatSelect = `SELECT rm.id, rm.name, rm.strength, rm.form, rm.dosage, rm.quantity, rm.status, rm.review_due, rm.last_issued_at,
	EXISTS (SELECT 1 FROM prescription_request_items i WHERE i.repeat_medication_id = rm.id AND i.decision = 'pending')
	FROM repeat_medications rm`

func scanRepeat(r scanner) (RepeatItem, error) {
	var it RepeatItem
	var status string
	var review sql.NullString
	var issued sql.NullInt64
	if err := r.Scan(&it.ID, &it.Name, &it.Strength, &it.Form, &it.Dosage, &it.Quantity, &status, &review, &issued, &it.Outstanding); err != nil {
		return RepeatItem{}, err
	}
	it.Active = status == "active"
	if review.Valid {
		d, err := ParseDate(review.String)
		if err != nil {
			return RepeatItem{}, fmt.Errorf("stored review date: %w", err)
		}
		it.ReviewDue = d
	}
	if issued.Valid {
		it.LastIssuedAt = time.Unix(issued.Int64, 0).UTC()
	}
	return it, nil
}

// RepeatItems lists a patient's repeat items, active first, by name.
func (s *Store) RepeatItems(ctx context.Context, patientID int64) ([]RepeatItem, error) {
	rows, err := s.read.QueryContext(ctx, repeatSelect+" WHERE rm.patient_id = ? ORDER BY rm.status, rm.name", patientID)
	if err != nil {
		return nil, fmt.Errorf("store.RepeatItems: %w", err)
	}
	defer rows.Close()
	var out []RepeatItem
	for rows.Next() {
		it, err := scanRepeat(rows)
		if err != nil {
			return nil, fmt.Errorf("store.RepeatItems: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// RepeatRequest asks for some of a patient's repeat items.
type RepeatRequest struct {
	PatientID int64
	ItemIDs   []int64
	Channel   Channel
	Note      string
	Actor     Actor
}

// PrescriptionRequest is a request once accepted.
type PrescriptionRequest struct {
	ID          int64
	PatientID   int64
	RequestedAt time.Time
	ReadyBy     Date // tell the patient: ready from this day
	ItemIDs     []int64
}

// RequestRepeats records a request if the repeat-prescription rules allow it.
func (s *Store) RequestRepeats(ctx context.Context, req RepeatRequest) (PrescriptionRequest, error) {
	var out PrescriptionRequest
	err := s.inTx(ctx, "store.RequestRepeats", func(tx *sql.Tx) error {
		var err error
		out, err = s.requestRepeats(ctx, tx, req)
		return err
	})
	return out, err
}

func (s *Store) requestRepeats(ctx context.Context, tx *sql.Tx, req RepeatRequest) (PrescriptionRequest, error) {
	if _, err := ParseChannel(string(req.Channel)); err != nil {
		return PrescriptionRequest{}, err
	}
	var out PrescriptionRequest
	now := s.Now()
	st, err := loadSettings(ctx, tx)
	if err != nil {
		return PrescriptionRequest{}, fmt.Errorf("store.RequestRepeats: %w", err)
	}
	var unsuitable bool
	err = tx.QueryRowContext(ctx, "SELECT online_ordering_unsuitable FROM patients WHERE id = ?", req.PatientID).Scan(&unsuitable)
	if errors.Is(err, sql.ErrNoRows) {
		return PrescriptionRequest{}, RefusePatientNotFound()
	}
	if err != nil {
		return PrescriptionRequest{}, fmt.Errorf("store.RequestRepeats: %w", err)
	}
	var facts []RepeatItemFacts
	var ids []int64
	for _, id := range req.ItemIDs {
		if slices.Contains(ids, id) {
			continue
		}
		ids = append(ids, id)
		it, err := scanRepeat(tx.QueryRowContext(ctx, repeatSelect+" WHERE rm.id = ? AND rm.patient_id = ?", id, req.PatientID))
		if errors.Is(err, sql.ErrNoRows) {
			return PrescriptionRequest{}, RefuseItemNotOnList()
		}
		if err != nil {
			return PrescriptionRequest{}, fmt.Errorf("store.RequestRepeats: %w", err)
		}
		facts = append(facts, it.Facts())
	}
	note := strings.TrimSpace(req.Note)
	if err := st.CheckRepeatRequest(DateOf(now, s.loc), req.Channel, unsuitable, facts, note); err != nil {
		return PrescriptionRequest{}, err
	}
	ready := st.RepeatReadyBy(now, s.loc)
	res, err := tx.ExecContext(ctx, `INSERT INTO prescription_requests (patient_id, channel, note, status, requested_at, ready_by)
		VALUES (?, ?, ?, 'pending', ?, ?)`, req.PatientID, string(req.Channel), note, now.Unix(), ready.String())
	if err != nil {
		return PrescriptionRequest{}, fmt.Errorf("store.RequestRepeats: %w", err)
	}
	reqID, _ := res.LastInsertId()
	out = PrescriptionRequest{ID: reqID, PatientID: req.PatientID, RequestedAt: now.Truncate(time.Second), ReadyBy: ready}
	for _, id := range ids {
		_, err := tx.ExecContext(ctx, "INSERT INTO prescription_request_items (request_id, repeat_medication_id) VALUES (?, ?)", reqID, id)
		if isUniqueViolation(err) { // lost a race with another request for the same item
			return PrescriptionRequest{}, sentItemOrderedJustNow.refuse(ReasonItemAlreadyRequested)
		}
		if err != nil {
			return PrescriptionRequest{}, fmt.Errorf("store.RequestRepeats: item: %w", err)
		}
		out.ItemIDs = append(out.ItemIDs, id)
	}
	return out, appendAudit(ctx, tx, now, req.Actor, "prescription.request", "patient", req.PatientID,
		fmt.Sprintf("request=%d items=%d channel=%s", reqID, len(out.ItemIDs), req.Channel))
}

// CancelRepeatRequest cancels the still-pending items of a patient's
// request. For self-service channels patientID must own the request.
func (s *Store) CancelRepeatRequest(ctx context.Context, actor Actor, ch Channel, patientID, requestID int64) error {
	return s.inTx(ctx, "store.CancelRepeatRequest", func(tx *sql.Tx) error {
		return s.cancelRepeatRequest(ctx, tx, actor, ch, patientID, requestID)
	})
}

func (s *Store) cancelRepeatRequest(ctx context.Context, tx *sql.Tx, actor Actor, ch Channel, patientID, requestID int64) error {
	now := s.Now()
	var owner int64
	var status string
	err := tx.QueryRowContext(ctx, "SELECT patient_id, status FROM prescription_requests WHERE id = ?", requestID).Scan(&owner, &status)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && ch.SelfService() && owner != patientID) {
		return RefuseRequestNotFound()
	}
	if err != nil {
		return fmt.Errorf("store.CancelRepeatRequest: %w", err)
	}
	if status != "pending" {
		return RefuseRequestDealtWith()
	}
	if _, err := tx.ExecContext(ctx, "UPDATE prescription_request_items SET decision = 'cancelled', decided_at = ? WHERE request_id = ? AND decision = 'pending'",
		now.Unix(), requestID); err != nil {
		return fmt.Errorf("store.CancelRepeatRequest: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE prescription_requests SET status = 'cancelled' WHERE id = ?", requestID); err != nil {
		return fmt.Errorf("store.CancelRepeatRequest: %w", err)
	}
	return appendAudit(ctx, tx, now, actor, "prescription.cancel", "patient", owner, fmt.Sprintf("request=%d", requestID))
}

// DecideRepeatItem records a clinician's decision on one requested item
// (itemID is the request's item row). A decline gives the prescriber's
// words, and counts as "other": the patient is told them. It takes the
// decide_repeats op's path.
func (s *Store) DecideRepeatItem(ctx context.Context, actor Actor, staffID, itemID int64, approve bool, reason string) error {
	d := ItemDecision{Approve: approve, Reason: reason}
	if !approve {
		d.ReasonCode = DeclineOther
	}
	if err := CheckItemDecision(d); err != nil {
		return err
	}
	return s.inTx(ctx, "store.DecideRepeatItem", func(tx *sql.Tx) error {
		var requestID int64
		err := tx.QueryRowContext(ctx, "SELECT request_id, repeat_medication_id FROM prescription_request_items WHERE id = ?", itemID).
			Scan(&requestID, &d.RepeatItemID)
		if errors.Is(err, sql.ErrNoRows) {
			return refuse(ReasonNotFound, "That item is not waiting for a decision.")
		}
		if err != nil {
			return fmt.Errorf("store.DecideRepeatItem: %w", err)
		}
		_, err = s.decideRepeats(ctx, tx, actor, staffID, DecideRepeats{RequestID: requestID, Items: []ItemDecision{d}})
		return err
	})
}
