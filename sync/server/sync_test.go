package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/demo"
	gpsync "gpkiosk/sync"
)

// practice is a demo practice behind a real HTTP server on 127.0.0.1, with
// three patients registered for kiosk use.
type practice struct {
	st        *store.Store
	srv       *httptest.Server
	now       *atomic.Int64
	kioskPts  []int64
	accounts  map[int64]string
	devices   map[string]gpsync.EnrolResponse // by token
	staffKeys map[int64][]byte
	keysMu    sync.Mutex        // staffKeys is filled by concurrent pushes
	passwords map[string]string // staff passwords by username, to sign as a desktop would
}

func newPractice(t testing.TB, opts ...Option) *practice {
	t.Helper()
	ctx := context.Background()
	p := &practice{now: &atomic.Int64{}, accounts: map[int64]string{}, devices: map[string]gpsync.EnrolResponse{}, staffKeys: map[int64][]byte{},
		passwords: demoPasswords()}
	start := store.Date{Year: 2026, Month: time.June, Day: 8}
	loc, _ := time.LoadLocation("Europe/London")
	p.now.Store(start.At(7, 30, loc).Unix())
	clock := func() time.Time { return time.Unix(p.now.Load(), 0).UTC() }
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "practice.db"), store.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Generate(ctx, st, demo.Options{Seed: 1, Patients: 120, Weeks: 2, Start: start}); err != nil {
		t.Fatal(err)
	}
	p.st = st
	// Three adults registered for the kiosk.
	db := st.Path()
	_ = db
	err = st.Load(ctx, func(l *store.Loader) error {
		for i, id := range adultPatients(t, st, 3) {
			account := fmt.Sprintf("ACCT-%04d-TEST", i)
			if _, err := l.AddRegistration(store.NewRegistration{PatientID: id, VerificationMethod: "photo_id_and_address",
				VerifiedAt: clock(), CoercionConsidered: true, ServiceAppointments: true, ServicePrescriptions: true,
				RecordAccess: "none", KioskEnabled: true, AccountID: account, LinkageKeyHash: "x"}); err != nil {
				return err
			}
			p.kioskPts = append(p.kioskPts, id)
			p.accounts[id] = account
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	opts = append([]Option{WithClock(clock)}, opts...)
	p.srv = httptest.NewServer(New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), opts...))
	t.Cleanup(p.srv.Close)
	return p
}

func adultPatients(t testing.TB, st *store.Store, n int) []int64 {
	t.Helper()
	// FreeSlots refuses children at the kiosk; pick patients it accepts.
	var out []int64
	for id := int64(1); len(out) < n && id < 500; id++ {
		if _, err := st.FreeSlots(context.Background(), id, store.ChannelKiosk, store.Date{Year: 2026, Month: time.June, Day: 8}, 1); err == nil {
			out = append(out, id)
		}
	}
	if len(out) < n {
		t.Fatalf("only %d adults found", len(out))
	}
	return out
}

type reply struct {
	status int
	body   []byte
	header http.Header
}

