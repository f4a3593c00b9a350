package replica

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// ApplyChanges applies one page of the change feed, in order, and stores
// its cursor, all in one transaction. A change that cannot be applied (data
// that does not decode, an unknown entity) fails the whole page: nothing is
// applied and the cursor stays, so the same page is asked for again.
func (r *Replica) ApplyChanges(ctx context.Context, page gpsync.ChangesResponse) error {
	const op = "replica.ApplyChanges"
	return r.inTx(ctx, op, func(tx *sql.Tx) error {
		var cursor int64
		var snapshot string
		if err := tx.QueryRowContext(ctx, "SELECT cursor, snapshot FROM sync_state WHERE id = 1").Scan(&cursor, &snapshot); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if snapshot == "" && page.Snapshot != "" && cursor == 0 {
			if err := deferIndexes(ctx, tx); err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
		}
		if page.Cursor < cursor {
			return fmt.Errorf("%s: page cursor %d is behind the stored cursor %d", op, page.Cursor, cursor)
		}
		// A kiosk (or a device not yet enrolled) keeps only what a kiosk may
		// hold, whatever a server sends.
		e, err := readEnrolment(ctx, tx)
		if err != nil && !errors.Is(err, ErrNotEnrolled) {
			return fmt.Errorf("%s: %w", op, err)
		}
		desktop := e.Role == gpsync.RoleDesktop
		// Local effects of answered ops go once the feed shows them
		// (forgetAnswered, forgetSettled); a device with no answered op
		// (a first sync, most often) has none, and skips that work per row.
		pa := &pageApply{desktop: desktop}
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM outbox WHERE status IS NOT NULL),
			EXISTS (SELECT 1 FROM kiosk_verifiers) OR EXISTS (SELECT 1 FROM patient_not_eligible)`).Scan(&pa.answered, &pa.patientExtras); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		for _, c := range page.Changes {
			if err := applyChange(ctx, tx, c, pa); err != nil {
				return fmt.Errorf("%s: change %d (%s %d): %w", op, c.Seq, c.Entity, c.ID, err)
			}
		}
		if page.Snapshot == "" {
			if err := rebuildIndexes(ctx, tx); err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE sync_state SET cursor = ?, snapshot = ? WHERE id = 1", page.Cursor, page.Snapshot); err != nil {
			return fmt.Errorf("%s: store cursor: %w", op, err)
		}
		return nil
	})
}

// replicatedTables are the tables of rows the feed sends, which a
// resync empties.
func replicatedTables() []string {
	return []string{"settings", "clinicians", "slot_types", "slots", "kiosk_verifiers", "patient_not_eligible", "patients", "appointments",
		"repeat_items", "repeat_request_items", "repeat_requests", "staff", "registrations", "proxies", "alerts"}
}

// deferIndexes drops the replicated tables' non-unique indexes for the
// length of a snapshot into an empty replica, keeping their definitions
// for rebuildIndexes: built once from sorted rows at the end, they cost a
// fraction of an insert into each per row. Unique indexes stay: they are
// rules, not just speed.
func deferIndexes(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT m.name, m.sql FROM sqlite_master m JOIN json_each(?) t ON t.value = m.tbl_name
		WHERE m.type = 'index' AND m.sql IS NOT NULL AND m.sql NOT LIKE 'CREATE UNIQUE%'`, tableList())
	if err != nil {
		return fmt.Errorf("defer indexes: %w", err)
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return fmt.Errorf("defer indexes: %w", err)
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("defer indexes: %w", err)
	}
	for i, name := range names {
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO deferred_indexes (name, sql) VALUES (?, ?)", name, defs[i]); err != nil {
			return fmt.Errorf("defer indexes: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+strings.ReplaceAll(name, `"`, `""`)+`"`); err != nil {
			return fmt.Errorf("defer indexes: %w", err)
		}
	}
	return nil
}

// rebuildIndexes builds the indexes deferIndexes dropped, if any.
func rebuildIndexes(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT name, sql FROM deferred_indexes ORDER BY name")
	if err != nil {
		return fmt.Errorf("rebuild indexes: %w", err)
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return fmt.Errorf("rebuild indexes: %w", err)
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("rebuild indexes: %w", err)
	}
	for i, def := range defs {
		if _, err := tx.ExecContext(ctx, def); err != nil {
			return fmt.Errorf("rebuild index %s: %w", names[i], err)
		}
	}
	if len(names) > 0 {
		if _, err := tx.ExecContext(ctx, "DELETE FROM deferred_indexes"); err != nil {
			return fmt.Errorf("rebuild indexes: %w", err)
		}
	}
	return nil
}

