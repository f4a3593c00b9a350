package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// CheckInRequest is what a patient gives at the kiosk to say they have
// arrived: no name, no number.
type CheckInRequest struct {
	DateOfBirth    Date
	Sex            Sex
	SurnameInitial string
	DeviceID       string
}

// CheckedIn is the appointment a patient was checked in for. StartsAt and
// ClinicianName are set only for a check-in with a slip's code.
type CheckedIn struct {
	AppointmentID int64
	StartsAt      time.Time
	ClinicianName string
}

// RefuseSeeReception: no single appointment matched inside the check-in
// window. The message is the same whatever the reason, so the kiosk never
// hints at who is booked.
func RefuseSeeReception() error {
	return sentSeeReception.refuse(ReasonNotFound)
}

// CheckIn marks the one booked appointment of today that matches the
// patient's date of birth, sex and first letter of surname, if it is
// inside the practice's check-in window.
//
// It says only which appointment, not its time or clinician: anyone who
// knows someone's birthday, sex and initial could otherwise learn where
// they will be and when. (A slip's code, which proves the slip is in hand,
// is answered in full by CheckInByCode.)
//
// A try that matches nobody spends the kiosk's failure budget
// (CheckInFailureBudget in CheckInFailureWindow); once it is spent, detail
// check-in on that kiosk is paused for CheckInPause and the practice is
// told. While paused every try, right or wrong, is refused with a
// *CheckInPausedError, which says the same as any failure.
func (s *Store) CheckIn(ctx context.Context, req CheckInRequest) (CheckedIn, error) {
	initial := []rune(strings.TrimSpace(req.SurnameInitial))
	if len(initial) != 1 || !unicode.IsLetter(initial[0]) {
		return CheckedIn{}, sentChooseInitial.refuse(ReasonInvalidInput)
	}
	if _, err := NewDate(req.DateOfBirth.Year, req.DateOfBirth.Month, req.DateOfBirth.Day); err != nil {
		return CheckedIn{}, err
	}
	var out CheckedIn
	var failed bool
	var paused time.Duration
	err := s.inTx(ctx, "store.CheckIn", func(tx *sql.Tx) error {
		now := s.Now()
		var err error
		if paused, err = checkInPaused(ctx, tx, req.DeviceID, now); err != nil || paused > 0 {
			return err
		}
		st, err := loadSettings(ctx, tx)
		if err != nil {
			return fmt.Errorf("store.CheckIn: %w", err)
		}
		today := DateOf(now, s.loc)
		from, to := today.At(0, 0, s.loc).Unix(), today.AddDays(1).At(0, 0, s.loc).Unix()
		rows, err := tx.QueryContext(ctx, `SELECT a.id, a.patient_id, sl.starts_at FROM appointments a
			JOIN patients p ON p.id = a.patient_id JOIN slots sl ON sl.id = a.slot_id
			WHERE a.status = 'booked' AND sl.starts_at >= ? AND sl.starts_at < ?
			  AND p.date_of_birth = ? AND p.sex = ? AND upper(substr(p.family_name, 1, 1)) = ?`,
			from, to, req.DateOfBirth.String(), string(req.Sex), strings.ToUpper(string(initial)))
		if err != nil {
			return fmt.Errorf("store.CheckIn: %w", err)
		}
		// Today's matches inside the window; the window is the rule's. If
		// two different people booked today share these details, nobody is
		// checked in: the one standing here might not be the one due.
		var matches []int64
		var patientID int64
		people := map[int64]bool{}
		for rows.Next() {
			var appt, starts, pid int64
			if err := rows.Scan(&appt, &pid, &starts); err != nil {
				rows.Close()
				return fmt.Errorf("store.CheckIn: %w", err)
			}
			people[pid] = true
			if st.InCheckInWindow(now, time.Unix(starts, 0).UTC()) {
				matches = append(matches, appt)
				patientID = pid
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store.CheckIn: %w", err)
		}
		if len(matches) != 1 || len(people) != 1 {
			failed = true
			if paused, err = s.checkInFailed(ctx, tx, req.DeviceID, now); err != nil {
				return fmt.Errorf("store.CheckIn: %w", err)
			}
			return nil
		}
		out.AppointmentID = matches[0]
		return arrive(ctx, tx, now, out.AppointmentID, patientID, req.DeviceID, "details")
	})
	switch {
	case err != nil:
		return CheckedIn{}, err
	case paused > 0:
		return CheckedIn{}, &CheckInPausedError{RetryAfter: paused}
	case failed:
		return CheckedIn{}, RefuseSeeReception()
	}
	return out, nil
}

// arrive marks an appointment arrived and records how. by is "details" or
// "slip", for the audit log.
func arrive(ctx context.Context, tx *sql.Tx, now time.Time, appointmentID, patientID int64, deviceID, by string) error {
	if _, err := tx.ExecContext(ctx, "UPDATE appointments SET status = 'arrived', status_changed_at = ? WHERE id = ?", now.Unix(), appointmentID); err != nil {
		return fmt.Errorf("store.CheckIn: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO check_ins (appointment_id, device_id, checked_in_at) VALUES (?, ?, ?)", appointmentID, deviceID, now.Unix()); err != nil {
		return fmt.Errorf("store.CheckIn: %w", err)
	}
	return appendAudit(ctx, tx, now, Actor{Name: fmt.Sprintf("patient:%d", patientID), Device: deviceID}, "appointment.check_in",
		"patient", patientID, fmt.Sprintf("appointment=%d by=%s", appointmentID, by))
}

// NewCheckInCode makes the random code printed, as a QR code, on an
// appointment slip: 16 bytes from crypto/rand as 26 base32 characters.
func NewCheckInCode() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new check-in code: %w", err)
	}
	return checkInEncoding.EncodeToString(b), nil
}

var checkInEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// ValidCheckInCode reports whether code has the shape NewCheckInCode makes.
func ValidCheckInCode(code string) bool {
	b, err := checkInEncoding.DecodeString(code)
	return err == nil && len(b) == 16 && len(code) == 26
}

func checkInCodeHash(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// CheckInByCode checks in the appointment whose slip carries code, if it is
// booked and inside the check-in window. Anything else is the same plain
// "please see reception" as CheckIn.
func (s *Store) CheckInByCode(ctx context.Context, code, deviceID string) (CheckedIn, error) {
	if !ValidCheckInCode(code) {
		return CheckedIn{}, RefuseSeeReception()
	}
	var out CheckedIn
	err := s.inTx(ctx, "store.CheckInByCode", func(tx *sql.Tx) error {
		now := s.Now()
		st, err := loadSettings(ctx, tx)
		if err != nil {
			return fmt.Errorf("store.CheckInByCode: %w", err)
		}
		var patientID, starts int64
		var status string
		err = tx.QueryRowContext(ctx, `SELECT a.id, a.patient_id, a.status, sl.starts_at, c.display_name FROM appointments a
			JOIN slots sl ON sl.id = a.slot_id JOIN sessions se ON se.id = sl.session_id JOIN clinicians c ON c.id = se.clinician_id
			WHERE a.checkin_code_hash = ?`, checkInCodeHash(code)).Scan(&out.AppointmentID, &patientID, &status, &starts, &out.ClinicianName)
		if errors.Is(err, sql.ErrNoRows) {
			return RefuseSeeReception()
		}
		if err != nil {
			return fmt.Errorf("store.CheckInByCode: %w", err)
		}
		out.StartsAt = time.Unix(starts, 0).UTC()
		if status != StatusBooked || !st.InCheckInWindow(now, out.StartsAt) {
			return RefuseSeeReception()
		}
		return arrive(ctx, tx, now, out.AppointmentID, patientID, deviceID, "slip")
	})
	if err != nil {
		return CheckedIn{}, err
	}
	return out, nil
}
