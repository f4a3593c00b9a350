package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"gpkiosk/store/sqlitedb"
)

// batchReq is a proved request from dev under the nth batch key.
func (lf *loopFixture) batchReq(t *testing.T, n int, dev Device, staffID int64, cmd Command) Request {
	t.Helper()
	return lf.proved(t, Request{Key: fmt.Sprintf("00000000-0000-4000-8000-b%011d", n), Device: dev, StaffID: staffID, MadeAt: lf.clock.Now(), Command: cmd})
}

// wantChainHolds checks the audit log verifies end to end.
func wantChainHolds(t *testing.T, st *Store) {
	t.Helper()
	if _, err := st.VerifyAuditChain(context.Background()); err != nil {
		t.Fatalf("audit chain: %v", err)
	}
}

// A refused request in the middle of a batch is answered and recorded as
// refused, and the requests either side of it are applied; the batch sent
// again is answered the same and changes nothing.
func TestApplyBatchRefusalInTheMiddle(t *testing.T) {
	lf := newLoopFixture(t)
	ctx := context.Background()
	first, second := lf.slotAt(t, lf.monday.AddDays(1), 9, 0), lf.slotAt(t, lf.monday.AddDays(1), 9, 10)
	other := lf.addPatient(t, "Other", "999000002", "1970-01-01")
	reqs := []Request{
		lf.batchReq(t, 1, lf.desk, lf.recep, Book{SlotID: first, PatientID: lf.patient}),
		lf.batchReq(t, 2, lf.desk, lf.recep, Book{SlotID: first, PatientID: other}), // taken by the one before
		lf.batchReq(t, 3, lf.desk, lf.recep, Book{SlotID: second, PatientID: other}),
	}
	outs, err := lf.st.ApplyBatch(ctx, reqs)
	if err != nil || len(outs) != 3 {
		t.Fatalf("%d outcomes, %v", len(outs), err)
	}
	a1, a3 := made[Booked](t, outs[0]), made[Booked](t, outs[2])
	if outs[1].Applied() || outs[1].Refusal.Reason != ReasonSlotTaken {
		t.Fatalf("the second booking of a slot: %+v", outs[1])
	}
	if a1.AppointmentID == a3.AppointmentID {
		t.Fatal("two bookings made one appointment")
	}
	if applied, rejected, _ := lf.st.OpCount(ctx); applied != 2 || rejected != 1 {
		t.Fatalf("recorded %d applied, %d rejected; want 2, 1", applied, rejected)
	}
	if n := lf.count(t, "SELECT count(*) FROM appointments WHERE status = 'booked'"); n != 2 {
		t.Fatalf("%d appointments booked, want 2", n)
	}
	wantChainHolds(t, lf.st)

	before := lf.snapshot(t)
	again, err := lf.st.ApplyBatch(ctx, reqs)
	if err != nil || len(again) != 3 {
		t.Fatalf("replay: %d outcomes, %v", len(again), err)
	}
	if again[0].Made != outs[0].Made || again[2].Made != outs[2].Made || again[1].Applied() || again[1].Refusal.Reason != ReasonSlotTaken {
		t.Fatalf("replay answered %+v, first %+v", again, outs)
	}
	if lf.snapshot(t) != before {
		t.Fatal("the replayed batch changed the practice's data")
	}
}

// A batch longer than one write transaction holds is applied whole, in
// order, and the audit chain runs unbroken across its transactions.
func TestApplyBatchAcrossTransactions(t *testing.T) {
	lf := newLoopFixture(t)
	ctx := context.Background()
	var reqs []Request
	for i := range 3*batchMaxOps + 5 {
		reqs = append(reqs, lf.batchReq(t, i, lf.desk, lf.recep, RecordView{PatientIDs: []int64{lf.patient}, What: "record"}))
	}
	outs, err := lf.st.ApplyBatch(ctx, reqs)
	if err != nil || len(outs) != len(reqs) {
		t.Fatalf("%d of %d answered: %v", len(outs), len(reqs), err)
	}
	for i, out := range outs {
		if !out.Applied() {
			t.Fatalf("request %d refused: %+v", i, out.Refusal)
		}
	}
	if applied, _, _ := lf.st.OpCount(ctx); applied != len(reqs) {
		t.Fatalf("%d recorded, want %d", applied, len(reqs))
	}
	wantChainHolds(t, lf.st)
}

