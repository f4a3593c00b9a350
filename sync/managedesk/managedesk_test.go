package managedesk_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
	"gpkiosk/sync/internal/faultproxy"
	"gpkiosk/sync/managedesk"
	"gpkiosk/sync/server"
	"gpkiosk/sync/staffsignin"
)

// practice is a real store and server, reached through a fault proxy by
// one enrolled desktop with its replica, and a desk signed in as someone.
type practice struct {
	st      *store.Store
	proxy   *faultproxy.Proxy
	c       *client.Client
	rep     *replica.Replica
	now     *atomic.Int64
	online  staffsignin.Online
	staff   replica.StaffMember
	desk    *managedesk.Service
	desktop string // its device ID
}

func (p *practice) clock() time.Time { return time.Unix(p.now.Load(), 0).UTC() }

func newPractice(t *testing.T) *practice {
	t.Helper()
	ctx := context.Background()
	p := &practice{now: &atomic.Int64{}}
	p.now.Store(time.Date(2026, 6, 8, 8, 0, 0, 0, time.UTC).Unix())
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "practice.db"), store.WithClock(p.clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p.st = st
	if err := st.SetupPractice(ctx, store.Practice{ODSCode: "Y99999", Name: "Desk Surgery"}, store.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	for _, n := range []store.NewStaff{
		{Username: "boss", DisplayName: "The Boss", Role: store.StaffManager, Password: "manage-the-place"},
		{Username: "clerk", DisplayName: "A Clerk", Role: store.StaffReceptionist, Password: "front-desk-2026"},
	} {
		if _, err := st.AddStaff(ctx, store.SystemActor(), n); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(server.New(st, log, server.WithClock(p.clock)))
	t.Cleanup(srv.Close)
	if p.proxy, err = faultproxy.New(srv.Listener.Addr().String()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.proxy.Close() })
	code, err := st.NewEnrolmentCode(ctx, store.SystemActor(), store.DeviceDesktop, "Manager's office", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	anon, err := client.New(p.proxy.URL())
	if err != nil {
		t.Fatal(err)
	}
	en, err := anon.Enrol(ctx, gpsync.EnrolRequest{Code: code})
	if err != nil {
		t.Fatal(err)
	}
	p.desktop = en.DeviceID
	if p.rep, err = replica.Open(ctx, filepath.Join(dir, "desk.db"), replica.WithClock(p.clock)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.rep.Close() })
	enrolment := replica.Enrolment{DeviceID: en.DeviceID, Role: en.Role, Token: en.Token, ServerURL: p.proxy.URL()}
	if err := p.rep.SaveEnrolment(ctx, enrolment); err != nil {
		t.Fatal(err)
	}
	if p.c, err = client.ForDevice(enrolment, client.WithTimeout(2*time.Second), client.WithLogger(log),
		client.WithAppVersion("9.9.9"), client.WithOutbox(func() int { n, _ := p.rep.PendingCount(ctx); return n + 3 })); err != nil {
		t.Fatal(err)
	}
	if err := client.NewRunner(p.c, p.rep, client.RunnerOptions{Clock: p.clock, Logger: log}).SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	p.online = staffsignin.Online{Replica: p.rep, Server: p.c, Log: log, Wait: time.Second}
	p.desk = managedesk.New(p.c, p.rep, func() (replica.StaffMember, bool) { return p.staff, p.staff.ID != 0 }, p.clock)
	return p
}

func (p *practice) signIn(t *testing.T, username, password string) {
	t.Helper()
	m, err := p.online.StaffSignIn(context.Background(), username, password)
	if err != nil {
		t.Fatal(err)
	}
	p.staff = m
}

func TestManagerDeskLive(t *testing.T) {
	ctx := context.Background()
	p := newPractice(t)
	p.signIn(t, "boss", "manage-the-place")

	s, fresh, err := p.desk.Settings(ctx)
	if err != nil || !fresh.Live || !fresh.FetchedAt.Equal(p.clock()) || s.Settings.BookingWindowDays != store.DefaultSettings().BookingWindowDays {
		t.Fatalf("settings %+v %+v %v", s, fresh, err)
	}
	s.Settings.BookingWindowDays = 14
	s.NewKioskExitPIN = "582046"
	if err := p.desk.SaveSettings(ctx, s); err != nil {
		t.Fatal(err)
	}
	saved, fresh, err := p.desk.Settings(ctx)
	if err != nil || !fresh.Live || saved.Settings.BookingWindowDays != 14 || !saved.KioskExitPINSet {
		t.Fatalf("saved %+v %v", saved, err)
	}
	s.Settings.BookingWindowDays = 500
	var refused *client.RefusedError
	if err := p.desk.SaveSettings(ctx, s); !errors.As(err, &refused) || refused.Refusal().Message == "" {
		t.Fatalf("a window of 500 days: %v", err)
	}

	devices, fresh, err := p.desk.Devices(ctx)
	if err != nil || !fresh.Live || len(devices) != 1 || devices[0].Name != "Manager's office" || devices[0].AppVersion != "9.9.9" || devices[0].OutboxWaiting != 3 {
		t.Fatalf("devices %+v %v", devices, err)
	}
	code, err := p.desk.NewEnrolment(ctx, store.DeviceKiosk, "Hall kiosk")
	if err != nil || code.Code == "" {
		t.Fatalf("new code %+v %v", code, err)
	}
	kiosk, _, err := p.st.Enrol(ctx, code.Code, "")
	if err != nil || kiosk.Name != "Hall kiosk" {
		t.Fatalf("enrol with the desk's code: %+v %v", kiosk, err)
	}
	if err := p.desk.RenameDevice(ctx, kiosk.ID, "Waiting room kiosk"); err != nil {
		t.Fatal(err)
	}
	if err := p.desk.RevokeDevice(ctx, p.desktop); !errors.As(err, &refused) {
		t.Fatalf("revoking the desk itself: %v", err)
	}
	if err := p.desk.RevokeDevice(ctx, kiosk.ID); err != nil {
		t.Fatal(err)
	}

	if err := p.desk.AddStaff(ctx, gpsync.NewStaffRequest{Username: "nurse2", DisplayName: "Nurse Two", Role: store.StaffClinician, Password: "nurse-two-password"}); err != nil {
		t.Fatal(err)
	}
	off := false
	if err := p.desk.ChangeStaff(ctx, "nurse2", gpsync.StaffChange{Active: &off}); err != nil {
		t.Fatalf("disable: %v", err)
	}
	if err := p.desk.ChangeStaff(ctx, "boss", gpsync.StaffChange{Active: &off}); !errors.As(err, &refused) ||
		refused.Refusal().Message != "There must always be at least one practice manager who can sign in." {
		t.Fatalf("disable the last manager: %v", err)
	}
	staff, fresh, err := p.desk.Staff(ctx)
	if err != nil || !fresh.Live || len(staff) != 3 || staff[2].Username != "nurse2" || staff[2].Active {
		t.Fatalf("staff %+v %v", staff, err)
	}

	page, fresh, err := p.desk.Audit(ctx, gpsync.AuditQuery{StaffUsername: "boss", Action: "device."})
	if err != nil || !fresh.Live || len(page.Entries) != 3 {
		t.Fatalf("audit %+v %v", page, err)
	}
	csvBody, err := p.desk.AuditCSV(ctx, gpsync.AuditQuery{Action: "staff."})
	if err != nil || !strings.HasPrefix(string(csvBody), "seq,at,actor") || !strings.Contains(string(csvBody), "staff.disable") {
		t.Fatalf("csv %q %v", csvBody, err)
	}
	v, err := p.desk.VerifyAudit(ctx)
	if err != nil || !v.Holds || v.Checked == 0 {
		t.Fatalf("verify %+v %v", v, err)
	}
}

func TestReceptionistAtTheManagerDesk(t *testing.T) {
	p := newPractice(t)
	p.signIn(t, "clerk", "front-desk-2026")
	var no *client.NotAllowedError
	if _, _, err := p.desk.Staff(context.Background()); !errors.As(err, &no) || no.Message != "Only the practice manager can do this." {
		t.Fatalf("receptionist reads staff: %v", err)
	}
	if _, err := p.desk.NewEnrolment(context.Background(), store.DeviceKiosk, ""); !errors.As(err, &no) {
		t.Fatalf("receptionist makes a code: %v", err)
	}
}

func TestManagerDeskOffline(t *testing.T) {
	ctx := context.Background()
	p := newPractice(t)
	p.signIn(t, "boss", "manage-the-place")
	fetched := p.clock()
	q := gpsync.AuditQuery{Action: "staff."}
	settings, _, err := p.desk.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := p.desk.Staff(ctx); err != nil {
		t.Fatal(err)
	}
	livePage, _, err := p.desk.Audit(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := p.desk.Devices(ctx); err != nil {
		t.Fatal(err)
	}
	uptake, fresh, err := p.desk.Uptake(ctx, "2026-02", "2026-04")
	if err != nil || !fresh.Live || len(uptake.Months) != 3 || uptake.Months[0].Month != "2026-02" {
		t.Fatalf("uptake %+v %+v %v", uptake, fresh, err)
	}

	p.now.Add(600)
	p.proxy.Drop()
	s, fresh, err := p.desk.Settings(ctx)
	if err != nil || fresh.Live || !fresh.FetchedAt.Equal(fetched) || s.Settings != settings.Settings {
		t.Fatalf("offline settings %+v %+v %v", s, fresh, err)
	}
	staff, fresh, err := p.desk.Staff(ctx)
	if err != nil || fresh.Live || !fresh.FetchedAt.Equal(fetched) || len(staff) != 2 {
		t.Fatalf("offline staff %+v %+v %v", staff, fresh, err)
	}
	page, fresh, err := p.desk.Audit(ctx, q)
	if err != nil || fresh.Live || len(page.Entries) != len(livePage.Entries) || len(page.Entries) == 0 {
		t.Fatalf("offline audit %+v %v", page, err)
	}
	if _, _, err := p.desk.Audit(ctx, gpsync.AuditQuery{Action: "device."}); err == nil {
		t.Fatal("a new search answered offline")
	}
	if got, fresh, err := p.desk.Uptake(ctx, "2026-02", "2026-04"); err != nil || fresh.Live || len(got.Months) != 3 {
		t.Fatalf("offline uptake %+v %+v %v", got, fresh, err)
	}
	if _, _, err := p.desk.Uptake(ctx, "2026-01", "2026-05"); err == nil || !strings.Contains(err.Error(), "Only the last figures fetched at this desktop can be shown now: 2026-02 to 2026-04.") {
		t.Fatalf("a view never fetched: %v", err)
	}
	if _, err := p.desk.VerifyAudit(ctx); err == nil || !strings.Contains(err.Error(), "Checking the audit log needs the practice server") {
		t.Fatalf("verify offline: %v", err)
	}
	if _, err := p.desk.AuditCSV(ctx, q); err == nil || !strings.Contains(err.Error(), "Exporting the audit log needs the practice server") {
		t.Fatalf("export offline: %v", err)
	}
	on := true
	err = p.desk.ChangeStaff(ctx, "clerk", gpsync.StaffChange{Active: &on})
	var re *store.RuleError
	if !errors.As(err, &re) || re.Message != "Changes need the practice server, which cannot be reached now. Nothing was changed." {
		t.Fatalf("a change offline: %v", err)
	}
	if err := p.desk.RenameDevice(ctx, p.desktop, "Office"); !errors.As(err, &re) || re.Reason != managedesk.ReasonServerUnreachable {
		t.Fatalf("rename offline: %v", err)
	}

	// Signed in while the server could not be reached: reads show the
	// copies, changes say to sign in again.
	p.signIn(t, "boss", "manage-the-place")
	if id, _ := p.staff.Session(); id != "" {
		t.Fatal("a session with the network down")
	}
	p.proxy.Restore()
	if _, fresh, err := p.desk.Staff(ctx); err != nil || fresh.Live {
		t.Fatalf("offline sign-in reads: %+v %v", fresh, err)
	}
	err = p.desk.AddStaff(ctx, gpsync.NewStaffRequest{Username: "someone", DisplayName: "Some One", Role: "receptionist", Password: "someone-password"})
	if !errors.As(err, &re) || re.Message != "You signed in while the practice server could not be reached. Sign out and in again to make changes." {
		t.Fatalf("a change after signing in offline: %v", err)
	}
	if _, _, err := p.desk.Uptake(ctx, "2026-01", "2026-05"); err == nil || !strings.Contains(err.Error(), "2026-02 to 2026-04") {
		t.Fatalf("another range after signing in offline: %v", err)
	}
	members, err := p.st.StaffMembers(ctx)
	if err != nil || len(members) != 2 {
		t.Fatalf("something changed on the server: %+v %v", members, err)
	}
	if ds, err := p.st.Devices(ctx); err != nil || ds[0].Name != "Manager's office" {
		t.Fatalf("renamed while offline: %+v %v", ds, err)
	}
}
