package setup_test

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
	"gpkiosk/sync/server"
	"gpkiosk/ui/setup"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
	"gpkiosk/ui/widgets"
)

// tlsPractice is a real practice server (sync/server over a real SQLite
// store) on 127.0.0.1 serving HTTPS with its own self-signed certificate,
// as `practice-server --tls` does.
type tlsPractice struct {
	st  *store.Store
	srv *httptest.Server
}

func newTLSPractice(t *testing.T) *tlsPractice {
	t.Helper()
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "practice.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SetupPractice(t.Context(), store.Practice{ODSCode: "Y99999", Name: practiceName}, store.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(server.New(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{selfSignedCert(t)}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return &tlsPractice{st: st, srv: srv}
}

func (p *tlsPractice) url() string { return "https://" + p.srv.Listener.Addr().String() }

func (p *tlsPractice) pin() string {
	return fmt.Sprintf("sha256:%x", sha256.Sum256(p.srv.Certificate().Raw))
}

func (p *tlsPractice) code(t *testing.T, role string) string {
	t.Helper()
	code, err := p.st.NewEnrolmentCode(t.Context(), store.Actor{Name: "manager:test", Device: "server"}, role, "Set-up test", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func (p *tlsPractice) enrolmentString(t *testing.T, role string) string {
	t.Helper()
	return gpsync.Enrolment{Server: p.url(), Code: p.code(t, role), Pin: p.pin()}.String()
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

// device is the set-up screen of an unenrolled device with a real replica
// file, enrolling the way the app does: client.EnrolDevice, then
// SaveEnrolment.
type device struct {
	*harness
	screen   *setup.Screen
	rep      *replica.Replica
	enrolled atomic.Int32 // OnEnrolled calls
	// ui holds the screen's UI changes from its goroutines; waitFor runs
	// them on the test's goroutine, in step with the test's own taps.
	ui chan func()
}

// startDevice opens the screen with the device started against startedAt
// (the app's --server).
func startDevice(t *testing.T, startedAt string) *device {
	t.Helper()
	test.NewTempApp(t).Settings().SetTheme(uitheme.New())
	rep, err := replica.Open(t.Context(), filepath.Join(t.TempDir(), "device.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rep.Close() })
	c, err := client.New(startedAt, client.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	d := &device{harness: &harness{t: t, addr: startedAt, states: make(chan setup.State, 16)}, rep: rep, ui: make(chan func(), 16)}
	d.screen = setup.New(t.Context(), setup.Config{
		Source:        c,
		ServerAddress: startedAt,
		OnState:       func(st setup.State) { d.states <- st },
		Enrol: func(ctx context.Context, e gpsync.Enrolment) error {
			en, err := client.EnrolDevice(ctx, e, "set-up test", client.WithTimeout(5*time.Second))
			if err != nil {
				return err
			}
			if err := rep.SaveEnrolment(ctx, en); err != nil {
				return fmt.Errorf("%w: %w", setup.ErrNotSaved, err)
			}
			return nil
		},
		OnEnrolled: func() { d.enrolled.Add(1) },
		Do:         func(f func()) { d.ui <- f },
	})
	d.win = test.NewTempWindow(t, d.screen.Content())
	d.win.Resize(fyne.NewSize(1024, 768))
	d.screen.Start()
	return d
}

// waitFor runs the screen's UI changes until it reports state want.
func (d *device) waitFor(want setup.State) {
	d.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case f := <-d.ui:
			f()
		case got := <-d.states:
			if got == want {
				return
			}
		case <-deadline:
			d.t.Fatalf("screen never showed %q; it shows %q", want, d.visibleText())
		}
	}
}

// scan types s into the focused set-up entry and presses Enter, as a
// keyboard-wedge scanner does; nothing clears the entry first.
func (d *device) scan(s string) {
	d.t.Helper()
	entry := d.screen.Entry()
	if d.win.Canvas().Focused() != entry {
		d.win.Canvas().Focus(entry)
	}
	test.Type(entry, s)
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func (d *device) enrolment() (replica.Enrolment, error) {
	return d.rep.Enrolment(context.Background())
}

// A kiosk scans the set-up QR code: the device enrols over TLS pinned to
// the practice server's own certificate, keeps the pin, and moves on.
func TestScanningTheSetUpQRCodeEnrolsWithThePin(t *testing.T) {
	p := newTLSPractice(t)
	// Started against the server without a pin: its certificate cannot be
	// checked yet, which is not a fault but a reason to scan.
	d := startDevice(t, p.url())
	d.waitFor(setup.StateNotSetUp)
	d.assertShows(text.T(text.SetupNotSetUp), text.T(text.SetupScanFirst), text.T(text.SetupScanPrompt))
	d.assertHides(text.T(text.SetupServerFault), text.T(text.SetupTryAgain))
	if b := d.button(text.T(text.SetupButton)); b == nil || b.Size().Height < setup.MinButtonHeight {
		t.Fatalf("set-up button %v, want one at least %dpx high", b, setup.MinButtonHeight)
	}

	d.scan(p.enrolmentString(t, gpsync.RoleKiosk))
	d.waitFor(setup.StateEnrolled)
	d.assertShows(text.T(text.SetupDone))
	if n := d.enrolled.Load(); n != 1 {
		t.Fatalf("OnEnrolled called %d times, want once", n)
	}
	en, err := d.enrolment()
	if err != nil || en.CertPin != p.pin() || en.ServerURL != p.url() || en.Role != gpsync.RoleKiosk {
		t.Fatalf("saved enrolment %+v, %v; want the pin %s", en, err, p.pin())
	}
	if got := d.screen.Entry().Text; got != "" {
		t.Errorf("the used code is still on screen: %q", got)
	}
}

// A scan while nothing has focus reaches the screen through the app's
// scanner input, as on a kiosk where nobody has touched the entry.
func TestScanWithNothingFocusedEnrols(t *testing.T) {
	p := newTLSPractice(t)
	d := startDevice(t, p.url())
	d.waitFor(setup.StateNotSetUp)
	widgets.NewScannerInput(d.screen.Submit).Attach(d.win.Canvas())
	d.win.Canvas().Unfocus()
	test.TypeOnCanvas(d.win.Canvas(), p.enrolmentString(t, gpsync.RoleDesktop))
	d.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	d.waitFor(setup.StateEnrolled)
	if en, err := d.enrolment(); err != nil || en.CertPin != p.pin() || en.Role != gpsync.RoleDesktop {
		t.Fatalf("saved enrolment %+v, %v", en, err)
	}
}

// Bad set-up codes are explained in plain English; what was scanned stays
// on screen, the device stays unenrolled, and a good code still works
// afterwards.
func TestBadSetUpCodesAreExplainedAndLoseNothing(t *testing.T) {
	p := newTLSPractice(t)
	d := startDevice(t, p.url())
	d.waitFor(setup.StateNotSetUp)

	good := gpsync.Enrolment{Server: p.url(), Code: p.code(t, gpsync.RoleKiosk), Pin: p.pin()}
	damagedPin := good
	damagedPin.Pin = good.Pin[:len(good.Pin)-3] + "xyz"
	otherPin := good
	otherPin.Pin = fmt.Sprintf("sha256:%x", sha256.Sum256([]byte("another certificate")))
	used := p.enrolmentString(t, gpsync.RoleKiosk)
	if _, err := client.EnrolDevice(t.Context(), mustRead(t, used), "elsewhere"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, scanned string
		want          text.Key
	}{
		{"damaged pin", damagedPin.String(), text.SetupPinDamaged},
		{"pin with http", strings.Replace(good.String(), "https%3A", "http%3A", 1), text.SetupPinWithoutTLS},
		{"a book's barcode", "9780141036144", text.SetupBadCode},
		{"a scanner set to the wrong keyboard", "gpkiosk/enrol>v1_server)https%3A%2F%2F127.0.0.1", text.SetupBadCode},
		{"half a scan", good.String()[:30], text.SetupBadCode},
		{"another app's QR code", "https://example.com/menu?table=4", text.SetupBadCode},
		{"another certificate", otherPin.String(), text.SetupWrongServer},
		{"a code already used", used, text.SetupCodeRefused},
		{"a code alone, for a server with its own certificate", good.Code, text.SetupUntrusted},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d.t = t
			d.scan(tt.scanned)
			d.waitFor(setup.StateEnrolFailed)
			d.assertShows(text.T(tt.want))
			if got := d.screen.Entry().Text; got != tt.scanned {
				t.Errorf("the entry holds %q after the refusal, want what was scanned, %q", got, tt.scanned)
			}
			if _, err := d.enrolment(); !errors.Is(err, replica.ErrNotEnrolled) {
				t.Errorf("after a refused code the device has enrolment %v", err)
			}
		})
	}
	d.t = t
	if n := d.enrolled.Load(); n != 0 {
		t.Fatalf("OnEnrolled called %d times for refused codes", n)
	}
	// Nothing refused used the good code up.
	d.scan(good.String())
	d.waitFor(setup.StateEnrolled)
	d.assertHides(text.T(text.SetupWrongServer), text.T(text.SetupUntrusted))
	if en, err := d.enrolment(); err != nil || en.CertPin != p.pin() {
		t.Fatalf("saved enrolment %+v, %v", en, err)
	}
}

// A device on this machine's loopback may enrol over plain http with the
// code alone, typed, and keeps no pin.
func TestTypedCodeOverLoopbackHTTP(t *testing.T) {
	p := newTLSPractice(t)
	plain := httptest.NewServer(server.New(p.st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(plain.Close)
	d := startDevice(t, plain.URL)
	d.waitFor(setup.StateNotSetUp)
	d.assertShows(practiceName, text.T(text.SetupScanPrompt))
	d.scan(strings.ToLower(p.code(t, gpsync.RoleKiosk)))
	d.waitFor(setup.StateEnrolled)
	if en, err := d.enrolment(); err != nil || en.CertPin != "" || en.ServerURL != plain.URL {
		t.Fatalf("saved enrolment %+v, %v", en, err)
	}
}

// Without Enrol (a screen that cannot enrol) nothing asks for a code.
func TestNoEnrolNoCodeEntry(t *testing.T) {
	srv := httptest.NewServer(practiceHandler(nil))
	t.Cleanup(srv.Close)
	h := start(t, srv.Listener.Addr().String())
	h.waitFor(setup.StateNotSetUp)
	h.assertHides(text.T(text.SetupScanPrompt), text.T(text.SetupButton))
}

func mustRead(t *testing.T, s string) gpsync.Enrolment {
	t.Helper()
	e, err := gpsync.ParseEnrolment(s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