// A request held to its quota stops the batch there: the requests before
// it are applied and answered, it and those after it are not recorded, so
// the device sends them again later.
func TestApplyBatchStopsAtAHeldRequest(t *testing.T) {
	lf := newLoopFixture(t)
	ctx := context.Background()
	q, _ := QuotaFor(KindAskForHelp)
	for range q.PerHour - 1 {
		wantApplied(t, lf.apply(t, lf.kiosk, 0, AskForHelp{Note: "Stuck"}))
	}
	reqs := []Request{
		lf.batchReq(t, 1, lf.kiosk, 0, AskForHelp{Note: "the last of the hour"}),
		lf.batchReq(t, 2, lf.kiosk, 0, AskForHelp{Note: "one too many"}),
		lf.batchReq(t, 3, lf.kiosk, 0, ReportProblem{Category: "printer", Description: "No slip"}),
	}
	applied, _, _ := lf.st.OpCount(ctx)
	outs, err := lf.st.ApplyBatch(ctx, reqs)
	var held *QuotaError
	if !errors.As(err, &held) || held.Kind != KindAskForHelp {
		t.Fatalf("want the second held to its quota, got %v", err)
	}
	if len(outs) != 1 || !outs[0].Applied() {
		t.Fatalf("answered %+v, want the first applied", outs)
	}
	if now, _, _ := lf.st.OpCount(ctx); now != applied+1 {
		t.Fatalf("%d recorded, want only the first", now-applied)
	}
	if n := lf.count(t, "SELECT count(*) FROM applied_ops WHERE op_id IN (?, ?)", reqs[1].Key, reqs[2].Key); n != 0 {
		t.Fatal("a request at or after the held one was recorded")
	}
	if n := lf.count(t, "SELECT count(*) FROM problem_reports WHERE reporter = 'patient'"); n != 0 {
		t.Fatal("the request after the held one was applied")
	}
	wantChainHolds(t, lf.st)
}

// A refusal rolls back the audit events its request wrote before it was
// refused (here the report that the device reached its limit), and the
// next request in the same transaction chains from the event before them.
func TestApplyBatchRefusalKeepsTheAuditChain(t *testing.T) {
	lf := newLoopFixture(t)
	ctx := context.Background()
	q, _ := QuotaFor(KindReportProblem)
	for range q.PerHour - 1 {
		wantApplied(t, lf.apply(t, lf.kiosk, 0, ReportProblem{Category: "screen", Description: "Hard to read"}))
	}
	events := lf.count(t, "SELECT count(*) FROM audit_events")
	outs, err := lf.st.ApplyBatch(ctx, []Request{
		// The last of the hour, so it writes the practice's report of the
		// limit, then is refused for saying nothing: both go.
		lf.batchReq(t, 1, lf.kiosk, 0, ReportProblem{Category: "screen", Description: "  "}),
		lf.batchReq(t, 2, lf.kiosk, 0, AskForHelp{Note: "Stuck"}),
	})
	if err != nil || len(outs) != 2 || outs[0].Applied() || !outs[1].Applied() {
		t.Fatalf("outcomes %+v, %v", outs, err)
	}
	if n := lf.count(t, "SELECT count(*) FROM audit_events"); n != events+1 {
		t.Fatalf("%d audit events added, want only the help request's", n-events)
	}
	if got := lf.systemReports(t, lf.kiosk.ID, "Device limit reached"); len(got) != 0 {
		t.Fatalf("the refused request's report stayed: %q", got)
	}
	wantChainHolds(t, lf.st)
	// And the store's next transaction chains from there too.
	wantApplied(t, lf.apply(t, lf.kiosk, 0, AskForHelp{Note: "Still stuck"}))
	wantChainHolds(t, lf.st)
}

// A batch whose context ends part way loses nothing it answered: every
// outcome returned is recorded, and the batch sent again is answered the
// same for those and applies the rest.
func TestApplyBatchCancelledPartWay(t *testing.T) {
	lf := newLoopFixture(t)
	var reqs []Request
	for i := range 20 * batchMaxOps {
		reqs = append(reqs, lf.batchReq(t, i, lf.desk, lf.recep, RecordView{PatientIDs: []int64{lf.patient}, What: "record"}))
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// Somewhere in the batch; wherever it lands, the checks hold.
		time.Sleep(5 * time.Millisecond)
		cancel()
	}()
	outs, err := lf.st.ApplyBatch(ctx, reqs)
	cancel()
	if err == nil && len(outs) != len(reqs) {
		t.Fatalf("%d of %d answered without an error", len(outs), len(reqs))
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("want the cancellation, got %v", err)
	}
	for i := range outs {
		if lf.count(t, "SELECT count(*) FROM applied_ops WHERE op_id = ?", reqs[i].Key) != 1 {
			t.Fatalf("request %d was answered but not recorded", i)
		}
	}
	if n := lf.count(t, "SELECT count(*) FROM applied_ops"); n < len(outs) {
		t.Fatalf("%d recorded, %d answered", n, len(outs))
	}
	wantChainHolds(t, lf.st)
	again, err := lf.st.ApplyBatch(context.Background(), reqs)
	if err != nil || len(again) != len(reqs) {
		t.Fatalf("sent again: %d answered, %v", len(again), err)
	}
	if applied, _, _ := lf.st.OpCount(context.Background()); applied != len(reqs) {
		t.Fatalf("%d applied once each, want %d", applied, len(reqs))
	}
	wantChainHolds(t, lf.st)
}

