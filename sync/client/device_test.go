package client_test

import (
	"crypto/sha256"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
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
	"gpkiosk/sync/server"
)

// practice is a real practice server (sync/server over a real SQLite
// store) on 127.0.0.1, with TLS from its own self-signed certificate or
// without.
type practice struct {
	st  *store.Store
	srv *httptest.Server
	// requests counts the requests the current server handled.
	requests *atomic.Int64
}

func newPractice(t *testing.T) *practice {
	t.Helper()
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "practice.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SetupPractice(t.Context(), store.Practice{ODSCode: "Y99999", Name: "Pinned Surgery"}, store.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	return &practice{st: st}
}

// serve starts the server on addr ("" for any free port) with a new
// self-signed certificate when useTLS, and returns its address.
func (p *practice) serve(t *testing.T, addr string, useTLS bool) string {
	t.Helper()
	h := server.New(p.st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	requests := &atomic.Int64{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		h.ServeHTTP(w, r)
	}))
	// Refused handshakes are the point of some tests; keep them off stderr.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if addr != "" {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("listen on %s again: %v", addr, err)
		}
		srv.Listener.Close()
		srv.Listener = ln
	}
	if useTLS {
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{selfSignedCert(t)}}
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	p.srv, p.requests = srv, requests
	return srv.Listener.Addr().String()
}

// selfSignedCert is a new certificate of the kind a practice server makes
// for itself (server.NewSelfSignedCert).
func selfSignedCert(t *testing.T) tls.Certificate {
	t.Helper()
	certPEM, keyPEM, err := server.NewSelfSignedCert(nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func (p *practice) pin() string {
	return fmt.Sprintf("sha256:%x", sha256.Sum256(p.srv.Certificate().Raw))
}

func (p *practice) code(t *testing.T) string {
	t.Helper()
	code, err := p.st.NewEnrolmentCode(t.Context(), store.Actor{Name: "manager:test", Device: "server"}, gpsync.RoleKiosk, "Waiting room", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// enrolAndReopen enrols a device with what was scanned, saves it in a real
// replica file, and reads the enrolment back from a fresh open of that
// file, as the app does on its next start.
func enrolAndReopen(t *testing.T, scanned, defaultServer string) replica.Enrolment {
	t.Helper()
	ctx := t.Context()
	e, err := gpsync.ReadEnrolment(scanned, defaultServer)
	if err != nil {
		t.Fatalf("read %q: %v", scanned, err)
	}
	en, err := client.EnrolDevice(ctx, e, "kiosk-1", client.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatalf("enrol: %v", err)
	}
	path := filepath.Join(t.TempDir(), "device.db")
	rep, err := replica.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.SaveEnrolment(ctx, en); err != nil {
		t.Fatal(err)
	}
	rep.Close()
	rep, err = replica.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer rep.Close()
	saved, err := rep.Enrolment(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

// A device set up from the QR code's enrolment string keeps the pin and
// talks to its server; a server with another self-signed certificate on
// the same address (a replaced machine, or someone in between) is refused
// before the token is sent, with a reason a person can act on.
func TestDeviceEnrolledFromStringRefusesAnotherCertificate(t *testing.T) {
	p := newPractice(t)
	addr := p.serve(t, "", true)
	pin := p.pin()
	scanned := gpsync.Enrolment{Server: "https://" + addr, Code: p.code(t), Pin: pin}.String()

	// The address the app was started with is not used: the string names
	// its own server.
	en := enrolAndReopen(t, scanned, "http://127.0.0.1:1")
	if en.CertPin != pin || en.ServerURL != "https://"+addr || en.Token == "" {
		t.Fatalf("saved enrolment %+v, want the pin %s and server https://%s", en, pin, addr)
	}
	c, err := client.ForDevice(en, client.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Changes(t.Context(), 0, 10); err != nil {
		t.Fatalf("changes from the pinned server: %v", err)
	}

	// Another server with its own self-signed certificate takes the address.
	p.srv.Close()
	p.serve(t, addr, true)
	if p.pin() == pin {
		t.Fatal("the impostor has the same certificate")
	}
	c, err = client.ForDevice(en, client.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Changes(t.Context(), 0, 10)
	if !errors.Is(err, client.ErrCertMismatch) || client.IsRetryable(err) {
		t.Fatalf("changes from another certificate: %v, want ErrCertMismatch", err)
	}
	if !strings.Contains(err.Error(), "certificate is not the one this device was set up with") {
		t.Errorf("error %q does not say what is wrong", err)
	}
	if n := p.requests.Load(); n != 0 {
		t.Errorf("the other server was sent %d requests, want none: the token must not reach it", n)
	}
}

// A device set up over plain http on this machine's loopback, with the
// code alone, has no pin and keeps working.
func TestLoopbackDeviceWithoutPinKeepsWorking(t *testing.T) {
	p := newPractice(t)
	addr := p.serve(t, "", false)
	en := enrolAndReopen(t, p.code(t), "http://"+addr)
	if en.CertPin != "" || en.ServerURL != "http://"+addr {
		t.Fatalf("saved enrolment %+v, want no pin and server http://%s", en, addr)
	}
	c, err := client.ForDevice(en, client.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Changes(t.Context(), 0, 10); err != nil {
		t.Fatalf("changes over loopback http: %v", err)
	}
}

// With a pin, the one-time code is not sent to a server showing another
// certificate either: it stays usable for the real server.
func TestEnrolWithWrongPinSendsNoCode(t *testing.T) {
	p := newPractice(t)
	addr := p.serve(t, "", true)
	code := p.code(t)
	wrong := fmt.Sprintf("sha256:%x", sha256.Sum256([]byte("another certificate")))
	_, err := client.EnrolDevice(t.Context(), gpsync.Enrolment{Server: "https://" + addr, Code: code, Pin: wrong}, "kiosk-1")
	if !errors.Is(err, client.ErrCertMismatch) {
		t.Fatalf("enrol against the wrong pin: %v, want ErrCertMismatch", err)
	}
	if n := p.requests.Load(); n != 0 {
		t.Fatalf("the server was sent %d requests, want none", n)
	}
	en, err := client.EnrolDevice(t.Context(), gpsync.Enrolment{Server: "https://" + addr, Code: code, Pin: p.pin()}, "kiosk-1")
	if err != nil || en.CertPin != p.pin() {
		t.Fatalf("the code after a refused attempt: %+v, %v", en, err)
	}
}
