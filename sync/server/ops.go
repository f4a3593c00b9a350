package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// The wire shape of a device's ops: an op's JSON is decoded and checked
// here, becomes a store.Request, and its store.Outcome goes back as an
// OpResult. What an op may do is the store's rule, not this file's.

// ErrUnknownOpKind is a whole-batch refusal: the server cannot apply an op
// it does not understand, and must not apply the ones after it out of order.
var ErrUnknownOpKind = errors.New("unknown op kind")

// ErrMalformedOp means an op's ID, time or payload is not what the protocol
// says; nothing of the batch is applied.
var ErrMalformedOp = errors.New("malformed op")

var opIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// DecodeOp checks an op's shape, decodes its payload strictly (unknown
// fields and trailing data are refused) and says what it asks of the
// store. The server runs it over a whole batch before applying any op.
func DecodeOp(op gpsync.Op) (store.Command, error) {
	if !opIDPattern.MatchString(op.ID) {
		return nil, fmt.Errorf("%w: id must be a UUID", ErrMalformedOp)
	}
	if op.CreatedAt.IsZero() {
		return nil, fmt.Errorf("%w: op %s has no createdAt", ErrMalformedOp, op.ID)
	}
	if _, err := gpsync.DecodeProof(op.Proof); err != nil {
		return nil, fmt.Errorf("%w: op %s: %v", ErrMalformedOp, op.ID, err)
	}
	if op.Session != "" && (op.StaffID == 0 || !gpsync.SessionIDPattern.MatchString(op.Session)) {
		return nil, fmt.Errorf("%w: op %s: a session is a staff member's, 16 to 64 base64url characters", ErrMalformedOp, op.ID)
	}
	switch op.Kind {
	case gpsync.OpBook:
		p, err := decodePayload[gpsync.BookPayload](op)
		if err == nil && p.CheckInCode != "" && !store.ValidCheckInCode(p.CheckInCode) {
			err = fmt.Errorf("%w: book payload: check-in code is not 26 base32 characters", ErrMalformedOp)
		}
		return store.Book{SlotID: p.SlotID, PatientID: p.PatientID, CheckInCode: p.CheckInCode}, err
	case gpsync.OpCancelAppointment:
		p, err := decodePayload[gpsync.CancelAppointmentPayload](op)
		if err == nil {
			err = checkRef("bookingRef", p.BookingRef)
		}
		return store.CancelAppointment{AppointmentID: p.AppointmentID, BookingKey: OpKey(p.BookingRef), PatientID: p.PatientID}, err
	case gpsync.OpOrderRepeats:
		p, err := decodePayload[gpsync.OrderRepeatsPayload](op)
		return store.OrderRepeats{PatientID: p.PatientID, ItemIDs: p.ItemIDs, Note: p.Note}, err
	case gpsync.OpCancelRequest:
		p, err := decodePayload[gpsync.CancelRequestPayload](op)
		if err == nil {
			err = checkRef("orderRef", p.OrderRef)
		}
		return store.CancelRepeatRequest{PatientID: p.PatientID, RequestID: p.RequestID, OrderKey: OpKey(p.OrderRef)}, err
	case gpsync.OpReportProblem:
		p, err := decodePayload[gpsync.ReportProblemPayload](op)
		return store.ReportProblem{Category: p.Category, Description: p.Description}, err
	case gpsync.OpAskForHelp:
		p, err := decodePayload[gpsync.AskForHelpPayload](op)
		return store.AskForHelp{Note: p.Note}, err
	case gpsync.OpAcknowledgeOutcome:
		p, err := decodePayload[gpsync.AcknowledgeOutcomePayload](op)
		return store.AcknowledgeOutcome{PatientID: p.PatientID, RequestID: p.RequestID}, err
	case gpsync.OpCountLesson:
		p, err := decodePayload[gpsync.CountLessonPayload](op)
		return store.CountLesson{Lesson: p.Lesson, Day: p.Day}, err
	case gpsync.OpLinkProxy:
		p, err := decodePayload[gpsync.LinkProxyPayload](op)
		return store.LinkProxy{PatientID: p.PatientID, ProxyPatientID: p.ProxyPatientID, ProxyName: p.ProxyName,
			ProxyDateOfBirth: p.ProxyDateOfBirth, Relationship: p.Relationship, LegalBasis: p.LegalBasis,
			ServiceAppointments: p.ServiceAppointments, ServicePrescriptions: p.ServicePrescriptions, ServiceRecord: p.ServiceRecord,
			ProxyVerification: p.ProxyVerification, VerifiedAt: p.VerifiedAt, SafeguardingConsidered: p.SafeguardingConsidered,
			CoercionConsidered: p.CoercionConsidered}, err
	case gpsync.OpRegisterOnline:
		p, err := decodePayload[gpsync.RegisterOnlinePayload](op)
		return store.RegisterOnline{PatientID: p.PatientID, ProxyRef: OpKey(p.ProxyRef), ProxyID: p.ProxyID,
			VerificationMethod: p.VerificationMethod, VerifiedAt: p.VerifiedAt, CoercionConsidered: p.CoercionConsidered,
			ServiceAppointments: p.ServiceAppointments, ServicePrescriptions: p.ServicePrescriptions, RecordAccess: p.RecordAccess,
			KioskEnabled: p.KioskEnabled, AccountID: p.AccountID, LinkageKeyHash: p.LinkageKeyHash,
			LetterIssuedAt: p.LetterIssuedAt, LetterExpiresAt: p.LetterExpiresAt}, err
	case gpsync.OpRecordView:
		p, err := decodePayload[gpsync.RecordViewPayload](op)
		return store.RecordView{PatientIDs: p.PatientIDs, What: p.What}, err
	case gpsync.OpDecideRepeats:
		p, err := decodePayload[gpsync.DecideRepeatsPayload](op)
		return store.DecideRepeats{RequestID: p.RequestID, Items: ItemDecisions(p.Items)}, err
	case gpsync.OpHandOutRepeats:
		p, err := decodePayload[gpsync.HandOutRepeatsPayload](op)
		return store.HandOutRepeats{RequestID: p.RequestID, How: p.How}, err
	case gpsync.OpRecordOutcome:
		p, err := decodePayload[gpsync.RecordOutcomePayload](op)
		return store.RecordOutcome{AppointmentID: p.AppointmentID, Status: p.Status}, err
	case gpsync.OpHandleAlert:
		p, err := decodePayload[gpsync.HandleAlertPayload](op)
		return store.HandleAlert{Entity: p.Entity, ID: p.ID, Action: p.Action}, err
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownOpKind, op.Kind)
}

