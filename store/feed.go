package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	gpsync "gpkiosk/sync"
)

// ErrCursorAhead means a device asked for changes after a sequence the
// server has never reached: the server was restored from a backup and the
// device must pull its replica again from the start.
var ErrCursorAhead = errors.New("the device's sync position is ahead of the server")

// ChangesPage is one page of the change feed for a device, in wire form
// (store produces the shared gpsync types so the scoping rules, which are
// data rules, live here and not in the HTTP layer).
func (s *Store) ChangesPage(ctx context.Context, dev Device, after int64, limit int) (gpsync.ChangesResponse, error) {
	if after < 0 || limit < 1 {
		return gpsync.ChangesResponse{}, refuse(ReasonInvalidInput, "The sync position and page size must be positive.")
	}
	limit = min(limit, gpsync.MaxPageSize)
	if dev.Role == DeviceKiosk {
		if err := s.maintainLeases(ctx, dev); err != nil {
			return gpsync.ChangesResponse{}, err
		}
	}
	// One read transaction: the rows read below are the state as of the
	// last change in the page or later, never earlier.
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return gpsync.ChangesResponse{}, fmt.Errorf("store.ChangesPage: %w", err)
	}
	defer tx.Rollback()
	var head int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM changes").Scan(&head); err != nil {
		return gpsync.ChangesResponse{}, fmt.Errorf("store.ChangesPage: %w", err)
	}
	if after > head {
		return gpsync.ChangesResponse{}, fmt.Errorf("store.ChangesPage: cursor %d, newest change %d: %w", after, head, ErrCursorAhead)
	}
	rows, err := tx.QueryContext(ctx, "SELECT seq, entity, entity_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", after, limit+1)
	if err != nil {
		return gpsync.ChangesResponse{}, fmt.Errorf("store.ChangesPage: %w", err)
	}
	type ref struct {
		entity string
		id     int64
	}
	var order []ref
	seqOf := map[ref]int64{}
	page := gpsync.ChangesResponse{Cursor: after, Changes: []gpsync.Change{}}
	n := 0
	for rows.Next() {
		var seq int64
		var r ref
		if err := rows.Scan(&seq, &r.entity, &r.id); err != nil {
			rows.Close()
			return gpsync.ChangesResponse{}, fmt.Errorf("store.ChangesPage: %w", err)
		}
		if n++; n > limit {
			page.More = true
			break
		}
		page.Cursor = seq
		if dev.Role == DeviceKiosk && deskOnlyEntity(r.entity) {
			continue // not even a deletion: a kiosk never learns these exist
		}
		// A row changed twice in a page is sent once, at its first place
		// (so parents still come before children), with its newest state.
		if _, seen := seqOf[r]; !seen {
			order = append(order, r)
			seqOf[r] = seq
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return gpsync.ChangesResponse{}, fmt.Errorf("store.ChangesPage: %w", err)
	}
	v := feedView{tx: tx, dev: dev, now: s.Now(), kioskPatients: map[int64]bool{}}
	for _, r := range order {
		data, err := v.state(ctx, r.entity, r.id)
		if err != nil {
			return gpsync.ChangesResponse{}, fmt.Errorf("store.ChangesPage: %s %d: %w", r.entity, r.id, err)
		}
		c := gpsync.Change{Seq: seqOf[r], Entity: r.entity, ID: r.id}
		if data == nil {
			c.Deleted = true
		} else if c.Data, err = json.Marshal(data); err != nil {
			return gpsync.ChangesResponse{}, fmt.Errorf("store.ChangesPage: %w", err)
		}
		page.Changes = append(page.Changes, c)
	}
	return page, nil
}

// feedView reads the current state of rows as one device may see them.
type feedView struct {
	tx            *sql.Tx
	dev           Device
	now           time.Time
	kioskPatients map[int64]bool // memo: may a kiosk hold this patient?
}

func (v *feedView) kiosk() bool { return v.dev.Role == DeviceKiosk }

