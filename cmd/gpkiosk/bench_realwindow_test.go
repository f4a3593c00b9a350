package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"gpkiosk/store"
)

// The real-window benchmarks run the real programs, built without -race,
// under Xvfb (software rendering) against the real practice server on
// 127.0.0.1 with the demo practice in a real SQLite file, and compare the
// kiosk with a bare Fyne window holding one label (testdata/barewindow),
// measured in the same run on the same X server. See docs/benchmarks.md.

const (
	// pollEvery is how often the benchmarks look at the screen. A capture
	// takes about 2 ms; polling harder would steal CPU from the program
	// being timed on a 2-core machine.
	pollEvery = 5 * time.Millisecond
	// settledTolerance is the share of screen pixels that may differ from
	// a program's settled reference and still count as the same screen:
	// the kiosk's clock may have moved on a minute (about 0.15%), while
	// anything short of the finished screen differs by several percent.
	settledTolerance = 0.005
	// drewColours is the smoke test's sign that a window drew something
	// readable: an undrawn window is one flat colour, text gives many.
	drewColours = 32
	// keyDelay is xdotool's pause between keys, in milliseconds. The
	// kiosk handles X events in order however close together they come;
	// the benchmark paces itself by waiting on the screen and the replica
	// between bursts, not by slow typing. 1 ms and 12 ms (xdotool's
	// default) gave the same results, 1 ms in 0.5 s a flow instead of 0.85.
	keyDelay = "1"
	// benchScreen is the virtual screen's size.
	benchScreen = "1280x1024x24"
	// leftWelcome is how much of the screen must change for the welcome
	// screen to have given way to the next one; focusing a button there
	// (the Tab before Space) changes about 4% of it.
	leftWelcome = 0.15
)

// benchRig is the real parts both benchmarks share: built programs, the
// practice server with the default-size demo practice, and a virtual
// screen with a client reading its pixels.
type benchRig struct {
	dir                          string
	serverBin, kioskBin, bareBin string
	db, serverURL                string
	xenv                         []string
	x                            *xScreen
	s                            shot // the latest capture
}

func newBenchRig(b *testing.B) *benchRig {
	b.Helper()
	if testing.Short() {
		b.Skip("starts real programs under Xvfb for a minute or so; not in -short")
	}
	for _, tool := range []string{"Xvfb", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skipf("%s is not installed (`make deps` installs it): this benchmark needs a real X server and keyboard", tool)
		}
	}
	r := &benchRig{dir: b.TempDir()}
	r.serverBin = goBuildWith(b, r.dir, "gpkiosk/cmd/practice-server", false)
	r.kioskBin = goBuildWith(b, r.dir, "gpkiosk/cmd/gpkiosk", false)
	r.bareBin = goBuildWith(b, r.dir, "gpkiosk/cmd/gpkiosk/testdata/barewindow", false)

	r.db = filepath.Join(r.dir, "practice.db")
	addr := freeAddr(b)
	r.serverURL = "http://" + addr
	server := startProcess(b, r.dir, "practice-server", nil, r.serverBin, "--db", r.db, "--listen", addr, "--demo")
	waitHealthy(b, server, r.serverURL+"/healthz")

	// 1280x1024: the kiosk's welcome screen needs 890 pixels of height,
	// so on a lower screen it overlaps itself. Fyne keeps its preferences
	// under XDG_CONFIG_HOME; this keeps both programs' out of $HOME.
	display := startXvfbSized(b, r.dir, benchScreen)
	r.xenv = []string{"DISPLAY=" + display, "LANG=en_GB.UTF-8", "XDG_CONFIG_HOME=" + filepath.Join(r.dir, "config")}
	x, err := dialX(display)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { x.Close() })
	r.x = x
	// The pointer starts in the middle of the screen, where it would
	// hover over a button and change how it looks from one visit of a
	// screen to the next. Park it in a corner where nothing is.
	r.xdotool(b, "mousemove", "0", "1023")
	return r
}

// startBare starts the bare window full screen, the same size as the
// kiosk's window.
func (r *benchRig) startBare(b *testing.B) *process {
	return startProcess(b, r.dir, "barewindow", r.xenv, r.bareBin, "-fullscreen")
}

