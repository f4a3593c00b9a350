package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// ErrIncompleteRequest means a request came without a key, a time or a
// command. The server's decoding lets none through; this keeps the store
// safe on its own.
var ErrIncompleteRequest = errors.New("incomplete request")

// ReasonKeyTaken: another device already used the request's key.
const ReasonKeyTaken Reason = "op_id_conflict"

// How a request's record says it ended.
const (
	recordApplied  = "applied"
	recordRejected = "rejected"
)

// Apply does what a device asks, by the practice's rules, in one
// transaction that also records the outcome under the request's key: the
// effect and its record commit together. A replay of the key returns the
// recorded outcome and changes nothing. A rule's refusal is a normal
// outcome; the errors are a fault of the store itself, and a *QuotaError
// (errors.As): the device has used its quota of the request's kind, and
// nothing was done or recorded, so the same key may be sent again later.
func (s *Store) Apply(ctx context.Context, req Request) (Outcome, error) {
	outs, err := s.ApplyBatch(ctx, []Request{req})
	if err != nil {
		return Outcome{}, fmt.Errorf("store.Apply: %w", err)
	}
	return outs[0], nil
}

// A batch's write transactions are bounded so that one desktop's long push
// cannot hold the single writer: a kiosk's one op waits for at most one
// chunk, not for the whole push.
const (
	batchMaxOps  = 32
	batchMaxTime = 3 * time.Millisecond
	// A batch of this many requests or fewer (a kiosk's push) waits for
	// the writer ahead of the chunks of longer ones.
	batchShortOps = 4
)

// ApplyBatch applies a device's requests in order, as Apply would one by
// one, but commits them together in as few write transactions as the
// bounds above allow: each request sits in its own savepoint, so a
// refusal undoes only that request, and each is recorded under its own
// key, so every one stays idempotent and answered on its own.
//
// The outcomes are those of the requests committed, in order. A
// *QuotaError (errors.As) stops the batch at that request: the ones before
// it are committed and answered, it and the rest are not recorded. Any
// other error is the store's own: what was committed before it is
// answered, the transaction it happened in is rolled back, and the rest
// may be sent again. A request without a key, a time or a command is
// refused before anything is applied.
func (s *Store) ApplyBatch(ctx context.Context, reqs []Request) ([]Outcome, error) {
	for i, req := range reqs {
		if req.Key == "" || req.MadeAt.IsZero() || req.Command == nil {
			return nil, fmt.Errorf("store.ApplyBatch: request %d: %w", i+1, ErrIncompleteRequest)
		}
	}
	outs := make([]Outcome, 0, len(reqs))
	for len(outs) < len(reqs) {
		var chunk []Outcome
		var held error
		err := s.writeTxTurn(ctx, "store.ApplyBatch", len(reqs) <= batchShortOps, func(ctx context.Context, tx *sql.Tx) error {
			chunk = chunk[:0]
			started := time.Now()
			for _, req := range reqs[len(outs):] {
				if len(chunk) == batchMaxOps || (len(chunk) > 0 && time.Since(started) >= batchMaxTime) {
					break
				}
				out, err := s.applyOne(ctx, tx, req)
				var quota *QuotaError
				if errors.As(err, &quota) {
					held = err // the requests before it still commit
					return nil
				}
				if err != nil {
					return err
				}
				chunk = append(chunk, out)
			}
			return nil
		})
		if err != nil {
			return outs, fmt.Errorf("store.ApplyBatch: %w", err)
		}
		outs = append(outs, chunk...)
		if held != nil {
			return outs, fmt.Errorf("store.ApplyBatch: %w", held)
		}
	}
	return outs, nil
}

