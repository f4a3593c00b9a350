package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"testing"

	"gpkiosk/store"
	"gpkiosk/store/demo"
	"gpkiosk/store/passhash"
	gpsync "gpkiosk/sync"
)

// demoPasswords are the staff passwords of newPractice's practice: the
// demo's, and the leaver newDesk adds.
func demoPasswords() map[string]string {
	pw := map[string]string{"leaver": "gone-away-now"}
	for _, a := range demo.StaffAccounts() {
		pw[a.Username] = a.Password
	}
	return pw
}

// staffID is the ID of the staff account named username.
func (p *practice) staffID(t testing.TB, username string) int64 {
	t.Helper()
	members, err := p.st.StaffMembers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		if m.Username == username {
			return m.ID
		}
	}
	t.Fatalf("no staff account %q", username)
	return 0
}

// sign gives each op without a proof the one its device would make: on a
// desktop, the key worked out from the member of staff's password and the
// sign-in check the desktop was sent; on a kiosk, the key from the
// patient's letter and date of birth. An op for nobody (or a patient with
// no letter) is sent as it is.
func (p *practice) sign(t testing.TB, token string, ops []gpsync.Op) []gpsync.Op {
	t.Helper()
	dev, ok := p.devices[token]
	if !ok {
		return ops // a token the tests made up: let the server say so
	}
	out := make([]gpsync.Op, len(ops))
	for i, op := range ops {
		out[i] = op
		if op.Proof != "" {
			continue
		}
		var key []byte
		switch {
		case op.StaffID != 0 && dev.Role == gpsync.RoleDesktop:
			key = p.staffKey(t, token, op.StaffID)
		case dev.Role == gpsync.RoleKiosk:
			var who struct {
				PatientID int64 `json:"patientId"`
			}
			_ = json.Unmarshal(op.Payload, &who)
			key = p.patientKey(t, who.PatientID)
		}
		if key == nil {
			continue
		}
		signed, err := gpsync.SigningInput(dev.DeviceID, op)
		if err != nil {
			t.Fatal(err)
		}
		out[i].Proof = gpsync.EncodeProof(store.Sign(key, signed))
	}
	return out
}

// staffKey works out a member of staff's key as their desktop does: from
// the sign-in check in its feed and the password typed.
func (p *practice) staffKey(t testing.TB, token string, staffID int64) []byte {
	t.Helper()
	p.keysMu.Lock()
	defer p.keysMu.Unlock()
	if k, ok := p.staffKeys[staffID]; ok {
		return k
	}
	for _, c := range p.pullAll(t, token, 1000) {
		if c.Entity != gpsync.EntityStaff || c.ID != staffID || c.Deleted {
			continue
		}
		var s gpsync.StaffData
		if err := json.Unmarshal(c.Data, &s); err != nil {
			t.Fatal(err)
		}
		key, ok, err := passhash.DeriveChecked(s.SignInCheck, p.passwords[s.Username])
		if err != nil || !ok {
			return nil // no password a desktop could sign them in with
		}
		p.staffKeys[staffID] = key
		return key
	}
	return nil
}

// patientKey is the key of a kiosk-registered patient's own letter.
func (p *practice) patientKey(t testing.TB, patientID int64) []byte {
	t.Helper()
	account := p.accounts[patientID]
	if account == "" {
		return nil
	}
	key := store.PatientKey(account, p.born(t, patientID))
	return key[:]
}

// born is a patient's date of birth, read from the practice's file.
func (p *practice) born(t testing.TB, patientID int64) store.Date {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+p.st.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var dob string
	if err := db.QueryRowContext(context.Background(), "SELECT date_of_birth FROM patients WHERE id = ?", patientID).Scan(&dob); err != nil {
		t.Fatal(err)
	}
	born, err := store.ParseDate(dob)
	if err != nil {
		t.Fatal(err)
	}
	return born
}
