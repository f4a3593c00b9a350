package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gpkiosk/store/passhash"
)

// Staff roles: what a member of staff may do at a desktop.
const (
	StaffReceptionist = "receptionist"
	StaffClinician    = "clinician"
	StaffManager      = "manager"
)

// Staff password policy. A desktop holds a check of each password so staff
// can sign in offline, and a stolen desktop's checks can be searched
// offline at the speed of argon2id: a 6-digit PIN falls in about 10
// core-hours, so PINs are not allowed, and 12 characters put a search out
// of reach (docs/security.md).
const (
	minStaffPasswordChars = 12
	maxStaffPasswordChars = 128 // argon2 takes any length; this bounds the work
	maxStaffNameChars     = 100
	// staffPasswordPolicy is recorded with each password set under the
	// rule above; desktops are sent checks only of these.
	staffPasswordPolicy = 2
)

var staffUsernamePattern = regexp.MustCompile(`^[a-z0-9._-]{3,32}$`)

// NewStaff is a member of staff to add.
type NewStaff struct {
	Username    string
	DisplayName string
	Role        string // receptionist, clinician, manager
	Password    string
	// ClinicianID optionally links a clinician's account to their bookable
	// row (0: none).
	ClinicianID int64
}

// StaffMember is a staff account as the practice manager sees it (never
// the verifier).
type StaffMember struct {
	ID          int64
	Username    string
	DisplayName string
	Role        string
	ClinicianID int64
	HasPassword bool
	Active      bool
	CreatedAt   time.Time
}

// CheckStaffPassword is the one policy for staff passwords: at least 12
// characters, not only digits, and not one character repeated.
func CheckStaffPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n > maxStaffPasswordChars {
		return refuse(ReasonInvalidInput, fmt.Sprintf("A password can be at most %d characters.", maxStaffPasswordChars))
	}
	if n < minStaffPasswordChars || strings.Trim(pw, "0123456789") == "" || strings.Trim(pw, pw[:1]) == "" {
		return refuse(ReasonInvalidInput, fmt.Sprintf("Use a password of at least %d characters that is not only numbers: three words you will remember work well. "+
			"A PIN is not enough for a staff account, because someone who stole a staff computer could try every PIN.", minStaffPasswordChars))
	}
	return nil
}

// signInCheck is what a desktop is sent to sign a member of staff in by:
// the check of their verifier, or "" for no password or one set before
// today's policy.
func signInCheck(verifier string, policy int) (string, error) {
	if verifier == "" || policy < staffPasswordPolicy {
		return "", nil
	}
	return passhash.Check(verifier)
}

// StaffSignInCheck is the sign-in check a desktop is sent for username
// ("" when they cannot sign in at a desktop), for tools that act as a
// desktop would.
func (s *Store) StaffSignInCheck(ctx context.Context, username string) (string, error) {
	var verifier string
	var policy int
	err := s.read.QueryRowContext(ctx, "SELECT coalesce(password_hash, ''), password_policy FROM staff WHERE username = ?", username).Scan(&verifier, &policy)
	if errors.Is(err, sql.ErrNoRows) {
		return "", refuse(ReasonNotFound, "There is no staff account with that username.")
	}
	if err != nil {
		return "", fmt.Errorf("store.StaffSignInCheck: %w", err)
	}
	check, err := signInCheck(verifier, policy)
	if err != nil {
		return "", fmt.Errorf("store.StaffSignInCheck: %w", err)
	}
	return check, nil
}

// validate checks everything but the password and returns the trimmed
// display name.
func (n NewStaff) validate() (string, error) {
	if !staffUsernamePattern.MatchString(n.Username) {
		return "", refuse(ReasonInvalidInput, "A username is 3 to 32 lower-case letters, digits, dots, hyphens or underscores.")
	}
	name := strings.TrimSpace(n.DisplayName)
	if name == "" || utf8.RuneCountInString(name) > maxStaffNameChars || strings.ContainsAny(name, "\x1f\n\r") {
		return "", refuse(ReasonInvalidInput, fmt.Sprintf("Give the member of staff's name, up to %d characters.", maxStaffNameChars))
	}
	if !PrintableName(name) {
		return "", refuse(ReasonInvalidInput, notPrintableMessage)
	}
	switch n.Role {
	case StaffReceptionist, StaffManager:
		if n.ClinicianID != 0 {
			return "", refuse(ReasonInvalidInput, "Only a clinician's account can be linked to a clinician.")
		}
	case StaffClinician:
	default:
		return "", refuse(ReasonInvalidInput, "A member of staff is a receptionist, a clinician or a manager.")
	}
	return name, CheckStaffPassword(n.Password)
}

