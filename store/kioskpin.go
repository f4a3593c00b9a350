package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gpkiosk/store/passhash"
)

// Kiosk exit PIN: the number staff type on a kiosk to close it. It is the
// practice's, not a person's, so every kiosk knows it offline; only its
// argon2id verifier is stored and synced.
const (
	minKioskPINDigits = 6
	maxKioskPINDigits = 12
)

// CheckKioskExitPIN refuses a PIN too easy to guess by watching or
// trying: it must be 6 to 12 digits, not all one digit, and not a run
// such as 123456.
func CheckKioskExitPIN(pin string) error {
	if len(pin) < minKioskPINDigits || len(pin) > maxKioskPINDigits || strings.Trim(pin, "0123456789") != "" {
		return refuse(ReasonInvalidInput, fmt.Sprintf("The PIN must be %d to %d digits.", minKioskPINDigits, maxKioskPINDigits))
	}
	same, up, down := true, true, true
	for i := 1; i < len(pin); i++ {
		d := int(pin[i]) - int(pin[i-1])
		same = same && d == 0
		up = up && (d == 1 || d == -9)
		down = down && (d == -1 || d == 9)
	}
	if same || up || down {
		return refuse(ReasonInvalidInput, "That PIN is too easy to guess. Please choose digits that do not repeat or run in order.")
	}
	return nil
}

// SetKioskExitPIN sets the PIN that closes every kiosk of the practice;
// kiosks learn its verifier at their next sync.
func (s *Store) SetKioskExitPIN(ctx context.Context, pin string, actor Actor) error {
	return s.setKioskExitPIN(ctx, pin, actor, passhash.Default())
}

func (s *Store) setKioskExitPIN(ctx context.Context, pin string, actor Actor, p passhash.Params) error {
	if err := CheckKioskExitPIN(pin); err != nil {
		return err
	}
	verifier, err := passhash.Hash(pin, p)
	if err != nil {
		return fmt.Errorf("store.SetKioskExitPIN: %w", err)
	}
	return s.inTx(ctx, "store.SetKioskExitPIN", func(tx *sql.Tx) error {
		return setKioskExitPIN(ctx, tx, s.Now(), verifier, actor)
	})
}

// SetKioskExitPIN sets the kiosk exit PIN as part of a load (the demo
// practice ships with one, documented in the README).
func (l *Loader) SetKioskExitPIN(pin string) error {
	if err := CheckKioskExitPIN(pin); err != nil {
		return err
	}
	verifier, err := passhash.Hash(pin, passhash.Default())
	if err != nil {
		return fmt.Errorf("store.SetKioskExitPIN: %w", err)
	}
	return setKioskExitPIN(l.ctx, l.tx, l.now, verifier, SystemActor())
}

func setKioskExitPIN(ctx context.Context, tx *sql.Tx, now time.Time, verifier string, actor Actor) error {
	res, err := tx.ExecContext(ctx, "UPDATE online_settings SET kiosk_exit_pin = ?, updated_at = ? WHERE id = 1", verifier, now.Unix())
	if err != nil {
		return fmt.Errorf("store.SetKioskExitPIN: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("store.SetKioskExitPIN: %w", ErrNoPractice)
	}
	return appendAudit(ctx, tx, now, actor, "settings.kiosk_exit_pin", "practice", 1, "")
}
