package store

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gpkiosk/store/passhash"
)

// The practice manager's desk (issue 16): what the manager API changes and
// reads, each change one transaction with its audit event.

// Reasons of manager request refusals.
const (
	ReasonManagerOnly    Reason = "manager_only"
	ReasonSessionEnded   Reason = "session_ended"
	ReasonLastManager    Reason = "last_manager"
	ReasonRequestReplay  Reason = "request_replayed"
	maxDeviceNameChars          = 80
	maxAuditPage                = 1000
	defaultAuditPage            = 200
	deviceReportInterval        = time.Minute
)

// FieldRefusal is a refusal about one field of a change, so a form can
// mark it: Field is the field's Go name in the change ("LeaseIdleMinutes",
// "SlotTypeAges.2.MinAge", "NewKioskExitPIN", "Password", "Name").
type FieldRefusal struct {
	Field string
	Err   error // a *RuleError
}

func (e *FieldRefusal) Error() string { return e.Err.Error() }

// Unwrap is the refusal itself, for AsRuleError and errors.Is.
func (e *FieldRefusal) Unwrap() error { return e.Err }

func refuseField(field string, r Reason, message string) error {
	return &FieldRefusal{Field: field, Err: refuse(r, message)}
}

// ManagerRequest is a signed manager request as the server decoded it:
// which desktop, which member of staff and session, when it was signed,
// its nonce and its proof (Signed made from all of those and the body).
type ManagerRequest struct {
	Device    Device
	StaffID   int64
	SessionID string
	At        time.Time
	Nonce     string
	Proof     Proof
}

// Manager is the member of staff a manager request was proven to come
// from.
type Manager struct {
	ID       int64
	Username string
	Actor    Actor
}

// CheckManagerRequest proves a manager request: the session is live and
// this member of staff's on this desktop, the proof is its key's MAC, the
// time is within StaffSignInSkew of the server's, the nonce has not been
// seen, and the member of staff is an active manager. The nonce is kept,
// so the same request is refused a second time.
func (s *Store) CheckManagerRequest(ctx context.Context, req ManagerRequest) (Manager, error) {
	const op = "store.CheckManagerRequest"
	if req.Device.Role != DeviceDesktop {
		return Manager{}, refuse(ReasonManagerOnly, "Only the practice manager can do this, at a staff desktop.")
	}
	if len(req.Nonce) < 16 || len(req.Nonce) > 64 || len(req.Proof.MAC) == 0 {
		return Manager{}, refuse(ReasonNotProven, "This request is not complete. Sign in again.")
	}
	var out Manager
	err := s.inTx(ctx, op, func(tx *sql.Tx) error {
		now := s.Now()
		if d := req.At.Sub(now); d > StaffSignInSkew || d < -StaffSignInSkew {
			return refuse(ReasonClockWrong, "This computer's clock is wrong, so the practice server cannot check this request. Ask the practice manager to set the clock.")
		}
		var key []byte
		var expires int64
		var ended sql.NullInt64
		err := tx.QueryRowContext(ctx, "SELECT key, expires_at, ended_at FROM staff_sessions WHERE id = ? AND staff_id = ? AND device_id = ?",
			req.SessionID, req.StaffID, req.Device.ID).Scan(&key, &expires, &ended)
		if errors.Is(err, sql.ErrNoRows) {
			return refuse(ReasonSessionEnded, "Your sign-in has ended; sign in again.")
		}
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if ended.Valid || now.Unix() >= expires {
			return refuse(ReasonSessionEnded, "Your sign-in has ended; sign in again.")
		}
		if !hmac.Equal(Sign(key, req.Proof.Signed), req.Proof.MAC) {
			return refuse(ReasonNotProven, "The practice server could not check who sent this. Sign in again.")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM manage_nonces WHERE seen_at < ?", now.Add(-2*StaffSignInSkew).Unix()); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO manage_nonces (nonce, seen_at) VALUES (?, ?) ON CONFLICT DO NOTHING", req.Nonce, now.Unix())
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return refuse(ReasonRequestReplay, "This request has been sent before, so it was not done again.")
		}
		var role string
		var active bool
		if err := tx.QueryRowContext(ctx, "SELECT username, role, active FROM staff WHERE id = ?", req.StaffID).Scan(&out.Username, &role, &active); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if !active || role != StaffManager {
			return refuse(ReasonManagerOnly, "Only the practice manager can do this.")
		}
		out.ID = req.StaffID
		out.Actor = Actor{Name: "staff:" + out.Username, Device: req.Device.ID}
		return nil
	})
	if err != nil {
		return Manager{}, err
	}
	return out, nil
}

