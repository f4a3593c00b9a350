package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestPrintableName(t *testing.T) {
	for _, ok := range []string{"Sam Parent", "Siân O'Neill-Jones", "Zoë Ægir", "ਹਰਪ੍ਰੀਤ ਕੌਰ", "আমিনা বেগম", "Dr. J. Smith (locum)"} {
		if !PrintableName(ok) {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", "   ", "Sam\x00Parent", "Sam\x1fParent", "Sam\u202eParent", "Sam\u200bParent", "Sam\nParent", "Sam\tParent", "\xff\xfe"} {
		if PrintableName(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

// Finding 10 of the security test: a proxy's name with a control or
// invisible character is refused with a reason, and nothing is linked.
func TestProxyNamesArePrintableOnly(t *testing.T) {
	lf := newLoopFixture(t)
	child := lf.addPatient(t, "Child", "999000003", "2018-01-09")
	link := func(name string) LinkProxy {
		return LinkProxy{PatientID: child, ProxyName: name, ProxyDateOfBirth: "1985-04-20", Relationship: "parent",
			LegalBasis: "parental_responsibility", ServiceAppointments: true, ProxyVerification: VerifyPhotoIDAndAddress,
			SafeguardingConsidered: true, CoercionConsidered: true}
	}
	for _, bad := range []string{"Sam\x00Parent", "Sam\x1fParent", "Sam \u202etneraP", "Sam\u200bParent"} {
		if msg := lf.refused(t, ReasonInvalidInput, lf.desk, lf.recep, link(bad)); !strings.Contains(msg, "cannot be shown or printed") {
			t.Errorf("%q: %q", bad, msg)
		}
	}
	made[ProxyLinked](t, lf.apply(t, lf.desk, lf.recep, link("Siân Parent")))
}

func TestStaffAndDeviceNamesArePrintableOnly(t *testing.T) {
	ctx := context.Background()
	f, _ := bookingFixture(t)
	if _, err := f.st.addStaff(ctx, SystemActor(), NewStaff{Username: "sam", DisplayName: "Sam\u202eGreen", Role: StaffReceptionist,
		Password: "front-desk-2026"}, cheapHash); reasonOf(err) != ReasonInvalidInput {
		t.Errorf("a staff name with a direction override: %v", err)
	}
	if _, err := f.st.NewEnrolmentCode(ctx, SystemActor(), DeviceKiosk, "Waiting\x00room", time.Hour); reasonOf(err) != ReasonInvalidInput {
		t.Errorf("a device name with NUL from the manager: %v", err)
	}
	code, err := f.st.NewEnrolmentCode(ctx, SystemActor(), DeviceKiosk, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.st.Enrol(ctx, code, "kiosk\u200b1"); reasonOf(err) != ReasonInvalidInput {
		t.Errorf("a device naming itself with an invisible character: %v", err)
	}
	if _, _, err := f.st.Enrol(ctx, code, "Kiosk by the door"); err != nil {
		t.Errorf("the refused name used up the code: %v", err)
	}
}

func reasonOf(err error) Reason {
	if re, ok := AsRuleError(err); ok {
		return re.Reason
	}
	return ""
}