func tableList() string {
	b, _ := json.Marshal(replicatedTables())
	return string(b)
}

// FeedPosition is the stored cursor and, while a snapshot is being pulled,
// the server's token for its next page ("" otherwise): a sync cut off half
// way through a snapshot resumes where it stopped (client.SnapshotReplica).
func (r *Replica) FeedPosition(ctx context.Context) (int64, string, error) {
	var cursor int64
	var snapshot string
	if err := r.read.QueryRowContext(ctx, "SELECT cursor, snapshot FROM sync_state WHERE id = 1").Scan(&cursor, &snapshot); err != nil {
		return 0, "", fmt.Errorf("replica.FeedPosition: %w", err)
	}
	return cursor, snapshot, nil
}

// deleteStmts is what removing a row of entity from this device's view
// deletes; ok is false for an entity this program does not know. Children
// of a patient arrive as their own changes.
func deleteStmts(entity string) (stmts []string, ok bool) {
	switch entity {
	case gpsync.EntitySettings:
		return []string{"DELETE FROM settings WHERE id = ?"}, true
	case gpsync.EntityClinician:
		return []string{"DELETE FROM clinicians WHERE id = ?"}, true
	case gpsync.EntitySlotType:
		return []string{"DELETE FROM slot_types WHERE id = ?"}, true
	case gpsync.EntitySlot:
		return []string{"DELETE FROM slots WHERE id = ?"}, true
	case gpsync.EntityPatient:
		return []string{"DELETE FROM kiosk_verifiers WHERE patient_id = ?", "DELETE FROM patient_not_eligible WHERE patient_id = ?",
			"DELETE FROM patients WHERE id = ?"}, true
	case gpsync.EntityAppointment:
		return []string{"DELETE FROM appointments WHERE id = ?"}, true
	case gpsync.EntityRepeatItem:
		return []string{"DELETE FROM repeat_items WHERE id = ?"}, true
	case gpsync.EntityRepeatRequest:
		return []string{"DELETE FROM repeat_request_items WHERE request_id = ?", "DELETE FROM repeat_requests WHERE id = ?"}, true
	case gpsync.EntityStaff:
		return []string{"DELETE FROM staff WHERE id = ?"}, true
	case gpsync.EntityRegistration:
		return []string{"DELETE FROM registrations WHERE id = ?"}, true
	case gpsync.EntityProxy:
		return []string{"DELETE FROM proxies WHERE id = ?"}, true
	case gpsync.EntityHelpRequest:
		return []string{"DELETE FROM alerts WHERE entity = 'help_request' AND id = ?"}, true
	case gpsync.EntityProblemReport:
		return []string{"DELETE FROM alerts WHERE entity = 'problem_report' AND id = ?"}, true
	}
	return nil, false
}

// pageApply is what applying one page knows once for all its rows.
type pageApply struct {
	desktop bool
	// answered: the outbox has answered ops, whose local effects may need
	// clearing as the feed shows them.
	answered bool
	// patientExtras: kiosk_verifiers or patient_not_eligible may hold
	// rows; while they hold none (a desktop's never do) a patient's old
	// ones need no deleting.
	patientExtras bool
}

func applyChange(ctx context.Context, tx *sql.Tx, c gpsync.Change, pa *pageApply) error {
	answered := pa.answered
	stmts, ok := deleteStmts(c.Entity)
	if !ok {
		return fmt.Errorf("unknown entity %q", c.Entity)
	}
	if c.Entity == gpsync.EntitySettings && c.ID != 1 {
		return fmt.Errorf("settings must have id 1")
	}
	if c.Deleted {
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, s, c.ID); err != nil {
				return err
			}
		}
		if !answered {
			return nil
		}
		if err := forgetSettled(ctx, tx, c.Entity, c.ID, true); err != nil {
			return err
		}
		return forgetAnswered(ctx, tx, c.Entity, c.ID)
	}
	if len(bytes.TrimSpace(c.Data)) == 0 || bytes.Equal(bytes.TrimSpace(c.Data), []byte("null")) {
		return errors.New("no data")
	}
	if err := upsert(ctx, tx, c, pa); err != nil {
		return err
	}
	if !answered {
		return nil
	}
	return forgetAnswered(ctx, tx, c.Entity, c.ID)
}

