package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"time"

	"gpkiosk/store/passhash"
)

// A device's token says which device is talking, never who is acting.
// Every request that acts for a patient or as a member of staff carries a
// Proof: a MAC over the request, keyed by something only that person
// could give the device.
//
//   - A patient (or proxy) at a kiosk: PatientKey, from the account ID on
//     their letter and the date of birth they typed. The kiosk works it out
//     at sign-in and keeps it only for that session; it stores neither
//     part. The server works it out from the registration.
//   - A member of staff at a desktop: the argon2id key of their password
//     (passhash.DeriveChecked), which the desktop can only get from the
//     password typed; the server reads it from the stored verifier.
//
// A stolen kiosk or desktop holds neither key, so it cannot make a new
// request in anyone's name.

// ReasonNotProven: the request does not prove who made it.
const ReasonNotProven Reason = "not_proven"

// Proof is a request's proof of who made it. Signed is the exact text the
// device's MAC covers, made by whoever decoded the request (it includes
// the key, kind, time and payload); MAC is HMAC-SHA256 over it.
type Proof struct {
	Signed []byte
	MAC    []byte
}

// patientKeyPrefix separates this key from KioskVerifier's hash of the
// same two values: knowing a verifier (which every kiosk holds) gives no
// key.
const patientKeyPrefix = "gpkiosk-patient-op-key-v1\x1f"

// PatientKey is the key a patient's requests at a kiosk are signed with,
// from the account ID on their letter (any form NormaliseAccountID
// accepts) and their date of birth, or a proxy's own.
func PatientKey(accountID string, dob Date) [32]byte {
	return sha256.Sum256([]byte(patientKeyPrefix + NormaliseAccountID(accountID) + "\x1f" + dob.String()))
}

// Sign is the MAC of signed under key: what a device attaches to a request.
func Sign(key []byte, signed []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(signed)
	return m.Sum(nil)
}

func (p Proof) madeWith(key []byte) bool {
	return len(p.MAC) == sha256.Size && len(p.Signed) > 0 && hmac.Equal(Sign(key, p.Signed), p.MAC)
}

func refuseNotProvenPatient() error {
	return sentNotProven.refuse(ReasonNotProven)
}

func refuseNotProvenStaff() error {
	return refuse(ReasonNotProven, "This was not done: it could not be shown that the member of staff named made it. Sign in again and redo it.")
}

// letterServices are what the letter that proved a kiosk request gives.
type letterServices struct {
	appointments, prescriptions bool
}

// provePatientSQL reads a patient's kiosk letters live at a time: each
// letter's account ID, services and the date of birth its key uses.
const provePatientSQL = `SELECT r.account_id, r.service_appointments, r.service_prescriptions,
	r.proxy_relationship_id IS NOT NULL, coalesce(pr.proxy_date_of_birth, ''), coalesce(pr.service_appointments, 1),
	coalesce(pr.service_prescriptions, 1), p.date_of_birth
	FROM online_registrations r JOIN patients p ON p.id = r.patient_id
	LEFT JOIN proxy_relationships pr ON pr.id = r.proxy_relationship_id
	WHERE r.patient_id = ? AND r.kiosk_enabled = 1 AND (r.revoked_at IS NULL OR r.revoked_at > ?)
	AND (pr.ended_at IS NULL OR pr.ended_at > ?)`

// provePatient finds the kiosk letter whose key made the request's proof:
// one of the patient's kiosk registrations, live when the request was
// made (at), or the proxy's registration acting for them. It returns what
// that letter gives; a proxy's letter gives only what both the
// registration and the proxy link give.
func (s *Store) provePatient(ctx context.Context, tx *sql.Tx, patientID int64, proof Proof, at time.Time) (letterServices, error) {
	if len(proof.MAC) == 0 {
		return letterServices{}, refuseNotProvenPatient()
	}
	rows, err := tx.StmtContext(ctx, s.patientLetters).QueryContext(ctx, patientID, at.Unix(), at.Unix())
	if err != nil {
		return letterServices{}, fmt.Errorf("prove patient: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var account, proxyDOB, ownDOB string
		var appts, scripts, acting, proxyAppts, proxyScripts bool
		if err := rows.Scan(&account, &appts, &scripts, &acting, &proxyDOB, &proxyAppts, &proxyScripts, &ownDOB); err != nil {
			return letterServices{}, fmt.Errorf("prove patient: %w", err)
		}
		dob := ownDOB
		if acting {
			dob = proxyDOB
		}
		born, err := ParseDate(dob)
		if err != nil {
			continue // no date of birth, no kiosk letter
		}
		key := PatientKey(account, born)
		if proof.madeWith(key[:]) {
			if acting {
				appts, scripts = appts && proxyAppts, scripts && proxyScripts
			}
			return letterServices{appointments: appts, prescriptions: scripts}, nil
		}
	}
	if err := rows.Err(); err != nil {
		return letterServices{}, fmt.Errorf("prove patient: %w", err)
	}
	return letterServices{}, refuseNotProvenPatient()
}

// proveStaff checks the request's proof against the member of staff's
// password key, read from their stored verifier.
func proveStaff(verifier string, proof Proof) error {
	if verifier == "" || len(proof.MAC) == 0 {
		return refuseNotProvenStaff()
	}
	key, err := passhash.Key(verifier)
	if err != nil {
		return refuseNotProvenStaff()
	}
	if !proof.madeWith(key) {
		return refuseNotProvenStaff()
	}
	return nil
}
