package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

const testPin = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// newManageDesk is newDesk served with the address and pin a new device
// is given.
func newManageDesk(t *testing.T) *desk {
	t.Helper()
	d := newDesk(t)
	clock := func() time.Time { return time.Unix(d.now.Load(), 0).UTC() }
	srv := httptest.NewServer(New(d.st, slog.New(slog.NewTextHandler(io.Discard, nil)), WithClock(clock),
		WithRateLimits(1000, 1000, 1000, 1000), WithEnrolmentAddress("https://practice.example:8400", testPin)))
	t.Cleanup(srv.Close)
	d.srv = srv
	return d
}

// signedIn is a member of staff signed in online at a desktop, able to
// sign manager requests.
type signedIn struct {
	d       *desk
	token   string
	device  string
	staffID int64
	sess    gpsync.StaffSessionResponse
	key     []byte
}

func (d *desk) signIn(t *testing.T, dev gpsync.EnrolResponse, username string) signedIn {
	t.Helper()
	id := d.staffID(t, username)
	r := d.do(t, "POST", gpsync.StaffSessionsPath, dev.Token, d.signInRequest(t, dev.DeviceID, id, d.staffKey(t, dev.Token, id)))
	if r.status != 200 {
		t.Fatalf("sign in %s: %d %s", username, r.status, r.body)
	}
	s := signedIn{d: d, token: dev.Token, device: dev.DeviceID, staffID: id}
	if err := json.Unmarshal(r.body, &s.sess); err != nil {
		t.Fatal(err)
	}
	key, err := gpsync.DecodeProof(s.sess.Key)
	if err != nil {
		t.Fatal(err)
	}
	s.key = key
	return s
}

// signed is a manager request as a desktop makes it; edit may spoil it
// after signing.
type signed struct {
	method, path string // path with query, as sent
	body         []byte
	header       http.Header
}

func (s signedIn) sign(t *testing.T, method, path string, body any) signed {
	t.Helper()
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	var n [18]byte
	rand.Read(n[:])
	nonce := base64.RawURLEncoding.EncodeToString(n[:])
	at := time.Unix(s.d.now.Load(), 0).UTC().Format(time.RFC3339Nano)
	h := http.Header{}
	h.Set(gpsync.HeaderStaffID, strconv.FormatInt(s.staffID, 10))
	h.Set(gpsync.HeaderStaffSession, s.sess.SessionID)
	h.Set(gpsync.HeaderSignedAt, at)
	h.Set(gpsync.HeaderNonce, nonce)
	h.Set(gpsync.HeaderProof, gpsync.EncodeProof(store.Sign(s.key, gpsync.ManageRequestInput(s.device, s.staffID, s.sess.SessionID, method, path, at, nonce, b))))
	return signed{method: method, path: path, body: b, header: h}
}

func (s signedIn) send(t *testing.T, token string, r signed) reply {
	t.Helper()
	req, err := http.NewRequest(r.method, s.d.srv.URL+r.path, bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if r.header != nil {
		req.Header = r.header.Clone()
	}
	if len(r.body) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, body: b, header: resp.Header}
}

// call signs and sends a request and decodes a 2xx answer into out.
func (s signedIn) call(t *testing.T, method, path string, body, out any) reply {
	t.Helper()
	r := s.send(t, s.token, s.sign(t, method, path, body))
	if out != nil && r.status/100 == 2 {
		if err := json.Unmarshal(r.body, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, r.body)
		}
	}
	return r
}

func wantRefusal(t *testing.T, what string, r reply, message string) {
	t.Helper()
	var ref gpsync.ManageRefusal
	if r.status != http.StatusUnprocessableEntity || json.Unmarshal(r.body, &ref) != nil || ref.Code == "" || ref.Message == "" {
		t.Fatalf("%s: %d %s, want a 422 refusal", what, r.status, r.body)
	}
	if message != "" && ref.Message != message {
		t.Fatalf("%s: %q, want %q", what, ref.Message, message)
	}
}

