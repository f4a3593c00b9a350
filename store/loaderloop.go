package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Loads for the practice's side of the loop, so a practice (the demo) can
// start with queues that are not empty. Requests and decisions take the
// same paths as a device's ops; appointments and alerts are rows of
// history, written as they are.

// RequestRepeats records a repeat request by the practice's rules, as if
// made now through req.Channel.
func (l *Loader) RequestRepeats(req RepeatRequest) (int64, error) {
	out, err := l.s.requestRepeats(l.ctx, l.tx, req)
	return out.ID, err
}

// DecideRepeats records a prescriber's decisions on a request now, by the
// decide_repeats op's rules.
func (l *Loader) DecideRepeats(staffID int64, p DecideRepeats) error {
	var username string
	if err := l.tx.QueryRowContext(l.ctx, "SELECT username FROM staff WHERE id = ?", staffID).Scan(&username); err != nil {
		return fmt.Errorf("store.DecideRepeats: find staff: %w", err)
	}
	_, err := l.s.decideRepeats(l.ctx, l.tx, Actor{Name: "staff:" + username, Device: "server"}, staffID, p)
	return err
}

// NewAppointment is an appointment as it stands, for a load: booked,
// arrived, seen or did not attend.
type NewAppointment struct {
	SlotID          int64
	PatientID       int64
	Channel         Channel
	Status          string
	BookedAt        time.Time
	StatusChangedAt time.Time
}

// AddAppointment adds an appointment as it stands.
func (l *Loader) AddAppointment(a NewAppointment) (int64, error) {
	switch a.Status {
	case StatusBooked, StatusArrived, StatusSeen, StatusDidNotAttend:
	default:
		return 0, refuse(ReasonInvalidInput, "A loaded appointment is booked, arrived, seen or did not attend.")
	}
	if _, err := ParseChannel(string(a.Channel)); err != nil {
		return 0, err
	}
	return l.exec("store.AddAppointment", `INSERT INTO appointments (slot_id, patient_id, channel, status, booked_at, status_changed_at)
		VALUES (?, ?, ?, ?, ?, ?)`, a.SlotID, a.PatientID, string(a.Channel), a.Status, a.BookedAt.Unix(), nonZeroOr(a.StatusChangedAt, a.BookedAt).Unix())
}

// AddRetiredDevice records a device the practice once had and has since
// revoked, so what it raised is shown under its name. Its token hash is
// random: nothing can sign in as it.
func (l *Loader) AddRetiredDevice(id, role, name string, enrolled, revoked time.Time) error {
	if role != DeviceKiosk && role != DeviceDesktop {
		return refuse(ReasonInvalidInput, "A device is a kiosk or a desktop.")
	}
	var random [32]byte
	if _, err := rand.Read(random[:]); err != nil {
		return fmt.Errorf("store.AddRetiredDevice: %w", err)
	}
	_, err := l.exec("store.AddRetiredDevice", `INSERT INTO devices (id, role, name, token_hash, enrolled_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)`,
		id, role, name, hex.EncodeToString(random[:]), enrolled.Unix(), revoked.Unix())
	return err
}

// AddHelpRequest adds an open help request from a device.
func (l *Loader) AddHelpRequest(deviceID, note string, at time.Time) (int64, error) {
	return l.exec("store.AddHelpRequest", "INSERT INTO help_requests (device_id, note, requested_at) VALUES (?, ?, ?)",
		deviceID, strings.TrimSpace(note), at.Unix())
}

// AddProblemReport adds an open problem report from a device; reporter is
// "patient" or "staff".
func (l *Loader) AddProblemReport(deviceID, reporter, category, description string, at time.Time) (int64, error) {
	if reporter != "patient" && reporter != "staff" {
		return 0, refuse(ReasonInvalidInput, "A problem is reported by a patient or a member of staff.")
	}
	return l.exec("store.AddProblemReport", `INSERT INTO problem_reports (reported_at, reporter, device_id, category, description)
		VALUES (?, ?, ?, ?, ?)`, at.Unix(), reporter, deviceID, category, description)
}

// LoadedSlot is a slot already loaded, for loads that book into them.
type LoadedSlot struct {
	ID          int64
	ClinicianID int64
	StartsAt    time.Time
	Urgent      bool
}

// SlotsOn lists the slots loaded for day, by clinician and time.
func (l *Loader) SlotsOn(day Date) ([]LoadedSlot, error) {
	from, to := day.At(0, 0, l.loc).Unix(), day.AddDays(1).At(0, 0, l.loc).Unix()
	rows, err := l.tx.QueryContext(l.ctx, `SELECT sl.id, se.clinician_id, sl.starts_at, st.urgent FROM slots sl
		JOIN sessions se ON se.id = sl.session_id JOIN slot_types st ON st.id = sl.slot_type_id
		WHERE sl.starts_at >= ? AND sl.starts_at < ? ORDER BY se.clinician_id, sl.starts_at`, from, to)
	if err != nil {
		return nil, fmt.Errorf("store.SlotsOn: %w", err)
	}
	defer rows.Close()
	var out []LoadedSlot
	for rows.Next() {
		var s LoadedSlot
		var starts int64
		if err := rows.Scan(&s.ID, &s.ClinicianID, &starts, &s.Urgent); err != nil {
			return nil, fmt.Errorf("store.SlotsOn: %w", err)
		}
		s.StartsAt = time.Unix(starts, 0).UTC()
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.SlotsOn: %w", err)
	}
	return out, nil
}
