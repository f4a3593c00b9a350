package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
	"gpkiosk/sync/server"
)

// selfSigned writes a certificate and key for 127.0.0.1, as a practice
// might make for its own server.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "practice server"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

func runAdmin(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errs bytes.Buffer
	code := admin(args[0], args[1:], strings.NewReader(""), &out, &errs)
	return code, out.String(), errs.String()
}

// The manager sets the kiosk PIN from standard input; a weak one is
// refused and the old one stays.
func TestKioskPINCommand(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "practice.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetupPractice(ctx, store.Practice{ODSCode: "Y99999", Name: "PIN Surgery"}, store.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	set := func(input string) (int, string) {
		var out, errs bytes.Buffer
		code := admin("kiosk-pin", []string{"--db", db}, strings.NewReader(input), &out, &errs)
		return code, out.String() + errs.String()
	}
	if code, msg := set("90210731\n"); code != 0 || !strings.Contains(msg, "Kiosk PIN set") {
		t.Fatalf("set: %d %s", code, msg)
	}
	if code, msg := set("123456\n"); code == 0 || !strings.Contains(msg, "too easy to guess") {
		t.Fatalf("weak PIN: %d %s", code, msg)
	}
	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	events, err := st.AuditEvents(ctx, "practice", 1)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Action == "settings.kiosk_exit_pin" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d PIN changes audited, want 1", n)
	}
}

// The practice manager enrols a kiosk over TLS with a pinned self-signed
// certificate, sees it listed, and revokes it.
func TestEnrolOverPinnedTLSThenRevoke(t *testing.T) {
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
	certFile, keyFile := selfSigned(t, dir)
	addr := freeAddr(t)
	serverURL := "https://" + addr

	code, out, errs := runAdmin(t, "enrol", "--db", db, "--role", "kiosk", "--name", "Waiting room", "--server", serverURL, "--cert", certFile)
	if code != 0 {
		t.Fatalf("enrol: %d %s", code, errs)
	}
	line := regexp.MustCompile(`Enrolment string: (\S+)`).FindStringSubmatch(out)
	if line == nil {
		t.Fatalf("no enrolment string in %q", out)
	}
	en, err := gpsync.ParseEnrolment(line[1])
	if err != nil || en.Server != serverURL || en.Pin == "" {
		t.Fatalf("enrolment string %q: %+v %v", line[1], en, err)
	}

	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- serve(serveCtx, config{db: db, listen: addr, tlsCert: certFile, tlsKey: keyFile, demoPatients: 1, demoWeeks: 1},
			slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	defer func() { stop(); <-done }()

	c, err := client.New(en.Server, client.WithPinnedCert(en.Pin))
	if err != nil {
		t.Fatal(err)
	}
	var got gpsync.EnrolResponse
	waitFor(t, func() bool {
		got, err = c.Enrol(ctx, gpsync.EnrolRequest{Code: en.Code, DeviceName: "Waiting room"})
		return err == nil || !errors.Is(err, client.ErrUnreachable)
	})
	if err != nil || got.Role != "kiosk" || got.Practice.Name != "TLS Surgery" {
		t.Fatalf("enrol over pinned TLS: %+v %v", got, err)
	}
	// Without the pin, the self-signed certificate is refused.
	plain, _ := client.New(en.Server)
	if _, err := plain.PracticeInfo(ctx); err == nil {
		t.Fatal("an unpinned client trusted a self-signed certificate")
	}

	deviceLine := func() string {
		t.Helper()
		code, out, _ := runAdmin(t, "devices", "--db", db)
		if code != 0 {
			t.Fatalf("devices: %d %q", code, out)
		}
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, got.DeviceID) {
				return l
			}
		}
		t.Fatalf("devices does not list %s: %q", got.DeviceID, out)
		return ""
	}
	if l := deviceLine(); !strings.Contains(l, "Waiting room") || !strings.HasSuffix(strings.TrimSpace(l), "active") || strings.Contains(l, "revoked") {
		t.Fatalf("an enrolled device listed as %q, want active", l)
	}
	authed, err := client.New(en.Server, client.WithPinnedCert(en.Pin), client.WithToken(got.Token))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := authed.Changes(ctx, 0, 10); err != nil {
		t.Fatalf("changes before revoking: %v", err)
	}
	if code, _, errs := runAdmin(t, "revoke", "--db", db, "--device", got.DeviceID); code != 0 {
		t.Fatalf("revoke: %s", errs)
	}
	if _, err := authed.Changes(ctx, 0, 10); !client.IsRevoked(err) {
		t.Fatalf("changes after revoking: %v", err)
	}
	if l := deviceLine(); !strings.Contains(l, "revoked 20") || strings.HasSuffix(strings.TrimSpace(l), "active") {
		t.Fatalf("a revoked device listed as %q", l)
	}
	if code, _, errs := runAdmin(t, "revoke", "--db", db, "--device", got.DeviceID); code == 0 || errs == "" {
		t.Fatal("revoking twice said nothing")
	}
}