func (d *desk) countRows(t *testing.T, q string, args ...any) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+d.st.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// everyManagePath is each method and path of the manager API.
func everyManagePath(deviceID string) [][2]string {
	return [][2]string{
		{"GET", gpsync.ManageSettingsPath}, {"PUT", gpsync.ManageSettingsPath},
		{"GET", gpsync.ManageDevicesPath}, {"POST", gpsync.ManageDevicesPath},
		{"PATCH", gpsync.ManageDevicesPath + "/" + deviceID}, {"DELETE", gpsync.ManageDevicesPath + "/" + deviceID},
		{"GET", gpsync.ManageStaffPath}, {"POST", gpsync.ManageStaffPath}, {"PATCH", gpsync.ManageStaffPath + "/reception"},
		{"GET", gpsync.ManageAuditPath}, {"GET", gpsync.ManageAuditPath + "?format=csv"}, {"POST", gpsync.ManageAuditVerifyPath},
		{"GET", gpsync.ManageUptakePath + "?from=2026-01&to=2026-06"},
	}
}

func TestManagerRequestsRefusedForAnyoneButAManager(t *testing.T) {
	d := newManageDesk(t)
	reception := d.signIn(t, d.desktop, "reception")
	manager := d.signIn(t, d.desktop, "manager")
	events := d.countRows(t, "SELECT count(*) FROM audit_events")
	for _, mp := range everyManagePath(d.kiosk.DeviceID) {
		r := reception.call(t, mp[0], mp[1], nil, nil)
		if r.status != 403 || r.code(t) != "manager_only" || !strings.Contains(string(r.body), "Only the practice manager can do this.") {
			t.Errorf("receptionist %s %s: %d %s", mp[0], mp[1], r.status, r.body)
		}
		// The manager's own signature, from a kiosk's token.
		if r := manager.send(t, d.kiosk.Token, manager.sign(t, mp[0], mp[1], nil)); r.status != 403 || r.code(t) != "manager_only" {
			t.Errorf("kiosk %s %s: %d %s", mp[0], mp[1], r.status, r.body)
		}
		if r := manager.send(t, "", manager.sign(t, mp[0], mp[1], nil)); r.status != 401 {
			t.Errorf("no token %s %s: %d %s", mp[0], mp[1], r.status, r.body)
		}
		if r := manager.send(t, d.desktop.Token, signed{method: mp[0], path: mp[1], header: http.Header{}}); r.status != 403 || r.code(t) != codeNotSigned {
			t.Errorf("unsigned %s %s: %d %s", mp[0], mp[1], r.status, r.body)
		}
	}
	// Replayed, stale, tampered body, tampered path.
	req := manager.sign(t, "GET", gpsync.ManageStaffPath, nil)
	if r := manager.send(t, d.desktop.Token, req); r.status != 200 {
		t.Fatalf("manager: %d %s", r.status, r.body)
	}
	if r := manager.send(t, d.desktop.Token, req); r.status != 403 || r.code(t) != string(store.ReasonRequestReplay) {
		t.Fatalf("replayed: %d %s", r.status, r.body)
	}
	stale := manager.sign(t, "GET", gpsync.ManageStaffPath, nil)
	d.now.Add(16 * 60)
	if r := manager.send(t, d.desktop.Token, stale); r.status != 403 || r.code(t) != string(store.ReasonClockWrong) {
		t.Fatalf("stale: %d %s", r.status, r.body)
	}
	body := manager.sign(t, "POST", gpsync.ManageDevicesPath, gpsync.NewEnrolmentRequest{Role: "kiosk", Name: "Hall"})
	body.body = []byte(`{"role":"desktop","name":"Hall"}`)
	if r := manager.send(t, d.desktop.Token, body); r.status != 403 || r.code(t) != string(store.ReasonNotProven) {
		t.Fatalf("tampered body: %d %s", r.status, r.body)
	}
	path := manager.sign(t, "DELETE", gpsync.ManageDevicesPath+"/"+d.kiosk.DeviceID, nil)
	path.path = gpsync.ManageDevicesPath + "/" + reception.device
	if r := manager.send(t, d.desktop.Token, path); r.status != 403 || r.code(t) != string(store.ReasonNotProven) {
		t.Fatalf("tampered path: %d %s", r.status, r.body)
	}
	query := manager.sign(t, "GET", gpsync.ManageAuditPath+"?staff=manager", nil)
	query.path = gpsync.ManageAuditPath + "?staff=reception"
	if r := manager.send(t, d.desktop.Token, query); r.status != 403 {
		t.Fatalf("tampered query: %d %s", r.status, r.body)
	}
	// Another desktop cannot use the manager's session.
	other := d.enrol(t, "desktop")
	if r := manager.send(t, other.Token, manager.sign(t, "GET", gpsync.ManageStaffPath, nil)); r.status != 403 || r.code(t) != string(store.ReasonSessionEnded) {
		t.Fatalf("another desktop: %d %s", r.status, r.body)
	}
	// Signed out: the session is over.
	if r := d.do(t, "DELETE", gpsync.StaffSessionsPath+"/"+manager.sess.SessionID, d.desktop.Token, nil); r.status != 204 {
		t.Fatal(r.status)
	}
	r := manager.call(t, "GET", gpsync.ManageStaffPath, nil, nil)
	if r.status != 403 || !strings.Contains(string(r.body), "Your sign-in has ended; sign in again.") {
		t.Fatalf("signed out: %d %s", r.status, r.body)
	}
	if n := d.countRows(t, `SELECT count(*) FROM audit_events WHERE seq > ? AND action NOT LIKE 'staff.session.%'
		AND action NOT IN ('device.enrol', 'device.code')`, events); n != 0 {
		t.Fatalf("refused requests left %d audit events", n)
	}
}