// state returns the row's data for this device, or nil if the row is gone
// or outside the device's view.
func (v *feedView) state(ctx context.Context, entity string, id int64) (any, error) {
	var (
		data any
		err  error
	)
	switch entity {
	case gpsync.EntitySettings:
		data, err = v.settings(ctx, id)
	case gpsync.EntityClinician:
		var c gpsync.ClinicianData
		err = v.tx.QueryRowContext(ctx, "SELECT display_name, role, online_bookable FROM clinicians WHERE id = ?", id).
			Scan(&c.DisplayName, &c.Role, &c.OnlineBookable)
		data = c
	case gpsync.EntitySlotType:
		var t gpsync.SlotTypeData
		err = v.tx.QueryRowContext(ctx, `SELECT name, minutes, clinician_role, online_bookable, urgent, for_sex, min_age_years, max_age_years
			FROM slot_types WHERE id = ?`, id).
			Scan(&t.Name, &t.Minutes, &t.ClinicianRole, &t.OnlineBookable, &t.Urgent, &t.ForSex, &t.MinAgeYears, &t.MaxAgeYears)
		data = t
	case gpsync.EntitySlot:
		data, err = v.slot(ctx, id)
	case gpsync.EntityPatient:
		data, err = v.patient(ctx, id)
	case gpsync.EntityAppointment:
		data, err = v.appointment(ctx, id)
	case gpsync.EntityRepeatItem:
		data, err = v.repeatItem(ctx, id)
	case gpsync.EntityRepeatRequest:
		data, err = v.repeatRequest(ctx, id)
	case gpsync.EntityStaff, gpsync.EntityRegistration, gpsync.EntityProxy, gpsync.EntityHelpRequest, gpsync.EntityProblemReport:
		if v.kiosk() {
			return nil, nil // ChangesPage skips them; this is a second lock
		}
		data, err = v.deskOnly(ctx, entity, id)
	default:
		return nil, fmt.Errorf("unknown entity %q in the change log", entity)
	}
	if errors.Is(err, sql.ErrNoRows) || errors.Is(err, errOutOfView) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return data, nil
}

var errOutOfView = errors.New("outside this device's view")

// deskOnlyEntity: entities a kiosk is never sent, not even as deletions.
func deskOnlyEntity(entity string) bool {
	switch entity {
	case gpsync.EntityStaff, gpsync.EntityRegistration, gpsync.EntityProxy, gpsync.EntityHelpRequest, gpsync.EntityProblemReport:
		return true
	}
	return false
}