// checkRef refuses a reference to another op that is not an op ID.
func checkRef(field, ref string) error {
	if ref != "" && !opIDPattern.MatchString(ref) {
		return fmt.Errorf("%w: %s must be an op ID", ErrMalformedOp, field)
	}
	return nil
}

func decodePayload[P any](op gpsync.Op) (P, error) {
	var p P
	dec := json.NewDecoder(bytes.NewReader(op.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return p, fmt.Errorf("%w: %s payload: %v", ErrMalformedOp, op.Kind, err)
	}
	if dec.More() {
		return p, fmt.Errorf("%w: %s payload has trailing data", ErrMalformedOp, op.Kind)
	}
	return p, nil
}

// ItemDecisions are a decide_repeats op's decisions as the store takes
// them; a desktop asks store.CheckDecisions of them before queueing.
func ItemDecisions(ds []gpsync.ItemDecision) []store.ItemDecision {
	out := make([]store.ItemDecision, len(ds))
	for i, d := range ds {
		out[i] = store.ItemDecision{RepeatItemID: d.RepeatItemID, Approve: d.Approve, ReasonCode: d.ReasonCode, Reason: d.Reason}
	}
	return out
}

// OpKey is an op ID in its one canonical form, lower case: the same UUID
// in upper case is the same op, not a new one.
func OpKey(id string) string { return strings.ToLower(id) }

// Fingerprint is a digest of an op's kind and payload, so an ID reused
// for a different action is told apart from a replay. The payload is
// compacted first: only its JSON, not its spacing, is what was asked.
func Fingerprint(op gpsync.Op) string {
	var b bytes.Buffer
	b.WriteString(op.Kind)
	b.WriteByte(0x1f)
	if err := json.Compact(&b, op.Payload); err != nil {
		b.Write(op.Payload) // DecodeOp has refused anything Compact would
	}
	sum := sha256.Sum256(b.Bytes())
	return hex.EncodeToString(sum[:])
}

// opProof is what the store needs to check who made op: the text the
// device signed, made again from what arrived, and the MAC it sent.
func opProof(dev store.Device, op gpsync.Op) (store.Proof, error) {
	mac, err := gpsync.DecodeProof(op.Proof)
	if err != nil {
		return store.Proof{}, fmt.Errorf("%w: %v", ErrMalformedOp, err)
	}
	if mac == nil {
		return store.Proof{}, nil
	}
	signed, err := gpsync.SigningInput(dev.ID, op)
	if err != nil {
		return store.Proof{}, fmt.Errorf("%w: %v", ErrMalformedOp, err)
	}
	return store.Proof{Signed: signed, MAC: mac}, nil
}

// OpStore is what applying ops needs of the store.
type OpStore interface {
	ApplyBatch(ctx context.Context, reqs []store.Request) ([]store.Outcome, error)
}

// ApplyOp decodes one op from dev, has the store apply it, and words the
// outcome as the op's result: ApplyOps with one op.
func ApplyOp(ctx context.Context, st OpStore, dev store.Device, op gpsync.Op) (gpsync.OpResult, error) {
	res, err := ApplyOps(ctx, st, dev, []gpsync.Op{op})
	if err != nil {
		return gpsync.OpResult{}, err
	}
	return res[0], nil
}

// ApplyOps decodes a push's ops from dev, has the store apply them in
// order (store.ApplyBatch: a few ops to a write transaction, each
// answered on its own), and words each outcome as its op's result. The
// HTTP handler and the in-process pretend practice (sync/pretend) both
// apply ops through it. A malformed op is an error before anything is
// applied. On an error the results are those of the ops before it, which
// are stored; an op whose kind the device has used its quota of is an
// error wrapping a *store.QuotaError: nothing of it or after it was
// recorded, and the caller holds the kind (errors.As).
func ApplyOps(ctx context.Context, st OpStore, dev store.Device, ops []gpsync.Op) ([]gpsync.OpResult, error) {
	reqs := make([]store.Request, len(ops))
	for i, op := range ops {
		cmd, err := DecodeOp(op)
		if err != nil {
			return nil, err
		}
		proof, err := opProof(dev, op)
		if err != nil {
			return nil, err
		}
		reqs[i] = store.Request{Key: OpKey(op.ID), Device: dev, StaffID: op.StaffID, MadeAt: op.CreatedAt, Command: cmd,
			Fingerprint: Fingerprint(op), Proof: proof, Session: op.Session}
	}
	outs, applyErr := st.ApplyBatch(ctx, reqs)
	results := make([]gpsync.OpResult, 0, len(outs))
	for i, out := range outs {
		res, err := opResult(ops[i], out)
		if err != nil {
			return results, fmt.Errorf("server.ApplyOps: %w", err)
		}
		results = append(results, res)
	}
	if applyErr != nil {
		return results, fmt.Errorf("server.ApplyOps: %w", applyErr)
	}
	return results, nil
}

// opResult words a store outcome as the op's result.
func opResult(op gpsync.Op, out store.Outcome) (gpsync.OpResult, error) {
	if !out.Applied() {
		return gpsync.OpResult{ID: op.ID, Status: gpsync.OpRejected, Reason: string(out.Refusal.Reason), Message: out.Refusal.Message,
			Code: out.Refusal.Code, Args: out.Refusal.Args}, nil
	}
	res := gpsync.OpResult{ID: op.ID, Status: gpsync.OpApplied}
	var err error
	if res.Result, err = json.Marshal(wireResult(out.Made)); err != nil {
		return gpsync.OpResult{}, fmt.Errorf("word result of op %s: %w", op.ID, err)
	}
	return res, nil
}

// wireResult is the Result an applied op reports for what it made: {} when
// it made nothing to refer to.
func wireResult(made any) any {
	switch m := made.(type) {
	case store.Booked:
		return gpsync.BookResult{AppointmentID: m.AppointmentID}
	case store.RepeatsOrdered:
		return gpsync.OrderRepeatsResult{RequestID: m.RequestID, ReadyBy: m.ReadyBy}
	case store.Created:
		return gpsync.CreatedResult{ID: m.ID}
	case store.ProxyLinked:
		return gpsync.LinkProxyResult{ProxyID: m.ProxyID}
	case store.Registered:
		return gpsync.RegisterOnlineResult{RegistrationID: m.RegistrationID}
	case store.RepeatsDecided:
		return gpsync.DecideRepeatsResult{ReadyBy: m.ReadyBy}
	}
	return struct{}{}
}
