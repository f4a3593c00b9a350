package manager_test

// memService is an in-memory practice server for the screens' tests: it
// keeps what it is told, refuses what the real one refuses (as a 422's
// gpsync.ManageRefusal) and can be taken offline, when it answers reads
// with what it last had and refuses changes. The end-to-end test against
// the real server (sync/managedesk) is the coordinator's.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/manager"
)

// errOffline is what a change gets while the server is out of reach.
var errOffline = errors.New("The practice server cannot be reached. Try again when it is back.") //nolint:staticcheck // shown to the manager as it is

// refused is a 422: the server's refusal.
type refused struct{ R gpsync.ManageRefusal }

func (e *refused) Error() string                 { return e.R.Message }
func (e *refused) Refusal() gpsync.ManageRefusal { return e.R }

// memService is the in-memory server. Set its fields before use; read them
// under Lock in tests.
type memService struct {
	sync.Mutex
	Now       func() time.Time
	Offline   bool      // reads answer from the last fetch, changes fail
	FetchedAt time.Time // when the desktop last fetched, while offline

	Managed   gpsync.ManagedSettings
	Saves     []gpsync.ManagedSettings // every accepted save, in order
	PIN       string                   // the exit PIN in force
	DevList   []gpsync.DeviceInfo
	Codes     []gpsync.NewEnrolmentResponse
	Accounts  []gpsync.StaffAccount
	Passwords map[string]string
	Entries   []gpsync.AuditEntry // newest first
	Queries   []gpsync.AuditQuery // every search, in order
	Verify    gpsync.AuditVerifyResult
	Report    gpsync.UptakeReport
	Asked     [][2]string // every uptake range asked for
}

var _ manager.Service = (*memService)(nil)

// newMemService is a server with a demo practice's settings, two devices and three
// staff accounts.
func newMemService(now func() time.Time) *memService {
	seen := now().Add(-2 * time.Minute)
	return &memService{
		Now: now,
		Managed: gpsync.ManagedSettings{
			Settings: gpsync.SettingsData{BookingWindowDays: 28, MinNoticeMinutes: 60, MaxHeldAppointments: 2, MaxHeldUnverified: 1,
				MinAgeYears: 16, CancelCutoffMinutes: 120, RepeatProcessingDays: 2, RepeatNoteMaxChars: 200},
			KioskLeasesPerDay: 4, LeaseReturnMinutes: 60, LeaseIdleMinutes: 30, KioskExitPINSet: true,
			SlotTypeAges: []gpsync.SlotTypeAge{{SlotTypeID: 1, Name: "GP appointment"}, {SlotTypeID: 2, Name: "Child immunisation", MaxAgeYears: 5}},
		},
		DevList: []gpsync.DeviceInfo{
			{ID: "dev-kiosk-1", Name: "Waiting room kiosk", Role: gpsync.RoleKiosk, LastSeenAt: &seen, AppVersion: "1.4.0", OutboxWaiting: 3, LeasesHeld: 4},
			{ID: "dev-desk-1", Name: "Front desk", Role: gpsync.RoleDesktop, LastSeenAt: &seen, AppVersion: "1.4.0"},
		},
		Accounts: []gpsync.StaffAccount{
			{Username: "manager", DisplayName: "Mark Owen", Role: store.StaffManager, Active: true, HasPassword: true},
			{Username: "reception", DisplayName: "Rita Patel", Role: store.StaffReceptionist, Active: true, HasPassword: true},
			{Username: "nurse", DisplayName: "Nina Evans", Role: store.StaffClinician, Active: true, HasPassword: true},
		},
		Passwords: map[string]string{},
		Verify:    gpsync.AuditVerifyResult{Holds: true, Checked: 12345},
	}
}

func (s *memService) fresh() manager.Freshness {
	if s.Offline {
		return manager.Freshness{FetchedAt: s.FetchedAt}
	}
	return manager.Freshness{FetchedAt: s.Now(), Live: true}
}

func refuse(msg string, fields ...gpsync.FieldProblem) error {
	return &refused{gpsync.ManageRefusal{Code: "refused", Message: msg, Fields: fields}}
}

// Settings are the settings in force.
func (s *memService) Settings(ctx context.Context) (gpsync.ManagedSettings, manager.Freshness, error) {
	s.Lock()
	defer s.Unlock()
	m := s.Managed
	m.SlotTypeAges = slices.Clone(m.SlotTypeAges)
	return m, s.fresh(), nil
}

