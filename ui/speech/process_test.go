package speech

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gpkiosk/ui/text"
)

// fakeAplay is a stand-in for ALSA's aplay on PATH: a real process that
// writes its pid to dir/pids, keeps what it is sent in dir/in.PID, then
// sleeps for the seconds in dir/sleep (none if absent) and exits with the
// code in dir/rc (0 if absent). Its sleep is a child process in its
// process group, as a real player's helpers would be.
func fakeAplay(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	script := `#!/bin/sh
d="` + dir + `"
echo $$ >> "$d/pids"
cat > "$d/in.$$"
[ -f "$d/sleep" ] && sleep "$(cat "$d/sleep")"
[ -f "$d/rc" ] && exit "$(cat "$d/rc")"
exit 0
`
	if err := os.WriteFile(filepath.Join(dir, "aplay"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// withFakeAplay puts the fake aplay first on PATH, before the real one.
func withFakeAplay(t *testing.T) string {
	t.Helper()
	needTools(t, "espeak-ng")
	dir := fakeAplay(t)
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return dir
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// records keeps every log record, to check levels and that no spoken text
// is ever logged.
type records struct {
	mu   sync.Mutex
	recs []string
	max  slog.Level
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *records) WithGroup(string) slog.Handler            { return r }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", rec.Level, rec.Message)
	rec.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, " %s=%v", a.Key, a.Value); return true })
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recs = append(r.recs, b.String())
	r.max = max(r.max, rec.Level)
	return nil
}

func (r *records) all() (string, slog.Level) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.recs, "\n"), r.max
}

// ends counts OnEnd calls.
type ends struct{ n atomic.Int32 }

func (e *ends) onEnd() { e.n.Add(1) }

// eventually waits up to 5 s for ok.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !ok(); {
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stillEnds checks OnEnd was called want times and stays so a while.
func stillEnds(t *testing.T, e *ends, want int32) {
	t.Helper()
	eventually(t, fmt.Sprintf("OnEnd called %d times, want %d", e.n.Load(), want), func() bool { return e.n.Load() == want })
	time.Sleep(300 * time.Millisecond)
	if got := e.n.Load(); got != want {
		t.Fatalf("OnEnd called %d times, want %d", got, want)
	}
}

// groupAlive lists the live (not zombie) processes in process group pgid,
// from /proc: after Stop there must be none, grandchildren included.
func groupAlive(t *testing.T, pgid int) []string {
	t.Helper()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var live []string
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // exited meanwhile
		}
		// "pid (comm) state ppid pgrp ...": comm may hold spaces, so split after ")".
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(string(b[i+1:]))
		if len(fields) < 3 || fields[0] == "Z" || fields[0] == "X" {
			continue
		}
		if pg, _ := strconv.Atoi(fields[2]); pg == pgid {
			live = append(live, string(b[:i+1]))
		}
	}
	return live
}