// An incomplete request anywhere in a batch refuses the batch before
// anything of it is applied.
func TestApplyBatchRefusesAnIncompleteRequest(t *testing.T) {
	lf := newLoopFixture(t)
	good := lf.batchReq(t, 1, lf.kiosk, 0, AskForHelp{Note: "Stuck"})
	bad := Request{Key: "k", Device: lf.kiosk, Command: AskForHelp{}}
	outs, err := lf.st.ApplyBatch(context.Background(), []Request{good, bad})
	if !errors.Is(err, ErrIncompleteRequest) || len(outs) != 0 {
		t.Fatalf("%+v, %v", outs, err)
	}
	if n := lf.count(t, "SELECT count(*) FROM applied_ops"); n != 0 {
		t.Fatalf("%d recorded", n)
	}
}

// The writer keeps the settings between its transactions, but a change
// made any way is seen by the next request: through the store, by the
// manager's settings screen, by a statement on the writer's own
// connection, and by another connection to the file (as the admin
// commands make beside a running server). The setting tried is how far
// back a device's clock is believed: a request made two hours ago is
// judged at the bound, and audited, only when the bound is one hour.
func TestSettingsChangesAreSeenByTheNextRequest(t *testing.T) {
	lf := newLoopFixture(t)
	ctx := context.Background()
	other, err := sql.Open("sqlite", sqlitedb.DSN(lf.path, false))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	n := 0
	bounded := func() bool {
		t.Helper()
		n++
		before := lf.count(t, "SELECT count(*) FROM audit_events WHERE action = 'op.time_bounded'")
		req := lf.batchReq(t, n, lf.desk, lf.recep, RecordView{PatientIDs: []int64{lf.patient}, What: "record"})
		req.MadeAt = lf.clock.Now().Add(-2 * time.Hour)
		out, err := lf.st.Apply(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		wantApplied(t, out)
		return lf.count(t, "SELECT count(*) FROM audit_events WHERE action = 'op.time_bounded'") > before
	}
	set := map[string]func(hours int){
		"UpdateSettings": func(hours int) {
			st := DefaultSettings()
			st.DeviceTimeBackHours = hours
			if err := lf.st.UpdateSettings(ctx, SystemActor(), st); err != nil {
				t.Fatal(err)
			}
		},
		"SaveManagedSettings": func(hours int) {
			m, err := lf.st.ManagedSettings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			m.Settings.DeviceTimeBackHours = hours
			if err := lf.st.SaveManagedSettings(ctx, SystemActor(), ManagedSettingsChange{Settings: m.Settings, SlotTypeAges: m.SlotTypeAges}); err != nil {
				t.Fatal(err)
			}
		},
		"the writer's connection": func(hours int) {
			if _, err := lf.st.write.Exec("UPDATE online_settings SET device_time_back_hours = ?", hours); err != nil {
				t.Fatal(err)
			}
		},
		"another connection": func(hours int) {
			if _, err := other.Exec("UPDATE online_settings SET device_time_back_hours = ?", hours); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, change := range set {
		if bounded() || bounded() { // the second from the writer's memory
			t.Fatalf("%s: bounded at 72 hours", name)
		}
		change(1)
		if !bounded() || !bounded() {
			t.Fatalf("%s: a change to 1 hour was not seen", name)
		}
		change(72)
		if bounded() {
			t.Fatalf("%s: the change back to 72 hours was not seen", name)
		}
	}
	wantChainHolds(t, lf.st)
}

// Another connection's audit event (the admin commands write them beside
// a running server) is chained from by the writer's next one.
func TestAuditChainAfterAnotherWriter(t *testing.T) {
	lf := newLoopFixture(t)
	ctx := context.Background()
	wantApplied(t, lf.apply(t, lf.kiosk, 0, AskForHelp{Note: "one"}))
	wantApplied(t, lf.apply(t, lf.kiosk, 0, AskForHelp{Note: "two"})) // the head from memory
	admin, err := Open(ctx, lf.path, WithClock(lf.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.UpdateSettings(ctx, SystemActor(), DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	admin.Close()
	wantApplied(t, lf.apply(t, lf.kiosk, 0, AskForHelp{Note: "three"}))
	if _, err := lf.st.BookAppointment(ctx, BookingRequest{SlotID: lf.slotAt(t, lf.monday.AddDays(2), 9, 0), PatientID: lf.patient,
		Channel: ChannelReception, Actor: SystemActor()}); err != nil {
		t.Fatal(err)
	}
	wantChainHolds(t, lf.st)
}
