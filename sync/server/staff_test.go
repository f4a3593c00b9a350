package server

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/passhash"
	gpsync "gpkiosk/sync"
)

// signInRequest is an online sign-in as a desktop makes it: a fresh nonce
// and the time, signed with key (the member of staff's password key).
func (d *desk) signInRequest(t *testing.T, deviceID string, staffID int64, key []byte) gpsync.StaffSessionRequest {
	t.Helper()
	var n [18]byte
	rand.Read(n[:])
	req := gpsync.StaffSessionRequest{StaffID: staffID, At: time.Unix(d.now.Load(), 0).UTC(), Nonce: base64.RawURLEncoding.EncodeToString(n[:])}
	req.Proof = gpsync.EncodeProof(store.Sign(key, gpsync.StaffSignInInput(deviceID, staffID, req.At, req.Nonce)))
	return req
}

// inSession is op as made by a member of staff signed in online: made
// now, naming the session and signed with its key.
func (d *desk) inSession(t *testing.T, s gpsync.StaffSessionResponse, op gpsync.Op) gpsync.Op {
	t.Helper()
	key, err := gpsync.DecodeProof(s.Key)
	if err != nil {
		t.Fatal(err)
	}
	op.CreatedAt = time.Unix(d.now.Load(), 0).UTC()
	op.Session = s.SessionID
	return signWith(t, key, d.desktop.DeviceID, op)
}

// The issue: "Online, staff sign in against the server and get a
// short-lived signed session." Over real HTTP: the session signs the
// member of staff's ops, and signing out ends it.
func TestStaffSignInOnlineOverHTTP(t *testing.T) {
	d := newDesk(t)
	patient, _ := d.patientAged(t, 30, 60)
	reception := d.staff["reception"]
	key := d.staffKey(t, d.desktop.Token, reception)

	r := d.do(t, "POST", gpsync.StaffSessionsPath, d.desktop.Token, d.signInRequest(t, d.desktop.DeviceID, reception, key))
	if r.status != 200 {
		t.Fatalf("sign in: %d %s", r.status, r.body)
	}
	var s gpsync.StaffSessionResponse
	if err := json.Unmarshal(r.body, &s); err != nil {
		t.Fatal(err)
	}
	if got := s.ExpiresAt.Sub(time.Unix(d.now.Load(), 0)); got != store.StaffSessionLength {
		t.Fatalf("session lasts %v", got)
	}
	view := func(n int) gpsync.Op {
		return staffOp(t, n, reception, gpsync.OpRecordView, gpsync.RecordViewPayload{PatientIDs: []int64{patient}, What: gpsync.ViewRecord})
	}
	wantApplied(t, "an op in the session", d.pushUnproven(t, d.desktop.Token, d.inSession(t, s, view(1)))[0], nil)
	if v := d.auditActions(t, patient)["patient.view"]; len(v) != 1 || v[0].Actor.Name != "staff:reception" {
		t.Fatalf("audit %+v", v)
	}
	// The session's key proves nothing without the session named, nor for
	// another member of staff.
	anon := d.inSession(t, s, view(2))
	anon.Session = ""
	wantRejected(t, "the session's MAC without the session", d.pushUnproven(t, d.desktop.Token, anon)[0], "not_proven")
	manager := d.inSession(t, s, staffOp(t, 3, d.staff["manager"], gpsync.OpRecordView, gpsync.RecordViewPayload{PatientIDs: []int64{patient}, What: gpsync.ViewRecord}))
	wantRejected(t, "the manager's ID in the receptionist's session", d.pushUnproven(t, d.desktop.Token, manager)[0], "not_proven")

	// Signing out: another device cannot, the desktop can, and after it
	// the session signs nothing new.
	other := d.enrol(t, "desktop")
	if r := d.do(t, "DELETE", gpsync.StaffSessionsPath+"/"+s.SessionID, other.Token, nil); r.status != 204 {
		t.Fatalf("sign out from another desktop: %d %s", r.status, r.body)
	}
	wantApplied(t, "still in the session", d.pushUnproven(t, d.desktop.Token, d.inSession(t, s, view(4)))[0], nil)
	d.now.Add(60)
	if r := d.do(t, "DELETE", gpsync.StaffSessionsPath+"/"+s.SessionID, d.desktop.Token, nil); r.status != 204 {
		t.Fatalf("sign out: %d %s", r.status, r.body)
	}
	wantRejected(t, "after signing out", d.pushUnproven(t, d.desktop.Token, d.inSession(t, s, view(5)))[0], "not_proven")
	if r := d.do(t, "DELETE", gpsync.StaffSessionsPath+"/nonsense", d.desktop.Token, nil); r.status != 404 {
		t.Errorf("sign out of a malformed session: %d", r.status)
	}
}

