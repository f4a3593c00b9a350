package replica

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/passhash"
	gpsync "gpkiosk/sync"
)

// StaffMember is who is signed in on a desktop. Their ID goes on every op
// they make, so the server's audit log names them.
type StaffMember struct {
	ID          int64
	Username    string
	DisplayName string
	Role        string // receptionist, clinician, manager
	// key is their password's argon2id key, worked out from the password
	// they typed at sign-in and kept only for this sign-in: it signs
	// their ops, so the server knows they made them. Signed in online, it
	// is instead the session's key from the server (WithSession).
	key [32]byte
	// session names their online session, if any, and sessionUntil is
	// when the server ends it.
	session      string
	sessionUntil time.Time
}

// Staff sign-in limits: a few wrong passwords lock the account on this
// desktop for a while and tell the practice, so a desktop left at the desk
// cannot be used to guess a colleague's password.
const (
	staffSignInWindow = 15 * time.Minute
	maxStaffFailures  = 5
)

// Reasons of the desktop's own refusals.
const (
	ReasonWrongPassword  store.Reason = "wrong_password"
	ReasonStaffOff       store.Reason = "staff_account_off"
	ReasonPasswordNotSet store.Reason = "password_not_set"
)

// dummyCheck is checked when the username is unknown, so a wrong
// username takes as long as a wrong password and names nobody.
const dummyCheck = "$argon2id-sha256$v=19$m=19456,t=2,p=1$wW+/iCla1/VvGsbyIUXLTA$Im4zC5Tt5XQVuoyENN2gtkxi5+2ckKMCcU8yTJB9+S8"

// StaffSignIn checks a member of staff's username and password against the
// sign-in check last synced, so it works with the server unreachable, and
// works out from the password the key that signs their ops.
func (r *Replica) StaffSignIn(ctx context.Context, username, password string) (StaffMember, error) {
	const op = "replica.StaffSignIn"
	username = strings.ToLower(strings.TrimSpace(username))
	if username == "" || password == "" {
		return StaffMember{}, refuse(store.ReasonInvalidInput, "Enter your username and password.")
	}
	since := r.clock().Add(-staffSignInWindow).Unix()
	var failures int
	if err := r.read.QueryRowContext(ctx, "SELECT count(*) FROM staff_sign_in_failures WHERE username = ? AND at > ?",
		username, since).Scan(&failures); err != nil {
		return StaffMember{}, fmt.Errorf("%s: %w", op, err)
	}
	if failures >= maxStaffFailures {
		return StaffMember{}, errStaffLocked()
	}
	var m StaffMember
	var hash string
	var active bool
	err := r.read.QueryRowContext(ctx, "SELECT id, username, display_name, role, password_hash, active FROM staff WHERE username = ?",
		username).Scan(&m.ID, &m.Username, &m.DisplayName, &m.Role, &hash, &active)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return StaffMember{}, fmt.Errorf("%s: %w", op, err)
	}
	noCheck := known && hash == ""
	if !known || hash == "" {
		hash = dummyCheck
	}
	// The slow argon2id check runs outside any transaction. The key it
	// works out signs this member of staff's ops until they sign out.
	key, ok, verr := passhash.DeriveChecked(hash, password)
	if verr != nil && !errors.Is(verr, passhash.ErrMalformed) {
		return StaffMember{}, fmt.Errorf("%s: %w", op, verr)
	}
	if noCheck && active {
		// The server sends no check for a password set before today's
		// policy (perhaps a PIN), or none at all: not a wrong guess.
		return StaffMember{}, refuse(ReasonPasswordNotSet, "Your password needs to be set again before you can sign in here. Please ask the practice manager.")
	}
	if ok && known {
		copy(m.key[:], key)
		if !active {
			return StaffMember{}, refuse(ReasonStaffOff, "This account has been switched off. Please ask the practice manager.")
		}
		if _, err := r.write.ExecContext(ctx, "DELETE FROM staff_sign_in_failures WHERE username = ?", username); err != nil {
			return StaffMember{}, fmt.Errorf("%s: %w", op, err)
		}
		return m, nil
	}
	var refusal error = refuse(ReasonWrongPassword, "That username or password is not right. Please try again.")
	err = r.inTx(ctx, op, func(tx *sql.Tx) error {
		now := r.clock()
		if _, err := tx.ExecContext(ctx, "DELETE FROM staff_sign_in_failures WHERE at <= ?", since); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO staff_sign_in_failures (username, at) VALUES (?, ?)", username, now.Unix()); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM staff_sign_in_failures WHERE username = ? AND at > ?", username, since).Scan(&n); err != nil {
			return err
		}
		if n < maxStaffFailures {
			return nil
		}
		refusal = errStaffLocked()
		if n > maxStaffFailures {
			return nil
		}
		_, err := r.enqueue(ctx, tx, gpsync.OpReportProblem, gpsync.ReportProblemPayload{Category: "staff-sign-in",
			Description: fmt.Sprintf("%d wrong passwords in a row for staff username %q on this desktop; that account is locked here for %d minutes.",
				maxStaffFailures, username, int(staffSignInWindow/time.Minute))}, "")
		return err
	})
	if err != nil {
		return StaffMember{}, fmt.Errorf("%s: %w", op, err)
	}
	return StaffMember{}, refusal
}

func errStaffLocked() error {
	return refuse(store.ReasonTooManyAttempts, fmt.Sprintf("Too many wrong passwords: this account is locked on this computer for %d minutes. The practice manager has been told.",
		int(staffSignInWindow/time.Minute)))
}

// MayRegister says whether they may verify identity, issue registrations
// and link proxies (the server's rule, store.StaffMay).
func (m StaffMember) MayRegister() bool {
	// Registration does not depend on the practice's settings.
	return store.StaffMay(store.KindRegisterOnline, m.Role, store.Settings{}) && store.StaffMay(store.KindLinkProxy, m.Role, store.Settings{})
}