func TestAdminRefusals(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runAdmin(t, "devices", "--db", filepath.Join(dir, "missing.db")); code == 0 || !strings.Contains(errs, "cannot open") {
		t.Fatalf("missing database: %d %q", code, errs)
	}
	db := filepath.Join(dir, "p.db")
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if code, _, errs := runAdmin(t, "enrol", "--db", db, "--role", "toaster"); code == 0 || !strings.Contains(errs, "kiosk or a desktop") {
		t.Fatalf("bad role: %d %q", code, errs)
	}
	if code, _, errs := runAdmin(t, "enrol", "--db", db, "--role", "kiosk", "--server", "ftp://x"); code == 0 || errs == "" {
		t.Fatalf("bad server: %d %q", code, errs)
	}
}

// The manager adds a receptionist with a password read from standard
// input, lists, disables and re-enables them and changes the password;
// bad input changes nothing and says why.
func TestStaffCommands(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "practice.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetupPractice(ctx, store.Practice{ODSCode: "Y99999", Name: "Staff Surgery"}, store.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	staff := func(input string, args ...string) (int, string) {
		var out, errs bytes.Buffer
		code := admin("staff "+args[0], append([]string{"--db", db}, args[1:]...), strings.NewReader(input), &out, &errs)
		return code, out.String() + errs.String()
	}
	if code, msg := staff("front-desk-2026\n", "add", "--username", "r.jones", "--name", "Rhian Jones", "--role", "receptionist"); code != 0 || !strings.Contains(msg, "r.jones added") {
		t.Fatalf("add: %d %s", code, msg)
	}
	for _, bad := range []struct {
		input string
		args  []string
		want  string
	}{
		{"short\n", []string{"add", "--username", "other", "--name", "O", "--role", "manager"}, "at least 12 characters"},
		{"a-long-password\n", []string{"add", "--username", "r.jones", "--name", "R", "--role", "manager"}, "already in use"},
		{"a-long-password\n", []string{"add", "--username", "Bad Name", "--name", "R", "--role", "manager"}, "lower-case"},
		{"a-long-password\n", []string{"add", "--username", "other", "--name", "O", "--role", "doctor"}, "receptionist, a clinician or a manager"},
		{"", []string{"disable", "--username", "nobody"}, "No member of staff"},
		{"123456\n", []string{"password", "--username", "r.jones"}, "A PIN is not enough"},
	} {
		if code, msg := staff(bad.input, bad.args...); code == 0 || !strings.Contains(msg, bad.want) {
			t.Errorf("%v: %d %s, want %q", bad.args, code, msg, bad.want)
		}
	}
	if code, msg := staff("", "disable", "--username", "r.jones"); code != 0 || !strings.Contains(msg, "disabled") {
		t.Fatalf("disable: %d %s", code, msg)
	}
	if code, msg := staff("", "list"); code != 0 || !regexp.MustCompile(`r\.jones\s+Rhian Jones\s+receptionist\s+set\s+disabled`).MatchString(msg) || strings.Contains(msg, "other") {
		t.Fatalf("list: %d %s", code, msg)
	}
	if code, msg := staff("", "enable", "--username", "r.jones"); code != 0 {
		t.Fatalf("enable: %d %s", code, msg)
	}
	if code, msg := staff("new-desk-password\n", "password", "--username", "r.jones"); code != 0 || strings.Contains(msg, "new-desk-password") {
		t.Fatalf("password: %d %s", code, msg)
	}
	if code, msg := staff("", "list"); code != 0 || !regexp.MustCompile(`r\.jones\s+Rhian Jones\s+receptionist\s+set\s+active`).MatchString(msg) {
		t.Fatalf("list after enable: %d %s", code, msg)
	}
	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	members, err := st.StaffMembers(ctx)
	if err != nil || len(members) != 1 {
		t.Fatalf("staff %+v %v", members, err)
	}
	var actions []string
	events, _ := st.AuditEvents(ctx, "staff", members[0].ID)
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "staff.add,staff.disable,staff.enable,staff.password" {
		t.Fatalf("audited %v", actions)
	}
	if _, err := st.VerifyAuditChain(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestStaffCommandNeedsASubcommand(t *testing.T) {
	if code := run([]string{"staff", "remove"}); code != 2 {
		t.Fatalf("staff remove: exit %d", code)
	}
}

// The practice manager lets clinicians handle the inbox, and takes it
// back; anything but on or off is refused and changes nothing.
func TestInboxForClinicians(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "practice.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetupPractice(ctx, store.Practice{ODSCode: "Y99999", Name: "Inbox Surgery"}, store.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	inbox := func(arg string) (int, string) {
		var out, errs bytes.Buffer
		code := admin("inbox", []string{"--db", db, arg}, strings.NewReader(""), &out, &errs)
		return code, out.String() + errs.String()
	}
	allowed := func() bool {
		t.Helper()
		st, err := store.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		s, err := st.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s.CliniciansHandleAlerts
	}
	if code, msg := inbox("--clinicians=on"); code != 0 || !strings.Contains(msg, "clinicians") || !allowed() {
		t.Fatalf("on: %d %s", code, msg)
	}
	if code, msg := inbox("--clinicians=maybe"); code != 2 || !strings.Contains(msg, "--clinicians=on") || !allowed() {
		t.Fatalf("maybe: %d %s", code, msg)
	}
	if code, msg := inbox("--clinicians=off"); code != 0 || allowed() {
		t.Fatalf("off: %d %s", code, msg)
	}
}

