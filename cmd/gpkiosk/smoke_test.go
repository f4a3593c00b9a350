package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestSmokeFirstScreen runs the real practice server and the real app under
// Xvfb and takes a screenshot of the first screen, as a person would see it.
func TestSmokeFirstScreen(t *testing.T) {
	for _, tool := range []string{"Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed: run `make deps` first", tool)
		}
	}
	dir := t.TempDir()
	serverBin := goBuild(t, dir, "gpkiosk/cmd/practice-server")
	appBin := goBuild(t, dir, "gpkiosk/cmd/gpkiosk")

	serverAddr := freeAddr(t)
	serverURL := "http://" + serverAddr
	server := startProcess(t, dir, "practice-server", nil, serverBin,
		"--db", filepath.Join(dir, "practice.db"),
		"--listen", serverAddr,
		"--demo", "--demo-patients", "50")
	waitHealthy(t, server, serverURL+"/healthz")

	display := startXvfb(t, dir)
	xenv := []string{"DISPLAY=" + display}

	app := startProcess(t, dir, "gpkiosk", append(xenv, "LANG=en_GB.UTF-8"), appBin, "--server", serverURL, "--data", filepath.Join(dir, "device"))
	win := waitForWindow(t, xenv, "GP Kiosk")
	t.Logf("GP Kiosk window %s at %v", win.id, win.rect)

	// Give the app time to fetch the practice and draw it, then check it
	// has not crashed in the meantime.
	time.Sleep(3 * time.Second)
	if app.exited() {
		t.Fatalf("gpkiosk exited before the screenshot:\n%s", app.output())
	}

	shot := filepath.Join(dir, "gpkiosk-first-screen.png")
	runTool(t, 30*time.Second, xenv, "import", "-window", "root", shot)
	t.Logf("screenshot: %s", shot)
	if to := os.Getenv("GPKIOSK_ARTIFACTS"); to != "" {
		copyFile(t, shot, filepath.Join(to, filepath.Base(shot)))
		t.Logf("screenshot copied to %s", to)
	}

	// A window that never drew is one flat colour (black under Xvfb);
	// text on our theme's white background gives many shades of grey.
	n := distinctColours(t, shot, win.rect)
	t.Logf("%d distinct colours inside the window", n)
	if n < 32 {
		t.Errorf("window area has only %d distinct colours: the app drew nothing readable", n)
	}
	// Colours alone cannot tell the practice screen from "Cannot reach the
	// practice server"; the app logs a warning or error for every failure
	// it shows, so a clean log means the practice screen is up.
	if out := app.output(); strings.Contains(out, "level=WARN") || strings.Contains(out, "level=ERROR") {
		t.Errorf("gpkiosk reported a problem instead of showing the practice:\n%s", out)
	}
}

// goBuild builds pkg into dir with the same -race setting as this test, so
// the binaries share its build cache and race instrumentation.
func goBuild(t testing.TB, dir, pkg string) string {
	t.Helper()
	return goBuildWith(t, dir, pkg, raceEnabled)
}