// applyOne applies one request inside a batch's transaction, in its own
// savepoint: a refusal, or a quota's hold, rolls back only this request.
// What the transaction keeps in memory (txMemo) is put back with it.
func (s *Store) applyOne(ctx context.Context, tx *sql.Tx, req Request) (Outcome, error) {
	var owner, kind, status, reason, message, result, fingerprint string
	err := tx.QueryRowContext(ctx, "SELECT device_id, kind, status, reason, message, result, payload_hash FROM applied_ops WHERE op_id = ?", req.Key).
		Scan(&owner, &kind, &status, &reason, &message, &result, &fingerprint)
	switch {
	case err == nil && sameRequest(req, owner, RequestKind(kind), fingerprint):
		return recordedOutcome(RequestKind(kind), status, reason, message, result)
	case err == nil:
		// Another device's key, or this device's key on another action:
		// answering with the first action's outcome would tell the device
		// something was done that was not.
		return Outcome{Refusal: sentKeyTaken.rule(ReasonKeyTaken)}, nil
	case !errors.Is(err, sql.ErrNoRows):
		return Outcome{}, fmt.Errorf("read request record: %w", err)
	}

	settings, err := s.txSettings(ctx, tx)
	if err != nil {
		return Outcome{}, err
	}
	claimed := req.MadeAt
	req.MadeAt = settings.JudgedAt(claimed, s.Now())

	// The request's own changes sit in a savepoint so a refusal found part
	// way leaves only the record of the refusal.
	if _, err := tx.ExecContext(ctx, "SAVEPOINT op"); err != nil {
		return Outcome{}, fmt.Errorf("savepoint: %w", err)
	}
	memo := memoFrom(ctx)
	before := *memo
	made, err := s.applyCommand(ctx, tx, req)
	out := Outcome{Made: made}
	if err == nil && !req.MadeAt.Equal(claimed) {
		// The audit keeps the device's word beside the time judged.
		err = appendAudit(ctx, tx, s.Now(), Actor{Name: "device:" + req.Device.ID, Device: req.Device.ID}, "op.time_bounded", "op", 0,
			fmt.Sprintf("kind=%s device_time=%s judged_at=%s", req.Command.Kind(), claimed.UTC().Format(time.RFC3339), req.MadeAt.UTC().Format(time.RFC3339)))
	}
	var held *QuotaError
	re, refused := AsRuleError(err)
	switch {
	case errors.As(err, &held) || refused:
		// Held, not refused, leaves nothing: the key stays unused and a
		// later send is judged afresh. A refusal leaves only its record.
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO op"); rerr != nil {
			return Outcome{}, fmt.Errorf("roll back refused request: %w", rerr)
		}
		*memo = before
		if held != nil {
			if _, rerr := tx.ExecContext(ctx, "RELEASE op"); rerr != nil {
				return Outcome{}, fmt.Errorf("release held request: %w", rerr)
			}
			return Outcome{}, err
		}
		out = Outcome{Refusal: re}
	case err != nil:
		return Outcome{}, err
	}
	if _, err := tx.ExecContext(ctx, "RELEASE op"); err != nil {
		return Outcome{}, fmt.Errorf("release savepoint: %w", err)
	}
	if out.Refusal != nil && out.Refusal.Reason == ReasonNotProven {
		// Not a refusal of the action but of the sender: nothing is
		// recorded, so a forger can neither fill the table nor spend a key
		// the real device will use.
		return out, nil
	}
	status, reason, message, result = recordApplied, "", "", "{}"
	if out.Refusal != nil {
		status, reason, message, result = recordRejected, string(out.Refusal.Reason), out.Refusal.Message, ""
		if out.Refusal.Code != "" {
			// A rejection has no result, so its column keeps the
			// sentence's code and values for a replay to send again.
			b, err := json.Marshal(recordedSentence{Code: out.Refusal.Code, Args: out.Refusal.Args})
			if err != nil {
				return Outcome{}, fmt.Errorf("record refusal: %w", err)
			}
			result = string(b)
		}
	} else if made != nil {
		b, err := json.Marshal(made)
		if err != nil {
			return Outcome{}, fmt.Errorf("record result: %w", err)
		}
		result = string(b)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO applied_ops (op_id, device_id, kind, status, reason, message, result, created_at, applied_at,
		payload_hash, judged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, req.Key, req.Device.ID, string(req.Command.Kind()), status, reason,
		message, result, claimed.Unix(), s.Now().Unix(), req.Fingerprint, req.MadeAt.Unix())
	if err != nil {
		return Outcome{}, fmt.Errorf("record: %w", err)
	}
	return out, nil
}

