package replica

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// Limits on failed kiosk sign-ins. A letter's account ID is long and
// random, so these stop someone trying dates of birth against a found
// letter, and someone trying letters at one kiosk, without troubling a
// patient who mistypes once or twice.
const (
	signInWindow          = 15 * time.Minute
	maxFailuresPerPatient = 5  // per account ID tried, within the window
	maxFailuresPerKiosk   = 20 // all account IDs together, within the window
)

func refuseTooManyAttempts() error {
	return store.SentenceTooManyTries.Refuse(store.ReasonTooManyAttempts)
}

// signInIdentity keys failures without keeping the account ID itself.
// It hashes the NormaliseAccountID form, so one letter typed with and
// without hyphens counts as one letter.
func signInIdentity(accountID string) string {
	sum := sha256.Sum256([]byte("gpkiosk-sign-in\x1f" + store.NormaliseAccountID(accountID)))
	return hex.EncodeToString(sum[:])
}

// SignIn signs a patient in at the kiosk with the account ID from their
// letter (scanned or typed, with or without its hyphens, in any case,
// spaces ignored: store.NormaliseAccountID) and the date of birth they
// typed. A letter works until it is reissued or revoked. Failures are
// counted per account ID and per kiosk; reaching either limit refuses
// further tries for a while and tells reception, through the outbox, that
// it happened (no patient details in the report). Signing in starts the
// patient's session: until EndPatientSession (or a new sign-in) their ops
// are signed with their key.
func (r *Replica) SignIn(ctx context.Context, accountID string, dateOfBirth store.Date) (Patient, error) {
	const op = "replica.SignIn"
	accountID = store.NormaliseAccountID(accountID)
	if accountID == "" || len(accountID) > 64 {
		return Patient{}, errNotRecognised()
	}
	if dateOfBirth.IsZero() {
		return Patient{}, errNeedDateOfBirth()
	}
	identity := signInIdentity(accountID)
	var out Patient
	var refusal error
	err := r.inTx(ctx, op, func(tx *sql.Tx) error {
		now := r.clock()
		since := now.Add(-signInWindow).Unix()
		var mine, all int
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(identity = ?), 0), count(*) FROM sign_in_failures WHERE at > ?`,
			identity, since).Scan(&mine, &all); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if mine >= maxFailuresPerPatient || all >= maxFailuresPerKiosk {
			refusal = refuseTooManyAttempts()
			return nil
		}
		p, err := patientByVerifier(ctx, tx, KioskVerifier(accountID, dateOfBirth))
		if re, ok := store.AsRuleError(err); ok && re.Reason == store.ReasonLetterReplaced {
			// The right person with an old letter: not a guess, so not a
			// failure; they are told what to do instead.
			refusal = err
			return nil
		}
		if err == nil {
			out = p
			_, err := tx.ExecContext(ctx, "DELETE FROM sign_in_failures WHERE identity = ?", identity)
			return err
		}
		if _, ok := store.AsRuleError(err); !ok {
			return fmt.Errorf("%s: %w", op, err)
		}
		refusal = err
		if _, err := tx.ExecContext(ctx, "INSERT INTO sign_in_failures (identity, at) VALUES (?, ?)", identity, now.Unix()); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sign_in_failures WHERE at <= ?", since); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		mine, all = mine+1, all+1
		if mine == maxFailuresPerPatient || all == maxFailuresPerKiosk {
			refusal = refuseTooManyAttempts()
			what := "one letter"
			if all == maxFailuresPerKiosk {
				what = "several letters"
			}
			_, err := r.enqueue(ctx, tx, gpsync.OpReportProblem, gpsync.ReportProblemPayload{Category: "sign-in",
				Description: fmt.Sprintf("Repeated failed sign-ins at this kiosk (%s); sign-in paused for %d minutes.", what, int(signInWindow/time.Minute))}, "")
			return err
		}
		return nil
	})
	if err != nil {
		return Patient{}, err
	}
	if refusal != nil {
		return Patient{}, refusal
	}
	// The visit's ops are signed with a key only this letter and this date
	// of birth give: the server can work it out, a stolen kiosk cannot.
	r.session.start(out.ID, patientKey(accountID, dateOfBirth), r.clock().Add(patientSessionLength))
	return out, nil
}

// patientByVerifier is PatientByKioskVerifier inside a transaction. A
// replaced letter is refused with a reason saying so. A letter does not
// expire at the kiosk: the expiry printed on it is the Linkage Key's.
func patientByVerifier(ctx context.Context, q queryer, verifier string) (Patient, error) {
	var p Patient
	var revoked bool
	err := q.QueryRowContext(ctx, `SELECT p.id, p.given_name, p.identity_verified, p.online_ordering_unsuitable,
		p.online_booking_suspended, v.revoked, v.acting_for, v.no_appointments, v.no_prescriptions FROM kiosk_verifiers v JOIN patients p ON p.id = v.patient_id WHERE v.verifier = ?`,
		strings.ToLower(strings.TrimSpace(verifier))).
		Scan(&p.ID, &p.GivenName, &p.IdentityVerified, &p.OnlineOrderingUnsuitable, &p.OnlineBookingSuspended, &revoked,
			&p.ActingFor, &p.NoAppointments, &p.NoPrescriptions)
	if errors.Is(err, sql.ErrNoRows) {
		return Patient{}, errNotRecognised()
	}
	if err != nil {
		return Patient{}, fmt.Errorf("find patient: %w", err)
	}
	if revoked {
		return Patient{}, store.SentenceLetterReplaced.Refuse(store.ReasonLetterReplaced)
	}
	return p, nil
}
