package main

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// TestSmokeKioskBooking runs the real server and the real app, enrolled as
// the kiosk, under Xvfb, and books an appointment the way a patient with a
// scanner would: keys to move (Tab, Space), the scanner typing the demo
// letter's account ID and Enter, the date of birth typed. It saves a
// screenshot of every screen and checks the booking reached the server.
func TestSmokeKioskBooking(t *testing.T) {
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
	server := startProcess(t, dir, "practice-server", nil, serverBin, "--db", db, "--listen", addr, "--demo", "--demo-patients", "50")
	waitHealthy(t, server, "http://"+addr+"/healthz")

	code := enrolKiosk(t, serverBin, db, "Smoke test kiosk")

	display := startXvfb(t, dir)
	xenv := []string{"DISPLAY=" + display}
	app := startProcess(t, dir, "gpkiosk", append(xenv, "LANG=en_GB.UTF-8"), appBin, "--server", "http://"+addr,
		"--data", filepath.Join(dir, "kiosk"), "--enrol", code, "--fullscreen=false")
	waitForWindow(t, xenv, "GP Kiosk")
	waitFirstSync(t, app)

	shots := filepath.Join(dir, "screens")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	step := 0
	shoot := func(name string) {
		t.Helper()
		step++
		time.Sleep(1500 * time.Millisecond)
		if app.exited() {
			t.Fatalf("gpkiosk exited before %s:\n%s", name, app.output())
		}
		path := filepath.Join(shots, filepath.Base(name)+".png")
		runTool(t, 30*time.Second, xenv, "import", "-window", "root", path)
		if to := os.Getenv("GPKIOSK_ARTIFACTS"); to != "" {
			copyFile(t, path, filepath.Join(to, "kiosk-"+filepath.Base(path)))
		}
	}
	keys := func(k ...string) {
		runTool(t, 10*time.Second, xenv, "xdotool", append([]string{"key", "--delay", "100"}, k...)...)
	}
	typ := func(s string) { runTool(t, 10*time.Second, xenv, "xdotool", "type", "--delay", "60", s) }

	shoot("01-welcome")
	keys("Tab", "Tab", "space") // Book an appointment
	shoot("02-sign-in")
	typ("DEMO-0001") // the scanner types the letter's account ID...
	keys("Return")   // ...and presses Enter
	shoot("03-date-of-birth")
	typ("15031946")
	shoot("04-what-for")
	keys("Tab", "space") // the first kind of appointment offered
	shoot("05-times")
	keys("Tab", "Tab", "Tab", "space") // past "Who with" and "Show another day" to the first time
	shoot("06-confirm")
	keys("Tab", "space") // Yes, book it
	shoot("07-booked")
	t.Logf("screenshots in %s", shots)

	conn, err := sql.Open("sqlite", "file:"+db+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var n int
		err := conn.QueryRow(`SELECT count(*) FROM appointments a JOIN online_registrations r ON r.patient_id = a.patient_id
			WHERE r.account_id = 'DEMO-0001' AND a.channel = 'kiosk' AND a.status = 'booked'`).Scan(&n)
		if err == nil && n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the kiosk booking never reached the server (%d, %v); see the screenshots in %s\n%s", n, err, shots, app.output())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// enrolKiosk asks the practice server's admin command for a one-time
// set-up code for a kiosk, as a practice manager would.
func enrolKiosk(t testing.TB, serverBin, db, name string) string {
	t.Helper()
	out, err := exec.Command(serverBin, "enrol", "--db", db, "--role", "kiosk", "--name", name).CombinedOutput()
	if err != nil {
		t.Fatalf("enrol: %v\n%s", err, out)
	}
	code := regexp.MustCompile(`Set-up code for a kiosk: (\S+)`).FindSubmatch(out)
	if code == nil {
		t.Fatalf("no code in %q", out)
	}
	return string(code[1])
}

// waitFirstSync waits until the app has logged its first pull from the
// server: the kiosk knows the letters only once it is in (slow under the
// race detector).
func waitFirstSync(t testing.TB, app *process) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for !strings.Contains(app.output(), "pulled changes") {
		if app.exited() || time.Now().After(deadline) {
			t.Fatalf("the kiosk never finished its first sync:\n%s", app.output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