// AddStaff adds a staff account with its password and returns its ID.
// Desktops learn it (and its verifier, to sign in offline) at their next
// sync.
func (s *Store) AddStaff(ctx context.Context, actor Actor, n NewStaff) (int64, error) {
	return s.addStaff(ctx, actor, n, passhash.Default())
}

func (s *Store) addStaff(ctx context.Context, actor Actor, n NewStaff, p passhash.Params) (int64, error) {
	name, err := n.validate()
	if err != nil {
		return 0, err
	}
	verifier, err := passhash.Hash(n.Password, p)
	if err != nil {
		return 0, fmt.Errorf("store.AddStaff: %w", err)
	}
	var id int64
	err = s.inTx(ctx, "store.AddStaff", func(tx *sql.Tx) error {
		id, err = insertStaff(ctx, tx, s.Now(), actor, n, name, verifier)
		return err
	})
	return id, err
}

// AddStaff adds a staff account as part of a load (the demo practice ships
// with one of each role).
func (l *Loader) AddStaff(n NewStaff) (int64, error) {
	name, err := n.validate()
	if err != nil {
		return 0, err
	}
	verifier, err := passhash.Hash(n.Password, passhash.Default())
	if err != nil {
		return 0, fmt.Errorf("store.AddStaff: %w", err)
	}
	return insertStaff(l.ctx, l.tx, l.now, SystemActor(), n, name, verifier)
}

