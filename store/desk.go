package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"
)

// Ops only a member of staff at a desktop may make: linking a proxy,
// registering for online services and recording that they saw records.

// ReasonAccountIDTaken: the letter's account ID is already someone's.
const ReasonAccountIDTaken Reason = "account_id_taken"

// MaxViewedPatients bounds one record_view op (a page of search results).
const MaxViewedPatients = 100

// letterValiditySlack forgives a desktop that worked out the expiry from
// a clock reading a little after the issue time.
const letterValiditySlack = time.Minute

var (
	accountIDPattern = regexp.MustCompile(`^[` + codeAlphabet + `]{4}-[` + codeAlphabet + `]{4}-[` + codeAlphabet + `]{4}$`)
	sha256HexPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// ValidAccountID reports whether s is an account ID as
// NewRegistrationDetails makes them (three groups of four, no look-alikes).
func ValidAccountID(s string) bool { return accountIDPattern.MatchString(s) }

// requireStaffFor refuses a desktop-only op unless an active member of
// staff whose role allows it made it at a desktop.
func requireStaffFor(dev Device, kind RequestKind, m opStaff, named bool, st Settings) error {
	if dev.Role != DeviceDesktop {
		return refuse(ReasonStaffNotAllowed, "Only a member of staff signed in at a staff desktop can do that.")
	}
	if !named {
		return refuse(ReasonStaffNotAllowed, "Sign in as a member of staff to do that.")
	}
	if !StaffMay(kind, m.role, st) {
		if kind == KindDecideRepeats {
			return refuse(ReasonStaffNotAllowed, "Only a prescriber can decide repeat prescriptions. Pass it to a clinician.")
		}
		return refuse(ReasonStaffNotAllowed, "Your staff role cannot do that. Ask a receptionist or the practice manager.")
	}
	return nil
}

func patientBorn(ctx context.Context, tx *sql.Tx, patientID int64) (Date, error) {
	var dob string
	err := tx.QueryRowContext(ctx, "SELECT date_of_birth FROM patients WHERE id = ?", patientID).Scan(&dob)
	if errors.Is(err, sql.ErrNoRows) {
		return Date{}, RefusePatientNotFound()
	}
	if err != nil {
		return Date{}, fmt.Errorf("find patient: %w", err)
	}
	born, err := ParseDate(dob)
	if err != nil {
		return Date{}, fmt.Errorf("stored date of birth: %w", err)
	}
	return born, nil
}

func nonZeroOr(t, fallback time.Time) time.Time {
	if t.IsZero() {
		return fallback
	}
	return t
}

func (s *Store) linkProxy(ctx context.Context, tx *sql.Tx, actor Actor, m opStaff, req Request, p LinkProxy) (any, error) {
	born, err := patientBorn(ctx, tx, p.PatientID)
	if err != nil {
		return nil, err
	}
	var proxyPatient any
	if p.ProxyPatientID != 0 {
		if p.ProxyPatientID == p.PatientID {
			return nil, refuse(ReasonInvalidInput, "A patient cannot be their own proxy.")
		}
		if _, err := patientBorn(ctx, tx, p.ProxyPatientID); err != nil {
			return nil, err
		}
		proxyPatient = p.ProxyPatientID
	}
	proxyBorn, err := ParseDate(p.ProxyDateOfBirth)
	if err != nil {
		return nil, refuse(ReasonInvalidDate, "Enter the proxy's date of birth.")
	}
	if err := CheckProxy(ProxyRequest{PatientBorn: born, Today: DateOf(req.MadeAt, s.loc), ProxyName: p.ProxyName, ProxyBorn: proxyBorn,
		Relationship: p.Relationship, LegalBasis: p.LegalBasis, Appointments: p.ServiceAppointments, Prescriptions: p.ServicePrescriptions,
		Record: p.ServiceRecord, ProxyVerification: p.ProxyVerification, SafeguardingConsidered: p.SafeguardingConsidered,
		CoercionConsidered: p.CoercionConsidered}); err != nil {
		return nil, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO proxy_relationships (patient_id, proxy_patient_id, proxy_name, proxy_date_of_birth,
		relationship, legal_basis, service_appointments, service_prescriptions, service_record, proxy_verification,
		verified_by_staff_id, verified_at, safeguarding_considered, coercion_considered, created_at, client_ref)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?)`,
		p.PatientID, proxyPatient, p.ProxyName, proxyBorn.String(), p.Relationship, p.LegalBasis, p.ServiceAppointments,
		p.ServicePrescriptions, p.ServiceRecord, p.ProxyVerification, m.id, nonZeroOr(p.VerifiedAt, req.MadeAt).Unix(),
		s.Now().Unix(), req.Key)
	if err != nil {
		return nil, fmt.Errorf("link proxy: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, fmt.Errorf("link proxy: %w", err)
	}
	return ProxyLinked{ProxyID: id}, appendAudit(ctx, tx, s.Now(), actor, "proxy.link", "patient", p.PatientID,
		fmt.Sprintf("proxy=%d basis=%s", id, p.LegalBasis))
}

// liveProxy finds the proxy a registration is for, by the op that linked
// it or by its ID; it must be the patient's and not ended.
func liveProxy(ctx context.Context, tx *sql.Tx, patientID int64, ref string, id int64) (int64, error) {
	if ref != "" && id != 0 {
		return 0, refuse(ReasonInvalidInput, "A registration is for one proxy: name it once.")
	}
	var owner int64
	var ended sql.NullInt64
	var err error
	if ref != "" {
		err = tx.QueryRowContext(ctx, "SELECT id, patient_id, ended_at FROM proxy_relationships WHERE client_ref = ?", ref).Scan(&id, &owner, &ended)
	} else {
		err = tx.QueryRowContext(ctx, "SELECT patient_id, ended_at FROM proxy_relationships WHERE id = ?", id).Scan(&owner, &ended)
	}
	if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != patientID) {
		return 0, refuse(ReasonNotFound, "The proxy this registration is for is not linked to the patient. Link the proxy first, then register them.")
	}
	if err != nil {
		return 0, fmt.Errorf("find proxy: %w", err)
	}
	if ended.Valid {
		return 0, refuse(ReasonProxyBasis, "This proxy's access has ended, so they cannot be registered.")
	}
	return id, nil
}

func (s *Store) registerOnline(ctx context.Context, tx *sql.Tx, actor Actor, m opStaff, req Request, p RegisterOnline) (any, error) {
	born, err := patientBorn(ctx, tx, p.PatientID)
	if err != nil {
		return nil, err
	}
	var proxyID int64
	if p.ProxyRef != "" || p.ProxyID != 0 {
		if proxyID, err = liveProxy(ctx, tx, p.PatientID, p.ProxyRef, p.ProxyID); err != nil {
			return nil, err
		}
	}
	settings, err := loadSettings(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("register online: %w", err)
	}
	if err := CheckRegistration(RegistrationRequest{PatientBorn: born, Today: DateOf(req.MadeAt, s.loc), MinAgeYears: settings.MinAgeYears,
		ForProxy: proxyID != 0, VerificationMethod: p.VerificationMethod, CoercionConsidered: p.CoercionConsidered,
		Appointments: p.ServiceAppointments, Prescriptions: p.ServicePrescriptions, RecordAccess: p.RecordAccess}); err != nil {
		return nil, err
	}
	if p.VerifiedAt.IsZero() {
		return nil, refuse(ReasonVerificationMissing, "Record when the identity was checked.")
	}
	if !ValidAccountID(p.AccountID) || !sha256HexPattern.MatchString(p.LinkageKeyHash) {
		return nil, refuse(ReasonInvalidInput, "The registration details on this letter are not valid. Print a new letter.")
	}
	if !p.LetterIssuedAt.IsZero() && !settings.JudgedAt(p.LetterIssuedAt, s.Now()).Equal(p.LetterIssuedAt) {
		return nil, refuse(ReasonInvalidInput, "This letter says it was printed at a time the practice's server does not accept. Check the computer's date and time, then print a new letter.")
	}
	if d := p.LetterExpiresAt.Sub(p.LetterIssuedAt); p.LetterIssuedAt.IsZero() || d < LetterValidity-letterValiditySlack || d > LetterValidity+letterValiditySlack {
		return nil, refuse(ReasonInvalidInput, fmt.Sprintf("A registration letter is valid for %d days from printing. Print a new letter.", int(LetterValidity/(24*time.Hour))))
	}
	var taken bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM online_registrations WHERE account_id = ?)", p.AccountID).Scan(&taken); err != nil {
		return nil, fmt.Errorf("register online: %w", err)
	}
	if taken {
		return nil, refuse(ReasonAccountIDTaken, "These registration details have already been used. Print a new letter.")
	}
	now := s.Now()
	var proxy any
	if proxyID != 0 {
		proxy = proxyID
	}
	// A new letter replaces the person's old one: `IS` matches the patient's
	// own registrations (NULL) or the same proxy's.
	rows, err := tx.QueryContext(ctx, `UPDATE online_registrations SET revoked_at = ?, revoked_reason = 'reissued'
		WHERE patient_id = ? AND proxy_relationship_id IS ? AND revoked_at IS NULL RETURNING id`, now.Unix(), p.PatientID, proxy)
	if err != nil {
		return nil, fmt.Errorf("register online: revoke old letter: %w", err)
	}
	var revoked []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("register online: revoke old letter: %w", err)
		}
		revoked = append(revoked, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("register online: revoke old letter: %w", err)
	}
	for _, id := range revoked {
		if err := appendAudit(ctx, tx, now, actor, "registration.revoke", "patient", p.PatientID, fmt.Sprintf("registration=%d reason=reissued", id)); err != nil {
			return nil, err
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO online_registrations
		(patient_id, proxy_relationship_id, verification_method, verified_by_staff_id, verified_at, coercion_considered, service_appointments,
		 service_prescriptions, record_access, kiosk_enabled, account_id, linkage_key_hash, letter_issued_at, letter_expires_at)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.PatientID, proxy, p.VerificationMethod, m.id, p.VerifiedAt.Unix(), p.ServiceAppointments, p.ServicePrescriptions,
		p.RecordAccess, p.KioskEnabled, p.AccountID, p.LinkageKeyHash, p.LetterIssuedAt.Unix(), p.LetterExpiresAt.Unix())
	if err != nil {
		return nil, fmt.Errorf("register online: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, fmt.Errorf("register online: %w", err)
	}
	return Registered{RegistrationID: id}, appendAudit(ctx, tx, now, actor, "registration.issue", "patient", p.PatientID,
		fmt.Sprintf("registration=%d method=%s proxy=%d", id, p.VerificationMethod, proxyID))
}

func (s *Store) recordView(ctx context.Context, tx *sql.Tx, actor Actor, p RecordView) error {
	if p.What != ViewSearch && p.What != ViewRecord {
		return refuse(ReasonInvalidInput, "Say whether a search or a record was seen.")
	}
	if len(p.PatientIDs) == 0 || len(p.PatientIDs) > MaxViewedPatients {
		return refuse(ReasonInvalidInput, fmt.Sprintf("Record between 1 and %d patients seen at once.", MaxViewedPatients))
	}
	ids := slices.Clone(p.PatientIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	now := s.Now()
	for _, id := range ids {
		if _, err := patientBorn(ctx, tx, id); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, now, actor, "patient.view", "patient", id, "what="+p.What); err != nil {
			return err
		}
	}
	return nil
}
