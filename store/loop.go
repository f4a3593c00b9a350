package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The practice's side of the loop (issue 11): prescribers decide repeat
// requests, reception hands them out and records appointment outcomes,
// staff handle help requests and problem reports, and a kiosk records that
// the patient has seen their request's outcome.

// MaxDeclineReasonChars bounds the prescriber's own words on a decision.
const MaxDeclineReasonChars = 300

// ValidDeclineCode reports whether code is one of the reasons a prescriber
// may pick for declining an item.
func ValidDeclineCode(code string) bool {
	switch code {
	case DeclineNeedsReview, DeclineMedicationChanged, DeclineTooEarly, DeclineNotOnRepeat, DeclineOther:
		return true
	}
	return false
}

// CheckItemDecision is the one rule for what a decision must carry: a
// decline has a reason code from the list, "other" has words as well, and
// the words are short. Desktops ask it too, to refuse before queueing.
func CheckItemDecision(d ItemDecision) error {
	reason := strings.TrimSpace(d.Reason)
	if utf8.RuneCountInString(reason) > MaxDeclineReasonChars {
		return refuse(ReasonInvalidInput, fmt.Sprintf("Please keep the reason to %d letters or fewer.", MaxDeclineReasonChars))
	}
	if d.Approve {
		if d.ReasonCode != "" {
			return refuse(ReasonInvalidInput, "An approved item has no reason for declining. Choose approve or decline again.")
		}
		return nil
	}
	if !ValidDeclineCode(d.ReasonCode) {
		return refuse(ReasonInvalidInput, "Please choose the reason for declining; the patient will be told it.")
	}
	if d.ReasonCode == DeclineOther && reason == "" {
		return refuse(ReasonInvalidInput, "Please say why you are declining; the patient will be told it.")
	}
	return nil
}

// CheckDecisions is the one rule for a whole decision: at least one item,
// each item once, each by CheckItemDecision. Desktops ask it too.
func CheckDecisions(ds []ItemDecision) error {
	if len(ds) == 0 {
		return refuse(ReasonNoItemsChosen, "Choose at least one item to approve or decline.")
	}
	var seen []int64
	for _, d := range ds {
		if slices.Contains(seen, d.RepeatItemID) {
			return refuse(ReasonInvalidInput, "Each item can be decided once. Choose again.")
		}
		seen = append(seen, d.RepeatItemID)
		if err := CheckItemDecision(d); err != nil {
			return err
		}
	}
	return nil
}

// staffName is how a sentence names a member of staff ("Dr Amir Khan").
func staffName(ctx context.Context, tx *sql.Tx, id sql.NullInt64) (string, error) {
	if !id.Valid {
		return "Someone at the practice", nil
	}
	var name string
	err := tx.QueryRowContext(ctx, "SELECT display_name FROM staff WHERE id = ?", id.Int64).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "Someone at the practice", nil
	}
	if err != nil {
		return "", fmt.Errorf("find staff name: %w", err)
	}
	return name, nil
}

// plainWhen says when something happened, for staff: "at 10:20" today,
// "on 3 March at 10:20" another day.
func (s *Store) plainWhen(at sql.NullInt64) string {
	if !at.Valid {
		return "earlier"
	}
	t := time.Unix(at.Int64, 0).In(s.loc)
	if DateOf(t, s.loc) == DateOf(s.Now(), s.loc) {
		return "at " + t.Format("15:04")
	}
	return "on " + t.Format("2 January at 15:04")
}

