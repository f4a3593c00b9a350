package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSmokePracticeBookingLesson runs `gpkiosk --practice` full screen
// under Xvfb on a 1024x768 screen, as on a library laptop with nothing
// else installed, and takes the booking lesson the way a helper and
// learner would: tick the lesson on the helper's view, start it, and
// press the panel's Show me (Next step on a step that is only words)
// until it is done. It saves a screenshot of every step and checks that
// the lesson finished and that practice mode never made --data.
func TestSmokePracticeBookingLesson(t *testing.T) {
	for _, tool := range []string{"Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed: run `make deps` first", tool)
		}
	}
	dir := t.TempDir()
	appBin := goBuild(t, dir, "gpkiosk/cmd/gpkiosk")
	display := startXvfbSized(t, dir, "1024x768x24")
	xenv := []string{"DISPLAY=" + display}
	data := filepath.Join(dir, "data-never-opened")
	app := startProcess(t, dir, "gpkiosk", append(xenv, "LANG=en_GB.UTF-8", "HOME="+filepath.Join(dir, "home")), appBin,
		"--practice", "--fullscreen=true", "--data", data)
	waitForWindow(t, xenv, "GP Kiosk")

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
		path := filepath.Join(shots, fmt.Sprintf("%02d-%s.png", step, name))
		runTool(t, 30*time.Second, xenv, "import", "-window", "root", path)
		if to := os.Getenv("GPKIOSK_ARTIFACTS"); to != "" {
			copyFile(t, path, filepath.Join(to, "practice-"+filepath.Base(path)))
		}
	}
	click := func(x, y int) {
		runTool(t, 10*time.Second, xenv, "xdotool", "mousemove", fmt.Sprint(x), fmt.Sprint(y), "click", "1")
	}

	shoot("helper")
	click(400, 338) // "Booking an appointment" on the helper's view
	click(330, 581) // "Start the lessons"
	shoot("lesson-start")
	// Show me sits at the same place as Next step: the panel's first
	// button, at the foot of the screen on the right.
	done := func() bool { return strings.Contains(app.output(), "practice lesson finished") }
	for i := 0; i < 12 && !done(); i++ {
		click(660, 722)
		time.Sleep(2 * time.Second) // Show me taps once a second
		shoot(fmt.Sprintf("step-%d", i+1))
	}
	if !done() || !strings.Contains(app.output(), "lesson=book") {
		t.Fatalf("the booking lesson did not finish; see the screenshots in %s\n%s", shots, app.output())
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("practice mode made or opened --data (%v)", err)
	}
	t.Logf("screenshots in %s", shots)
}
