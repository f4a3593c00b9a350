package store

import (
	"context"
	"database/sql"
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

// CheckedIn is the appointment a patient was checked in for.
type CheckedIn struct {
	AppointmentID int64
	StartsAt      time.Time
	ClinicianName string
}

// RefuseSeeReception: no single appointment matched inside the check-in
// window. The message is the same whatever the reason, so the kiosk never
// hints at who is booked.
func RefuseSeeReception() error {
	return refuse(ReasonNotFound, "We could not check you in here. Please see reception.")
}

// CheckIn marks the one booked appointment of today that matches the
// patient's date of birth, sex and first letter of surname, if it is
// inside the practice's check-in window.
func (s *Store) CheckIn(ctx context.Context, req CheckInRequest) (CheckedIn, error) {
	initial := []rune(strings.TrimSpace(req.SurnameInitial))
	if len(initial) != 1 || !unicode.IsLetter(initial[0]) {
		return CheckedIn{}, refuse(ReasonInvalidInput, "Please choose the first letter of your surname.")
	}
	if _, err := NewDate(req.DateOfBirth.Year, req.DateOfBirth.Month, req.DateOfBirth.Day); err != nil {
		return CheckedIn{}, err
	}
	var out CheckedIn
	err := s.inTx(ctx, "store.CheckIn", func(tx *sql.Tx) error {
		now := s.Now()
		st, err := loadSettings(ctx, tx)
		if err != nil {
			return fmt.Errorf("store.CheckIn: %w", err)
		}
		today := DateOf(now, s.loc)
		from, to := today.At(0, 0, s.loc).Unix(), today.AddDays(1).At(0, 0, s.loc).Unix()
		rows, err := tx.QueryContext(ctx, `SELECT a.id, a.patient_id, sl.starts_at, c.display_name FROM appointments a
			JOIN patients p ON p.id = a.patient_id JOIN slots sl ON sl.id = a.slot_id
			JOIN sessions se ON se.id = sl.session_id JOIN clinicians c ON c.id = se.clinician_id
			WHERE a.status = 'booked' AND sl.starts_at >= ? AND sl.starts_at < ?
			  AND p.date_of_birth = ? AND p.sex = ? AND upper(substr(p.family_name, 1, 1)) = ?`,
			from, to, req.DateOfBirth.String(), string(req.Sex), strings.ToUpper(string(initial)))
		if err != nil {
			return fmt.Errorf("store.CheckIn: %w", err)
		}
		// Today's matches inside the window; the window is the rule's. If
		// two different people booked today share these details, nobody is
		// checked in: the one standing here might not be the one due.
		var matches []CheckedIn
		var patientID int64
		people := map[int64]bool{}
		for rows.Next() {
			var c CheckedIn
			var starts, pid int64
			if err := rows.Scan(&c.AppointmentID, &pid, &starts, &c.ClinicianName); err != nil {
				rows.Close()
				return fmt.Errorf("store.CheckIn: %w", err)
			}
			c.StartsAt = time.Unix(starts, 0).UTC()
			people[pid] = true
			if st.InCheckInWindow(now, c.StartsAt) {
				matches = append(matches, c)
				patientID = pid
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store.CheckIn: %w", err)
		}
		if len(matches) != 1 || len(people) != 1 {
			return RefuseSeeReception()
		}
		out = matches[0]
		if _, err := tx.ExecContext(ctx, "UPDATE appointments SET status = 'arrived', status_changed_at = ? WHERE id = ?", now.Unix(), out.AppointmentID); err != nil {
			return fmt.Errorf("store.CheckIn: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO check_ins (appointment_id, device_id, checked_in_at) VALUES (?, ?, ?)", out.AppointmentID, req.DeviceID, now.Unix()); err != nil {
			return fmt.Errorf("store.CheckIn: %w", err)
		}
		return appendAudit(ctx, tx, now, Actor{Name: fmt.Sprintf("patient:%d", patientID), Device: req.DeviceID}, "appointment.check_in",
			"patient", patientID, fmt.Sprintf("appointment=%d", out.AppointmentID))
	})
	return out, err
}
