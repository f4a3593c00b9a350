// Package speech reads a kiosk screen aloud ("Read this to me", issue 15)
// with espeak-ng, played through ALSA's aplay.
//
// # Contract
//
// The kiosk defines the small interface it needs where it uses it; Espeak
// satisfies this one:
//
//	type Speaker interface {
//		Say(lang text.Lang, lines []string) // stop anything speaking, then speak lines in order
//		Stop()                              // stop speaking now; returns once the sound has stopped
//		Speaking() bool                     // between a Say and its end
//		Available() bool                    // false: hide the button
//	}
//
// and is told when speaking ends through Config.OnEnd, so the button can
// change back. OnEnd runs once after each Say, when its speech finishes,
// is stopped, or could not start, unless another Say replaced it first
// (then only the last one's end is reported). It runs on the speaker's own
// goroutine, never inside Say or Stop: it must not block (in Fyne, use
// fyne.Do, not fyne.DoAndWait).
//
// Lines are what is on screen: heading, instruction, then each choice.
// SpokenLines shows what is done to them before speaking: line breaks split
// them, bullets, symbols and emoji go, and a time "10:20" is said as hour
// and minute. Times are otherwise the kiosk's business: for a natural
// phrase ("twenty past ten") pass the catalogue's spoken form, not the
// displayed one; this package knows no words of any language.
//
// Nothing spoken is ever logged or put on a command line (it may name a
// patient): logs carry the language, the number of lines and errors only.
package speech

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"gpkiosk/ui/text"
)

const (
	// DefaultVolume is espeak-ng's own default amplitude (-a, 0 to 200).
	DefaultVolume = 100
	// MaxVolume is the loudest espeak-ng allows.
	MaxVolume = 200
	// DefaultRate is words a minute (-s). espeak-ng's default, 175, is brisk
	// for a synthetic voice; many of the patients who ask to hear a screen
	// are older, and slower speech is easier to follow with age-related
	// hearing loss and slower listening. 150 is a careful speaker's pace;
	// much slower and espeak-ng drawls its vowels and sounds less natural.
	DefaultRate = 150

	// defaultProbeTimeout bounds the start-up check of the sound output: a
	// wedged sound server must not hold up the kiosk, and a device that
	// cannot take a few bytes of silence in this time cannot read a screen.
	defaultProbeTimeout = 3 * time.Second
	// waitDelay bounds how long a killed process's pipes may keep Wait
	// waiting (a grandchild holding them open).
	waitDelay = 2 * time.Second
)

// Voice is espeak-ng's own voice for lang, and whether there is one. The
// voices are named exactly: a bare "pl" or "ar" could be matched to an
// MBROLA voice (mb-pl1, mb-ar1), which needs the separate mbrola program
// and fails without it.
func Voice(lang text.Lang) (string, bool) {
	switch lang {
	case text.LangEnglish:
		return "en-gb", true
	case text.LangWelsh, text.LangPolish, text.LangRomanian, text.LangPortuguese,
		text.LangPunjabi, text.LangBengali, text.LangUrdu, text.LangArabic:
		return string(lang), true // espeak-ng's id is the language's tag
	}
	return "", false
}

// Config is the speaker's settings.
type Config struct {
	// Volume is the practice's setting, espeak-ng's amplitude: 1 to 200,
	// 0 (or less) means DefaultVolume. (To silence the kiosk, turn read-aloud off.)
	Volume int
	// Rate is words a minute, 80 to 450 (espeak-ng's range); 0 means
	// DefaultRate.
	Rate int
	// OnEnd is told when speaking ends (see the package contract).
	OnEnd func()
	// ProbeTimeout bounds the start-up sound check; 0 means 3 s.
	ProbeTimeout time.Duration
	// Log receives Info (unavailable, started, stopped) and Warn (a failure
	// while available); nil means slog.Default.
	Log *slog.Logger
}

// Espeak speaks with espeak-ng through aplay. Use New; its methods are
// safe to call from any goroutine.
type Espeak struct {
	ctx       context.Context
	espeak    string // paths found at New
	aplay     string
	volume    int
	rate      int
	onEnd     func()
	log       *slog.Logger
	available bool

	mu  sync.Mutex
	cur *utterance // nil when quiet
}

// utterance is one Say: espeak-ng piped into aplay, both in one process
// group led by espeak-ng so one kill stops both.
type utterance struct {
	lang     text.Lang
	lines    int
	espeak   *exec.Cmd
	aplay    *exec.Cmd
	pgid     int
	reaped   chan struct{} // closed once both processes are waited for
	replaced bool          // under Espeak.mu: a later Say took over, no OnEnd
	stopped  bool          // under Espeak.mu: Stop or a later Say killed it
}

