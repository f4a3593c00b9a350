package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	gpsync "gpkiosk/sync"
)

// ErrUnknownOpKind is a whole-batch refusal: the server cannot apply an op
// it does not understand, and must not apply the ones after it out of order.
var ErrUnknownOpKind = errors.New("unknown op kind")

// ErrMalformedOp means an op's ID, time or payload is not what the protocol
// says; nothing of the batch is applied.
var ErrMalformedOp = errors.New("malformed op")

var opIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// DecodeOp checks an op's shape and decodes its payload strictly (unknown
// fields and trailing data are refused). The server runs it over a whole
// batch before applying any op.
func DecodeOp(op gpsync.Op) (any, error) {
	if !opIDPattern.MatchString(op.ID) {
		return nil, fmt.Errorf("%w: id must be a UUID", ErrMalformedOp)
	}
	if op.CreatedAt.IsZero() {
		return nil, fmt.Errorf("%w: op %s has no createdAt", ErrMalformedOp, op.ID)
	}
	var p any
	switch op.Kind {
	case gpsync.OpBook:
		p = &gpsync.BookPayload{}
	case gpsync.OpCancelAppointment:
		p = &gpsync.CancelAppointmentPayload{}
	case gpsync.OpOrderRepeats:
		p = &gpsync.OrderRepeatsPayload{}
	case gpsync.OpCancelRequest:
		p = &gpsync.CancelRequestPayload{}
	case gpsync.OpReportProblem:
		p = &gpsync.ReportProblemPayload{}
	case gpsync.OpAskForHelp:
		p = &gpsync.AskForHelpPayload{}
	case gpsync.OpLinkProxy:
		p = &gpsync.LinkProxyPayload{}
	case gpsync.OpRegisterOnline:
		p = &gpsync.RegisterOnlinePayload{}
	case gpsync.OpRecordView:
		p = &gpsync.RecordViewPayload{}
	case gpsync.OpDecideRepeats:
		p = &gpsync.DecideRepeatsPayload{}
	case gpsync.OpHandOutRepeats:
		p = &gpsync.HandOutRepeatsPayload{}
	case gpsync.OpRecordOutcome:
		p = &gpsync.RecordOutcomePayload{}
	case gpsync.OpHandleAlert:
		p = &gpsync.HandleAlertPayload{}
	case gpsync.OpAcknowledgeOutcome:
		p = &gpsync.AcknowledgeOutcomePayload{}
	case gpsync.OpCountLesson:
		p = &gpsync.CountLessonPayload{}
	default:
		return nil, fmt.Errorf("%w %q", ErrUnknownOpKind, op.Kind)
	}
	dec := json.NewDecoder(bytes.NewReader(op.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(p); err != nil {
		return nil, fmt.Errorf("%w: %s payload: %v", ErrMalformedOp, op.Kind, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: %s payload has trailing data", ErrMalformedOp, op.Kind)
	}
	if b, ok := p.(*gpsync.BookPayload); ok && b.CheckInCode != "" && !ValidCheckInCode(b.CheckInCode) {
		return nil, fmt.Errorf("%w: book payload: check-in code is not 26 base32 characters", ErrMalformedOp)
	}
	return p, nil
}

// ApplyOp applies one op from a device in its own transaction and stores
// its result under the op's ID in the same transaction. A replay returns
// the stored result and changes nothing. A rule refusal is a normal
// "rejected" result; only a fault of the server itself is an error.
func (s *Store) ApplyOp(ctx context.Context, dev Device, op gpsync.Op) (gpsync.OpResult, error) {
	payload, err := DecodeOp(op)
	if err != nil {
		return gpsync.OpResult{}, err
	}
	var out gpsync.OpResult
	err = s.inTx(ctx, "store.ApplyOp", func(tx *sql.Tx) error {
		var owner, status, reason, message, result string
		err := tx.QueryRowContext(ctx, "SELECT device_id, status, reason, message, result FROM applied_ops WHERE op_id = ?", op.ID).
			Scan(&owner, &status, &reason, &message, &result)
		switch {
		case err == nil && owner == dev.ID:
			out = gpsync.OpResult{ID: op.ID, Status: status, Reason: reason, Message: message}
			if result != "" {
				out.Result = json.RawMessage(result)
			}
			return nil
		case err == nil:
			out = gpsync.OpResult{ID: op.ID, Status: gpsync.OpRejected, Reason: "op_id_conflict",
				Message: "This action could not be sent because of a device fault. Please ask at the desk."}
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("store.ApplyOp: %w", err)
		}

		// The op's own changes sit in a savepoint so a refusal found part
		// way leaves only the record of the refusal.
		if _, err := tx.ExecContext(ctx, "SAVEPOINT op"); err != nil {
			return fmt.Errorf("store.ApplyOp: %w", err)
		}
		res, err := s.applyPayload(ctx, tx, dev, op, payload)
		out = gpsync.OpResult{ID: op.ID, Status: gpsync.OpApplied}
		if re, ok := AsRuleError(err); ok {
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO op"); err != nil {
				return fmt.Errorf("store.ApplyOp: %w", err)
			}
			out = gpsync.OpResult{ID: op.ID, Status: gpsync.OpRejected, Reason: string(re.Reason), Message: re.Message}
		} else if err != nil {
			return err
		} else if out.Result, err = json.Marshal(res); err != nil {
			return fmt.Errorf("store.ApplyOp: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "RELEASE op"); err != nil {
			return fmt.Errorf("store.ApplyOp: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO applied_ops (op_id, device_id, kind, status, reason, message, result, created_at, applied_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, op.ID, dev.ID, op.Kind, out.Status, out.Reason, out.Message, string(out.Result),
			op.CreatedAt.Unix(), s.Now().Unix())
		if err != nil {
			return fmt.Errorf("store.ApplyOp: record: %w", err)
		}
		return nil
	})
	return out, err
}

func (s *Store) channelOf(dev Device) Channel {
	if dev.Role == DeviceKiosk {
		return ChannelKiosk
	}
	return ChannelReception
}

// actorFor names who acted: on a kiosk the patient, on a desktop the
// member of staff signed in (or the device, for an op that names nobody).
func actorFor(dev Device, m opStaff, named bool, patientID int64) Actor {
	if named {
		return m.actor(dev)
	}
	if dev.Role == DeviceKiosk && patientID != 0 {
		return Actor{Name: fmt.Sprintf("patient:%d", patientID), Device: dev.ID}
	}
	return Actor{Name: "device:" + dev.ID, Device: dev.ID}
}

// kioskRegisteredSQL is the one rule for whether a kiosk may hold and act
// for a patient: a registration enabled for kiosk use, not revoked, and
// not made for a proxy whose access has ended.
const kioskRegisteredSQL = `SELECT EXISTS (SELECT 1 FROM online_registrations r WHERE r.patient_id = ?
	AND r.kiosk_enabled = 1 AND r.revoked_at IS NULL
	AND (r.proxy_relationship_id IS NULL OR EXISTS (SELECT 1 FROM proxy_relationships pr
	     WHERE pr.id = r.proxy_relationship_id AND pr.ended_at IS NULL)))`

// requireKioskPatient refuses a kiosk acting for a patient it may not hold.
func requireKioskPatient(ctx context.Context, tx *sql.Tx, dev Device, patientID int64) error {
	if dev.Role != DeviceKiosk {
		return nil
	}
	var ok bool
	if err := tx.QueryRowContext(ctx, kioskRegisteredSQL, patientID).Scan(&ok); err != nil {
		return fmt.Errorf("check kiosk registration: %w", err)
	}
	if !ok {
		return refuse(ReasonNotFound, "This kiosk cannot do that for you: you are not registered to use it. Please ask at the desk.")
	}
	return nil
}

func (s *Store) applyPayload(ctx context.Context, tx *sql.Tx, dev Device, op gpsync.Op, payload any) (any, error) {
	ch := s.channelOf(dev)
	staff, named, err := staffForOp(ctx, tx, dev, op.StaffID)
	if err != nil {
		return nil, err
	}
	who := func(patientID int64) Actor { return actorFor(dev, staff, named, patientID) }
	// Desktop-only ops need a member of staff whose role may make them. A
	// booking or cancellation from a desktop that names nobody is the
	// desk's own (as before staff signed in); one that names someone must
	// be theirs to make.
	switch {
	case deskOnlyOp(op.Kind), named && (op.Kind == gpsync.OpBook || op.Kind == gpsync.OpCancelAppointment):
		st, err := loadSettings(ctx, tx)
		if err != nil {
			return nil, fmt.Errorf("store.ApplyOp: %w", err)
		}
		if err := requireStaffFor(dev, op.Kind, staff, named, st); err != nil {
			return nil, err
		}
	}
	switch p := payload.(type) {
	case *gpsync.LinkProxyPayload:
		return s.linkProxy(ctx, tx, who(0), staff, op, p)
	case *gpsync.RegisterOnlinePayload:
		return s.registerOnline(ctx, tx, who(0), staff, op, p)
	case *gpsync.RecordViewPayload:
		return s.recordView(ctx, tx, who(0), p)
	case *gpsync.DecideRepeatsPayload:
		return s.decideRepeats(ctx, tx, who(0), staff.id, p)
	case *gpsync.HandOutRepeatsPayload:
		return s.handOutRepeats(ctx, tx, who(0), staff.id, p)
	case *gpsync.RecordOutcomePayload:
		return struct{}{}, s.recordOutcome(ctx, tx, who(0), p.AppointmentID, p.Status)
	case *gpsync.HandleAlertPayload:
		return s.handleAlert(ctx, tx, who(0), staff.id, p)
	case *gpsync.AcknowledgeOutcomePayload:
		return s.acknowledgeOutcome(ctx, tx, dev, who(p.PatientID), p)
	case *gpsync.BookPayload:
		if err := requireKioskPatient(ctx, tx, dev, p.PatientID); err != nil {
			return nil, err
		}
		appt, err := s.book(ctx, tx, BookingRequest{SlotID: p.SlotID, PatientID: p.PatientID, Channel: ch,
			Actor: who(p.PatientID), DeviceID: dev.ID, MadeAt: op.CreatedAt, CheckInCode: p.CheckInCode, StaffID: staff.id})
		return gpsync.BookResult{AppointmentID: appt.ID}, err
	case *gpsync.CancelAppointmentPayload:
		if err := requireKioskPatient(ctx, tx, dev, p.PatientID); err != nil {
			return nil, err
		}
		return struct{}{}, s.cancel(ctx, tx, CancelRequest{AppointmentID: p.AppointmentID, PatientID: p.PatientID, Channel: ch, Actor: who(p.PatientID)})
	case *gpsync.OrderRepeatsPayload:
		if err := requireKioskPatient(ctx, tx, dev, p.PatientID); err != nil {
			return nil, err
		}
		req, err := s.requestRepeats(ctx, tx, RepeatRequest{PatientID: p.PatientID, ItemIDs: p.ItemIDs, Channel: ch, Note: p.Note, Actor: who(p.PatientID)})
		return gpsync.OrderRepeatsResult{RequestID: req.ID, ReadyBy: req.ReadyBy.String()}, err
	case *gpsync.CancelRequestPayload:
		if err := requireKioskPatient(ctx, tx, dev, p.PatientID); err != nil {
			return nil, err
		}
		return struct{}{}, s.cancelRepeatRequest(ctx, tx, who(p.PatientID), ch, p.PatientID, p.RequestID)
	case *gpsync.ReportProblemPayload:
		return s.reportProblem(ctx, tx, dev, who(0), p.Category, p.Description)
	case *gpsync.AskForHelpPayload:
		return s.askForHelp(ctx, tx, dev, who(0), p.Note)
	case *gpsync.CountLessonPayload:
		return s.countLesson(ctx, tx, dev, op, who(0), p)
	}
	return nil, fmt.Errorf("store.ApplyOp: %w %T", ErrUnknownOpKind, payload)
}

// deskOnlyOp: ops only a member of staff at a desktop may make.
func deskOnlyOp(kind string) bool {
	switch kind {
	case gpsync.OpLinkProxy, gpsync.OpRegisterOnline, gpsync.OpRecordView, gpsync.OpDecideRepeats,
		gpsync.OpHandOutRepeats, gpsync.OpRecordOutcome, gpsync.OpHandleAlert:
		return true
	}
	return false
}

func (s *Store) reportProblem(ctx context.Context, tx *sql.Tx, dev Device, actor Actor, category, description string) (any, error) {
	category, description = strings.TrimSpace(category), strings.TrimSpace(description)
	if category == "" || description == "" {
		return nil, refuse(ReasonInvalidInput, "Please say what the problem is.")
	}
	if utf8.RuneCountInString(description) > gpsync.MaxProblemText || utf8.RuneCountInString(category) > 80 {
		return nil, refuse(ReasonInvalidInput, fmt.Sprintf("Please keep the description to %d letters or fewer.", gpsync.MaxProblemText))
	}
	reporter := "staff"
	if dev.Role == DeviceKiosk {
		reporter = "patient"
	}
	now := s.Now()
	res, err := tx.ExecContext(ctx, "INSERT INTO problem_reports (reported_at, reporter, device_id, category, description) VALUES (?, ?, ?, ?, ?)",
		now.Unix(), reporter, dev.ID, category, description)
	if err != nil {
		return nil, fmt.Errorf("report problem: %w", err)
	}
	id, _ := res.LastInsertId()
	return gpsync.CreatedResult{ID: id}, appendAudit(ctx, tx, now, actor, "problem.report", "problem", id, "")
}

func (s *Store) askForHelp(ctx context.Context, tx *sql.Tx, dev Device, actor Actor, note string) (any, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 200 {
		return nil, refuse(ReasonInvalidInput, "Please keep the note to 200 letters or fewer.")
	}
	now := s.Now()
	res, err := tx.ExecContext(ctx, "INSERT INTO help_requests (device_id, note, requested_at) VALUES (?, ?, ?)", dev.ID, note, now.Unix())
	if err != nil {
		return nil, fmt.Errorf("ask for help: %w", err)
	}
	id, _ := res.LastInsertId()
	return gpsync.CreatedResult{ID: id}, appendAudit(ctx, tx, now, actor, "help.request", "help", id, "")
}

// OpCount is the number of ops recorded as applied or rejected, for tests
// and monitoring.
func (s *Store) OpCount(ctx context.Context) (applied, rejected int, err error) {
	err = s.read.QueryRowContext(ctx, `SELECT coalesce(sum(status = 'applied'), 0), coalesce(sum(status = 'rejected'), 0) FROM applied_ops`).
		Scan(&applied, &rejected)
	if err != nil {
		return 0, 0, fmt.Errorf("store.OpCount: %w", err)
	}
	return applied, rejected, nil
}
