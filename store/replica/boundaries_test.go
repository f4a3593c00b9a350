package replica

import (
	"context"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// A patient who mistypes their date of birth and then gets it right
// starts again from nothing: four slips before a success and four after
// do not add up to a pause.
func TestSuccessfulSignInForgetsEarlierSlips(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	wrong := store.Date{Year: 1980, Month: time.May, Day: 2}
	slips := func() {
		for range maxFailuresPerPatient - 1 {
			_, err := f.r.SignIn(ctx, "acct-alice", wrong)
			wantRefusal(t, err, store.ReasonNotFound)
		}
	}
	slips()
	if _, err := f.r.SignIn(ctx, "acct-alice", dobAlice); err != nil {
		t.Fatalf("right date after slips: %v", err)
	}
	slips()
	if _, err := f.r.SignIn(ctx, "acct-alice", dobAlice); err != nil {
		t.Fatalf("the slips before the last sign-in still counted: %v", err)
	}
	if n := pendingReports(t, f); n != 0 {
		t.Errorf("%d reports to staff for a patient who signed in", n)
	}
}

// Actions leave in the order they were made, and an action waiting on an
// earlier one's answer holds back everything after it (a cancel must not
// overtake the booking it cancels).
func TestPendingOpsInOrderAndStopAtOneWaiting(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	var want []string
	for _, note := range []string{"first", "second", "third"} {
		id, err := f.r.AskForHelp(ctx, note)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, id)
	}
	ops, err := f.r.PendingOps(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != len(want) {
		t.Fatalf("%d ops pending, want %d", len(ops), len(want))
	}
	for i, op := range ops {
		if op.ID != want[i] {
			t.Fatalf("op %d is %s, want %s: out of order", i, op.ID, want[i])
		}
	}
	// Cancelling a booking not yet answered waits on that answer: the
	// cancel, and what is queued after it, stay back until then.
	b := f.book(alice, slotFree, dobAlice)
	if _, err := f.r.CancelAppointment(ctx, alice, b.Ref); err != nil {
		t.Fatal(err)
	}
	after, err := f.r.AskForHelp(ctx, "fourth")
	if err != nil {
		t.Fatal(err)
	}
	ops, err = f.r.PendingOps(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != len(want)+1 || ops[len(ops)-1].Kind != gpsync.OpBook {
		t.Fatalf("pending %v: want the three requests and the booking, then nothing until the booking is answered", ops)
	}
	for _, op := range ops {
		if op.ID == after || op.Kind == gpsync.OpCancelAppointment {
			t.Fatalf("an op waiting on an answer, or queued after one, was sent: %v", ops)
		}
	}
	if ops, err = f.r.PendingOps(ctx, 2); err != nil || len(ops) != 2 || ops[0].ID != want[0] || ops[1].ID != want[1] {
		t.Fatalf("a limit of 2 gave %v, %v", ops, err)
	}
}
