package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Practice is the practice's public identity.
type Practice struct {
	ODSCode  string
	Name     string
	Address  string
	Postcode string
	Phone    string
}

// ErrNoPractice means the database holds no practice yet.
var ErrNoPractice = errors.New("no practice has been set up in this database")

// Practice reads the practice's identity.
func (s *Store) Practice(ctx context.Context) (Practice, error) {
	var p Practice
	err := s.read.QueryRowContext(ctx, "SELECT ods_code, name, address, postcode, phone FROM practice WHERE id = 1").
		Scan(&p.ODSCode, &p.Name, &p.Address, &p.Postcode, &p.Phone)
	if errors.Is(err, sql.ErrNoRows) {
		return Practice{}, fmt.Errorf("store.Practice: %w", ErrNoPractice)
	}
	if err != nil {
		return Practice{}, fmt.Errorf("store.Practice: %w", err)
	}
	return p, nil
}

// IsEmpty reports whether no practice has been set up yet.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM practice").Scan(&n); err != nil {
		return false, fmt.Errorf("store.IsEmpty: %w", err)
	}
	return n == 0, nil
}

const settingsColumns = `booking_window_days, min_notice_minutes, max_held_appointments, max_held_unverified,
	min_age_years, cancel_cutoff_minutes, dna_suspend_count, dna_lookback_days, checkin_before_minutes,
	checkin_after_minutes, repeat_processing_days, repeat_note_max_chars, kiosk_leases_per_day, lease_return_minutes,
	device_time_back_hours, device_time_ahead_minutes, lease_idle_minutes`

func settingsFields(st *Settings) []any {
	return []any{&st.BookingWindowDays, &st.MinNoticeMinutes, &st.MaxHeldAppointments, &st.MaxHeldUnverified,
		&st.MinAgeYears, &st.CancelCutoffMinutes, &st.DNASuspendCount, &st.DNALookbackDays, &st.CheckInBeforeMinutes,
		&st.CheckInAfterMinutes, &st.RepeatProcessingDays, &st.RepeatNoteMaxChars, &st.KioskLeasesPerDay, &st.LeaseReturnMinutes,
		&st.DeviceTimeBackHours, &st.DeviceTimeAheadMinutes, &st.LeaseIdleMinutes}
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Settings reads the practice's online-services settings.
func (s *Store) Settings(ctx context.Context) (Settings, error) {
	return loadSettings(ctx, s.read)
}

func loadSettings(ctx context.Context, q queryRower) (Settings, error) {
	var st Settings
	err := q.QueryRowContext(ctx, "SELECT "+settingsColumns+", clinicians_handle_alerts FROM online_settings WHERE id = 1").
		Scan(append(settingsFields(&st), &st.CliniciansHandleAlerts)...)
	if errors.Is(err, sql.ErrNoRows) {
		return Settings{}, fmt.Errorf("load settings: %w", ErrNoPractice)
	}
	if err != nil {
		return Settings{}, fmt.Errorf("load settings: %w", err)
	}
	return st, nil
}

// Validate refuses settings a practice could not mean.
func (st Settings) Validate() error {
	for _, v := range settingsFields(&st) {
		if *v.(*int) < 0 {
			return refuse(ReasonInvalidInput, "Settings cannot be negative.")
		}
	}
	if st.BookingWindowDays > 365 || st.MinAgeYears > 120 {
		return refuse(ReasonInvalidInput, "Booking window must be at most 365 days and minimum age at most 120.")
	}
	if st.DeviceTimeBackHours < 1 || st.DeviceTimeBackHours > MaxDeviceTimeBackHours || st.DeviceTimeAheadMinutes > 60 {
		return refuse(ReasonInvalidInput, fmt.Sprintf("A device's actions can be believed from 1 hour to %d days old, and up to 60 minutes ahead of the server's clock.",
			MaxDeviceTimeBackHours/24))
	}
	if st.LeaseIdleMinutes > MaxLeaseIdleMinutes {
		return refuse(ReasonInvalidInput, fmt.Sprintf("A kiosk's leases can be kept for at most %d minutes (a week) after it was last in touch; 0 keeps them until it returns.", MaxLeaseIdleMinutes))
	}
	return nil
}

// SetupPractice creates the practice and its settings in an empty database.
func (s *Store) SetupPractice(ctx context.Context, p Practice, st Settings) error {
	return s.inTx(ctx, "store.SetupPractice", func(tx *sql.Tx) error {
		return setupPractice(ctx, tx, s.Now(), p, st)
	})
}

// SetupPractice creates the practice inside a load, so a practice and all
// its data appear together or not at all.
func (l *Loader) SetupPractice(p Practice, st Settings) error {
	return setupPractice(l.ctx, l.tx, l.now, p, st)
}

func setupPractice(ctx context.Context, tx *sql.Tx, now time.Time, p Practice, st Settings) error {
	if strings.TrimSpace(p.Name) == "" || strings.TrimSpace(p.ODSCode) == "" {
		return refuse(ReasonInvalidInput, "The practice needs a name and an ODS code.")
	}
	if err := st.Validate(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO practice (id, ods_code, name, address, postcode, phone, created_at)
		VALUES (1, ?, ?, ?, ?, ?, ?)`, p.ODSCode, p.Name, p.Address, p.Postcode, p.Phone, now.Unix()); err != nil {
		return fmt.Errorf("store.SetupPractice: %w", err)
	}
	args := []any{now.Unix(), st.CliniciansHandleAlerts}
	for _, f := range settingsFields(&st) {
		args = append(args, *f.(*int))
	}
	placeholders := strings.Repeat(", ?", len(args))
	if _, err := tx.ExecContext(ctx, "INSERT INTO online_settings (id, updated_at, clinicians_handle_alerts, "+settingsColumns+
		") VALUES (1"+placeholders+")", args...); err != nil {
		return fmt.Errorf("store.SetupPractice: settings: %w", err)
	}
	return appendAudit(ctx, tx, now, SystemActor(), "practice.setup", "practice", 1, "")
}

// UpdateSettings replaces the practice's online-services settings.
func (s *Store) UpdateSettings(ctx context.Context, actor Actor, st Settings) error {
	if err := st.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, "store.UpdateSettings", func(tx *sql.Tx) error {
		if err := writeSettings(ctx, tx, s.Now(), st); err != nil {
			return fmt.Errorf("store.UpdateSettings: %w", err)
		}
		return appendAudit(ctx, tx, s.Now(), actor, "settings.update", "practice", 1, "")
	})
}

// writeSettings replaces the settings row inside a change's transaction.
func writeSettings(ctx context.Context, tx *sql.Tx, now time.Time, st Settings) error {
	cols := strings.Fields(strings.ReplaceAll(settingsColumns, ",", " "))
	args := []any{now.Unix(), st.CliniciansHandleAlerts}
	for _, f := range settingsFields(&st) {
		args = append(args, *f.(*int))
	}
	res, err := tx.ExecContext(ctx, "UPDATE online_settings SET updated_at = ?, clinicians_handle_alerts = ?, "+strings.Join(cols, " = ?, ")+" = ? WHERE id = 1", args...)
	if err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("write settings: %w", ErrNoPractice)
	}
	return nil
}
