package e2e

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	"gpkiosk/sync/client"
	"gpkiosk/sync/staffsignin"
)

// signInOnline is the desk's sign-in for a desktop: through the fault
// proxy, as the app wires it (cmd/gpkiosk).
func (e *env) signInOnline(t testing.TB, d *device) staffsignin.Online {
	t.Helper()
	c, err := client.New(e.proxy.URL(), client.WithToken(kioskToken(t, d)), client.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return staffsignin.Online{Replica: d.rep, Server: c, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Wait: time.Second}
}

// viewedAtDesk has the member of staff open a patient's record at the desk, which
// queues a record_view op in their name, and sends it.
func viewedAtDesk(t *testing.T, d *device, m replica.StaffMember, patient int64) {
	t.Helper()
	if _, err := d.rep.PatientRecord(context.Background(), m, patient); err != nil {
		t.Fatal(err)
	}
	syncUntilDrained(t, d)
	if n, err := d.rep.AttentionCount(context.Background()); err != nil || n != 0 {
		t.Fatalf("%d ops refused by the server (%v)", n, err)
	}
}

// A receptionist signs in on a desktop, as the desk does it: online (a
// session from the server), offline with the cable pulled (their
// password's key), and is refused with the server's words when the
// desktop's copy of their password or account is out of date.
func TestStaffSignInOnlineAndOffline(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 60)
	desk := e.newDevice(t, "desktop")
	syncUntilDrained(t, desk)
	online := e.signInOnline(t, desk)
	db := e.db(t)
	patient := e.kioskPts[0]
	views := func() int {
		return count(t, db, "SELECT count(*) FROM audit_events WHERE action = 'patient.view' AND actor = 'staff:reception' AND subject_id = ?", patient)
	}

	m, err := online.StaffSignIn(ctx, "reception", "reception-demo")
	if err != nil {
		t.Fatal(err)
	}
	if id, until := m.Session(); id == "" || !until.Equal(e.clock().Add(store.StaffSessionLength)) {
		t.Fatalf("signed in online without a session: %q until %v", id, until)
	}
	viewedAtDesk(t, desk, m, patient)
	if views() != 1 {
		t.Fatalf("%d views audited as the receptionist, want 1", views())
	}
	online.StaffSignOut(ctx, m)
	if n := count(t, db, "SELECT count(*) FROM staff_sessions WHERE ended_at IS NOT NULL"); n != 1 {
		t.Fatalf("%d sessions ended after signing out, want 1", n)
	}

	// Cable pulled (connections stall): signed in here all the same, with
	// the password's key; what they do reaches the server later as theirs.
	e.proxy.Pause()
	m, err = online.StaffSignIn(ctx, "reception", "reception-demo")
	if err != nil {
		t.Fatalf("offline sign-in: %v", err)
	}
	if id, _ := m.Session(); id != "" {
		t.Fatalf("a session %q with the network down", id)
	}
	if _, err := desk.rep.PatientRecord(ctx, m, patient); err != nil {
		t.Fatal(err)
	}
	e.proxy.Resume()
	syncUntilDrained(t, desk)
	if views() != 2 {
		t.Fatalf("%d views audited after the network came back, want 2", views())
	}

	// The manager changes the receptionist's password and switches a
	// clinician off; this desktop has not synced since.
	manager := store.Actor{Name: "staff:manager", Device: "server"}
	if err := e.st.SetStaffPassword(ctx, manager, "reception", "a-new-reception-password"); err != nil {
		t.Fatal(err)
	}
	if err := e.st.SetStaffActive(ctx, manager, "nurse", false); err != nil {
		t.Fatal(err)
	}
	_, err = online.StaffSignIn(ctx, "reception", "reception-demo")
	if re, ok := store.AsRuleError(err); !ok || re.Reason != store.ReasonNotProven || re.Message == "" {
		t.Fatalf("old password after it was changed at the server: %v", err)
	}
	_, err = online.StaffSignIn(ctx, "nurse", "nurse-demo-1")
	if re, ok := store.AsRuleError(err); !ok || re.Reason != store.ReasonStaffAccountOff {
		t.Fatalf("switched-off account: %v", err)
	}
	syncUntilDrained(t, desk)
	if m, err = online.StaffSignIn(ctx, "reception", "a-new-reception-password"); err != nil {
		t.Fatalf("new password after a sync: %v", err)
	}
	if id, _ := m.Session(); id == "" {
		t.Fatal("no session with the new password")
	}
}
