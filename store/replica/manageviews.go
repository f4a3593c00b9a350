package replica

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// The practice manager's desk keeps the last copy of each of its screens
// (SaveManageView) to show, marked as not live, while the server cannot
// be reached; and signs the manager's requests with their online session
// (ManageSigner).

// ReasonSignedInOffline: a member of staff signed in while the server
// could not be reached has no session to sign a manager's change with.
const ReasonSignedInOffline store.Reason = "signed_in_offline"

// SaveManageView keeps v (JSON) as the last copy of the view name,
// fetched at fetchedAt.
func (r *Replica) SaveManageView(ctx context.Context, name string, v any, fetchedAt time.Time) error {
	const op = "replica.SaveManageView"
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return r.inTx(ctx, op, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO manage_views (name, body, fetched_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`, name, string(body), fetchedAt.UnixNano()); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		return nil
	})
}

// ManageView reads the last copy of the view name into v; ok is false
// when there is none.
func (r *Replica) ManageView(ctx context.Context, name string, v any) (fetchedAt time.Time, ok bool, err error) {
	const op = "replica.ManageView"
	var body string
	var at int64
	err = r.read.QueryRowContext(ctx, "SELECT body, fetched_at FROM manage_views WHERE name = ?", name).Scan(&body, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("%s: %w", op, err)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		return time.Time{}, false, fmt.Errorf("%s: %w", op, err)
	}
	return time.Unix(0, at).UTC(), true, nil
}

// ManageSigner signs one member of staff's manager requests from this
// desktop with their online session's key.
type ManageSigner struct {
	deviceID string
	staffID  int64
	session  string
	key      [32]byte
	now      func() time.Time
}

// ManageSigner is the signer for m's requests. A member of staff signed in
// while the server could not be reached has no session, and is told to
// sign in again.
func (r *Replica) ManageSigner(ctx context.Context, m StaffMember) (*ManageSigner, error) {
	if m.session == "" {
		return nil, refuse(ReasonSignedInOffline, "You signed in while the practice server could not be reached. Sign out and in again to make changes.")
	}
	e, err := readEnrolment(ctx, r.read)
	if err != nil {
		return nil, fmt.Errorf("replica.ManageSigner: %w", err)
	}
	return &ManageSigner{deviceID: e.DeviceID, staffID: m.ID, session: m.session, key: m.key, now: r.now}, nil
}

// SignManage gives the headers of a signed manager request (sync/manage.go).
func (s *ManageSigner) SignManage(method, pathAndQuery string, body []byte) (http.Header, error) {
	var n [18]byte
	if _, err := rand.Read(n[:]); err != nil {
		return nil, fmt.Errorf("replica.SignManage: %w", err)
	}
	nonce := base64.RawURLEncoding.EncodeToString(n[:])
	at := s.now().UTC().Format(time.RFC3339Nano)
	mac := store.Sign(s.key[:], gpsync.ManageRequestInput(s.deviceID, s.staffID, s.session, method, pathAndQuery, at, nonce, body))
	h := http.Header{}
	h.Set(gpsync.HeaderStaffID, strconv.FormatInt(s.staffID, 10))
	h.Set(gpsync.HeaderStaffSession, s.session)
	h.Set(gpsync.HeaderSignedAt, at)
	h.Set(gpsync.HeaderNonce, nonce)
	h.Set(gpsync.HeaderProof, gpsync.EncodeProof(mac))
	return h, nil
}
