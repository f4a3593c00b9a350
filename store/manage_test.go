package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var managerActor = Actor{Name: "staff:boss", Device: "dev_desk"}

// managedSnapshot is everything the settings screen can change, and the
// audit log's length, to show a refusal changed nothing.
func managedSnapshot(t *testing.T, f *fixture) (ManagedSettings, int) {
	t.Helper()
	m, err := f.st.ManagedSettings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return m, f.count(t, "SELECT count(*) FROM audit_events")
}

func agesOf(m ManagedSettings) map[int64][2]int {
	out := map[int64][2]int{}
	for _, a := range m.SlotTypeAges {
		out[a.SlotTypeID] = [2]int{a.MinAge, a.MaxAge}
	}
	return out
}

func TestSaveManagedSettingsIsOneAuditedChange(t *testing.T) {
	ctx := context.Background()
	f, _ := bookingFixture(t)
	before, events := managedSnapshot(t, f)
	if before.KioskExitPINSet {
		t.Fatal("a PIN set in a new practice")
	}
	st := before.Settings
	st.BookingWindowDays, st.LeaseIdleMinutes = 14, 600
	err := f.st.saveManagedSettings(ctx, managerActor, ManagedSettingsChange{Settings: st, NewKioskExitPIN: "482915",
		SlotTypeAges: []SlotTypeAge{{SlotTypeID: f.routine, MinAge: 18, MaxAge: 64}, {SlotTypeID: f.urgent}}}, cheapHash)
	if err != nil {
		t.Fatal(err)
	}
	after, n := managedSnapshot(t, f)
	if after.Settings != st || !after.KioskExitPINSet || agesOf(after)[f.routine] != [2]int{18, 64} || agesOf(after)[f.urgent] != [2]int{0, 0} {
		t.Fatalf("saved %+v", after)
	}
	if n != events+1 {
		t.Fatalf("%d audit events for one save, want 1", n-events)
	}
	var actor, action, detail string
	if err := f.st.read.QueryRow("SELECT actor, action, detail FROM audit_events ORDER BY seq DESC LIMIT 1").Scan(&actor, &action, &detail); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("changed=BookingWindowDays,LeaseIdleMinutes,slotTypeAge:%d,kioskExitPin", f.routine)
	if actor != "staff:boss" || action != "settings.update" || detail != want {
		t.Fatalf("audited %s %s %q, want %q", actor, action, detail, want)
	}
	// The feed tells devices of the new age limit.
	var changed int
	if err := f.st.read.QueryRow("SELECT count(*) FROM changes WHERE entity = 'slot_type' AND entity_id = ?", f.routine).Scan(&changed); err != nil || changed < 2 {
		t.Fatalf("slot type changes in the feed: %d (%v)", changed, err)
	}
}

func TestSaveManagedSettingsRefusalsChangeNothing(t *testing.T) {
	ctx := context.Background()
	f, _ := bookingFixture(t)
	before, events := managedSnapshot(t, f)
	base := func(edit func(c *ManagedSettingsChange)) ManagedSettingsChange {
		c := ManagedSettingsChange{Settings: before.Settings, SlotTypeAges: []SlotTypeAge{{SlotTypeID: f.routine, MinAge: 5, MaxAge: 10}}}
		c.Settings.MinNoticeMinutes = 30 // a good change alongside the bad one
		edit(&c)
		return c
	}
	for name, c := range map[string]ManagedSettingsChange{
		"age over 120": base(func(c *ManagedSettingsChange) { c.SlotTypeAges[0].MaxAge = 121 }),
		"negative age": base(func(c *ManagedSettingsChange) { c.SlotTypeAges[0].MinAge = -1 }),
		"lowest above": base(func(c *ManagedSettingsChange) { c.SlotTypeAges[0].MinAge = 11 }),
		"unknown slot type": base(func(c *ManagedSettingsChange) {
			c.SlotTypeAges = append(c.SlotTypeAges, SlotTypeAge{SlotTypeID: 999, MinAge: 1})
		}),
		"leases outlast": base(func(c *ManagedSettingsChange) {
			c.Settings.BookingWindowDays, c.Settings.LeaseIdleMinutes = 3, 3*24*60+1
		}),
		"easy PIN":            base(func(c *ManagedSettingsChange) { c.NewKioskExitPIN = "123456" }),
		"negative setting":    base(func(c *ManagedSettingsChange) { c.Settings.MaxHeldAppointments = -1 }),
		"booking window huge": base(func(c *ManagedSettingsChange) { c.Settings.BookingWindowDays = 400 }),
	} {
		err := f.st.saveManagedSettings(ctx, managerActor, c, cheapHash)
		re, ok := AsRuleError(err)
		if !ok || re.Message == "" || !strings.HasSuffix(re.Message, ".") {
			t.Errorf("%s: %v, want a plain refusal", name, err)
		}
		if name == "leases outlast" && re != nil && re.Message != "A kiosk's leases cannot outlast the booking window." {
			t.Errorf("%s: %q", name, re.Message)
		}
		after, n := managedSnapshot(t, f)
		if !reflect.DeepEqual(after, before) || n != events {
			t.Errorf("%s changed something: %+v, %d events", name, after, n-events)
		}
	}
}

