package client_test

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"

	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
)

func pinOf(f *fakeServer) string {
	return fmt.Sprintf("sha256:%x", sha256.Sum256(f.srv.Certificate().Raw))
}

// A practice's self-signed certificate is trusted through its pin alone.
func TestPinnedCertAccepted(t *testing.T) {
	f := newFakeTLSServer(t)
	f.addChanges(2)
	pin := strings.ToUpper(pinOf(f)[len("sha256:"):]) // hex case must not matter
	c := newClient(t, f.URL(), client.WithPinnedCert("sha256:"+pin), client.WithToken(testToken))

	if _, err := c.Enrol(t.Context(), gpsync.EnrolRequest{Code: testEnrolCode, DeviceName: "Kiosk"}); err != nil {
		t.Fatalf("Enrol over pinned TLS: %v", err)
	}
	page, err := c.Changes(t.Context(), 0, 10)
	if err != nil || len(page.Changes) != 2 {
		t.Fatalf("Changes over pinned TLS = %+v, %v", page, err)
	}
}

// Any other certificate is refused during the handshake, so neither the
// enrolment code nor the token leaves the device.
func TestWrongPinSendsNothing(t *testing.T) {
	f := newFakeTLSServer(t)
	wrong := fmt.Sprintf("sha256:%x", sha256.Sum256([]byte("another certificate")))
	c := newClient(t, f.URL(), client.WithPinnedCert(wrong), client.WithToken(testToken))

	_, enrolErr := c.Enrol(t.Context(), gpsync.EnrolRequest{Code: testEnrolCode, DeviceName: "Kiosk"})
	_, changesErr := c.Changes(t.Context(), 0, 10)
	for name, err := range map[string]error{"Enrol": enrolErr, "Changes": changesErr} {
		if !errors.Is(err, client.ErrCertMismatch) {
			t.Errorf("%s error = %v, want ErrCertMismatch", name, err)
		}
		if errors.Is(err, client.ErrUnreachable) || client.IsRetryable(err) {
			t.Errorf("%s: certificate mismatch reported as an outage: %v", name, err)
		}
		if err != nil && !strings.Contains(err.Error(), "certificate is not the one this device was set up with") {
			t.Errorf("%s error %q does not say what is wrong", name, err)
		}
	}
	if n, _, _, _ := f.snapshot(); n != 0 {
		t.Errorf("server handled %d requests, want none", n)
	}
}

// Without a pin an https server needs a certificate the system trusts.
func TestUnpinnedSelfSignedRefused(t *testing.T) {
	f := newFakeTLSServer(t)
	_, err := newClient(t, f.URL(), client.WithToken(testToken)).Changes(t.Context(), 0, 10)
	if !errors.Is(err, client.ErrUntrustedCert) || client.IsRetryable(err) {
		t.Errorf("Changes error = %v, want ErrUntrustedCert", err)
	}
	if n, _, _, _ := f.snapshot(); n != 0 {
		t.Errorf("server handled %d requests, want none", n)
	}
}

func TestPinOptionChecked(t *testing.T) {
	good := "sha256:" + strings.Repeat("ab", 32)
	for _, tt := range []struct{ url, pin string }{
		{"http://127.0.0.1:8400", good}, // a pin without TLS would protect nothing
		{"https://127.0.0.1:8400", "ab" + strings.Repeat("ab", 32)},
		{"https://127.0.0.1:8400", "sha256:" + strings.Repeat("ab", 31)},
		{"https://127.0.0.1:8400", "sha256:" + strings.Repeat("zz", 32)},
		{"https://127.0.0.1:8400", "sha1:" + strings.Repeat("ab", 20)},
	} {
		if _, err := client.New(tt.url, client.WithPinnedCert(tt.pin)); err == nil {
			t.Errorf("New(%q, pin %q) succeeded, want an error", tt.url, tt.pin)
		}
	}
	if _, err := client.New("https://127.0.0.1:8400", client.WithPinnedCert(good)); err != nil {
		t.Errorf("New with a good pin: %v", err)
	}
}
