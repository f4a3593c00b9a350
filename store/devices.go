package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Device roles.
const (
	DeviceKiosk   = "kiosk"
	DeviceDesktop = "desktop"
)

// Device is an enrolled kiosk or staff desktop.
type Device struct {
	ID         string
	Role       string
	Name       string
	EnrolledAt time.Time
	RevokedAt  time.Time // zero: active
	LastPullAt time.Time // zero: never synced
}

// Errors of enrolment and authentication. They say nothing about which
// part was wrong, so they cannot be used to probe codes or tokens.
var (
	ErrInvalidEnrolmentCode = errors.New("enrolment code is not valid: it may be mistyped, used or expired")
	ErrUnknownDevice        = errors.New("device is not enrolled")
	ErrDeviceRevoked        = errors.New("device has been revoked by the practice")
)

// codeAlphabet has no look-alikes (no 0/O, 1/I/L, 5/S, 2/Z, 8/B).
const codeAlphabet = "ACDEFGHJKMNPQRTUVWXY34679"

// NewEnrolmentCode makes a single-use code for a device of role, valid for
// validFor. It returns the code to show; only its hash is stored.
func (s *Store) NewEnrolmentCode(ctx context.Context, actor Actor, role, name string, validFor time.Duration) (string, error) {
	if role != DeviceKiosk && role != DeviceDesktop {
		return "", refuse(ReasonInvalidInput, "A device is either a kiosk or a desktop.")
	}
	if validFor <= 0 || validFor > 30*24*time.Hour {
		return "", refuse(ReasonInvalidInput, "An enrolment code can be valid for up to 30 days.")
	}
	// The practice's name for the device (where it stands) is kept with
	// the code; "" lets the device name itself when it enrols.
	name = strings.TrimSpace(name)
	if name != "" && (utf8.RuneCountInString(name) > 80 || !PrintableName(name)) {
		return "", refuse(ReasonInvalidInput, "A device's name is up to 80 letters, digits, spaces and punctuation.")
	}
	raw := make([]byte, 10)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("store.NewEnrolmentCode: %w", err)
	}
	var b strings.Builder
	for i, c := range raw {
		if i == 5 {
			b.WriteByte('-')
		}
		b.WriteByte(codeAlphabet[int(c)%len(codeAlphabet)])
	}
	code := b.String()
	err := s.inTx(ctx, "store.NewEnrolmentCode", func(tx *sql.Tx) error {
		now := s.Now()
		if _, err := tx.ExecContext(ctx, "INSERT INTO enrolment_codes (code_hash, role, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			hashCode(code), role, name, now.Unix(), now.Add(validFor).Unix()); err != nil {
			return fmt.Errorf("store.NewEnrolmentCode: %w", err)
		}
		return appendAudit(ctx, tx, now, actor, "device.code", "device", 0, "role="+role)
	})
	return code, err
}

// normaliseCode forgives case, spaces and hyphens, as people type codes.
func normaliseCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, code)
}

func hashCode(code string) string {
	sum := sha256.Sum256([]byte("gpkiosk-enrol\x1f" + normaliseCode(code)))
	return hex.EncodeToString(sum[:])
}