// startKiosk starts the kiosk on data, enrolling it with code if not empty.
// It fills the screen, as on a real kiosk (a window would grow to fit the
// largest screen shown so far, and the welcome screen look different after
// the first flow).
// extra is more flags (--debug-addr).
func (r *benchRig) startKiosk(b *testing.B, data, code string, extra ...string) *process {
	args := []string{"--server", r.serverURL, "--data", data, "--fullscreen=true"}
	if code != "" {
		args = append(args, "--enrol", code)
	}
	return startProcess(b, r.dir, "gpkiosk", r.xenv, r.kioskBin, append(args, extra...)...)
}

// enrolledKiosk enrols a kiosk on a folder of its own, waits for its first
// sync and its welcome screen, and stops it: the kiosk as it starts every
// morning.
func (r *benchRig) enrolledKiosk(b *testing.B, name string) (data string) {
	data = filepath.Join(r.dir, "kiosk-"+strings.ReplaceAll(strings.ToLower(name), " ", "-"))
	enrolling := r.startKiosk(b, data, enrolKiosk(b, r.serverBin, r.db, name))
	waitFirstSync(b, enrolling)
	r.waitStill(b, enrolling, time.Second, "enrolled kiosk")
	enrolling.stop()
	r.waitBlank(b)
	return data
}

// capture reads the screen into r.s.
func (r *benchRig) capture(b *testing.B) *shot {
	if err := r.x.capture(&r.s); err != nil {
		b.Fatalf("read the screen: %v", err)
	}
	return &r.s
}

// waitScreen polls the screen until ok holds for two captures in a row
// that are identical, so a frame half-way through a change of screen never
// counts, and returns a copy of it. On timeout it fails, saving the screen.
func (r *benchRig) waitScreen(b *testing.B, p *process, timeout time.Duration, what string, ok func(*shot) bool) *shot {
	b.Helper()
	deadline := time.Now().Add(timeout)
	var prev *shot
	for {
		s := r.capture(b)
		if ok(s) {
			if prev != nil && s.differing(prev) == 0 {
				return s.clone()
			}
			prev = s.clone()
		} else {
			prev = nil
		}
		if p != nil && p.exited() {
			b.Fatalf("%s exited while waiting for %s:\n%s", p.name, what, p.output())
		}
		if time.Now().After(deadline) {
			b.Fatalf("no %s after %v; %s", what, timeout, r.saveScreen(b, what))
		}
		time.Sleep(pollEvery)
	}
}

// waitStill waits until the screen has drawn something readable and then
// not changed for quiet: a program's settled look.
func (r *benchRig) waitStill(b *testing.B, p *process, quiet time.Duration, what string) *shot {
	b.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	var last *shot
	since := time.Now()
	for {
		s := r.capture(b)
		if last == nil || s.differing(last) != 0 {
			last, since = s.clone(), time.Now()
		} else if time.Since(since) >= quiet && s.colours(drewColours) >= drewColours {
			return last
		}
		if p != nil && p.exited() {
			b.Fatalf("%s exited while waiting for %s:\n%s", p.name, what, p.output())
		}
		if time.Now().After(deadline) {
			b.Fatalf("%s never settled; %s", what, r.saveScreen(b, what))
		}
		time.Sleep(pollEvery)
	}
}

// waitBlank waits until no window is left on the screen.
func (r *benchRig) waitBlank(b *testing.B) {
	b.Helper()
	r.waitScreen(b, nil, 30*time.Second, "empty screen", func(s *shot) bool { return s.colours(2) == 1 })
}

// saveScreen saves the current screen for a failure message.
func (r *benchRig) saveScreen(b *testing.B, what string) string {
	dir := os.Getenv("GPKIOSK_ARTIFACTS")
	if dir == "" {
		dir = r.dir
	}
	name := strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			return c
		}
		return '-'
	}, strings.ToLower(what))
	path := filepath.Join(dir, "bench-"+name+".png")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Sprintf("cannot save the screen: %v", err)
	}
	if err := r.capture(b).writePNG(path); err != nil {
		return fmt.Sprintf("cannot save the screen: %v", err)
	}
	if dir == r.dir {
		return "the screen is in " + path + " (set GPKIOSK_ARTIFACTS=dir to keep it)"
	}
	return "the screen is in " + path
}

