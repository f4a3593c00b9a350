package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

// lastPull is when the store last recorded a pull by dev.
func lastPull(t *testing.T, st *Store, dev Device) time.Time {
	t.Helper()
	devs, err := st.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devs {
		if d.ID == dev.ID {
			return d.LastPullAt
		}
	}
	t.Fatalf("device %s not listed", dev.ID)
	return time.Time{}
}

// A kiosk's lease upkeep (a write) runs on the first page of a pull, not
// on every page: the later pages of a pull, and of a snapshot, only read.
func TestLeaseUpkeepRunsOncePerPull(t *testing.T) {
	ctx := context.Background()
	f, dev, _, _ := leaseFixture(t)
	first := lastPull(t, f.st, dev)
	f.clock.Advance(10 * time.Minute)
	page, err := f.st.Feed(ctx, dev, FeedRequest{After: 0, Limit: 3, Continued: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := lastPull(t, f.st, dev); !got.Equal(first) {
		t.Fatalf("a continued page recorded a pull at %v (first %v)", got, first)
	}
	snap, err := f.st.Feed(ctx, dev, FeedRequest{After: 0, Limit: 3, Snapshots: true})
	if err != nil || snap.Snapshot == "" {
		t.Fatalf("first snapshot page: %+v %v", snap, err)
	}
	started := lastPull(t, f.st, dev)
	if !started.After(first) {
		t.Fatalf("a snapshot's first page did not record the pull: %v", started)
	}
	f.clock.Advance(10 * time.Minute)
	if _, err := f.st.Feed(ctx, dev, FeedRequest{After: snap.Cursor, Limit: 3, Snapshots: true, Snapshot: snap.Snapshot}); err != nil {
		t.Fatal(err)
	}
	if got := lastPull(t, f.st, dev); !got.Equal(started) {
		t.Fatalf("a snapshot's second page recorded a pull at %v", got)
	}
	if _, err := f.st.Feed(ctx, dev, FeedRequest{After: page.Cursor, Limit: 3}); err != nil {
		t.Fatal(err)
	}
	if got := lastPull(t, f.st, dev); !got.After(started) {
		t.Fatalf("a new pull's first page did not record it: %v", got)
	}
}

// Bad requests are refused in plain words before anything is written.
func TestBadFeedRequestsChangeNothing(t *testing.T) {
	ctx := context.Background()
	f, dev, _, _ := leaseFixture(t)
	before := lastPull(t, f.st, dev)
	f.clock.Advance(10 * time.Minute)
	for _, req := range []FeedRequest{
		{After: -1, Limit: 10},
		{After: 0, Limit: 0},
		{After: 5, Limit: 10, Snapshot: "5.1"},
		{After: 5, Limit: 10, Snapshot: "5.1.x"},
		{After: 5, Limit: 10, Snapshot: "+5.1.0"},
		{After: 5, Limit: 10, Snapshot: "6.1.0"},
	} {
		_, err := f.st.Feed(ctx, dev, req)
		re, ok := AsRuleError(err)
		if !ok || re.Message == "" {
			t.Errorf("%+v: %v, want a refusal in words", req, err)
		}
	}
	if got := lastPull(t, f.st, dev); !got.Equal(before) {
		t.Fatalf("a refused request recorded a pull")
	}
}

// bookAny books the patient, at reception, into the first free slot from
// the day after from that no kiosk holds.
func bookAny(t *testing.T, st *Store, patient int64, from Date) Appointment {
	t.Helper()
	ctx := context.Background()
	slots, err := st.FreeSlots(ctx, patient, ChannelReception, from.AddDays(1), 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, sl := range slots {
		a, err := st.BookAppointment(ctx, BookingRequest{SlotID: sl.ID, PatientID: patient, Channel: ChannelReception, Actor: SystemActor()})
		if _, refused := AsRuleError(err); refused {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	t.Fatal("no free slot to book")
	return Appointment{}
}

// Compaction drops a change only once the same row has a newer one and
// every device still syncing is past it; the log from 0 then brings every
// row's newest state as before, and a device below the floor that can take
// a snapshot is told so.
func TestCompactionKeepsEveryRowsNewestState(t *testing.T) {
	ctx := context.Background()
	f, dev, patient, monday := leaseFixture(t)
	desk := Device{ID: "", Role: DeviceDesktop}
	code, err := f.st.NewEnrolmentCode(ctx, Actor{Name: "manager:test", Device: "test"}, DeviceDesktop, "desk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if desk, _, err = f.st.Enrol(ctx, code, "desk"); err != nil {
		t.Fatal(err)
	}
	// History: a booking made and cancelled, again and again.
	for range 6 {
		a := bookAny(t, f.st, patient, monday)
		if err := f.st.CancelAppointment(ctx, CancelRequest{AppointmentID: a.ID, Channel: ChannelReception, Actor: SystemActor()}); err != nil {
			t.Fatal(err)
		}
	}
	wantKiosk, wantDesk := feedRows(t, f.st, dev), feedRows(t, f.st, desk)
	var rowsBefore, head int64
	if err := f.st.read.QueryRow("SELECT count(*), max(seq) FROM changes").Scan(&rowsBefore, &head); err != nil {
		t.Fatal(err)
	}
	// Both devices are at 0 (their pulls began there): nothing can go.
	got, err := f.st.CompactChanges(ctx)
	if err != nil || got.Floor != 0 || got.Dropped != 0 {
		t.Fatalf("with devices at 0: %+v %v", got, err)
	}
	// Both pull again from the head: their positions move, and the log
	// under them keeps only each row's newest change.
	for _, d := range []Device{dev, desk} {
		if _, err := f.st.Feed(ctx, d, FeedRequest{After: head, Limit: 10}); err != nil {
			t.Fatal(err)
		}
	}
	if got, err = f.st.CompactChanges(ctx); err != nil || got.Floor != head || got.Dropped == 0 {
		t.Fatalf("with devices at %d: %+v %v", head, got, err)
	}
	var rowsAfter, distinct int64
	if err := f.st.read.QueryRow("SELECT count(*), (SELECT count(*) FROM (SELECT DISTINCT entity, entity_id FROM changes)) FROM changes").
		Scan(&rowsAfter, &distinct); err != nil {
		t.Fatal(err)
	}
	if rowsAfter != distinct || rowsBefore-rowsAfter != got.Dropped {
		t.Fatalf("%d changes before, %d after for %d rows; %d dropped", rowsBefore, rowsAfter, distinct, got.Dropped)
	}
	if k, d := feedRows(t, f.st, dev), feedRows(t, f.st, desk); !reflect.DeepEqual(k, wantKiosk) || !reflect.DeepEqual(d, wantDesk) {
		t.Fatal("the compacted log from 0 no longer brings every row's newest state")
	}
	if _, err := f.st.Feed(ctx, desk, FeedRequest{After: 3, Limit: 10, Snapshots: true}); !errors.Is(err, ErrCursorExpired) {
		t.Fatalf("below the floor with snapshots: %v, want ErrCursorExpired", err)
	}
	if _, err := f.st.Feed(ctx, desk, FeedRequest{After: head, Limit: 10, Snapshots: true}); err != nil {
		t.Fatalf("at the floor: %v", err)
	}
	// A row changed after compaction: its older change under the floor
	// goes the next time (within the minute, so the pulls below do not
	// compact first).
	bookAny(t, f.st, patient, monday)
	var newHead int64
	if err := f.st.read.QueryRow("SELECT max(seq) FROM changes").Scan(&newHead); err != nil {
		t.Fatal(err)
	}
	for _, d := range []Device{dev, desk} {
		if _, err := f.st.Feed(ctx, d, FeedRequest{After: newHead, Limit: 10}); err != nil {
			t.Fatal(err)
		}
	}
	if got, err = f.st.CompactChanges(ctx); err != nil || got.Dropped == 0 {
		t.Fatalf("after a row under the floor changed again: %+v %v", got, err)
	}
	if err := f.st.read.QueryRow("SELECT count(*), (SELECT count(*) FROM (SELECT DISTINCT entity, entity_id FROM changes)) FROM changes").
		Scan(&rowsAfter, &distinct); err != nil {
		t.Fatal(err)
	}
	if rowsAfter != distinct {
		t.Fatalf("%d changes for %d rows after the second compaction", rowsAfter, distinct)
	}
}

// Compaction runs by itself on the first page of a pull, at most once a
// minute, and not on a pull's later pages.
func TestCompactionRunsOnAPullAtMostOnceAMinute(t *testing.T) {
	ctx := context.Background()
	f, dev, patient, monday := leaseFixture(t)
	for range 3 {
		a := bookAny(t, f.st, patient, monday)
		if err := f.st.CancelAppointment(ctx, CancelRequest{AppointmentID: a.ID, Channel: ChannelReception, Actor: SystemActor()}); err != nil {
			t.Fatal(err)
		}
	}
	count := func() (n, head int64) {
		if err := f.st.read.QueryRow("SELECT count(*), max(seq) FROM changes").Scan(&n, &head); err != nil {
			t.Fatal(err)
		}
		return n, head
	}
	n0, head := count()
	// The fixture's pull compacted a moment ago, with the kiosk at 0; this
	// pull records the kiosk at head, but compaction waits for its minute.
	if _, err := f.st.Feed(ctx, dev, FeedRequest{After: head, Limit: 10}); err != nil {
		t.Fatal(err)
	}
	if n, _ := count(); n != n0 {
		t.Fatalf("%d changes became %d with the only device at 0", n0, n)
	}
	f.clock.Advance(30 * time.Second)
	if _, err := f.st.Feed(ctx, dev, FeedRequest{After: head, Limit: 10}); err != nil {
		t.Fatal(err)
	}
	if n, _ := count(); n != n0 {
		t.Fatalf("compacted again within the minute: %d changes became %d", n0, n)
	}
	f.clock.Advance(31 * time.Second)
	if _, err := f.st.Feed(ctx, dev, FeedRequest{After: head, Limit: 10, Continued: true}); err != nil {
		t.Fatal(err)
	}
	if n, _ := count(); n != n0 {
		t.Fatalf("a continued page compacted: %d changes became %d", n0, n)
	}
	if _, err := f.st.Feed(ctx, dev, FeedRequest{After: head, Limit: 10}); err != nil {
		t.Fatal(err)
	}
	if n, _ := count(); n >= n0 {
		t.Fatalf("a pull a minute on did not compact: %d changes, %d before", n, n0)
	}
}