// sameRequest reports whether a key's record is of this request: the same
// device, kind and, when both were recorded, fingerprint.
func sameRequest(req Request, device string, kind RequestKind, fingerprint string) bool {
	if device != req.Device.ID || kind != req.Command.Kind() {
		return false
	}
	return fingerprint == "" || req.Fingerprint == "" || fingerprint == req.Fingerprint
}

// recordedSentence is a rejection's Sentence code and values, kept in
// applied_ops.result (empty for a rejection before codes, or without one).
type recordedSentence struct {
	Code string   `json:"code"`
	Args []string `json:"args,omitempty"`
}

// recordedOutcome reads back a request's recorded outcome.
func recordedOutcome(kind RequestKind, status, reason, message, result string) (Outcome, error) {
	if status == recordRejected {
		re := &RuleError{Reason: Reason(reason), Message: message}
		var sent recordedSentence
		if result != "" && json.Unmarshal([]byte(result), &sent) == nil {
			re.Code, re.Args = sent.Code, sent.Args
		}
		return Outcome{Refusal: re}, nil
	}
	var made any
	var err error
	switch kind {
	case KindBook:
		made, err = decodeMade[Booked](result)
	case KindOrderRepeats:
		made, err = decodeMade[RepeatsOrdered](result)
	case KindReportProblem, KindAskForHelp:
		made, err = decodeMade[Created](result)
	case KindLinkProxy:
		made, err = decodeMade[ProxyLinked](result)
	case KindRegisterOnline:
		made, err = decodeMade[Registered](result)
	case KindDecideRepeats:
		made, err = decodeMade[RepeatsDecided](result)
	}
	if err != nil {
		return Outcome{}, fmt.Errorf("store.Apply: recorded %s outcome: %w", kind, err)
	}
	return Outcome{Made: made}, nil
}

