package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadMigrations(t *testing.T) {
	good := fstest.MapFS{
		"m/0001_init.sql": {Data: []byte("CREATE TABLE a (id INTEGER);")},
		"m/0002_more.sql": {Data: []byte("CREATE TABLE b (id INTEGER);")},
	}
	ms, err := LoadMigrations(good, "m")
	if err != nil || len(ms) != 2 || ms[1].Version != 2 || ms[1].Name != "0002_more.sql" || !strings.Contains(ms[0].SQL, "TABLE a") {
		t.Fatalf("%+v %v", ms, err)
	}
	for name, fsys := range map[string]fstest.MapFS{
		"gap":          {"m/0001_a.sql": {}, "m/0003_c.sql": {}},
		"not numbered": {"m/init.sql": {}},
		"not sql":      {"m/0001_a.txt": {}},
	} {
		if _, err := LoadMigrations(fsys, "m"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestInTx(t *testing.T) {
	ctx := context.Background()
	db, err := OpenWriter(filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE t (n INTEGER)"); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err = InTx(ctx, db, "op", func(tx *sql.Tx) error {
		if _, err := tx.Exec("INSERT INTO t VALUES (1)"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	if err := InTx(ctx, db, "op", func(tx *sql.Tx) error { _, err := tx.Exec("INSERT INTO t VALUES (2)"); return err }); err != nil {
		t.Fatal(err)
	}
	var n, sum int
	if err := db.QueryRow("SELECT count(*), sum(n) FROM t").Scan(&n, &sum); err != nil || n != 1 || sum != 2 {
		t.Fatalf("rows %d sum %d (%v): a failed transaction left a row", n, sum, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	err = InTx(cctx, db, "op", func(tx *sql.Tx) error { cancel(); return errors.New("statement is closed") })
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "nothing was saved") {
		t.Fatalf("cancelled: %v", err)
	}
}

// A database file is its owner's alone from the first byte, and one an
// older version left world-readable is tightened with its WAL files.
func TestMakePrivate(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "fresh.db")
	if err := MakePrivate(fresh); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "old.db")
	for _, f := range []string{old, old + "-wal", old + "-shm"} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(f, 0o664); err != nil { // past any umask
			t.Fatal(err)
		}
	}
	if err := MakePrivate(old); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{fresh, old, old + "-wal", old + "-shm"} {
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want 0600", filepath.Base(f), fi.Mode(), err)
		}
	}
	if err := MakePrivate(filepath.Join(dir, "no-such-folder", "x.db")); err == nil {
		t.Error("a file in a missing folder was made")
	}
}
