package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Actor is who did something and on which device, for the audit log.
// Name is a role and an identifier ("staff:reception" with the staff
// username, "patient:345", "system"), never a patient's name.
type Actor struct {
	Name   string
	Device string
}

// SystemActor is the server acting on its own (migrations, demo data).
func SystemActor() Actor { return Actor{Name: "system", Device: "server"} }

// AuditEvent is one entry of the tamper-evident audit log.
type AuditEvent struct {
	Seq         int64
	At          time.Time
	Actor       Actor
	Action      string
	SubjectKind string
	SubjectID   int64
	Detail      string
	PrevHash    string
	Hash        string
}

// ErrAuditChainBroken means an audit event was altered, removed or inserted.
var ErrAuditChainBroken = errors.New("audit log has been altered")

// auditHash covers every field and the previous hash, so changing, deleting
// or reordering any event breaks every hash after it. Fields are joined with
// the ASCII unit separator, which none of them may contain.
func auditHash(e AuditEvent) string {
	h := sha256.New()
	h.Write([]byte(strings.Join([]string{
		e.PrevHash,
		strconv.FormatInt(e.Seq, 10),
		strconv.FormatInt(e.At.Unix(), 10),
		e.Actor.Name, e.Actor.Device, e.Action, e.SubjectKind,
		strconv.FormatInt(e.SubjectID, 10),
		e.Detail,
	}, "\x1f")))
	return hex.EncodeToString(h.Sum(nil))
}

// appendAudit adds an event inside the caller's write transaction, so the
// change and its record commit or vanish together.
func appendAudit(ctx context.Context, tx *sql.Tx, at time.Time, actor Actor, action, subjectKind string, subjectID int64, detail string) error {
	e := AuditEvent{At: at, Actor: actor, Action: action, SubjectKind: subjectKind, SubjectID: subjectID, Detail: detail}
	for _, f := range []string{actor.Name, actor.Device, action, subjectKind, detail} {
		if strings.ContainsRune(f, '\x1f') {
			return fmt.Errorf("audit %s: field contains a separator", action)
		}
	}
	memo := memoFrom(ctx)
	if memo.head.known {
		e.Seq, e.PrevHash = memo.head.seq, memo.head.hash
	} else {
		err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").Scan(&e.Seq, &e.PrevHash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("audit %s: read chain head: %w", action, err)
		}
	}
	e.Seq++
	e.Hash = auditHash(e)
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_events
		(seq, at, actor, device, action, subject_kind, subject_id, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At.Unix(), actor.Name, actor.Device, action, subjectKind, subjectID, detail, e.PrevHash, e.Hash)
	if err != nil {
		// The transaction fails with this, and its memo with it.
		memo.head = auditHead{}
		return fmt.Errorf("audit %s: %w", action, err)
	}
	memo.head = auditHead{seq: e.Seq, hash: e.Hash, known: true}
	return nil
}

// auditHead is the chain's last event as a write transaction knows it
// (writeTx), so appending need not read it back: known is false until it
// is read or written in the transaction.
type auditHead struct {
	seq   int64
	hash  string
	known bool
}

// VerifyAuditChain walks the whole log and reports the first event whose
// hash or link does not match. It returns the number of events checked.
func (s *Store) VerifyAuditChain(ctx context.Context) (int, error) {
	c, err := s.CheckAuditChain(ctx)
	if err != nil {
		return 0, fmt.Errorf("store.VerifyAuditChain: %w", err)
	}
	if !c.Holds {
		return c.Checked, fmt.Errorf("store.VerifyAuditChain: event %d: %w", c.BrokenAt, ErrAuditChainBroken)
	}
	return c.Checked, nil
}

const auditColumns = "seq, at, actor, device, action, subject_kind, subject_id, detail, prev_hash, hash"

func scanAuditEvent(rows *sql.Rows) (AuditEvent, error) {
	var e AuditEvent
	var at int64
	err := rows.Scan(&e.Seq, &at, &e.Actor.Name, &e.Actor.Device, &e.Action, &e.SubjectKind, &e.SubjectID, &e.Detail, &e.PrevHash, &e.Hash)
	e.At = time.Unix(at, 0).UTC()
	return e, err
}

// AuditEvents lists events about one subject, oldest first.
func (s *Store) AuditEvents(ctx context.Context, subjectKind string, subjectID int64) ([]AuditEvent, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit_events WHERE subject_kind = ? AND subject_id = ? ORDER BY seq", subjectKind, subjectID)
	if err != nil {
		return nil, fmt.Errorf("store.AuditEvents: %w", err)
	}
	defer rows.Close()
	var out []AuditEvent
	for rows.Next() {
		e, err := scanAuditEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("store.AuditEvents: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
