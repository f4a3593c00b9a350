package client_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/passhash"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
)

// sessionSigner signs manager requests with an online session, as a
// desktop does (replica.ManageSigner); signed counts the requests.
type sessionSigner struct {
	device  string
	staffID int64
	sess    gpsync.StaffSessionResponse
	key     []byte
	signed  atomic.Int64
	fail    error
}

func (s *sessionSigner) SignManage(method, pathAndQuery string, body []byte) (http.Header, error) {
	if s.fail != nil {
		return nil, s.fail
	}
	s.signed.Add(1)
	var n [18]byte
	rand.Read(n[:])
	nonce := base64.RawURLEncoding.EncodeToString(n[:])
	at := time.Now().UTC().Format(time.RFC3339Nano)
	h := http.Header{}
	h.Set(gpsync.HeaderStaffID, strconv.FormatInt(s.staffID, 10))
	h.Set(gpsync.HeaderStaffSession, s.sess.SessionID)
	h.Set(gpsync.HeaderSignedAt, at)
	h.Set(gpsync.HeaderNonce, nonce)
	h.Set(gpsync.HeaderProof, gpsync.EncodeProof(store.Sign(s.key, gpsync.ManageRequestInput(s.device, s.staffID, s.sess.SessionID, method, pathAndQuery, at, nonce, body))))
	return h, nil
}

// manageClient is a desktop's client to a real practice server, and a
// member of staff of role signed in online on it.
func manageClient(t *testing.T, role string, outbox *atomic.Int64) (*practice, *client.Client, *sessionSigner) {
	t.Helper()
	ctx := t.Context()
	p := newPractice(t)
	addr := p.serve(t, "", false)
	const pw = "a-long-enough-password"
	id, err := p.st.AddStaff(ctx, store.SystemActor(), store.NewStaff{Username: "someone", DisplayName: "Some One", Role: role, Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	if role != store.StaffManager {
		if _, err := p.st.AddStaff(ctx, store.SystemActor(), store.NewStaff{Username: "boss", DisplayName: "Boss", Role: store.StaffManager, Password: pw}); err != nil {
			t.Fatal(err)
		}
	}
	code, err := p.st.NewEnrolmentCode(ctx, store.SystemActor(), store.DeviceDesktop, "Office", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	anon, err := client.New("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	en, err := anon.Enrol(ctx, gpsync.EnrolRequest{Code: code})
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New("http://"+addr, client.WithToken(en.Token), client.WithAppVersion("1.4.2"),
		client.WithOutbox(func() int { return int(outbox.Load()) }))
	if err != nil {
		t.Fatal(err)
	}
	check, err := p.st.StaffSignInCheck(ctx, "someone")
	if err != nil {
		t.Fatal(err)
	}
	key, ok, err := passhash.DeriveChecked(check, pw)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	var n [18]byte
	rand.Read(n[:])
	req := gpsync.StaffSessionRequest{StaffID: id, At: time.Now().UTC(), Nonce: base64.RawURLEncoding.EncodeToString(n[:])}
	req.Proof = gpsync.EncodeProof(store.Sign(key, gpsync.StaffSignInInput(en.DeviceID, id, req.At, req.Nonce)))
	sess, err := c.StartStaffSession(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	sessKey, _ := gpsync.DecodeProof(sess.Key)
	return p, c, &sessionSigner{device: en.DeviceID, staffID: id, sess: sess, key: sessKey}
}

func TestManageClientSignsWhatTheServerChecks(t *testing.T) {
	ctx := context.Background()
	outbox := &atomic.Int64{}
	outbox.Store(12)
	p, c, s := manageClient(t, store.StaffManager, outbox)

	staff, err := c.StaffAccounts(ctx, s)
	if err != nil || len(staff) != 1 || staff[0].Username != "someone" {
		t.Fatalf("staff %+v %v", staff, err)
	}
	// Several parameters, sent in the order the client chose and signed.
	page, err := c.Audit(ctx, s, gpsync.AuditQuery{StaffUsername: "someone", Action: "staff.", From: "2020-01-01", Limit: 5})
	if err != nil || len(page.Entries) == 0 || page.Entries[0].Action != "staff.session.start" {
		t.Fatalf("audit %+v %v", page, err)
	}
	body, err := c.AuditCSV(ctx, s, gpsync.AuditQuery{Action: "staff.session.start"})
	if err != nil || strings.Count(string(body), "\n") != 2 {
		t.Fatalf("csv %q %v", body, err)
	}
	devices, err := c.Devices(ctx, s)
	if err != nil || len(devices) != 1 || devices[0].AppVersion != "1.4.2" || devices[0].OutboxWaiting != 12 {
		t.Fatalf("devices %+v %v", devices, err)
	}
	outbox.Store(0)
	if devices, _ = c.Devices(ctx, s); devices[0].OutboxWaiting != 0 {
		t.Fatalf("outbox after it drained: %d", devices[0].OutboxWaiting)
	}

	err = c.RenameDevice(ctx, s, devices[0].ID, "")
	var refused *client.RefusedError
	if !errors.As(err, &refused) || refused.Refusal().Message == "" || refused.Refusal().Code != string(store.ReasonInvalidInput) {
		t.Fatalf("an empty name: %v", err)
	}
	if err := c.RenameDevice(ctx, s, devices[0].ID, "Practice office"); err != nil {
		t.Fatal(err)
	}
	if client.IsRetryable(err) {
		t.Fatal("a refusal is not worth retrying")
	}

	// A signer that cannot sign sends nothing.
	before := p.requests.Load()
	s.fail = errors.New("no key")
	if _, err := c.StaffAccounts(ctx, s); err == nil || p.requests.Load() != before {
		t.Fatalf("unsigned request sent: %v", err)
	}
}

func TestManageClientNotAllowed(t *testing.T) {
	_, c, s := manageClient(t, store.StaffReceptionist, &atomic.Int64{})
	_, err := c.ManagedSettings(context.Background(), s)
	var no *client.NotAllowedError
	if !errors.As(err, &no) || no.Code != "manager_only" || no.Message != "Only the practice manager can do this." {
		t.Fatalf("receptionist: %v", err)
	}
	if client.IsRetryable(err) {
		t.Fatal("a 403 is not worth retrying")
	}
}

// An audit search by NHS number that cannot reach the server fails
// without the number in its error, which the desk logs.
func TestManageErrorKeepsTheQueryOutOfTheError(t *testing.T) {
	c, err := client.New("http://127.0.0.1:1", client.WithToken("a-token"), client.WithTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Audit(context.Background(), &sessionSigner{device: "dev", staffID: 1}, gpsync.AuditQuery{PatientNHSNumber: "9434765919"})
	if err == nil || !client.IsRetryable(err) {
		t.Fatalf("unreachable server: %v", err)
	}
	if strings.Contains(err.Error(), "9434765919") || strings.Contains(err.Error(), "patient=") {
		t.Errorf("the error names the search: %v", err)
	}
}
