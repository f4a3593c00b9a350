package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// Online staff sign-in. A desktop that can reach the server does not sign
// a member of staff's ops with their password's key for the whole sign-in:
// it proves the password to the server once and gets a session key, and
// forgets the password's key. The server then knows who is signed in
// where; a session ends when they sign out, when their password is changed
// or their account disabled, and at StaffSessionLength at the latest, so
// a key taken from a desktop's memory works for hours, not for ever.
// Offline, the desktop signs with the password's key (proof.go) as before.

// StaffSessionLength is the longest a session lasts. The desk signs staff
// out after a few idle minutes anyway; this bounds a desk kept busy all
// day, which then asks for the password again.
const StaffSessionLength = 8 * time.Hour

// StaffSignInSkew is how far a desktop's clock may be from the server's
// when it signs in online. Each sign-in's nonce is used once, so this only
// bounds how long a sign-in that never reached the server stays usable.
const StaffSignInSkew = 15 * time.Minute

// The online sign-in failure budget, per desktop. The desktop checks the
// password itself first, so an honest desktop fails here only when the
// password changed since its last sync; ten failures in 15 minutes is
// someone using its token to guess.
const (
	StaffSignInFailureBudget = 10
	StaffSignInFailureWindow = 15 * time.Minute
	StaffSignInPause         = 15 * time.Minute
)

// Reasons of online staff sign-in refusals.
const (
	ReasonStaffAccountOff Reason = "staff_account_off"
	ReasonClockWrong      Reason = "clock_wrong"
	ReasonSignInPaused    Reason = "sign_in_paused"
)

// StaffSessionRequest is a desktop's online sign-in: the member of staff,
// the desktop's time and a random nonce, and Proof, the MAC of those under
// the member of staff's password key (Signed is made by whoever decoded
// the request from the same fields).
type StaffSessionRequest struct {
	Device  Device
	StaffID int64
	At      time.Time
	Nonce   string
	Proof   Proof
}

// StaffSession is a started session: its ID, the key that signs the member
// of staff's ops, and when it ends at the latest.
type StaffSession struct {
	ID        string
	Key       [32]byte
	ExpiresAt time.Time
}

