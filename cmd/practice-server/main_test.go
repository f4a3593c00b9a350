package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// lockedBuffer collects log output written from the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
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

func TestServeDemoPracticeThenShutDownCleanly(t *testing.T) {
	dir := t.TempDir()
	cfg := config{db: filepath.Join(dir, "practice.db"), listen: freeAddr(t), demo: true, demoPatients: 200, demoWeeks: 2, demoSeed: 1}
	logs := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, slog.New(slog.NewTextHandler(logs, nil))) }()

	var info gpsync.PracticeInfo
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + cfg.listen + "/v1/practice")
		if err == nil {
			err = json.NewDecoder(resp.Body).Decode(&info)
			resp.Body.Close()
			if err == nil && resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server never answered: %v\n%s", err, logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(info.Name, "demo") {
		t.Errorf("practice %q does not say it is the demo", info.Name)
	}
	// The practice's records are for the server's own user only, WAL too.
	for _, f := range []string{cfg.db, cfg.db + "-wal", cfg.db + "-shm"} {
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want mode 0600", filepath.Base(f), fi.Mode(), err)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v\n%s", err, logs)
	}
	if !strings.Contains(logs.String(), "stopped cleanly") {
		t.Errorf("no clean-stop line in the log:\n%s", logs)
	}

	st, err := store.Open(context.Background(), cfg.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := st.VerifyAuditChain(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertNoPatientDataIn(t, cfg.db, logs.String())

	// A second start finds the practice and does not make another.
	logs2 := &lockedBuffer{}
	ctx2, cancel2 := context.WithCancel(context.Background())
	st.Close()
	go func() { done <- serve(ctx2, cfg, slog.New(slog.NewTextHandler(logs2, nil))) }()
	waitFor(t, func() bool { return strings.Contains(logs2.String(), "listening") })
	cancel2()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs2.String(), "already holds a practice") {
		t.Errorf("restart did not notice the existing practice:\n%s", logs2)
	}
}

// Stopping the server while it is still creating the demo practice leaves
// an empty database, and the next start creates the practice in full.
func TestStopDuringDemoCreationLeavesNothingHalfWritten(t *testing.T) {
	dir := t.TempDir()
	cfg := config{db: filepath.Join(dir, "practice.db"), listen: freeAddr(t), demo: true, demoPatients: 30000, demoWeeks: 8, demoSeed: 1}
	logs := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, slog.New(slog.NewTextHandler(logs, nil))) }()
	waitFor(t, func() bool { return strings.Contains(logs.String(), "creating the demo practice") })
	time.Sleep(50 * time.Millisecond)
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want the demo creation cancelled, got %v\n%s", err, logs)
	}
	st, err := store.Open(context.Background(), cfg.db)
	if err != nil {
		t.Fatal(err)
	}
	empty, err := st.IsEmpty(context.Background())
	st.Close()
	if err != nil || !empty {
		t.Fatalf("after an interrupted demo creation: empty=%v err=%v", empty, err)
	}
	db, err := sql.Open("sqlite", "file:"+cfg.db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows int
	if err := db.QueryRow("SELECT (SELECT count(*) FROM patients) + (SELECT count(*) FROM slots) + (SELECT count(*) FROM clinicians)").Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("%d rows left behind (%v)", rows, err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// assertNoPatientDataIn checks that no NHS number, surname or postcode of
// any patient in the database appears in the log.
func assertNoPatientDataIn(t *testing.T, dbPath, log string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT nhs_number, family_name, postcode FROM patients")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var nhs, family, postcode string
		if err := rows.Scan(&nhs, &family, &postcode); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{nhs, family, postcode} {
			if strings.Contains(log, s) {
				t.Fatalf("the log contains patient data %q", s)
			}
		}
		n++
	}
	if n == 0 {
		t.Fatal("no patients to check against")
	}
}

func TestFlags(t *testing.T) {
	for _, bad := range [][]string{{"--demo-patients", "0"}, {"--demo-weeks", "-1"}, {"extra"}, {"--no-such-flag"},
		{"--tls-cert", "server.pem"}, {"--tls-key", "server.key"}} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	c, err := parseFlags(nil)
	if err != nil || c.listen != "127.0.0.1:8400" || c.demo {
		t.Errorf("defaults %+v %v", c, err)
	}
	if c, err := parseFlags([]string{"--tls-cert", "server.pem", "--tls-key", "server.key"}); err != nil || c.tlsCert != "server.pem" || c.tlsKey != "server.key" {
		t.Errorf("a certificate with its key: %+v %v", c, err)
	}
}
