package demo

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gpkiosk/store"
)

// BenchmarkGenerate builds a fresh database file per iteration. Beside
// ns/op it reports the file size, the rows Generate inserts per second, and
// as a same-run baseline the rate of a bare insert of as many rows into a
// one-table SQLite file, so the cost of the store's validation, indexes
// and foreign keys shows as a ratio.
func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{3000, 30000} {
		b.Run(fmt.Sprintf("patients=%d", n), func(b *testing.B) {
			ctx := context.Background()
			opts := Options{Seed: 1, Patients: n, Weeks: 8, Start: testStart()}
			now := opts.Start.At(7, 30, london(b))
			dir := b.TempDir()
			var (
				runs    int
				rows    int
				size    int64
				genTime time.Duration
			)
			for b.Loop() {
				path := filepath.Join(dir, fmt.Sprintf("demo-%d.db", runs))
				st, err := store.Open(ctx, path, store.WithClock(func() time.Time { return now }))
				if err != nil {
					b.Fatal(err)
				}
				began := time.Now()
				sum, err := Generate(ctx, st, opts)
				genTime += time.Since(began)
				if err != nil {
					b.Fatal(err)
				}
				if err := st.Close(); err != nil {
					b.Fatal(err)
				}
				size = fileSize(b, path)
				rows = sum.Rows()
				runs++
				removeDB(path)
			}
			rate := float64(rows*runs) / genTime.Seconds()
			raw := rawInsertRate(b, filepath.Join(dir, "raw.db"), rows)
			b.ReportMetric(float64(size)/1e6, "MB")
			b.ReportMetric(rate, "rows/s")
			b.ReportMetric(raw, "raw-rows/s")
			b.ReportMetric(raw/rate, "raw/generate")
		})
	}
}

// fileSize is the database and its write-ahead log after closing.
func fileSize(b *testing.B, path string) int64 {
	b.Helper()
	var total int64
	for _, p := range []string{path, path + "-wal"} {
		fi, err := os.Stat(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		total += fi.Size()
	}
	return total
}

func removeDB(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
}

// rawInsertRate inserts n bare rows into a one-table file in one
// transaction, with the store's journal settings, and returns rows/s.
func rawInsertRate(b *testing.B, path string, n int) float64 {
	b.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		b.Fatal(err)
	}
	defer removeDB(path)
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER NOT NULL)"); err != nil {
		b.Fatal(err)
	}
	began := time.Now()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare("INSERT INTO t (name, n) VALUES (?, ?)")
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if _, err := stmt.Exec("row", i); err != nil {
			b.Fatal(err)
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return float64(n) / time.Since(began).Seconds()
}

// BenchmarkFreeSlots searches 8 weeks of the demo practice for one adult
// patient, at 3,000 and at 30,000 patients. The 30,000 run reports its time
// as a multiple of the 3,000 run measured just before it: the search should
// not grow with the list size.
func BenchmarkFreeSlots(b *testing.B) {
	var nsAt3000 float64
	for _, n := range []int{3000, 30000} {
		b.Run(fmt.Sprintf("patients=%d", n), func(b *testing.B) {
			ctx := context.Background()
			opts := Options{Seed: 1, Patients: n, Weeks: 8, Start: testStart()}
			now := opts.Start.At(7, 30, london(b))
			st := openStore(b, filepath.Join(b.TempDir(), "demo.db"), opts.Start)
			if _, err := Generate(ctx, st, opts); err != nil {
				b.Fatal(err)
			}
			var patient int64
			if err := readOnly(b, st.Path()).QueryRow("SELECT id FROM patients WHERE date_of_birth < '1990-01-01' ORDER BY id LIMIT 1").Scan(&patient); err != nil {
				b.Fatal(err)
			}
			today := store.DateOf(now, st.Location())
			var found int
			for b.Loop() {
				slots, err := st.FreeSlots(ctx, patient, store.ChannelReception, today, 7*opts.Weeks)
				if err != nil {
					b.Fatal(err)
				}
				found = len(slots)
			}
			ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(float64(found), "slots")
			if n == 3000 {
				nsAt3000 = ns
			} else if nsAt3000 > 0 {
				b.ReportMetric(ns/nsAt3000, "x-3000-patients")
			}
		})
	}
}
