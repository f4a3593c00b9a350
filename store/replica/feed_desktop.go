package replica

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// upsertDesktopOnly stores the staff, registration, proxy and inbox rows
// only a desktop holds. When the server's own row arrives, the local row that
// stood in for it is dropped, since the op that made it is answered.
func upsertDesktopOnly(ctx context.Context, tx *sql.Tx, c gpsync.Change) error {
	switch c.Entity {
	case gpsync.EntityHelpRequest, gpsync.EntityProblemReport:
		return upsertAlert(ctx, tx, c)
	case gpsync.EntityStaff:
		d, err := decode[gpsync.StaffData](c)
		if err != nil {
			return err
		}
		if d.Username == "" {
			return errors.New("staff without a username")
		}
		_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO staff (id, username, display_name, role, password_hash, active)
			VALUES (?, ?, ?, ?, ?, ?)`, c.ID, d.Username, d.DisplayName, d.Role, d.SignInCheck, d.Active)
		return err
	case gpsync.EntityRegistration:
		d, err := decode[gpsync.RegistrationData](c)
		if err != nil {
			return err
		}
		if d.PatientID <= 0 || d.AccountID == "" {
			return errors.New("registration without a patient or account ID")
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO registrations (id, patient_id, proxy_id, account_id, verification_method,
			verified_by_staff_id, verified_at, service_appointments, service_prescriptions, record_access, kiosk_enabled,
			letter_issued_at, letter_expires_at, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, d.PatientID, d.ProxyID, d.AccountID, d.VerificationMethod, d.VerifiedByStaffID, d.VerifiedAt.Unix(),
			d.ServiceAppointments, d.ServicePrescriptions, d.RecordAccess, d.KioskEnabled,
			unixOrNil(d.LetterIssuedAt), unixOrNil(d.LetterExpiresAt), d.Revoked); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM local_registrations WHERE (server_id = ? OR account_id = ?)
			AND op_id IN (SELECT op_id FROM outbox WHERE status IS NOT NULL)`, c.ID, d.AccountID)
		return err
	default: // gpsync.EntityProxy
		d, err := decode[gpsync.ProxyData](c)
		if err != nil {
			return err
		}
		if d.PatientID <= 0 || d.ProxyName == "" {
			return errors.New("proxy without a patient or name")
		}
		if d.ProxyDateOfBirth != "" {
			if _, err := store.ParseDate(d.ProxyDateOfBirth); err != nil {
				return fmt.Errorf("proxy date of birth %q: %w", d.ProxyDateOfBirth, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO proxies (id, patient_id, proxy_patient_id, proxy_name, proxy_date_of_birth,
			relationship, legal_basis, service_appointments, service_prescriptions, service_record, proxy_verification,
			verified_by_staff_id, created_at, ended) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, d.PatientID, d.ProxyPatientID, d.ProxyName, d.ProxyDateOfBirth, d.Relationship, d.LegalBasis,
			d.ServiceAppointments, d.ServicePrescriptions, d.ServiceRecord, d.ProxyVerification, d.VerifiedByStaffID,
			d.CreatedAt.Unix(), d.Ended); err != nil {
			return err
		}
		// Keep the local row (it maps the link op to this ID for
		// registrations made against it) but it is hidden once the server's
		// row is here.
		return nil
	}
}

func upsertAlert(ctx context.Context, tx *sql.Tx, c gpsync.Change) error {
	d, err := decode[gpsync.AlertData](c)
	if err != nil {
		return err
	}
	switch d.Status {
	case gpsync.AlertOpen, gpsync.AlertAcknowledged, gpsync.AlertResolved:
	default:
		return fmt.Errorf("unknown alert status %q", d.Status)
	}
	if d.RaisedAt.IsZero() {
		return errors.New("alert without a time raised")
	}
	_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO alerts (entity, id, device_id, device_name, reporter, category, text,
		raised_at, status, handled_by, handled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.Entity, c.ID, d.DeviceID, d.DeviceName,
		d.Reporter, d.Category, d.Text, d.RaisedAt.Unix(), d.Status, d.HandledBy, unixOrNil(d.HandledAt))
	return err
}

// answered limits a local_* delete to rows whose op the server has
// answered: an unanswered op's effect must outlive any feed page.
const answered = " AND op_id IN (SELECT op_id FROM outbox WHERE status IS NOT NULL)"

// forgetAnswered drops the local effects of the desk's and kiosk's
// answered ops once the server's row (just written, or just removed)
// shows them, so the screens read the server's own state from then on. An
// older page that does not show them yet keeps them.
func forgetAnswered(ctx context.Context, tx *sql.Tx, entity string, id int64) error {
	var stmts []string
	switch entity {
	case gpsync.EntityAppointment:
		stmts = []string{`DELETE FROM local_outcomes WHERE appointment_id = ?1` + answered + ` AND NOT EXISTS
			(SELECT 1 FROM appointments a WHERE a.id = ?1 AND a.status IN ('booked', 'arrived') AND a.status <> local_outcomes.status)`}
	case gpsync.EntityRepeatRequest:
		stmts = []string{
			`DELETE FROM local_decisions WHERE request_id = ?1` + answered + ` AND NOT EXISTS (SELECT 1 FROM repeat_request_items i
				WHERE i.request_id = ?1 AND i.repeat_item_id = local_decisions.repeat_item_id AND i.decision = 'pending')`,
			`DELETE FROM local_handouts WHERE request_id = ?1` + answered + ` AND NOT EXISTS
				(SELECT 1 FROM repeat_requests r WHERE r.id = ?1 AND r.handed_out = '')`,
			`DELETE FROM local_outcomes_seen WHERE request_id = ?1` + answered + ` AND NOT EXISTS
				(SELECT 1 FROM repeat_requests r WHERE r.id = ?1 AND NOT r.outcome_seen)`,
		}
	case gpsync.EntityHelpRequest, gpsync.EntityProblemReport:
		stmts = []string{`DELETE FROM local_alert_actions WHERE entity = ?2 AND alert_id = ?1` + answered + ` AND NOT EXISTS
			(SELECT 1 FROM alerts a WHERE a.entity = ?2 AND a.id = ?1
			 AND (a.status = 'open' OR (a.status = 'acknowledged' AND local_alert_actions.action = 'resolved')))`}
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s, id, entity); err != nil {
			return fmt.Errorf("forget answered: %w", err)
		}
	}
	return nil
}