// goBuildWith builds pkg into dir, with -race or without. The benchmarks
// build without it whatever this test binary is: the race detector
// multiplies a program's time and memory several times over.
func goBuildWith(t testing.TB, dir, pkg string, race bool) string {
	t.Helper()
	out := filepath.Join(dir, filepath.Base(pkg))
	args := []string{"build", "-o", out}
	if race {
		args = append(args, "-race")
	}
	args = append(args, pkg)
	ctx, cancel := context.WithTimeout(t.Context(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	return out
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// process is a child started in its own process group, so stopping it also
// stops anything it started.
type process struct {
	name    string
	cmd     *exec.Cmd
	log     string
	done    chan struct{}
	stopped sync.Once
}

func startProcess(t testing.TB, dir, name string, env []string, bin string, args ...string) *process {
	t.Helper()
	logPath := filepath.Join(dir, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return launch(t, name, cmd, logPath, logFile)
}

func launch(t testing.TB, name string, cmd *exec.Cmd, logPath string, logFile *os.File) *process {
	t.Helper()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	p := &process{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("--- %s output ---\n%s", name, p.output())
		}
	})
	return p
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func (p *process) output() string {
	b, err := os.ReadFile(p.log)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", p.log, err)
	}
	return string(b)
}

// stop asks the process group to end, as systemd would, and kills it if it
// has not gone within a few seconds. Only the first call acts, so a
// benchmark may stop a process early and its cleanup stop it again.
func (p *process) stop() { p.stopped.Do(p.stopGroup) }

func (p *process) stopGroup() {
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	}
	// The leader has gone; make sure nothing it started lingers.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

func waitHealthy(t testing.TB, server *process, url string) {
	t.Helper()
	hc := &http.Client{Timeout: 2 * time.Second}
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

// startXvfb starts a virtual screen on a free display number, which Xvfb
// picks and writes to -displayfd once it accepts connections.
func startXvfb(t testing.TB, dir string) string {
	t.Helper()
	return startXvfbSized(t, dir, "1280x800x24")
}

// startXvfbSized is startXvfb with the screen's WIDTHxHEIGHTxDEPTH.
func startXvfbSized(t testing.TB, dir, screen string) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	logPath := filepath.Join(dir, "Xvfb.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", screen, "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w} // fd 3 in the child
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	xvfb := launch(t, "Xvfb", cmd, logPath, logFile)
	w.Close()

	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if _, err := strconv.Atoi(n); err != nil {
			t.Fatalf("Xvfb did not report a display number (got %q):\n%s", n, xvfb.output())
		}
		return ":" + n
	case <-time.After(30 * time.Second):
		t.Fatalf("Xvfb did not start within 30s:\n%s", xvfb.output())
	}
	return ""
}

type window struct {
	id   string
	rect image.Rectangle
}

// waitForWindow waits until a visible window with this title exists and
// returns the largest such window.
func waitForWindow(t testing.TB, env []string, title string) window {
	t.Helper()
	out := runTool(t, 60*time.Second, env, "xdotool", "search", "--sync", "--onlyvisible", "--name", title)
	var best window
	for _, id := range strings.Fields(out) {
		geo := runTool(t, 10*time.Second, env, "xdotool", "getwindowgeometry", "--shell", id)
		vals := map[string]int{}
		for _, line := range strings.Split(geo, "\n") {
			k, v, ok := strings.Cut(line, "=")
			if n, err := strconv.Atoi(v); ok && err == nil {
				vals[k] = n
			}
		}
		r := image.Rect(vals["X"], vals["Y"], vals["X"]+vals["WIDTH"], vals["Y"]+vals["HEIGHT"])
		if r.Dx()*r.Dy() > best.rect.Dx()*best.rect.Dy() {
			best = window{id: id, rect: r}
		}
	}
	if best.rect.Empty() {
		t.Fatalf("no visible %q window with a size (xdotool found %q)", title, out)
	}
	return best
}

func runTool(t testing.TB, timeout time.Duration, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("%w after %v", ctx.Err(), timeout)
		}
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

func distinctColours(t testing.TB, path string, area image.Rectangle) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s is not a PNG: %v", path, err)
	}
	area = area.Intersect(img.Bounds())
	if area.Empty() {
		t.Fatalf("window %v lies outside the %v screenshot", area, img.Bounds())
	}
	seen := map[color.RGBA]struct{}{}
	for y := area.Min.Y; y < area.Max.Y; y++ {
		for x := area.Min.X; x < area.Max.X; x++ {
			seen[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)] = struct{}{}
		}
	}
	return len(seen)
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatalf("GPKIOSK_ARTIFACTS: %v", err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatalf("GPKIOSK_ARTIFACTS: %v", err)
	}
}