func TestManagedSettingsOverHTTP(t *testing.T) {
	d := newManageDesk(t)
	m := d.signIn(t, d.desktop, "manager")
	var got gpsync.ManagedSettings
	if r := m.call(t, "GET", gpsync.ManageSettingsPath, nil, &got); r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if got.Settings.BookingWindowDays == 0 || len(got.SlotTypeAges) == 0 || got.SlotTypeAges[0].Name == "" {
		t.Fatalf("settings %+v", got)
	}
	want := got
	want.Settings.BookingWindowDays, want.LeaseIdleMinutes = 21, 240
	want.SlotTypeAges = []gpsync.SlotTypeAge{{SlotTypeID: got.SlotTypeAges[0].SlotTypeID, MinAgeYears: 18, MaxAgeYears: 70}}
	want.NewKioskExitPIN = "739204"
	want.Settings.KioskIdleSeconds, want.Settings.KioskIdleWarningSeconds, want.Settings.StaffIdleMinutes = 90, 25, 10
	want.Settings.ReadAloudDefault, want.Settings.DailyReleaseMinutes = true, 8*60
	var saved gpsync.ManagedSettings
	if r := m.call(t, "PUT", gpsync.ManageSettingsPath, want, &saved); r.status != 200 {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	if saved.Settings.BookingWindowDays != 21 || saved.LeaseIdleMinutes != 240 || !saved.KioskExitPINSet || saved.NewKioskExitPIN != "" ||
		saved.SlotTypeAges[0].MinAgeYears != 18 || saved.SlotTypeAges[0].MaxAgeYears != 70 ||
		saved.Settings.KioskIdleSeconds != 90 || saved.Settings.KioskIdleWarningSeconds != 25 || saved.Settings.StaffIdleMinutes != 10 ||
		!saved.Settings.ReadAloudDefault || saved.Settings.DailyReleaseMinutes != 480 {
		t.Fatalf("saved %+v", saved)
	}
	if n := d.countRows(t, "SELECT count(*) FROM audit_events WHERE action = 'settings.update' AND actor = 'staff:manager' AND device = ?", d.desktop.DeviceID); n != 1 {
		t.Fatalf("%d settings events", n)
	}
	// Refusals change nothing, and name the field when they can.
	for what, c := range map[string]struct {
		edit  func(*gpsync.ManagedSettings)
		field string
	}{
		"age over 120":   {func(s *gpsync.ManagedSettings) { s.SlotTypeAges[0].MaxAgeYears = 130 }, "slotTypeAges.0.maxAgeYears"},
		"unknown type":   {func(s *gpsync.ManagedSettings) { s.SlotTypeAges[0].SlotTypeID = 99999 }, "slotTypeAges.0.slotTypeId"},
		"leases outlast": {func(s *gpsync.ManagedSettings) { s.Settings.BookingWindowDays, s.LeaseIdleMinutes = 1, 2000 }, "leaseIdleMinutes"},
		"weak PIN":       {func(s *gpsync.ManagedSettings) { s.NewKioskExitPIN = "111111" }, "newKioskExitPin"},
		"negative":       {func(s *gpsync.ManagedSettings) { s.Settings.MinNoticeMinutes = -5 }, "settings.minNoticeMinutes"},
		"window of 0":    {func(s *gpsync.ManagedSettings) { s.Settings.BookingWindowDays = 0 }, "settings.bookingWindowDays"},
		"window of 400":  {func(s *gpsync.ManagedSettings) { s.Settings.BookingWindowDays = 400 }, "settings.bookingWindowDays"},
		"PIN of 1234":    {func(s *gpsync.ManagedSettings) { s.NewKioskExitPIN = "1234" }, "newKioskExitPin"},
		"idle warning":   {func(s *gpsync.ManagedSettings) { s.Settings.KioskIdleWarningSeconds = 95 }, "settings.kioskIdleWarningSeconds"},
	} {
		bad := saved
		bad.SlotTypeAges = append([]gpsync.SlotTypeAge(nil), saved.SlotTypeAges...)
		c.edit(&bad)
		r := m.call(t, "PUT", gpsync.ManageSettingsPath, bad, nil)
		wantRefusal(t, what, r, "")
		var ref gpsync.ManageRefusal
		_ = json.Unmarshal(r.body, &ref)
		if c.field != "" && (len(ref.Fields) != 1 || ref.Fields[0].Field != c.field || ref.Fields[0].Message != ref.Message) {
			t.Errorf("%s: fields %+v, want %s", what, ref.Fields, c.field)
		}
		var now gpsync.ManagedSettings
		m.call(t, "GET", gpsync.ManageSettingsPath, nil, &now)
		if now.Settings != saved.Settings || now.LeaseIdleMinutes != saved.LeaseIdleMinutes || now.SlotTypeAges[0] != saved.SlotTypeAges[0] {
			t.Fatalf("%s changed the settings", what)
		}
	}
	if r := m.send(t, m.token, signed{}); r.status == 200 {
		t.Fatal("empty request accepted")
	}
	raw := m.sign(t, "PUT", gpsync.ManageSettingsPath, nil)
	raw.body = []byte(`{"settings": {`)
	raw = m.resign(t, raw)
	if r := m.send(t, m.token, raw); r.status != 400 || r.code(t) != "bad_request" {
		t.Fatalf("malformed JSON: %d %s", r.status, r.body)
	}
	big := m.resign(t, signed{method: "PUT", path: gpsync.ManageSettingsPath, body: bytes.Repeat([]byte(" "), gpsync.MaxBodyBytes+1)})
	if r := m.send(t, m.token, big); r.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("too big: %d", r.status)
	}
}