// xdotool sends keys to the focused window, like a keyboard or a
// keyboard-wedge scanner.
func (r *benchRig) xdotool(b *testing.B, args ...string) {
	b.Helper()
	runTool(b, 30*time.Second, r.xenv, "xdotool", args...)
}

func (r *benchRig) keys(b *testing.B, keys ...string) {
	b.Helper()
	r.xdotool(b, append([]string{"key", "--delay", keyDelay}, keys...)...)
}

func (r *benchRig) typ(b *testing.B, s string) {
	b.Helper()
	r.xdotool(b, "type", "--delay", keyDelay, s)
}

// reference starts a program, lets it settle, and returns what its screen
// then looks like: the finished first screen that timed starts wait for.
func (r *benchRig) reference(b *testing.B, start func() *process, what string) *shot {
	p := start()
	ref := r.waitStill(b, p, time.Second, what)
	p.stop()
	r.waitBlank(b)
	return ref
}

// coldStart starts a program and times it to its first readable frame and
// to its finished first screen (ref), then stops it and waits for the
// screen to empty.
func (r *benchRig) coldStart(b *testing.B, start func() *process, ref *shot, what string) (firstPaint, settled time.Duration) {
	b.Helper()
	t0 := time.Now()
	p := start()
	deadline := t0.Add(time.Minute)
	for {
		s := r.capture(b)
		since := time.Since(t0)
		if firstPaint == 0 && s.colours(drewColours) >= drewColours {
			firstPaint = since
		}
		if s.differing(ref) < settledTolerance {
			settled = since
			break
		}
		if p.exited() {
			b.Fatalf("%s exited before its first screen:\n%s", p.name, p.output())
		}
		if time.Now().After(deadline) {
			b.Fatalf("%s never showed its first screen; %s", what, r.saveScreen(b, what))
		}
		time.Sleep(pollEvery)
	}
	p.stop()
	r.waitBlank(b)
	return firstPaint, settled
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a whole number of at least 1", name, v)
	}
	return n
}

// BenchmarkColdStart times a cold start of the kiosk to its welcome screen
// against a cold start of a bare Fyne window with one label, in the same
// run on the same X server.
//
// Each start is a new process (stopped, and its window gone, before the
// next), so Go's runtime, Fyne, GLFW and Mesa's GL context are set up from
// nothing every time; the OS file cache is warm, as on a kiosk that has
// been running for a while, so disk reads are not part of it. The kiosk
// starts as it does every morning: already enrolled, full screen, opening
// its replica and showing the window with the practice's name it
// remembers (it asks the server for the name, and syncs, in the
// background; until issue 17 it asked before showing the window). The bare window fills the
// screen too, so both draw the same pixels.
//
// "Started" means the screen shows the program's finished first screen:
// each program is first started once untimed and left until its screen
// has not changed for a second, and that picture is the reference; a
// timed start ends at the first capture within 0.5% of it (the kiosk's
// clock may show another minute). The screen is read straight from Xvfb
// every 5 ms with GetImage (about 2 ms a capture), so the timing is good
// to about 10 ms. Comparing with the finished picture rather than "any
// pixels at all" matters: both programs put up a frame or two that is not
// yet their finished screen, 25-40 ms before it. ms/first-paint, the first
// frame with 32 colours (the smoke test's "drew something readable"), is
// reported too.
//
// ns/op is the median time per start (one op is one cold start).
// GPKIOSK_BENCH_STARTS sets how many starts of each per iteration
// (default 20).
func BenchmarkColdStart(b *testing.B) {
	r := newBenchRig(b)
	starts := envInt(b, "GPKIOSK_BENCH_STARTS", 20)

	data := r.enrolledKiosk(b, "Cold start kiosk")

	var bareMedian time.Duration
	run := func(name string, start func() *process) {
		b.Run(name, func(b *testing.B) {
			ref := r.reference(b, start, name+" reference")
			var paints, settles []time.Duration
			for b.Loop() {
				for range starts {
					p, s := r.coldStart(b, start, ref, name)
					paints, settles = append(paints, p), append(settles, s)
				}
			}
			m := median(settles)
			b.Logf("%s: %d starts, ms to first screen %v", name, len(settles), settles)
			b.ReportMetric(float64(m.Nanoseconds()), "ns/op")
			b.ReportMetric(ms(m), "ms/start")
			b.ReportMetric(ms(median(paints)), "ms/first-paint")
			if name == "bare" {
				bareMedian = m
			} else if bareMedian > 0 {
				b.ReportMetric(float64(m)/float64(bareMedian), "kiosk/bare")
			} else {
				b.Log("no ratio: the bare sub-benchmark did not run first")
			}
		})
	}
	run("bare", func() *process { return r.startBare(b) })
	run("kiosk", func() *process { return r.startKiosk(b, data, "") })
}

