package staff

import (
	"context"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/sync/client"
	"gpkiosk/ui/text"
)

// The practice's idle sign-out time, as last synced, applies from the
// next sign-in without a restart; --staff-idle stands until the desk has
// synced one.
func TestDeskTakesThePracticesIdleTimeAtEachSignIn(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, time.Hour, func(c *Config) { c.Settings = c.Backend.(PracticeSettings) })
	idleFor := func() time.Duration {
		h.d.mu.Lock()
		defer h.d.mu.Unlock()
		return h.d.idleFor
	}
	h.signInAs(store.StaffReceptionist)
	h.waitFor(text.T(text.StaffSignedInAs, "", "")[:8])
	if got := idleFor(); got != 5*time.Minute {
		t.Fatalf("signed in for %v of idleness, want the practice's 5 minutes", got)
	}
	st, err := h.st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.StaffIdleMinutes = 12
	if err := h.st.UpdateSettings(ctx, store.Actor{Name: "manager:test", Device: "desk"}, st); err != nil {
		t.Fatal(err)
	}
	if err := client.NewRunner(h.server, h.rep, client.RunnerOptions{Clock: h.d.cfg.Clock}).SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if got := idleFor(); got != 5*time.Minute {
		t.Fatalf("the sign-in under way changed to %v", got)
	}
	h.d.SignOut("")
	h.signInAs(store.StaffReceptionist)
	h.waitFor(text.T(text.StaffSignedInAs, "", "")[:8])
	if got := idleFor(); got != 12*time.Minute {
		t.Fatalf("the next sign-in goes by %v, want 12 minutes", got)
	}
}
