package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
	"gpkiosk/sync/server"
)

// The crash tests re-run this test binary as a child process, either a
// device syncing its replica or a practice server, and kill it with
// SIGKILL at random moments.
const (
	envClientChild = "GPKIOSK_E2E_CLIENT_CHILD" // replica file
	envServerChild = "GPKIOSK_E2E_SERVER_CHILD" // database file
	envListen      = "GPKIOSK_E2E_LISTEN"
	envNow         = "GPKIOSK_E2E_NOW" // the shared fixed clock, Unix seconds
)

func TestMain(m *testing.M) {
	switch {
	case os.Getenv(envClientChild) != "":
		os.Exit(clientChild(os.Getenv(envClientChild)))
	case os.Getenv(envServerChild) != "":
		os.Exit(serverChild(os.Getenv(envServerChild), os.Getenv(envListen)))
	}
	os.Exit(m.Run())
}

func fixedClock() func() time.Time {
	n, _ := strconv.ParseInt(os.Getenv(envNow), 10, 64)
	return func() time.Time { return time.Unix(n, 0).UTC() }
}

// clientChild syncs until the outbox is empty, as a device would.
func clientChild(path string) int {
	ctx := context.Background()
	rep, err := replica.Open(ctx, path, replica.WithClock(fixedClock()))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	en, err := rep.Enrolment(ctx)
	if err != nil {
		return 2
	}
	c, err := client.New(en.ServerURL, client.WithToken(en.Token), client.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		return 2
	}
	r := client.NewRunner(c, rep, client.RunnerOptions{PushBatch: 7, PageSize: 50, Clock: fixedClock(),
		Backoff: client.NewBackoff(time.Millisecond, 5*time.Millisecond, nil)})
	for {
		err := r.SyncNow(ctx)
		if n, _ := rep.PendingCount(ctx); err == nil && n == 0 {
			return 0
		}
	}
}

func serverChild(path, listen string) int {
	ctx := context.Background()
	st, err := store.Open(ctx, path, store.WithClock(fixedClock()))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	srv := &http.Server{Addr: listen, Handler: server.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)),
		server.WithClock(fixedClock()), server.WithRateLimits(1e6, 1e6, 1e6, 1e6))}
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	return 1
}

func child(t *testing.T, env ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

func kill(cmd *exec.Cmd) {
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
}

// checkDrained proves nothing was lost or applied twice: the server
// audited each queued view once, in the order queued, and holds each
// booking once.
func checkDrained(t *testing.T, e *env, views int, bookings []int64) {
	t.Helper()
	db := e.db(t)
	checkViewsInOrder(t, db, views)
	for _, slot := range bookings {
		if n := count(t, db, "SELECT count(*) FROM appointments WHERE slot_id = ?", slot); n != 1 {
			t.Fatalf("slot %d has %d appointments, want 1", slot, n)
		}
	}
}

func TestDeviceKilledMidSyncConverges(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 150)
	d := e.newDevice(t, gpsync.RoleDesktop)
	syncUntilDrained(t, d)
	reception := signInDemoStaff(t, d, "reception")
	free, err := e.st.FreeSlots(ctx, e.kioskPts[0], store.ChannelReception, surgeryStart, 14)
	if err != nil {
		t.Fatal(err)
	}
	reports, next := 0, 0
	var booked []int64
	queue := func(n int) {
		for range n {
			queueView(t, d.rep, reception, reports)
			reports++
			if reports%4 == 0 {
				slot := free[next].ID
				next++
				if _, err := d.rep.BookFor(ctx, reception, e.kioskPts[reports%len(e.kioskPts)], slot); err != nil {
					t.Fatalf("book: %v", err)
				}
				booked = append(booked, slot)
			}
		}
	}
	queue(200)
	rng := rand.New(rand.NewPCG(3, 3))
	for run := range 20 {
		cmd := child(t, envClientChild+"="+d.path, envNow+"="+strconv.FormatInt(e.now.Load(), 10))
		time.Sleep(time.Duration(rng.IntN(150)) * time.Millisecond)
		kill(cmd)
		queue(5) // the device is used between crashes too
		_ = run
	}
	syncUntilDrained(t, d)
	checkDrained(t, e, reports, booked)
	// The replica has caught up with the server's feed.
	var head int64
	if err := e.db(t).QueryRow("SELECT max(seq) FROM changes").Scan(&head); err != nil {
		t.Fatal(err)
	}
	if cur, err := d.rep.Cursor(ctx); err != nil || cur != head {
		t.Fatalf("replica cursor %d, server head %d (%v)", cur, head, err)
	}
	appts := 0
	for _, p := range e.kioskPts {
		as, err := d.rep.Appointments(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			if a.State != replica.StateConfirmed {
				t.Fatalf("appointment %+v still %v after sync", a.Ref, a.State)
			}
		}
		appts += len(as)
	}
	if appts != len(booked) {
		t.Fatalf("replica shows %d appointments, the device booked %d", appts, len(booked))
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServerKilledMidSyncConverges(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 150)
	addr := freeAddr(t)
	en := e.enrol(t, gpsync.RoleDesktop)
	en.ServerURL = "http://" + addr
	path := filepath.Join(e.dir, "desk.db")
	rep, err := replica.Open(ctx, path, replica.WithClock(e.clock))
	if err != nil {
		t.Fatal(err)
	}
	defer rep.Close()
	if err := rep.SaveEnrolment(ctx, en); err != nil {
		t.Fatal(err)
	}
	d := &device{id: en.DeviceID, path: path, rep: rep, runner: e.runner(t, rep, en)}
	// The in-process server is not used: the child server owns the file.
	e.srv.Close()
	startServer := func() *exec.Cmd {
		cmd := child(t, envServerChild+"="+e.st.Path(), envListen+"="+addr, envNow+"="+strconv.FormatInt(e.now.Load(), 10))
		deadline := time.Now().Add(30 * time.Second)
		for {
			if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
				resp.Body.Close()
				return cmd
			}
			if time.Now().After(deadline) {
				kill(cmd)
				t.Fatal("server child did not start")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	// The desktop needs its staff accounts before anyone can sign in.
	first := startServer()
	syncUntilDrained(t, d)
	kill(first)
	reception := signInDemoStaff(t, d, "reception")
	reports := 0
	queue := func(n int) {
		for range n {
			queueView(t, rep, reception, reports)
			reports++
		}
	}
	queue(300)
	rng := rand.New(rand.NewPCG(5, 5))
	for range 20 {
		srv := startServer()
		done := make(chan struct{})
		go func() {
			defer close(done)
			for range 50 {
				if d.runner.SyncNow(ctx) != nil {
					return
				}
			}
		}()
		time.Sleep(time.Duration(5+rng.IntN(120)) * time.Millisecond)
		kill(srv)
		<-done
		queue(5)
	}
	srv := startServer()
	syncUntilDrained(t, d)
	kill(srv)
	checkDrained(t, e, reports, nil)
	if err := e.st.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.VerifyAuditChain(ctx); err != nil {
		t.Fatal(err)
	}
}
