// Package sqlitedbtest holds the baseline the write path's benchmarks
// (store, sync/e2e) compare against, so they measure the same thing.
package sqlitedbtest

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"gpkiosk/store/sqlitedb"
)

// RawInsertRate is single-row INSERTs a second, each its own transaction,
// for one second, into a one-table file opened with the practice
// database's pragmas through a plain driver connection. testing.Benchmark
// cannot run inside a benchmark, so the second is timed by hand.
func RawInsertRate(tb testing.TB) float64 {
	tb.Helper()
	db, err := sql.Open("sqlite", sqlitedb.DSN(filepath.Join(tb.TempDir(), "raw.db"), false))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, slot_id INTEGER NOT NULL, patient_id INTEGER NOT NULL, at INTEGER NOT NULL)"); err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	n := 0
	for time.Since(start) < time.Second {
		n++
		if _, err := db.Exec("INSERT INTO t (slot_id, patient_id, at) VALUES (?, ?, ?)", n, n, n); err != nil {
			tb.Fatal(err)
		}
	}
	return float64(n) / time.Since(start).Seconds()
}
