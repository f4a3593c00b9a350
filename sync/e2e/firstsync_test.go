package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
)

// Issue 17: a first sync from a snapshot of what the device may hold, and
// a change log compacted once every device still syncing is past it.

// replayOnly is a replica that does not offer FeedPosition, so its runner
// pulls as a device from before snapshots did: the whole log from 0.
type replayOnly struct{ client.Replica }

// replicated are the replica's tables of server rows.
func replicated() []string {
	return []string{"settings", "clinicians", "slot_types", "slots", "kiosk_verifiers", "patient_not_eligible", "patients",
		"appointments", "repeat_items", "repeat_request_items", "repeat_requests", "staff", "registrations", "proxies", "alerts"}
}

// dump is every replicated row of the replica file at path, table by
// table, each row as text, sorted.
func dump(t testing.TB, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string][]string{}
	for _, table := range replicated() {
		rows, err := db.Query("SELECT * FROM " + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%s=%v;", cols[i], v)
			}
			out[table] = append(out[table], b.String())
		}
		rows.Close()
		slices.Sort(out[table])
	}
	return out
}

// indexes are the names of the replica file's indexes, sorted.
func indexes(t testing.TB, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// sameRows fails the test where two replicas' rows differ.
func sameRows(t testing.TB, what string, a, b map[string][]string) {
	t.Helper()
	for _, table := range replicated() {
		if !slices.Equal(a[table], b[table]) {
			t.Errorf("%s: table %s: %d rows against %d", what, table, len(a[table]), len(b[table]))
			for i := range max(len(a[table]), len(b[table])) {
				var x, y string
				if i < len(a[table]) {
					x = a[table][i]
				}
				if i < len(b[table]) {
					y = b[table][i]
				}
				if x != y {
					t.Errorf("first difference:\n  %s\n  %s", x, y)
					break
				}
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// openReplica opens a replica file for an enrolment; replay hides its
// snapshots from the runner.
func (e *env) openReplica(t testing.TB, en replica.Enrolment, name string, replay bool) *device {
	t.Helper()
	path := filepath.Join(e.dir, name+".db")
	rep, err := replica.Open(context.Background(), path, replica.WithClock(e.clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rep.Close() })
	if err := rep.SaveEnrolment(context.Background(), en); err != nil {
		t.Fatal(err)
	}
	c, err := client.New(en.ServerURL, client.WithToken(en.Token), client.WithTimeout(10*time.Second),
		client.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		t.Fatal(err)
	}
	var r client.Replica = rep
	if replay {
		r = replayOnly{rep}
	}
	runner := client.NewRunner(c, r, client.RunnerOptions{Clock: e.clock, Backoff: client.NewBackoff(time.Millisecond, 10*time.Millisecond, nil)})
	return &device{id: en.DeviceID, path: path, rep: rep, runner: runner}
}

// churn books n appointments on the server for the kiosk's patients, as
// reception would, in the earliest and latest free slots by turns, and
// cancels all but every cancelEvery'th: history a first sync should not
// replay.
func (e *env) churn(t testing.TB, n int, cancelEvery int) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		patient := e.kioskPts[i%len(e.kioskPts)]
		slots, err := e.st.FreeSlots(ctx, patient, store.ChannelReception, surgeryStart, 14)
		if err != nil || len(slots) == 0 {
			t.Fatalf("free slots for %d: %d, %v", patient, len(slots), err)
		}
		// The earliest free slot (among the first rows a snapshot sends) or
		// the latest (among the last), by turns, passing over any a kiosk
		// holds.
		if i%2 == 1 {
			slices.Reverse(slots)
		}
		var a store.Appointment
		for _, sl := range slots {
			a, err = e.st.BookAppointment(ctx, store.BookingRequest{SlotID: sl.ID, PatientID: patient,
				Channel: store.ChannelReception, Actor: store.SystemActor()})
			if _, refused := store.AsRuleError(err); !refused {
				break
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		if cancelEvery > 0 && i%cancelEvery != 0 {
			if err := e.st.CancelAppointment(ctx, store.CancelRequest{AppointmentID: a.ID, Channel: store.ChannelReception, Actor: store.SystemActor()}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// registerAnother registers one more adult for kiosk use.
func (e *env) registerAnother(t testing.TB) {
	t.Helper()
	var id int64
	var dob string
	if err := e.db(t).QueryRow(`SELECT id, date_of_birth FROM patients WHERE date_of_birth < '1990-01-01'
		AND id NOT IN (SELECT patient_id FROM online_registrations) ORDER BY id LIMIT 1`).Scan(&id, &dob); err != nil {
		t.Fatal(err)
	}
	err := e.st.Load(context.Background(), func(l *store.Loader) error {
		_, err := l.AddRegistration(store.NewRegistration{PatientID: id, VerificationMethod: "photo_id_and_address",
			VerifiedAt: e.clock(), CoercionConsidered: true, ServiceAppointments: true, ServicePrescriptions: true,
			RecordAccess: "none", KioskEnabled: true, AccountID: fmt.Sprintf("E2E-%06d", id), LinkageKeyHash: "x"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// received is the bytes the fault proxy passed to devices during fn.
func (e *env) received(fn func()) int64 {
	before := e.proxy.Stats().BytesToClient
	fn()
	return e.proxy.Stats().BytesToClient - before
}

// A kiosk and a desktop that start from a snapshot end with the same rows,
// table by table, as the same device replaying the whole log, and stay so
// as the practice goes on; the snapshot is the smaller download.
func TestSnapshotAndReplayEndWithTheSameReplica(t *testing.T) {
	e := newEnv(t, 300)
	e.churn(t, 150, 3)
	ctx := context.Background()
	for _, role := range []string{gpsync.RoleKiosk, gpsync.RoleDesktop} {
		t.Run(role, func(t *testing.T) {
			en := e.enrol(t, role)
			snap := e.openReplica(t, en, en.DeviceID+"-snapshot", false)
			replay := e.openReplica(t, en, en.DeviceID+"-replay", true)
			snapBytes := e.received(func() { syncUntilDrained(t, snap) })
			replayBytes := e.received(func() { syncUntilDrained(t, replay) })
			if snapBytes >= replayBytes {
				t.Errorf("the snapshot was %d bytes, the whole log %d", snapBytes, replayBytes)
			}
			sameRows(t, "after the first sync", dump(t, snap.path), dump(t, replay.path))
			if _, token, err := snap.rep.FeedPosition(ctx); err != nil || token != "" {
				t.Fatalf("a snapshot still under way after the sync: %q %v", token, err)
			}
			// The practice goes on: bookings, cancellations, a patient newly
			// registered for the kiosk.
			e.churn(t, 12, 2)
			e.registerAnother(t)
			syncUntilDrained(t, snap)
			syncUntilDrained(t, replay)
			sameRows(t, "after more changes", dump(t, snap.path), dump(t, replay.path))
		})
	}
}

// Changes made while a device is part way through a snapshot (to rows
// already sent and to rows still to come) all reach it, and a snapshot cut
// off resumes from its token: the device ends with what replaying the log
// gives.
func TestChangesDuringASnapshotAreNotLost(t *testing.T) {
	e := newEnv(t, 300)
	e.churn(t, 40, 2)
	ctx := context.Background()
	for _, role := range []string{gpsync.RoleKiosk, gpsync.RoleDesktop} {
		t.Run(role, func(t *testing.T) {
			en := e.enrol(t, role)
			d := e.openReplica(t, en, en.DeviceID+"-snapshot", false)
			c, err := client.New(en.ServerURL, client.WithToken(en.Token))
			if err != nil {
				t.Fatal(err)
			}
			// Pages by hand, the way the runner asks, changing the practice
			// between them; then the sync is cut off.
			cursor, token := int64(0), ""
			pages := 0
			for pages == 0 || (token != "" && pages < 12) {
				page, err := c.Feed(ctx, client.FeedRequest{After: cursor, Limit: 60, Snapshots: true, Snapshot: token, Continued: pages > 0})
				if err != nil {
					t.Fatal(err)
				}
				if err := d.rep.ApplyChanges(ctx, page); err != nil {
					t.Fatal(err)
				}
				cursor, token = page.Cursor, page.Snapshot
				pages++
				e.churn(t, 2, 2)
			}
			if token == "" {
				t.Fatalf("the snapshot ended after %d pages; the test needs it cut off part way", pages)
			}
			if _, stored, err := d.rep.FeedPosition(ctx); err != nil || stored != token {
				t.Fatalf("stored token %q (%v), want %q", stored, err, token)
			}
			// The search indexes wait for the end of the snapshot.
			if slices.Contains(indexes(t, d.path), "patients_by_nhs_number") {
				t.Fatal("a patient index was kept up row by row during the snapshot")
			}
			// A new runner (the device restarted) carries on from the token.
			syncUntilDrained(t, d)
			replay := e.openReplica(t, en, en.DeviceID+"-replay", true)
			syncUntilDrained(t, replay)
			sameRows(t, "snapshot with changes under way", dump(t, d.path), dump(t, replay.path))
			if got, want := indexes(t, d.path), indexes(t, replay.path); !slices.Equal(got, want) {
				t.Fatalf("indexes after the snapshot %v, want %v", got, want)
			}
		})
	}
}

// Once every device still syncing is past them, superseded changes are
// dropped; a device away longer than FeedAwayTooLong no longer holds them
// back, and when it returns it is told to start again and does, from a
// snapshot, ending with what a device that never left holds. A device of
// an older version, which replays the log from 0, still ends the same.
func TestDeviceAwayTooLongStartsAgainFromASnapshot(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 200)
	stay := e.newDevice(t, gpsync.RoleDesktop)
	away := e.newDevice(t, gpsync.RoleDesktop)
	e.churn(t, 30, 2)
	for range 2 { // the second sync's first page records where the first ended
		syncUntilDrained(t, stay)
		syncUntilDrained(t, away)
	}
	awayAt, err := away.rep.Cursor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// While both sync, nothing either still needs goes: compaction stops
	// at the lower of their positions.
	got, err := e.st.CompactChanges(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Floor > awayAt {
		t.Fatalf("compacted to %d with a device still syncing at %d", got.Floor, awayAt)
	}
	// One desktop goes away for 31 days; the practice goes on.
	e.churn(t, 30, 2)
	e.now.Add(int64(31 * 24 * time.Hour / time.Second))
	syncUntilDrained(t, stay)
	syncUntilDrained(t, stay)
	got, err = e.st.CompactChanges(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Floor <= awayAt || got.Dropped == 0 {
		t.Fatalf("compaction %+v with the device away at %d", got, awayAt)
	}
	c, err := client.New(e.srv.URL, client.WithToken(kioskToken(t, away)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Feed(ctx, client.FeedRequest{After: awayAt, Limit: 10, Snapshots: true}); !client.HasCode(err, client.CodeCursorExpired) {
		t.Fatalf("a device below the floor asked for the log: %v, want %s", err, client.CodeCursorExpired)
	}
	syncUntilDrained(t, away)
	if now, err := away.rep.Cursor(ctx); err != nil || now < got.Floor {
		t.Fatalf("the returning device is at %d (%v), below the floor %d", now, err, got.Floor)
	}
	sameRows(t, "the device that came back", dump(t, away.path), dump(t, stay.path))
	if got, want := indexes(t, away.path), indexes(t, stay.path); !slices.Equal(got, want) {
		t.Fatalf("indexes after starting again %v, want %v", got, want)
	}
	old := e.openReplica(t, e.enrol(t, gpsync.RoleDesktop), "old-version", true)
	syncUntilDrained(t, old)
	sameRows(t, "an older device replaying the compacted log", dump(t, old.path), dump(t, stay.path))
}
