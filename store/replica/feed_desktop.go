package replica

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// upsertDesktopOnly stores the staff, registration and proxy rows only a
// desktop holds. When the server's own row arrives, the local row that
// stood in for it is dropped, since the op that made it is answered.
func upsertDesktopOnly(ctx context.Context, tx *sql.Tx, c gpsync.Change) error {
	switch c.Entity {
	case gpsync.EntityStaff:
		d, err := decode[gpsync.StaffData](c)
		if err != nil {
			return err
		}
		if d.Username == "" {
			return errors.New("staff without a username")
		}
		_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO staff (id, username, display_name, role, password_hash, active)
			VALUES (?, ?, ?, ?, ?, ?)`, c.ID, d.Username, d.DisplayName, d.Role, d.PasswordHash, d.Active)
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
