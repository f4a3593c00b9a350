// Package store owns the practice's data and rules: domain types, the rules
// every device and the server apply, and SQLite persistence with embedded,
// numbered migrations. It imports no UI and no HTTP.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// ErrSchemaTooNew is returned by Open for a database written by a newer
// version of the software. The file is left exactly as it was.
var ErrSchemaTooNew = errors.New("database schema is newer than this program")

// Store is the practice's database: one writer connection (SQLite allows one
// writer at a time; queueing in Go is fairer than SQLITE_BUSY retries) and a
// pool of read-only connections.
type Store struct {
	write   *sql.DB
	read    *sql.DB
	path    string
	version int
	now     func() time.Time
	loc     *time.Location // Europe/London: surgery days and ages
}

// Option configures Open.
type Option func(*Store)

// WithClock replaces time.Now, for tests that need a fixed "now".
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// Open opens (creating if missing) the database file at path and brings its
// schema up to date in one transaction.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	if path == "" {
		return nil, errors.New("store.Open: no database file given")
	}
	// Read the schema version before any pragma that could change the file
	// (journal_mode=WAL rewrites the header), so a newer file stays intact.
	if err := refuseNewerSchema(ctx, path); err != nil {
		return nil, err
	}
	write, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("store.Open: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	s := &Store{write: write, path: path, now: time.Now, loc: londonZone()}
	for _, o := range opts {
		o(s)
	}
	if err := s.migrate(ctx); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("store.Open: read pool: %w", err)
	}
	read.SetMaxOpenConns(4)
	if err := read.PingContext(ctx); err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("store.Open: read pool: %w", err)
	}
	s.read = read
	return s, nil
}

func dsn(path string, readOnly bool) string {
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
		// Take the write lock at BEGIN so a transaction never fails half way
		// when it first writes.
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Close waits for nothing: callers stop issuing work first (the server's
// graceful shutdown does), then Close releases the connections.
func (s *Store) Close() error {
	return errors.Join(s.read.Close(), s.write.Close())
}

// SchemaVersion is the version the database is at.
func (s *Store) SchemaVersion() int { return s.version }

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Now is the store's clock, in UTC.
func (s *Store) Now() time.Time { return s.now().UTC() }

// Location is Europe/London, where surgery days and ages are reckoned.
func (s *Store) Location() *time.Location { return s.loc }

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("store.Ping: %w", err)
	}
	return nil
}

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("load migrations: badly named file %q", e.Name())
		}
		body, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("load migrations: %w", err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("load migrations: expected version %d, found %q", i+1, m.name)
		}
	}
	return ms, nil
}

// LatestSchemaVersion is the schema version this program writes.
func LatestSchemaVersion() int {
	ms, err := loadMigrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

func refuseNewerSchema(ctx context.Context, path string) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	// busy_timeout: a process that just stopped may still be releasing its lock.
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("store.Open: check schema: %w", err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("store.Open: check schema of %s (is it a GP Kiosk database?): %w", path, err)
	}
	if latest := LatestSchemaVersion(); v > latest {
		return fmt.Errorf("store.Open: %s is at schema version %d but this program knows only up to %d; "+
			"install the newer GP Kiosk that wrote it (the file has not been changed): %w",
			path, v, latest, ErrSchemaTooNew)
	}
	return nil
}

// migrate applies every pending migration, and records each, in a single
// transaction: a crash part way leaves the file at its old version.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("store.migrate: %w", err)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store.migrate: begin: %w", err)
	}
	defer tx.Rollback()
	var current int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("store.migrate: read version: %w", err)
	}
	if current > len(ms) {
		return fmt.Errorf("store.migrate: schema version %d is newer than %d: %w", current, len(ms), ErrSchemaTooNew)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("store.migrate: %w", err)
	}
	for _, m := range ms[current:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("store.migrate: apply %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			m.version, m.name, s.Now().Unix()); err != nil {
			return fmt.Errorf("store.migrate: record %s: %w", m.name, err)
		}
	}
	// PRAGMA takes no bound parameters; the value is our own integer.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(ms))); err != nil {
		return fmt.Errorf("store.migrate: set version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store.migrate: commit: %w", err)
	}
	s.version = len(ms)
	return nil
}

// inTx runs fn in one write transaction, committing only if fn succeeds.
func (s *Store) inTx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
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

// WriteTx runs fn in one write transaction. It is for bulk loaders such as
// the demo generator that write many rows of validated data at once; normal
// changes go through the store's operations, which apply the practice rules.
func (s *Store) WriteTx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	return s.inTx(ctx, op, fn)
}

// IntegrityCheck runs SQLite's integrity and foreign key checks.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	var res string
	if err := s.read.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return fmt.Errorf("store.IntegrityCheck: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("store.IntegrityCheck: %s", res)
	}
	rows, err := s.read.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("store.IntegrityCheck: foreign keys: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		return errors.New("store.IntegrityCheck: a row refers to a missing row")
	}
	return rows.Err()
}
