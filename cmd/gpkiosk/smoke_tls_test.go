package main

import (
	"crypto/tls"
	"database/sql"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// TestSmokeEnrolmentStringPinsTheServer runs the real practice server with
// the certificate it makes for itself (--tls) and the real app, given the
// enrolment string `practice-server enrol` printed (what the set-up QR code
// carries). The app enrols over TLS pinned to that certificate, keeps the
// pin with its enrolment and syncs; when a server with another self-signed
// certificate takes the address, the app refuses it, sends it nothing and
// says why. Before the app read enrolment strings, --enrol took a code
// alone and the app never kept a pin.
func TestSmokeEnrolmentStringPinsTheServer(t *testing.T) {
	for _, tool := range []string{"Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed: run `make deps` first", tool)
		}
	}
	dir := t.TempDir()
	serverBin := goBuild(t, dir, "gpkiosk/cmd/practice-server")
	appBin := goBuild(t, dir, "gpkiosk/cmd/gpkiosk")
	db := filepath.Join(dir, "practice.db")
	addr := freeAddr(t)
	serverURL := "https://" + addr
	tlsDir := filepath.Join(dir, "tls")
	server := startProcess(t, dir, "practice-server", nil, serverBin, "--db", db, "--listen", addr, "--tls", tlsDir, "--demo", "--demo-patients", "50")
	waitHealthyTLS(t, server, serverURL+"/healthz")

	out, err := exec.Command(serverBin, "enrol", "--db", db, "--role", "kiosk", "--name", "TLS smoke kiosk",
		"--server", serverURL, "--tls", tlsDir).CombinedOutput()
	if err != nil {
		t.Fatalf("enrol: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Enrolment string: (\S+)`).FindSubmatch(out)
	pin := regexp.MustCompile(`pin=(sha256%3A[0-9a-f]{64})`).FindSubmatch(out)
	if m == nil || pin == nil {
		t.Fatalf("no enrolment string with a pin in %q", out)
	}
	wantPin := strings.Replace(string(pin[1]), "%3A", ":", 1)

	display := startXvfb(t, dir)
	xenv := []string{"DISPLAY=" + display}
	deviceDir := filepath.Join(dir, "kiosk")
	// No --server: the enrolment string names the server.
	app := startProcess(t, dir, "gpkiosk", append(xenv, "LANG=en_GB.UTF-8"), appBin,
		"--data", deviceDir, "--enrol", string(m[1]), "--fullscreen=false")
	waitForWindow(t, xenv, "GP Kiosk")
	waitFirstSync(t, app)

	device, err := sql.Open("sqlite", "file:"+filepath.Join(deviceDir, "device.db")+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer device.Close()
	var serverSaved, pinSaved string
	if err := device.QueryRow("SELECT server_url, cert_pin FROM enrolment").Scan(&serverSaved, &pinSaved); err != nil {
		t.Fatal(err)
	}
	if serverSaved != serverURL || pinSaved != wantPin {
		t.Fatalf("the device keeps server %q and pin %q, want %q and %q", serverSaved, pinSaved, serverURL, wantPin)
	}
	shot := filepath.Join(dir, "kiosk-pinned.png")
	runTool(t, 30*time.Second, xenv, "import", "-window", "root", shot)
	if to := os.Getenv("GPKIOSK_ARTIFACTS"); to != "" {
		copyFile(t, shot, filepath.Join(to, filepath.Base(shot)))
	}

	// Another practice server, with a certificate of its own, takes the
	// address.
	server.stop()
	impostor := startProcess(t, dir, "impostor-server", nil, serverBin, "--db", db, "--listen", addr, "--tls", filepath.Join(dir, "impostor-tls"))
	waitHealthyTLS(t, impostor, serverURL+"/healthz")
	const refused = "certificate is not the one this device was set up with"
	deadline := time.Now().Add(3 * time.Minute)
	for !strings.Contains(app.output(), refused) {
		if app.exited() || time.Now().After(deadline) {
			t.Fatalf("the kiosk never refused the other certificate:\n%s", app.output())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if app.exited() {
		t.Fatalf("the kiosk exited on meeting another certificate:\n%s", app.output())
	}
	if strings.Contains(impostor.output(), "path=/v1/") {
		t.Errorf("the other server was sent the device's requests:\n%s", impostor.output())
	}
}

// waitHealthyTLS is waitHealthy for a server with a self-signed
// certificate; only the test's health probe skips the check.
func waitHealthyTLS(t testing.TB, server *process, url string) {
	t.Helper()
	hc := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // a probe, not a device
	}}
	defer hc.CloseIdleConnections()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if server.exited() {
			t.Fatalf("practice server exited before it was healthy:\n%s", server.output())
		}
		resp, err := hc.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("practice server not healthy at %s after 2 minutes:\n%s", url, server.output())
}
