package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Loads of past activity, so a practice (the demo) starts with months of
// history for its uptake figures. Each row is written as it would have
// been at the time given, and each change the live paths audit is audited
// at that time, since the figures read the audit log (a cancellation's
// channel is only there).

// SetRegisteredAt sets when a loaded patient joined the practice's list.
func (l *Loader) SetRegisteredAt(patientID int64, at time.Time) error {
	if at.After(l.now) {
		return refuse(ReasonInvalidInput, "A patient cannot join the list in the future.")
	}
	_, err := l.exec("store.SetRegisteredAt", "UPDATE patients SET registered_at = ? WHERE id = ?", at.Unix(), patientID)
	return err
}

// RevokeRegistration ends an online-services registration at at (the
// patient asked, or the practice withdrew access).
func (l *Loader) RevokeRegistration(registrationID int64, at time.Time, reason string) error {
	var patientID int64
	err := l.tx.QueryRowContext(l.ctx, "SELECT patient_id FROM online_registrations WHERE id = ? AND revoked_at IS NULL",
		registrationID).Scan(&patientID)
	if errors.Is(err, sql.ErrNoRows) {
		return refuse(ReasonNotFound, "There is no such registration, or it has already ended.")
	}
	if err != nil {
		return fmt.Errorf("store.RevokeRegistration: %w", err)
	}
	if at.After(l.now) {
		return refuse(ReasonInvalidInput, "A registration cannot end in the future.")
	}
	if _, err := l.exec("store.RevokeRegistration", "UPDATE online_registrations SET revoked_at = ?, revoked_reason = ? WHERE id = ?",
		at.Unix(), reason, registrationID); err != nil {
		return err
	}
	return appendAudit(l.ctx, l.tx, at, SystemActor(), "registration.revoke", "patient", patientID,
		fmt.Sprintf("registration=%d reason=%s", registrationID, reason))
}

// CancelLoaded cancels a loaded appointment at at through channel ch, as
// CancelAppointment would have (and audits it so).
func (l *Loader) CancelLoaded(appointmentID int64, ch Channel, at time.Time) error {
	if _, err := ParseChannel(string(ch)); err != nil {
		return err
	}
	var patientID int64
	var status string
	err := l.tx.QueryRowContext(l.ctx, "SELECT patient_id, status FROM appointments WHERE id = ?", appointmentID).Scan(&patientID, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return RefuseAppointmentNotFound()
	}
	if err != nil {
		return fmt.Errorf("store.CancelLoaded: %w", err)
	}
	if status != StatusBooked {
		return refuse(ReasonInvalidInput, "Only a booked appointment can be cancelled.")
	}
	if at.After(l.now) {
		return refuse(ReasonInvalidInput, "A past cancellation cannot be in the future.")
	}
	if _, err := l.exec("store.CancelLoaded", "UPDATE appointments SET status = 'cancelled', status_changed_at = ? WHERE id = ?",
		at.Unix(), appointmentID); err != nil {
		return err
	}
	actor := Actor{Name: fmt.Sprintf("patient:%d", patientID), Device: string(ch)}
	if ch == ChannelReception {
		actor = SystemActor()
	}
	return appendAudit(l.ctx, l.tx, at, actor, "appointment.cancel", "patient", patientID,
		fmt.Sprintf("appointment=%d channel=%s", appointmentID, ch))
}

// CheckInLoaded records that a loaded appointment's patient checked in at
// the kiosk deviceID at at.
func (l *Loader) CheckInLoaded(appointmentID int64, deviceID string, at time.Time) error {
	if at.After(l.now) {
		return refuse(ReasonInvalidInput, "A past check-in cannot be in the future.")
	}
	_, err := l.exec("store.CheckInLoaded", "INSERT INTO check_ins (appointment_id, device_id, checked_in_at) VALUES (?, ?, ?)",
		appointmentID, deviceID, at.Unix())
	return err
}

// AddPastRepeatRequest records a repeat request made at at through ch,
// long since approved and collected.
func (l *Loader) AddPastRepeatRequest(patientID int64, ch Channel, itemIDs []int64, at time.Time) (int64, error) {
	if _, err := ParseChannel(string(ch)); err != nil {
		return 0, err
	}
	if len(itemIDs) == 0 {
		return 0, refuse(ReasonInvalidInput, "A repeat request names at least one item.")
	}
	if at.After(l.now) {
		return 0, refuse(ReasonInvalidInput, "A past repeat request cannot be in the future.")
	}
	ready := DateOf(at, l.loc).AddDays(2)
	id, err := l.exec("store.AddPastRepeatRequest", `INSERT INTO prescription_requests (patient_id, channel, status, requested_at, ready_by,
		handed_out, handed_out_at) VALUES (?, ?, 'completed', ?, ?, 'collected', ?)`, patientID, string(ch), at.Unix(), ready.String(),
		ready.At(12, 0, l.loc).Unix())
	if err != nil {
		return 0, err
	}
	for _, item := range itemIDs {
		if _, err := l.exec("store.AddPastRepeatRequest: item", `INSERT INTO prescription_request_items (request_id, repeat_medication_id,
			decision, decided_at) VALUES (?, ?, 'approved', ?)`, id, item, at.Add(24*time.Hour).Unix()); err != nil {
			return 0, err
		}
	}
	return id, appendAudit(l.ctx, l.tx, at, Actor{Name: fmt.Sprintf("patient:%d", patientID), Device: string(ch)}, "prescription.request",
		"patient", patientID, fmt.Sprintf("request=%d items=%d channel=%s", id, len(itemIDs), ch))
}

// AddLessonCount adds n completions of a practice-mode lesson on day at
// the device deviceID.
func (l *Loader) AddLessonCount(deviceID, lesson string, day Date, n int) error {
	if err := CheckLessonID(lesson); err != nil {
		return err
	}
	if n < 1 {
		return refuse(ReasonInvalidInput, "A lesson count is at least one.")
	}
	_, err := l.exec("store.AddLessonCount", `INSERT INTO lesson_counts (device_id, lesson, day, count) VALUES (?, ?, ?, ?)
		ON CONFLICT (device_id, lesson, day) DO UPDATE SET count = count + excluded.count`, deviceID, lesson, day.String(), n)
	return err
}
