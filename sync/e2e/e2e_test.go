package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/demo"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
	"gpkiosk/sync/internal/faultproxy"
	"gpkiosk/sync/server"
)

// env is a practice server on 127.0.0.1 over a real SQLite file, with a
// fault proxy in front of it, and a clock shared by the server and devices.
type env struct {
	t        testing.TB
	st       *store.Store
	srv      *httptest.Server
	proxy    *faultproxy.Proxy
	now      *atomic.Int64
	kioskPts []int64
	dobs     map[int64]store.Date
	dir      string
}

var surgeryStart = store.Date{Year: 2026, Month: time.June, Day: 8}

func (e *env) clock() time.Time { return time.Unix(e.now.Load(), 0).UTC() }

func newEnv(t testing.TB, patients int) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, now: &atomic.Int64{}, dobs: map[int64]store.Date{}, dir: t.TempDir()}
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	e.now.Store(surgeryStart.At(7, 30, loc).Unix())
	st, err := store.Open(ctx, filepath.Join(e.dir, "practice.db"), store.WithClock(e.clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e.st = st
	if _, err := demo.Generate(ctx, st, demo.Options{Seed: 1, Patients: patients, Weeks: 2, Start: surgeryStart}); err != nil {
		t.Fatal(err)
	}
	e.registerKioskPatients(t, 4)
	e.srv = httptest.NewServer(server.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)),
		server.WithClock(e.clock), server.WithRateLimits(1e6, 1e6, 1e6, 1e6)))
	t.Cleanup(e.srv.Close)
	e.proxy, err = faultproxy.New(e.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.proxy.Close() })
	return e
}

