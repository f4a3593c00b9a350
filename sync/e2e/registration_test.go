package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
)

// addReceptionist gives the practice a member of staff and returns their
// password.
func (e *env) addReceptionist(t testing.TB) string {
	t.Helper()
	const pw = "front-desk-2026"
	if _, err := e.st.AddStaff(context.Background(), store.SystemActor(), store.NewStaff{Username: "rita", DisplayName: "Rita Reception",
		Role: "receptionist", Password: pw}); err != nil {
		t.Fatal(err)
	}
	return pw
}

// unregisteredAdult is a patient of the practice with no registration.
// rememberPractice gives a desktop the practice's details, as the app does
// from /v1/practice at start: a letter needs them.
func (e *env) rememberPractice(t testing.TB, desk *device) {
	t.Helper()
	pr, err := e.st.Practice(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.rep.SavePractice(context.Background(), replica.PracticeName{Name: pr.Name, ODSCode: pr.ODSCode, Address: pr.Address}); err != nil {
		t.Fatal(err)
	}
}

func (e *env) unregisteredAdult(t testing.TB) (int64, store.Date) {
	t.Helper()
	var id int64
	var dob string
	if err := e.db(t).QueryRow(`SELECT id, date_of_birth FROM patients p WHERE date_of_birth < '1990-01-01'
		AND NOT EXISTS (SELECT 1 FROM online_registrations r WHERE r.patient_id = p.id) ORDER BY id LIMIT 1`).Scan(&id, &dob); err != nil {
		t.Fatal(err)
	}
	d, err := store.ParseDate(dob)
	if err != nil {
		t.Fatal(err)
	}
	return id, d
}

// A receptionist registers a patient and links a proxy while the server is
// unreachable, the responses are cut off when the link returns so every op
// is sent more than once, and the server ends with exactly one account per
// letter; the kiosk then signs both of them in, and the first letter of a
// reissue is refused.
func TestRegistrationOfflineReachesTheServerOnceAndWorksAtTheKiosk(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 200)
	pw := e.addReceptionist(t)
	desk := e.newDevice(t, gpsync.RoleDesktop)
	kiosk := e.newDevice(t, gpsync.RoleKiosk)
	syncUntilDrained(t, desk)
	syncUntilDrained(t, kiosk)
	patientID, dob := e.unregisteredAdult(t)
	e.rememberPractice(t, desk)

	e.proxy.Drop()
	rita, err := desk.rep.StaffSignIn(ctx, "rita", pw) // offline, against the synced verifier
	if err != nil {
		t.Fatal(err)
	}
	issue := func(in replica.RegistrationInput) replica.PreparedRegistration {
		t.Helper()
		p, err := desk.rep.PrepareRegistration(ctx, rita, in)
		if err != nil {
			t.Fatal(err)
		}
		if err := desk.rep.IssueRegistration(ctx, rita, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	self := replica.RegistrationInput{PatientID: patientID, VerificationMethod: store.VerifyPhotoIDAndAddress, CoercionConsidered: true,
		Appointments: true, Prescriptions: true, RecordAccess: store.RecordAccessSummary, KioskEnabled: true}
	first := issue(self)
	e.now.Add(60)
	second := issue(self) // the first letter was lost: reissued
	proxyBorn := store.Date{Year: 1970, Month: time.February, Day: 14}
	ref, err := desk.rep.LinkProxy(ctx, rita, replica.ProxyInput{PatientID: patientID, Name: "Carol Carer", DateOfBirth: proxyBorn,
		Relationship: "carer", LegalBasis: store.BasisPatientConsent, Appointments: true, Verification: store.VerifyVouching,
		SafeguardingConsidered: true, CoercionConsidered: true})
	if err != nil {
		t.Fatal(err)
	}
	proxyLetter := issue(replica.RegistrationInput{PatientID: patientID, ProxyRef: ref, VerificationMethod: store.VerifyVouching,
		CoercionConsidered: true, Appointments: true, RecordAccess: store.RecordAccessNone, KioskEnabled: true})

	e.proxy.Restore()
	e.proxy.ResetAfter(300) // cut each response short: ops are resent
	for range 20 {
		_ = desk.runner.SyncNow(ctx)
	}
	e.proxy.ResetAll()
	e.proxy.ResetAfter(0)
	syncUntilDrained(t, desk)
	if att, _ := desk.rep.Attention(ctx); len(att) != 0 {
		t.Fatalf("the server refused: %+v", att)
	}
	db := e.db(t)
	if n := count(t, db, "SELECT count(*) FROM online_registrations WHERE patient_id = ?", patientID); n != 3 {
		t.Fatalf("%d registrations on the server, want 3 (two letters and the proxy's)", n)
	}
	if n := count(t, db, "SELECT count(*) FROM online_registrations WHERE patient_id = ? AND revoked_at IS NULL", patientID); n != 2 {
		t.Fatalf("%d live registrations, want 2 (the reissued letter and the proxy's)", n)
	}
	if n := count(t, db, "SELECT count(*) FROM proxy_relationships WHERE patient_id = ?", patientID); n != 1 {
		t.Fatalf("%d proxies on the server, want 1", n)
	}
	if n := count(t, db, "SELECT count(*) FROM online_registrations WHERE verified_by_staff_id IS NULL AND patient_id = ?", patientID); n != 0 {
		t.Fatal("a registration does not say who verified the identity")
	}
	if n := count(t, db, "SELECT count(*) FROM audit_events WHERE action = 'registration.issue' AND actor = 'staff:rita'"); n != 3 {
		t.Errorf("%d registration.issue audit events by staff:rita, want 3", n)
	}
	if _, err := e.st.VerifyAuditChain(ctx); err != nil {
		t.Fatalf("audit chain: %v", err)
	}

	syncUntilDrained(t, kiosk)
	signIn := func(p replica.PreparedRegistration, born store.Date) (replica.Patient, error) {
		l, err := gpsync.ParseLetter(p.QRPayload())
		if err != nil {
			t.Fatal(err)
		}
		return kiosk.rep.SignIn(ctx, l.AccountID, born)
	}
	got, err := signIn(second, dob)
	if err != nil || got.ID != patientID || got.ActingFor {
		t.Fatalf("the new letter at the kiosk: %+v, %v", got, err)
	}
	if _, err := signIn(first, dob); !errors.Is(err, store.ReasonLetterReplaced) {
		t.Fatalf("the lost letter at the kiosk: %v, want letter_replaced", err)
	}
	got, err = signIn(proxyLetter, proxyBorn)
	if err != nil || got.ID != patientID || !got.ActingFor || !got.NoPrescriptions || got.NoAppointments {
		t.Fatalf("the carer's letter at the kiosk: %+v, %v; want acting for the patient, appointments only", got, err)
	}
	if _, err := signIn(proxyLetter, dob); err == nil || strings.Contains(err.Error(), "sql") {
		t.Fatalf("the carer's letter with the patient's date of birth: %v, want refused plainly", err)
	}
}
