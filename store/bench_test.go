package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gpkiosk/store/sqlitedb/sqlitedbtest"
)

// BenchmarkBookAppointment measures whole booking transactions (rules,
// checks, insert, audit event) against the raw insert rate in the same run.
func BenchmarkBookAppointment(b *testing.B) {
	ctx := context.Background()
	monday := Date{2026, time.June, 8}
	f := newFixture(b, monday.At(7, 0, londonZone()), monday, 400)
	for i, nine := range syntheticNines(50) {
		f.addPatient(b, "B"+string(rune('A'+i%26)), nine, "1960-01-01")
	}
	var slots, patients []int64
	for q, dst := range map[string]*[]int64{"SELECT id FROM slots ORDER BY starts_at": &slots, "SELECT id FROM patients": &patients} {
		rows, err := f.st.read.Query(q)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				b.Fatal(err)
			}
			*dst = append(*dst, id)
		}
		rows.Close()
	}
	raw := sqlitedbtest.RawInsertRate(b)
	staff := Actor{Name: "staff:1", Device: "bench"}
	i := 0
	for b.Loop() {
		if i == len(slots) { // every slot booked: free them all, untimed
			b.StopTimer()
			if _, err := f.st.write.Exec("UPDATE appointments SET status = 'cancelled'"); err != nil {
				b.Fatal(err)
			}
			i = 0
			b.StartTimer()
		}
		if _, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: slots[i], PatientID: patients[i%len(patients)], Channel: ChannelReception, Actor: staff}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	booked := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(raw, "raw-inserts/s")
	b.ReportMetric(booked, "bookings/s")
	b.ReportMetric(booked/raw, "booking/raw")
}

// BenchmarkApplyBatch is a desktop's push of 60 bookings by reception
// applied as one batch (ApplyBatch: a few transactions) against the same
// applied one request at a time (Apply: a transaction each), the two
// taking turns in the same run, with the raw insert rate beside them.
func BenchmarkApplyBatch(b *testing.B) {
	const push = 60
	ctx := context.Background()
	lf := newLoopFixture(b)
	key := staffKey(b, lf.st, lf.recep, lf.passwords[lf.recep])
	var patients []int64
	for i, nine := range syntheticNines(20) {
		patients = append(patients, lf.addPatient(b, "B"+string(rune('A'+i%26)), nine, "1960-01-01"))
	}
	var slots []int64
	rows, err := lf.st.read.Query("SELECT id FROM slots ORDER BY starts_at LIMIT ?", 2*push)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		slots = append(slots, id)
	}
	rows.Close()
	if len(slots) < 2*push {
		b.Fatalf("%d slots", len(slots))
	}
	raw := sqlitedbtest.RawInsertRate(b)
	n := 0
	requests := func(slots []int64) []Request {
		reqs := make([]Request, len(slots))
		for i, slot := range slots {
			n++
			req := Request{Key: fmt.Sprintf("00000000-0000-4000-8000-%012d", n), Device: lf.desk, StaffID: lf.recep, MadeAt: lf.clock.Now(),
				Command: Book{SlotID: slot, PatientID: patients[i%len(patients)]}}
			req.Proof.Signed = []byte("signed " + req.Key)
			req.Proof.MAC = Sign(key, req.Proof.Signed)
			reqs[i] = req
		}
		return reqs
	}
	applied := func(outs []Outcome) {
		for _, out := range outs {
			if !out.Applied() {
				b.Fatalf("refused: %s", out.Refusal.Message)
			}
		}
	}
	var single time.Duration
	for b.Loop() {
		b.StopTimer()
		if _, err := lf.st.write.Exec("UPDATE appointments SET status = 'cancelled'"); err != nil {
			b.Fatal(err)
		}
		// The baseline: the other half of the slots, one request at a time.
		start := time.Now()
		for _, req := range requests(slots[push:]) {
			out, err := lf.st.Apply(ctx, req)
			if err != nil {
				b.Fatal(err)
			}
			applied([]Outcome{out})
		}
		single += time.Since(start)
		reqs := requests(slots[:push])
		b.StartTimer()
		outs, err := lf.st.ApplyBatch(ctx, reqs)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		applied(outs)
		b.StartTimer()
	}
	batched := float64(b.N*push) / b.Elapsed().Seconds()
	oneByOne := float64(b.N*push) / single.Seconds()
	b.ReportMetric(raw, "raw-inserts/s")
	b.ReportMetric(oneByOne, "apply-ops/s")
	b.ReportMetric(batched, "batch-ops/s")
	b.ReportMetric(batched/oneByOne, "batch/apply")
	b.ReportMetric(batched/raw, "batch/raw")
}
