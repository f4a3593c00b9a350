package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/sqlitedb/sqlitedbtest"
	gpsync "gpkiosk/sync"
)

// BenchmarkFirstFullSync measures a new device's first sync of the demo
// practice over loopback: time, bytes received and rows received a second
// (since issue 17 a snapshot; BenchmarkFirstSync has the baseline).
func BenchmarkFirstFullSync(b *testing.B) {
	for _, patients := range []int{3000, 30000} {
		e := newEnv(b, patients)
		for _, role := range []string{gpsync.RoleKiosk, gpsync.RoleDesktop} {
			b.Run(fmt.Sprintf("%s/patients=%d", role, patients), func(b *testing.B) {
				var bytes int64
				var rows int
				for b.Loop() {
					b.StopTimer()
					d := e.newDevice(b, role)
					before := e.proxy.Stats().BytesToClient
					b.StartTimer()
					if err := d.runner.SyncNow(context.Background()); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					bytes = e.proxy.Stats().BytesToClient - before
					rows = replicaRows(b, d) // a snapshot's cursor is its head, not a count
					d.rep.Close()
					b.StartTimer()
				}
				perOp := b.Elapsed().Seconds() / float64(b.N)
				b.ReportMetric(float64(bytes)/1e6, "MB")
				b.ReportMetric(float64(rows)/perOp, "changes/s")
				b.ReportMetric(float64(rows), "changes")
			})
		}
	}
}

// rowsIn is how many feed changes the device consumed: its cursor after a
// first sync from 0.
func rowsIn(b *testing.B, d *device) int {
	b.Helper()
	cur, err := d.rep.Cursor(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return int(cur)
}

// BenchmarkIncrementalSync is one push-and-pull round trip of a device that
// is up to date, with nothing new and with one change on the server.
func BenchmarkIncrementalSync(b *testing.B) {
	e := newEnv(b, 3000)
	d := e.newDevice(b, gpsync.RoleDesktop)
	syncUntilDrained(b, d)
	ctx := context.Background()
	b.Run("nothing-new", func(b *testing.B) {
		for b.Loop() {
			if err := d.runner.SyncNow(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("one-change", func(b *testing.B) {
		patient := e.kioskPts[0]
		slots, err := e.st.FreeSlots(ctx, patient, store.ChannelReception, surgeryStart, 14)
		if err != nil {
			b.Fatal(err)
		}
		i := 0
		for b.Loop() {
			b.StopTimer()
			// Book and cancel in turn on the server: each is one change.
			slot := slots[i/2%len(slots)].ID
			if i%2 == 0 {
				if _, err := e.st.BookAppointment(ctx, store.BookingRequest{SlotID: slot, PatientID: patient, Channel: store.ChannelReception, Actor: store.SystemActor()}); err != nil {
					b.Fatal(err)
				}
			} else {
				appts, err := e.st.Appointments(ctx, patient, store.StatusBooked)
				if err != nil || len(appts) == 0 {
					b.Fatalf("the booking to cancel: %d, %v", len(appts), err)
				}
				if err := e.st.CancelAppointment(ctx, store.CancelRequest{AppointmentID: appts[0].ID, Channel: store.ChannelReception, Actor: store.SystemActor()}); err != nil {
					b.Fatal(err)
				}
			}
			i++
			before := rowsIn(b, d)
			b.StartTimer()
			if err := d.runner.SyncNow(ctx); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			// The change must have reached the device, or the round trip
			// measured is one with nothing in it.
			if rowsIn(b, d) <= before {
				b.Fatal("the server's change did not reach the device")
			}
			b.StartTimer()
		}
	})
}

// BenchmarkOutboxDrain sends queued bookings to the server over loopback and
// compares the rate with the store booking directly and with raw one-row
// inserts (sqlitedbtest.RawInsertRate), both measured in the same run.
func BenchmarkOutboxDrain(b *testing.B) {
	ctx := context.Background()
	e := newEnv(b, 3000)
	d := e.newDevice(b, gpsync.RoleDesktop)
	syncUntilDrained(b, d)
	reception := signInDemoStaff(b, d, "reception")
	var slots []int64
	for _, p := range e.kioskPts[:1] {
		ss, err := e.st.FreeSlots(ctx, p, store.ChannelReception, surgeryStart, 14)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range ss {
			slots = append(slots, s.ID)
		}
	}
	const batch = 200
	if len(slots) < 2*batch {
		b.Fatalf("only %d free slots", len(slots))
	}
	// Baseline: the store books the first half directly.
	start := time.Now()
	for i, slot := range slots[:batch] {
		if _, err := e.st.BookAppointment(ctx, store.BookingRequest{SlotID: slot, PatientID: e.kioskPts[i%len(e.kioskPts)], Channel: store.ChannelReception, Actor: store.SystemActor()}); err != nil {
			b.Fatal(err)
		}
	}
	direct := float64(batch) / time.Since(start).Seconds()
	raw := sqlitedbtest.RawInsertRate(b)
	rest := slots[batch:]
	next := 0
	for b.Loop() {
		b.StopTimer()
		if next+batch > len(rest) {
			// Out of slots: cancel everything the device booked, untimed.
			for _, p := range e.kioskPts {
				appts, err := e.st.Appointments(ctx, p, store.StatusBooked)
				if err != nil {
					b.Fatal(err)
				}
				for _, a := range appts {
					if err := e.st.CancelAppointment(ctx, store.CancelRequest{AppointmentID: a.ID, Channel: store.ChannelReception, Actor: store.SystemActor()}); err != nil {
						b.Fatal(err)
					}
				}
			}
			syncUntilDrained(b, d)
			next = 0
		}
		for i := range batch {
			if _, err := d.rep.BookFor(ctx, reception, e.kioskPts[i%len(e.kioskPts)], rest[next]); err != nil {
				b.Fatal(err)
			}
			next++
		}
		applied, rejected, err := e.st.OpCount(ctx)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		syncUntilDrained(b, d)
		b.StopTimer()
		// Every booking sent must have been applied, not refused: a drain
		// of refusals is not the drain measured.
		nowApplied, nowRejected, err := e.st.OpCount(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if nowApplied-applied != batch || nowRejected != rejected {
			b.Fatalf("%d of %d bookings applied, %d refused", nowApplied-applied, batch, nowRejected-rejected)
		}
		b.StartTimer()
	}
	drained := float64(b.N*batch) / b.Elapsed().Seconds()
	b.ReportMetric(direct, "store-bookings/s")
	b.ReportMetric(raw, "raw-inserts/s")
	b.ReportMetric(drained, "drained-ops/s")
	b.ReportMetric(drained/direct, "drain/store")
	b.ReportMetric(drained/raw, "drain/raw")
}