func TestStaffSignInRefusalsOverHTTP(t *testing.T) {
	d := newDesk(t)
	reception := d.staff["reception"]
	key := d.staffKey(t, d.desktop.Token, reception)
	good := d.signInRequest(t, d.desktop.DeviceID, reception, key)
	for _, c := range []struct {
		name, token string
		body        any
		status      int
		code        string
	}{
		{"no token", "", good, 401, "unauthorized"},
		{"a kiosk", d.kiosk.Token, d.signInRequest(t, d.kiosk.DeviceID, reception, key), 403, "wrong_role"},
		{"no proof", d.desktop.Token, gpsync.StaffSessionRequest{StaffID: reception, At: good.At, Nonce: good.Nonce}, 400, "bad_request"},
		{"short nonce", d.desktop.Token, gpsync.StaffSessionRequest{StaffID: reception, At: good.At, Nonce: "abc", Proof: good.Proof}, 400, "bad_request"},
		{"unknown field", d.desktop.Token, `{"staffId":1,"password":"x"}`, 400, "bad_request"},
		{"wrong password", d.desktop.Token, d.signInRequest(t, d.desktop.DeviceID, reception, make([]byte, 32)), 403, "not_proven"},
		{"switched-off account", d.desktop.Token, d.signInRequest(t, d.desktop.DeviceID, d.staff["leaver"], d.leaverKey(t)), 403, "staff_account_off"},
	} {
		r := d.do(t, "POST", gpsync.StaffSessionsPath, c.token, c.body)
		if r.status != c.status || r.code(t) != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.status, r.body, c.status, c.code)
		}
	}
	// A desktop that keeps guessing is paused, with Retry-After, and says so.
	var r reply
	for i := 0; i < store.StaffSignInFailureBudget; i++ {
		r = d.do(t, "POST", gpsync.StaffSessionsPath, d.desktop.Token, d.signInRequest(t, d.desktop.DeviceID, reception, make([]byte, 32)))
	}
	if r.status != 429 || r.code(t) != "sign_in_paused" {
		t.Fatalf("after %d wrong passwords: %d %s", store.StaffSignInFailureBudget, r.status, r.body)
	}
	if secs, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || secs != int(store.StaffSignInPause/time.Second) {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	// An op naming a session must name a member of staff too.
	op := newOp(t, 9, gpsync.OpAskForHelp, gpsync.AskForHelpPayload{})
	op.Session = "AAAAAAAAAAAAAAAAAAAAAA"
	if r := d.do(t, "POST", "/v1/ops", d.desktop.Token, gpsync.PushRequest{Ops: []gpsync.Op{op}}); r.status != 400 {
		t.Errorf("a session with nobody named: %d %s", r.status, r.body)
	}
}

// leaverKey is the switched-off leaver's password key, which a desktop
// that synced before they left could still work out.
func (d *desk) leaverKey(t *testing.T) []byte {
	t.Helper()
	var verifier string
	if err := readDB(t, d.st).QueryRow("SELECT password_hash FROM staff WHERE username = 'leaver'").Scan(&verifier); err != nil {
		t.Fatal(err)
	}
	key, err := passhash.Key(verifier)
	if err != nil {
		t.Fatal(err)
	}
	return key
}