func decodeMade[T any](result string) (any, error) {
	var v T
	err := json.Unmarshal([]byte(result), &v)
	return v, err
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

func (s *Store) applyCommand(ctx context.Context, tx *sql.Tx, req Request) (any, error) {
	dev, kind := req.Device, req.Command.Kind()
	ch := s.channelOf(dev)
	staff, named, err := staffForOp(ctx, tx, dev, req.StaffID)
	if err != nil {
		return nil, err
	}
	who := func(patientID int64) Actor { return actorFor(dev, staff, named, patientID) }
	if err := s.proveActor(ctx, tx, req, staff, named); err != nil {
		return nil, err
	}
	// Desktop-only requests need a member of staff whose role may make
	// them. A booking or cancellation from a desktop that names nobody is
	// the desk's own (as before staff signed in); one that names someone
	// must be theirs to make.
	switch {
	case deskOnlyKind(kind), named && (kind == KindBook || kind == KindCancelAppointment):
		st, err := s.txSettings(ctx, tx)
		if err != nil {
			return nil, err
		}
		if err := requireStaffFor(dev, kind, staff, named, st); err != nil {
			return nil, err
		}
	}
	if err := s.checkQuota(ctx, tx, dev, kind); err != nil { // limits.go
		return nil, err
	}
	switch c := req.Command.(type) {
	case LinkProxy:
		return s.linkProxy(ctx, tx, who(0), staff, req, c)
	case RegisterOnline:
		return s.registerOnline(ctx, tx, who(0), staff, req, c)
	case RecordView:
		return nil, s.recordView(ctx, tx, who(0), c)
	case DecideRepeats:
		return s.decideRepeats(ctx, tx, who(0), staff.id, c)
	case HandOutRepeats:
		return nil, s.handOutRepeats(ctx, tx, who(0), staff.id, c)
	case RecordOutcome:
		return nil, s.recordOutcome(ctx, tx, who(0), c.AppointmentID, c.Status)
	case HandleAlert:
		return nil, s.handleAlert(ctx, tx, who(0), staff.id, c)
	case AcknowledgeOutcome:
		return nil, s.acknowledgeOutcome(ctx, tx, dev, who(c.PatientID), c)
	case Book:
		if err := requireKioskPatient(ctx, tx, dev, c.PatientID); err != nil {
			return nil, err
		}
		appt, err := s.book(ctx, tx, BookingRequest{SlotID: c.SlotID, PatientID: c.PatientID, Channel: ch,
			Actor: who(c.PatientID), DeviceID: dev.ID, MadeAt: req.MadeAt, CheckInCode: c.CheckInCode, StaffID: staff.id})
		return Booked{AppointmentID: appt.ID}, err
	case CancelAppointment:
		if err := requireKioskPatient(ctx, tx, dev, c.PatientID); err != nil {
			return nil, err
		}
		if c.AppointmentID, err = madeBy[Booked](ctx, tx, dev, KindBook, c.AppointmentID, c.BookingKey, func(b Booked) int64 { return b.AppointmentID }); err != nil {
			return nil, err
		}
		return nil, s.cancel(ctx, tx, CancelRequest{AppointmentID: c.AppointmentID, PatientID: c.PatientID, Channel: ch, Actor: who(c.PatientID)})
	case OrderRepeats:
		if err := requireKioskPatient(ctx, tx, dev, c.PatientID); err != nil {
			return nil, err
		}
		made, err := s.requestRepeats(ctx, tx, RepeatRequest{PatientID: c.PatientID, ItemIDs: c.ItemIDs, Channel: ch, Note: c.Note, Actor: who(c.PatientID)})
		return RepeatsOrdered{RequestID: made.ID, ReadyBy: made.ReadyBy.String()}, err
	case CancelRepeatRequest:
		if err := requireKioskPatient(ctx, tx, dev, c.PatientID); err != nil {
			return nil, err
		}
		if c.RequestID, err = madeBy[RepeatsOrdered](ctx, tx, dev, KindOrderRepeats, c.RequestID, c.OrderKey, func(r RepeatsOrdered) int64 { return r.RequestID }); err != nil {
			return nil, err
		}
		return nil, s.cancelRepeatRequest(ctx, tx, who(c.PatientID), ch, c.PatientID, c.RequestID)
	case ReportProblem:
		return s.reportProblem(ctx, tx, dev, who(0), c.Category, c.Description)
	case AskForHelp:
		return s.askForHelp(ctx, tx, dev, who(0), c.Note)
	case CountLesson:
		return nil, s.countLesson(ctx, tx, dev, req, who(0), c)
	}
	return nil, fmt.Errorf("store.Apply: %w: %T", ErrIncompleteRequest, req.Command)
}

// deskOnlyKind: requests only a member of staff at a desktop may make.
// proveActor checks that the person a request acts as made it: a named
// member of staff by their online session's key or their password's, a patient at a kiosk by their
// letter's, with the letter giving the service asked for. A desktop acting
// for a patient must name a member of staff.
func (s *Store) proveActor(ctx context.Context, tx *sql.Tx, req Request, staff opStaff, named bool) error {
	if named && req.Session != "" {
		return proveStaffSession(ctx, tx, req.Device, staff.id, req.Session, req.Proof, req.MadeAt)
	}
	if named {
		return proveStaff(staff.verifier, req.Proof)
	}
	patient, ok := req.Command.(patientCommand)
	if !ok {
		return nil // a device's own anonymous report, request for help or tally
	}
	if req.Device.Role != DeviceKiosk {
		return refuse(ReasonStaffNotAllowed, "Sign in as a member of staff to do that.")
	}
	letter, err := s.provePatient(ctx, tx, patient.patient(), req.Proof, req.MadeAt)
	if err != nil {
		return err
	}
	switch req.Command.Kind() {
	case KindBook, KindCancelAppointment:
		if !letter.appointments {
			return refuse(ReasonNotEligible, "Your letter does not give you appointments. Please ask at the desk.")
		}
	default:
		if !letter.prescriptions {
			return refuse(ReasonNotEligible, "Your letter does not give you repeat prescriptions. Please ask at the desk.")
		}
	}
	return nil
}

// madeBy is the number of what this device's earlier request (key, of
// kind) made, for a request that names it by key because it was made
// before the device heard the number. id is used when key is "": a
// request names one or the other.
func madeBy[T any](ctx context.Context, tx *sql.Tx, dev Device, kind RequestKind, id int64, key string, number func(T) int64) (int64, error) {
	if key == "" {
		return id, nil
	}
	if id != 0 {
		return 0, refuse(ReasonInvalidInput, "A cancellation names what it cancels once.")
	}
	var result string
	err := tx.QueryRowContext(ctx, "SELECT result FROM applied_ops WHERE op_id = ? AND device_id = ? AND kind = ? AND status = ?",
		key, dev.ID, string(kind), recordApplied).Scan(&result)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, refuse(ReasonNotFound, "What this cancels was not made, so there is nothing to cancel.")
	}
	if err != nil {
		return 0, fmt.Errorf("find earlier request: %w", err)
	}
	var made T
	if err := json.Unmarshal([]byte(result), &made); err != nil {
		return 0, fmt.Errorf("find earlier request: %w", err)
	}
	return number(made), nil
}