// session makes a live online session for a member of staff on a
// desktop, with a known key.
func (f *fixture) session(t *testing.T, staffID int64, deviceID string, key []byte) string {
	t.Helper()
	id := fmt.Sprintf("session-%d-%s-%d", staffID, deviceID, time.Now().UnixNano())
	now := f.clock.Now().Unix()
	_, err := f.st.write.Exec(`INSERT INTO staff_sessions (id, staff_id, device_id, key, nonce, started_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, staffID, deviceID, key, "n-"+id, now, now+int64(StaffSessionLength/time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *fixture) device(t *testing.T, role string) Device {
	t.Helper()
	code, err := f.st.NewEnrolmentCode(context.Background(), managerActor, role, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := f.st.Enrol(context.Background(), code, role)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCheckManagerRequest(t *testing.T) {
	ctx := context.Background()
	f, _ := bookingFixture(t)
	desk, other, kioskDev := f.device(t, DeviceDesktop), f.device(t, DeviceDesktop), f.device(t, DeviceKiosk)
	boss, err := f.st.addStaff(ctx, managerActor, NewStaff{Username: "boss", DisplayName: "The Boss", Role: StaffManager, Password: "manage-the-place"}, cheapHash)
	if err != nil {
		t.Fatal(err)
	}
	clerk, err := f.st.addStaff(ctx, managerActor, NewStaff{Username: "clerk", DisplayName: "A Clerk", Role: StaffReceptionist, Password: "front-desk-2026"}, cheapHash)
	if err != nil {
		t.Fatal(err)
	}
	key := []byte("0123456789abcdef0123456789abcdef")
	bossSession, clerkSession := f.session(t, boss, desk.ID, key), f.session(t, clerk, desk.ID, key)
	n := 0
	req := func(dev Device, staff int64, session string, edit func(*ManagerRequest)) ManagerRequest {
		n++
		r := ManagerRequest{Device: dev, StaffID: staff, SessionID: session, At: f.clock.Now(), Nonce: fmt.Sprintf("nonce-number-%06d", n)}
		r.Proof = Proof{Signed: []byte("GET /v1/manage/staff " + r.Nonce)}
		r.Proof.MAC = Sign(key, r.Proof.Signed)
		if edit != nil {
			edit(&r)
		}
		return r
	}
	good := req(desk, boss, bossSession, nil)
	m, err := f.st.CheckManagerRequest(ctx, good)
	if err != nil || m.Username != "boss" || m.ID != boss || m.Actor != (Actor{Name: "staff:boss", Device: desk.ID}) {
		t.Fatalf("manager's request: %+v %v", m, err)
	}
	for name, c := range map[string]struct {
		r    ManagerRequest
		want Reason
	}{
		"replayed":         {good, ReasonRequestReplay},
		"receptionist":     {req(desk, clerk, clerkSession, nil), ReasonManagerOnly},
		"kiosk":            {req(kioskDev, boss, bossSession, nil), ReasonManagerOnly},
		"other desktop":    {req(other, boss, bossSession, nil), ReasonSessionEnded},
		"someone else's":   {req(desk, clerk, bossSession, nil), ReasonSessionEnded},
		"clock 16 min out": {req(desk, boss, bossSession, func(r *ManagerRequest) { r.At = r.At.Add(-16 * time.Minute) }), ReasonClockWrong},
		"tampered":         {req(desk, boss, bossSession, func(r *ManagerRequest) { r.Proof.Signed = append(r.Proof.Signed, 'x') }), ReasonNotProven},
		"short nonce":      {req(desk, boss, bossSession, func(r *ManagerRequest) { r.Nonce = "short" }), ReasonNotProven},
	} {
		_, err := f.st.CheckManagerRequest(ctx, c.r)
		if re, ok := AsRuleError(err); !ok || re.Reason != c.want || re.Message == "" {
			t.Errorf("%s: %v, want %s", name, err, c.want)
		}
	}
	// 14 minutes out is within the allowance.
	if _, err := f.st.CheckManagerRequest(ctx, req(desk, boss, bossSession, func(r *ManagerRequest) { r.At = r.At.Add(14 * time.Minute) })); err != nil {
		t.Fatal(err)
	}
	// A manager switched to receptionist has no session left.
	if err := f.st.addStaffAndChange(ctx, t); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetStaffRole(ctx, managerActor, "boss", StaffReceptionist); err != nil {
		t.Fatal(err)
	}
	_, err = f.st.CheckManagerRequest(ctx, req(desk, boss, bossSession, nil))
	if !errors.Is(err, ReasonSessionEnded) {
		t.Fatalf("after a role change: %v", err)
	}
	// Nonces older than twice the allowance are forgotten.
	var deputy int64
	if err := f.st.read.QueryRow("SELECT id FROM staff WHERE username = 'deputy'").Scan(&deputy); err != nil {
		t.Fatal(err)
	}
	deputySession := f.session(t, deputy, desk.ID, key)
	f.clock.Advance(31 * time.Minute)
	if _, err := f.st.CheckManagerRequest(ctx, req(desk, deputy, deputySession, nil)); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, "SELECT count(*) FROM manage_nonces WHERE nonce = ?", good.Nonce); n != 0 {
		t.Fatalf("an old nonce kept")
	}
}

// addStaffAndChange adds a second manager, so the first may change role.
func (s *Store) addStaffAndChange(ctx context.Context, t *testing.T) error {
	t.Helper()
	_, err := s.addStaff(ctx, managerActor, NewStaff{Username: "deputy", DisplayName: "Deputy", Role: StaffManager, Password: "deputy-manager-1"}, cheapHash)
	return err
}

func TestLastManagerWhoCanSignInIsKept(t *testing.T) {
	ctx := context.Background()
	f, _ := bookingFixture(t)
	desk := f.device(t, DeviceDesktop)
	if _, err := f.st.addStaff(ctx, managerActor, NewStaff{Username: "boss", DisplayName: "The Boss", Role: StaffManager, Password: "manage-the-place"}, cheapHash); err != nil {
		t.Fatal(err)
	}
	clerk, err := f.st.addStaff(ctx, managerActor, NewStaff{Username: "clerk", DisplayName: "A Clerk", Role: StaffReceptionist, Password: "front-desk-2026"}, cheapHash)
	if err != nil {
		t.Fatal(err)
	}
	off, receptionist, events := false, StaffReceptionist, f.count(t, "SELECT count(*) FROM audit_events")
	for name, try := range map[string]func() error{
		"disable":        func() error { return f.st.changeStaff(ctx, managerActor, "boss", StaffChange{Active: &off}, cheapHash) },
		"role":           func() error { return f.st.SetStaffRole(ctx, managerActor, "boss", StaffReceptionist) },
		"SetStaffActive": func() error { return f.st.SetStaffActive(ctx, managerActor, "boss", false) },
		"both": func() error {
			return f.st.changeStaff(ctx, managerActor, "boss", StaffChange{Active: &off, Role: &receptionist}, cheapHash)
		},
	} {
		err := try()
		if re, ok := AsRuleError(err); !ok || re.Message != "There must always be at least one practice manager who can sign in." {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := f.count(t, "SELECT count(*) FROM staff WHERE username = 'boss' AND role = 'manager' AND active = 1"); n != 1 {
		t.Fatal("the last manager was changed")
	}
	if n := f.count(t, "SELECT count(*) FROM audit_events"); n != events {
		t.Fatalf("%d events from refused changes", n-events)
	}
	// A role change ends the member of staff's sessions, and is audited.
	sess := f.session(t, clerk, desk.ID, []byte("0123456789abcdef0123456789abcdef"))
	if err := f.st.SetStaffRole(ctx, managerActor, "clerk", StaffClinician); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, "SELECT count(*) FROM staff_sessions WHERE id = ? AND ended_at IS NOT NULL", sess); n != 1 {
		t.Fatal("the session outlived the role change")
	}
	if n := f.count(t, "SELECT count(*) FROM audit_events WHERE action = 'staff.role' AND detail = 'from=receptionist to=clinician'"); n != 1 {
		t.Fatal("role change not audited")
	}
	// With a second manager, the first may go.
	if err := f.st.addStaffAndChange(ctx, t); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetStaffActive(ctx, managerActor, "boss", false); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]StaffChange{"nothing": {}, "bad role": {Role: new("doctor")}, "weak password": {Password: new("123456")}} {
		if _, ok := AsRuleError(f.st.changeStaff(ctx, managerActor, "clerk", c, cheapHash)); !ok {
			t.Errorf("%s: not refused", name)
		}
	}
	if _, ok := AsRuleError(f.st.changeStaff(ctx, managerActor, "nobody", StaffChange{Active: &off}, cheapHash)); !ok {
		t.Error("unknown username not refused")
	}
}

func TestRenameDevice(t *testing.T) {
	ctx := context.Background()
	f, _ := bookingFixture(t)
	d := f.device(t, DeviceKiosk)
	if err := f.st.RenameDevice(ctx, managerActor, d.ID, "  Waiting room kiosk "); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, "SELECT count(*) FROM devices WHERE id = ? AND name = 'Waiting room kiosk'", d.ID); n != 1 {
		t.Fatal("not renamed")
	}
	if n := f.count(t, "SELECT count(*) FROM audit_events WHERE action = 'device.rename' AND actor = 'staff:boss' AND detail = ?", "device="+d.ID); n != 1 {
		t.Fatal("rename not audited")
	}
	for name, newName := range map[string]string{"empty": "  ", "long": strings.Repeat("k", 81), "control": "kiosk\x07"} {
		if _, ok := AsRuleError(f.st.RenameDevice(ctx, managerActor, d.ID, newName)); !ok {
			t.Errorf("%s: not refused", name)
		}
	}
	if _, ok := AsRuleError(f.st.RenameDevice(ctx, managerActor, "dev_nothere", "Kiosk")); !ok {
		t.Error("unknown device not refused")
	}
	if n := f.count(t, "SELECT count(*) FROM devices WHERE id = ? AND name = 'Waiting room kiosk'", d.ID); n != 1 {
		t.Fatal("a refused rename changed the name")
	}
}

func TestDeviceStatusesShowWhatDevicesReported(t *testing.T) {
	ctx := context.Background()
	f, _ := bookingFixture(t)
	d := f.device(t, DeviceKiosk)
	if err := f.st.RecordDeviceReport(ctx, d.ID, "0.2.0", 7); err != nil {
		t.Fatal(err)
	}
	ds, err := f.st.DeviceStatuses(ctx)
	if err != nil || len(ds) != 1 {
		t.Fatal(ds, err)
	}
	if got := ds[0]; got.AppVersion != "0.2.0" || got.OutboxWaiting != 7 || !got.LastSeenAt.Equal(f.clock.Now()) || got.LeasesHeld != 0 {
		t.Fatalf("%+v", got)
	}
	if err := f.st.RecordDeviceReport(ctx, d.ID, "bad\x00version", -3); err != nil {
		t.Fatal(err)
	}
	if ds, _ := f.st.DeviceStatuses(ctx); ds[0].AppVersion != "" || ds[0].OutboxWaiting != 0 {
		t.Fatalf("nonsense kept: %+v", ds[0])
	}
}

// auditAt appends an event at a time, as a change would.
func (f *fixture) auditAt(t *testing.T, at time.Time, actor Actor, action, kind string, id int64) int64 {
	t.Helper()
	var seq int64
	err := f.st.inTx(context.Background(), "test", func(tx *sql.Tx) error {
		if err := appendAudit(context.Background(), tx, at, actor, action, kind, id, ""); err != nil {
			return err
		}
		return tx.QueryRow("SELECT max(seq) FROM audit_events").Scan(&seq)
	})
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

func TestSearchAudit(t *testing.T) {
	ctx := context.Background()
	f, _ := bookingFixture(t)
	alice := f.addPatient(t, "Alice", "999000001", "1960-05-05")
	bob := f.addPatient(t, "Bob", "999000002", "1970-05-05")
	var aliceNHS string
	if err := f.st.read.QueryRow("SELECT nhs_number FROM patients WHERE id = ?", alice).Scan(&aliceNHS); err != nil {
		t.Fatal(err)
	}
	loc := f.loc
	// 23:30 UTC on 1 June is 00:30 on 2 June in London.
	lateJune1 := time.Date(2026, 6, 1, 23, 30, 0, 0, time.UTC)
	viewed := f.auditAt(t, lateJune1, Actor{Name: "staff:clerk", Device: "dev_a"}, "patient.view", "patient", alice)
	booked := f.auditAt(t, time.Date(2026, 6, 3, 10, 0, 0, 0, loc), Actor{Name: fmt.Sprintf("patient:%d", alice), Device: "dev_k"}, "appointment.book", "patient", alice)
	bobView := f.auditAt(t, time.Date(2026, 6, 3, 11, 0, 0, 0, loc), Actor{Name: "staff:clerk", Device: "dev_a"}, "patient.view", "patient", bob)
	staffAdd := f.auditAt(t, time.Date(2026, 6, 4, 9, 0, 0, 0, loc), Actor{Name: "staff:boss", Device: "dev_b"}, "staff.add", "staff", 3)
	seqs := func(f AuditFilter, st *Store) []int64 {
		t.Helper()
		es, _, err := st.SearchAudit(ctx, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		var out []int64
		for _, e := range es {
			if e.Seq >= viewed {
				out = append(out, e.Seq)
			}
		}
		return out
	}
	for name, c := range map[string]struct {
		f    AuditFilter
		want []int64
	}{
		"patient":        {AuditFilter{PatientNHSNumber: aliceNHS}, []int64{booked, viewed}},
		"patient spaced": {AuditFilter{PatientNHSNumber: aliceNHS[:3] + " " + aliceNHS[3:6] + " " + aliceNHS[6:]}, []int64{booked, viewed}},
		"staff":          {AuditFilter{StaffUsername: "clerk"}, []int64{bobView, viewed}},
		"device":         {AuditFilter{DeviceID: "dev_b"}, []int64{staffAdd}},
		"action":         {AuditFilter{Action: "patient.view"}, []int64{bobView, viewed}},
		"action prefix":  {AuditFilter{Action: "appointment."}, []int64{booked}},
		"not a prefix":   {AuditFilter{Action: "appointment"}, nil},
		"London day":     {AuditFilter{From: mustDate(t, "2026-06-02"), To: mustDate(t, "2026-06-02")}, []int64{viewed}},
		"days":           {AuditFilter{From: mustDate(t, "2026-06-03"), To: mustDate(t, "2026-06-04")}, []int64{staffAdd, bobView, booked}},
		"staff and day":  {AuditFilter{StaffUsername: "clerk", From: mustDate(t, "2026-06-03")}, []int64{bobView}},
		"unknown NHS":    {AuditFilter{PatientNHSNumber: "9990000034"}, nil},
		"before a seq":   {AuditFilter{Before: bobView, StaffUsername: "clerk"}, []int64{viewed}},
	} {
		if got := seqs(c.f, f.st); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
	// Paging: newest first, More until the last page.
	page, more, err := f.st.SearchAudit(ctx, AuditFilter{Limit: 2})
	if err != nil || len(page) != 2 || !more || page[0].Seq != staffAdd || page[1].Seq != bobView {
		t.Fatalf("first page %v %v %v", page, more, err)
	}
	page, more, err = f.st.SearchAudit(ctx, AuditFilter{Limit: 2, Before: page[1].Seq, StaffUsername: "clerk"})
	if err != nil || len(page) != 1 || more {
		t.Fatalf("last page %v %v %v", page, more, err)
	}
	for name, bad := range map[string]AuditFilter{
		"not an NHS number": {PatientNHSNumber: "1234567890"},
		"backwards":         {From: mustDate(t, "2026-06-04"), To: mustDate(t, "2026-06-03")},
		"page too big":      {Limit: 1001},
	} {
		if _, _, err := f.st.SearchAudit(ctx, bad); err == nil {
			t.Errorf("%s: no refusal", name)
		} else if _, ok := AsRuleError(err); !ok {
			t.Errorf("%s: %v, not a refusal", name, err)
		}
	}
}

func TestCheckAuditChainNamesTheFirstBrokenEvent(t *testing.T) {
	ctx := context.Background()
	f, _ := bookingFixture(t)
	for range 5 {
		f.auditAt(t, f.clock.Now(), managerActor, "test.event", "test", 1)
	}
	c, err := f.st.CheckAuditChain(ctx)
	total := f.count(t, "SELECT count(*) FROM audit_events")
	if err != nil || !c.Holds || c.Checked != total || c.BrokenAt != 0 {
		t.Fatalf("untouched log: %+v %v", c, err)
	}
	if _, err := f.st.write.Exec("UPDATE audit_events SET detail = 'nothing to see' WHERE seq = 3"); err != nil {
		t.Fatal(err)
	}
	c, err = f.st.CheckAuditChain(ctx)
	if err != nil || c.Holds || c.BrokenAt != 3 || c.Checked != 2 {
		t.Fatalf("tampered log: %+v %v", c, err)
	}
	if _, err := f.st.VerifyAuditChain(ctx); !errors.Is(err, ErrAuditChainBroken) {
		t.Fatalf("VerifyAuditChain: %v", err)
	}
}
