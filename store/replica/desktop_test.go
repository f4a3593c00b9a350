package replica

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/passhash"
	gpsync "gpkiosk/sync"
)

const (
	staffReception = int64(7)
	staffNurse     = int64(8)
	staffLeft      = int64(9)
)

// cheapHash keeps tests fast; the verifier format is the real one.
func cheapHash(t testing.TB, pw string) string {
	t.Helper()
	v, err := passhash.Hash(pw, passhash.Params{MemoryKiB: 64, Passes: 1, Lanes: 1})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// cheapCheck is the sign-in check a desktop is sent for pw (cheapHash's).
func cheapCheck(t testing.TB, pw string) string {
	t.Helper()
	c, err := passhash.Check(cheapHash(t, pw))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newDesktop is a desktop replica with staff and the patients' full details.
func newDesktop(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, gpsync.RoleDesktop)
	full := func(id int64, given, family string, dob store.Date, nhs string) gpsync.Change {
		return change(gpsync.EntityPatient, id, gpsync.PatientData{GivenName: given, FamilyName: family, DateOfBirth: dob.String(),
			NHSNumber: nhs, Sex: "female", Postcode: "MB1 4QT", Address: "1 Mill Lane", IdentityVerified: true})
	}
	f.apply(
		full(alice, "Alice", "Hughes", dobAlice, "9990000018"),
		full(tom, "Tom", "Hughes", dobTom, "9990000026"),
		full(una, "Una", "Evans", dobUna, "9990000034"),
		change(gpsync.EntityStaff, staffReception, gpsync.StaffData{Username: "reception", DisplayName: "Rita Reception", Role: "receptionist",
			SignInCheck: cheapCheck(t, "reception-demo"), Active: true}),
		change(gpsync.EntityStaff, staffNurse, gpsync.StaffData{Username: "nurse", DisplayName: "Nia Nurse", Role: "clinician",
			SignInCheck: cheapCheck(t, "nurse-demo-1"), Active: true}),
		change(gpsync.EntityStaff, staffLeft, gpsync.StaffData{Username: "left", DisplayName: "Lee Left", Role: "receptionist",
			SignInCheck: cheapCheck(t, "left-demo-11"), Active: false}),
	)
	if err := f.r.SavePractice(context.Background(), PracticeName{Name: "Meadowbank Surgery", ODSCode: "Y99999", Address: "1 High St"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) signIn(username, password string) StaffMember {
	f.t.Helper()
	m, err := f.r.StaffSignIn(context.Background(), username, password)
	if err != nil {
		f.t.Fatalf("sign in %s: %v", username, err)
	}
	return m
}

func TestStaffSignInOfflineAndLockout(t *testing.T) {
	f := newDesktop(t)
	ctx := context.Background()
	m := f.signIn("  Reception ", "reception-demo")
	if m.ID != staffReception || m.Role != "receptionist" || m.DisplayName != "Rita Reception" {
		t.Fatalf("signed in as %+v", m)
	}
	_, err := f.r.StaffSignIn(ctx, "reception", "wrong")
	wantRefusal(t, err, ReasonWrongPassword)
	_, err = f.r.StaffSignIn(ctx, "nobody", "reception-demo")
	wantRefusal(t, err, ReasonWrongPassword) // an unknown name says the same
	_, err = f.r.StaffSignIn(ctx, "left", "left-demo-11")
	wantRefusal(t, err, ReasonStaffOff)

	for range 3 {
		_, err = f.r.StaffSignIn(ctx, "reception", "wrong")
		wantRefusal(t, err, ReasonWrongPassword)
	}
	_, err = f.r.StaffSignIn(ctx, "reception", "wrong") // the fifth in a row
	wantRefusal(t, err, store.ReasonTooManyAttempts)
	_, err = f.r.StaffSignIn(ctx, "reception", "reception-demo")
	wantRefusal(t, err, store.ReasonTooManyAttempts) // locked even to the right password
	f.signIn("nurse", "nurse-demo-1")                // others are not locked

	reports := 0
	for _, op := range f.pending() {
		if op.Kind == gpsync.OpReportProblem {
			reports++
			if strings.Contains(string(op.Payload), "reception-demo") {
				t.Error("the report carries a password")
			}
		}
	}
	if reports != 1 {
		t.Errorf("%d problem reports for one lockout, want 1", reports)
	}
	f.clock.Advance(16 * time.Minute)
	f.signIn("reception", "reception-demo")
}

func TestKioskNeverHoldsStaff(t *testing.T) {
	f := newFixture(t, gpsync.RoleKiosk)
	f.apply(change(gpsync.EntityStaff, staffReception, gpsync.StaffData{Username: "reception", Role: "receptionist",
		SignInCheck: cheapCheck(t, "reception-demo"), Active: true}))
	if n := f.count("staff"); n != 0 {
		t.Fatalf("a kiosk stored %d staff rows", n)
	}
}

func TestSearchPatientsIsAudited(t *testing.T) {
	f := newDesktop(t)
	ctx := context.Background()
	_, err := f.r.SearchPatients(ctx, StaffMember{}, PatientQuery{NHSNumber: "999 000 0018"})
	wantRefusal(t, err, store.ReasonStaffNotAllowed)
	m := f.signIn("reception", "reception-demo")
	_, err = f.r.SearchPatients(ctx, m, PatientQuery{NHSNumber: "999 000 0019"})
	wantRefusal(t, err, store.ReasonInvalidNHSNumber)
	_, err = f.r.SearchPatients(ctx, m, PatientQuery{FamilyName: "Hughes"})
	wantRefusal(t, err, store.ReasonInvalidInput)

	got, err := f.r.SearchPatients(ctx, m, PatientQuery{NHSNumber: "999 000 0018"})
	if err != nil || len(got) != 1 || got[0].ID != alice || got[0].Postcode != "MB1 4QT" || got[0].DateOfBirth != dobAlice {
		t.Fatalf("by NHS number: %+v, %v", got, err)
	}
	got, err = f.r.SearchPatients(ctx, m, PatientQuery{FamilyName: "hughes", DateOfBirth: dobTom})
	if err != nil || len(got) != 1 || got[0].ID != tom {
		t.Fatalf("by surname and date of birth: %+v, %v", got, err)
	}
	if got, _ := f.r.SearchPatients(ctx, m, PatientQuery{FamilyName: "Nobody", DateOfBirth: dobTom}); len(got) != 0 {
		t.Fatalf("no match gave %+v", got)
	}
	if _, err := f.r.PatientRecord(ctx, m, tom); err != nil {
		t.Fatal(err)
	}
	var views []gpsync.RecordViewPayload
	for _, op := range f.pending() {
		if op.Kind != gpsync.OpRecordView {
			continue
		}
		if op.StaffID != staffReception {
			t.Errorf("view op by staff %d, want %d", op.StaffID, staffReception)
		}
		var p gpsync.RecordViewPayload
		if err := json.Unmarshal(op.Payload, &p); err != nil {
			t.Fatal(err)
		}
		views = append(views, p)
	}
	want := []gpsync.RecordViewPayload{{PatientIDs: []int64{alice}, What: "search"}, {PatientIDs: []int64{tom}, What: "search"}, {PatientIDs: []int64{tom}, What: "record"}}
	if len(views) != len(want) {
		t.Fatalf("views recorded %+v, want %+v", views, want)
	}
	for i := range want {
		if views[i].What != want[i].What || len(views[i].PatientIDs) != 1 || views[i].PatientIDs[0] != want[i].PatientIDs[0] {
			t.Errorf("view %d = %+v, want %+v", i, views[i], want[i])
		}
	}
}

func selfRegistration(patientID int64) RegistrationInput {
	return RegistrationInput{PatientID: patientID, VerificationMethod: store.VerifyPhotoIDAndAddress, CoercionConsidered: true,
		Appointments: true, Prescriptions: true, RecordAccess: store.RecordAccessSummary, KioskEnabled: true}
}

func TestRegistrationIsIssuedOnlyAfterTheLetter(t *testing.T) {
	f := newDesktop(t)
	ctx := context.Background()
	m := f.signIn("reception", "reception-demo")
	nurse := f.signIn("nurse", "nurse-demo-1")
	if _, err := f.r.PrepareRegistration(ctx, nurse, selfRegistration(alice)); err == nil {
		t.Fatal("a clinician prepared a registration")
	}
	_, err := f.r.PrepareRegistration(ctx, m, selfRegistration(tom))
	wantRefusal(t, err, store.ReasonUnderMinimumAge)
	in := selfRegistration(alice)
	in.CoercionConsidered = false
	_, err = f.r.PrepareRegistration(ctx, m, in)
	wantRefusal(t, err, store.ReasonCoercionNotAsked)

	prep, err := f.r.PrepareRegistration(ctx, m, selfRegistration(alice))
	if err != nil {
		t.Fatal(err)
	}
	if prep.Addressee != "Alice Hughes" || prep.ExpiresAt.Sub(prep.IssuedAt) != store.LetterValidity {
		t.Errorf("prepared %+v", prep)
	}
	if l, err := gpsync.ParseLetter(prep.QRPayload()); err != nil || l.ODS != "Y99999" || l.AccountID != prep.Details.AccountID || l.LinkageKey != prep.Details.LinkageKey {
		t.Errorf("QR payload %q reads as %+v, %v", prep.QRPayload(), l, err)
	}
	// Preparing stores nothing: a letter that fails to print leaves no trace.
	if n := len(f.pending()); n != 0 || f.count("local_registrations") != 0 {
		t.Fatalf("preparing queued %d ops", n)
	}
	if err := f.r.IssueRegistration(ctx, m, prep); err != nil {
		t.Fatal(err)
	}
	ops := f.pending()
	if len(ops) != 1 || ops[0].Kind != gpsync.OpRegisterOnline || ops[0].StaffID != staffReception {
		t.Fatalf("ops %+v", ops)
	}
	var p gpsync.RegisterOnlinePayload
	if err := json.Unmarshal(ops[0].Payload, &p); err != nil {
		t.Fatal(err)
	}
	if p.AccountID != prep.Details.AccountID || p.LinkageKeyHash != store.HashLinkageKey(prep.Details.LinkageKey) ||
		strings.Contains(string(ops[0].Payload), prep.Details.LinkageKey) {
		t.Errorf("payload %s: wrong details, or it carries the key itself", ops[0].Payload)
	}

	// A reissue replaces the first letter at once, before the server hears.
	f.clock.Advance(time.Minute)
	second, err := f.r.PrepareRegistration(ctx, m, selfRegistration(alice))
	if err != nil {
		t.Fatal(err)
	}
	if second.Details == prep.Details {
		t.Fatal("a reissue reused the details")
	}
	if err := f.r.IssueRegistration(ctx, m, second); err != nil {
		t.Fatal(err)
	}
	rec, err := f.r.PatientRecord(ctx, m, alice)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Registrations) != 2 || rec.Registrations[0].AccountID != second.Details.AccountID || rec.Registrations[0].Revoked ||
		!rec.Registrations[1].Revoked || !rec.Registrations[0].Pending {
		t.Fatalf("registrations after reissue: %+v", rec.Registrations)
	}

	// The server refuses the second (say the account was switched off):
	// it disappears and needs attention; the server's copy of the first
	// arrives and is live again.
	ops = f.pending()
	f.record(appliedResult(ops[0].ID, gpsync.RegisterOnlineResult{RegistrationID: 50}),
		rejectedResult(ops[1].ID, store.ReasonStaffNotAllowed, "That member of staff's account is switched off."))
	issued := prep.IssuedAt
	expires := prep.ExpiresAt
	f.apply(change(gpsync.EntityRegistration, 50, gpsync.RegistrationData{PatientID: alice, AccountID: prep.Details.AccountID,
		VerificationMethod: store.VerifyPhotoIDAndAddress, VerifiedAt: issued, ServiceAppointments: true, ServicePrescriptions: true,
		RecordAccess: store.RecordAccessSummary, KioskEnabled: true, LetterIssuedAt: &issued, LetterExpiresAt: &expires}))
	rec, _ = f.r.PatientRecord(ctx, m, alice)
	if len(rec.Registrations) != 1 || rec.Registrations[0].ServerID != 50 || rec.Registrations[0].Pending || rec.Registrations[0].Revoked {
		t.Fatalf("registrations after the server answered: %+v", rec.Registrations)
	}
	if att, _ := f.r.Attention(ctx); len(att) != 1 || att[0].Kind != gpsync.OpRegisterOnline {
		t.Fatalf("attention %+v", att)
	}
}

func TestProxyLinkedAndRegisteredOffline(t *testing.T) {
	f := newDesktop(t)
	ctx := context.Background()
	m := f.signIn("reception", "reception-demo")
	in := ProxyInput{PatientID: tom, Name: "Sarah Hughes", DateOfBirth: store.Date{Year: 1985, Month: time.April, Day: 4},
		Relationship: "parent", LegalBasis: store.BasisParentalResponsibility, Appointments: true, Prescriptions: true,
		Verification: store.VerifyPhotoIDAndAddress, SafeguardingConsidered: true, CoercionConsidered: true}
	bad := in
	bad.LegalBasis = store.BasisPatientConsent
	_, err := f.r.LinkProxy(ctx, m, bad)
	wantRefusal(t, err, store.ReasonProxyBasis)
	ref, err := f.r.LinkProxy(ctx, m, in)
	if err != nil {
		t.Fatal(err)
	}
	reg := RegistrationInput{PatientID: tom, ProxyRef: ref, VerificationMethod: store.VerifyPhotoIDAndAddress, CoercionConsidered: true,
		Appointments: true, RecordAccess: store.RecordAccessSummary, KioskEnabled: true}
	_, err = f.r.PrepareRegistration(ctx, m, reg) // record access was not granted to the proxy
	wantRefusal(t, err, store.ReasonInvalidInput)
	reg.RecordAccess = store.RecordAccessNone
	prep, err := f.r.PrepareRegistration(ctx, m, reg) // Tom is 11: fine, a proxy acts for him
	if err != nil {
		t.Fatal(err)
	}
	if prep.Addressee != "Sarah Hughes" || prep.ActingFor != "Tom Hughes" {
		t.Errorf("letter to %q acting for %q", prep.Addressee, prep.ActingFor)
	}
	if err := f.r.IssueRegistration(ctx, m, prep); err != nil {
		t.Fatal(err)
	}
	ops := f.pending()
	if len(ops) != 2 || ops[0].Kind != gpsync.OpLinkProxy || ops[1].Kind != gpsync.OpRegisterOnline {
		t.Fatalf("ops %+v", ops)
	}
	var p gpsync.RegisterOnlinePayload
	if err := json.Unmarshal(ops[1].Payload, &p); err != nil {
		t.Fatal(err)
	}
	if p.ProxyRef != ops[0].ID || p.ProxyID != 0 {
		t.Errorf("the registration names proxy ref %q id %d, want the link op %s", p.ProxyRef, p.ProxyID, ops[0].ID)
	}
	rec, _ := f.r.PatientRecord(ctx, m, tom)
	if len(rec.Proxies) != 1 || !rec.Proxies[0].Pending || len(rec.Registrations) != 1 || rec.Registrations[0].ProxyName != "Sarah Hughes" {
		t.Fatalf("record before sync: proxies %+v registrations %+v", rec.Proxies, rec.Registrations)
	}

	// The link returns: the server's proxy replaces the local one, once.
	f.record(appliedResult(ops[0].ID, gpsync.LinkProxyResult{ProxyID: 70}), appliedResult(ops[1].ID, gpsync.RegisterOnlineResult{RegistrationID: 71}))
	f.apply(change(gpsync.EntityProxy, 70, gpsync.ProxyData{PatientID: tom, ProxyName: "Sarah Hughes", ProxyDateOfBirth: "1985-04-04",
		Relationship: "parent", LegalBasis: store.BasisParentalResponsibility, ServiceAppointments: true, ServicePrescriptions: true,
		ProxyVerification: store.VerifyPhotoIDAndAddress, CreatedAt: testNow}))
	rec, _ = f.r.PatientRecord(ctx, m, tom)
	if len(rec.Proxies) != 1 || rec.Proxies[0].Pending || rec.Proxies[0].Ref != "p:70" {
		t.Fatalf("proxies after sync: %+v", rec.Proxies)
	}
	if len(rec.Registrations) != 1 || rec.Registrations[0].ProxyName != "Sarah Hughes" {
		t.Fatalf("registrations after the link was confirmed: %+v", rec.Registrations)
	}
	// A wizard opened before that sync still names the link by its op; it
	// is the same proxy, now known by the server's ID.
	stale, err := f.r.PrepareRegistration(ctx, m, reg)
	if err != nil || stale.Input.ProxyRef != "p:70" {
		t.Fatalf("preparing with the link's op after the sync: %q %v, want p:70", stale.Input.ProxyRef, err)
	}
	// A reissue for the confirmed proxy names it by the server's ID.
	reg.ProxyRef = "p:70"
	again, err := f.r.PrepareRegistration(ctx, m, reg)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.r.IssueRegistration(ctx, m, again); err != nil {
		t.Fatal(err)
	}
	last := f.pending()
	p = gpsync.RegisterOnlinePayload{}
	if err := json.Unmarshal(last[len(last)-1].Payload, &p); err != nil || p.ProxyID != 70 || p.ProxyRef != "" {
		t.Fatalf("reissue payload %s", last[len(last)-1].Payload)
	}
	rec, _ = f.r.PatientRecord(ctx, m, tom)
	live := 0
	for _, g := range rec.Registrations {
		if !g.Revoked {
			live++
		}
	}
	if live != 1 {
		t.Fatalf("%d live registrations for one proxy after a reissue: %+v", live, rec.Registrations)
	}
}

// A desktop that has never reached the server does not know the practice's
// ODS code, so it cannot make a letter and says why.
func TestNoLetterBeforeThePracticeIsKnown(t *testing.T) {
	f := newFixture(t, gpsync.RoleDesktop)
	f.apply(change(gpsync.EntityPatient, alice, gpsync.PatientData{GivenName: "Alice", FamilyName: "Hughes", DateOfBirth: dobAlice.String(),
		NHSNumber: "9990000018"}), change(gpsync.EntityStaff, staffReception, gpsync.StaffData{Username: "reception", Role: "receptionist",
		SignInCheck: cheapCheck(t, "reception-demo"), Active: true}))
	m := f.signIn("reception", "reception-demo")
	if _, err := f.r.PrepareRegistration(context.Background(), m, selfRegistration(alice)); !errors.Is(err, ErrNotSynced) {
		t.Fatalf("PrepareRegistration without the practice's details: %v, want ErrNotSynced", err)
	}
}
