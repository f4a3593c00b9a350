package kiosk

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	"gpkiosk/ui/text"
)

// fromReplica asks newHarness for a kiosk that takes the practice's
// settings from its replica, as cmd/gpkiosk sets one up.
type fromReplica struct{ PracticeSettings }

// The practice manager changes the kiosks' idle times and turns reading
// aloud on: the visit under way keeps what it started with, and the next
// visit, with no restart, waits the new time, gives the new time to
// answer "Are you still there?", and reads the welcome screen aloud.
func TestNextVisitTakesThePracticesNewSettings(t *testing.T) {
	ctx := context.Background()
	sp := &fakeSpeaker{canSpeak: true}
	// The flags would wait an hour and never read unasked.
	h := newHarness(t, Config{Speaker: sp, Settings: fromReplica{}, IdleTimeout: time.Hour, WarnFor: time.Hour})
	if v := h.k.visitNow(); v.idle != 60*time.Second || v.warn != 30*time.Second || v.readAloud {
		t.Fatalf("a kiosk synced with the demo practice's settings goes by %+v", v)
	}
	h.tap(text.T(text.CheckIn)) // a visit under way

	st, err := h.st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.KioskIdleSeconds, st.KioskIdleWarningSeconds, st.ReadAloudDefault = 45, 25, true
	if err := h.st.UpdateSettings(ctx, store.Actor{Name: "manager:test", Device: "desk"}, st); err != nil {
		t.Fatal(err)
	}
	if err := h.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	h.k.Synced() // the sync runner's report, as cmd/gpkiosk passes it on
	if v := h.k.visitNow(); v.idle != 60*time.Second || v.readAloud {
		t.Fatalf("the visit under way changed to %+v", v)
	}
	before, _ := sp.count()

	h.k.EndVisit() // the patient finishes; the next one starts
	h.waitFor(func() bool { return slices.Contains(sp.last().lines, text.T(text.WelcomePrompt)) })
	if after, _ := sp.count(); after == before {
		t.Fatal("the welcome screen was not read aloud")
	}
	if v := h.k.visitNow(); v.idle != 45*time.Second || v.warn != 25*time.Second {
		t.Fatalf("the next visit goes by %+v, want 45 s and 25 s", v)
	}
	// "Are you still there?" counts down from the practice's 25 seconds.
	h.tap(text.T(text.CheckIn))
	h.k.mu.Lock()
	gen := h.k.gen
	h.k.mu.Unlock()
	h.k.warnIdle(gen)
	h.want(text.T(text.IdleTitle))
	h.want(text.T(text.IdleCountdown, "25"))
}

// A kiosk left on its welcome screen takes new settings at the next sync,
// so the next person to walk up gets them.
func TestAKioskBetweenVisitsTakesSettingsAtEachSync(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Config{Settings: fromReplica{}})
	st, err := h.st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.KioskIdleSeconds, st.KioskIdleWarningSeconds = 120, 40
	if err := h.st.UpdateSettings(ctx, store.Actor{Name: "manager:test", Device: "desk"}, st); err != nil {
		t.Fatal(err)
	}
	if err := h.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	h.k.Synced()
	if v := h.k.visitNow(); v.idle != 120*time.Second || v.warn != 40*time.Second {
		t.Fatalf("after the sync the kiosk goes by %+v", v)
	}
}

// Before its first sync a kiosk has no practice settings: the flags (and
// the built-in defaults) stand, --read-aloud among them.
func TestFlagsStandUntilTheFirstSync(t *testing.T) {
	ctx := context.Background()
	fresh, err := replica.Open(ctx, filepath.Join(t.TempDir(), "new-kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fresh.Close() })
	sp := &fakeSpeaker{canSpeak: true}
	h := newHarness(t, Config{Speaker: sp, Settings: fresh, IdleTimeout: 75 * time.Second, ReadAloudByDefault: true})
	if v := h.k.visitNow(); v.idle != 75*time.Second || v.warn != 30*time.Second || !v.readAloud {
		t.Fatalf("before the first sync the kiosk goes by %+v", v)
	}
	h.waitFor(func() bool { return slices.Contains(sp.last().lines, text.T(text.WelcomePrompt)) })
}