// BenchmarkRSSAfterBookingFlows measures the kiosk's resident memory after
// its welcome screen shows and after 300 complete booking flows driven
// through the real window with xdotool, against a bare Fyne window with
// one label started on the same X server in the same run.
//
// A flow is what a patient at the kiosk does to book and then cancel: Book
// an appointment, scan the demo letter (typed as a keyboard-wedge scanner
// types it, then Enter), date of birth, the first kind of appointment, the
// earliest time, "Yes, book it", "I have finished", "Done"; then scan
// again on the welcome screen, date of birth, My appointments, "Cancel
// this appointment", "Yes, cancel it", "I have finished", "Done". Cancelling
// keeps the flow repeatable (a patient may hold two appointments). The
// earliest free time may be under two hours away, inside the demo
// practice's cancellation cut-off, so the benchmark first sets the cut-off
// to 0 through the store, as the practice manager could.
//
// Keys go in bursts; between them the benchmark waits on real signals:
// the screen (read from Xvfb) showing the welcome screen or having left it,
// and the kiosk's replica holding the i-th booking or cancellation. At the
// end the server must hold exactly one kiosk booking per flow, each
// cancelled, and every op in the kiosk's outbox must have been applied, so
// a flow that went wrong fails the benchmark instead of reporting memory
// for less work. GPKIOSK_BENCH_FLOWS sets the number of flows (default
// 300). With GPKIOSK_BENCH_PROFILE=dir the kiosk serves its profiles
// (--debug-addr on loopback) and the benchmark saves heap profiles and
// goroutine dumps there after the 10th flow and after the last, for
// `go tool pprof -base`.
func BenchmarkRSSAfterBookingFlows(b *testing.B) {
	r := newBenchRig(b)
	flows := envInt(b, "GPKIOSK_BENCH_FLOWS", 300)
	profiles := os.Getenv("GPKIOSK_BENCH_PROFILE")
	var debug []string
	debugAddr := ""
	if profiles != "" {
		debugAddr = freeAddr(b)
		debug = []string{"--debug-addr", debugAddr}
	}
	warm := min(10, flows)
	allowCancellingUntilTheStart(b, r.db)

	var m rssMetrics
	iteration := 0
	for b.Loop() {
		iteration++
		// The baseline first: the bare window, settled.
		bare := r.startBare(b)
		r.waitStill(b, bare, time.Second, "bare window")
		m.bare = residentKB(b, bare)
		bare.stop()
		r.waitBlank(b)

		before := serverBookings(b, r.db)
		data := filepath.Join(r.dir, fmt.Sprintf("kiosk-%d", iteration))
		k := r.startKiosk(b, data, enrolKiosk(b, r.serverBin, r.db, "Memory benchmark kiosk"), debug...)
		waitFirstSync(b, k)
		welcome := r.waitStill(b, k, time.Second, "welcome screen")
		m.start = residentKB(b, k)

		rep := openReplica(b, filepath.Join(data, "device.db"))
		flowStart := time.Now()
		for i := 1; i <= flows; i++ {
			r.bookingFlow(b, k, rep, welcome, i)
			if i == warm {
				m.warm = residentKB(b, k)
				saveProfiles(b, debugAddr, profiles, fmt.Sprintf("after-%d", i))
			}
			if i == flows/2 {
				m.half = residentKB(b, k)
			}
		}
		m.perFlow = time.Since(flowStart) / time.Duration(flows)
		checkFlowsReachedServer(b, r.db, rep, before, flows)
		r.waitScreen(b, k, 30*time.Second, "welcome screen after the flows", func(s *shot) bool { return s.differing(welcome) < settledTolerance })
		m.after = residentKB(b, k)
		saveProfiles(b, debugAddr, profiles, fmt.Sprintf("after-%d", flows))
		b.Logf("VmRSS kB: bare %v; kiosk at the welcome screen %v, after %d flows %v, after %d flows %v; %v a flow",
			m.bare, m.start, warm, m.warm, flows, m.after, m.perFlow)
		k.stop()
		r.waitBlank(b)
	}
	const mb = 1024.0
	b.ReportMetric(float64(m.start.rss)/mb, "rss_start_MB")
	b.ReportMetric(float64(m.after.rss)/mb, fmt.Sprintf("rss_after_%d_MB", flows))
	b.ReportMetric(float64(m.bare.rss)/mb, "bare_MB")
	b.ReportMetric(float64(m.after.rss)/float64(m.bare.rss), "after/bare")
	b.ReportMetric(float64(m.start.rss)/float64(m.bare.rss), "start/bare")
	b.ReportMetric(float64(m.after.rss-m.start.rss)/float64(flows), "KB/flow")
	if flows > warm {
		// Growth once every screen has been shown a few times: what a
		// kiosk left running all day would keep adding.
		b.ReportMetric(float64(m.after.rss-m.warm.rss)/float64(flows-warm), fmt.Sprintf("KB/flow_after_%d", warm))
	}
	// Fyne keeps the renderers of widgets no longer shown for a minute
	// before freeing them, so early growth is partly that cache filling.
	// The second half's growth is closer to what a day's use would add.
	b.ReportMetric(float64(m.after.rss-m.half.rss)/float64(flows-flows/2), "KB/flow_second_half")
	b.ReportMetric(ms(m.perFlow), "ms/flow")
}