// StartStaffSession checks an online sign-in and starts a session. A
// wrong proof spends the desktop's failure budget; once spent, online
// sign-in from that desktop pauses and the practice is told once.
func (s *Store) StartStaffSession(ctx context.Context, req StaffSessionRequest) (StaffSession, error) {
	const op = "store.StartStaffSession"
	if req.Device.Role != DeviceDesktop {
		return StaffSession{}, refuse(ReasonStaffNotAllowed, "Staff sign in at a staff desktop.")
	}
	if len(req.Nonce) < 16 || len(req.Nonce) > 64 {
		return StaffSession{}, refuse(ReasonInvalidInput, "The sign-in is not complete. Sign in again.")
	}
	var out StaffSession
	var refusal error
	err := s.inTx(ctx, op, func(tx *sql.Tx) error {
		now := s.Now()
		paused, err := limitUntil(ctx, tx, req.Device.ID, limitStaffSignIn, now)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if paused > 0 {
			refusal = &SignInPausedError{RetryAfter: paused}
			return nil
		}
		if d := req.At.Sub(now); d > StaffSignInSkew || d < -StaffSignInSkew {
			refusal = refuse(ReasonClockWrong, "This computer's clock is wrong, so the practice server cannot check this sign-in. Ask the practice manager to set the clock.")
			return nil
		}
		var verifier string
		var active bool
		err = tx.QueryRowContext(ctx, "SELECT coalesce(password_hash, ''), active FROM staff WHERE id = ?", req.StaffID).Scan(&verifier, &active)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s: %w", op, err)
		}
		if proveStaff(verifier, req.Proof) != nil {
			// An unknown account fails the same way as a wrong password.
			refusal = refuse(ReasonNotProven, "The practice server does not accept that password. If it was changed recently, use the new one.")
			paused, err := s.staffSignInFailed(ctx, tx, req.Device.ID, now)
			if err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
			if paused > 0 {
				refusal = &SignInPausedError{RetryAfter: paused}
			}
			return nil
		}
		if !active {
			refusal = refuse(ReasonStaffAccountOff, "This account has been switched off. Please ask the practice manager.")
			return nil
		}
		var used bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM staff_sessions WHERE nonce = ?)", req.Nonce).Scan(&used); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if used {
			refusal = refuse(ReasonNotProven, "This sign-in has been used already. Sign in again.")
			return nil
		}
		var id [16]byte
		rand.Read(id[:])
		rand.Read(out.Key[:])
		out.ID = base64.RawURLEncoding.EncodeToString(id[:])
		out.ExpiresAt = now.Add(StaffSessionLength).Truncate(time.Second)
		if _, err := tx.ExecContext(ctx, `INSERT INTO staff_sessions (id, staff_id, device_id, key, nonce, started_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, out.ID, req.StaffID, req.Device.ID, out.Key[:], req.Nonce, now.Unix(), out.ExpiresAt.Unix()); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM staff_session_failures WHERE device_id = ?", req.Device.ID); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		username, err := staffUsername(ctx, tx, req.StaffID)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		return appendAudit(ctx, tx, now, Actor{Name: "staff:" + username, Device: req.Device.ID}, "staff.session.start", "staff", req.StaffID, "")
	})
	if err != nil {
		return StaffSession{}, err
	}
	if refusal != nil {
		return StaffSession{}, refusal
	}
	return out, nil
}

// EndStaffSession ends a session of this desktop's (signing out). Ops the
// desktop made before it still count; none made after do. Ending a session
// that has ended, or is not this desktop's, changes nothing.
func (s *Store) EndStaffSession(ctx context.Context, dev Device, sessionID string) error {
	const op = "store.EndStaffSession"
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		now := s.Now()
		var staffID int64
		err := tx.QueryRowContext(ctx, `UPDATE staff_sessions SET ended_at = ? WHERE id = ? AND device_id = ? AND ended_at IS NULL
			AND expires_at > ? RETURNING staff_id`, now.Unix(), sessionID, dev.ID, now.Unix()).Scan(&staffID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		username, err := staffUsername(ctx, tx, staffID)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		return appendAudit(ctx, tx, now, Actor{Name: "staff:" + username, Device: dev.ID}, "staff.session.end", "staff", staffID, "")
	})
}

// endStaffSessions ends every open session of a member of staff: their
// password changed or their account was disabled.
func endStaffSessions(ctx context.Context, tx *sql.Tx, staffID int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, "UPDATE staff_sessions SET ended_at = ? WHERE staff_id = ? AND ended_at IS NULL AND expires_at > ?",
		now.Unix(), staffID, now.Unix()); err != nil {
		return fmt.Errorf("end staff sessions: %w", err)
	}
	return nil
}

// proveStaffSession checks a staff request signed with a session key: the
// session is this member of staff's on this desktop, and was live when the
// request was made (at, the judged time).
func proveStaffSession(ctx context.Context, tx *sql.Tx, dev Device, staffID int64, sessionID string, proof Proof, at time.Time) error {
	if len(proof.MAC) == 0 {
		return refuseNotProvenStaff()
	}
	var key []byte
	var started, expires int64
	var ended sql.NullInt64
	err := tx.QueryRowContext(ctx, "SELECT key, started_at, expires_at, ended_at FROM staff_sessions WHERE id = ? AND staff_id = ? AND device_id = ?",
		sessionID, staffID, dev.ID).Scan(&key, &started, &expires, &ended)
	if errors.Is(err, sql.ErrNoRows) {
		return refuseNotProvenStaff()
	}
	if err != nil {
		return fmt.Errorf("prove staff session: %w", err)
	}
	// A second's grace at the start: the desktop may stamp an op in the
	// same second it heard of the session, and times are whole seconds.
	t := at.Unix()
	if t < started-1 || t >= expires || (ended.Valid && t >= ended.Int64) {
		return refuse(ReasonNotProven, "This was not done: the member of staff's sign-in had ended when it was made. Sign in again and redo it.")
	}
	if !hmac.Equal(Sign(key, proof.Signed), proof.MAC) {
		return refuseNotProvenStaff()
	}
	return nil
}

// SignInPausedError is an online staff sign-in refused because the
// desktop's failure budget is spent; RetryAfter says for how long.
type SignInPausedError struct {
	RetryAfter time.Duration
}

func (e *SignInPausedError) Error() string { return e.Unwrap().Error() }

// Unwrap is the refusal the member of staff is shown.
func (e *SignInPausedError) Unwrap() error {
	return &RuleError{Reason: ReasonSignInPaused, Message: fmt.Sprintf(
		"Too many sign-ins from this computer were refused, so the practice server is not accepting them for %d minutes. The practice manager has been told.",
		max(1, int((e.RetryAfter+time.Minute-1)/time.Minute)))}
}

// limitStaffSignIn names the online sign-in pause in device_limits.
const limitStaffSignIn = "staff-signin"

// staffSignInFailed records a failed online sign-in and, when it spends the
// desktop's budget, pauses online sign-in there and tells the practice
// once. It returns how long sign-in is now paused (0: not).
func (s *Store) staffSignInFailed(ctx context.Context, tx *sql.Tx, deviceID string, now time.Time) (time.Duration, error) {
	if _, err := tx.ExecContext(ctx, "DELETE FROM staff_session_failures WHERE device_id = ? AND failed_at <= ?",
		deviceID, now.Add(-StaffSignInFailureWindow).Unix()); err != nil {
		return 0, fmt.Errorf("staff sign-in budget: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO staff_session_failures (device_id, failed_at) VALUES (?, ?)", deviceID, now.Unix()); err != nil {
		return 0, fmt.Errorf("staff sign-in budget: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM staff_session_failures WHERE device_id = ?", deviceID).Scan(&n); err != nil {
		return 0, fmt.Errorf("staff sign-in budget: %w", err)
	}
	if n < StaffSignInFailureBudget {
		return 0, nil
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM staff_session_failures WHERE device_id = ?", deviceID); err != nil {
		return 0, fmt.Errorf("staff sign-in budget: %w", err)
	}
	name, err := deviceName(ctx, tx, deviceID)
	if err != nil {
		return 0, fmt.Errorf("staff sign-in budget: %w", err)
	}
	until := now.Add(StaffSignInPause)
	err = s.reportLimit(ctx, tx, deviceID, limitStaffSignIn, now, until, "Staff sign-in paused", fmt.Sprintf(
		"%s sent %d staff sign-ins with a wrong password within %d minutes, so the practice server refuses sign-ins from it until %s. "+
			"Someone may be using it to guess a password. Staff can still sign in there with the server unreachable only with a password the computer already knows; "+
			"if the computer has been misused, switch it off (practice-server revoke).",
		name, StaffSignInFailureBudget, int(StaffSignInFailureWindow/time.Minute), until.In(s.loc).Format("15:04")))
	if err != nil {
		return 0, fmt.Errorf("staff sign-in budget: %w", err)
	}
	return StaffSignInPause, nil
}

func staffUsername(ctx context.Context, tx *sql.Tx, staffID int64) (string, error) {
	var username string
	if err := tx.QueryRowContext(ctx, "SELECT username FROM staff WHERE id = ?", staffID).Scan(&username); err != nil {
		return "", fmt.Errorf("staff username: %w", err)
	}
	return username, nil
}