// deskOnly reads the entities only a desktop receives: staff (with their
// verifier, to sign in offline), registrations (never the linkage key's
// hash) and proxies.
func (v *feedView) deskOnly(ctx context.Context, entity string, id int64) (any, error) {
	switch entity {
	case gpsync.EntityStaff:
		var d gpsync.StaffData
		err := v.tx.QueryRowContext(ctx, "SELECT username, display_name, role, coalesce(password_hash, ''), active FROM staff WHERE id = ?", id).
			Scan(&d.Username, &d.DisplayName, &d.Role, &d.PasswordHash, &d.Active)
		return d, err
	case gpsync.EntityRegistration:
		var d gpsync.RegistrationData
		var verified int64
		var issued, expires sql.NullInt64
		err := v.tx.QueryRowContext(ctx, `SELECT patient_id, coalesce(proxy_relationship_id, 0), account_id, verification_method,
			coalesce(verified_by_staff_id, 0), verified_at, service_appointments, service_prescriptions, record_access, kiosk_enabled,
			letter_issued_at, letter_expires_at, revoked_at IS NOT NULL FROM online_registrations WHERE id = ?`, id).
			Scan(&d.PatientID, &d.ProxyID, &d.AccountID, &d.VerificationMethod, &d.VerifiedByStaffID, &verified, &d.ServiceAppointments,
				&d.ServicePrescriptions, &d.RecordAccess, &d.KioskEnabled, &issued, &expires, &d.Revoked)
		d.VerifiedAt = time.Unix(verified, 0).UTC()
		d.LetterIssuedAt, d.LetterExpiresAt = instantOrNil(issued), instantOrNil(expires)
		return d, err
	case gpsync.EntityProxy:
		var d gpsync.ProxyData
		var created int64
		err := v.tx.QueryRowContext(ctx, `SELECT patient_id, coalesce(proxy_patient_id, 0), proxy_name, proxy_date_of_birth, relationship,
			legal_basis, service_appointments, service_prescriptions, service_record, proxy_verification, coalesce(verified_by_staff_id, 0),
			created_at, ended_at IS NOT NULL FROM proxy_relationships WHERE id = ?`, id).
			Scan(&d.PatientID, &d.ProxyPatientID, &d.ProxyName, &d.ProxyDateOfBirth, &d.Relationship, &d.LegalBasis, &d.ServiceAppointments,
				&d.ServicePrescriptions, &d.ServiceRecord, &d.ProxyVerification, &d.VerifiedByStaffID, &created, &d.Ended)
		d.CreatedAt = time.Unix(created, 0).UTC()
		return d, err
	case gpsync.EntityHelpRequest:
		return v.alert(ctx, `SELECT h.device_id, coalesce(dv.name, h.device_id), '', '', h.note, h.requested_at, h.status,
			h.acknowledged_by_staff_id, h.acknowledged_at, h.resolved_by_staff_id, h.resolved_at
			FROM help_requests h LEFT JOIN devices dv ON dv.id = h.device_id WHERE h.id = ?`, id)
	case gpsync.EntityProblemReport:
		return v.alert(ctx, `SELECT p.device_id, coalesce(dv.name, p.device_id), p.reporter, p.category, p.description, p.reported_at, p.status,
			p.acknowledged_by_staff_id, p.acknowledged_at, p.resolved_by_staff_id, p.resolved_at
			FROM problem_reports p LEFT JOIN devices dv ON dv.id = p.device_id WHERE p.id = ?`, id)
	}
	return nil, fmt.Errorf("unknown entity %q", entity)
}

// alert reads a help request or problem report (query names the columns
// in AlertData's order). Status comes from who did what: resolved (or
// closed before 0006 recorded who), acknowledged, or open.
func (v *feedView) alert(ctx context.Context, query string, id int64) (any, error) {
	var d gpsync.AlertData
	var raised int64
	var status string
	var ackBy, ackAt, resBy, resAt sql.NullInt64
	if err := v.tx.QueryRowContext(ctx, query, id).Scan(&d.DeviceID, &d.DeviceName, &d.Reporter, &d.Category, &d.Text, &raised, &status,
		&ackBy, &ackAt, &resBy, &resAt); err != nil {
		return nil, err
	}
	d.RaisedAt = time.Unix(raised, 0).UTC()
	switch {
	case resAt.Valid || status == "closed":
		d.Status, d.HandledBy, d.HandledAt = gpsync.AlertResolved, resBy.Int64, instantOrNil(resAt)
	case ackAt.Valid:
		d.Status, d.HandledBy, d.HandledAt = gpsync.AlertAcknowledged, ackBy.Int64, instantOrNil(ackAt)
	default:
		d.Status = gpsync.AlertOpen
	}
	return d, nil
}

func instantOrNil(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := time.Unix(n.Int64, 0).UTC()
	return &t
}

func (v *feedView) settings(ctx context.Context, id int64) (any, error) {
	st, err := loadSettings(ctx, v.tx)
	if err != nil {
		return nil, err
	}
	d := gpsync.SettingsData{BookingWindowDays: st.BookingWindowDays, MinNoticeMinutes: st.MinNoticeMinutes,
		MaxHeldAppointments: st.MaxHeldAppointments, MaxHeldUnverified: st.MaxHeldUnverified, MinAgeYears: st.MinAgeYears,
		CancelCutoffMinutes: st.CancelCutoffMinutes, DNASuspendCount: st.DNASuspendCount, DNALookbackDays: st.DNALookbackDays,
		CheckInBeforeMinutes: st.CheckInBeforeMinutes, CheckInAfterMinutes: st.CheckInAfterMinutes,
		RepeatProcessingDays: st.RepeatProcessingDays, RepeatNoteMaxChars: st.RepeatNoteMaxChars,
		CliniciansHandleAlerts: st.CliniciansHandleAlerts}
	err = v.tx.QueryRowContext(ctx, "SELECT kiosk_exit_pin FROM online_settings WHERE id = ?", id).Scan(&d.KioskExitPIN)
	return d, err
}