func insertStaff(ctx context.Context, tx *sql.Tx, now time.Time, actor Actor, n NewStaff, name, verifier string) (int64, error) {
	var taken bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM staff WHERE username = ?)", n.Username).Scan(&taken); err != nil {
		return 0, fmt.Errorf("store.AddStaff: %w", err)
	}
	if taken {
		return 0, refuse(ReasonInvalidInput, "That username is already in use. Choose another.")
	}
	var clinician any
	if n.ClinicianID != 0 {
		var ok bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM clinicians WHERE id = ?)", n.ClinicianID).Scan(&ok); err != nil {
			return 0, fmt.Errorf("store.AddStaff: %w", err)
		}
		if !ok {
			return 0, refuse(ReasonNotFound, "There is no clinician with that number.")
		}
		clinician = n.ClinicianID
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO staff (username, display_name, role, clinician_id, password_hash, active, created_at, password_policy)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?)`, n.Username, name, n.Role, clinician, verifier, now.Unix(), staffPasswordPolicy)
	if err != nil {
		return 0, fmt.Errorf("store.AddStaff: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("store.AddStaff: %w", err)
	}
	return id, appendAudit(ctx, tx, now, actor, "staff.add", "staff", id, "role="+n.Role)
}

// SetStaffActive disables (revokes) or re-enables a staff account. A
// disabled account cannot sign in on any desktop once it has synced, and
// the server refuses anything sent in its name.
func (s *Store) SetStaffActive(ctx context.Context, actor Actor, username string, active bool) error {
	action := "staff.disable"
	if active {
		action = "staff.enable"
	}
	return s.inTx(ctx, "store.SetStaffActive", func(tx *sql.Tx) error {
		id, err := staffIDByUsername(ctx, tx, username)
		if err != nil {
			return fmt.Errorf("store.SetStaffActive: %w", err)
		}
		now := s.Now()
		was, err := signInManager(ctx, tx, id)
		if err != nil {
			return fmt.Errorf("store.SetStaffActive: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE staff SET active = ? WHERE id = ?", active, id); err != nil {
			return fmt.Errorf("store.SetStaffActive: %w", err)
		}
		if err := keepSignInManager(ctx, tx, was); err != nil {
			return err
		}
		if err := endStaffSessions(ctx, tx, id, now); err != nil {
			return fmt.Errorf("store.SetStaffActive: %w", err)
		}
		return appendAudit(ctx, tx, now, actor, action, "staff", id, "")
	})
}

// SetStaffPassword replaces a member of staff's password.
func (s *Store) SetStaffPassword(ctx context.Context, actor Actor, username, password string) error {
	return s.setStaffPassword(ctx, actor, username, password, passhash.Default())
}

func (s *Store) setStaffPassword(ctx context.Context, actor Actor, username, password string, p passhash.Params) error {
	if err := CheckStaffPassword(password); err != nil {
		return err
	}
	verifier, err := passhash.Hash(password, p)
	if err != nil {
		return fmt.Errorf("store.SetStaffPassword: %w", err)
	}
	return s.inTx(ctx, "store.SetStaffPassword", func(tx *sql.Tx) error {
		id, err := staffIDByUsername(ctx, tx, username)
		if err != nil {
			return fmt.Errorf("store.SetStaffPassword: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE staff SET password_hash = ?, password_policy = ? WHERE id = ?", verifier, staffPasswordPolicy, id); err != nil {
			return fmt.Errorf("store.SetStaffPassword: %w", err)
		}
		now := s.Now()
		if err := endStaffSessions(ctx, tx, id, now); err != nil {
			return fmt.Errorf("store.SetStaffPassword: %w", err)
		}
		return appendAudit(ctx, tx, now, actor, "staff.password", "staff", id, "")
	})
}

func staffIDByUsername(ctx context.Context, tx *sql.Tx, username string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM staff WHERE username = ?", username).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, refuse(ReasonNotFound, "No member of staff has that username.")
	}
	return id, err
}

// StaffMembers lists every staff account, by username.
func (s *Store) StaffMembers(ctx context.Context) ([]StaffMember, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, username, display_name, role, coalesce(clinician_id, 0),
		coalesce(password_hash, '') <> '', active, created_at FROM staff ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("store.StaffMembers: %w", err)
	}
	defer rows.Close()
	var out []StaffMember
	for rows.Next() {
		var m StaffMember
		var created int64
		if err := rows.Scan(&m.ID, &m.Username, &m.DisplayName, &m.Role, &m.ClinicianID, &m.HasPassword, &m.Active, &created); err != nil {
			return nil, fmt.Errorf("store.StaffMembers: %w", err)
		}
		m.CreatedAt = time.Unix(created, 0).UTC()
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.StaffMembers: %w", err)
	}
	return out, nil
}

// opStaff is the member of staff an op from a desktop names.
type opStaff struct {
	id       int64
	username string
	role     string
	verifier string // their password's, for the request's proof
}

func (m opStaff) actor(dev Device) Actor {
	return Actor{Name: "staff:" + m.username, Device: dev.ID}
}

// staffForOp finds the active member of staff named by an op. ok is false
// when the op names nobody; a name that is unknown or disabled is a
// refusal, so nothing is done in a revoked account's name.
func staffForOp(ctx context.Context, tx *sql.Tx, dev Device, staffID int64) (opStaff, bool, error) {
	if dev.Role != DeviceDesktop || staffID == 0 {
		return opStaff{}, false, nil
	}
	m := opStaff{id: staffID}
	var active bool
	err := tx.QueryRowContext(ctx, "SELECT username, role, active, coalesce(password_hash, '') FROM staff WHERE id = ?", staffID).
		Scan(&m.username, &m.role, &active, &m.verifier)
	if errors.Is(err, sql.ErrNoRows) {
		return opStaff{}, false, refuse(ReasonStaffNotAllowed, "This was sent in the name of a staff account the practice does not have. Sign in again and redo it.")
	}
	if err != nil {
		return opStaff{}, false, fmt.Errorf("find staff: %w", err)
	}
	if !active {
		return opStaff{}, false, refuse(ReasonStaffNotAllowed, "This staff account has been disabled, so this was not done. Ask the practice manager.")
	}
	return m, true, nil
}

// StaffMay says which staff roles may make each desktop-only op; desktops
// ask it too, to show each role only what it may do. st is the practice's
// settings: clinicians handle the inbox of help requests and problem
// reports only if the practice allows it.
func StaffMay(kind RequestKind, role string, st Settings) bool {
	switch kind {
	case KindLinkProxy, KindRegisterOnline, KindHandOutRepeats:
		return role == StaffReceptionist || role == StaffManager
	case KindRecordView, KindRecordOutcome, KindBook, KindCancelAppointment:
		return role == StaffReceptionist || role == StaffManager || role == StaffClinician
	case KindDecideRepeats:
		return role == StaffClinician // prescribers
	case KindHandleAlert:
		return role == StaffReceptionist || role == StaffManager || (role == StaffClinician && st.CliniciansHandleAlerts)
	}
	return false
}