// SlotTypeAge is the age limit of a kind of appointment (0: no limit).
type SlotTypeAge struct {
	SlotTypeID int64
	Name       string
	MinAge     int
	MaxAge     int
}

// ManagedSettings is what the manager's settings screen shows.
type ManagedSettings struct {
	Settings        Settings
	KioskExitPINSet bool
	SlotTypeAges    []SlotTypeAge
	UpdatedAt       time.Time
}

// ManagedSettingsChange is the settings screen saved: every setting, the
// age limits of the kinds of appointment listed (others stay), and a new
// kiosk exit PIN when NewKioskExitPIN is not "".
type ManagedSettingsChange struct {
	Settings        Settings
	SlotTypeAges    []SlotTypeAge
	NewKioskExitPIN string
}

// ManagedSettings reads the settings, the PIN's presence and the age
// limits of every kind of appointment.
func (s *Store) ManagedSettings(ctx context.Context) (ManagedSettings, error) {
	const op = "store.ManagedSettings"
	st, err := loadSettings(ctx, s.read)
	if err != nil {
		return ManagedSettings{}, fmt.Errorf("%s: %w", op, err)
	}
	out := ManagedSettings{Settings: st}
	var updated int64
	if err := s.read.QueryRowContext(ctx, "SELECT coalesce(kiosk_exit_pin, '') <> '', updated_at FROM online_settings WHERE id = 1").
		Scan(&out.KioskExitPINSet, &updated); err != nil {
		return ManagedSettings{}, fmt.Errorf("%s: %w", op, err)
	}
	out.UpdatedAt = time.Unix(updated, 0).UTC()
	rows, err := s.read.QueryContext(ctx, "SELECT id, name, min_age_years, max_age_years FROM slot_types ORDER BY name, id")
	if err != nil {
		return ManagedSettings{}, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a SlotTypeAge
		if err := rows.Scan(&a.SlotTypeID, &a.Name, &a.MinAge, &a.MaxAge); err != nil {
			return ManagedSettings{}, fmt.Errorf("%s: %w", op, err)
		}
		out.SlotTypeAges = append(out.SlotTypeAges, a)
	}
	if err := rows.Err(); err != nil {
		return ManagedSettings{}, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// SaveManagedSettings saves the settings screen as one change with one
// audit event naming the fields that changed. Anything refused changes
// nothing.
func (s *Store) SaveManagedSettings(ctx context.Context, actor Actor, c ManagedSettingsChange) error {
	return s.saveManagedSettings(ctx, actor, c, passhash.Default())
}

func (s *Store) saveManagedSettings(ctx context.Context, actor Actor, c ManagedSettingsChange, p passhash.Params) error {
	const op = "store.SaveManagedSettings"
	if err := c.Settings.Validate(); err != nil {
		return err
	}
	if c.Settings.LeaseIdleMinutes > c.Settings.BookingWindowDays*24*60 {
		return refuseField("LeaseIdleMinutes", ReasonInvalidInput, "A kiosk's leases cannot outlast the booking window.")
	}
	for i, a := range c.SlotTypeAges {
		for _, f := range []struct {
			name string
			v    int
		}{{"MinAge", a.MinAge}, {"MaxAge", a.MaxAge}} {
			if f.v < 0 || f.v > 120 {
				return refuseField(fmt.Sprintf("SlotTypeAges.%d.%s", i, f.name), ReasonInvalidInput, "An age limit is from 0 to 120 years; 0 means no limit.")
			}
		}
		if a.MaxAge != 0 && a.MinAge > a.MaxAge {
			return refuseField(fmt.Sprintf("SlotTypeAges.%d.MinAge", i), ReasonInvalidInput, "A kind of appointment's lowest age cannot be above its highest age.")
		}
	}
	var verifier string
	if c.NewKioskExitPIN != "" {
		if err := CheckKioskExitPIN(c.NewKioskExitPIN); err != nil {
			return &FieldRefusal{Field: "NewKioskExitPIN", Err: err}
		}
		v, err := passhash.Hash(c.NewKioskExitPIN, p)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		verifier = v
	}
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		now := s.Now()
		old, err := loadSettings(ctx, tx)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		changed := changedSettings(old, c.Settings)
		if err := writeSettings(ctx, tx, now, c.Settings); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		for i, a := range c.SlotTypeAges {
			var lo, hi int
			err := tx.QueryRowContext(ctx, "SELECT min_age_years, max_age_years FROM slot_types WHERE id = ?", a.SlotTypeID).Scan(&lo, &hi)
			if errors.Is(err, sql.ErrNoRows) {
				return refuseField(fmt.Sprintf("SlotTypeAges.%d.SlotTypeID", i), ReasonInvalidInput, "One of the kinds of appointment is not the practice's any more. Open the settings again.")
			}
			if err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
			if lo == a.MinAge && hi == a.MaxAge {
				continue
			}
			if _, err := tx.ExecContext(ctx, "UPDATE slot_types SET min_age_years = ?, max_age_years = ? WHERE id = ?", a.MinAge, a.MaxAge, a.SlotTypeID); err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
			changed = append(changed, "slotTypeAge:"+strconv.FormatInt(a.SlotTypeID, 10))
		}
		if verifier != "" {
			if _, err := tx.ExecContext(ctx, "UPDATE online_settings SET kiosk_exit_pin = ? WHERE id = 1", verifier); err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
			changed = append(changed, "kioskExitPin")
		}
		detail := "changed=" + strings.Join(changed, ",")
		if len(changed) == 0 {
			detail = "changed=none"
		}
		return appendAudit(ctx, tx, now, actor, "settings.update", "practice", 1, detail)
	})
}

