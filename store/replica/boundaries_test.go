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

// Kinds the server holds to a quota are left out of what is sent, and
// stay queued, while everything else keeps its order; a held kind that
// something waited for would still stop the list (it never is: quotas are
// on reports, help and lesson counts only).
func TestPendingOpsLeaveHeldKindsQueued(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	help1, err := f.r.AskForHelp(ctx, "first")
	if err != nil {
		t.Fatal(err)
	}
	b := f.book(alice, slotFree, dobAlice)
	help2, err := f.r.AskForHelp(ctx, "second")
	if err != nil {
		t.Fatal(err)
	}
	report, err := f.r.ReportProblem(ctx, "screen", "Frozen")
	if err != nil {
		t.Fatal(err)
	}
	kinds := func(ops []gpsync.Op) (out []string) {
		for _, o := range ops {
			out = append(out, o.Kind)
		}
		return out
	}
	ops, err := f.r.PendingOps(ctx, 100, gpsync.OpAskForHelp)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 2 || ops[0].Kind != gpsync.OpBook || ops[1].ID != report {
		t.Fatalf("skipping help requests gave %v, want the booking then the report", kinds(ops))
	}
	if n, err := f.r.PendingCount(ctx); err != nil || n != 4 {
		t.Fatalf("%d pending (%v), want the held help requests still counted", n, err)
	}
	if ops, err = f.r.PendingOps(ctx, 100, gpsync.OpAskForHelp, gpsync.OpReportProblem); err != nil || len(ops) != 1 || ops[0].Kind != gpsync.OpBook {
		t.Fatalf("skipping two kinds gave %v, %v", kinds(ops), err)
	}
	if ops, err = f.r.PendingOps(ctx, 100); err != nil || len(ops) != 4 || ops[0].ID != help1 || ops[2].ID != help2 {
		t.Fatalf("skipping nothing gave %v, %v", kinds(ops), err)
	}
	// A cancel waits for its booking: holding bookings would hold it and
	// what follows, never send it first.
	if _, err := f.r.CancelAppointment(ctx, alice, b.Ref); err != nil {
		t.Fatal(err)
	}
	after, err := f.r.ReportProblem(ctx, "printer", "Jammed")
	if err != nil {
		t.Fatal(err)
	}
	ops, err = f.r.PendingOps(ctx, 100, gpsync.OpBook)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range ops {
		if o.Kind == gpsync.OpCancelAppointment || o.ID == after {
			t.Fatalf("with bookings held, %v went", kinds(ops))
		}
	}
}
