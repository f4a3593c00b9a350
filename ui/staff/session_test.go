package staff

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/sync/staffsignin"
	"gpkiosk/ui/text"
)

// Signed in online, a receptionist kept busy all day is signed out when
// the server's session ends, told why, and the session is ended at the
// server when they sign out.
func TestOnlineSignInEndsWithItsSession(t *testing.T) {
	var online staffsignin.Online
	h := newHarness(t, time.Hour, func(c *Config) {
		online = staffsignin.Online{Replica: c.Backend.(staffsignin.Replica), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		c.SignIn = &online
	})
	online.Server = h.server
	h.signInAs(store.StaffReceptionist)
	m, ok := h.d.signedIn()
	id, until := m.Session()
	if !ok || id == "" {
		t.Fatalf("signed in without a session from the practice server: %+v", m)
	}
	// The day goes on; the desk is used a second before the session ends.
	h.now.Store(until.Add(-time.Second).Unix())
	h.openMargaret()
	h.waitFor(text.T(text.StaffSessionOver))
	if _, ok := h.d.signedIn(); ok {
		t.Fatal("still signed in after the session ended")
	}
	// Signing out told the server (in the background).
	deadline := time.Now().Add(5 * time.Second)
	for {
		var ended bool
		err := readOnly(t, h.st).QueryRowContext(context.Background(), "SELECT ended_at IS NOT NULL FROM staff_sessions WHERE id = ?", id).Scan(&ended)
		if err == nil && ended {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server's session was not ended on sign-out (%v)", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func readOnly(t *testing.T, st *store.Store) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+st.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