// resign signs r's method, path and body afresh.
func (s signedIn) resign(t *testing.T, r signed) signed {
	t.Helper()
	fresh := s.sign(t, r.method, r.path, nil)
	at, nonce := fresh.header.Get(gpsync.HeaderSignedAt), fresh.header.Get(gpsync.HeaderNonce)
	fresh.header.Set(gpsync.HeaderProof, gpsync.EncodeProof(store.Sign(s.key, gpsync.ManageRequestInput(s.device, s.staffID, s.sess.SessionID, r.method, r.path, at, nonce, r.body))))
	fresh.body = r.body
	return fresh
}

func TestManagedDevicesOverHTTP(t *testing.T) {
	d := newManageDesk(t)
	m := d.signIn(t, d.desktop, "manager")
	// The kiosk says what it runs and what it still has to send.
	req, _ := http.NewRequest("GET", d.srv.URL+"/v1/changes?after=0&limit=500", nil)
	req.Header.Set("Authorization", "Bearer "+d.kiosk.Token)
	req.Header.Set(gpsync.HeaderAppVersion, "0.3.1")
	req.Header.Set(gpsync.HeaderOutbox, "4")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var list []gpsync.DeviceInfo
	if r := m.call(t, "GET", gpsync.ManageDevicesPath, nil, &list); r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	byID := map[string]gpsync.DeviceInfo{}
	for _, dv := range list {
		byID[dv.ID] = dv
	}
	k := byID[d.kiosk.DeviceID]
	leases := d.countRows(t, "SELECT count(*) FROM slot_leases WHERE device_id = ? AND ends_at > ?", d.kiosk.DeviceID, d.now.Load())
	if k.AppVersion != "0.3.1" || k.OutboxWaiting != 4 || k.LastSeenAt == nil || k.Role != "kiosk" || k.LeasesHeld != leases || leases == 0 {
		t.Fatalf("kiosk shown as %+v (%d leases)", k, leases)
	}
	if byID[d.desktop.DeviceID].LastSeenAt == nil {
		t.Fatal("the desktop making the request not seen")
	}

	var code gpsync.NewEnrolmentResponse
	if r := m.call(t, "POST", gpsync.ManageDevicesPath, gpsync.NewEnrolmentRequest{Role: "kiosk", Name: "Upstairs kiosk"}, &code); r.status != 201 {
		t.Fatalf("new code: %d %s", r.status, r.body)
	}
	e, err := gpsync.ParseEnrolment(code.Enrolment)
	if err != nil || e.Server != "https://practice.example:8400" || e.Pin != testPin || e.Code != code.Code {
		t.Fatalf("enrolment %q: %+v %v", code.Enrolment, e, err)
	}
	if r := d.do(t, "POST", "/v1/enrol", "", gpsync.EnrolRequest{Code: code.Code}); r.status != 200 {
		t.Fatalf("enrol with the manager's code: %d %s", r.status, r.body)
	}
	wantRefusal(t, "a printer", m.call(t, "POST", gpsync.ManageDevicesPath, gpsync.NewEnrolmentRequest{Role: "printer"}, nil), "")

	if r := m.call(t, "PATCH", gpsync.ManageDevicesPath+"/"+d.kiosk.DeviceID, gpsync.RenameDeviceRequest{Name: "Front door kiosk"}, nil); r.status != 204 {
		t.Fatalf("rename: %d %s", r.status, r.body)
	}
	for what, name := range map[string]string{"empty": " ", "long": strings.Repeat("x", gpsync.MaxDeviceName+1), "control": "a\x1bb"} {
		wantRefusal(t, what, m.call(t, "PATCH", gpsync.ManageDevicesPath+"/"+d.kiosk.DeviceID, gpsync.RenameDeviceRequest{Name: name}, nil), "")
	}
	if r := m.call(t, "PATCH", gpsync.ManageDevicesPath+"/dev_nope", gpsync.RenameDeviceRequest{Name: "x"}, nil); r.status != 404 {
		t.Fatalf("rename unknown: %d", r.status)
	}
	if n := d.countRows(t, "SELECT count(*) FROM devices WHERE id = ? AND name = 'Front door kiosk'", d.kiosk.DeviceID); n != 1 {
		t.Fatal("not renamed, or renamed by a refusal")
	}
	wantRefusal(t, "revoke self", m.call(t, "DELETE", gpsync.ManageDevicesPath+"/"+d.desktop.DeviceID, nil, nil), "")
	if r := m.call(t, "DELETE", gpsync.ManageDevicesPath+"/"+d.kiosk.DeviceID, nil, nil); r.status != 204 {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if r := d.do(t, "GET", "/v1/changes?after=0", d.kiosk.Token, nil); r.status != 401 {
		t.Fatalf("revoked kiosk: %d", r.status)
	}
	for _, action := range []string{"device.rename", "device.revoke", "device.code"} {
		if n := d.countRows(t, "SELECT count(*) FROM audit_events WHERE action = ? AND actor = 'staff:manager' AND device = ?", action, d.desktop.DeviceID); n != 1 {
			t.Errorf("%s audited %d times", action, n)
		}
	}
}

func TestManagedStaffOverHTTP(t *testing.T) {
	d := newManageDesk(t)
	m := d.signIn(t, d.desktop, "manager")
	var list []gpsync.StaffAccount
	if r := m.call(t, "GET", gpsync.ManageStaffPath, nil, &list); r.status != 200 || len(list) < 4 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	off, manager := false, store.StaffManager
	r := m.call(t, "PATCH", gpsync.ManageStaffPath+"/manager", gpsync.StaffChange{Active: &off}, nil)
	wantRefusal(t, "disable the last manager", r, "There must always be at least one practice manager who can sign in.")
	receptionist := store.StaffReceptionist
	wantRefusal(t, "demote the last manager", m.call(t, "PATCH", gpsync.ManageStaffPath+"/manager", gpsync.StaffChange{Role: &receptionist}, nil),
		"There must always be at least one practice manager who can sign in.")

	var added gpsync.StaffAccount
	r = m.call(t, "POST", gpsync.ManageStaffPath, gpsync.NewStaffRequest{Username: "deputy", DisplayName: "Dee Puty", Role: "receptionist", Password: "deputy-password-1"}, &added)
	if r.status != 201 || added.Username != "deputy" || !added.Active || !added.HasPassword {
		t.Fatalf("add: %d %s", r.status, r.body)
	}
	wantRefusal(t, "weak password", m.call(t, "POST", gpsync.ManageStaffPath, gpsync.NewStaffRequest{Username: "weak", DisplayName: "W", Role: "receptionist", Password: "1234"}, nil), "")
	var changed gpsync.StaffAccount
	if r := m.call(t, "PATCH", gpsync.ManageStaffPath+"/deputy", gpsync.StaffChange{Role: &manager}, &changed); r.status != 200 || changed.Role != "manager" {
		t.Fatalf("promote: %d %s", r.status, r.body)
	}
	// Now the first manager may step down, and their own session ends.
	if r := m.call(t, "PATCH", gpsync.ManageStaffPath+"/manager", gpsync.StaffChange{Role: &receptionist}, nil); r.status != 200 {
		t.Fatalf("demote: %d %s", r.status, r.body)
	}
	if r := m.call(t, "GET", gpsync.ManageStaffPath, nil, nil); r.status != 403 || r.code(t) != string(store.ReasonSessionEnded) {
		t.Fatalf("after stepping down: %d %s", r.status, r.body)
	}
	d.passwords["deputy"] = "deputy-password-1"
	deputy := d.signIn(t, d.desktop, "deputy")
	if r := deputy.call(t, "PATCH", gpsync.ManageStaffPath+"/nobody", gpsync.StaffChange{Active: &off}, nil); r.status != 404 {
		t.Fatalf("unknown: %d %s", r.status, r.body)
	}
	if r := deputy.call(t, "PATCH", gpsync.ManageStaffPath+"/reception", `{"active": "no"}`, nil); r.status != 400 {
		t.Fatalf("malformed: %d %s", r.status, r.body)
	}
	for _, action := range []string{"staff.add", "staff.role"} {
		if n := d.countRows(t, "SELECT count(*) FROM audit_events WHERE action = ? AND actor = 'staff:manager'", action); n == 0 {
			t.Errorf("%s not audited", action)
		}
	}
}

func TestManagedAuditOverHTTP(t *testing.T) {
	d := newManageDesk(t)
	m := d.signIn(t, d.desktop, "manager")
	ctx := context.Background()
	// An actor a spreadsheet would take for a formula.
	if err := d.st.RenameDevice(ctx, store.Actor{Name: "=HYPERLINK(\"http://x\")", Device: "@evil"}, d.kiosk.DeviceID, "Kiosk"); err != nil {
		t.Fatal(err)
	}
	var page gpsync.AuditPage
	if r := m.call(t, "GET", gpsync.ManageAuditPath+"?action=staff.&staff=manager", nil, &page); r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if len(page.Entries) == 0 {
		t.Fatal("the manager's sign-in not found")
	}
	for _, e := range page.Entries {
		if e.Actor != "staff:manager" || !strings.HasPrefix(e.Action, "staff.") {
			t.Fatalf("%+v does not match", e)
		}
	}
	if r := m.call(t, "GET", gpsync.ManageAuditPath+"?limit=1", nil, &page); r.status != 200 || len(page.Entries) != 1 || !page.More {
		t.Fatalf("a page of one: %d %+v", r.status, page)
	}
	wantRefusal(t, "bad date", m.call(t, "GET", gpsync.ManageAuditPath+"?from=2026-02-30", nil, nil), "")
	wantRefusal(t, "bad NHS number", m.call(t, "GET", gpsync.ManageAuditPath+"?patient=1234567890", nil, nil), "")

	r := m.call(t, "GET", gpsync.ManageAuditPath+"?device=%40evil&format=csv", nil, nil)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", r.status, r.body)
	}
	rows, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][0] != "seq" || rows[1][2] != `'=HYPERLINK("http://x")` || rows[1][3] != "'@evil" || rows[1][4] != "device.rename" {
		t.Fatalf("csv rows %q", rows)
	}
	if n := d.countRows(t, "SELECT count(*) FROM audit_events WHERE action = 'audit.export' AND actor = 'staff:manager' AND detail LIKE 'events=1 %'"); n != 1 {
		t.Fatal("export not audited")
	}

	var v gpsync.AuditVerifyResult
	if r := m.call(t, "POST", gpsync.ManageAuditVerifyPath, nil, &v); r.status != 200 || !v.Holds || v.Checked == 0 {
		t.Fatalf("verify: %d %+v", r.status, v)
	}
	db, err := sql.Open("sqlite", "file:"+d.st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE audit_events SET detail = 'edited' WHERE seq = 7"); err != nil {
		t.Fatal(err)
	}
	if r := m.call(t, "POST", gpsync.ManageAuditVerifyPath, nil, &v); r.status != 200 || v.Holds || v.BrokenAt != 7 {
		t.Fatalf("verify after tampering: %d %+v", r.status, v)
	}
}