// New finds espeak-ng and aplay on PATH and checks, once, that sound
// really plays: aplay is given a few milliseconds of silence, and must
// take it and exit 0. ("aplay -l" and espeak-ng's own playback both exit
// 0 on a machine with no sound card, so neither would do.) Without any of
// these, the speaker is not Available and says so at Info only: a kiosk
// with no speakers is not broken. ctx bounds the probe and every later
// Say; when it ends, any speech stops.
func New(ctx context.Context, cfg Config) *Espeak {
	s := &Espeak{
		ctx:    ctx,
		volume: clamp(cfg.Volume, DefaultVolume, 0, MaxVolume),
		rate:   clamp(cfg.Rate, DefaultRate, 80, 450),
		onEnd:  cfg.OnEnd,
		log:    cfg.Log,
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	var err error
	if s.espeak, err = exec.LookPath("espeak-ng"); err != nil {
		s.log.Info("read aloud off: espeak-ng is not installed", "err", err)
		return s
	}
	if s.aplay, err = exec.LookPath("aplay"); err != nil {
		s.log.Info("read aloud off: aplay (alsa-utils) is not installed", "err", err)
		return s
	}
	timeout := cfg.ProbeTimeout
	if timeout <= 0 {
		timeout = defaultProbeTimeout
	}
	if err := probe(ctx, s.aplay, timeout); err != nil {
		s.log.Info("read aloud off: no sound output plays", "err", err)
		return s
	}
	s.available = true
	s.log.Info("read aloud available", "volume", s.volume, "rate", s.rate)
	return s
}

// clamp is v within lo..hi, or def for 0 (or a negative, a setting gone
// wrong: speak at the normal level rather than not at all).
func clamp(v, def, lo, hi int) int {
	if v <= 0 {
		return def
	}
	return max(lo, min(v, hi))
}

// Available says whether speech can be heard: espeak-ng and aplay are
// installed and a sound device played at start.
func (s *Espeak) Available() bool { return s.available }

// Speaking says whether a Say is still speaking.
func (s *Espeak) Speaking() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur != nil
}

// Say stops anything speaking and starts speaking lines, in order, in
// lang's voice; it returns at once. Nothing to say, no voice for lang, a
// speaker that is not Available, or a failure to start all end at once
// (OnEnd is still told).
func (s *Espeak) Say(lang text.Lang, lines []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.cur; old != nil {
		old.replaced = true
		s.stopLocked(old)
	}
	spoken := SpokenLines(lines)
	voice, ok := Voice(lang)
	switch {
	case !s.available:
		s.notSpeaking(slog.LevelInfo, lang, spoken, errors.New("not available"))
	case len(spoken) == 0:
		s.notSpeaking(slog.LevelInfo, lang, spoken, errors.New("nothing to say"))
	case s.ctx.Err() != nil:
		s.notSpeaking(slog.LevelInfo, lang, spoken, s.ctx.Err())
	case !ok: // the kiosk offers a language with no voice here: a bug
		s.notSpeaking(slog.LevelWarn, lang, spoken, fmt.Errorf("no voice for language %q", lang))
	default:
		u, err := s.start(lang, voice, spoken)
		if err != nil {
			s.notSpeaking(slog.LevelWarn, lang, spoken, err)
			return
		}
		s.cur = u
		s.log.Info("read aloud: speaking", "lang", lang, "lines", len(spoken))
		go s.watch(u)
	}
}

// notSpeaking logs why a Say ends at once and tells OnEnd, on its own
// goroutine as always.
func (s *Espeak) notSpeaking(level slog.Level, lang text.Lang, spoken []string, err error) {
	s.log.Log(s.ctx, level, "read aloud: not speaking", "lang", lang, "lines", len(spoken), "err", err)
	if s.onEnd != nil {
		go s.onEnd()
	}
}

// Stop stops speaking, if anything is, and returns once both processes
// are gone; OnEnd follows on the speaker's goroutine.
func (s *Espeak) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil {
		s.stopLocked(s.cur)
	}
}

// stopLocked kills u's process group and waits for both processes. The
// watcher closes reaped before it takes mu, so waiting under mu is safe.
func (s *Espeak) stopLocked(u *utterance) {
	u.stopped = true
	s.cur = nil
	// ESRCH: both already exited; the watcher is reaping them.
	_ = syscall.Kill(-u.pgid, syscall.SIGKILL)
	<-u.reaped
}

