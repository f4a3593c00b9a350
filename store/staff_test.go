package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"gpkiosk/store/passhash"
)

var cheapHash = passhash.Params{MemoryKiB: 64, Passes: 1, Lanes: 1}

func TestCheckStaffPassword(t *testing.T) {
	for pw, ok := range map[string]bool{
		"reception-demo": true, "correct horse battery": true, "0123456789abc": true,
		"246810": false, "90210731": false, // PINs: a stolen desktop could try them all
		"short": false, "": false, "correct hors": true, "correct hor": false, // twelve characters, not eleven
		"1234567890123":          false, // only digits, however long
		strings.Repeat("x", 129): false,
	} {
		if err := CheckStaffPassword(pw); (err == nil) != ok {
			t.Errorf("CheckStaffPassword(%q) = %v, want ok=%v", pw, err, ok)
		}
		if err := CheckStaffPassword(pw); err != nil {
			if re, isRule := AsRuleError(err); !isRule || re.Message == "" {
				t.Errorf("CheckStaffPassword(%q) = %v, not a plain refusal", pw, err)
			}
		}
	}
}

func TestAddStaffThenDisableAndChangePassword(t *testing.T) {
	ctx := context.Background()
	f, _ := bookingFixture(t)
	manager := Actor{Name: "manager:cli", Device: "server"}
	id, err := f.st.addStaff(ctx, manager, NewStaff{Username: "r.jones", DisplayName: " Rhian Jones ", Role: StaffReceptionist, Password: "front-desk-2026"}, cheapHash)
	if err != nil {
		t.Fatal(err)
	}
	for name, n := range map[string]NewStaff{
		"taken username":  {Username: "r.jones", DisplayName: "Other", Role: StaffReceptionist, Password: "front-desk-2026"},
		"capitals":        {Username: "RJones", DisplayName: "R", Role: StaffReceptionist, Password: "front-desk-2026"},
		"too short":       {Username: "rj", DisplayName: "R", Role: StaffReceptionist, Password: "front-desk-2026"},
		"no name":         {Username: "someone", DisplayName: "  ", Role: StaffReceptionist, Password: "front-desk-2026"},
		"bad role":        {Username: "someone", DisplayName: "S", Role: "doctor", Password: "front-desk-2026"},
		"weak password":   {Username: "someone", DisplayName: "S", Role: StaffManager, Password: "123456"},
		"receptionist gp": {Username: "someone", DisplayName: "S", Role: StaffReceptionist, Password: "front-desk-2026", ClinicianID: f.gp},
		"no such gp":      {Username: "someone", DisplayName: "S", Role: StaffClinician, Password: "front-desk-2026", ClinicianID: 999},
	} {
		_, err := f.st.addStaff(ctx, manager, n, cheapHash)
		if re, ok := AsRuleError(err); !ok || re.Message == "" {
			t.Errorf("%s: %v, want a plain refusal", name, err)
		}
	}
	if _, err := f.st.addStaff(ctx, manager, NewStaff{Username: "dr.test", DisplayName: "Dr Test", Role: StaffClinician, Password: "doctor-test-1", ClinicianID: f.gp}, cheapHash); err != nil {
		t.Fatalf("clinician linked to their bookable row: %v", err)
	}

	members, err := f.st.StaffMembers(ctx)
	if err != nil || len(members) != 2 || members[1].Username != "r.jones" || members[1].DisplayName != "Rhian Jones" || !members[1].Active || !members[1].HasPassword {
		t.Fatalf("staff list %+v %v", members, err)
	}
	if members[0].ClinicianID != f.gp {
		t.Fatalf("clinician link %+v", members[0])
	}

	verifier := func() string {
		var h string
		if err := f.st.read.QueryRowContext(ctx, "SELECT password_hash FROM staff WHERE id = ?", id).Scan(&h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	if ok, err := passhash.Verify(verifier(), "front-desk-2026"); !ok || err != nil {
		t.Fatalf("stored verifier does not check the password: %v %v", ok, err)
	}
	wantReason(t, f.st.setStaffPassword(ctx, manager, "r.jones", "short", cheapHash), ReasonInvalidInput)
	wantReason(t, f.st.setStaffPassword(ctx, manager, "nobody", "a-long-password", cheapHash), ReasonNotFound)
	if err := f.st.setStaffPassword(ctx, manager, "r.jones", "new-desk-password", cheapHash); err != nil {
		t.Fatal(err)
	}
	if ok, _ := passhash.Verify(verifier(), "front-desk-2026"); ok {
		t.Fatal("old password still works")
	}
	if ok, _ := passhash.Verify(verifier(), "new-desk-password"); !ok {
		t.Fatal("new password does not work")
	}
	wantReason(t, f.st.SetStaffActive(ctx, manager, "nobody", false), ReasonNotFound)
	if err := f.st.SetStaffActive(ctx, manager, "r.jones", false); err != nil {
		t.Fatal(err)
	}

	// A desktop learns the account, its verifier and that it is disabled.
	desk := enrolTestDevice(t, f.st, DeviceDesktop)
	var got *FeedStaff
	page, err := f.st.Changes(ctx, desk, 0, MaxFeedPage)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range page.Changes {
		if c.Entity == EntityStaff && c.ID == id {
			s := c.State.(FeedStaff)
			got = &s
		}
	}
	if got == nil || got.Username != "r.jones" || got.Active || got.SignInCheck != mustCheck(t, verifier()) || got.Role != StaffReceptionist {
		t.Fatalf("desktop's staff row %+v", got)
	}

	var actions []string
	events, err := f.st.AuditEvents(ctx, "staff", id)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "staff.add,staff.password,staff.disable" {
		t.Fatalf("audited %v", actions)
	}
	for _, e := range events {
		if strings.Contains(e.Detail, "desk") {
			t.Fatalf("audit detail holds the password: %+v", e)
		}
	}
	if _, err := f.st.VerifyAuditChain(ctx); err != nil {
		t.Fatal(err)
	}
}

// enrolTestDevice enrols a device of role straight through the store.
func enrolTestDevice(t testing.TB, st *Store, role string) Device {
	t.Helper()
	ctx := context.Background()
	code, err := st.NewEnrolmentCode(ctx, Actor{Name: "manager:test", Device: "test"}, role, "test "+role, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dev, _, err := st.Enrol(ctx, code, "test "+role)
	if err != nil {
		t.Fatal(err)
	}
	return dev
}

func mustCheck(t *testing.T, verifier string) string {
	t.Helper()
	c, err := passhash.Check(verifier)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
