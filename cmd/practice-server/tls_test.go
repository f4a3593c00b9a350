package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"errors"
	"image/png"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
)

// The server makes its certificate once, with a key only its user can
// read, and reuses both on later starts: devices pin that certificate.
func TestSelfSignedCertificateMadeOnceAndReused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tls")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	certFile, keyFile, err := ensureSelfSigned(dir, []string{"192.0.2.7"}, log)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, keyFile: 0o600, certFile: 0o644} {
		info, err := os.Stat(path)
		if err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", path, info.Mode().Perm(), err, want)
		}
	}
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatalf("the certificate and key do not go together: %v", err)
	}
	cert := pair.Leaf
	if k, ok := cert.PublicKey.(*ecdsa.PublicKey); !ok || k.Curve != elliptic.P256() {
		t.Errorf("public key %T, want ECDSA P-256", cert.PublicKey)
	}
	host, _ := os.Hostname()
	for _, name := range []string{"localhost", host} {
		if !slices.Contains(cert.DNSNames, name) {
			t.Errorf("certificate names %v, want %q among them", cert.DNSNames, name)
		}
	}
	var ips []string
	for _, ip := range cert.IPAddresses {
		ips = append(ips, ip.String())
	}
	for _, ip := range []string{"127.0.0.1", "::1", "192.0.2.7"} {
		if !slices.Contains(ips, ip) {
			t.Errorf("certificate IP addresses %v, want %s among them", ips, ip)
		}
	}
	if cert.NotAfter.Before(time.Now().Add(10 * 365 * 24 * time.Hour)) {
		t.Errorf("certificate valid until %v: devices would have to be set up again too soon", cert.NotAfter)
	}
	before, _ := os.ReadFile(certFile)
	pin, err := certPin(certFile)
	if err != nil {
		t.Fatal(err)
	}

	// Later starts find the pair and keep it.
	for range 2 {
		if _, _, err := ensureSelfSigned(dir, nil, log); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := os.ReadFile(certFile)
	if !bytes.Equal(before, after) {
		t.Fatal("a later start replaced the certificate: every enrolled device would refuse the server")
	}
	if again, _ := certPin(certFile); again != pin {
		t.Fatalf("pin changed from %s to %s", pin, again)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}

	// Half a pair is refused, not quietly replaced.
	if err := os.Remove(keyFile); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ensureSelfSigned(dir, nil, log); err == nil || !strings.Contains(err.Error(), "only one of") {
		t.Fatalf("a certificate without its key: %v", err)
	}
	if after, _ := os.ReadFile(certFile); !bytes.Equal(before, after) {
		t.Fatal("the lone certificate was replaced")
	}
}