// saveProfiles saves the kiosk's heap profile and goroutine dump into dir
// as heap-NAME.pb.gz and goroutines-NAME.txt; nothing without a dir.
func saveProfiles(b *testing.B, addr, dir, name string) {
	b.Helper()
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	for file, path := range map[string]string{"heap-" + name + ".pb.gz": "/debug/pprof/heap?gc=1", "goroutines-" + name + ".txt": "/debug/pprof/goroutine?debug=1"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			b.Fatalf("profile %s: %v", path, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("profile %s: %s %v", path, resp.Status, err)
		}
		if err := os.WriteFile(filepath.Join(dir, file), body, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("profiles after %s saved in %s", name, dir)
}

type rssMetrics struct {
	bare, start, warm, half, after resident
	perFlow                        time.Duration
}

// resident is a process's resident memory in kB, from /proc/PID/status.
type resident struct{ rss, anon, file int }

func (r resident) String() string {
	return fmt.Sprintf("%d (anon %d, file %d)", r.rss, r.anon, r.file)
}

func residentKB(b *testing.B, p *process) resident {
	b.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		b.Fatalf("%s: %v", p.name, err)
	}
	defer f.Close()
	var r resident
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		switch k {
		case "VmRSS":
			r.rss = n
		case "RssAnon":
			r.anon = n
		case "RssFile":
			r.file = n
		}
	}
	if r.rss == 0 {
		b.Fatalf("no VmRSS for %s in /proc", p.name)
	}
	return r
}