func (v *feedView) slot(ctx context.Context, id int64) (any, error) {
	var d gpsync.SlotData
	var starts, ends int64
	var release, leaseEnds sql.NullInt64
	var channel string
	var holder sql.NullString
	err := v.tx.QueryRowContext(ctx, `SELECT se.clinician_id, sl.slot_type_id, sl.starts_at, sl.ends_at, sl.online_bookable, sl.channel, sl.release_at,
		EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = sl.id AND a.status <> 'cancelled'),
		l.device_id, l.ends_at
		FROM slots sl JOIN sessions se ON se.id = sl.session_id LEFT JOIN slot_leases l ON l.slot_id = sl.id
		WHERE sl.id = ?`, id).Scan(&d.ClinicianID, &d.SlotTypeID, &starts, &ends, &d.OnlineBookable, &channel, &release, &d.Taken, &holder, &leaseEnds)
	if err != nil {
		return nil, err
	}
	if v.kiosk() && starts <= v.now.Unix() {
		return nil, errOutOfView // a kiosk has no use for past slots
	}
	d.StartsAt, d.EndsAt = time.Unix(starts, 0).UTC(), time.Unix(ends, 0).UTC()
	d.ReceptionOnly = channel == "reception"
	if release.Valid {
		t := time.Unix(release.Int64, 0).UTC()
		d.ReleaseAt = &t
	}
	if holder.Valid && (!v.kiosk() || holder.String == v.dev.ID) {
		t := time.Unix(leaseEnds.Int64, 0).UTC()
		d.LeasedTo, d.LeaseEndsAt = holder.String, &t
	}
	return d, nil
}

// kioskMayHold reports whether a kiosk may hold the patient
// (kioskRegisteredSQL).
func (v *feedView) kioskMayHold(ctx context.Context, patientID int64) (bool, error) {
	if ok, seen := v.kioskPatients[patientID]; seen {
		return ok, nil
	}
	var ok bool
	err := v.tx.QueryRowContext(ctx, kioskRegisteredSQL, patientID).Scan(&ok)
	if err != nil {
		return false, err
	}
	v.kioskPatients[patientID] = ok
	return ok, nil
}

func (v *feedView) inView(ctx context.Context, patientID int64) error {
	if !v.kiosk() {
		return nil
	}
	ok, err := v.kioskMayHold(ctx, patientID)
	if err != nil {
		return err
	}
	if !ok {
		return errOutOfView
	}
	return nil
}

// KioskVerifier is the digest a kiosk compares to sign a patient in with
// the account ID from their letter and the date of birth they type. The
// account ID is hashed in its NormaliseAccountID form, so it matches
// however it was typed or scanned.
func KioskVerifier(accountID string, dob Date) string {
	sum := sha256.Sum256([]byte(gpsync.KioskVerifierPrefix + NormaliseAccountID(accountID) + "\x1f" + dob.String()))
	return hex.EncodeToString(sum[:])
}

