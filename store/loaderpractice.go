package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ArrivalToday gives the patient (found by name and date of birth) a
// five-minute appointment starting at startsAt, in a session of its own
// with the practice's first GP and the slot type named slotType, so a
// check-in can be practised at any time of day (sync/pretend's check-in
// lesson). The appointment is booked at reception, as a real one might be.
func (l *Loader) ArrivalToday(given, family string, dob Date, slotType string, startsAt time.Time) (int64, error) {
	const op = "store.ArrivalToday"
	var patient, clinician, kind int64
	err := l.tx.QueryRowContext(l.ctx, `SELECT id FROM patients WHERE given_name = ? AND family_name = ? AND date_of_birth = ?`,
		given, family, dob.String()).Scan(&patient)
	if err == nil {
		err = l.tx.QueryRowContext(l.ctx, `SELECT id FROM clinicians WHERE role = 'gp' ORDER BY id LIMIT 1`).Scan(&clinician)
	}
	if err == nil {
		err = l.tx.QueryRowContext(l.ctx, `SELECT id FROM slot_types WHERE name = ? ORDER BY id LIMIT 1`, slotType).Scan(&kind)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, refuse(ReasonNotFound, "There is no such patient, GP or appointment type to book.")
	}
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	ends := startsAt.Add(5 * time.Minute)
	session, err := l.AddSession(NewSession{ClinicianID: clinician, Day: DateOf(startsAt, l.loc), StartsAt: startsAt, EndsAt: ends,
		Room: "Room 1", Slots: []NewSlot{{SlotTypeID: kind, StartsAt: startsAt, EndsAt: ends}}})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	var slot int64
	if err := l.tx.QueryRowContext(l.ctx, `SELECT id FROM slots WHERE session_id = ?`, session).Scan(&slot); err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	return l.AddAppointment(NewAppointment{SlotID: slot, PatientID: patient, Channel: ChannelReception, Status: StatusBooked, BookedAt: l.now})
}