func deskOnlyKind(kind RequestKind) bool {
	switch kind {
	case KindLinkProxy, KindRegisterOnline, KindRecordView, KindDecideRepeats,
		KindHandOutRepeats, KindRecordOutcome, KindHandleAlert:
		return true
	}
	return false
}

func (s *Store) reportProblem(ctx context.Context, tx *sql.Tx, dev Device, actor Actor, category, description string) (Created, error) {
	category, description = strings.TrimSpace(category), strings.TrimSpace(description)
	if category == "" || description == "" {
		return Created{}, refuse(ReasonInvalidInput, "Please say what the problem is.")
	}
	if utf8.RuneCountInString(description) > MaxProblemChars || utf8.RuneCountInString(category) > 80 {
		return Created{}, refuse(ReasonInvalidInput, fmt.Sprintf("Please keep the description to %d letters or fewer.", MaxProblemChars))
	}
	reporter := "staff"
	if dev.Role == DeviceKiosk {
		reporter = "patient"
	}
	now := s.Now()
	res, err := tx.ExecContext(ctx, "INSERT INTO problem_reports (reported_at, reporter, device_id, category, description) VALUES (?, ?, ?, ?, ?)",
		now.Unix(), reporter, dev.ID, category, description)
	if err != nil {
		return Created{}, fmt.Errorf("report problem: %w", err)
	}
	id, _ := res.LastInsertId()
	return Created{ID: id}, appendAudit(ctx, tx, now, actor, "problem.report", "problem", id, "")
}