func (v *feedView) patient(ctx context.Context, id int64) (any, error) {
	if err := v.inView(ctx, id); err != nil {
		return nil, err
	}
	var d gpsync.PatientData
	var dob string
	err := v.tx.QueryRowContext(ctx, `SELECT nhs_number, given_name, family_name, sex, date_of_birth, address, postcode, phone,
		online_ordering_unsuitable, online_booking_suspended,
		EXISTS (SELECT 1 FROM online_registrations r WHERE r.patient_id = p.id AND r.revoked_at IS NULL
		        AND r.proxy_relationship_id IS NULL AND r.verification_method <> 'vouching')
		FROM patients p WHERE id = ?`, id).Scan(&d.NHSNumber, &d.GivenName, &d.FamilyName, &d.Sex, &dob, &d.Address, &d.Postcode, &d.Phone,
		&d.OnlineOrderingUnsuitable, &d.OnlineBookingSuspended, &d.IdentityVerified)
	if err != nil {
		return nil, err
	}
	if !v.kiosk() {
		d.DateOfBirth = dob
		return d, nil
	}
	born, err := ParseDate(dob)
	if err != nil {
		return nil, fmt.Errorf("stored date of birth: %w", err)
	}
	kiosk := gpsync.PatientData{GivenName: d.GivenName, IdentityVerified: d.IdentityVerified,
		OnlineOrderingUnsuitable: d.OnlineOrderingUnsuitable, OnlineBookingSuspended: d.OnlineBookingSuspended}
	if kiosk.KioskLetters, err = v.kioskLetters(ctx, id, born); err != nil {
		return nil, err
	}
	kiosk.NotEligibleSlotTypes, err = v.notEligibleBySex(ctx, Sex(d.Sex))
	return kiosk, err
}

