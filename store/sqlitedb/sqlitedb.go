// Package sqlitedb is the SQLite plumbing the practice database (store) and
// a device's replica (store/replica) share: how a file is opened, how
// numbered migrations are read, and how a write transaction is run.
package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DSN opens path with WAL, foreign keys and a busy timeout. The writer takes
// its lock at BEGIN (so a transaction never fails half way when it first
// writes); readers are query-only.
func DSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	// NORMAL is durable across application crashes in WAL mode; only a power
	// cut can lose the last commits, never corrupt the file.
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// MakePrivate makes the database file at path readable by its owner only,
// creating it empty if it is absent, before SQLite opens it: SQLite gives
// the -wal and -shm files the main file's mode, and the file holds patients'
// records (server) or a device's bearer token (replica). A file an older
// version made world-readable is tightened, with its -wal and -shm.
func MakePrivate(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("sqlitedb: make private: %w", err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("sqlitedb: make private: %w", err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, info.Mode().Perm()&0o700); err != nil {
				return fmt.Errorf("sqlitedb: make private: %w", err)
			}
		}
	}
	return nil
}

// OpenWriter is the single writer connection: SQLite allows one writer at a
// time, and queueing in Go is fairer than SQLITE_BUSY retries.
func OpenWriter(path string) (*sql.DB, error) {
	db := openCached(DSN(path, false))
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// OpenReader is a small pool of read-only connections.
func OpenReader(ctx context.Context, path string) (*sql.DB, error) {
	db := openCached(DSN(path, true))
	db.SetMaxOpenConns(4)
	// Keep every reader open: each holds its own parsed statements.
	db.SetMaxIdleConns(4)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlitedb: open readers: %w", err)
	}
	return db, nil
}

// OpenUntouched opens an existing file read-only with no pragma that could
// change it (WAL rewrites the header), to inspect it before migrating.
// busy_timeout: a process that just stopped may still be releasing its lock.
func OpenUntouched(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, fmt.Errorf("sqlitedb: open read-only: %w", err)
	}
	return db, nil
}

// Migration is one numbered schema file.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// LoadMigrations reads dir's NNNN_name.sql files, numbered 1, 2, 3... with
// no gaps.
func LoadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	var ms []Migration // ReadDir sorts by name; numbers are zero-padded
	for i, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		if v, err := strconv.Atoi(num); err != nil || v != i+1 || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("load migrations: expected version %d, found %q", i+1, e.Name())
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("load migrations: %w", err)
		}
		ms = append(ms, Migration{Version: i + 1, Name: e.Name(), SQL: string(body)})
	}
	return ms, nil
}

// InTx runs fn in one write transaction, committing only if fn succeeds.
func InTx(ctx context.Context, db *sql.DB, op string, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		// A cancelled context closes the transaction's statements under
		// fn, which then fails with "statement is closed"; say why instead.
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			return fmt.Errorf("%s: stopped before it finished, nothing was saved: %w", op, cerr)
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", op, err)
	}
	return nil
}