// The practice manager lists the anonymous lesson counts per lesson, month
// and device, for a range of days; a day that is not a date is refused.
func TestLessonsCommand(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "practice.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetupPractice(ctx, store.Practice{ODSCode: "Y99999", Name: "Lesson Surgery"}, store.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	enrol := func(role, name string) store.Device {
		code, err := st.NewEnrolmentCode(ctx, store.Actor{Name: "manager:test", Device: "test"}, role, name, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		dev, _, err := st.Enrol(ctx, code, name)
		if err != nil {
			t.Fatal(err)
		}
		return dev
	}
	kiosk, laptop := enrol("kiosk", "Waiting room kiosk"), enrol("desktop", "Library laptop")
	today := store.DateOf(st.Now(), st.Location())
	earlier := today.AddDays(-40) // always another month
	n := 0
	for _, c := range []struct {
		dev    store.Device
		lesson string
		day    store.Date
	}{
		{kiosk, "book", today}, {kiosk, "book", today}, {laptop, "book", today}, {kiosk, "nhs-app", earlier},
	} {
		n++
		raw, _ := json.Marshal(gpsync.CountLessonPayload{Lesson: c.lesson, Day: c.day.String()})
		res, err := server.ApplyOp(ctx, st, c.dev, gpsync.Op{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", n), Kind: gpsync.OpCountLesson,
			CreatedAt: st.Now(), Payload: raw})
		if err != nil || res.Status != gpsync.OpApplied {
			t.Fatalf("count: %+v %v", res, err)
		}
	}
	st.Close()

	this, before := today.String()[:7], earlier.String()[:7]
	code, out, errs := runAdmin(t, "lessons", "--db", db)
	if code != 0 {
		t.Fatalf("lessons: %d %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for i, want := range []string{
		`^LESSON\s+MONTH\s+DEVICE\s+COUNT$`,
		`^book\s+` + this + `\s+Library laptop\s+1$`,
		`^book\s+` + this + `\s+Waiting room kiosk\s+2$`,
		`^nhs-app\s+` + before + `\s+Waiting room kiosk\s+1$`,
	} {
		if i >= len(lines) || !regexp.MustCompile(want).MatchString(lines[i]) {
			t.Fatalf("line %d of\n%s\ndoes not match %s", i, out, want)
		}
	}
	if len(lines) != 4 {
		t.Fatalf("lessons printed\n%s", out)
	}
	if code, out, errs := runAdmin(t, "lessons", "--db", db, "--from", today.AddDays(-1).String(), "--to", today.String()); code != 0 ||
		strings.Contains(out, "nhs-app") || !regexp.MustCompile(`(?m)^book\s+`+this+`\s+Waiting room kiosk\s+2$`).MatchString(out) {
		t.Fatalf("lessons from yesterday: %d %q %s", code, out, errs)
	}
	if code, out, errs := runAdmin(t, "lessons", "--db", db, "--to", earlier.String()); code != 0 || strings.Contains(out, "book") || !strings.Contains(out, "nhs-app") {
		t.Fatalf("lessons to the earlier day: %d %q %s", code, out, errs)
	}
	if code, _, errs := runAdmin(t, "lessons", "--db", db, "--from", "2026-02-30"); code != 2 || !strings.Contains(errs, "--from") || !strings.Contains(errs, "does not exist") {
		t.Fatalf("bad --from: %d %q", code, errs)
	}
	if code, _, errs := runAdmin(t, "lessons", "--db", db, "--from", today.String(), "--to", earlier.String()); code != 1 || !strings.Contains(errs, "must not be after") {
		t.Fatalf("--from after --to: %d %q", code, errs)
	}
}