// SaveSettings refuses what the real server refuses (a booking window
// outside 1 to 365 days, a PIN anyone could guess, a lease kept longer
// than the booking window) and otherwise keeps the whole thing.
func (s *memService) SaveSettings(ctx context.Context, m gpsync.ManagedSettings) error {
	s.Lock()
	defer s.Unlock()
	if s.Offline {
		return errOffline
	}
	var probs []gpsync.FieldProblem
	if w := m.Settings.BookingWindowDays; w < 1 || w > 365 {
		probs = append(probs, gpsync.FieldProblem{Field: "settings.bookingWindowDays", Message: "Choose a booking window from 1 to 365 days."})
	}
	if p := m.NewKioskExitPIN; p != "" && (len(p) < 6 || strings.Trim(p, "0123456789") != "" || strings.Contains("01234567890 9876543210", p)) {
		probs = append(probs, gpsync.FieldProblem{Field: "newKioskExitPin", Message: "Choose a PIN of 6 digits or more that is hard to guess."})
	}
	if m.LeaseIdleMinutes > m.Settings.BookingWindowDays*24*60 {
		probs = append(probs, gpsync.FieldProblem{Field: "leaseIdleMinutes", Message: "Give slots back before the booking window ends."})
	}
	for i, a := range m.SlotTypeAges {
		if a.MaxAgeYears != 0 && a.MinAgeYears > a.MaxAgeYears {
			probs = append(probs, gpsync.FieldProblem{Field: fmt.Sprintf("slotTypeAges.%d.minAgeYears", i), Message: "The youngest age is above the oldest."})
		}
	}
	if len(probs) > 0 {
		return refuse("Nothing was changed. Please check the settings marked.", probs...)
	}
	if m.NewKioskExitPIN != "" {
		s.PIN = m.NewKioskExitPIN
		m.KioskExitPINSet = true
	}
	m.NewKioskExitPIN = ""
	m.UpdatedAt = s.Now()
	s.Managed = m
	s.Saves = append(s.Saves, m)
	return nil
}

// Devices are the enrolled devices.
func (s *memService) Devices(ctx context.Context) ([]gpsync.DeviceInfo, manager.Freshness, error) {
	s.Lock()
	defer s.Unlock()
	return slices.Clone(s.DevList), s.fresh(), nil
}

// NewEnrolment makes a set-up code good for 15 minutes.
func (s *memService) NewEnrolment(ctx context.Context, role, name string) (gpsync.NewEnrolmentResponse, error) {
	s.Lock()
	defer s.Unlock()
	if s.Offline {
		return gpsync.NewEnrolmentResponse{}, errOffline
	}
	if role != gpsync.RoleKiosk && role != gpsync.RoleDesktop {
		return gpsync.NewEnrolmentResponse{}, refuse("Choose a kiosk or a desktop.")
	}
	code := fmt.Sprintf("K7Q2-M9X%d", len(s.Codes)+1)
	r := gpsync.NewEnrolmentResponse{Code: code, ExpiresAt: s.Now().Add(15 * time.Minute),
		Enrolment: gpsync.Enrolment{Server: "https://surgery-server:8400", Code: code}.String()}
	s.Codes = append(s.Codes, r)
	return r, nil
}

func (s *memService) device(id string) (*gpsync.DeviceInfo, error) {
	if s.Offline {
		return nil, errOffline
	}
	for i := range s.DevList {
		if s.DevList[i].ID == id {
			return &s.DevList[i], nil
		}
	}
	return nil, refuse("There is no such device.")
}

// RenameDevice renames a device.
func (s *memService) RenameDevice(ctx context.Context, id, name string) error {
	s.Lock()
	defer s.Unlock()
	d, err := s.device(id)
	if err != nil {
		return err
	}
	d.Name = name
	return nil
}

// RevokeDevice stops a device reaching the server.
func (s *memService) RevokeDevice(ctx context.Context, id string) error {
	s.Lock()
	defer s.Unlock()
	d, err := s.device(id)
	if err != nil {
		return err
	}
	now := s.Now()
	d.RevokedAt = &now
	return nil
}

// Staff are the staff accounts.
func (s *memService) Staff(ctx context.Context) ([]gpsync.StaffAccount, manager.Freshness, error) {
	s.Lock()
	defer s.Unlock()
	return slices.Clone(s.Accounts), s.fresh(), nil
}

// AddStaff adds an account, refusing a username already taken.
func (s *memService) AddStaff(ctx context.Context, r gpsync.NewStaffRequest) error {
	s.Lock()
	defer s.Unlock()
	if s.Offline {
		return errOffline
	}
	for _, a := range s.Accounts {
		if a.Username == r.Username {
			return refuse(fmt.Sprintf("The username %s is taken. Choose another.", r.Username), gpsync.FieldProblem{Field: "username", Message: "Taken."})
		}
	}
	if len(r.Password) < 12 {
		return refuse("A password needs 12 characters or more.", gpsync.FieldProblem{Field: "password", Message: "Too short."})
	}
	s.Accounts = append(s.Accounts, gpsync.StaffAccount{Username: r.Username, DisplayName: r.DisplayName, Role: r.Role, Active: true, HasPassword: true, CreatedAt: s.Now()})
	s.Passwords[r.Username] = r.Password
	return nil
}

