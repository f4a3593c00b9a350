package store

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

// BenchmarkOpProof measures what proving who made an op adds to applying
// it, against a whole booking transaction in the same run. The proof check
// is the only work an op gained (proveActor, inside the op's own
// transaction): for a kiosk patient, reading the patient's kiosk letters
// and one HMAC per letter tried; for a member of staff, reading the key
// from their verifier and one HMAC; for a member of staff signed in online,
// reading their session and one HMAC. Target: under 10% of a booking.
func BenchmarkOpProof(b *testing.B) {
	ctx := context.Background()
	lf := newLoopFixture(b)
	signed := []byte("gpkiosk-op-v1\x1fdev\x1f00000000-0000-4000-8000-000000000001\x1fbook\x1f2026-06-08T07:00:00Z\x1f0\x1f{\"slotId\":1,\"patientId\":1}")
	patientKey := PatientKey("ACCT-LOOP-0001", mustDate(b, "1960-05-05"))
	patientProof := Proof{Signed: signed, MAC: Sign(patientKey[:], signed)}
	staffProof := Proof{Signed: signed, MAC: Sign(staffKey(b, lf.st, lf.recep, lf.passwords[lf.recep]), signed)}
	var verifier string
	if err := lf.st.read.QueryRow("SELECT password_hash FROM staff WHERE id = ?", lf.recep).Scan(&verifier); err != nil {
		b.Fatal(err)
	}

	// Each proof check timed by hand for a second, inside one transaction
	// as in Apply (testing.Benchmark cannot run inside a benchmark).
	perCheck := func(check func(tx *sql.Tx) error) time.Duration {
		tx, err := lf.st.write.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer tx.Rollback()
		start, n := time.Now(), 0
		for time.Since(start) < time.Second {
			if err := check(tx); err != nil {
				b.Fatal(err)
			}
			n++
		}
		return time.Since(start) / time.Duration(n)
	}
	patientCheck := perCheck(func(tx *sql.Tx) error {
		_, err := lf.st.provePatient(ctx, tx, lf.patient, patientProof, lf.clock.Now())
		return err
	})
	staffCheck := perCheck(func(*sql.Tx) error { return proveStaff(verifier, staffProof) })
	session, err := lf.st.StartStaffSession(ctx, StaffSessionRequest{Device: lf.desk, StaffID: lf.recep, At: lf.clock.Now(),
		Nonce: "bench-nonce-0000000001", Proof: Proof{Signed: []byte("s"), MAC: Sign(staffKey(b, lf.st, lf.recep, lf.passwords[lf.recep]), []byte("s"))}})
	if err != nil {
		b.Fatal(err)
	}
	sessionProof := Proof{Signed: signed, MAC: Sign(session.Key[:], signed)}
	sessionCheck := perCheck(func(tx *sql.Tx) error {
		return proveStaffSession(ctx, tx, lf.desk, lf.recep, session.ID, sessionProof, lf.clock.Now())
	})

	// The booking it is compared with: a reception booking transaction,
	// as BenchmarkBookAppointment measures it.
	var slots []int64
	rows, err := lf.st.read.Query("SELECT id FROM slots ORDER BY starts_at")
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
	staff := Actor{Name: "staff:reception", Device: "bench"}
	i := 0
	for b.Loop() {
		if i == len(slots) {
			b.StopTimer()
			if _, err := lf.st.write.Exec("UPDATE appointments SET status = 'cancelled'"); err != nil {
				b.Fatal(err)
			}
			i = 0
			b.StartTimer()
		}
		if _, err := lf.st.BookAppointment(ctx, BookingRequest{SlotID: slots[i], PatientID: lf.patient, Channel: ChannelReception, Actor: staff}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	booking := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(booking.Microseconds()), "booking-µs")
	b.ReportMetric(float64(patientCheck.Nanoseconds())/1e3, "patient-proof-µs")
	b.ReportMetric(float64(staffCheck.Nanoseconds())/1e3, "staff-proof-µs")
	b.ReportMetric(float64(patientCheck)/float64(booking), "patient-proof/booking")
	b.ReportMetric(float64(staffCheck)/float64(booking), "staff-proof/booking")
	b.ReportMetric(float64(sessionCheck.Nanoseconds())/1e3, "session-proof-µs")
	b.ReportMetric(float64(sessionCheck)/float64(booking), "session-proof/booking")
}
