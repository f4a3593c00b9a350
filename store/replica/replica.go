// Package replica is a kiosk's or staff desktop's own SQLite database: the
// replica of what the server's change feed sends this device, the outbox of
// actions the server has not answered yet, the local effects of those
// actions, and the "needs attention" items for actions it rejected.
//
// Replicated tables hold exactly the server's view. A local action writes
// its effect to local_* tables keyed by its op, never to replicated rows,
// and the device shows the two merged (SQL views live_*). So a feed page
// can never undo an action still in the outbox, a rejection is undone by
// deleting the op's local rows, and a resync can drop the replica wholesale
// while keeping what the person did.
//
// The practice's rules are store's pure functions; this package gathers the
// facts from the replica and calls them.
package replica

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"os"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/sqlitedb"
	gpsync "gpkiosk/sync"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// applicationID marks a file as a device replica ("GPKR"), so the practice
// server's database is never mistaken for one.
const applicationID = 0x47504b52

// ErrNotEnrolled means the device has not been enrolled with a server yet.
var ErrNotEnrolled = errors.New("this device has not been enrolled with the practice server")

// ErrNotSynced means the replica has not received the practice's settings
// yet, so no rule can be checked; sync first.
var ErrNotSynced = errors.New("this device has not received the practice's details yet")

// ErrNotReplica means the file is a SQLite database of some other kind.
var ErrNotReplica = errors.New("the file is not a GP Kiosk device database")

// Replica is the device's database: one writer connection, so the checks
// and writes of an action see no interleaved change, and a read pool.
type Replica struct {
	write *sql.DB
	read  *sql.DB
	now   func() time.Time
	loc   *time.Location // Europe/London: surgery days and ages
	// session is the patient signed in at a kiosk, with their key.
	session *patientSession
}

// Option configures Open.
type Option func(*Replica)

// WithClock replaces time.Now, for tests that need a fixed "now".
func WithClock(now func() time.Time) Option { return func(r *Replica) { r.now = now } }

// Open opens (creating if missing) the replica at path and brings its schema
// up to date in one transaction. A file written by a newer program is
// refused with store.ErrSchemaTooNew and left untouched.
func Open(ctx context.Context, path string, opts ...Option) (*Replica, error) {
	const op = "replica.Open"
	if path == "" {
		return nil, fmt.Errorf("%s: no database file given", op)
	}
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	ms, err := loadMigrations()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	// Check before any pragma that could change the file (WAL rewrites the
	// header), so a newer or foreign file stays byte-identical.
	if err := checkExisting(ctx, path, len(ms)); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := sqlitedb.MakePrivate(path); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	r := &Replica{now: time.Now, loc: loc, session: &patientSession{}}
	for _, o := range opts {
		o(r)
	}
	if r.write, err = sqlitedb.OpenWriter(path); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := r.migrate(ctx, ms); err != nil {
		r.write.Close()
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if r.read, err = sqlitedb.OpenReader(ctx, path); err != nil {
		r.write.Close()
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return r, nil
}

// Close releases the connections. Every committed action is already on
// disk (WAL), so closing needs no flush.
func (r *Replica) Close() error {
	var rerr error
	if r.read != nil {
		rerr = r.read.Close()
	}
	return errors.Join(rerr, r.write.Close())
}

func loadMigrations() ([]sqlitedb.Migration, error) {
	return sqlitedb.LoadMigrations(migrationFiles, "migrations")
}

// checkExisting refuses, read-only, a file from a newer program or one that
// is not a replica.
func checkExisting(ctx context.Context, path string, latest int) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	db, err := sqlitedb.OpenUntouched(path)
	if err != nil {
		return fmt.Errorf("check schema: %w", err)
	}
	defer db.Close()
	var version, appID int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("check schema of %s: %w: %w", path, ErrNotReplica, err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fmt.Errorf("check schema of %s: %w", path, err)
	}
	if version > 0 && appID != applicationID {
		return fmt.Errorf("check schema of %s: %w", path, ErrNotReplica)
	}
	if version > latest {
		return fmt.Errorf("%s is at schema version %d but this program knows only up to %d; "+
			"install the newer GP Kiosk that wrote it (the file has not been changed): %w",
			path, version, latest, store.ErrSchemaTooNew)
	}
	return nil
}

// migrate applies every pending migration in one transaction: a crash part
// way leaves the file at its old version.
func (r *Replica) migrate(ctx context.Context, ms []sqlitedb.Migration) error {
	return r.inTx(ctx, "migrate", func(tx *sql.Tx) error {
		var current int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
			return fmt.Errorf("migrate: read version: %w", err)
		}
		if current > len(ms) { // another process upgraded it since checkExisting
			return fmt.Errorf("migrate: schema version %d is newer than %d: %w", current, len(ms), store.ErrSchemaTooNew)
		}
		for _, m := range ms[current:] {
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("migrate: apply %s: %w", m.Name, err)
			}
		}
		// PRAGMA takes no bound parameters; the values are our own integers.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
			return fmt.Errorf("migrate: set application id: %w", err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(ms))); err != nil {
			return fmt.Errorf("migrate: set version: %w", err)
		}
		return nil
	})
}

// inTx runs fn in one write transaction, committing only if fn succeeds.
func (r *Replica) inTx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	return sqlitedb.InTx(ctx, r.write, op, fn)
}

// clock is the replica's "now" in whole UTC seconds, the precision stored.
func (r *Replica) clock() time.Time { return r.now().UTC().Truncate(time.Second) }

// queryer is what reads need: the read pool or the action's transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Enrolment is what the device keeps from enrolling with the server. Token
// is the bearer token, shown once by the server; the file is created 0600.
type Enrolment struct {
	DeviceID  string
	Role      string // gpsync.RoleKiosk or gpsync.RoleDesktop
	Token     string
	ServerURL string
	CertPin   string // "sha256:<hex>" when the server serves TLS
}