// changedSettings names the settings (by Go field) that differ.
func changedSettings(old, now Settings) []string {
	var out []string
	a, b := reflect.ValueOf(old), reflect.ValueOf(now)
	for i := range a.NumField() {
		if !a.Field(i).Equal(b.Field(i)) {
			out = append(out, a.Type().Field(i).Name)
		}
	}
	return out
}

// DeviceStatus is a device as the manager's list shows it.
type DeviceStatus struct {
	Device
	LastSeenAt    time.Time // zero: never
	AppVersion    string
	OutboxWaiting int
	LeasesHeld    int
}

// RecordDeviceReport keeps what a device said about itself with a request:
// its app version and how many ops wait in its outbox, and that it was
// seen now. Callers call it only when something changed or a minute has
// passed, so it costs a write a minute per device at most.
func (s *Store) RecordDeviceReport(ctx context.Context, deviceID, appVersion string, outbox int) error {
	if utf8.RuneCountInString(appVersion) > 40 || !PrintableName(appVersion) && appVersion != "" {
		appVersion = "" // a device that says nonsense says nothing
	}
	outbox = max(0, outbox)
	if _, err := s.write.ExecContext(ctx, "UPDATE devices SET last_seen_at = ?, app_version = ?, outbox_waiting = ? WHERE id = ?",
		s.Now().Unix(), appVersion, outbox, deviceID); err != nil {
		return fmt.Errorf("store.RecordDeviceReport: %w", err)
	}
	return nil
}

// DeviceReportInterval is how often a device's unchanged report is worth
// writing down.
func DeviceReportInterval() time.Duration { return deviceReportInterval }

