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
	device_time_back_hours, device_time_ahead_minutes, lease_idle_minutes, daily_release_minutes, kiosk_idle_seconds,
	kiosk_idle_warning_seconds, staff_idle_minutes`

func settingsFields(st *Settings) []any {
	return []any{&st.BookingWindowDays, &st.MinNoticeMinutes, &st.MaxHeldAppointments, &st.MaxHeldUnverified,
		&st.MinAgeYears, &st.CancelCutoffMinutes, &st.DNASuspendCount, &st.DNALookbackDays, &st.CheckInBeforeMinutes,
		&st.CheckInAfterMinutes, &st.RepeatProcessingDays, &st.RepeatNoteMaxChars, &st.KioskLeasesPerDay, &st.LeaseReturnMinutes,
		&st.DeviceTimeBackHours, &st.DeviceTimeAheadMinutes, &st.LeaseIdleMinutes, &st.DailyReleaseMinutes, &st.KioskIdleSeconds,
		&st.KioskIdleWarningSeconds, &st.StaffIdleMinutes}
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
	err := q.QueryRowContext(ctx, "SELECT "+settingsColumns+", clinicians_handle_alerts, read_aloud_default FROM online_settings WHERE id = 1").
		Scan(append(settingsFields(&st), &st.CliniciansHandleAlerts, &st.ReadAloudDefault)...)
	if errors.Is(err, sql.ErrNoRows) {
		return Settings{}, fmt.Errorf("load settings: %w", ErrNoPractice)
	}
	if err != nil {
		return Settings{}, fmt.Errorf("load settings: %w", err)
	}
	return st, nil
}

// Validate refuses settings a practice could not mean, with every problem
// at once (SettingsProblems), each in words a practice manager can act on.
func (st Settings) Validate() error {
	var ps SettingsProblems
	check := func(bad bool, field, message string) {
		if bad {
			ps = append(ps, SettingsProblem{Field: field, Message: message})
		}
	}
	between := func(v, lo, hi int, field, message string) { check(v < lo || v > hi, field, message) }

	between(st.BookingWindowDays, 1, 365, "BookingWindowDays", "The booking window must be between 1 and 365 days.")
	between(st.MinNoticeMinutes, 0, MaxNoticeMinutes, "MinNoticeMinutes",
		fmt.Sprintf("The minimum notice for booking must be between 0 minutes and %d days.", MaxNoticeMinutes/(24*60)))
	between(st.MaxHeldAppointments, 0, MaxHeldLimit, "MaxHeldAppointments",
		fmt.Sprintf("The number of appointments a patient may hold must be between 0 and %d.", MaxHeldLimit))
	between(st.MaxHeldUnverified, 0, MaxHeldLimit, "MaxHeldUnverified",
		fmt.Sprintf("The number of appointments a patient who is not fully identity-checked may hold must be between 0 and %d.", MaxHeldLimit))
	between(st.MinAgeYears, 0, 120, "MinAgeYears", "The minimum age for online services must be between 0 and 120 years.")
	between(st.CancelCutoffMinutes, 0, MaxNoticeMinutes, "CancelCutoffMinutes",
		fmt.Sprintf("The time before an appointment when patients can no longer cancel it themselves must be between 0 minutes and %d days.", MaxNoticeMinutes/(24*60)))
	between(st.DNASuspendCount, 0, 50, "DNASuspendCount",
		"The number of missed appointments that pauses online booking must be between 0 (never pause) and 50.")
	between(st.DNALookbackDays, 0, 3*365, "DNALookbackDays", "Missed appointments can be counted over at most 3 years (1095 days), and not a negative number of days.")
	between(st.CheckInBeforeMinutes, 0, 24*60, "CheckInBeforeMinutes", "Check-in can open at most 24 hours (1440 minutes) before an appointment.")
	between(st.CheckInAfterMinutes, 0, 24*60, "CheckInAfterMinutes", "Check-in can stay open at most 24 hours (1440 minutes) after an appointment starts.")
	between(st.RepeatProcessingDays, 0, 30, "RepeatProcessingDays", "A repeat prescription must take between 0 and 30 working days to be ready.")
	between(st.RepeatNoteMaxChars, 0, 2000, "RepeatNoteMaxChars", "A patient's note on a repeat request can be limited to between 0 and 2000 characters.")
	between(st.KioskLeasesPerDay, 0, 1000, "KioskLeasesPerDay", "Each kiosk can keep between 0 and 1000 appointments a day for booking while offline.")
	between(st.LeaseReturnMinutes, 0, MaxNoticeMinutes, "LeaseReturnMinutes",
		fmt.Sprintf("Appointments kept for a kiosk must go back to everyone between 0 minutes and %d days before they start.", MaxNoticeMinutes/(24*60)))
	between(st.DeviceTimeBackHours, 1, MaxDeviceTimeBackHours, "DeviceTimeBackHours",
		fmt.Sprintf("A device's actions can be believed from 1 hour to %d days old.", MaxDeviceTimeBackHours/24))
	between(st.DeviceTimeAheadMinutes, 0, 60, "DeviceTimeAheadMinutes", "A device's clock can be believed up to 60 minutes ahead of the server's, and no less than 0.")
	between(st.LeaseIdleMinutes, 0, MaxLeaseIdleMinutes, "LeaseIdleMinutes",
		fmt.Sprintf("A kiosk's appointments can be kept for at most %d minutes (a week) after it was last in touch; 0 keeps them until it returns.", MaxLeaseIdleMinutes))
	between(st.DailyReleaseMinutes, 0, 24*60-1, "DailyReleaseMinutes", "The furthest day opens for booking at a time between 00:00 and 23:59.")
	between(st.KioskIdleSeconds, 20, 600, "KioskIdleSeconds", "A kiosk must wait between 20 seconds and 10 minutes (600 seconds) before asking \"Are you still there?\".")
	between(st.KioskIdleWarningSeconds, MinIdleWarningSeconds, 120, "KioskIdleWarningSeconds",
		fmt.Sprintf("\"Are you still there?\" must give the patient between %d and 120 seconds to answer.", MinIdleWarningSeconds))
	between(st.StaffIdleMinutes, 1, 60, "StaffIdleMinutes", "A staff desktop must sign its user out after between 1 and 60 minutes unused.")

	// Between fields: each is said once, against the field a manager would
	// change.
	check(st.MaxHeldUnverified > st.MaxHeldAppointments, "MaxHeldUnverified",
		"Patients who are not fully identity-checked cannot hold more appointments than patients who are.")
	check(st.BookingWindowDays >= 1 && st.MinNoticeMinutes >= st.BookingWindowDays*24*60, "MinNoticeMinutes",
		"The minimum notice for booking must be shorter than the booking window, or no appointment could be booked.")
	check(st.DNASuspendCount > 0 && st.DNALookbackDays < 1, "DNALookbackDays",
		"When missed appointments pause online booking, they must be counted over at least 1 day.")
	check(st.CheckInBeforeMinutes == 0 && st.CheckInAfterMinutes == 0, "CheckInAfterMinutes",
		"Check-in must be open for some time: allow at least 1 minute before or after an appointment starts.")
	check(st.KioskIdleWarningSeconds >= st.KioskIdleSeconds, "KioskIdleWarningSeconds",
		"The \"Are you still there?\" warning must be shorter than the time a kiosk waits before showing it.")
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// Settings limits beyond which no practice could mean a value.
const (
	MaxNoticeMinutes = 7 * 24 * 60 // notice, cancellation cut-off, lease return: a week
	MaxHeldLimit     = 50          // appointments one patient may hold
	// MinIdleWarningSeconds: WCAG 2.2 (2.2.1) gives a person at least 20
	// seconds to answer a time-out warning.
	MinIdleWarningSeconds = 20
)

// SettingsProblem is one thing wrong with a practice's settings: Field is
// the Settings field's Go name, Message a sentence a practice manager can
// act on.
type SettingsProblem struct {
	Field   string
	Message string
}

// SettingsProblems is every problem Validate found. It is the store's
// ordinary refusal too: errors.Is(err, ReasonInvalidInput) holds, and
// AsRuleError gives a RuleError whose Message says all of them.
type SettingsProblems []SettingsProblem

func (ps SettingsProblems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Message
	}
	return strings.Join(msgs, " ")
}

// Unwrap makes the problems a refusal for errors.Is and errors.As.
func (ps SettingsProblems) Unwrap() error { return refuse(ReasonInvalidInput, ps.Error()) }

// Problem returns the message for field, if Validate found one.
func (ps SettingsProblems) Problem(field string) (string, bool) {
	for _, p := range ps {
		if p.Field == field {
			return p.Message, true
		}
	}
	return "", false
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
	args := []any{now.Unix(), st.CliniciansHandleAlerts, st.ReadAloudDefault}
	for _, f := range settingsFields(&st) {
		args = append(args, *f.(*int))
	}
	placeholders := strings.Repeat(", ?", len(args))
	if _, err := tx.ExecContext(ctx, "INSERT INTO online_settings (id, updated_at, clinicians_handle_alerts, read_aloud_default, "+settingsColumns+
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
	args := []any{now.Unix(), st.CliniciansHandleAlerts, st.ReadAloudDefault}
	for _, f := range settingsFields(&st) {
		args = append(args, *f.(*int))
	}
	res, err := tx.ExecContext(ctx, "UPDATE online_settings SET updated_at = ?, clinicians_handle_alerts = ?, read_aloud_default = ?, "+strings.Join(cols, " = ?, ")+" = ? WHERE id = 1", args...)
	if err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("write settings: %w", ErrNoPractice)
	}
	return nil
}
