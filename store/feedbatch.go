package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The busy entities of the feed, read for a whole page at once: a page of
// 1000 rows is a query or two per entity type, not one or more per row.
// Each takes the row IDs as a JSON array (idList) bound to one parameter,
// so the statement's text is constant and its plan is cached.

// idList is ids as a JSON array, for json_each.
func idList(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// kioskRegisteredFor is kioskRegisteredSQL, the one rule for whether a
// kiosk may hold a patient, with the patient's ID taken from column
// instead of a parameter.
func kioskRegisteredFor(column string) (string, error) {
	const param = "r.patient_id = ?"
	if strings.Count(kioskRegisteredSQL, param) != 1 {
		return "", fmt.Errorf("kioskRegisteredSQL no longer has one %q", param)
	}
	return strings.Replace(kioskRegisteredSQL, param, "r.patient_id = "+column, 1), nil
}

// holdable fills the kiosk memo for patientIDs with one query.
func (v *feedView) holdable(ctx context.Context, patientIDs []int64) error {
	var unknown []int64
	for _, id := range patientIDs {
		if _, seen := v.kioskPatients[id]; !seen {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	rule, err := kioskRegisteredFor("j.value")
	if err != nil {
		return err
	}
	rows, err := v.tx.QueryContext(ctx, "SELECT j.value, ("+rule+") FROM json_each(?) j", idList(unknown))
	if err != nil {
		return fmt.Errorf("kiosk registrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var ok bool
		if err := rows.Scan(&id, &ok); err != nil {
			return fmt.Errorf("kiosk registrations: %w", err)
		}
		v.kioskPatients[id] = ok
	}
	return rows.Err()
}

// mayHold says whether this device may hold the patient's rows: a
// desktop holds everyone; a kiosk only patients holdable has marked.
func (v *feedView) mayHold(patientID int64) bool {
	return !v.kiosk() || v.kioskPatients[patientID]
}

func (v *feedView) slots(ctx context.Context, ids []int64) (map[int64]any, error) {
	rows, err := v.tx.QueryContext(ctx, `SELECT sl.id, se.clinician_id, sl.slot_type_id, sl.starts_at, sl.ends_at, sl.online_bookable, sl.channel, sl.release_at,
		EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = sl.id AND a.status <> 'cancelled'),
		l.device_id, l.ends_at
		FROM slots sl JOIN sessions se ON se.id = sl.session_id LEFT JOIN slot_leases l ON l.slot_id = sl.id
		WHERE sl.id IN (SELECT value FROM json_each(?))`, idList(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]any, len(ids))
	for rows.Next() {
		var id, starts, ends int64
		var d FeedSlot
		var release, leaseEnds sql.NullInt64
		var channel string
		var holder sql.NullString
		if err := rows.Scan(&id, &d.ClinicianID, &d.SlotTypeID, &starts, &ends, &d.OnlineBookable, &channel, &release, &d.Taken,
			&holder, &leaseEnds); err != nil {
			return nil, err
		}
		if v.kiosk() && starts <= v.now.Unix() {
			continue // a kiosk has no use for past slots
		}
		d.StartsAt, d.EndsAt = time.Unix(starts, 0).UTC(), time.Unix(ends, 0).UTC()
		d.ReceptionOnly = channel == "reception"
		d.ReleaseAt = instantOrZero(release)
		if holder.Valid && (!v.kiosk() || holder.String == v.dev.ID) {
			d.LeasedTo, d.LeaseEndsAt = holder.String, time.Unix(leaseEnds.Int64, 0).UTC()
		}
		out[id] = d
	}
	return out, rows.Err()
}

func (v *feedView) patients(ctx context.Context, ids []int64) (map[int64]any, error) {
	if v.kiosk() {
		if err := v.holdable(ctx, ids); err != nil {
			return nil, err
		}
		var held []int64
		for _, id := range ids {
			if v.kioskPatients[id] {
				held = append(held, id)
			}
		}
		if ids = held; len(ids) == 0 {
			return map[int64]any{}, nil
		}
	}
	rows, err := v.tx.QueryContext(ctx, `SELECT p.id, nhs_number, given_name, family_name, sex, date_of_birth, address, postcode, phone,
		online_ordering_unsuitable, online_booking_suspended,
		EXISTS (SELECT 1 FROM online_registrations r WHERE r.patient_id = p.id AND r.revoked_at IS NULL
		        AND r.proxy_relationship_id IS NULL AND r.verification_method <> 'vouching')
		FROM patients p WHERE p.id IN (SELECT value FROM json_each(?))`, idList(ids))
	if err != nil {
		return nil, err
	}
	out := make(map[int64]any, len(ids))
	born := map[int64]Date{}
	for rows.Next() {
		var id int64
		var d FeedPatient
		var dob string
		if err := rows.Scan(&id, &d.NHSNumber, &d.GivenName, &d.FamilyName, &d.Sex, &dob, &d.Address, &d.Postcode, &d.Phone,
			&d.OnlineOrderingUnsuitable, &d.OnlineBookingSuspended, &d.IdentityVerified); err != nil {
			rows.Close()
			return nil, err
		}
		if !v.kiosk() {
			d.DateOfBirth = dob
			out[id] = d
			continue
		}
		b, err := ParseDate(dob)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("patient %d: stored date of birth: %w", id, err)
		}
		born[id] = b
		k := FeedPatient{GivenName: d.GivenName, IdentityVerified: d.IdentityVerified,
			OnlineOrderingUnsuitable: d.OnlineOrderingUnsuitable, OnlineBookingSuspended: d.OnlineBookingSuspended}
		if k.NotEligibleSlotTypes, err = v.notEligibleBySex(ctx, d.Sex); err != nil {
			rows.Close()
			return nil, err
		}
		out[id] = k
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !v.kiosk() || len(out) == 0 {
		return out, nil
	}
	letters, err := v.kioskLetters(ctx, ids, born)
	if err != nil {
		return nil, err
	}
	for id, ls := range letters {
		if p, ok := out[id].(FeedPatient); ok {
			p.KioskLetters = ls
			out[id] = p
		}
	}
	return out, nil
}

// kioskLetters are the patients' letters a kiosk may see used. Letters
// replaced (or whose proxy's access ended) in the last 90 days are kept so
// the kiosk can say "this letter has been replaced" to someone holding an
// old one. A proxy's letter is checked against the proxy's own date of
// birth, since they are the one at the kiosk. A letter signs in at a kiosk
// until it is replaced or revoked: letter_expires_at is the Linkage Key's
// expiry (for the NHS App), not the letter's, so it is not sent.
func (v *feedView) kioskLetters(ctx context.Context, patientIDs []int64, born map[int64]Date) (map[int64][]KioskLetter, error) {
	since := v.now.Add(-replacedLetterMemory).Unix()
	rows, err := v.tx.QueryContext(ctx, `SELECT r.patient_id, r.account_id, r.revoked_at IS NOT NULL,
		r.service_appointments, r.service_prescriptions, r.proxy_relationship_id IS NOT NULL,
		coalesce(pr.proxy_date_of_birth, ''), pr.ended_at IS NOT NULL, coalesce(pr.service_appointments, 1), coalesce(pr.service_prescriptions, 1)
		FROM online_registrations r LEFT JOIN proxy_relationships pr ON pr.id = r.proxy_relationship_id
		WHERE r.patient_id IN (SELECT value FROM json_each(?)) AND r.kiosk_enabled = 1 AND (r.revoked_at IS NULL OR r.revoked_at > ?)
		AND (pr.ended_at IS NULL OR pr.ended_at > ?) ORDER BY r.patient_id, r.id`, idList(patientIDs), since, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]KioskLetter{}
	for rows.Next() {
		var patientID int64
		var account, proxyDOB string
		var appts, scripts, proxyEnded, proxyAppts, proxyScripts bool
		var letter KioskLetter
		if err := rows.Scan(&patientID, &account, &letter.Revoked, &appts, &scripts, &letter.ActingFor, &proxyDOB, &proxyEnded,
			&proxyAppts, &proxyScripts); err != nil {
			return nil, err
		}
		dob, ok := born[patientID]
		if !ok {
			continue
		}
		if letter.ActingFor {
			if dob, err = ParseDate(proxyDOB); err != nil {
				continue // a proxy linked before their date of birth was kept cannot sign in at a kiosk
			}
			letter.Revoked = letter.Revoked || proxyEnded
			appts, scripts = appts && proxyAppts, scripts && proxyScripts
		}
		letter.Verifier = KioskVerifier(account, dob)
		letter.NoAppointments, letter.NoPrescriptions = !appts, !scripts
		out[patientID] = append(out[patientID], letter)
	}
	return out, rows.Err()
}

// notEligibleBySex lists the slot types a patient of this recorded sex may
// not book for themselves, by the same rule the store applies.
func (v *feedView) notEligibleBySex(ctx context.Context, sex Sex) ([]int64, error) {
	if out, ok := v.notEligible[sex]; ok {
		return out, nil
	}
	if !v.sexRulesRead {
		rows, err := v.tx.QueryContext(ctx, "SELECT id, for_sex FROM slot_types WHERE for_sex <> '' ORDER BY id")
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var r slotTypeSexRule
			if err := rows.Scan(&r.id, &r.e.Sex); err != nil {
				rows.Close()
				return nil, err
			}
			v.sexRules = append(v.sexRules, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		v.sexRulesRead = true
	}
	var out []int64
	for _, r := range v.sexRules {
		if !r.e.AllowsSex(sex) {
			out = append(out, r.id)
		}
	}
	v.notEligible[sex] = out
	return out, nil
}

func (v *feedView) appointments(ctx context.Context, ids []int64) (map[int64]any, error) {
	rows, err := v.tx.QueryContext(ctx, `SELECT a.id, a.slot_id, a.patient_id, a.channel, a.status, a.booked_at, sl.starts_at, a.status_changed_at
		FROM appointments a JOIN slots sl ON sl.id = a.slot_id WHERE a.id IN (SELECT value FROM json_each(?))`, idList(ids))
	if err != nil {
		return nil, err
	}
	type row struct {
		id     int64
		d      FeedAppointment
		starts int64
	}
	var got []row
	var patients []int64
	for rows.Next() {
		var r row
		var booked, changed int64
		if err := rows.Scan(&r.id, &r.d.SlotID, &r.d.PatientID, &r.d.Channel, &r.d.Status, &booked, &r.starts, &changed); err != nil {
			rows.Close()
			return nil, err
		}
		r.d.BookedAt = time.Unix(booked, 0).UTC()
		if !v.kiosk() {
			r.d.StatusChangedAt = time.Unix(changed, 0).UTC()
		}
		got = append(got, r)
		patients = append(patients, r.d.PatientID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if v.kiosk() {
		if err := v.holdable(ctx, patients); err != nil {
			return nil, err
		}
	}
	out := make(map[int64]any, len(got))
	for _, r := range got {
		if !v.mayHold(r.d.PatientID) || (v.kiosk() && (r.d.Status != StatusBooked || r.starts <= v.now.Unix())) {
			continue
		}
		out[r.id] = r.d
	}
	return out, nil
}

func (v *feedView) repeatItems(ctx context.Context, ids []int64) (map[int64]any, error) {
	list := idList(ids)
	owner := make(map[int64]int64, len(ids))
	rows, err := v.tx.QueryContext(ctx, "SELECT id, patient_id FROM repeat_medications WHERE id IN (SELECT value FROM json_each(?))", list)
	if err != nil {
		return nil, err
	}
	var patients []int64
	for rows.Next() {
		var id, patientID int64
		if err := rows.Scan(&id, &patientID); err != nil {
			rows.Close()
			return nil, err
		}
		owner[id] = patientID
		patients = append(patients, patientID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if v.kiosk() {
		if err := v.holdable(ctx, patients); err != nil {
			return nil, err
		}
	}
	rows, err = v.tx.QueryContext(ctx, repeatSelect+" WHERE rm.id IN (SELECT value FROM json_each(?))", list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]any, len(ids))
	for rows.Next() {
		it, err := scanRepeat(rows)
		if err != nil {
			return nil, err
		}
		patientID, ok := owner[it.ID]
		if !ok || !v.mayHold(patientID) {
			continue
		}
		d := FeedRepeatItem{PatientID: patientID, Name: it.Name, Strength: it.Strength, Form: it.Form, Dosage: it.Dosage,
			Active: it.Active, ReviewDue: it.ReviewDue, Outstanding: it.Outstanding}
		if !v.kiosk() {
			d.LastIssuedAt = it.LastIssuedAt
		}
		out[it.ID] = d
	}
	return out, rows.Err()
}

// repeatRequests gives a kiosk what it needs to show the patient the
// outcome; a desktop also gets when and how it was asked, the note, and
// who decided each item when.
func (v *feedView) repeatRequests(ctx context.Context, ids []int64) (map[int64]any, error) {
	list := idList(ids)
	rows, err := v.tx.QueryContext(ctx, `SELECT id, patient_id, status, ready_by, handed_out, outcome_seen_at, requested_at, channel, note, handed_out_at
		FROM prescription_requests WHERE id IN (SELECT value FROM json_each(?))`, list)
	if err != nil {
		return nil, err
	}
	got := make(map[int64]FeedRepeatRequest, len(ids))
	var patients []int64
	for rows.Next() {
		var id, requested int64
		var d FeedRepeatRequest
		var channel Channel
		var note string
		var handedOutAt, seenAt sql.NullInt64
		if err := rows.Scan(&id, &d.PatientID, &d.Status, &d.ReadyBy, &d.HandedOut, &seenAt, &requested, &channel, &note, &handedOutAt); err != nil {
			rows.Close()
			return nil, err
		}
		d.OutcomeSeen = seenAt.Valid
		if !v.kiosk() {
			d.RequestedAt, d.Channel, d.Note, d.HandedOutAt = time.Unix(requested, 0).UTC(), channel, note, instantOrZero(handedOutAt)
		}
		got[id] = d
		patients = append(patients, d.PatientID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if v.kiosk() {
		if err := v.holdable(ctx, patients); err != nil {
			return nil, err
		}
	}
	rows, err = v.tx.QueryContext(ctx, `SELECT request_id, repeat_medication_id, decision, reason_code, reason, coalesce(decided_by_staff_id, 0), decided_at
		FROM prescription_request_items WHERE request_id IN (SELECT value FROM json_each(?)) ORDER BY request_id, id`, list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var requestID, by int64
		var it FeedRepeatDecision
		var at sql.NullInt64
		if err := rows.Scan(&requestID, &it.RepeatItemID, &it.Decision, &it.ReasonCode, &it.Reason, &by, &at); err != nil {
			return nil, err
		}
		if !v.kiosk() {
			it.DecidedBy, it.DecidedAt = by, instantOrZero(at)
		}
		if d, ok := got[requestID]; ok {
			d.Items = append(d.Items, it)
			got[requestID] = d
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make(map[int64]any, len(got))
	for id, d := range got {
		if v.mayHold(d.PatientID) {
			out[id] = d
		}
	}
	return out, nil
}

// registrations are patients' registrations for a desktop: never the
// linkage key's hash.
func (v *feedView) registrations(ctx context.Context, ids []int64) (map[int64]any, error) {
	rows, err := v.tx.QueryContext(ctx, `SELECT id, patient_id, coalesce(proxy_relationship_id, 0), account_id, verification_method,
		coalesce(verified_by_staff_id, 0), verified_at, service_appointments, service_prescriptions, record_access, kiosk_enabled,
		letter_issued_at, letter_expires_at, revoked_at IS NOT NULL FROM online_registrations WHERE id IN (SELECT value FROM json_each(?))`, idList(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]any, len(ids))
	for rows.Next() {
		var id, verified int64
		var d FeedRegistration
		var issued, expires sql.NullInt64
		if err := rows.Scan(&id, &d.PatientID, &d.ProxyID, &d.AccountID, &d.VerificationMethod, &d.VerifiedByStaffID, &verified,
			&d.ServiceAppointments, &d.ServicePrescriptions, &d.RecordAccess, &d.KioskEnabled, &issued, &expires, &d.Revoked); err != nil {
			return nil, err
		}
		d.VerifiedAt = time.Unix(verified, 0).UTC()
		d.LetterIssuedAt, d.LetterExpiresAt = instantOrZero(issued), instantOrZero(expires)
		out[id] = d
	}
	return out, rows.Err()
}

func (v *feedView) proxies(ctx context.Context, ids []int64) (map[int64]any, error) {
	rows, err := v.tx.QueryContext(ctx, `SELECT id, patient_id, coalesce(proxy_patient_id, 0), proxy_name, proxy_date_of_birth, relationship,
		legal_basis, service_appointments, service_prescriptions, service_record, proxy_verification, coalesce(verified_by_staff_id, 0),
		created_at, ended_at IS NOT NULL FROM proxy_relationships WHERE id IN (SELECT value FROM json_each(?))`, idList(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]any, len(ids))
	for rows.Next() {
		var id, created int64
		var d FeedProxy
		if err := rows.Scan(&id, &d.PatientID, &d.ProxyPatientID, &d.ProxyName, &d.ProxyDateOfBirth, &d.Relationship, &d.LegalBasis,
			&d.ServiceAppointments, &d.ServicePrescriptions, &d.ServiceRecord, &d.ProxyVerification, &d.VerifiedByStaffID, &created, &d.Ended); err != nil {
			return nil, err
		}
		d.CreatedAt = time.Unix(created, 0).UTC()
		out[id] = d
	}
	return out, rows.Err()
}