// DeviceStatuses lists every device with what it last reported and the
// slot leases it holds now, newest enrolled first.
func (s *Store) DeviceStatuses(ctx context.Context) ([]DeviceStatus, error) {
	const op = "store.DeviceStatuses"
	rows, err := s.read.QueryContext(ctx, `SELECT d.id, d.role, d.name, d.enrolled_at, d.revoked_at, d.last_pull_at,
		max(coalesce(d.last_seen_at, 0), coalesce(d.last_pull_at, 0)), d.app_version, d.outbox_waiting,
		(SELECT count(*) FROM slot_leases l WHERE l.device_id = d.id AND l.ends_at > ?)
		FROM devices d ORDER BY d.enrolled_at DESC, d.id`, s.Now().Unix())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []DeviceStatus
	for rows.Next() {
		var d DeviceStatus
		var enrolled, seen int64
		var revoked, pulled sql.NullInt64
		if err := rows.Scan(&d.ID, &d.Role, &d.Name, &enrolled, &revoked, &pulled, &seen, &d.AppVersion, &d.OutboxWaiting, &d.LeasesHeld); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		d.EnrolledAt = time.Unix(enrolled, 0).UTC()
		if revoked.Valid {
			d.RevokedAt = time.Unix(revoked.Int64, 0).UTC()
		}
		if pulled.Valid {
			d.LastPullAt = time.Unix(pulled.Int64, 0).UTC()
		}
		if seen > 0 {
			d.LastSeenAt = time.Unix(seen, 0).UTC()
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// RenameDevice gives a device the name the practice knows it by.
func (s *Store) RenameDevice(ctx context.Context, actor Actor, deviceID, name string) error {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > maxDeviceNameChars || !PrintableName(name) {
		return refuseField("Name", ReasonInvalidInput, fmt.Sprintf("A device's name is 1 to %d letters, digits, spaces and punctuation.", maxDeviceNameChars))
	}
	return s.inTx(ctx, "store.RenameDevice", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE devices SET name = ? WHERE id = ?", name, deviceID)
		if err != nil {
			return fmt.Errorf("store.RenameDevice: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return refuse(ReasonNotFound, "There is no device with that ID.")
		}
		return appendAudit(ctx, tx, s.Now(), actor, "device.rename", "device", 0, "device="+deviceID)
	})
}

// StaffChange changes one thing or more about a member of staff at once;
// nil fields stay as they are.
type StaffChange struct {
	Active   *bool
	Role     *string
	Password *string
}

// ChangeStaff makes a StaffChange as one transaction, each part audited.
// A change that would leave no active manager who can sign in is refused.
// Their sessions end when they are
// disabled, their role changes or their password is replaced.
func (s *Store) ChangeStaff(ctx context.Context, actor Actor, username string, c StaffChange) error {
	return s.changeStaff(ctx, actor, username, c, passhash.Default())
}

func (s *Store) changeStaff(ctx context.Context, actor Actor, username string, c StaffChange, p passhash.Params) error {
	const op = "store.ChangeStaff"
	if c.Active == nil && c.Role == nil && c.Password == nil {
		return refuse(ReasonInvalidInput, "Say what to change: whether the account is on, its role or its password.")
	}
	if c.Role != nil && *c.Role != StaffReceptionist && *c.Role != StaffClinician && *c.Role != StaffManager {
		return refuseField("Role", ReasonInvalidInput, "A member of staff is a receptionist, a clinician or a manager.")
	}
	var verifier string
	if c.Password != nil {
		if err := CheckStaffPassword(*c.Password); err != nil {
			return &FieldRefusal{Field: "Password", Err: err}
		}
		v, err := passhash.Hash(*c.Password, p)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		verifier = v
	}
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		now := s.Now()
		var id int64
		var role string
		var active bool
		var clinician sql.NullInt64
		err := tx.QueryRowContext(ctx, "SELECT id, role, active, clinician_id FROM staff WHERE username = ?", username).Scan(&id, &role, &active, &clinician)
		if errors.Is(err, sql.ErrNoRows) {
			return refuse(ReasonNotFound, "No member of staff has that username.")
		}
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		was, err := signInManager(ctx, tx, id)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		endSessions := false
		if c.Role != nil && *c.Role != role {
			if clinician.Valid && *c.Role != StaffClinician {
				return refuse(ReasonInvalidInput, "This account is linked to a clinician's diary, so it stays a clinician's account.")
			}
			if _, err := tx.ExecContext(ctx, "UPDATE staff SET role = ? WHERE id = ?", *c.Role, id); err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
			if err := appendAudit(ctx, tx, now, actor, "staff.role", "staff", id, "from="+role+" to="+*c.Role); err != nil {
				return err
			}
			endSessions = true
		}
		if c.Active != nil && *c.Active != active {
			if _, err := tx.ExecContext(ctx, "UPDATE staff SET active = ? WHERE id = ?", *c.Active, id); err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
			action := "staff.disable"
			if *c.Active {
				action = "staff.enable"
			}
			if err := appendAudit(ctx, tx, now, actor, action, "staff", id, ""); err != nil {
				return err
			}
			endSessions = endSessions || !*c.Active
		}
		if verifier != "" {
			if _, err := tx.ExecContext(ctx, "UPDATE staff SET password_hash = ?, password_policy = ? WHERE id = ?", verifier, staffPasswordPolicy, id); err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
			if err := appendAudit(ctx, tx, now, actor, "staff.password", "staff", id, ""); err != nil {
				return err
			}
			endSessions = true
		}
		if err := keepSignInManager(ctx, tx, was); err != nil {
			return err
		}
		if endSessions {
			return endStaffSessions(ctx, tx, id, now)
		}
		return nil
	})
}

// SetStaffRole changes a member of staff's role (ChangeStaff).
func (s *Store) SetStaffRole(ctx context.Context, actor Actor, username, role string) error {
	return s.ChangeStaff(ctx, actor, username, StaffChange{Role: &role})
}

// signInManager says whether a member of staff is an active manager with
// a password: one who can manage the practice from a desktop.
func signInManager(ctx context.Context, tx *sql.Tx, id int64) (bool, error) {
	var ok bool
	if err := tx.QueryRowContext(ctx, `SELECT role = ? AND active = 1 AND coalesce(password_hash, '') <> '' FROM staff WHERE id = ?`,
		StaffManager, id).Scan(&ok); err != nil {
		return false, fmt.Errorf("check manager: %w", err)
	}
	return ok, nil
}

// keepSignInManager refuses, inside a change's transaction, a change to a
// manager who could sign in (was) that leaves the practice with no active
// manager who has a password: nobody could then manage it from a desktop.
func keepSignInManager(ctx context.Context, tx *sql.Tx, was bool) error {
	if !was {
		return nil
	}
	var ok bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM staff WHERE role = ? AND active = 1 AND coalesce(password_hash, '') <> '')`,
		StaffManager).Scan(&ok); err != nil {
		return fmt.Errorf("check managers: %w", err)
	}
	if !ok {
		return refuse(ReasonLastManager, "There must always be at least one practice manager who can sign in.")
	}
	return nil
}

// AuditFilter selects audit events; zero fields select everything.
type AuditFilter struct {
	PatientNHSNumber string
	StaffUsername    string
	DeviceID         string
	Action           string // exact, or a prefix ending in "."
	From, To         Date   // Europe/London, inclusive
	Before           int64  // seq: only older events (the next page)
	Limit            int    // default 200, at most 1000
}

// SearchAudit finds audit events, newest first. more says there are older
// matches: ask again with Before set to the last Seq.
func (s *Store) SearchAudit(ctx context.Context, f AuditFilter) ([]AuditEvent, bool, error) {
	const op = "store.SearchAudit"
	where, args, ok, err := s.auditWhere(ctx, f)
	if err != nil || !ok {
		return nil, false, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultAuditPage
	}
	if limit > maxAuditPage {
		return nil, false, refuse(ReasonInvalidInput, fmt.Sprintf("A page of the audit log is at most %d events.", maxAuditPage))
	}
	q := "SELECT " + auditColumns + " FROM audit_events"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.read.QueryContext(ctx, q+" ORDER BY seq DESC LIMIT ?", append(args, limit+1)...)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []AuditEvent
	for rows.Next() {
		e, err := scanAuditEvent(rows)
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("%s: %w", op, err)
	}
	if len(out) > limit {
		return out[:limit], true, nil
	}
	return out, false, nil
}

// auditWhere is a filter's conditions; ok is false when it can match
// nothing (an NHS number no patient has).
func (s *Store) auditWhere(ctx context.Context, f AuditFilter) (where []string, args []any, ok bool, err error) {
	if f.PatientNHSNumber != "" {
		nhs, err := ParseNHSNumber(f.PatientNHSNumber)
		if err != nil {
			return nil, nil, false, err
		}
		var id int64
		err = s.read.QueryRowContext(ctx, "SELECT id FROM patients WHERE nhs_number = ?", string(nhs)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil, false, nil
		}
		if err != nil {
			return nil, nil, false, fmt.Errorf("store.SearchAudit: %w", err)
		}
		where = append(where, "((subject_kind = 'patient' AND subject_id = ?) OR actor = ?)")
		args = append(args, id, "patient:"+strconv.FormatInt(id, 10))
	}
	if f.StaffUsername != "" {
		where, args = append(where, "actor = ?"), append(args, "staff:"+f.StaffUsername)
	}
	if f.DeviceID != "" {
		where, args = append(where, "device = ?"), append(args, f.DeviceID)
	}
	if prefix, ok := strings.CutSuffix(f.Action, "."); ok && prefix != "" {
		// A range, so the action index serves it: "staff." up to "staff/".
		where, args = append(where, "action >= ? AND action < ?"), append(args, f.Action, prefix+"/")
	} else if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return nil, nil, false, refuse(ReasonInvalidInput, "The search's last day is before its first day.")
	}
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, f.From.At(0, 0, s.loc).Unix())
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, f.To.AddDays(1).At(0, 0, s.loc).Unix())
	}
	if f.Before > 0 {
		where, args = append(where, "seq < ?"), append(args, f.Before)
	}
	return where, args, true, nil
}

// AuditCheck is the result of walking the audit log's hash chain.
type AuditCheck struct {
	Holds    bool
	Checked  int   // events that held
	BrokenAt int64 // the first event that does not (0 when it holds)
}

// CheckAuditChain walks the whole log and says where, if anywhere, its
// hash chain first breaks.
func (s *Store) CheckAuditChain(ctx context.Context) (AuditCheck, error) {
	const op = "store.CheckAuditChain"
	rows, err := s.read.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit_events ORDER BY seq")
	if err != nil {
		return AuditCheck{}, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var prev string
	var c AuditCheck
	var want int64 = 1
	for rows.Next() {
		e, err := scanAuditEvent(rows)
		if err != nil {
			return AuditCheck{}, fmt.Errorf("%s: %w", op, err)
		}
		if e.Seq != want || e.PrevHash != prev || auditHash(e) != e.Hash {
			c.BrokenAt = min(e.Seq, want) // a missing event breaks where it was
			return c, nil
		}
		prev, want, c.Checked = e.Hash, want+1, c.Checked+1
	}
	if err := rows.Err(); err != nil {
		return AuditCheck{}, fmt.Errorf("%s: %w", op, err)
	}
	c.Holds = true
	return c, nil
}

// RecordAuditExport audits an export of the audit log (what was asked
// for, never what it held).
func (s *Store) RecordAuditExport(ctx context.Context, actor Actor, f AuditFilter, events int) error {
	detail := fmt.Sprintf("events=%d", events)
	for _, kv := range [][2]string{{"staff", f.StaffUsername}, {"device", f.DeviceID}, {"action", f.Action}} {
		if kv[1] != "" && !strings.ContainsAny(kv[1], "\x1f") {
			detail += " " + kv[0] + "=" + kv[1]
		}
	}
	if f.PatientNHSNumber != "" {
		detail += " patient=yes" // the NHS number itself stays out of the log's detail
	}
	if !f.From.IsZero() {
		detail += " from=" + f.From.String()
	}
	if !f.To.IsZero() {
		detail += " to=" + f.To.String()
	}
	return s.inTx(ctx, "store.RecordAuditExport", func(tx *sql.Tx) error {
		return appendAudit(ctx, tx, s.Now(), actor, "audit.export", "audit", 0, detail)
	})
}
