package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestSmokeOnlyStaffCloseTheKiosk closes the real kiosk window the way a
// window manager does (WM_DELETE_WINDOW): the kiosk stays open and asks for
// the PIN; a wrong PIN keeps it open; the demo practice's PIN, typed on a
// keyboard, opens the staff menu, and "Close the kiosk" ends the app
// cleanly.
func TestSmokeOnlyStaffCloseTheKiosk(t *testing.T) {
	for _, tool := range []string{"Xvfb", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed: run `make deps` first", tool)
		}
	}
	dir := t.TempDir()
	serverBin := goBuild(t, dir, "gpkiosk/cmd/practice-server")
	appBin := goBuild(t, dir, "gpkiosk/cmd/gpkiosk")
	db := filepath.Join(dir, "practice.db")
	addr := freeAddr(t)
	server := startProcess(t, dir, "practice-server", nil, serverBin, "--db", db, "--listen", addr, "--demo", "--demo-patients", "20")
	waitHealthy(t, server, "http://"+addr+"/healthz")
	code := enrolKiosk(t, serverBin, db, "Staff smoke kiosk")

	display := startXvfb(t, dir)
	xenv := []string{"DISPLAY=" + display}
	app := startProcess(t, dir, "gpkiosk", append(xenv, "LANG=en_GB.UTF-8"), appBin, "--server", "http://"+addr,
		"--data", filepath.Join(dir, "kiosk"), "--enrol", code, "--fullscreen=false")
	win := waitForWindow(t, xenv, "GP Kiosk")
	waitFirstSync(t, app) // the PIN's verifier comes with the first sync

	x, err := dialX(display)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	id, err := strconv.ParseUint(win.id, 10, 32)
	if err != nil {
		t.Fatalf("window id %q: %v", win.id, err)
	}
	if err := x.askToClose(uint32(id)); err != nil {
		t.Fatal(err)
	}
	stillOpen := func(what string) {
		t.Helper()
		time.Sleep(2 * time.Second)
		if app.exited() {
			t.Fatalf("the kiosk closed %s:\n%s", what, app.output())
		}
	}
	stillOpen("when its window was asked to close")
	if d := os.Getenv("GPKIOSK_ARTIFACTS"); d != "" {
		runTool(t, 30*time.Second, xenv, "import", "-window", "root", filepath.Join(d, "staff-pin.png"))
	}
	pin := func(digits string) {
		runTool(t, 10*time.Second, xenv, "xdotool", "type", "--delay", "40", digits)
		runTool(t, 10*time.Second, xenv, "xdotool", "key", "Return")
	}
	pin("135790")
	stillOpen("with a wrong PIN")
	if d := os.Getenv("GPKIOSK_ARTIFACTS"); d != "" {
		runTool(t, 30*time.Second, xenv, "import", "-window", "root", filepath.Join(d, "staff-wrong.png"))
	}
	pin("246810") // the demo practice's PIN
	stillOpen("before Close was chosen")
	// The staff menu's first button is "Close the kiosk".
	runTool(t, 10*time.Second, xenv, "xdotool", "key", "--delay", "100", "Tab", "space")
	select {
	case <-app.done:
	case <-time.After(20 * time.Second):
		t.Fatalf("the kiosk did not close after the PIN and Close:\n%s", app.output())
	}
	if code := app.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("the kiosk exited with status %d:\n%s", code, app.output())
	}
}
