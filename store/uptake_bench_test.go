package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/demo"
	"gpkiosk/store/sqlitedb"
)

// BenchmarkUptakeYear computes 12 months of uptake figures for a
// 30,000-patient practice with a year of generated activity (the demo's
// history, scaled to the list), against a baseline in the same run:
// reading one month's row count (appointments booked in one month). The
// target is under 500 ms for the 12 months.
func BenchmarkUptakeYear(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "year.db")
	if p := os.Getenv("UPTAKE_KEEP"); p != "" { // a file to keep, and use again, between runs

		path = p
	}
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		b.Fatal(err)
	}
	today := store.Date{Year: 2026, Month: time.March, Day: 23}
	now := today.At(7, 30, loc)
	st, err := store.Open(ctx, path, store.WithClock(func() time.Time { return now }))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if empty, err := st.IsEmpty(ctx); err != nil {
		b.Fatal(err)
	} else if empty {
		if _, err := demo.Generate(ctx, st, demo.Options{Seed: 1, Patients: 30000, Weeks: 1, Start: today, Today: today, HistoryMonths: 12}); err != nil {
			b.Fatal(err)
		}
	}
	db, err := sqlitedb.OpenReader(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	to := store.MonthOf(now, loc).AddMonths(-1)
	from := to.AddMonths(-11)
	var rows struct{ appointments, audit, requests int }
	for q, n := range map[string]*int{"appointments": &rows.appointments, "audit_events": &rows.audit, "prescription_requests": &rows.requests} {
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+q).Scan(n); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("a year of activity: %d appointments, %d repeat requests, %d audit events", rows.appointments, rows.requests, rows.audit)
	lo, hi := to.Start(loc).Unix(), to.AddMonths(1).Start(loc).Unix()

	b.Run("baseline=one-month-count", func(b *testing.B) {
		for b.Loop() {
			var n int
			if err := db.QueryRowContext(ctx, "SELECT count(*) FROM appointments WHERE booked_at >= ? AND booked_at < ?", lo, hi).Scan(&n); err != nil || n == 0 {
				b.Fatalf("%d appointments in a month: %v", n, err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	})
	b.Run("uptake=12-months", func(b *testing.B) {
		for b.Loop() {
			months, err := st.Uptake(ctx, from, to)
			if err != nil || len(months) != 12 || months[11].Booked["reception"] == 0 {
				b.Fatalf("%d months: %v", len(months), err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	})
}