// kioskLetters are the patient's letters a kiosk may see used. Letters
// replaced (or whose proxy's access ended) in the last 90 days are kept so
// the kiosk can say "this letter has been replaced" to someone holding an
// old one. A proxy's letter is checked against the proxy's own date of
// birth, since they are the one at the kiosk. A letter signs in at a kiosk
// until it is replaced or revoked: letter_expires_at is the Linkage Key's
// expiry (for the NHS App), not the letter's, so it is not sent.
func (v *feedView) kioskLetters(ctx context.Context, patientID int64, born Date) ([]gpsync.KioskLetter, error) {
	since := v.now.Add(-replacedLetterMemory).Unix()
	rows, err := v.tx.QueryContext(ctx, `SELECT r.account_id, r.revoked_at IS NOT NULL,
		r.service_appointments, r.service_prescriptions, r.proxy_relationship_id IS NOT NULL,
		coalesce(pr.proxy_date_of_birth, ''), pr.ended_at IS NOT NULL, coalesce(pr.service_appointments, 1), coalesce(pr.service_prescriptions, 1)
		FROM online_registrations r LEFT JOIN proxy_relationships pr ON pr.id = r.proxy_relationship_id
		WHERE r.patient_id = ? AND r.kiosk_enabled = 1 AND (r.revoked_at IS NULL OR r.revoked_at > ?)
		AND (pr.ended_at IS NULL OR pr.ended_at > ?) ORDER BY r.id`, patientID, since, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gpsync.KioskLetter
	for rows.Next() {
		var account, proxyDOB string
		var appts, scripts, proxyEnded, proxyAppts, proxyScripts bool
		var letter gpsync.KioskLetter
		if err := rows.Scan(&account, &letter.Revoked, &appts, &scripts, &letter.ActingFor, &proxyDOB, &proxyEnded,
			&proxyAppts, &proxyScripts); err != nil {
			return nil, err
		}
		dob := born
		if letter.ActingFor {
			if dob, err = ParseDate(proxyDOB); err != nil {
				continue // a proxy linked before their date of birth was kept cannot sign in at a kiosk
			}
			letter.Revoked = letter.Revoked || proxyEnded
			appts, scripts = appts && proxyAppts, scripts && proxyScripts
		}
		letter.Verifier = KioskVerifier(account, dob)
		letter.NoAppointments, letter.NoPrescriptions = !appts, !scripts
		out = append(out, letter)
	}
	return out, rows.Err()
}

// replacedLetterMemory is how long a kiosk remembers a replaced letter.
const replacedLetterMemory = 90 * 24 * time.Hour

// notEligibleBySex lists the slot types a patient of this recorded sex may
// not book for themselves, by the same rule the store applies.
func (v *feedView) notEligibleBySex(ctx context.Context, sex Sex) ([]int64, error) {
	rows, err := v.tx.QueryContext(ctx, "SELECT id, for_sex FROM slot_types WHERE for_sex <> '' ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		var e SlotEligibility
		if err := rows.Scan(&id, &e.Sex); err != nil {
			return nil, err
		}
		if !e.AllowsSex(sex) {
			out = append(out, id)
		}
	}
	return out, rows.Err()
}

func (v *feedView) appointment(ctx context.Context, id int64) (any, error) {
	var d gpsync.AppointmentData
	var booked, starts, changed int64
	err := v.tx.QueryRowContext(ctx, `SELECT a.slot_id, a.patient_id, a.channel, a.status, a.booked_at, sl.starts_at, a.status_changed_at
		FROM appointments a JOIN slots sl ON sl.id = a.slot_id WHERE a.id = ?`, id).
		Scan(&d.SlotID, &d.PatientID, &d.Channel, &d.Status, &booked, &starts, &changed)
	if err != nil {
		return nil, err
	}
	if err := v.inView(ctx, d.PatientID); err != nil {
		return nil, err
	}
	if v.kiosk() && (d.Status != StatusBooked || starts <= v.now.Unix()) {
		return nil, errOutOfView
	}
	d.BookedAt = time.Unix(booked, 0).UTC()
	if !v.kiosk() {
		t := time.Unix(changed, 0).UTC()
		d.StatusChangedAt = &t
	}
	return d, nil
}

func (v *feedView) repeatItem(ctx context.Context, id int64) (any, error) {
	var patientID int64
	if err := v.tx.QueryRowContext(ctx, "SELECT patient_id FROM repeat_medications WHERE id = ?", id).Scan(&patientID); err != nil {
		return nil, err
	}
	if err := v.inView(ctx, patientID); err != nil {
		return nil, err
	}
	it, err := scanRepeat(v.tx.QueryRowContext(ctx, repeatSelect+" WHERE rm.id = ?", id))
	if err != nil {
		return nil, err
	}
	d := gpsync.RepeatItemData{PatientID: patientID, Name: it.Name, Strength: it.Strength, Form: it.Form, Dosage: it.Dosage,
		Active: it.Active, Outstanding: it.Outstanding}
	if !it.ReviewDue.IsZero() {
		d.ReviewDue = it.ReviewDue.String()
	}
	if !v.kiosk() && !it.LastIssuedAt.IsZero() {
		t := it.LastIssuedAt
		d.LastIssuedAt = &t
	}
	return d, nil
}

// repeatRequest sends a kiosk what it needs to show the patient the
// outcome; a desktop also gets when and how it was asked, the note, and
// who decided each item when.
func (v *feedView) repeatRequest(ctx context.Context, id int64) (any, error) {
	var d gpsync.RepeatRequestData
	var requested int64
	var channel, note string
	var handedOutAt, seenAt sql.NullInt64
	if err := v.tx.QueryRowContext(ctx, `SELECT patient_id, status, ready_by, handed_out, outcome_seen_at, requested_at, channel, note, handed_out_at
		FROM prescription_requests WHERE id = ?`, id).
		Scan(&d.PatientID, &d.Status, &d.ReadyBy, &d.HandedOut, &seenAt, &requested, &channel, &note, &handedOutAt); err != nil {
		return nil, err
	}
	if err := v.inView(ctx, d.PatientID); err != nil {
		return nil, err
	}
	d.OutcomeSeen = seenAt.Valid
	if !v.kiosk() {
		t := time.Unix(requested, 0).UTC()
		d.RequestedAt, d.Channel, d.Note, d.HandedOutAt = &t, channel, note, instantOrNil(handedOutAt)
	}
	rows, err := v.tx.QueryContext(ctx, `SELECT repeat_medication_id, decision, reason_code, reason, coalesce(decided_by_staff_id, 0), decided_at
		FROM prescription_request_items WHERE request_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	d.Items = []gpsync.RepeatRequestItemData{}
	for rows.Next() {
		var it gpsync.RepeatRequestItemData
		var by int64
		var at sql.NullInt64
		if err := rows.Scan(&it.RepeatItemID, &it.Decision, &it.ReasonCode, &it.Reason, &by, &at); err != nil {
			return nil, err
		}
		if !v.kiosk() {
			it.DecidedBy, it.DecidedAt = by, instantOrNil(at)
		}
		d.Items = append(d.Items, it)
	}
	return d, rows.Err()
}
