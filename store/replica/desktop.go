package replica

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// PatientSummary is a search result: enough for staff to be sure they have
// the right person, and no more.
type PatientSummary struct {
	ID          int64
	NHSNumber   string
	GivenName   string
	FamilyName  string
	DateOfBirth store.Date
	Postcode    string
}

// PatientQuery finds a patient by NHS number, or by surname and date of
// birth together.
type PatientQuery struct {
	NHSNumber   string
	FamilyName  string
	DateOfBirth store.Date
}

// maxSearchResults keeps a list short enough to read; a surname and date
// of birth rarely match more than a handful.
const maxSearchResults = 50

// SearchPatients finds patients and records, through the outbox, that this
// member of staff saw each one listed.
func (r *Replica) SearchPatients(ctx context.Context, staff StaffMember, q PatientQuery) ([]PatientSummary, error) {
	const op = "replica.SearchPatients"
	if staff.ID == 0 {
		return nil, errSignInFirst()
	}
	var rows *sql.Rows
	var err error
	const cols = "SELECT id, nhs_number, given_name, family_name, date_of_birth, coalesce(postcode, '') FROM patients "
	switch {
	case strings.TrimSpace(q.NHSNumber) != "":
		n, perr := store.ParseNHSNumber(q.NHSNumber)
		if perr != nil {
			return nil, perr
		}
		rows, err = r.read.QueryContext(ctx, cols+"WHERE nhs_number = ? LIMIT ?", string(n), maxSearchResults)
	case strings.TrimSpace(q.FamilyName) != "" && !q.DateOfBirth.IsZero():
		rows, err = r.read.QueryContext(ctx, cols+"WHERE family_name = ? COLLATE NOCASE AND date_of_birth = ? ORDER BY given_name, id LIMIT ?",
			strings.TrimSpace(q.FamilyName), q.DateOfBirth.String(), maxSearchResults)
	default:
		return nil, refuse(store.ReasonInvalidInput, "Enter an NHS number, or a surname and a date of birth.")
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []PatientSummary
	for rows.Next() {
		var p PatientSummary
		var dob string
		if err := rows.Scan(&p.ID, &p.NHSNumber, &p.GivenName, &p.FamilyName, &dob, &p.Postcode); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		if p.DateOfBirth, err = store.ParseDate(dob); err != nil {
			return nil, fmt.Errorf("%s: stored date of birth: %w", op, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(out))
	for i, p := range out {
		ids[i] = p.ID
	}
	if err := r.recordView(ctx, staff, ids, gpsync.ViewSearch); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

func errSignInFirst() error {
	return refuse(store.ReasonStaffNotAllowed, "Please sign in first.")
}

func errMayNotRegister() error {
	return refuse(store.ReasonStaffNotAllowed, "Only reception staff and the practice manager can register patients or set up proxy access.")
}

func (r *Replica) recordView(ctx context.Context, staff StaffMember, ids []int64, what string) error {
	return r.inTx(ctx, "record view", func(tx *sql.Tx) error {
		_, err := r.enqueueAs(ctx, tx, staff.signer(), gpsync.OpRecordView, gpsync.RecordViewPayload{PatientIDs: ids, What: what}, "")
		return err
	})
}

// PatientRecord is one patient as the registration screens show them.
type PatientRecord struct {
	PatientSummary
	Sex           store.Sex
	Address       string
	Phone         string
	Registrations []Registration
	Proxies       []Proxy
	// MinAgeYears is the practice's minimum age for a patient's own online
	// services; 0 when this desktop has not had the practice's settings.
	MinAgeYears int
}

// Registration is an online-services registration: the server's, or one
// issued here and not yet seen back from the server (Pending).
type Registration struct {
	ServerID           int64
	ProxyName          string // "" for the patient's own
	AccountID          string
	VerificationMethod string
	Appointments       bool
	Prescriptions      bool
	RecordAccess       string
	KioskEnabled       bool
	IssuedAt           time.Time
	ExpiresAt          time.Time
	Revoked            bool
	Pending            bool
	proxyKey           string
}

// Proxy is someone linked to act for the patient. Ref names it for a
// registration: "p:<server ID>" or "op:<link op ID>" while unconfirmed.
type Proxy struct {
	Ref           string
	Name          string
	DateOfBirth   store.Date
	Relationship  string
	LegalBasis    string
	Appointments  bool
	Prescriptions bool
	Record        bool
	Verification  string // how the proxy's own identity was checked when linked
	Pending       bool
}

// PatientRecord reads one patient with their registrations and proxies,
// and records that this member of staff viewed it.
func (r *Replica) PatientRecord(ctx context.Context, staff StaffMember, patientID int64) (PatientRecord, error) {
	const op = "replica.PatientRecord"
	if staff.ID == 0 {
		return PatientRecord{}, errSignInFirst()
	}
	rec, err := patientRecord(ctx, r.read, patientID)
	if err != nil {
		return PatientRecord{}, err
	}
	if err := r.recordView(ctx, staff, []int64{patientID}, gpsync.ViewRecord); err != nil {
		return PatientRecord{}, fmt.Errorf("%s: %w", op, err)
	}
	return rec, nil
}

// RefreshRecord reads again a record this member of staff already has
// open, after a sync may have changed it (a registration the server has now
// confirmed). Opening it was audited by PatientRecord; a refresh of the
// same screen is not another view, so it records nothing.
func (r *Replica) RefreshRecord(ctx context.Context, staff StaffMember, patientID int64) (PatientRecord, error) {
	if staff.ID == 0 {
		return PatientRecord{}, errSignInFirst()
	}
	return patientRecord(ctx, r.read, patientID)
}

func patientRecord(ctx context.Context, q queryer, patientID int64) (PatientRecord, error) {
	const op = "replica.PatientRecord"
	var p PatientRecord
	var dob, sex string
	err := q.QueryRowContext(ctx, `SELECT id, nhs_number, given_name, family_name, date_of_birth, coalesce(postcode, ''), coalesce(sex, ''),
		coalesce(address, ''), coalesce(phone, '') FROM patients WHERE id = ? AND family_name IS NOT NULL`, patientID).
		Scan(&p.ID, &p.NHSNumber, &p.GivenName, &p.FamilyName, &dob, &p.Postcode, &sex, &p.Address, &p.Phone)
	if errors.Is(err, sql.ErrNoRows) {
		return PatientRecord{}, errPatientNotFound()
	}
	if err != nil {
		return PatientRecord{}, fmt.Errorf("%s: %w", op, err)
	}
	p.Sex = store.Sex(sex)
	if p.DateOfBirth, err = store.ParseDate(dob); err != nil {
		return PatientRecord{}, fmt.Errorf("%s: stored date of birth: %w", op, err)
	}
	if p.Proxies, err = proxiesOf(ctx, q, patientID); err != nil {
		return PatientRecord{}, fmt.Errorf("%s: %w", op, err)
	}
	if p.Registrations, err = registrationsOf(ctx, q, patientID, p.Proxies); err != nil {
		return PatientRecord{}, fmt.Errorf("%s: %w", op, err)
	}
	switch st, err := settings(ctx, q); {
	case err == nil:
		p.MinAgeYears = st.MinAgeYears
	case !errors.Is(err, ErrNotSynced):
		return PatientRecord{}, fmt.Errorf("%s: %w", op, err)
	}
	return p, nil
}

// proxiesOf merges the server's live proxies with links made here that the
// server's feed has not brought back yet.
func proxiesOf(ctx context.Context, q queryer, patientID int64) ([]Proxy, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT 'p:' || id, proxy_name, proxy_date_of_birth, relationship, legal_basis, service_appointments,
			service_prescriptions, service_record, coalesce(proxy_verification, ''), 0 FROM proxies WHERE patient_id = ? AND ended = 0
		UNION ALL
		SELECT 'op:' || op_id, proxy_name, proxy_date_of_birth, relationship, legal_basis, service_appointments,
			service_prescriptions, service_record, coalesce(proxy_verification, ''), 1 FROM local_proxies
		WHERE patient_id = ? AND (server_id IS NULL OR server_id NOT IN (SELECT id FROM proxies))`, patientID, patientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Proxy
	for rows.Next() {
		var p Proxy
		var dob string
		if err := rows.Scan(&p.Ref, &p.Name, &dob, &p.Relationship, &p.LegalBasis, &p.Appointments, &p.Prescriptions, &p.Record, &p.Verification, &p.Pending); err != nil {
			return nil, err
		}
		p.DateOfBirth, _ = store.ParseDate(dob) // checked on the way in; an old row may have none
		out = append(out, p)
	}
	return out, rows.Err()
}

// registrationsOf merges server and local registrations. Of one person's
// registrations (the patient's own, or one proxy's) only the newest is
// live: issuing a new letter here replaces the old one at once, before the
// server has heard.
func registrationsOf(ctx context.Context, q queryer, patientID int64, proxies []Proxy) ([]Registration, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT r.id, CASE WHEN r.proxy_id = 0 THEN '' ELSE 'p:' || r.proxy_id END, r.account_id, r.verification_method,
			r.service_appointments, r.service_prescriptions, r.record_access, r.kiosk_enabled,
			coalesce(r.letter_issued_at, r.verified_at), coalesce(r.letter_expires_at, 0), r.revoked, 0
		FROM registrations r WHERE r.patient_id = ?
		UNION ALL
		SELECT coalesce(l.server_id, 0), l.proxy_key, l.account_id, l.verification_method, l.service_appointments,
			l.service_prescriptions, l.record_access, l.kiosk_enabled, l.letter_issued_at, l.letter_expires_at, 0, 1
		FROM local_registrations l WHERE l.patient_id = ?
			AND (l.server_id IS NULL OR l.server_id NOT IN (SELECT id FROM registrations))`, patientID, patientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Registration
	for rows.Next() {
		var g Registration
		var issued, expires int64
		if err := rows.Scan(&g.ServerID, &g.proxyKey, &g.AccountID, &g.VerificationMethod, &g.Appointments, &g.Prescriptions,
			&g.RecordAccess, &g.KioskEnabled, &issued, &expires, &g.Revoked, &g.Pending); err != nil {
			return nil, err
		}
		g.IssuedAt = time.Unix(issued, 0).UTC()
		if expires > 0 {
			g.ExpiresAt = time.Unix(expires, 0).UTC()
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, p := range proxies {
		names[p.Ref] = p.Name
	}
	// A proxy linked here and since confirmed is named by both keys.
	localRefs, err := localProxyRefs(ctx, q, patientID)
	if err != nil {
		return nil, err
	}
	for op, server := range localRefs {
		if n, ok := names[server]; ok {
			names[op] = n
		}
		if n, ok := names[op]; ok {
			names[server] = n
		}
	}
	// Newest first; in the same second, one issued here is the newer.
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].IssuedAt.Equal(out[j].IssuedAt) {
			return out[i].IssuedAt.After(out[j].IssuedAt)
		}
		return out[i].Pending && !out[j].Pending
	})
	newest := map[string]bool{}
	for i := range out {
		key := out[i].proxyKey
		if s, ok := localRefs[key]; ok {
			key = s
		}
		out[i].ProxyName = names[out[i].proxyKey]
		if newest[key] {
			out[i].Revoked = true
		}
		newest[key] = true
	}
	return out, nil
}

// localProxyRefs maps "op:<id>" of links made here to "p:<server id>" once
// the server has confirmed them.
func localProxyRefs(ctx context.Context, q queryer, patientID int64) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT op_id, server_id FROM local_proxies WHERE patient_id = ? AND server_id IS NOT NULL", patientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var op string
		var id int64
		if err := rows.Scan(&op, &id); err != nil {
			return nil, err
		}
		out["op:"+op] = fmt.Sprintf("p:%d", id)
	}
	return out, rows.Err()
}

// ProxyInput is what staff record when linking a proxy.
type ProxyInput struct {
	PatientID              int64
	Name                   string
	DateOfBirth            store.Date
	Relationship           string
	LegalBasis             string
	Appointments           bool
	Prescriptions          bool
	Record                 bool
	Verification           string
	SafeguardingConsidered bool
	CoercionConsidered     bool
}

// LinkProxy links a proxy to a patient at once and queues it for the
// server. It returns the proxy's Ref, for issuing the proxy's letter.
func (r *Replica) LinkProxy(ctx context.Context, staff StaffMember, in ProxyInput) (string, error) {
	const op = "replica.LinkProxy"
	if staff.ID == 0 {
		return "", errSignInFirst()
	}
	if !staff.MayRegister() {
		return "", errMayNotRegister()
	}
	var ref string
	err := r.inTx(ctx, op, func(tx *sql.Tx) error {
		p, err := patientRecord(ctx, tx, in.PatientID)
		if err != nil {
			return err
		}
		now := r.clock()
		name := strings.TrimSpace(in.Name)
		if err := store.CheckProxy(store.ProxyRequest{PatientBorn: p.DateOfBirth, Today: store.DateOf(now, r.loc), ProxyName: name,
			ProxyBorn: in.DateOfBirth, Relationship: in.Relationship, LegalBasis: in.LegalBasis, Appointments: in.Appointments,
			Prescriptions: in.Prescriptions, Record: in.Record, ProxyVerification: in.Verification,
			SafeguardingConsidered: in.SafeguardingConsidered, CoercionConsidered: in.CoercionConsidered}); err != nil {
			return err
		}
		id, err := r.enqueueAs(ctx, tx, staff.signer(), gpsync.OpLinkProxy, gpsync.LinkProxyPayload{PatientID: in.PatientID, ProxyName: name,
			ProxyDateOfBirth: in.DateOfBirth.String(), Relationship: in.Relationship, LegalBasis: in.LegalBasis,
			ServiceAppointments: in.Appointments, ServicePrescriptions: in.Prescriptions, ServiceRecord: in.Record,
			ProxyVerification: in.Verification, VerifiedAt: now, SafeguardingConsidered: in.SafeguardingConsidered,
			CoercionConsidered: in.CoercionConsidered}, "")
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO local_proxies (op_id, patient_id, proxy_name, proxy_date_of_birth, relationship,
			legal_basis, service_appointments, service_prescriptions, service_record, proxy_verification, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, in.PatientID, name, in.DateOfBirth.String(), in.Relationship, in.LegalBasis,
			in.Appointments, in.Prescriptions, in.Record, in.Verification, now.Unix()); err != nil {
			return err
		}
		ref = "op:" + id
		return nil
	})
	if err != nil {
		if _, ok := store.AsRuleError(err); ok {
			return "", err
		}
		return "", fmt.Errorf("%s: %w", op, err)
	}
	return ref, nil
}

// RegistrationInput is what staff decided in the registration wizard.
type RegistrationInput struct {
	PatientID          int64
	ProxyRef           string // "" for the patient's own registration
	VerificationMethod string
	CoercionConsidered bool
	Appointments       bool
	Prescriptions      bool
	RecordAccess       string
	KioskEnabled       bool
}

// PreparedRegistration is a registration checked and given its details,
// not yet issued: its letter must be printed or saved first.
type PreparedRegistration struct {
	Input      RegistrationInput
	Details    store.RegistrationDetails
	Practice   PracticeName
	Addressee  string // who the letter is to: the patient, or the proxy
	ActingFor  string // the patient's name on a proxy's letter
	IssuedAt   time.Time
	ExpiresAt  time.Time
	VerifiedAt time.Time
}

// QRPayload is what the letter's QR code carries.
func (p PreparedRegistration) QRPayload() string {
	return gpsync.Letter{ODS: p.Practice.ODSCode, AccountID: p.Details.AccountID, LinkageKey: p.Details.LinkageKey}.String()
}

// PrepareRegistration checks the registration against the practice's rules
// and mints its Account ID and Linkage Key. Nothing is stored: call
// IssueRegistration once the letter has been produced.
func (r *Replica) PrepareRegistration(ctx context.Context, staff StaffMember, in RegistrationInput) (PreparedRegistration, error) {
	const op = "replica.PrepareRegistration"
	if staff.ID == 0 {
		return PreparedRegistration{}, errSignInFirst()
	}
	if !staff.MayRegister() {
		return PreparedRegistration{}, errMayNotRegister()
	}
	st, err := settings(ctx, r.read)
	if err != nil {
		return PreparedRegistration{}, fmt.Errorf("%s: %w", op, err)
	}
	practice, ok, err := r.Practice(ctx)
	if err != nil {
		return PreparedRegistration{}, fmt.Errorf("%s: %w", op, err)
	}
	if !ok || practice.ODSCode == "" {
		return PreparedRegistration{}, fmt.Errorf("%s: %w", op, ErrNotSynced)
	}
	p, err := patientRecord(ctx, r.read, in.PatientID)
	if err != nil {
		return PreparedRegistration{}, err
	}
	if in.ProxyRef != "" {
		// A proxy linked here is named "op:<link op>" until the server
		// numbers it; a sync while the wizard is open can do that, and the
		// record then lists it as "p:<id>". Both name the same link.
		if in.ProxyRef, err = r.currentProxyRef(ctx, in.PatientID, in.ProxyRef); err != nil {
			return PreparedRegistration{}, fmt.Errorf("%s: %w", op, err)
		}
	}
	out := PreparedRegistration{Input: in, Practice: practice, Addressee: p.GivenName + " " + p.FamilyName}
	if in.ProxyRef != "" {
		var proxy *Proxy
		for i := range p.Proxies {
			if p.Proxies[i].Ref == in.ProxyRef {
				proxy = &p.Proxies[i]
			}
		}
		if proxy == nil {
			return PreparedRegistration{}, refuse(store.ReasonNotFound, "That proxy is no longer linked to this patient.")
		}
		// A proxy's letter gives at most what the link allows.
		if (in.Appointments && !proxy.Appointments) || (in.Prescriptions && !proxy.Prescriptions) || (in.RecordAccess != store.RecordAccessNone && !proxy.Record) {
			return PreparedRegistration{}, refuse(store.ReasonInvalidInput, "A proxy's registration can only give the services the proxy was granted.")
		}
		out.Addressee, out.ActingFor = proxy.Name, p.GivenName+" "+p.FamilyName
	}
	now := r.clock()
	if err := store.CheckRegistration(store.RegistrationRequest{PatientBorn: p.DateOfBirth, Today: store.DateOf(now, r.loc),
		MinAgeYears: st.MinAgeYears, ForProxy: in.ProxyRef != "", VerificationMethod: in.VerificationMethod,
		CoercionConsidered: in.CoercionConsidered, Appointments: in.Appointments, Prescriptions: in.Prescriptions,
		RecordAccess: in.RecordAccess}); err != nil {
		return PreparedRegistration{}, err
	}
	if out.Details, err = store.NewRegistrationDetails(); err != nil {
		return PreparedRegistration{}, fmt.Errorf("%s: %w", op, err)
	}
	out.VerifiedAt, out.IssuedAt, out.ExpiresAt = now, now, now.Add(store.LetterValidity)
	return out, nil
}

// currentProxyRef is the name the record lists a proxy under now: "p:<id>"
// once the server has confirmed a link made here as "op:<id>" and its row
// has arrived in the feed; otherwise ref unchanged.
func (r *Replica) currentProxyRef(ctx context.Context, patientID int64, ref string) (string, error) {
	if !strings.HasPrefix(ref, "op:") {
		return ref, nil
	}
	var server int64
	err := r.read.QueryRowContext(ctx, `SELECT l.server_id FROM local_proxies l JOIN proxies p ON p.id = l.server_id
		WHERE l.op_id = ? AND l.patient_id = ?`, strings.TrimPrefix(ref, "op:"), patientID).Scan(&server)
	if errors.Is(err, sql.ErrNoRows) {
		return ref, nil
	}
	if err != nil {
		return "", fmt.Errorf("proxy %s: %w", ref, err)
	}
	return fmt.Sprintf("p:%d", server), nil
}

// IssueRegistration records a prepared registration whose letter has been
// printed or saved, replacing the person's earlier letter, and queues it
// for the server.
func (r *Replica) IssueRegistration(ctx context.Context, staff StaffMember, p PreparedRegistration) error {
	const op = "replica.IssueRegistration"
	if staff.ID == 0 {
		return errSignInFirst()
	}
	if p.Details.AccountID == "" || p.IssuedAt.IsZero() {
		return fmt.Errorf("%s: the registration was not prepared", op)
	}
	in := p.Input
	payload := gpsync.RegisterOnlinePayload{PatientID: in.PatientID, VerificationMethod: in.VerificationMethod, VerifiedAt: p.VerifiedAt,
		CoercionConsidered: in.CoercionConsidered, ServiceAppointments: in.Appointments, ServicePrescriptions: in.Prescriptions,
		RecordAccess: in.RecordAccess, KioskEnabled: in.KioskEnabled, AccountID: p.Details.AccountID,
		LinkageKeyHash: store.HashLinkageKey(p.Details.LinkageKey), LetterIssuedAt: p.IssuedAt, LetterExpiresAt: p.ExpiresAt}
	switch {
	case strings.HasPrefix(in.ProxyRef, "op:"):
		payload.ProxyRef = strings.TrimPrefix(in.ProxyRef, "op:")
	case strings.HasPrefix(in.ProxyRef, "p:"):
		if _, err := fmt.Sscanf(in.ProxyRef, "p:%d", &payload.ProxyID); err != nil {
			return fmt.Errorf("%s: proxy reference %q: %w", op, in.ProxyRef, err)
		}
	case in.ProxyRef != "":
		return fmt.Errorf("%s: proxy reference %q is not one of ours", op, in.ProxyRef)
	}
	return r.inTx(ctx, op, func(tx *sql.Tx) error {
		// An op whose link the server already confirmed names it by ID.
		if payload.ProxyRef != "" {
			// The letter is already printed, so a link whose local row is
			// gone (the replica was reset) is still sent by its op ID,
			// which the server knows it by.
			var server sql.NullInt64
			err := tx.QueryRowContext(ctx, "SELECT server_id FROM local_proxies WHERE op_id = ?", payload.ProxyRef).Scan(&server)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("%s: proxy: %w", op, err)
			}
			if server.Valid {
				payload.ProxyRef, payload.ProxyID = "", server.Int64
			}
		}
		id, err := r.enqueueAs(ctx, tx, staff.signer(), gpsync.OpRegisterOnline, payload, "")
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO local_registrations (op_id, patient_id, proxy_key, account_id, verification_method,
			verified_at, service_appointments, service_prescriptions, record_access, kiosk_enabled, letter_issued_at, letter_expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, in.PatientID, in.ProxyRef, p.Details.AccountID, in.VerificationMethod,
			p.VerifiedAt.Unix(), in.Appointments, in.Prescriptions, in.RecordAccess, in.KioskEnabled, p.IssuedAt.Unix(), p.ExpiresAt.Unix()); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		return nil
	})
}
