package replica

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// Online staff sign-in (store/staffsession.go has the server's side). After
// StaffSignIn has checked the password here, the desktop proves it to the
// server with StaffSessionRequest; the session the server answers with
// (WithSession) then signs the member of staff's ops, and their password's
// key is forgotten.

// ReasonSignInEnded: a member of staff's online session has run its
// length; they sign in again.
const ReasonSignInEnded store.Reason = "sign_in_ended"

func errStaffSessionOver() error {
	return refuse(ReasonSignInEnded, fmt.Sprintf("For safety, a sign-in lasts at most %d hours. Please sign in again; this was not done.",
		int(store.StaffSessionLength/time.Hour)))
}

// StaffSessionRequest is the online sign-in for a member of staff just
// signed in here: a fresh nonce and the time, signed with their password's
// key. It fails for a member of staff with no password key (signed in
// online already, or not signed in).
func (r *Replica) StaffSessionRequest(ctx context.Context, m StaffMember) (gpsync.StaffSessionRequest, error) {
	const op = "replica.StaffSessionRequest"
	if m.ID == 0 || m.session != "" || m.key == ([32]byte{}) {
		return gpsync.StaffSessionRequest{}, fmt.Errorf("%s: no password key to sign with", op)
	}
	e, err := readEnrolment(ctx, r.read)
	if err != nil {
		return gpsync.StaffSessionRequest{}, fmt.Errorf("%s: %w", op, err)
	}
	var nonce [18]byte
	rand.Read(nonce[:])
	req := gpsync.StaffSessionRequest{StaffID: m.ID, At: r.clock().UTC(), Nonce: base64.RawURLEncoding.EncodeToString(nonce[:])}
	req.Proof = gpsync.EncodeProof(store.Sign(m.key[:], gpsync.StaffSignInInput(e.DeviceID, m.ID, req.At, req.Nonce)))
	return req, nil
}

// WithSession is the member of staff signed in online: their ops are
// signed with the session's key until it ends, and their password's key
// is no longer held.
func (m StaffMember) WithSession(s gpsync.StaffSessionResponse) (StaffMember, error) {
	key, err := gpsync.DecodeProof(s.Key)
	if err != nil || len(key) != len(m.key) || !gpsync.SessionIDPattern.MatchString(s.SessionID) {
		return StaffMember{}, fmt.Errorf("replica.WithSession: the server's session is not usable")
	}
	copy(m.key[:], key)
	m.session, m.sessionUntil = s.SessionID, s.ExpiresAt
	return m, nil
}

// Session is the member of staff's online session ("" when signed in with
// the server unreachable) and when it ends.
func (m StaffMember) Session() (id string, until time.Time) { return m.session, m.sessionUntil }
