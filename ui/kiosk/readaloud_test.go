package kiosk

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gpkiosk/ui/text"
)

// fakeSpeaker records what the kiosk asks to be said; the real one
// (ui/speech) is tested against espeak-ng itself.
type fakeSpeaker struct {
	mu       sync.Mutex
	canSpeak bool
	speaking bool
	said     []said
	stops    int
}

type said struct {
	lang  text.Lang
	lines []string
}

func (f *fakeSpeaker) Say(l text.Lang, lines []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.said, f.speaking = append(f.said, said{l, slices.Clone(lines)}), true
}

func (f *fakeSpeaker) Stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stops++
	f.speaking = false
}

func (f *fakeSpeaker) Speaking() bool  { f.mu.Lock(); defer f.mu.Unlock(); return f.speaking }
func (f *fakeSpeaker) Available() bool { return f.canSpeak }

func (f *fakeSpeaker) last() said {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.said) == 0 {
		return said{}
	}
	return f.said[len(f.said)-1]
}

func (f *fakeSpeaker) count() (saids, stops int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.said), f.stops
}

func TestReadThisToMe(t *testing.T) {
	sp := &fakeSpeaker{canSpeak: true}
	h := newHarness(t, Config{Speaker: sp})
	h.tap(text.T(text.ReadAloud))
	got := sp.last()
	if got.lang != text.LangEnglish || len(got.lines) < 3 || got.lines[0] != "Meadowbank Surgery" || got.lines[1] != text.T(text.WelcomePrompt) {
		t.Fatalf("read the welcome screen as %+v", got)
	}
	if !slices.Contains(got.lines, text.T(text.CheckIn)) {
		t.Fatalf("the choices were not read: %q", got.lines)
	}
	// Pressed again, it stops.
	h.tap(text.T(text.ReadAloudStop))
	if _, stops := sp.count(); stops != 1 || sp.Speaking() {
		t.Fatalf("pressing Stop reading: %d stops", stops)
	}
	h.want(text.T(text.ReadAloud))
	// It stops when the screen changes.
	h.tap(text.T(text.ReadAloud))
	h.tap(text.T(text.BookAppointment))
	if sp.Speaking() {
		t.Fatal("still reading the welcome screen on the sign-in screen")
	}
	h.want(text.T(text.ReadAloud))
	// In the patient's language.
	welsh, _ := text.LanguageOf(text.LangWelsh)
	h.chooseLanguage(welsh)
	cy := text.For(text.LangWelsh)
	h.tap(cy.T(text.ReadAloud))
	if got := sp.last(); got.lang != text.LangWelsh || !slices.Contains(got.lines, cy.T(text.SignInTitle)) {
		t.Fatalf("in Welsh it read %+v", got)
	}
}

func TestNoReadAloudWhereTheKioskCannotSpeak(t *testing.T) {
	for name, sp := range map[string]Speaker{"no speaker": nil, "no sound": &fakeSpeaker{}} {
		h := newHarness(t, Config{Speaker: sp})
		if h.screenHas(text.T(text.ReadAloud)) {
			t.Errorf("%s: the button is shown", name)
		}
	}
}

// Read unasked (the practice's choice for the kiosk), a screen is read
// while nobody is signed in; once someone is, nothing of theirs is said
// unless they press the button on that screen.
func TestReadAloudByDefaultNeverReadsARecordUnasked(t *testing.T) {
	sp := &fakeSpeaker{canSpeak: true}
	h := newHarness(t, Config{Speaker: sp, ReadAloudByDefault: true})
	h.waitFor(func() bool { return slices.Contains(sp.last().lines, text.T(text.WelcomePrompt)) })
	if got := sp.last(); !slices.Contains(got.lines, text.T(text.CheckIn)) {
		t.Fatalf("the welcome screen's choices were not read: %+v", got)
	}
	sp.Stop()
	h.tap(text.T(text.BookAppointment))
	h.waitFor(func() bool { return slices.Contains(sp.last().lines, text.T(text.SignInTitle)) })
	h.signIn()
	h.want(text.T(text.BookWhatFor))
	before, _ := sp.count()
	h.tap("GP appointment")
	h.want(text.T(text.BookChooseTime))
	time.Sleep(3 * readAfterLayout) // time enough for an unasked reading to start
	h.waitFor(func() bool { return len(h.ui) == 0 })
	if after, _ := sp.count(); after != before {
		t.Fatalf("a signed-in screen was read unasked: %+v", sp.last())
	}
	for _, l := range sp.last().lines {
		if strings.Contains(l, h.name) {
			t.Fatalf("the patient's name was read unasked: %q", l)
		}
	}
	// Asked, it reads their screen, times and all.
	h.tap(text.T(text.ReadAloud))
	if got := sp.last(); !slices.ContainsFunc(got.lines, func(l string) bool { return strings.Contains(l, "June") }) {
		t.Fatalf("asked, it did not read the times: %q", got.lines)
	}
}