// bookingFlow books the earliest time for the demo letter's patient and
// cancels it again, by keyboard, starting and ending on the welcome screen.
func (r *benchRig) bookingFlow(b *testing.B, k *process, rep *sql.DB, welcome *shot, i int) {
	b.Helper()
	isWelcome := func(s *shot) bool { return s.differing(welcome) < settledTolerance }
	r.waitScreen(b, k, 30*time.Second, fmt.Sprintf("welcome screen before flow %d", i), isWelcome)
	r.keys(b, "Tab", "Tab", "space") // Book an appointment
	// The scanner's characters must arrive close together (the kiosk
	// drops a code with a gap over 0.5 s), so scan only once the sign-in
	// screen is up rather than while the kiosk may still be drawing it.
	r.waitScreen(b, k, 30*time.Second, fmt.Sprintf("sign-in screen in flow %d", i), func(s *shot) bool { return s.differing(welcome) > leftWelcome })
	r.signIn(b)
	r.keys(b, "Tab", "space", // the first kind of appointment offered
		"Tab", "Tab", "Tab", "space", // past "Who with" and "Show another day" to the earliest time
		"Tab", "space") // Yes, book it
	waitOutbox(b, rep, k, "book", i)
	// The kiosk sends the booking and says "booked" once the server has
	// it: wait for that screen before pressing its buttons.
	r.waitStill(b, k, time.Second, fmt.Sprintf("booked screen in flow %d", i))
	r.finish(b, k, i)

	// On the welcome screen a scan signs in and opens the patient's menu.
	r.waitScreen(b, k, 30*time.Second, fmt.Sprintf("welcome screen in flow %d", i), isWelcome)
	r.signIn(b)
	r.keys(b, "Tab", "Tab", "space", // My appointments
		"Tab", "space", // Cancel this appointment (the only one)
		"Tab", "space") // Yes, cancel it
	waitOutbox(b, rep, k, "cancel_appointment", i)
	r.waitStill(b, k, time.Second, fmt.Sprintf("cancelled screen in flow %d", i))
	r.finish(b, k, i)
}

// finish taps "I have finished" (after "Back to my menu") and then Done
// on the thank-you screen.
func (r *benchRig) finish(b *testing.B, k *process, i int) {
	b.Helper()
	r.keys(b, "Tab", "Tab", "space")
	r.waitStill(b, k, time.Second, fmt.Sprintf("thank-you screen in flow %d", i))
	r.keys(b, "Tab", "space")
}

// signIn scans the demo letter and types its patient's date of birth.
func (r *benchRig) signIn(b *testing.B) {
	b.Helper()
	r.typ(b, "DEMO-0001") // the scanner types the letter's account ID...
	r.keys(b, "Return")   // ...and presses Enter
	r.typ(b, "15031946")
}

// allowCancellingUntilTheStart sets the practice's self-service
// cancellation cut-off to 0, so the earliest free time, which may be less
// than the default two hours away, can be cancelled at the kiosk. The
// server reads its settings from the database on every request and the
// change reaches kiosks through the sync feed.
func allowCancellingUntilTheStart(b *testing.B, db string) {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	set, err := st.Settings(ctx)
	if err != nil {
		b.Fatal(err)
	}
	set.CancelCutoffMinutes = 0
	if err := st.UpdateSettings(ctx, store.Actor{Name: "system", Device: "benchmark"}, set); err != nil {
		b.Fatal(err)
	}
}