// HashToken is how the server keeps a device token: SHA-256, hex.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Enrol exchanges a valid code for a new device and its token. The code is
// used up in the same transaction, so two devices cannot share it.
func (s *Store) Enrol(ctx context.Context, code, deviceName string) (Device, string, error) {
	if utf8.RuneCountInString(deviceName) > 80 {
		return Device{}, "", refuse(ReasonInvalidInput, "The device name is too long (80 letters at most).")
	}
	if deviceName != "" && !PrintableName(deviceName) {
		return Device{}, "", refuse(ReasonInvalidInput, notPrintableMessage)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Device{}, "", fmt.Errorf("store.Enrol: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	idRaw := make([]byte, 9)
	if _, err := rand.Read(idRaw); err != nil {
		return Device{}, "", fmt.Errorf("store.Enrol: %w", err)
	}
	var dev Device
	err := s.inTx(ctx, "store.Enrol", func(tx *sql.Tx) error {
		now := s.Now()
		var role, name string
		err := tx.QueryRowContext(ctx, "SELECT role, name FROM enrolment_codes WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?",
			hashCode(code), now.Unix()).Scan(&role, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrInvalidEnrolmentCode
		}
		if err != nil {
			return fmt.Errorf("store.Enrol: %w", err)
		}
		// The name the practice gave the code wins over the device's own
		// (often its host name, such as "vm"): staff know a device by where
		// it stands. A device named by nobody takes its role's name.
		if name == "" {
			name = strings.TrimSpace(deviceName)
		}
		if name == "" {
			name = role
		}
		dev = Device{ID: "dev_" + base64.RawURLEncoding.EncodeToString(idRaw), Role: role, Name: name, EnrolledAt: now.Truncate(time.Second)}
		if _, err := tx.ExecContext(ctx, "INSERT INTO devices (id, role, name, token_hash, enrolled_at) VALUES (?, ?, ?, ?, ?)",
			dev.ID, role, name, HashToken(token), now.Unix()); err != nil {
			return fmt.Errorf("store.Enrol: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE enrolment_codes SET used_at = ?, device_id = ? WHERE code_hash = ?",
			now.Unix(), dev.ID, hashCode(code)); err != nil {
			return fmt.Errorf("store.Enrol: %w", err)
		}
		return appendAudit(ctx, tx, now, Actor{Name: "device:" + dev.ID, Device: dev.ID}, "device.enrol", "device", 0, "role="+role)
	})
	if err != nil {
		return Device{}, "", err
	}
	return dev, token, nil
}

const deviceColumns = "id, role, name, enrolled_at, revoked_at, last_pull_at"

func scanDevice(r scanner) (Device, error) {
	var d Device
	var enrolled int64
	var revoked, pulled sql.NullInt64
	if err := r.Scan(&d.ID, &d.Role, &d.Name, &enrolled, &revoked, &pulled); err != nil {
		return Device{}, err
	}
	d.EnrolledAt = time.Unix(enrolled, 0).UTC()
	if revoked.Valid {
		d.RevokedAt = time.Unix(revoked.Int64, 0).UTC()
	}
	if pulled.Valid {
		d.LastPullAt = time.Unix(pulled.Int64, 0).UTC()
	}
	return d, nil
}

// Authenticate finds the device a bearer token belongs to.
func (s *Store) Authenticate(ctx context.Context, token string) (Device, error) {
	if token == "" {
		return Device{}, ErrUnknownDevice
	}
	d, err := scanDevice(s.read.QueryRowContext(ctx, "SELECT "+deviceColumns+" FROM devices WHERE token_hash = ?", HashToken(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return Device{}, ErrUnknownDevice
	}
	if err != nil {
		return Device{}, fmt.Errorf("store.Authenticate: %w", err)
	}
	if !d.RevokedAt.IsZero() {
		return Device{}, ErrDeviceRevoked
	}
	return d, nil
}

// Devices lists every enrolled device, newest first.
func (s *Store) Devices(ctx context.Context) ([]Device, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+deviceColumns+" FROM devices ORDER BY enrolled_at DESC, id")
	if err != nil {
		return nil, fmt.Errorf("store.Devices: %w", err)
	}
	defer rows.Close()
	var out []Device
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, fmt.Errorf("store.Devices: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RevokeDevice switches a device off at once and hands its slot leases back
// to everyone.
func (s *Store) RevokeDevice(ctx context.Context, actor Actor, deviceID string) error {
	return s.inTx(ctx, "store.RevokeDevice", func(tx *sql.Tx) error {
		now := s.Now()
		res, err := tx.ExecContext(ctx, "UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now.Unix(), deviceID)
		if err != nil {
			return fmt.Errorf("store.RevokeDevice: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return refuse(ReasonNotFound, "There is no active device with that ID.")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM slot_leases WHERE device_id = ?", deviceID); err != nil {
			return fmt.Errorf("store.RevokeDevice: leases: %w", err)
		}
		return appendAudit(ctx, tx, now, actor, "device.revoke", "device", 0, "device="+deviceID)
	})
}