func upsert(ctx context.Context, tx *sql.Tx, c gpsync.Change, pa *pageApply) error {
	desktop, answered := pa.desktop, pa.answered
	switch c.Entity {
	case gpsync.EntityStaff, gpsync.EntityRegistration, gpsync.EntityProxy, gpsync.EntityHelpRequest, gpsync.EntityProblemReport:
		if !desktop {
			return nil // never held on a kiosk, whatever a server sends
		}
		return upsertDesktopOnly(ctx, tx, c)
	case gpsync.EntitySettings:
		return upsertSettings(ctx, tx, c)
	case gpsync.EntityClinician:
		return upsertClinician(ctx, tx, c)
	case gpsync.EntitySlotType:
		return upsertSlotType(ctx, tx, c)
	case gpsync.EntitySlot:
		return upsertSlot(ctx, tx, c)
	case gpsync.EntityPatient:
		return upsertPatient(ctx, tx, c, pa)
	case gpsync.EntityAppointment:
		return upsertAppointment(ctx, tx, c, desktop, answered)
	case gpsync.EntityRepeatItem:
		return upsertRepeatItem(ctx, tx, c, desktop)
	default: // gpsync.EntityRepeatRequest
		return upsertRepeatRequest(ctx, tx, c, desktop, answered)
	}
}

func decode[T any](c gpsync.Change) (T, error) {
	var v T
	if err := json.Unmarshal(c.Data, &v); err != nil {
		return v, fmt.Errorf("decode data: %w", err)
	}
	return v, nil
}

func upsertSettings(ctx context.Context, tx *sql.Tx, c gpsync.Change) error {
	d, err := decode[gpsync.SettingsData](c)
	if err != nil {
		return err
	}
	// A server from before these settings sends none: keep the defaults
	// the device had before they were settings.
	def := store.DefaultSettings()
	or := func(v, fallback int) int {
		if v == 0 {
			return fallback
		}
		return v
	}
	_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO settings (id, booking_window_days, min_notice_minutes,
		max_held_appointments, max_held_unverified, min_age_years, cancel_cutoff_minutes, dna_suspend_count,
		dna_lookback_days, checkin_before_minutes, checkin_after_minutes, repeat_processing_days, repeat_note_max_chars, kiosk_exit_pin,
		clinicians_handle_alerts, daily_release_minutes, kiosk_idle_seconds, kiosk_idle_warning_seconds, staff_idle_minutes,
		read_aloud_default)
		VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.BookingWindowDays, d.MinNoticeMinutes, d.MaxHeldAppointments,
		d.MaxHeldUnverified, d.MinAgeYears, d.CancelCutoffMinutes, d.DNASuspendCount, d.DNALookbackDays,
		d.CheckInBeforeMinutes, d.CheckInAfterMinutes, d.RepeatProcessingDays, d.RepeatNoteMaxChars, d.KioskExitPIN,
		d.CliniciansHandleAlerts, d.DailyReleaseMinutes, or(d.KioskIdleSeconds, def.KioskIdleSeconds),
		or(d.KioskIdleWarningSeconds, def.KioskIdleWarningSeconds), or(d.StaffIdleMinutes, def.StaffIdleMinutes), d.ReadAloudDefault)
	return err
}

func upsertClinician(ctx context.Context, tx *sql.Tx, c gpsync.Change) error {
	d, err := decode[gpsync.ClinicianData](c)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT OR REPLACE INTO clinicians (id, display_name, role, online_bookable) VALUES (?, ?, ?, ?)",
		c.ID, d.DisplayName, d.Role, d.OnlineBookable)
	return err
}

func upsertSlotType(ctx context.Context, tx *sql.Tx, c gpsync.Change) error {
	d, err := decode[gpsync.SlotTypeData](c)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO slot_types (id, name, minutes, clinician_role, online_bookable, urgent,
		for_sex, min_age_years, max_age_years) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, d.Name, d.Minutes, d.ClinicianRole,
		d.OnlineBookable, d.Urgent, d.ForSex, d.MinAgeYears, d.MaxAgeYears)
	return err
}

func upsertSlot(ctx context.Context, tx *sql.Tx, c gpsync.Change) error {
	d, err := decode[gpsync.SlotData](c)
	if err != nil {
		return err
	}
	if d.StartsAt.IsZero() || d.EndsAt.Before(d.StartsAt) {
		return errors.New("slot has no start or ends before it starts")
	}
	_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO slots (id, clinician_id, slot_type_id, starts_at, ends_at,
		online_bookable, reception_only, release_at, taken, leased_to, lease_ends_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, d.ClinicianID, d.SlotTypeID, d.StartsAt.Unix(), d.EndsAt.Unix(), d.OnlineBookable, d.ReceptionOnly,
		unixOrNil(d.ReleaseAt), d.Taken, d.LeasedTo, unixOrNil(d.LeaseEndsAt))
	return err
}