// ChangeStaff changes an account, never leaving the practice without an
// active manager.
func (s *memService) ChangeStaff(ctx context.Context, username string, c gpsync.StaffChange) error {
	s.Lock()
	defer s.Unlock()
	if s.Offline {
		return errOffline
	}
	i := slices.IndexFunc(s.Accounts, func(a gpsync.StaffAccount) bool { return a.Username == username })
	if i < 0 {
		return refuse("There is no such member of staff.")
	}
	next := s.Accounts[i]
	if c.Active != nil {
		next.Active = *c.Active
	}
	if c.Role != nil {
		next.Role = *c.Role
	}
	if c.Password != nil {
		if len(*c.Password) < 12 {
			return refuse("A password needs 12 characters or more.", gpsync.FieldProblem{Field: "password", Message: "Too short."})
		}
		next.HasPassword = true
	}
	managers := 0
	for j, a := range s.Accounts {
		if j == i {
			a = next
		}
		if a.Active && a.Role == store.StaffManager {
			managers++
		}
	}
	if managers == 0 {
		return refuse("The practice must keep at least one practice manager who can sign in.")
	}
	s.Accounts[i] = next
	if c.Password != nil {
		s.Passwords[username] = *c.Password
	}
	return nil
}

func matches(q gpsync.AuditQuery, e gpsync.AuditEntry, loc *time.Location) bool {
	day := e.At.In(loc).Format("2006-01-02")
	switch {
	case q.StaffUsername != "" && e.Actor != "staff:"+q.StaffUsername,
		q.DeviceID != "" && e.Device != q.DeviceID,
		q.Action != "" && !(e.Action == q.Action || (strings.HasSuffix(q.Action, ".") && strings.HasPrefix(e.Action, q.Action))),
		q.From != "" && day < q.From,
		q.To != "" && day > q.To,
		q.Before != 0 && e.Seq >= q.Before,
		q.PatientNHSNumber != "" && !strings.Contains(e.Detail, q.PatientNHSNumber):
		return false
	}
	return true
}

// Audit searches the entries, newest first, Limit (default 200) a page.
func (s *memService) Audit(ctx context.Context, q gpsync.AuditQuery) (gpsync.AuditPage, manager.Freshness, error) {
	s.Lock()
	defer s.Unlock()
	s.Queries = append(s.Queries, q)
	limit := q.Limit
	if limit <= 0 {
		limit = 200
	}
	var p gpsync.AuditPage
	for _, e := range s.Entries {
		if !matches(q, e, time.UTC) {
			continue
		}
		if len(p.Entries) == limit {
			p.More = true
			break
		}
		p.Entries = append(p.Entries, e)
	}
	return p, s.fresh(), nil
}

// AuditCSV is the search as CSV.
func (s *memService) AuditCSV(ctx context.Context, q gpsync.AuditQuery) ([]byte, error) {
	s.Lock()
	defer s.Unlock()
	if s.Offline {
		return nil, errOffline
	}
	var b strings.Builder
	b.WriteString("seq,at,actor,device,action\n")
	for _, e := range s.Entries {
		if matches(q, e, time.UTC) {
			fmt.Fprintf(&b, "%d,%s,%s,%s,%s\n", e.Seq, e.At.Format(time.RFC3339), e.Actor, e.Device, e.Action)
		}
	}
	return []byte(b.String()), nil
}

// VerifyAudit answers with Verify.
func (s *memService) VerifyAudit(ctx context.Context) (gpsync.AuditVerifyResult, error) {
	s.Lock()
	defer s.Unlock()
	if s.Offline {
		return gpsync.AuditVerifyResult{}, errOffline
	}
	r := s.Verify
	r.At = s.Now()
	return r, nil
}

// Uptake answers with Report's months in the range.
func (s *memService) Uptake(ctx context.Context, from, to string) (gpsync.UptakeReport, manager.Freshness, error) {
	s.Lock()
	defer s.Unlock()
	s.Asked = append(s.Asked, [2]string{from, to})
	r := s.Report
	r.Months = nil
	for _, m := range s.Report.Months {
		if m.Month >= from && m.Month <= to {
			r.Months = append(r.Months, m)
		}
	}
	return r, s.fresh(), nil
}