// The whole path: the server makes its certificate, `enrol --tls` prints
// an enrolment string (and its QR code) pinning it, a device set up from
// that string keeps the pin in its replica file and syncs; a server with
// another self-signed certificate on the same address is refused; the
// real server, restarted, has the same certificate and the device syncs
// again.
func TestEnrolmentStringPinsTheServersOwnCertificate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "practice.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetupPractice(ctx, store.Practice{ODSCode: "Y99999", Name: "TLS Surgery"}, store.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	tlsDir := filepath.Join(dir, "tls")
	addr := freeAddr(t)
	serverURL := "https://" + addr

	// Before the server has made its certificate there is nothing to pin,
	// and no code is used up.
	if code, _, errs := runAdmin(t, "enrol", "--db", db, "--role", "kiosk", "--server", serverURL, "--tls", tlsDir); code == 0 || !strings.Contains(errs, "start the server once with --tls") {
		t.Fatalf("enrol before the certificate exists: %d %q", code, errs)
	}

	start := func(tlsDir string) (stop func()) {
		t.Helper()
		serveCtx, cancel := context.WithCancel(ctx)
		logs := &lockedBuffer{}
		done := make(chan error, 1)
		go func() {
			done <- serve(serveCtx, config{db: db, listen: addr, tlsDir: tlsDir, demoPatients: 1, demoWeeks: 1},
				slog.New(slog.NewTextHandler(logs, nil)))
		}()
		waitFor(t, func() bool { return strings.Contains(logs.String(), "listening") })
		if !strings.Contains(logs.String(), "pin=sha256:") {
			t.Errorf("the server's log does not give its pin:\n%s", logs)
		}
		return func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v\n%s", err, logs)
			}
		}
	}
	stop := start(tlsDir)

	qrFile := filepath.Join(dir, "enrol.png")
	code, out, errs := runAdmin(t, "enrol", "--db", db, "--role", "kiosk", "--name", "Waiting room",
		"--server", serverURL, "--tls", tlsDir, "--qr", qrFile)
	if code != 0 {
		t.Fatalf("enrol: %d %s", code, errs)
	}
	line := regexp.MustCompile(`Enrolment string: (\S+)`).FindStringSubmatch(out)
	if line == nil {
		t.Fatalf("no enrolment string in %q", out)
	}
	printed := line[1]
	pin, err := certPin(filepath.Join(tlsDir, "server.crt"))
	if err != nil {
		t.Fatal(err)
	}
	if en, err := gpsync.ParseEnrolment(printed); err != nil || en.Server != serverURL || en.Pin != pin || en.String() != printed {
		t.Fatalf("enrolment string %q read back as %+v, %v; want server %s, pin %s", printed, en, err, serverURL, pin)
	}
	// The QR code, in the terminal and as a PNG only this user can read.
	if !strings.Contains(out, "█") || !strings.Contains(out, "Scan this") {
		t.Errorf("no QR code in the terminal:\n%s", out)
	}
	checkQRFile(t, qrFile, printed)

	// The device: set up from the string, its enrolment in a real replica.
	devicePath := filepath.Join(dir, "device.db")
	rep, err := replica.Open(ctx, devicePath)
	if err != nil {
		t.Fatal(err)
	}
	e, err := gpsync.ReadEnrolment(printed, "http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	en, err := client.EnrolDevice(ctx, e, "kiosk-1")
	if err == nil {
		err = rep.SaveEnrolment(ctx, en)
	}
	rep.Close()
	if err != nil || en.Role != gpsync.RoleKiosk {
		t.Fatalf("enrol from the printed string: %+v %v", en, err)
	}
	syncs := func() error {
		t.Helper()
		rep, err := replica.Open(ctx, devicePath)
		if err != nil {
			t.Fatal(err)
		}
		defer rep.Close()
		saved, err := rep.Enrolment(ctx)
		if err != nil || saved.CertPin != pin {
			t.Fatalf("saved enrolment %+v %v, want pin %s", saved, err, pin)
		}
		c, err := client.ForDevice(saved, client.WithTimeout(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Changes(ctx, 0, 10)
		return err
	}
	if err := syncs(); err != nil {
		t.Fatalf("sync with the pinned server: %v", err)
	}
	stop()

	// Another practice server, same address, its own certificate.
	stop = start(filepath.Join(dir, "impostor-tls"))
	err = syncs()
	if !errors.Is(err, client.ErrCertMismatch) || !strings.Contains(err.Error(), "not the one this device was set up with") {
		t.Fatalf("sync with another certificate: %v, want the certificate refused", err)
	}
	stop()

	// The real server again: same certificate, so the device syncs.
	stop = start(tlsDir)
	defer stop()
	if again, _ := certPin(filepath.Join(tlsDir, "server.crt")); again != pin {
		t.Fatalf("the restarted server's pin is %s, want %s", again, pin)
	}
	if err := syncs(); err != nil {
		t.Fatalf("sync after the server restarted: %v", err)
	}
}

// checkQRFile checks the PNG is readable by its user only and, where zbar
// is installed (make deps installs it), that it scans back to want.
func checkQRFile(t *testing.T, path, want string) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("QR code file: %v %v, want mode 0600", info, err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Fatalf("QR code file is not a PNG: %v", err)
	}
	if _, err := exec.LookPath("zbarimg"); err != nil {
		t.Log("zbarimg not installed: the QR code is not scanned back")
		return
	}
	got, err := exec.Command("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", path).Output()
	if err != nil || strings.TrimSpace(string(got)) != want {
		t.Fatalf("the QR code scans as %q (%v), want %q", got, err, want)
	}
}

func TestEnrolTLSFlagRefusals(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	tlsDir := filepath.Join(dir, "tls")
	if _, _, err := ensureSelfSigned(tlsDir, nil, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--tls", tlsDir}, "--server"},
		{[]string{"--cert", filepath.Join(tlsDir, "server.crt")}, "--server"},
		{[]string{"--qr", filepath.Join(dir, "x.png")}, "--server"},
		{[]string{"--server", "https://127.0.0.1:8400", "--tls", tlsDir, "--cert", filepath.Join(tlsDir, "server.crt")}, "not both"},
		{[]string{"--server", "http://127.0.0.1:8400", "--tls", tlsDir}, "https://"},
	} {
		args := append([]string{"enrol", "--db", db, "--role", "kiosk"}, tt.args...)
		code, out, errs := runAdmin(t, args...)
		if code == 0 || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: %d %q %q, want an error saying %q", tt.args, code, out, errs, tt.want)
		}
	}
	if code, _, _ := runAdmin(t, "enrol", "--db", db, "--role", "kiosk", "--server", "https://127.0.0.1:8400", "--tls", tlsDir); code != 0 {
		t.Fatal("good flags refused")
	}
}

func TestTLSFlags(t *testing.T) {
	if _, err := parseFlags([]string{"--tls", "dir", "--tls-cert", "a", "--tls-key", "b"}); err == nil {
		t.Error("--tls with --tls-cert accepted")
	}
	if c, err := parseFlags([]string{"--tls", "dir"}); err != nil || c.tlsDir != "dir" {
		t.Errorf("--tls dir: %+v %v", c, err)
	}
}
