package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// ClinicianRole is a clinician's profession as patients see it.
type ClinicianRole string

// The clinician roles.
const (
	RoleGP         ClinicianRole = "gp"
	RoleNurse      ClinicianRole = "nurse"
	RoleHCA        ClinicianRole = "hca"
	RolePharmacist ClinicianRole = "pharmacist"
)

// Clinician is someone patients can book with.
type Clinician struct {
	ID             int64
	DisplayName    string // "Dr Amina Okafor", shown to patients
	Role           ClinicianRole
	OnlineBookable bool
}

// SlotType is a kind of appointment; its name is shown to patients.
type SlotType struct {
	ID             int64
	Code           string
	Name           string // plain English: "GP routine 10 min"
	Minutes        int
	ClinicianRole  ClinicianRole
	OnlineBookable bool
	Urgent         bool // urgent slots stay with reception
	Eligibility    SlotEligibility
}

// NewSlot is one slot to create inside a session.
type NewSlot struct {
	SlotTypeID     int64
	StartsAt       time.Time
	EndsAt         time.Time
	OnlineBookable bool
	ReleaseAt      time.Time // zero: no embargo
	ReceptionOnly  bool
}

// NewSession is a clinician's session on a surgery day with its slots.
type NewSession struct {
	ClinicianID int64
	Day         Date
	StartsAt    time.Time
	EndsAt      time.Time
	Room        string
	Slots       []NewSlot
}

// Sex as recorded for arrival check-in.
type Sex string

// The recorded sexes.
const (
	SexFemale Sex = "female"
	SexMale   Sex = "male"
	SexOther  Sex = "other"
)

// NewPatient is a patient to register with the practice.
type NewPatient struct {
	NHSNumber   string
	GivenName   string
	FamilyName  string
	Sex         Sex
	DateOfBirth Date
	Address     string
	Postcode    string
	Phone       string
	// OnlineOrderingUnsuitable is a clinician's judgement that repeat
	// medicines should be ordered through reception.
	OnlineOrderingUnsuitable bool
}

// NewRepeat is an item on a patient's repeat prescription.
type NewRepeat struct {
	PatientID    int64
	Name         string // "Amlodipine"
	Strength     string // "5 mg"
	Form         string // "tablets"
	Dosage       string // "One tablet once a day"
	Quantity     string // "28 tablets"
	Active       bool
	ReviewDue    Date      // zero: none
	LastIssuedAt time.Time // zero: never issued
	StartedAt    time.Time
}

// Loader writes many validated rows inside one transaction, with prepared
// statements, for setting up a practice (the demo generator, an import).
type Loader struct {
	ctx   context.Context
	tx    *sql.Tx
	now   time.Time
	loc   *time.Location
	stmts map[string]*sql.Stmt
	s     *Store // for the loads that take the store's own paths (RequestRepeats, DecideRepeats)
}

// Now is the store's clock at the start of the load.
func (l *Loader) Now() time.Time { return l.now }

// Load runs fn with a Loader; everything fn adds commits together or not at
// all (a cancelled ctx or an error leaves the database as it was).
func (s *Store) Load(ctx context.Context, fn func(l *Loader) error) error {
	return s.inTx(ctx, "store.Load", func(tx *sql.Tx) error {
		l := &Loader{ctx: ctx, tx: tx, now: s.Now(), loc: s.loc, stmts: map[string]*sql.Stmt{}, s: s}
		defer func() {
			for _, st := range l.stmts {
				st.Close()
			}
		}()
		if err := fn(l); err != nil {
			return err
		}
		return appendAudit(ctx, tx, s.Now(), SystemActor(), "data.load", "practice", 1, "")
	})
}

func (l *Loader) exec(op, query string, args ...any) (int64, error) {
	st, ok := l.stmts[query]
	if !ok {
		var err error
		if st, err = l.tx.PrepareContext(l.ctx, query); err != nil {
			return 0, fmt.Errorf("%s: prepare: %w", op, err)
		}
		l.stmts[query] = st
	}
	res, err := st.ExecContext(l.ctx, args...)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("%s: new row id: %w", op, err)
	}
	return id, nil
}

