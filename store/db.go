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
	"os"
	"time"

	"gpkiosk/store/sqlitedb"
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
	commits commitSignal   // wakes WaitForChange after each committed write
	writer  writerCache    // what the last write left: settings, audit head (apply.go)
	// patientLetters is provePatientSQL, parsed once on the writer's one
	// connection: every kiosk op asks it, and parsing it each time cost
	// more than the rest of the proof.
	patientLetters *sql.Stmt
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
	if err := sqlitedb.MakePrivate(path); err != nil {
		return nil, fmt.Errorf("store.Open: %w", err)
	}
	write, err := sqlitedb.OpenWriter(path)
	if err != nil {
		return nil, fmt.Errorf("store.Open: %w", err)
	}
	s := &Store{write: write, path: path, now: time.Now, loc: londonZone()}
	for _, o := range opts {
		o(s)
	}
	if err := s.migrate(ctx); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sqlitedb.OpenReader(ctx, path)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("store.Open: %w", err)
	}
	s.read = read
	if s.patientLetters, err = write.PrepareContext(ctx, provePatientSQL); err != nil {
		read.Close()
		write.Close()
		return nil, fmt.Errorf("store.Open: %w", err)
	}
	return s, nil
}

// Close waits for nothing: callers stop issuing work first (the server's
// graceful shutdown does), then Close releases the connections.
func (s *Store) Close() error {
	return errors.Join(s.patientLetters.Close(), s.read.Close(), s.write.Close())
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

func loadMigrations() ([]sqlitedb.Migration, error) {
	return sqlitedb.LoadMigrations(migrationFiles, "migrations")
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
	db, err := sqlitedb.OpenUntouched(path)
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
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("store.migrate: apply %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			m.Version, m.Name, s.Now().Unix()); err != nil {
			return fmt.Errorf("store.migrate: record %s: %w", m.Name, err)
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
	if err := sqlitedb.InTx(ctx, s.write, op, fn); err != nil {
		return err
	}
	s.commits.broadcast()
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