// SaveEnrolment stores (or replaces) the device's enrolment.
func (r *Replica) SaveEnrolment(ctx context.Context, e Enrolment) error {
	const op = "replica.SaveEnrolment"
	if e.DeviceID == "" || e.Token == "" || e.ServerURL == "" {
		return fmt.Errorf("%s: device ID, token and server address are all needed", op)
	}
	return r.saveEnrolment(ctx, op, e)
}

// SaveInProcessEnrolment names the device for a practice that runs in the
// same process (sync/pretend): a device ID and role, and no token or
// server address, so no sync client can ever be made from this replica.
func (r *Replica) SaveInProcessEnrolment(ctx context.Context, deviceID, role string) error {
	const op = "replica.SaveInProcessEnrolment"
	if deviceID == "" {
		return fmt.Errorf("%s: a device ID is needed", op)
	}
	return r.saveEnrolment(ctx, op, Enrolment{DeviceID: deviceID, Role: role})
}

func (r *Replica) saveEnrolment(ctx context.Context, op string, e Enrolment) error {
	if e.Role != gpsync.RoleKiosk && e.Role != gpsync.RoleDesktop {
		return fmt.Errorf("%s: unknown role %q", op, e.Role)
	}
	return r.inTx(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO enrolment (id, device_id, role, token, server_url, cert_pin)
			VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET device_id = excluded.device_id,
			role = excluded.role, token = excluded.token, server_url = excluded.server_url, cert_pin = excluded.cert_pin`,
			e.DeviceID, e.Role, e.Token, e.ServerURL, e.CertPin)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		return nil
	})
}

// Enrolment returns the device's enrolment, or ErrNotEnrolled.
func (r *Replica) Enrolment(ctx context.Context) (Enrolment, error) {
	e, err := readEnrolment(ctx, r.read)
	if err != nil {
		return Enrolment{}, fmt.Errorf("replica.Enrolment: %w", err)
	}
	return e, nil
}

func readEnrolment(ctx context.Context, q queryer) (Enrolment, error) {
	var e Enrolment
	err := q.QueryRowContext(ctx, "SELECT device_id, role, token, server_url, cert_pin FROM enrolment WHERE id = 1").
		Scan(&e.DeviceID, &e.Role, &e.Token, &e.ServerURL, &e.CertPin)
	if errors.Is(err, sql.ErrNoRows) {
		return Enrolment{}, ErrNotEnrolled
	}
	if err != nil {
		return Enrolment{}, fmt.Errorf("read enrolment: %w", err)
	}
	return e, nil
}

// channel is how this device's bookings count: a kiosk is self-service, a
// desktop is reception.
func (e Enrolment) channel() store.Channel {
	if e.Role == gpsync.RoleDesktop {
		return store.ChannelReception
	}
	return store.ChannelKiosk
}

// Cursor is the feed position to ask after next.
func (r *Replica) Cursor(ctx context.Context) (int64, error) {
	var c int64
	if err := r.read.QueryRowContext(ctx, "SELECT cursor FROM sync_state WHERE id = 1").Scan(&c); err != nil {
		return 0, fmt.Errorf("replica.Cursor: %w", err)
	}
	return c, nil
}

// ExitPINVerifier is the argon2id verifier of the PIN that closes this
// kiosk, as last synced; "" when the practice has set none.
func (r *Replica) ExitPINVerifier(ctx context.Context) (string, error) {
	var v string
	err := r.read.QueryRowContext(ctx, "SELECT kiosk_exit_pin FROM settings WHERE id = 1").Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("replica.ExitPINVerifier: %w", err)
	}
	return v, nil
}

// settings reads the practice's settings as the feed last sent them.
func settings(ctx context.Context, q queryer) (store.Settings, error) {
	var st store.Settings
	err := q.QueryRowContext(ctx, `SELECT booking_window_days, min_notice_minutes, max_held_appointments,
		max_held_unverified, min_age_years, cancel_cutoff_minutes, dna_suspend_count, dna_lookback_days,
		checkin_before_minutes, checkin_after_minutes, repeat_processing_days, repeat_note_max_chars, clinicians_handle_alerts,
		daily_release_minutes, kiosk_idle_seconds, kiosk_idle_warning_seconds, staff_idle_minutes, read_aloud_default
		FROM settings WHERE id = 1`).Scan(&st.BookingWindowDays, &st.MinNoticeMinutes, &st.MaxHeldAppointments,
		&st.MaxHeldUnverified, &st.MinAgeYears, &st.CancelCutoffMinutes, &st.DNASuspendCount, &st.DNALookbackDays,
		&st.CheckInBeforeMinutes, &st.CheckInAfterMinutes, &st.RepeatProcessingDays, &st.RepeatNoteMaxChars, &st.CliniciansHandleAlerts,
		&st.DailyReleaseMinutes, &st.KioskIdleSeconds, &st.KioskIdleWarningSeconds, &st.StaffIdleMinutes, &st.ReadAloudDefault)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Settings{}, ErrNotSynced
	}
	if err != nil {
		return store.Settings{}, fmt.Errorf("read settings: %w", err)
	}
	return st, nil
}

func unixOrNil(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return t.Unix()
}

func timeOf(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.Unix(v.Int64, 0).UTC()
}

// Settings returns the practice's settings as last synced, for screens
// that need a limit before the rules are applied (a note's length).
func (r *Replica) Settings(ctx context.Context) (store.Settings, error) {
	st, err := settings(ctx, r.read)
	if err != nil {
		return store.Settings{}, fmt.Errorf("replica.Settings: %w", err)
	}
	return st, nil
}