func TestCSVSafe(t *testing.T) {
	got := csvSafe([]string{"=1+1", "+1", "-1", "@a", "\tx", "plain", "", "a=b"})
	want := []string{"'=1+1", "'+1", "'-1", "'@a", "'\tx", "plain", "", "a=b"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%q, want %q", got[i], want[i])
		}
	}
}

// A device's report is written when it changes, and otherwise at most
// once a minute: "last seen" is right to the minute.
func TestDeviceReportsAreWrittenWhenChangedOrAMinuteOn(t *testing.T) {
	d := newManageDesk(t)
	seen := func(version string, outbox int) (int64, string, int) {
		t.Helper()
		req, _ := http.NewRequest("GET", d.srv.URL+"/v1/changes?after=0&limit=1", nil)
		req.Header.Set("Authorization", "Bearer "+d.kiosk.Token)
		req.Header.Set(gpsync.HeaderAppVersion, version)
		req.Header.Set(gpsync.HeaderOutbox, strconv.Itoa(outbox))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		ds, err := d.st.DeviceStatuses(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, dv := range ds {
			if dv.ID == d.kiosk.DeviceID {
				last := int64(d.countRows(t, "SELECT coalesce(last_seen_at, 0) FROM devices WHERE id = ?", dv.ID))
				return last, dv.AppVersion, dv.OutboxWaiting
			}
		}
		t.Fatal("kiosk not listed")
		return 0, "", 0
	}
	start := d.now.Load()
	if at, v, n := seen("1.0.0", 2); at != start || v != "1.0.0" || n != 2 {
		t.Fatalf("first report: %d %q %d", at-start, v, n)
	}
	d.now.Add(30)
	if at, _, _ := seen("1.0.0", 2); at != start {
		t.Fatalf("unchanged report after 30s written: %d", at-start)
	}
	if at, _, n := seen("1.0.0", 0); at != start+30 || n != 0 {
		t.Fatalf("changed outbox: %d %d", at-start, n)
	}
	d.now.Add(61)
	if at, _, _ := seen("1.0.0", 0); at != start+91 {
		t.Fatalf("unchanged report a minute on: %d", at-start)
	}
}

func TestWireField(t *testing.T) {
	for goName, want := range map[string]string{
		"BookingWindowDays": "settings.bookingWindowDays", "LeaseIdleMinutes": "leaseIdleMinutes",
		"NewKioskExitPIN": "newKioskExitPin", "SlotTypeAges.3.MinAge": "slotTypeAges.3.minAgeYears", "Password": "password",
	} {
		if got := wireField(goName); got != want {
			t.Errorf("wireField(%q) = %q, want %q", goName, got, want)
		}
	}
}

// The uptake figures over HTTP are the store's, month by month, and a bad
// range is refused with a sentence.
func TestUptakeOverHTTP(t *testing.T) {
	d := newManageDesk(t)
	m := d.signIn(t, d.desktop, "manager")
	now := time.Unix(d.now.Load(), 0)
	loc, _ := time.LoadLocation("Europe/London")
	to := store.MonthOf(now, loc)
	from := to.AddMonths(-2)
	var got gpsync.UptakeReport
	path := gpsync.ManageUptakePath + "?from=" + from.String() + "&to=" + to.String()
	if r := m.call(t, "GET", path, nil, &got); r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	want, err := d.st.Uptake(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Months) != 3 || got.Practice == "" || got.ODSCode == "" {
		t.Fatalf("report %+v", got)
	}
	for i, w := range want {
		g := got.Months[i]
		if g.Month != w.Month || g.PatientListSize != w.PatientListSize || g.TotalPatEnbld != w.TotalPatEnbld ||
			g.PatApptsUse != w.PatApptsUse || g.TotalUse != w.TotalUse || g.CheckIns != w.CheckIns || len(g.Booked) != len(w.Booked) {
			t.Errorf("month %d: got %+v, want %+v", i, g, w)
		}
	}
	if list := d.countRows(t, "SELECT count(*) FROM patients"); got.Months[2].PatientListSize != list {
		t.Errorf("list size %d, the database has %d patients", got.Months[2].PatientListSize, list)
	}
	for what, q := range map[string]string{
		"not a month": "?from=June&to=" + to.String(),
		"backwards":   "?from=" + to.String() + "&to=" + from.String(),
		"too long":    "?from=" + to.AddMonths(-30).String() + "&to=" + to.String(),
	} {
		r := m.call(t, "GET", gpsync.ManageUptakePath+q, nil, nil)
		wantRefusal(t, what, r, "")
	}
}