// AddClinician adds a clinician and returns its ID.
func (l *Loader) AddClinician(c Clinician) (int64, error) {
	if strings.TrimSpace(c.DisplayName) == "" {
		return 0, refuse(ReasonInvalidInput, "A clinician needs a name.")
	}
	return l.exec("store.AddClinician", "INSERT INTO clinicians (display_name, role, online_bookable) VALUES (?, ?, ?)",
		c.DisplayName, string(c.Role), c.OnlineBookable)
}

// AddSlotType adds a slot type and returns its ID.
func (l *Loader) AddSlotType(t SlotType) (int64, error) {
	if t.Urgent && t.OnlineBookable {
		return 0, refuse(ReasonInvalidInput, "Urgent appointments stay with reception and cannot be bookable online.")
	}
	e := t.Eligibility
	if (e.Sex != "" && e.Sex != SexFemale && e.Sex != SexMale) || e.MinAge < 0 || e.MaxAge < 0 || (e.MaxAge != 0 && e.MaxAge < e.MinAge) {
		return 0, refuse(ReasonInvalidInput, "Who an appointment is for must be female, male or anyone, with ages from low to high.")
	}
	return l.exec("store.AddSlotType", `INSERT INTO slot_types (code, name, minutes, clinician_role, online_bookable, urgent,
		for_sex, min_age_years, max_age_years) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.Code, t.Name, t.Minutes, string(t.ClinicianRole),
		t.OnlineBookable, t.Urgent, string(e.Sex), e.MinAge, e.MaxAge)
}

// AddSession adds a session and its slots and returns the session's ID.
func (l *Loader) AddSession(s NewSession) (int64, error) {
	if !s.EndsAt.After(s.StartsAt) {
		return 0, refuse(ReasonInvalidInput, "A session must end after it starts.")
	}
	if DateOf(s.StartsAt, l.loc) != s.Day || DateOf(s.EndsAt.Add(-time.Second), l.loc) != s.Day {
		return 0, refuse(ReasonInvalidInput, "A session must start and end on its own surgery day.")
	}
	id, err := l.exec("store.AddSession", "INSERT INTO sessions (clinician_id, day, starts_at, ends_at, room) VALUES (?, ?, ?, ?, ?)",
		s.ClinicianID, s.Day.String(), s.StartsAt.Unix(), s.EndsAt.Unix(), s.Room)
	if err != nil {
		return 0, err
	}
	for _, sl := range s.Slots {
		if sl.StartsAt.Before(s.StartsAt) || sl.EndsAt.After(s.EndsAt) || !sl.EndsAt.After(sl.StartsAt) {
			return 0, refuse(ReasonInvalidInput, "Every slot must fit inside its session.")
		}
		if !sl.ReleaseAt.IsZero() && !sl.ReleaseAt.Before(sl.StartsAt) {
			return 0, refuse(ReasonInvalidInput, "A slot must be released for booking before it starts.")
		}
		var release any
		if !sl.ReleaseAt.IsZero() {
			release = sl.ReleaseAt.Unix()
		}
		channel := "any"
		if sl.ReceptionOnly {
			channel = "reception"
		}
		if _, err := l.exec("store.AddSession: slot", `INSERT INTO slots
			(session_id, slot_type_id, starts_at, ends_at, online_bookable, release_at, channel) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, sl.SlotTypeID, sl.StartsAt.Unix(), sl.EndsAt.Unix(), sl.OnlineBookable && !sl.ReceptionOnly, release, channel); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// Validate checks a new patient's details and returns the parsed NHS number.
func (p NewPatient) Validate(today Date) (NHSNumber, error) {
	nhs, err := ParseNHSNumber(p.NHSNumber)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(p.GivenName) == "" || strings.TrimSpace(p.FamilyName) == "" {
		return "", refuse(ReasonInvalidInput, "Please give the patient's first name and surname.")
	}
	switch p.Sex {
	case SexFemale, SexMale, SexOther:
	default:
		return "", refuse(ReasonInvalidInput, "Please record the patient's sex as female, male or other.")
	}
	if _, err := NewDate(p.DateOfBirth.Year, p.DateOfBirth.Month, p.DateOfBirth.Day); err != nil {
		return "", err
	}
	if today.Before(p.DateOfBirth) {
		return "", refuse(ReasonInvalidDate, "The date of birth is in the future. Please check it.")
	}
	return nhs, nil
}

// AddPatient registers a patient and returns the ID.
func (l *Loader) AddPatient(p NewPatient) (int64, error) {
	nhs, err := p.Validate(DateOf(l.now, l.loc))
	if err != nil {
		return 0, err
	}
	return l.exec("store.AddPatient", `INSERT INTO patients
		(nhs_number, given_name, family_name, sex, date_of_birth, address, postcode, phone, online_ordering_unsuitable, registered_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		string(nhs), strings.TrimSpace(p.GivenName), strings.TrimSpace(p.FamilyName), string(p.Sex), p.DateOfBirth.String(),
		p.Address, p.Postcode, p.Phone, p.OnlineOrderingUnsuitable, l.now.Unix())
}

// AddRepeat adds an item to a patient's repeat prescription.
func (l *Loader) AddRepeat(r NewRepeat) (int64, error) {
	if strings.TrimSpace(r.Name) == "" || strings.TrimSpace(r.Dosage) == "" || r.StartedAt.IsZero() {
		return 0, refuse(ReasonInvalidInput, "A repeat item needs a name, a dose and a start date.")
	}
	status := "stopped"
	if r.Active {
		status = "active"
	}
	var review, issued any
	if !r.ReviewDue.IsZero() {
		review = r.ReviewDue.String()
	}
	if !r.LastIssuedAt.IsZero() {
		issued = r.LastIssuedAt.Unix()
	}
	return l.exec("store.AddRepeat", `INSERT INTO repeat_medications
		(patient_id, name, strength, form, dosage, quantity, status, review_due, last_issued_at, started_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.PatientID, r.Name, r.Strength, r.Form, r.Dosage, r.Quantity, status, review, issued, r.StartedAt.Unix())
}

// NewRegistration registers a patient (or their proxy) for online services.
type NewRegistration struct {
	PatientID            int64
	VerificationMethod   string // photo_id_and_address, vouching, vouching_with_information
	VerifiedByStaffID    int64  // 0: not recorded
	VerifiedAt           time.Time
	CoercionConsidered   bool
	ServiceAppointments  bool
	ServicePrescriptions bool
	RecordAccess         string // none, summary, detailed
	KioskEnabled         bool
	AccountID            string
	LinkageKeyHash       string
	LetterIssuedAt       time.Time // zero: not yet printed
	LetterExpiresAt      time.Time
}

// AddRegistration records an online-services registration.
func (l *Loader) AddRegistration(r NewRegistration) (int64, error) {
	switch r.VerificationMethod {
	case "photo_id_and_address", "vouching", "vouching_with_information":
	default:
		return 0, refuse(ReasonInvalidInput, "Choose how the patient's identity was checked.")
	}
	if !r.CoercionConsidered {
		return 0, refuse(ReasonInvalidInput, "The coercion question must be answered before registering.")
	}
	if r.VerificationMethod == "vouching" && r.RecordAccess == "detailed" {
		return 0, refuse(ReasonInvalidInput, "Vouching alone cannot unlock the detailed record.")
	}
	if r.AccountID == "" || r.LinkageKeyHash == "" || r.VerifiedAt.IsZero() {
		return 0, refuse(ReasonInvalidInput, "A registration needs its account ID, linkage key and verification time.")
	}
	var staff, issued, expires any
	if r.VerifiedByStaffID != 0 {
		staff = r.VerifiedByStaffID
	}
	if !r.LetterIssuedAt.IsZero() {
		issued, expires = r.LetterIssuedAt.Unix(), r.LetterExpiresAt.Unix()
	}
	return l.exec("store.AddRegistration", `INSERT INTO online_registrations
		(patient_id, verification_method, verified_by_staff_id, verified_at, coercion_considered, service_appointments,
		 service_prescriptions, record_access, kiosk_enabled, account_id, linkage_key_hash, letter_issued_at, letter_expires_at)
		VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.PatientID, r.VerificationMethod, staff, r.VerifiedAt.Unix(), r.ServiceAppointments, r.ServicePrescriptions,
		r.RecordAccess, r.KioskEnabled, r.AccountID, r.LinkageKeyHash, issued, expires)
}