// noGoroutineLeak fails the test if goroutines started during it are
// still running shortly after it ends.
func noGoroutineLeak(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		for deadline := time.Now().Add(3 * time.Second); runtime.NumGoroutine() > before; {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				t.Errorf("goroutines: %d before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// sleeping says whether the fake aplay's sleep, a grandchild of ours, is
// running in process group pgid.
func sleeping(t *testing.T, pgid int) bool {
	return slices.ContainsFunc(groupAlive(t, pgid), func(p string) bool { return strings.HasSuffix(p, "(sleep)") })
}

func currentPgid(t *testing.T, s *Espeak) int {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		t.Fatal("not speaking")
	}
	return s.cur.pgid
}

// patient is text from a patient's record, which must never reach a log.
const patient = "Mrs Eleanor Rigby 10:20 with Dr Okafor"

func TestNotAvailableWithoutSoundCard(t *testing.T) {
	needTools(t, "espeak-ng", "aplay")
	if _, err := os.Stat("/proc/asound/cards"); err == nil {
		if b, _ := os.ReadFile("/proc/asound/cards"); !strings.Contains(string(b), "no soundcards") {
			t.Skip("this machine has a sound card; the probe would rightly find it")
		}
	}
	noGoroutineLeak(t)
	log := &records{}
	e := &ends{}
	s := New(t.Context(), Config{Log: slog.New(log), OnEnd: e.onEnd})
	if s.Available() {
		t.Fatal("Available with no sound card")
	}
	s.Say(text.LangEnglish, []string{patient})
	if s.Speaking() {
		t.Error("Speaking after Say on a speaker that is not available")
	}
	stillEnds(t, e, 1) // the button must not stay on "Stop"
	s.Stop()
	all, top := log.all()
	t.Logf("log:\n%s", all)
	if top > slog.LevelInfo {
		t.Errorf("logged at %s on a kiosk without sound: it must say nothing is wrong", top)
	}
	if !strings.Contains(all, "aplay probe") {
		t.Error("the log does not say why read aloud is off")
	}
}

func TestProbeWithFakeAplay(t *testing.T) {
	dir := withFakeAplay(t)
	noGoroutineLeak(t)
	if s := New(t.Context(), Config{Log: slog.New(&records{})}); !s.Available() {
		t.Fatal("not Available with an aplay that plays")
	}
	in, err := filepath.Glob(filepath.Join(dir, "in.*"))
	if err != nil || len(in) != 1 {
		t.Fatalf("the probe ran aplay %d times, want once", len(in))
	}
	if b, _ := os.ReadFile(in[0]); !bytes.Equal(b, silentWAV(10*time.Millisecond)) {
		t.Errorf("the probe sent %d bytes, not its silent WAV", len(b))
	}

	writeFile(t, filepath.Join(dir, "rc"), "1") // aplay fails: no device
	if New(t.Context(), Config{Log: slog.New(&records{})}).Available() {
		t.Error("Available although aplay exits 1")
	}

	os.Remove(filepath.Join(dir, "rc"))
	writeFile(t, filepath.Join(dir, "sleep"), "30") // aplay hangs
	start := time.Now()
	s := New(t.Context(), Config{ProbeTimeout: 200 * time.Millisecond, Log: slog.New(&records{})})
	if s.Available() {
		t.Error("Available although aplay hung")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("a hung aplay held New for %v", d)
	}
}

func TestNotAvailableWithoutEspeak(t *testing.T) {
	dir := fakeAplay(t)
	t.Setenv("PATH", dir) // aplay, and no espeak-ng
	log := &records{}
	if New(t.Context(), Config{Log: slog.New(log)}).Available() {
		t.Fatal("Available without espeak-ng")
	}
	if all, top := log.all(); top > slog.LevelInfo || !strings.Contains(all, "espeak-ng is not installed") {
		t.Errorf("log at %s: %s", top, all)
	}
}

func TestSayPlaysAndEnds(t *testing.T) {
	dir := withFakeAplay(t)
	noGoroutineLeak(t)
	log, e := &records{}, &ends{}
	s := New(t.Context(), Config{Log: slog.New(log), OnEnd: e.onEnd})
	os.Remove(filepath.Join(dir, "pids"))
	writeFile(t, filepath.Join(dir, "sleep"), "0.3")
	s.Say(text.LangWelsh, []string{"Croeso", patient})
	if !s.Speaking() {
		t.Fatal("not Speaking just after Say")
	}
	stillEnds(t, e, 1)
	if s.Speaking() {
		t.Error("Speaking after the end")
	}
	b, _ := os.ReadFile(filepath.Join(dir, "pids"))
	wav, _ := os.ReadFile(filepath.Join(dir, "in."+strings.TrimSpace(string(b))))
	if len(wav) < 10000 || string(wav[:4]) != "RIFF" {
		t.Errorf("aplay was sent %d bytes starting %q, not espeak-ng's WAV", len(wav), wav[:min(4, len(wav))])
	}
	all, top := log.all()
	if strings.Contains(all, "Rigby") || strings.Contains(all, "Croeso") {
		t.Errorf("spoken text in the log:\n%s", all)
	}
	if top > slog.LevelInfo || !strings.Contains(all, "lang=cy lines=2") {
		t.Errorf("log at %s, want language and line count at Info:\n%s", top, all)
	}
}

func TestStopKillsBothProcesses(t *testing.T) {
	dir := withFakeAplay(t)
	noGoroutineLeak(t)
	e := &ends{}
	s := New(t.Context(), Config{Log: slog.New(&records{}), OnEnd: e.onEnd})
	writeFile(t, filepath.Join(dir, "sleep"), "30")
	s.Say(text.LangEnglish, []string{"Welcome", "Touch a button"})
	pgid := currentPgid(t, s)
	eventually(t, "fake aplay's sleep started", func() bool { return sleeping(t, pgid) })
	b, _ := os.ReadFile(filepath.Join(dir, "pids"))
	pids := append(strings.Fields(string(b))[1:], strconv.Itoa(pgid)) // [0] is the probe's aplay
	start := time.Now()
	s.Stop()
	// Stop returns once espeak-ng and aplay are reaped, not even zombies.
	for _, pid := range pids {
		if _, err := os.Stat("/proc/" + pid); err == nil {
			t.Errorf("process %s is still there after Stop returned", pid)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Stop took %v", d)
	}
	if s.Speaking() {
		t.Error("Speaking after Stop")
	}
	if live := groupAlive(t, pgid); len(live) > 0 {
		t.Errorf("after Stop, process group %d still has %v", pgid, live)
	}
	stillEnds(t, e, 1)
	s.Stop() // quiet: nothing to stop, no second end
	stillEnds(t, e, 1)
}

func TestSayReplacesSpeech(t *testing.T) {
	dir := withFakeAplay(t)
	noGoroutineLeak(t)
	e := &ends{}
	s := New(t.Context(), Config{Log: slog.New(&records{}), OnEnd: e.onEnd})
	writeFile(t, filepath.Join(dir, "sleep"), "30")
	s.Say(text.LangPolish, []string{"Witamy"})
	first := currentPgid(t, s)
	eventually(t, "first speech playing", func() bool { return sleeping(t, first) })

	writeFile(t, filepath.Join(dir, "sleep"), "0.5")
	s.Say(text.LangPolish, []string{"Umów wizytę"})
	second := currentPgid(t, s)
	if second == first {
		t.Fatal("the second Say did not start its own processes")
	}
	if live := groupAlive(t, first); len(live) > 0 {
		t.Errorf("the replaced speech still plays: %v", live)
	}
	if !s.Speaking() {
		t.Error("not Speaking the second Say")
	}
	if n := e.n.Load(); n != 0 {
		t.Errorf("OnEnd called %d times while the second Say speaks", n)
	}
	stillEnds(t, e, 1) // the second ends by itself; the first was never reported
	if s.Speaking() {
		t.Error("Speaking after the second Say ended")
	}
}

func TestCancelStopsSpeech(t *testing.T) {
	dir := withFakeAplay(t)
	noGoroutineLeak(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	e := &ends{}
	s := New(ctx, Config{Log: slog.New(&records{}), OnEnd: e.onEnd})
	writeFile(t, filepath.Join(dir, "sleep"), "30")
	s.Say(text.LangArabic, []string{"مرحباً"})
	pgid := currentPgid(t, s)
	eventually(t, "playing", func() bool { return sleeping(t, pgid) })
	cancel()
	stillEnds(t, e, 1)
	if live := groupAlive(t, pgid); len(live) > 0 || s.Speaking() {
		t.Errorf("after the context ended: Speaking %v, group %v", s.Speaking(), live)
	}
	s.Say(text.LangArabic, []string{"مرحباً"}) // after the end: nothing starts
	if s.Speaking() {
		t.Error("Say started after the context ended")
	}
	stillEnds(t, e, 2)
}

func TestSayWithNothingToSay(t *testing.T) {
	withFakeAplay(t)
	noGoroutineLeak(t)
	log, e := &records{}, &ends{}
	s := New(t.Context(), Config{Log: slog.New(log), OnEnd: e.onEnd})
	s.Say(text.LangEnglish, []string{" • ", "\n"})
	stillEnds(t, e, 1)
	s.Say("de", []string{"Guten Tag"}) // a language the kiosk does not offer
	stillEnds(t, e, 2)
	if s.Speaking() {
		t.Error("Speaking with nothing said")
	}
	if all, top := log.all(); top != slog.LevelWarn || strings.Contains(all, "Guten") {
		t.Errorf("a language without a voice is a bug (Warn), logged without its text; got %s:\n%s", top, all)
	}
}