// decideRepeats records a prescriber's decisions on some of a request's
// items, all or nothing: if any listed item is no longer pending the whole
// decision is refused, naming who got there first.
func (s *Store) decideRepeats(ctx context.Context, tx *sql.Tx, actor Actor, staffID int64, p DecideRepeats) (RepeatsDecided, error) {
	if err := CheckDecisions(p.Items); err != nil {
		return RepeatsDecided{}, err
	}
	var patientID int64
	var readyBy string
	err := tx.QueryRowContext(ctx, "SELECT patient_id, ready_by FROM prescription_requests WHERE id = ?", p.RequestID).Scan(&patientID, &readyBy)
	if errors.Is(err, sql.ErrNoRows) {
		return RepeatsDecided{}, refuse(ReasonNotFound, "That request is not on the practice's list. It may have been removed.")
	}
	if err != nil {
		return RepeatsDecided{}, fmt.Errorf("decide repeats: %w", err)
	}
	type row struct {
		id   int64
		name string
	}
	rows := make([]row, len(p.Items))
	for i, d := range p.Items {
		var decision string
		var by, at sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT i.id, i.decision, i.decided_by_staff_id, i.decided_at, trim(rm.name || ' ' || rm.strength)
			FROM prescription_request_items i JOIN repeat_medications rm ON rm.id = i.repeat_medication_id
			WHERE i.request_id = ? AND i.repeat_medication_id = ?`, p.RequestID, d.RepeatItemID).
			Scan(&rows[i].id, &decision, &by, &at, &rows[i].name)
		if errors.Is(err, sql.ErrNoRows) {
			return RepeatsDecided{}, refuse(ReasonNotFound, "One of the items is not on this request. Open the request again.")
		}
		if err != nil {
			return RepeatsDecided{}, fmt.Errorf("decide repeats: %w", err)
		}
		switch decision {
		case "pending":
		case "cancelled":
			return RepeatsDecided{}, refuse(ReasonAlreadyDecided,
				fmt.Sprintf("The patient cancelled their request for %s %s. Your decision was not recorded.", rows[i].name, s.plainWhen(at)))
		default:
			who, err := staffName(ctx, tx, by)
			if err != nil {
				return RepeatsDecided{}, fmt.Errorf("decide repeats: %w", err)
			}
			return RepeatsDecided{}, refuse(ReasonAlreadyDecided,
				fmt.Sprintf("%s already decided %s %s. Your decision was not recorded.", who, rows[i].name, s.plainWhen(at)))
		}
	}
	now := s.Now()
	var decidedBy any
	if staffID != 0 {
		decidedBy = staffID
	}
	approved := false
	for i, d := range p.Items {
		decision, code := "approved", ""
		if !d.Approve {
			decision, code = "declined", d.ReasonCode
		}
		if _, err := tx.ExecContext(ctx, `UPDATE prescription_request_items SET decision = ?, reason_code = ?, reason = ?,
			decided_by_staff_id = ?, decided_at = ? WHERE id = ?`,
			decision, code, strings.TrimSpace(d.Reason), decidedBy, now.Unix(), rows[i].id); err != nil {
			return RepeatsDecided{}, fmt.Errorf("decide repeats: %w", err)
		}
		if d.Approve {
			approved = true
			// Approval is what leads to the item being issued; recording it
			// lets a later "too early" be judged against it.
			if _, err := tx.ExecContext(ctx, "UPDATE repeat_medications SET last_issued_at = ? WHERE id = ?", now.Unix(), d.RepeatItemID); err != nil {
				return RepeatsDecided{}, fmt.Errorf("decide repeats: issue: %w", err)
			}
		}
		if err := appendAudit(ctx, tx, now, actor, "prescription."+decision, "patient", patientID,
			fmt.Sprintf("request=%d item=%d code=%s", p.RequestID, d.RepeatItemID, code)); err != nil {
			return RepeatsDecided{}, err
		}
	}
	var res RepeatsDecided
	if approved {
		promised, err := ParseDate(readyBy)
		if err != nil {
			return RepeatsDecided{}, fmt.Errorf("decide repeats: stored ready-by: %w", err)
		}
		res.ReadyBy = ApprovedReadyBy(promised, now, s.loc).String()
		if res.ReadyBy != readyBy {
			if _, err := tx.ExecContext(ctx, "UPDATE prescription_requests SET ready_by = ? WHERE id = ?", res.ReadyBy, p.RequestID); err != nil {
				return RepeatsDecided{}, fmt.Errorf("decide repeats: ready-by: %w", err)
			}
		}
	}
	// The request is complete once no item is left pending.
	if _, err := tx.ExecContext(ctx, `UPDATE prescription_requests SET status = 'completed' WHERE id = ? AND status = 'pending' AND NOT EXISTS
		(SELECT 1 FROM prescription_request_items WHERE request_id = ? AND decision = 'pending')`, p.RequestID, p.RequestID); err != nil {
		return RepeatsDecided{}, fmt.Errorf("decide repeats: complete: %w", err)
	}
	return res, nil
}

// handOutRepeats records how a completed request's approved items left the
// practice.
func (s *Store) handOutRepeats(ctx context.Context, tx *sql.Tx, actor Actor, staffID int64, p HandOutRepeats) error {
	if p.How != HandedOutCollected && p.How != HandedOutPharmacy {
		return refuse(ReasonInvalidInput, "Say whether the prescription was collected or sent to the pharmacy.")
	}
	var patientID int64
	var status, handedOut string
	var by, at sql.NullInt64
	var approved bool
	err := tx.QueryRowContext(ctx, `SELECT patient_id, status, handed_out, handed_out_by_staff_id, handed_out_at,
		EXISTS (SELECT 1 FROM prescription_request_items WHERE request_id = r.id AND decision = 'approved')
		FROM prescription_requests r WHERE id = ?`, p.RequestID).Scan(&patientID, &status, &handedOut, &by, &at, &approved)
	if errors.Is(err, sql.ErrNoRows) {
		return refuse(ReasonNotFound, "That request is not on the practice's list. It may have been removed.")
	}
	if err != nil {
		return fmt.Errorf("hand out repeats: %w", err)
	}
	switch {
	case handedOut != "":
		who, err := staffName(ctx, tx, by)
		if err != nil {
			return fmt.Errorf("hand out repeats: %w", err)
		}
		where := "collected"
		if handedOut == HandedOutPharmacy {
			where = "sent to the pharmacy"
		}
		return refuse(ReasonAlreadyHandled, fmt.Sprintf("%s already marked this prescription %s %s. Nothing was changed.", who, where, s.plainWhen(at)))
	case status == "pending":
		return refuse(ReasonInvalidInput, "A prescriber has not decided this request yet, so there is nothing to hand out.")
	case !approved:
		return refuse(ReasonInvalidInput, "Nothing on this request was approved, so there is nothing to hand out.")
	}
	now := s.Now()
	if _, err := tx.ExecContext(ctx, "UPDATE prescription_requests SET handed_out = ?, handed_out_at = ?, handed_out_by_staff_id = ? WHERE id = ?",
		p.How, now.Unix(), staffID, p.RequestID); err != nil {
		return fmt.Errorf("hand out repeats: %w", err)
	}
	return appendAudit(ctx, tx, now, actor, "prescription.handed_out", "patient", patientID,
		fmt.Sprintf("request=%d how=%s", p.RequestID, p.How))
}

// acknowledgeOutcome records that the patient at a kiosk was shown their
// completed request's decisions. Saying it twice changes nothing.
func (s *Store) acknowledgeOutcome(ctx context.Context, tx *sql.Tx, dev Device, actor Actor, p AcknowledgeOutcome) error {
	if dev.Role != DeviceKiosk {
		return refuse(ReasonStaffNotAllowed, "Only the patient, at a kiosk, can say they have seen their request's outcome.")
	}
	if err := requireKioskPatient(ctx, tx, dev, p.PatientID); err != nil {
		return err
	}
	var owner int64
	var status string
	var seen sql.NullInt64
	err := tx.QueryRowContext(ctx, "SELECT patient_id, status, outcome_seen_at FROM prescription_requests WHERE id = ?", p.RequestID).
		Scan(&owner, &status, &seen)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != p.PatientID) {
		return RefuseRequestNotFound()
	}
	if err != nil {
		return fmt.Errorf("acknowledge outcome: %w", err)
	}
	if status != "completed" {
		return refuse(ReasonInvalidInput, "The practice has not finished with that request yet.")
	}
	if seen.Valid {
		return nil
	}
	now := s.Now()
	if _, err := tx.ExecContext(ctx, "UPDATE prescription_requests SET outcome_seen_at = ? WHERE id = ?", now.Unix(), p.RequestID); err != nil {
		return fmt.Errorf("acknowledge outcome: %w", err)
	}
	return appendAudit(ctx, tx, now, actor, "prescription.outcome_seen", "patient", p.PatientID, fmt.Sprintf("request=%d", p.RequestID))
}

// alertTable names the table and audit subject of an alert entity; the
// entity comes from the payload, so only these names reach SQL.
func alertTable(entity string) (table, subject string, ok bool) {
	switch entity {
	case EntityHelpRequest:
		return "help_requests", "help", true
	case EntityProblemReport:
		return "problem_reports", "problem", true
	}
	return "", "", false
}

// handleAlert acknowledges or resolves a help request or problem report.
func (s *Store) handleAlert(ctx context.Context, tx *sql.Tx, actor Actor, staffID int64, p HandleAlert) error {
	table, subject, ok := alertTable(p.Entity)
	if !ok {
		return refuse(ReasonInvalidInput, "Only a help request or a problem report can be acknowledged or resolved.")
	}
	if p.Action != AlertAcknowledged && p.Action != AlertResolved {
		return refuse(ReasonInvalidInput, "A help request or problem report can be acknowledged or resolved.")
	}
	var status string
	var ackBy, ackAt, resBy, resAt sql.NullInt64
	err := tx.QueryRowContext(ctx, "SELECT status, acknowledged_by_staff_id, acknowledged_at, resolved_by_staff_id, resolved_at FROM "+table+" WHERE id = ?", p.ID).
		Scan(&status, &ackBy, &ackAt, &resBy, &resAt)
	if errors.Is(err, sql.ErrNoRows) {
		return refuse(ReasonNotFound, "That is not in the inbox. It may have been removed.")
	}
	if err != nil {
		return fmt.Errorf("handle alert: %w", err)
	}
	already := func(by, at sql.NullInt64, did string) error {
		who, err := staffName(ctx, tx, by)
		if err != nil {
			return fmt.Errorf("handle alert: %w", err)
		}
		return refuse(ReasonAlreadyHandled, fmt.Sprintf("%s already %s this %s. Nothing was changed.", who, did, s.plainWhen(at)))
	}
	switch {
	case resAt.Valid || status == "closed":
		return already(resBy, resAt, "resolved")
	case p.Action == AlertAcknowledged && ackAt.Valid:
		return already(ackBy, ackAt, "acknowledged")
	}
	now := s.Now()
	q := "UPDATE " + table + " SET acknowledged_at = ?, acknowledged_by_staff_id = ? WHERE id = ?"
	if p.Action == AlertResolved {
		q = "UPDATE " + table + " SET resolved_at = ?, resolved_by_staff_id = ?, status = 'closed' WHERE id = ?"
	}
	if _, err := tx.ExecContext(ctx, q, now.Unix(), staffID, p.ID); err != nil {
		return fmt.Errorf("handle alert: %w", err)
	}
	return appendAudit(ctx, tx, now, actor, subject+"."+p.Action, subject, p.ID, "")
}
