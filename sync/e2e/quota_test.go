package e2e

import (
	"context"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
)

// Issue 14, finding 7, as a kiosk meets it, with the real runner, replica
// and server: a kiosk past its help quota has the rest held, not refused.
// The held calls stay on the kiosk, counted as waiting; a booking made
// after them reaches the practice in the same sync; the status line does
// not call the server broken; and once the hour has moved the held calls
// are sent, each once. The practice is told once.
func TestHeldHelpRequestsWaitAndABookingBehindThemDoesNot(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 100)
	kiosk := e.newDevice(t, gpsync.RoleKiosk)
	syncUntilDrained(t, kiosk)
	q, _ := store.QuotaFor(store.KindAskForHelp)
	const extra = 5
	for range q.PerHour + extra {
		if _, err := kiosk.rep.AskForHelp(ctx, ""); err != nil {
			t.Fatal(err)
		}
	}
	patient := e.kioskPts[0]
	dob := e.dobs[patient]
	slots, err := kiosk.rep.FreeSlots(ctx, patient, dob, e.today(t), 7)
	if err != nil || len(slots) == 0 {
		t.Fatalf("free slots: %d, %v", len(slots), err)
	}
	e.signIn(t, kiosk, patient)
	slot := slots[len(slots)-1].ID
	if _, err := kiosk.rep.Book(ctx, patient, slot, dob); err != nil {
		t.Fatal(err)
	}

	db := e.db(t)
	helpOnServer := func() int {
		return count(t, db, "SELECT count(*) FROM help_requests WHERE device_id = ?", kiosk.id)
	}
	reports := func() int {
		return count(t, db, "SELECT count(*) FROM problem_reports WHERE reporter = 'system' AND device_id = ? AND category = 'Device limit reached'", kiosk.id)
	}
	if err := kiosk.runner.SyncNow(ctx); err != nil {
		t.Fatalf("a sync with help requests held: %v", err)
	}
	if n := helpOnServer(); n != q.PerHour {
		t.Fatalf("%d help requests on the server, want the hour's %d", n, q.PerHour)
	}
	if n := count(t, db, "SELECT count(*) FROM appointments WHERE slot_id = ? AND patient_id = ? AND status = 'booked'", slot, patient); n != 1 {
		t.Fatal("the booking queued behind the held help requests did not reach the server")
	}
	appts, err := kiosk.rep.Appointments(ctx, patient)
	if err != nil || len(appts) != 1 || appts[0].State != replica.StateConfirmed {
		t.Fatalf("the kiosk's appointments: %+v, %v; want the booking confirmed", appts, err)
	}
	if st := kiosk.runner.Status(); !st.Online || st.LastError != "" || st.Pending != extra || st.NeedsAttention != 0 {
		t.Fatalf("status while held: %+v; want online, no error, %d waiting, nothing needing attention", st, extra)
	}
	if n := reports(); n != 1 {
		t.Fatalf("%d reports to the practice, want 1", n)
	}

	// Within the hour the held calls stay on the kiosk.
	e.now.Add(int64(30 * time.Minute / time.Second))
	if err := kiosk.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := kiosk.rep.PendingCount(ctx); n != extra || helpOnServer() != q.PerHour {
		t.Fatalf("half an hour on: %d waiting, %d on the server", n, helpOnServer())
	}
	// When the hour has moved they are sent, and taken, each once.
	e.now.Add(int64(30 * time.Minute / time.Second))
	if err := kiosk.runner.SyncNow(ctx); err != nil {
		t.Fatalf("a sync after the hold: %v", err)
	}
	if n, _ := kiosk.rep.PendingCount(ctx); n != 0 {
		t.Fatalf("%d still waiting after the hold", n)
	}
	if n := helpOnServer(); n != q.PerHour+extra {
		t.Fatalf("%d help requests on the server, want all %d", n, q.PerHour+extra)
	}
	if n := reports(); n != 1 {
		t.Fatalf("%d reports to the practice, want 1", n)
	}
	if st := kiosk.runner.Status(); !st.Online || st.LastError != "" || st.Pending != 0 {
		t.Fatalf("status after the hold: %+v", st)
	}
}