func (p *practice) do(t testing.TB, method, path, token string, body any) reply {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, p.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
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

func (r reply) code(t testing.TB) string {
	t.Helper()
	var e gpsync.Error
	if err := json.Unmarshal(r.body, &e); err != nil || e.Code == "" || e.Message == "" {
		t.Fatalf("status %d without a JSON error body: %q", r.status, r.body)
	}
	return e.Code
}

func (p *practice) enrol(t testing.TB, role string) gpsync.EnrolResponse {
	t.Helper()
	code, err := p.st.NewEnrolmentCode(context.Background(), store.Actor{Name: "manager:test", Device: "test"}, role, "test "+role, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	r := p.do(t, "POST", "/v1/enrol", "", gpsync.EnrolRequest{Code: strings.ToLower(code), DeviceName: role + " one"})
	if r.status != 200 {
		t.Fatalf("enrol: %d %s", r.status, r.body)
	}
	var out gpsync.EnrolResponse
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatal(err)
	}
	p.devices[out.Token] = out
	return out
}

func (p *practice) pullAll(t testing.TB, token string, limit int) []gpsync.Change {
	t.Helper()
	var all []gpsync.Change
	cursor := int64(0)
	for {
		r := p.do(t, "GET", fmt.Sprintf("/v1/changes?after=%d&limit=%d", cursor, limit), token, nil)
		if r.status != 200 {
			t.Fatalf("changes: %d %s", r.status, r.body)
		}
		var page gpsync.ChangesResponse
		if err := json.Unmarshal(r.body, &page); err != nil {
			t.Fatal(err)
		}
		if len(page.Changes) > limit {
			t.Fatalf("page of %d changes, limit %d", len(page.Changes), limit)
		}
		all = append(all, page.Changes...)
		cursor = page.Cursor
		if !page.More {
			return all
		}
	}
}

func TestEnrolment(t *testing.T) {
	p := newPractice(t)
	ctx := context.Background()
	code, err := p.st.NewEnrolmentCode(ctx, store.Actor{Name: "manager:test", Device: "test"}, store.DeviceKiosk, "Kiosk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	r := p.do(t, "POST", "/v1/enrol", "", gpsync.EnrolRequest{Code: code, DeviceName: "Waiting room"})
	if r.status != 200 {
		t.Fatalf("enrol: %d %s", r.status, r.body)
	}
	var got gpsync.EnrolResponse
	if err := json.Unmarshal(r.body, &got); err != nil || got.Role != "kiosk" || len(got.Token) < 40 || got.Practice.Name == "" {
		t.Fatalf("enrol answer %+v %v", got, err)
	}
	// The code is used up.
	if r := p.do(t, "POST", "/v1/enrol", "", gpsync.EnrolRequest{Code: code}); r.status != 400 || r.code(t) != "invalid_code" {
		t.Fatalf("second use: %d %s", r.status, r.body)
	}
	// An expired code is refused the same way.
	late, _ := p.st.NewEnrolmentCode(ctx, store.Actor{Name: "manager:test", Device: "test"}, store.DeviceDesktop, "", time.Hour)
	p.now.Add(3601)
	if r := p.do(t, "POST", "/v1/enrol", "", gpsync.EnrolRequest{Code: late}); r.status != 400 || r.code(t) != "invalid_code" {
		t.Fatalf("expired code: %d %s", r.status, r.body)
	}
	// The token works; only its hash is stored.
	if r := p.do(t, "GET", "/v1/changes?after=0&limit=5", got.Token, nil); r.status != 200 {
		t.Fatalf("changes with the new token: %d %s", r.status, r.body)
	}
	if r := p.do(t, "GET", "/v1/changes", "not-a-token", nil); r.status != 401 || r.code(t) != "unauthorized" {
		t.Fatalf("unknown token: %d", r.status)
	}
	if r := p.do(t, "GET", "/v1/changes", "", nil); r.status != 401 {
		t.Fatalf("no token: %d", r.status)
	}
	// Revoked: refused at once.
	if err := p.st.RevokeDevice(ctx, store.Actor{Name: "manager:test", Device: "test"}, got.DeviceID); err != nil {
		t.Fatal(err)
	}
	if r := p.do(t, "GET", "/v1/changes", got.Token, nil); r.status != 401 || r.code(t) != "device_revoked" {
		t.Fatalf("revoked device: %d %s", r.status, r.body)
	}
}

// Malformed, oversized, truncated or wrongly typed bodies get a clear 4xx
// and never a 5xx.
func TestBadRequestsAre4xx(t *testing.T) {
	p := newPractice(t)
	k := p.enrol(t, "kiosk")
	big := `{"ops":[` + strings.Repeat(`{"id":"x"},`, 200000) + `{}]}`
	cases := []struct {
		name, method, path, body string
		token                    bool
		status                   int
		code                     string
	}{
		{"enrol: not JSON", "POST", "/v1/enrol", "code=ABC", false, 400, "bad_request"},
		{"enrol: truncated", "POST", "/v1/enrol", `{"code": "AB`, false, 400, "bad_request"},
		{"enrol: wrong type", "POST", "/v1/enrol", `{"code": 12345}`, false, 400, "bad_request"},
		{"enrol: unknown field", "POST", "/v1/enrol", `{"code": "A", "admin": true}`, false, 400, "bad_request"},
		{"enrol: trailing data", "POST", "/v1/enrol", `{"code": "A"} {}`, false, 400, "bad_request"},
		{"ops: too large", "POST", "/v1/ops", big, true, 413, "too_large"},
		{"ops: not JSON", "POST", "/v1/ops", "\x00\x01", true, 400, "bad_request"},
		{"ops: ops not a list", "POST", "/v1/ops", `{"ops": 3}`, true, 400, "bad_request"},
		{"ops: bad id", "POST", "/v1/ops", `{"ops":[{"id":"1","kind":"book","createdAt":"2026-06-08T07:00:00Z","payload":{"slotId":1,"patientId":1}}]}`, true, 400, "bad_request"},
		{"ops: unknown kind", "POST", "/v1/ops", `{"ops":[{"id":"5f0c4c9e-1d2a-4c4e-9a4b-0c1d2e3f4a5b","kind":"delete_everything","createdAt":"2026-06-08T07:00:00Z","payload":{}}]}`, true, 400, "unknown_op_kind"},
		{"ops: payload wrong type", "POST", "/v1/ops", `{"ops":[{"id":"5f0c4c9e-1d2a-4c4e-9a4b-0c1d2e3f4a5b","kind":"book","createdAt":"2026-06-08T07:00:00Z","payload":{"slotId":"one"}}]}`, true, 400, "bad_request"},
		{"ops: no token", "POST", "/v1/ops", `{"ops":[]}`, false, 401, "unauthorized"},
		{"changes: bad cursor", "GET", "/v1/changes?after=abc", "", true, 400, "bad_cursor"},
		{"changes: negative cursor", "GET", "/v1/changes?after=-5", "", true, 400, "bad_cursor"},
		{"changes: cursor ahead", "GET", "/v1/changes?after=999999999", "", true, 409, "cursor_ahead"},
		{"changes: wrong method", "POST", "/v1/changes", "{}", true, 405, "method_not_allowed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			token := ""
			if tc.token {
				token = k.Token
			}
			var body any
			if tc.body != "" {
				body = tc.body
			}
			before, _, _ := p.st.OpCount(context.Background())
			r := p.do(t, tc.method, tc.path, token, body)
			if r.status != tc.status || r.code(t) != tc.code {
				t.Fatalf("got %d %s, want %d %s", r.status, r.body, tc.status, tc.code)
			}
			if after, _, _ := p.st.OpCount(context.Background()); after != before {
				t.Fatal("a refused request applied ops")
			}
		})
	}
	// Wrong content type.
	req, _ := http.NewRequest("POST", p.srv.URL+"/v1/enrol", strings.NewReader(`{"code":"A"}`))
	req.Header.Set("Content-Type", "text/plain")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 415 {
		t.Fatalf("text/plain body: %d", resp.StatusCode)
	}
}

func newOp(t testing.TB, n int, kind string, payload any) gpsync.Op {
	t.Helper()
	js, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return gpsync.Op{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", n), Kind: kind, CreatedAt: time.Date(2026, 6, 8, 6, 0, 0, 0, time.UTC), Payload: js}
}

// push sends ops as the device behind token would, each proving who made
// it (sign); pushUnproven sends them as they are.
func (p *practice) push(t testing.TB, token string, ops ...gpsync.Op) []gpsync.OpResult {
	t.Helper()
	return p.pushUnproven(t, token, p.sign(t, token, ops)...)
}

func (p *practice) pushUnproven(t testing.TB, token string, ops ...gpsync.Op) []gpsync.OpResult {
	t.Helper()
	r := p.do(t, "POST", "/v1/ops", token, gpsync.PushRequest{Ops: ops})
	if r.status != 200 {
		t.Fatalf("push: %d %s", r.status, r.body)
	}
	var resp gpsync.PushResponse
	if err := json.Unmarshal(r.body, &resp); err != nil || len(resp.Results) != len(ops) {
		t.Fatalf("push answer %s: %v", r.body, err)
	}
	return resp.Results
}

// freeKioskSlot finds a slot the kiosk could book that is not leased.
func freeKioskSlot(t testing.TB, p *practice, patient int64, skip ...int64) int64 {
	t.Helper()
	leases, _ := p.st.Leases(context.Background())
	held := map[int64]bool{}
	for _, l := range leases {
		held[l.SlotID] = true
	}
	for _, s := range skip {
		held[s] = true
	}
	slots, err := p.st.FreeSlots(context.Background(), patient, store.ChannelKiosk, store.Date{Year: 2026, Month: time.June, Day: 8}, 14)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range slots {
		if !held[s.ID] {
			return s.ID
		}
	}
	t.Fatal("no free slot")
	return 0
}

func TestOpsApplyReplayAndReject(t *testing.T) {
	p := newPractice(t)
	k := p.enrol(t, "kiosk")
	patient := p.kioskPts[0]
	slot := freeKioskSlot(t, p, patient)
	book := newOp(t, 1, gpsync.OpBook, gpsync.BookPayload{SlotID: slot, PatientID: patient})
	first := p.push(t, k.Token, book)[0]
	if first.Status != gpsync.OpApplied {
		t.Fatalf("book: %+v", first)
	}
	var br gpsync.BookResult
	if err := json.Unmarshal(first.Result, &br); err != nil || br.AppointmentID == 0 {
		t.Fatalf("book result %s", first.Result)
	}
	appts, err := p.st.Appointments(context.Background(), patient, store.StatusBooked)
	if err != nil || len(appts) != 1 {
		t.Fatalf("after booking: %d appointments (%v)", len(appts), err)
	}
	// Replays return the same result and change nothing.
	for range 3 {
		again := p.push(t, k.Token, book)[0]
		if again.Status != first.Status || string(again.Result) != string(first.Result) {
			t.Fatalf("replay %+v, first %+v", again, first)
		}
	}
	if appts, _ := p.st.Appointments(context.Background(), patient, store.StatusBooked); len(appts) != 1 {
		t.Fatalf("replays made %d appointments", len(appts))
	}
	// A second patient for the same slot: a normal rejection that does not
	// stop the op after it.
	other := p.kioskPts[1]
	res := p.push(t, k.Token,
		newOp(t, 2, gpsync.OpBook, gpsync.BookPayload{SlotID: slot, PatientID: other}),
		newOp(t, 3, gpsync.OpAskForHelp, gpsync.AskForHelpPayload{Note: "at the kiosk"}))
	if res[0].Status != gpsync.OpRejected || res[0].Reason != "slot_taken" || res[0].Message == "" {
		t.Fatalf("second booking: %+v", res[0])
	}
	if res[1].Status != gpsync.OpApplied {
		t.Fatalf("op after a rejection: %+v", res[1])
	}
	// A kiosk cannot act for a patient not registered for it.
	var unregistered int64
	for _, id := range adultPatients(t, p.st, 10) {
		if id != p.kioskPts[0] && id != p.kioskPts[1] && id != p.kioskPts[2] {
			unregistered = id
			break
		}
	}
	r := p.push(t, k.Token, newOp(t, 4, gpsync.OpBook, gpsync.BookPayload{SlotID: freeKioskSlot(t, p, other, slot), PatientID: unregistered}))
	if r[0].Status != gpsync.OpRejected {
		t.Fatalf("kiosk booked for an unregistered patient: %+v", r[0])
	}
	// The same op ID from another device is not its result to see.
	d := p.enrol(t, "desktop")
	if r := p.push(t, d.Token, book)[0]; r.Status != gpsync.OpRejected || r.Reason != "op_id_conflict" {
		t.Fatalf("op id reused by another device: %+v", r)
	}
}

func TestKioskFeedHoldsNoPersonalDetails(t *testing.T) {
	p := newPractice(t)
	k := p.enrol(t, "kiosk")
	d := p.enrol(t, "desktop")
	kioskChanges := p.pullAll(t, k.Token, 97)
	desktopChanges := p.pullAll(t, d.Token, 500)

	patients := map[int64]gpsync.PatientData{}
	for _, c := range kioskChanges {
		if c.Entity != gpsync.EntityPatient || c.Deleted {
			continue
		}
		var pd gpsync.PatientData
		if err := json.Unmarshal(c.Data, &pd); err != nil {
			t.Fatal(err)
		}
		if pd.NHSNumber != "" || pd.FamilyName != "" || pd.Address != "" || pd.Postcode != "" || pd.DateOfBirth != "" || pd.Phone != "" {
			t.Fatalf("kiosk received personal details: %+v", pd)
		}
		patients[c.ID] = pd
	}
	// The demo practice's own kiosk letters are registered too.
	if want := len(p.kioskPts) + len(demo.Letters()); len(patients) != want {
		t.Fatalf("kiosk holds %d patients, want the %d registered for it", len(patients), want)
	}
	for _, id := range p.kioskPts {
		if len(patients[id].KioskLetters) != 1 || patients[id].GivenName == "" {
			t.Fatalf("patient %d: %+v", id, patients[id])
		}
	}
	// No surname, postcode or NHS number of any patient appears anywhere in
	// the kiosk's feed.
	raw, _ := json.Marshal(kioskChanges)
	desk := map[int64]bool{}
	for _, c := range desktopChanges {
		if c.Entity != gpsync.EntityPatient {
			continue
		}
		var pd gpsync.PatientData
		if err := json.Unmarshal(c.Data, &pd); err != nil {
			t.Fatal(err)
		}
		desk[c.ID] = true
		for _, secret := range []string{`"` + pd.NHSNumber, pd.FamilyName + `"`, pd.Postcode, pd.DateOfBirth} {
			if bytes.Contains(raw, []byte(secret)) {
				t.Fatalf("kiosk feed contains %q", secret)
			}
		}
	}
	if len(desk) != 120 {
		t.Fatalf("desktop received %d patients, want all 120", len(desk))
	}
}

func TestLeasesMakeKioskBookingsFirm(t *testing.T) {
	p := newPractice(t)
	k := p.enrol(t, "kiosk")
	d := p.enrol(t, "desktop")
	changes := p.pullAll(t, k.Token, 500)
	var leased []int64
	for _, c := range changes {
		if c.Entity != gpsync.EntitySlot || c.Deleted {
			continue
		}
		var sd gpsync.SlotData
		if err := json.Unmarshal(c.Data, &sd); err != nil {
			t.Fatal(err)
		}
		if sd.LeasedTo == k.DeviceID {
			leased = append(leased, c.ID)
		}
	}
	if len(leased) == 0 {
		t.Fatal("the kiosk was given no leases")
	}
	patient := p.kioskPts[0]
	// Reception cannot take a leased slot...
	r := p.push(t, d.Token, staffOp(t, 10, p.staffID(t, "reception"), gpsync.OpBook, gpsync.BookPayload{SlotID: leased[0], PatientID: patient}))
	if r[0].Status != gpsync.OpRejected || r[0].Reason != "slot_held" {
		t.Fatalf("reception booked a leased slot: %+v", r[0])
	}
	// ...and the kiosk's booking of it is accepted.
	r = p.push(t, k.Token, newOp(t, 11, gpsync.OpBook, gpsync.BookPayload{SlotID: leased[0], PatientID: patient}))
	if r[0].Status != gpsync.OpApplied {
		t.Fatalf("kiosk booking of its leased slot: %+v", r[0])
	}
}

func TestRateLimited(t *testing.T) {
	p := newPractice(t, WithRateLimits(1, 2, 1, 2))
	k := p.enrol(t, "kiosk")
	var last reply
	for range 4 {
		last = p.do(t, "GET", "/v1/changes?after=0&limit=1", k.Token, nil)
	}
	if last.status != 429 || last.code(t) != "rate_limited" || last.header.Get("Retry-After") == "" {
		t.Fatalf("fourth quick request: %d %q", last.status, last.header.Get("Retry-After"))
	}
}

// FuzzPushBody throws arbitrary bodies at POST /v1/ops: never a 5xx, and
// nothing applied unless the answer is 200.
func FuzzPushBody(f *testing.F) {
	p := newPractice(f, WithRateLimits(1e6, 1e6, 1e6, 1e6))
	k := p.enrol(f, "kiosk")
	f.Add(`{"ops":[]}`)
	f.Add(`{"ops":[{"id":"5f0c4c9e-1d2a-4c4e-9a4b-0c1d2e3f4a5b","kind":"ask_for_help","createdAt":"2026-06-08T07:00:00Z","payload":{"note":"hi"}}]}`)
	f.Add(`{"ops":[{"id":"5f0c4c9e-1d2a-4c4e-9a4b-0c1d2e3f4a5c","kind":"book","createdAt":"2026-06-08T07:00:00Z","payload":{"slotId":1,"patientId":2}}]}`)
	f.Add(`{"ops":null}`)
	f.Add(`[`)
	f.Fuzz(func(t *testing.T, body string) {
		before, rejected, _ := p.st.OpCount(context.Background())
		r := p.do(t, "POST", "/v1/ops", k.Token, body)
		if r.status >= 500 {
			t.Fatalf("%d for %q: %s", r.status, body, r.body)
		}
		if r.status != 200 {
			r.code(t)
			if after, rej, _ := p.st.OpCount(context.Background()); after != before || rej != rejected {
				t.Fatalf("refused body %q applied ops", body)
			}
		}
	})
}

// Paging the feed while another device books and cancels never skips or
// repeats a change: sequences only rise, and the replica built page by page
// ends equal to a fresh pull of the whole feed.
func TestPagingWhileAnotherDeviceWrites(t *testing.T) {
	p := newPractice(t, WithRateLimits(1e6, 1e6, 1e6, 1e6))
	reader := p.enrol(t, "desktop")
	writer := p.enrol(t, "desktop")
	patients := adultPatients(t, p.st, 20)
	slots, err := p.st.FreeSlots(context.Background(), patients[0], store.ChannelReception, store.Date{Year: 2026, Month: time.June, Day: 8}, 14)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 150 {
			res := p.push(t, writer.Token, newOp(t, 1000+i, gpsync.OpBook, gpsync.BookPayload{SlotID: slots[i].ID, PatientID: patients[i%len(patients)]}))
			if res[0].Status == gpsync.OpApplied && i%3 == 0 {
				var br gpsync.BookResult
				json.Unmarshal(res[0].Result, &br)
				p.push(t, writer.Token, newOp(t, 5000+i, gpsync.OpCancelAppointment, gpsync.CancelAppointmentPayload{AppointmentID: br.AppointmentID, PatientID: patients[i%len(patients)]}))
			}
		}
	}()
	replica := map[string]string{}
	apply := func(cs []gpsync.Change) {
		for _, c := range cs {
			key := fmt.Sprintf("%s/%d", c.Entity, c.ID)
			if c.Deleted {
				delete(replica, key)
			} else {
				replica[key] = string(c.Data)
			}
		}
	}
	cursor, lastSeq := int64(0), int64(0)
	pull := func() bool {
		r := p.do(t, "GET", fmt.Sprintf("/v1/changes?after=%d&limit=37", cursor), reader.Token, nil)
		if r.status != 200 {
			t.Fatalf("changes: %d %s", r.status, r.body)
		}
		var page gpsync.ChangesResponse
		if err := json.Unmarshal(r.body, &page); err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Changes {
			if c.Seq <= lastSeq {
				t.Fatalf("change %d came after %d: repeated or out of order", c.Seq, lastSeq)
			}
			lastSeq = c.Seq
		}
		apply(page.Changes)
		cursor = page.Cursor
		return page.More
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		pull()
	}
	for pull() {
	}
	fresh := map[string]string{}
	for _, c := range p.pullAll(t, writer.Token, 1000) {
		key := fmt.Sprintf("%s/%d", c.Entity, c.ID)
		if c.Deleted {
			delete(fresh, key)
		} else {
			fresh[key] = string(c.Data)
		}
	}
	if len(fresh) != len(replica) {
		t.Fatalf("paged replica has %d rows, a fresh pull %d", len(replica), len(fresh))
	}
	for k, v := range fresh {
		if replica[k] != v {
			t.Fatalf("%s differs:\npaged %s\nfresh %s", k, replica[k], v)
		}
	}
}

func TestCheckInEndpoint(t *testing.T) {
	p := newPractice(t)
	k := p.enrol(t, "kiosk")
	d := p.enrol(t, "desktop")
	body := gpsync.CheckInRequest{DateOfBirth: "1950-01-01", Sex: "female", SurnameInitial: "Q"}
	if r := p.do(t, "POST", "/v1/checkin", d.Token, body); r.status != 403 || r.code(t) != "wrong_role" {
		t.Fatalf("desktop check-in: %d %s", r.status, r.body)
	}
	r := p.do(t, "POST", "/v1/checkin", k.Token, body)
	var got gpsync.CheckInResponse
	if err := json.Unmarshal(r.body, &got); r.status != 200 || err != nil || got.CheckedIn || !strings.Contains(got.Message, "see reception") {
		t.Fatalf("no match: %d %s", r.status, r.body)
	}
	r = p.do(t, "POST", "/v1/checkin", k.Token, gpsync.CheckInRequest{DateOfBirth: "1950-02-30", Sex: "female", SurnameInitial: "Q"})
	if err := json.Unmarshal(r.body, &got); r.status != 200 || err != nil || got.CheckedIn || !strings.Contains(got.Message, "does not exist") {
		t.Fatalf("impossible date: %d %s", r.status, r.body)
	}
	if r := p.do(t, "POST", "/v1/checkin", k.Token, `{"dateOfBirth": 1950}`); r.status != 400 {
		t.Fatalf("wrong type: %d", r.status)
	}
}

// A kiosk's booking carries the code printed on the slip; scanning the slip
// on arrival checks the patient in, once, inside the window.
func TestCheckInBySlipCode(t *testing.T) {
	p := newPractice(t)
	k := p.enrol(t, "kiosk")
	patient := p.kioskPts[0]
	slot := freeKioskSlot(t, p, patient)
	code, err := store.NewCheckInCode()
	if err != nil {
		t.Fatal(err)
	}
	res := p.push(t, k.Token, newOp(t, 1, gpsync.OpBook, gpsync.BookPayload{SlotID: slot, PatientID: patient, CheckInCode: code}))[0]
	if res.Status != gpsync.OpApplied {
		t.Fatalf("book: %+v", res)
	}
	appts, _ := p.st.Appointments(context.Background(), patient, store.StatusBooked)
	if len(appts) != 1 {
		t.Fatalf("%d appointments", len(appts))
	}
	checkIn := func(body any) (int, gpsync.CheckInResponse) {
		t.Helper()
		r := p.do(t, "POST", "/v1/checkin", k.Token, body)
		var got gpsync.CheckInResponse
		if r.status == 200 {
			if err := json.Unmarshal(r.body, &got); err != nil {
				t.Fatal(err)
			}
		}
		return r.status, got
	}
	// Too early: see reception.
	if st, got := checkIn(gpsync.CheckInRequest{Code: code}); st != 200 || got.CheckedIn {
		t.Fatalf("early: %d %+v", st, got)
	}
	p.now.Store(appts[0].Slot.StartsAt.Add(-10 * time.Minute).Unix())
	if st, _ := checkIn(gpsync.CheckInRequest{Code: code, Sex: "female"}); st != 400 {
		t.Fatalf("code and details together: %d", st)
	}
	other, _ := store.NewCheckInCode()
	for _, bad := range []string{other, "garbage", strings.ToLower(code)} {
		if st, got := checkIn(gpsync.CheckInRequest{Code: bad}); st != 200 || got.CheckedIn || !strings.Contains(got.Message, "see reception") {
			t.Fatalf("code %q: %d %+v", bad, st, got)
		}
	}
	st, got := checkIn(gpsync.CheckInRequest{Code: code})
	if st != 200 || !got.CheckedIn || !got.StartsAt.Equal(appts[0].Slot.StartsAt) || got.Clinician == "" {
		t.Fatalf("in window: %d %+v", st, got)
	}
	if st, got := checkIn(gpsync.CheckInRequest{Code: code}); st != 200 || got.CheckedIn {
		t.Fatalf("second scan: %d %+v", st, got)
	}
	// A malformed code in a booking is refused as a bad request, before
	// anything is applied.
	r := p.do(t, "POST", "/v1/ops", k.Token, gpsync.PushRequest{Ops: []gpsync.Op{
		newOp(t, 2, gpsync.OpBook, gpsync.BookPayload{SlotID: freeKioskSlot(t, p, patient, slot), PatientID: patient, CheckInCode: "short"})}})
	if r.status != 400 {
		t.Fatalf("malformed code in a booking: %d %s", r.status, r.body)
	}
}