func upsertPatient(ctx context.Context, tx *sql.Tx, c gpsync.Change, pa *pageApply) error {
	desktop := pa.desktop
	d, err := decode[gpsync.PatientData](c)
	if err != nil {
		return err
	}
	// Desktop-only fields: NULL on a kiosk, and NULL rather than "" when
	// the server sent nothing.
	desk := func(s string) any {
		if !desktop || s == "" {
			return nil
		}
		return s
	}
	if desktop && d.DateOfBirth != "" {
		if _, err := store.ParseDate(d.DateOfBirth); err != nil {
			return fmt.Errorf("date of birth %q: %w", d.DateOfBirth, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO patients (id, given_name, identity_verified,
		online_ordering_unsuitable, online_booking_suspended, nhs_number, family_name, sex, date_of_birth, address, postcode, phone)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, d.GivenName, d.IdentityVerified, d.OnlineOrderingUnsuitable,
		d.OnlineBookingSuspended, desk(d.NHSNumber), desk(d.FamilyName), desk(d.Sex), desk(d.DateOfBirth),
		desk(d.Address), desk(d.Postcode), desk(d.Phone)); err != nil {
		return err
	}
	if pa.patientExtras {
		if _, err := tx.ExecContext(ctx, "DELETE FROM kiosk_verifiers WHERE patient_id = ?", c.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM patient_not_eligible WHERE patient_id = ?", c.ID); err != nil {
			return err
		}
	}
	pa.patientExtras = pa.patientExtras || len(d.KioskLetters) > 0 || len(d.NotEligibleSlotTypes) > 0
	for _, l := range d.KioskLetters {
		if l.Verifier == "" {
			return errors.New("kiosk letter without a verifier")
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO kiosk_verifiers (verifier, patient_id, revoked,
			acting_for, no_appointments, no_prescriptions) VALUES (?, ?, ?, ?, ?, ?)`,
			strings.ToLower(l.Verifier), c.ID, l.Revoked, l.ActingFor, l.NoAppointments, l.NoPrescriptions); err != nil {
			return err
		}
	}
	for _, t := range d.NotEligibleSlotTypes {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO patient_not_eligible (patient_id, slot_type_id) VALUES (?, ?)", c.ID, t); err != nil {
			return err
		}
	}
	return nil
}

func upsertAppointment(ctx context.Context, tx *sql.Tx, c gpsync.Change, desktop, answered bool) error {
	d, err := decode[gpsync.AppointmentData](c)
	if err != nil {
		return err
	}
	if !desktop {
		d.StatusChangedAt = nil // a desktop-only field
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO appointments (id, slot_id, patient_id, channel, status, booked_at, status_changed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.ID, d.SlotID, d.PatientID, d.Channel, d.Status, d.BookedAt.Unix(), unixOrNil(d.StatusChangedAt)); err != nil {
		return err
	}
	return forgetSettled(ctx, tx, c.Entity, c.ID, answered && d.Status != store.StatusBooked)
}

func upsertRepeatItem(ctx context.Context, tx *sql.Tx, c gpsync.Change, desktop bool) error {
	d, err := decode[gpsync.RepeatItemData](c)
	if err != nil {
		return err
	}
	var review any
	if d.ReviewDue != "" {
		if _, err := store.ParseDate(d.ReviewDue); err != nil {
			return fmt.Errorf("review date %q: %w", d.ReviewDue, err)
		}
		review = d.ReviewDue
	}
	if !desktop {
		d.LastIssuedAt = nil // a desktop-only field
	}
	_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO repeat_items (id, patient_id, name, strength, form, dosage,
		active, review_due, outstanding, last_issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, d.PatientID, d.Name, d.Strength, d.Form, d.Dosage, d.Active, review, d.Outstanding, unixOrNil(d.LastIssuedAt))
	return err
}

func upsertRepeatRequest(ctx context.Context, tx *sql.Tx, c gpsync.Change, desktop, answered bool) error {
	d, err := decode[gpsync.RepeatRequestData](c)
	if err != nil {
		return err
	}
	if _, err := store.ParseDate(d.ReadyBy); err != nil {
		return fmt.Errorf("ready-by date %q: %w", d.ReadyBy, err)
	}
	// Desktop-only fields: NULL on a kiosk, whatever a server sends.
	var requestedAt, handedOutAt, channel, note any
	if desktop {
		requestedAt, handedOutAt = unixOrNil(d.RequestedAt), unixOrNil(d.HandedOutAt)
		channel, note = d.Channel, d.Note
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO repeat_requests (id, patient_id, status, ready_by, handed_out,
		outcome_seen, requested_at, channel, note, handed_out_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, d.PatientID, d.Status, d.ReadyBy, d.HandedOut, d.OutcomeSeen, requestedAt, channel, note, handedOutAt); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM repeat_request_items WHERE request_id = ?", c.ID); err != nil {
		return err
	}
	for _, it := range d.Items {
		var decidedBy, decidedAt any
		if desktop {
			decidedAt = unixOrNil(it.DecidedAt)
			if it.DecidedBy != 0 {
				decidedBy = it.DecidedBy
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO repeat_request_items (request_id, repeat_item_id, decision, reason,
			reason_code, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.ID, it.RepeatItemID, it.Decision, it.Reason, it.ReasonCode, decidedBy, decidedAt); err != nil {
			return err
		}
	}
	return forgetSettled(ctx, tx, c.Entity, c.ID, answered && d.Status != "pending")
}

// forgetSettled drops local rows of answered ops once the feed shows the
// server's row has left the live state (gone from view, cancelled, done):
// they were only standing in for it. A row that arrives live keeps its
// linked local row, hidden by the live_* views, so a Ref holding its
// LocalID still resolves.
func forgetSettled(ctx context.Context, tx *sql.Tx, entity string, id int64, settled bool) error {
	if !settled {
		return nil
	}
	var linked, cancels string
	switch entity {
	case gpsync.EntityAppointment:
		linked = "DELETE FROM local_appointments WHERE server_id = ? AND op_id IN (SELECT op_id FROM outbox WHERE status IS NOT NULL)"
		cancels = "appointment"
	case gpsync.EntityRepeatRequest:
		linked = "DELETE FROM local_requests WHERE server_id = ? AND op_id IN (SELECT op_id FROM outbox WHERE status IS NOT NULL)"
		cancels = "repeat_request"
	default:
		return nil
	}
	if _, err := tx.ExecContext(ctx, linked, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM local_cancels WHERE entity = ? AND server_id = ?
		AND op_id IN (SELECT op_id FROM outbox WHERE status IS NOT NULL)`, cancels, id)
	return err
}

// ResetForResync forgets the replica after the server was restored from a
// backup (409 cursor_ahead): every replicated row goes and the cursor
// returns to 0. The outbox, attention items, enrolment and the local
// effects of unanswered ops stay; effects of answered ops go with the
// replica, since the feed will bring whatever the server still has.
func (r *Replica) ResetForResync(ctx context.Context) error {
	const op = "replica.ResetForResync"
	return r.inTx(ctx, op, func(tx *sql.Tx) error {
		for _, s := range []string{
			"DELETE FROM settings", "DELETE FROM clinicians", "DELETE FROM slot_types", "DELETE FROM slots",
			"DELETE FROM kiosk_verifiers", "DELETE FROM patient_not_eligible", "DELETE FROM patients", "DELETE FROM appointments",
			"DELETE FROM repeat_items", "DELETE FROM repeat_request_items", "DELETE FROM repeat_requests",
			"DELETE FROM staff", "DELETE FROM registrations", "DELETE FROM proxies", "DELETE FROM alerts",
			"DELETE FROM local_proxies WHERE op_id IN (SELECT op_id FROM outbox WHERE status IS NOT NULL)",
			"DELETE FROM local_registrations WHERE op_id IN (SELECT op_id FROM outbox WHERE status IS NOT NULL)",
			"DELETE FROM local_appointments WHERE op_id IN (SELECT op_id FROM outbox WHERE status IS NOT NULL)",
			"DELETE FROM local_requests WHERE op_id IN (SELECT op_id FROM outbox WHERE status IS NOT NULL)",
			"DELETE FROM local_cancels WHERE op_id IN (SELECT op_id FROM outbox WHERE status IS NOT NULL)",
			"DELETE FROM local_decisions WHERE op_id IN (SELECT op_id FROM outbox WHERE status IS NOT NULL)",
			"DELETE FROM local_handouts WHERE op_id IN (SELECT op_id FROM outbox WHERE status IS NOT NULL)",
			"DELETE FROM local_outcomes WHERE op_id IN (SELECT op_id FROM outbox WHERE status IS NOT NULL)",
			"DELETE FROM local_alert_actions WHERE op_id IN (SELECT op_id FROM outbox WHERE status IS NOT NULL)",
			"DELETE FROM local_outcomes_seen WHERE op_id IN (SELECT op_id FROM outbox WHERE status IS NOT NULL)",
			"UPDATE sync_state SET cursor = 0, snapshot = '' WHERE id = 1",
		} {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
		}
		// A snapshot cut off by the reset had its indexes dropped; the
		// tables are empty now, so putting them back costs nothing.
		if err := rebuildIndexes(ctx, tx); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		return nil
	})
}