// start runs espeak-ng (SSML on its standard input, WAV on its standard
// output) into aplay through an OS pipe: the sound never passes through
// this process. espeak-ng leads a new process group and aplay joins it.
func (s *Espeak) start(lang text.Lang, voice string, lines []string) (*utterance, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("speech pipe: %w", err)
	}
	defer r.Close() // the children hold their own copies
	defer w.Close()

	es := exec.CommandContext(s.ctx, s.espeak, append(s.espeakArgs(voice), "--stdout")...)
	es.Stdin = strings.NewReader(ssml(lines))
	es.Stdout = w
	es.Stderr = &tail{}
	es.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	es.Cancel = func() error { return syscall.Kill(-es.Process.Pid, syscall.SIGKILL) }
	es.WaitDelay = waitDelay
	if err := es.Start(); err != nil {
		return nil, fmt.Errorf("start espeak-ng: %w", err)
	}
	pgid := es.Process.Pid

	ap := exec.CommandContext(s.ctx, s.aplay, "-q", "-")
	ap.Stdin = r
	ap.Stderr = &tail{}
	ap.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pgid: pgid}
	ap.Cancel = func() error { return syscall.Kill(-pgid, syscall.SIGKILL) }
	ap.WaitDelay = waitDelay
	if err := ap.Start(); err != nil {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		_ = es.Wait()
		return nil, fmt.Errorf("start aplay: %w", err)
	}
	return &utterance{lang: lang, lines: len(lines), espeak: es, aplay: ap, pgid: pgid, reaped: make(chan struct{})}, nil
}

// espeakArgs are espeak-ng's options for voice, reading SSML from its
// standard input; the caller adds where the sound goes.
func (s *Espeak) espeakArgs(voice string) []string {
	return []string{"-v", voice, "-a", strconv.Itoa(s.volume), "-s", strconv.Itoa(s.rate),
		"-b", "1", // the text is UTF-8: say so rather than rely on espeak-ng's default
		"-m", "--stdin"}
}

// watch waits for u's processes, then tells OnEnd unless a later Say
// replaced u.
func (s *Espeak) watch(u *utterance) {
	esErr := u.espeak.Wait()
	apErr := u.aplay.Wait()
	close(u.reaped)

	s.mu.Lock()
	if s.cur == u {
		s.cur = nil
	}
	replaced, stopped := u.replaced, u.stopped
	s.mu.Unlock()

	switch {
	case stopped || s.ctx.Err() != nil:
		s.log.Info("read aloud: stopped", "lang", u.lang, "lines", u.lines)
	case esErr != nil || apErr != nil:
		s.log.Warn("read aloud failed", "lang", u.lang, "lines", u.lines,
			"err", errors.Join(cmdErr("espeak-ng", u.espeak, esErr), cmdErr("aplay", u.aplay, apErr)))
	default:
		s.log.Info("read aloud: finished", "lang", u.lang, "lines", u.lines)
	}
	if !replaced && s.onEnd != nil {
		s.onEnd()
	}
}

// cmdErr is err with the command's name and the end of what it wrote to
// stderr (espeak-ng and aplay report there; neither echoes the text).
func cmdErr(name string, c *exec.Cmd, err error) error {
	if err == nil {
		return nil
	}
	if t, ok := c.Stderr.(*tail); ok && t.String() != "" {
		return fmt.Errorf("%s: %w: %s", name, err, t.String())
	}
	return fmt.Errorf("%s: %w", name, err)
}

// probe plays a few milliseconds of silence through aplay, within timeout.
func probe(ctx context.Context, aplay string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c := exec.CommandContext(ctx, aplay, "-q", "-")
	c.Stdin = bytes.NewReader(silentWAV(10 * time.Millisecond))
	out := &tail{}
	c.Stdout, c.Stderr = out, out
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c.Cancel = func() error { return syscall.Kill(-c.Process.Pid, syscall.SIGKILL) }
	c.WaitDelay = waitDelay
	if err := c.Run(); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%w)", err, ctx.Err())
		}
		if out.String() != "" {
			return fmt.Errorf("aplay probe: %w: %s", err, out.String())
		}
		return fmt.Errorf("aplay probe: %w", err)
	}
	return nil
}

// silentWAV is d of silence as a 16-bit mono 22050 Hz WAV, espeak-ng's
// own output format, so the probe opens the device as speech will.
func silentWAV(d time.Duration) []byte {
	const rate, bytesPerSample = 22050, 2
	n := int(d.Seconds()*rate) * bytesPerSample
	var b bytes.Buffer
	le32 := func(v int) { b.Write([]byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)}) }
	le16 := func(v int) { b.Write([]byte{byte(v), byte(v >> 8)}) }
	b.WriteString("RIFF")
	le32(36 + n)
	b.WriteString("WAVEfmt ")
	le32(16)
	le16(1) // PCM
	le16(1) // mono
	le32(rate)
	le32(rate * bytesPerSample)
	le16(bytesPerSample)
	le16(16)
	b.WriteString("data")
	le32(n)
	b.Write(make([]byte, n))
	return b.Bytes()
}

// tail keeps the last few hundred bytes written to it: enough of an error
// message for the log, never unbounded.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

const tailMax = 300

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > tailMax {
		t.buf = t.buf[len(t.buf)-tailMax:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(strings.Fields(string(t.buf)), " ")
}
