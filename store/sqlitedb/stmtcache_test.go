package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

func cacheTestDB(t testing.TB) (*sql.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cache.db")
	db, err := OpenWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)"); err != nil {
		t.Fatal(err)
	}
	return db, path
}

// cachedCount is how many statements the writer's one connection keeps.
func cachedCount(t *testing.T, db *sql.DB) int {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	n := -1
	if err := conn.Raw(func(dc any) error {
		c, ok := dc.(*cachingConn)
		if !ok {
			return fmt.Errorf("the connection is a %T, not the caching one", dc)
		}
		c.mu.Lock()
		n = len(c.stmts)
		c.mu.Unlock()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRepeatedStatementIsPreparedOnce(t *testing.T) {
	db, _ := cacheTestDB(t)
	before := cachedCount(t, db)
	for i := range 50 {
		if _, err := db.Exec("INSERT INTO t (name) VALUES (?)", fmt.Sprint("n", i)); err != nil {
			t.Fatal(err)
		}
		var got string
		if err := db.QueryRow("SELECT name FROM t WHERE id = ?", i+1).Scan(&got); err != nil || got != fmt.Sprint("n", i) {
			t.Fatalf("row %d: %q, %v", i+1, got, err)
		}
	}
	if got := cachedCount(t, db) - before; got != 2 {
		t.Fatalf("100 runs of 2 statements left %d statements prepared, want 2", got)
	}
}

// A query run inside the loop over the same query's rows must not reset the
// outer statement under its reader.
func TestSameQueryInsideItsOwnRows(t *testing.T) {
	db, _ := cacheTestDB(t)
	for _, n := range []string{"a", "b", "c"} {
		if _, err := db.Exec("INSERT INTO t (name) VALUES (?)", n); err != nil {
			t.Fatal(err)
		}
	}
	const q = "SELECT id, name FROM t WHERE id >= ? ORDER BY id"
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rows, err := tx.Query(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var outer, inner []string
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		outer = append(outer, name)
		var innerName string
		var innerID int64
		if err := tx.QueryRow(q, id).Scan(&innerID, &innerName); err != nil {
			t.Fatal(err)
		}
		inner = append(inner, innerName)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if fmt.Sprint(outer) != "[a b c]" || fmt.Sprint(inner) != "[a b c]" {
		t.Fatalf("outer %v, inner %v; want [a b c] both", outer, inner)
	}
}

// A failed statement, a rolled-back transaction and a cancelled context
// each leave the cached statement usable, with no bindings left over.
func TestCachedStatementAfterFailures(t *testing.T) {
	db, _ := cacheTestDB(t)
	const ins = "INSERT INTO t (name) VALUES (?)"
	if _, err := db.Exec(ins, "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ins, "x"); err == nil {
		t.Fatal("a duplicate name was accepted")
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ins, "rolled back"); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.ExecContext(ctx, ins, "cancelled"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled insert: %v", err)
	}
	if _, err := db.Exec(ins, "y"); err != nil {
		t.Fatalf("the statement after the failures: %v", err)
	}
	var names []string
	rows, err := db.Query("SELECT name FROM t ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	if fmt.Sprint(names) != "[x y]" {
		t.Fatalf("rows %v, want [x y]", names)
	}
}

// SQL built at run time beyond the cache's bound still runs, uncached.
func TestCacheIsBounded(t *testing.T) {
	db, _ := cacheTestDB(t)
	for i := range maxCachedStatements + 50 {
		var n int
		if err := db.QueryRow(fmt.Sprintf("SELECT %d", i)).Scan(&n); err != nil || n != i {
			t.Fatalf("SELECT %d: %d, %v", i, n, err)
		}
	}
	if got := cachedCount(t, db); got != maxCachedStatements {
		t.Fatalf("%d statements kept, want the bound %d", got, maxCachedStatements)
	}
}

// Readers see a writer's commits through their cached statements: a
// prepared statement holds no snapshot between uses.
func TestCachedReaderSeesNewCommits(t *testing.T) {
	db, path := cacheTestDB(t)
	read, err := OpenReader(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer read.Close()
	for i := range 5 {
		var n int
		if err := read.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil || n != i {
			t.Fatalf("reader counted %d, want %d (%v)", n, i, err)
		}
		if _, err := db.Exec("INSERT INTO t (name) VALUES (?)", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := read.Exec("INSERT INTO t (name) VALUES ('reader')"); err == nil {
		t.Fatal("a reader wrote")
	}
}

// BenchmarkStatementCache runs a booking-sized transaction (a read, an
// insert, an update) through the cached writer and, as the baseline in the
// same run, through a plain modernc connection with the same pragmas.
func BenchmarkStatementCache(b *testing.B) {
	setup := func(b *testing.B, db *sql.DB) {
		if _, err := db.Exec(`CREATE TABLE slot (id INTEGER PRIMARY KEY, taken INTEGER NOT NULL DEFAULT 0, note TEXT);
			CREATE TABLE appt (id INTEGER PRIMARY KEY, slot_id INTEGER NOT NULL REFERENCES slot(id), patient TEXT NOT NULL, made_at INTEGER NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		for range 1000 {
			if _, err := db.Exec("INSERT INTO slot (note) VALUES ('a morning slot with the practice nurse')"); err != nil {
				b.Fatal(err)
			}
		}
	}
	book := func(b *testing.B, db *sql.DB, i int) {
		err := InTx(context.Background(), db, "bench", func(tx *sql.Tx) error {
			slot := int64(i%1000 + 1)
			var taken int
			if err := tx.QueryRow("SELECT taken FROM slot WHERE id = ? AND note IS NOT NULL", slot).Scan(&taken); err != nil {
				return err
			}
			if _, err := tx.Exec("INSERT INTO appt (slot_id, patient, made_at) VALUES (?, ?, ?)", slot, "p", i); err != nil {
				return err
			}
			_, err := tx.Exec("UPDATE slot SET taken = taken + 1 WHERE id = ?", slot)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	var plainRate float64
	b.Run("plain", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "plain.db")
		db, err := sql.Open("sqlite", DSN(path, false))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
		setup(b, db)
		i := 0
		for b.Loop() {
			book(b, db, i)
			i++
		}
		plainRate = float64(b.N) / b.Elapsed().Seconds()
		b.ReportMetric(plainRate, "tx/s")
	})
	b.Run("cached", func(b *testing.B) {
		db, err := OpenWriter(filepath.Join(b.TempDir(), "cached.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		setup(b, db)
		i := 0
		for b.Loop() {
			book(b, db, i)
			i++
		}
		rate := float64(b.N) / b.Elapsed().Seconds()
		b.ReportMetric(rate, "tx/s")
		if plainRate > 0 {
			b.ReportMetric(rate/plainRate, "cached/plain")
		}
	})
}