func (e *env) db(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+e.st.Path()+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t testing.TB, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// registerKioskPatients registers n adults for kiosk use.
func (e *env) registerKioskPatients(t testing.TB, n int) {
	t.Helper()
	ctx := context.Background()
	db := e.db(t)
	rows, err := db.Query("SELECT id, date_of_birth FROM patients WHERE date_of_birth < '1990-01-01' ORDER BY id LIMIT ?", n)
	if err != nil {
		t.Fatal(err)
	}
	type pt struct {
		id  int64
		dob string
	}
	var pts []pt
	for rows.Next() {
		var p pt
		if err := rows.Scan(&p.id, &p.dob); err != nil {
			t.Fatal(err)
		}
		pts = append(pts, p)
	}
	rows.Close()
	err = e.st.Load(ctx, func(l *store.Loader) error {
		for _, p := range pts {
			dob, err := store.ParseDate(p.dob)
			if err != nil {
				return err
			}
			if _, err := l.AddRegistration(store.NewRegistration{PatientID: p.id, VerificationMethod: "photo_id_and_address",
				VerifiedAt: e.clock(), CoercionConsidered: true, ServiceAppointments: true, ServicePrescriptions: true,
				RecordAccess: "none", KioskEnabled: true, AccountID: fmt.Sprintf("E2E-%06d", p.id), LinkageKeyHash: "x"}); err != nil {
				return err
			}
			e.kioskPts = append(e.kioskPts, p.id)
			e.dobs[p.id] = dob
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// device is an enrolled kiosk or desktop: its replica file, a client that
// talks through the fault proxy, and a runner.
type device struct {
	id     string
	path   string
	rep    *replica.Replica
	runner *client.Runner
}

func (e *env) enrol(t testing.TB, role string) replica.Enrolment {
	t.Helper()
	ctx := context.Background()
	code, err := e.st.NewEnrolmentCode(ctx, store.Actor{Name: "manager:test", Device: "test"}, role, role, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Enrol(ctx, gpsync.EnrolRequest{Code: code, DeviceName: role})
	if err != nil {
		t.Fatal(err)
	}
	return replica.Enrolment{DeviceID: got.DeviceID, Role: got.Role, Token: got.Token, ServerURL: e.proxy.URL()}
}

func (e *env) newDevice(t testing.TB, role string) *device {
	t.Helper()
	en := e.enrol(t, role)
	path := filepath.Join(e.dir, en.DeviceID+".db")
	rep, err := replica.Open(context.Background(), path, replica.WithClock(e.clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rep.Close() })
	if err := rep.SaveEnrolment(context.Background(), en); err != nil {
		t.Fatal(err)
	}
	return &device{id: en.DeviceID, path: path, rep: rep, runner: e.runner(t, rep, en)}
}

func (e *env) runner(t testing.TB, rep *replica.Replica, en replica.Enrolment) *client.Runner {
	t.Helper()
	c, err := client.New(en.ServerURL, client.WithToken(en.Token), client.WithTimeout(5*time.Second),
		client.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		t.Fatal(err)
	}
	return client.NewRunner(c, rep, client.RunnerOptions{Clock: e.clock, Backoff: client.NewBackoff(time.Millisecond, 10*time.Millisecond, nil)})
}

// syncUntilDrained syncs until nothing is pending, tolerating the faults a
// test injects, and fails after many attempts.
func syncUntilDrained(t testing.TB, d *device) {
	t.Helper()
	ctx := context.Background()
	var last error
	for range 200 {
		last = d.runner.SyncNow(ctx)
		n, err := d.rep.PendingCount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if last == nil && n == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("outbox never drained: %v", last)
}

// A thousand actions taken during an outage all reach the server after it,
// in order, each exactly once, even when responses are cut off part way so
// the device must resend ops the server already applied.
func TestThousandOpsQueuedOfflineDrainInOrder(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 200)
	d := e.newDevice(t, gpsync.RoleDesktop)
	syncUntilDrained(t, d)
	reception := signInDemoStaff(t, d, "reception")

	e.proxy.Drop()
	for i := range 1000 {
		queueView(t, d.rep, reception, i)
	}
	if err := d.runner.SyncNow(ctx); err == nil {
		t.Fatal("sync succeeded with the network down")
	}
	if st := d.runner.Status(); st.Online || st.Pending != 1000 {
		t.Fatalf("status during the outage: %+v", st)
	}
	e.proxy.Restore()
	// Every answer longer than 2 KB is cut off: the server applies a batch
	// but the device never hears, and sends it again.
	e.proxy.ResetAfter(2048)
	for range 3 {
		d.runner.SyncNow(ctx)
	}
	e.proxy.ResetAfter(0)
	syncUntilDrained(t, d)

	db := e.db(t)
	checkViewsInOrder(t, db, 1000)
	if n := count(t, db, "SELECT count(*) FROM applied_ops"); n != 1000 {
		t.Fatalf("%d ops recorded, want 1000", n)
	}
	if st := d.runner.Status(); !st.Online || st.Pending != 0 || st.NeedsAttention != 0 {
		t.Fatalf("status after draining: %+v", st)
	}
	if e.proxy.Stats().Resets == 0 {
		t.Fatal("no response was cut off; the replay path was not exercised")
	}
}

// Two kiosks offline book the same slot: after reconnection exactly one
// appointment exists and the other kiosk has an item needing attention. A
// slot leased to a kiosk is firm when booked offline, and reception cannot
// take it meanwhile.
func TestTwoKiosksOfflineBookTheSameSlot(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 200)
	a := e.newDevice(t, gpsync.RoleKiosk)
	b := e.newDevice(t, gpsync.RoleKiosk)
	desk := e.newDevice(t, gpsync.RoleDesktop)
	for _, d := range []*device{a, b, desk} {
		syncUntilDrained(t, d)
	}
	pa, pb := e.kioskPts[0], e.kioskPts[1]

	// A slot neither kiosk holds.
	leases, err := e.st.Leases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	held := map[int64]string{}
	for _, l := range leases {
		held[l.SlotID] = l.DeviceID
	}
	free, err := a.rep.FreeSlots(ctx, pa, e.dobs[pa], surgeryStart, 7)
	if err != nil {
		t.Fatal(err)
	}
	var shared, leasedToA int64
	for _, s := range free {
		switch held[s.ID] {
		case "":
			if shared == 0 {
				shared = s.ID
			}
		case a.id:
			if leasedToA == 0 {
				leasedToA = s.ID
			}
		}
	}
	if shared == 0 || leasedToA == 0 {
		t.Fatalf("need a shared slot and one leased to kiosk A (shared %d, leased %d)", shared, leasedToA)
	}

	e.signIn(t, a, pa)
	e.signIn(t, b, pb)
	e.proxy.Drop()
	ba, err := a.rep.Book(ctx, pa, shared, e.dobs[pa])
	if err != nil {
		t.Fatal(err)
	}
	bb, err := b.rep.Book(ctx, pb, shared, e.dobs[pb])
	if err != nil {
		t.Fatal(err)
	}
	if ba.State != replica.StateProvisional || bb.State != replica.StateProvisional {
		t.Fatalf("offline bookings of an unleased slot: %v and %v, want provisional", ba.State, bb.State)
	}
	e.signIn(t, a, e.kioskPts[2])
	firm, err := a.rep.Book(ctx, e.kioskPts[2], leasedToA, e.dobs[e.kioskPts[2]])
	if err != nil {
		t.Fatal(err)
	}
	if firm.State != replica.StateFirm {
		t.Fatalf("offline booking of a leased slot: %v, want firm", firm.State)
	}
	// Reception, still connected to the server, cannot take it.
	deskDev := store.Device{ID: desk.id, Role: store.DeviceDesktop}
	res, err := server.ApplyOp(ctx, e.st, deskDev, signAsStaff(t, desk, "reception", "reception-demo", gpsync.Op{ID: "11111111-2222-4333-8444-555555555555",
		Kind: gpsync.OpBook, CreatedAt: e.clock(), Payload: []byte(fmt.Sprintf(`{"slotId":%d,"patientId":%d}`, leasedToA, e.kioskPts[3]))}))
	if err != nil || res.Status != gpsync.OpRejected || res.Reason != "slot_held" {
		t.Fatalf("reception booking a leased slot: %+v %v", res, err)
	}

	e.proxy.Restore()
	syncUntilDrained(t, a)
	syncUntilDrained(t, b)

	db := e.db(t)
	for _, slot := range []int64{shared, leasedToA} {
		if n := count(t, db, "SELECT count(*) FROM appointments WHERE slot_id = ? AND status <> 'cancelled'", slot); n != 1 {
			t.Fatalf("slot %d has %d live appointments, want 1", slot, n)
		}
	}
	if n := count(t, db, "SELECT count(*) FROM appointments WHERE slot_id = ? AND patient_id = ?", shared, pa); n != 1 {
		t.Fatal("the first kiosk to sync did not get the shared slot")
	}
	att, err := b.rep.Attention(ctx)
	if err != nil || len(att) != 1 || att[0].Reason != "slot_taken" || att[0].Message == "" {
		t.Fatalf("kiosk B attention items: %+v %v", att, err)
	}
	if st := b.runner.Status(); st.NeedsAttention != 1 {
		t.Fatalf("kiosk B status: %+v", st)
	}
	appts, err := b.rep.Appointments(ctx, pb)
	if err != nil {
		t.Fatal(err)
	}
	for _, ap := range appts {
		if ap.SlotID == shared {
			t.Fatal("kiosk B still shows the appointment it lost")
		}
	}
	if att, _ := a.rep.Attention(ctx); len(att) != 0 {
		t.Fatalf("kiosk A has attention items: %+v", att)
	}
}