func openReplica(b *testing.B, path string) *sql.DB {
	b.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// waitOutbox waits until the kiosk's replica has queued n ops of kind: the
// kiosk writes each booking and cancellation there as the patient confirms
// it.
func waitOutbox(b *testing.B, rep *sql.DB, k *process, kind string, n int) {
	b.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var got int
		err := rep.QueryRow(`SELECT count(*) FROM outbox WHERE kind = ?`, kind).Scan(&got)
		if err == nil && got == n {
			return
		}
		if err == nil && got > n {
			b.Fatalf("flow %d: the kiosk queued %d %s ops, more than one a flow", n, got, kind)
		}
		if k.exited() {
			b.Fatalf("the kiosk exited in flow %d:\n%s", n, k.output())
		}
		if time.Now().After(deadline) {
			b.Fatalf("flow %d: the kiosk never queued its %s op (%d, %v):\n%s", n, kind, got, err, k.output())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// serverBookings counts the demo letter patient's kiosk appointments on
// the server by status.
func serverBookings(b *testing.B, path string) map[string]int {
	b.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT a.status, count(*) FROM appointments a
		JOIN online_registrations r ON r.patient_id = a.patient_id
		WHERE r.account_id = 'DEMO-0001' AND a.channel = 'kiosk' GROUP BY a.status`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			b.Fatal(err)
		}
		out[status] = n
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return out
}

// checkFlowsReachedServer waits for the kiosk's sync to deliver the flows
// and fails unless the server then holds exactly flows more cancelled
// kiosk appointments and no more live ones than before, and the kiosk's
// outbox holds flows bookings and flows cancellations, every one applied.
func checkFlowsReachedServer(b *testing.B, db string, rep *sql.DB, before map[string]int, flows int) {
	b.Helper()
	want := fmt.Sprint(map[string]int{"book applied": flows, "cancel_appointment applied": flows})
	deadline := time.Now().Add(2 * time.Minute)
	for {
		got := serverBookings(b, db)
		ops := outboxOps(b, rep)
		if got["cancelled"] == before["cancelled"]+flows && got["booked"] == before["booked"] && fmt.Sprint(ops) == want {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("after %d flows the server holds kiosk appointments %v (before: %v), want %d more cancelled and none more booked;"+
				" the kiosk's outbox holds %v, want %s", flows, got, before, flows, ops, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// outboxOps counts the kiosk's queued ops by kind and answer.
func outboxOps(b *testing.B, rep *sql.DB) map[string]int {
	b.Helper()
	rows, err := rep.Query(`SELECT kind, coalesce(status, 'unanswered'), count(*) FROM outbox GROUP BY 1, 2`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	ops := map[string]int{}
	for rows.Next() {
		var kind, status string
		var n int
		if err := rows.Scan(&kind, &status, &n); err != nil {
			b.Fatal(err)
		}
		ops[kind+" "+status] = n
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return ops
}

// BenchmarkIdleCPU measures the CPU time an idle kiosk uses on its welcome
// screen against the bare window's over the same period in the same run:
// user plus system time from /proc/PID/stat, read once the program has
// settled and again after GPKIOSK_BENCH_IDLE seconds (default 60) with
// nobody touching it. The kiosk is enrolled and synced first, so it idles
// as it does in a waiting room: long-polling the server for changes, its
// clock in the status strip running. The pointer is parked in a corner
// and the benchmark itself only sleeps meanwhile.
//
// ns/op is the kiosk's CPU time over the period; cpu_s/min are CPU
// seconds a minute.
func BenchmarkIdleCPU(b *testing.B) {
	r := newBenchRig(b)
	idle := time.Duration(envInt(b, "GPKIOSK_BENCH_IDLE", 60)) * time.Second
	data := r.enrolledKiosk(b, "Idle kiosk")

	measure := func(start func() *process, what string) time.Duration {
		p := start()
		r.waitStill(b, p, 2*time.Second, what)
		before := cpuTime(b, p)
		time.Sleep(idle)
		if p.exited() {
			b.Fatalf("%s exited while idle:\n%s", p.name, p.output())
		}
		used := cpuTime(b, p) - before
		p.stop()
		r.waitBlank(b)
		return used
	}
	var bare, kiosk time.Duration
	for b.Loop() {
		bare = measure(func() *process { return r.startBare(b) }, "bare window")
		kiosk = measure(func() *process { return r.startKiosk(b, data, "") }, "kiosk welcome screen")
		b.Logf("CPU over %v idle: bare %v, kiosk %v", idle, bare, kiosk)
	}
	perMin := func(d time.Duration) float64 { return d.Seconds() / idle.Minutes() }
	b.ReportMetric(float64(kiosk.Nanoseconds()), "ns/op")
	b.ReportMetric(perMin(kiosk), "kiosk_cpu_s/min")
	b.ReportMetric(perMin(bare), "bare_cpu_s/min")
	if bare > 0 {
		b.ReportMetric(float64(kiosk)/float64(bare), "kiosk/bare")
	}
}

// cpuTime is a process's user plus system CPU time so far, from
// /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s: USER_HZ is
// 100 on every Linux the kiosk runs on).
func cpuTime(b *testing.B, p *process) time.Duration {
	b.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		b.Fatalf("%s: %v", p.name, err)
	}
	// The command name (field 2) is in parentheses and may hold spaces:
	// count fields from after its closing parenthesis.
	s := string(raw)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		b.Fatalf("%s: short /proc stat %q", p.name, s)
	}
	// fields[0] is field 3 (state), so utime (14) and stime (15) are
	// fields[11] and fields[12].
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		b.Fatalf("%s: /proc stat %q: %v %v", p.name, s, err1, err2)
	}
	const tick = 10 * time.Millisecond
	return time.Duration(utime+stime) * tick
}