func (s *Store) askForHelp(ctx context.Context, tx *sql.Tx, dev Device, actor Actor, note string) (Created, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 200 {
		return Created{}, refuse(ReasonInvalidInput, "Please keep the note to 200 letters or fewer.")
	}
	now := s.Now()
	res, err := tx.ExecContext(ctx, "INSERT INTO help_requests (device_id, note, requested_at) VALUES (?, ?, ?)", dev.ID, note, now.Unix())
	if err != nil {
		return Created{}, fmt.Errorf("ask for help: %w", err)
	}
	id, _ := res.LastInsertId()
	return Created{ID: id}, appendAudit(ctx, tx, now, actor, "help.request", "help", id, "")
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

// The write path's memory. The store has one writer connection, so what
// its last transaction left (the settings, the audit chain's head) is
// still true at the start of the next, unless something else wrote in
// between: another connection or process (the admin commands run beside
// the server), which SQLite's data_version tells, or another statement on
// this connection (any other store path, a test's raw UPDATE), which its
// total_changes() tells. writeTx reads both once a transaction, and keeps
// the memory only while neither moved.

// txMemo is what one write transaction knows without asking the database.
// It travels in the transaction's context, so appendAudit, called from
// anywhere in it, keeps the chain's head current.
type txMemo struct {
	settings   Settings
	settingsOK bool
	head       auditHead
	// leasesBackFor is the device whose booking last gave idle kiosks'
	// leases back in this transaction, at leasesBackAt (Unix seconds): a
	// batch's next booking by that device at that second finds none to
	// give. It is never kept past the transaction.
	leasesBackFor string
	leasesBackAt  int64
}

type txMemoKey struct{}

// memoFrom is the transaction's memo, or a fresh one that nothing shares
// outside writeTx.
func memoFrom(ctx context.Context) *txMemo {
	if m, ok := ctx.Value(txMemoKey{}).(*txMemo); ok {
		return m
	}
	return &txMemo{}
}

// writerCache is the memo the last committed writeTx left, and the
// connection's counters just before that commit; and the queue for the
// writer.
type writerCache struct {
	// turn gives the writer to writeTx callers in the order they asked:
	// database/sql hands a freed connection to a waiter at random, so a
	// kiosk's one op could wait behind many chunks of desktops' pushes.
	turn    fifo
	mu      sync.Mutex
	ok      bool
	changes int64 // total_changes() on the writer connection
	version int64 // PRAGMA data_version on it
	memo    txMemo
}

// writeTx is inTx with the writer's memory: fn's context carries the memo,
// which is kept after a commit and forgotten if anything else wrote since.
func (s *Store) writeTx(ctx context.Context, op string, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.writeTxTurn(ctx, op, true, fn)
}

// writeTxTurn is writeTx for a short request, or for a chunk of a long one
// (short false), which waits behind the short ones.
func (s *Store) writeTxTurn(ctx context.Context, op string, short bool, fn func(ctx context.Context, tx *sql.Tx) error) error {
	if err := s.writer.turn.lock(ctx, short); err != nil {
		return fmt.Errorf("%s: waiting for the writer: %w", op, err)
	}
	defer s.writer.turn.unlock()
	var kept writerCache
	err := s.inTx(ctx, op, func(tx *sql.Tx) error {
		var changes, version int64
		if err := tx.QueryRowContext(ctx, "SELECT total_changes(), data_version FROM pragma_data_version").Scan(&changes, &version); err != nil {
			return fmt.Errorf("%s: writer state: %w", op, err)
		}
		memo := &txMemo{}
		s.writer.mu.Lock()
		if s.writer.ok && s.writer.changes == changes && s.writer.version == version {
			*memo = s.writer.memo
		}
		s.writer.mu.Unlock()
		if err := fn(context.WithValue(ctx, txMemoKey{}, memo), tx); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT total_changes()").Scan(&changes); err != nil {
			return fmt.Errorf("%s: writer state: %w", op, err)
		}
		kept = writerCache{ok: true, changes: changes, version: version, memo: *memo}
		kept.memo.leasesBackFor, kept.memo.leasesBackAt = "", 0
		return nil
	})
	if err != nil {
		// A rollback leaves the file as the cache describes it, or moves
		// total_changes so the next transaction reads afresh; either way
		// the cache stays safe.
		return err
	}
	s.writer.mu.Lock()
	s.writer.ok, s.writer.changes, s.writer.version, s.writer.memo = true, kept.changes, kept.version, kept.memo
	s.writer.mu.Unlock()
	return nil
}

// fifo is a lock taken in the order asked, except that a short request
// (one op, a kiosk's) goes before the chunks of long ones, which would
// otherwise keep it waiting for one chunk of each desktop pushing. Short
// requests cannot starve the long: devices' requests are rate-limited. A
// waiter may leave when its context ends.
type fifo struct {
	mu    sync.Mutex
	held  bool
	short []chan struct{}
	long  []chan struct{}
}

func (f *fifo) lock(ctx context.Context, short bool) error {
	f.mu.Lock()
	if !f.held {
		f.held = true
		f.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	queue := &f.long
	if short {
		queue = &f.short
	}
	*queue = append(*queue, ch)
	f.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		f.mu.Lock()
		defer f.mu.Unlock()
		if i := slices.Index(*queue, ch); i >= 0 {
			*queue = slices.Delete(*queue, i, i+1)
			return ctx.Err()
		}
		// Handed the lock as the context ended: pass it on.
		f.handOn()
		return ctx.Err()
	}
}

func (f *fifo) unlock() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handOn()
}

// handOn gives the lock to the longest-waiting short request, else the
// longest-waiting long one, or frees it; f.mu is held.
func (f *fifo) handOn() {
	for _, queue := range []*[]chan struct{}{&f.short, &f.long} {
		if len(*queue) > 0 {
			close((*queue)[0])
			*queue = (*queue)[1:]
			return
		}
	}
	f.held = false
}

// txSettings is the practice's settings inside a write transaction: from
// the writer's memory when nothing has written since, else read and kept.
func (s *Store) txSettings(ctx context.Context, tx *sql.Tx) (Settings, error) {
	memo := memoFrom(ctx)
	if memo.settingsOK {
		return memo.settings, nil
	}
	st, err := loadSettings(ctx, tx)
	if err != nil {
		return Settings{}, err
	}
	memo.settings, memo.settingsOK = st, true
	return st, nil
}
