package replica

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/passhash"
	gpsync "gpkiosk/sync"
)

// verifies reports whether op's proof is a MAC under key of what the
// server will rebuild from it.
func verifies(t *testing.T, device string, op gpsync.Op, key []byte) bool {
	t.Helper()
	mac, err := gpsync.DecodeProof(op.Proof)
	if err != nil || mac == nil {
		return false
	}
	signed, err := gpsync.SigningInput(device, op)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(store.Sign(key, signed), mac)
}

// A patient's ops at the kiosk are signed with the key from their letter
// and the date of birth they typed, for as long as their visit lasts; the
// device's own reports carry no proof; the key never reaches the file.
func TestKioskOpsCarryThePatientsProof(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	if _, err := f.r.SignIn(ctx, "ACCT-ALICE", dobAlice); err != nil {
		t.Fatal(err)
	}
	key := store.PatientKey("acct-alice", dobAlice)
	b, err := f.r.Book(ctx, alice, slotFree, dobAlice)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.r.CancelAppointment(ctx, alice, b.Ref); err != nil {
		t.Fatal(err)
	}
	if _, err := f.r.OrderRepeats(ctx, alice, []int64{itemStatin}, ""); err != nil {
		t.Fatal(err)
	}
	help, err := f.r.AskForHelp(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	ops := f.pending()
	// The cancel waits for the booking's answer, and the rest behind it.
	if len(ops) != 1 || ops[0].Kind != gpsync.OpBook {
		t.Fatalf("pending %+v", ops)
	}
	if !verifies(t, f.device, ops[0], key[:]) {
		t.Error("the booking does not carry the patient's proof")
	}
	f.record(appliedResult(b.OpID, gpsync.BookResult{AppointmentID: 5003}))
	for _, op := range f.pending() {
		switch {
		case op.ID == help:
			if op.Proof != "" {
				t.Error("a call for help carries a patient's proof")
			}
		case !verifies(t, f.device, op, key[:]):
			t.Errorf("%s does not carry the patient's proof", op.Kind)
		}
	}
	raw, err := os.ReadFile(f.path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, key[:]) {
		t.Fatal("the patient's key is in the kiosk's file")
	}

	// Once the visit ends, nothing more can be signed for them.
	f.r.EndPatientSession()
	if _, err := f.r.OrderRepeats(ctx, alice, []int64{itemMetformin}, ""); err != nil {
		t.Fatal(err)
	}
	ops = f.pending()
	if last := ops[len(ops)-1]; last.Kind != gpsync.OpOrderRepeats || last.Proof != "" {
		t.Fatalf("after the visit ended: %+v", last)
	}
}

// A visit the kiosk never ended stops signing after patientSessionLength,
// and a session is for the one patient who signed in.
func TestPatientSessionIsForOnePatientAndEnds(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	if _, err := f.r.SignIn(ctx, "ACCT-ALICE", dobAlice); err != nil {
		t.Fatal(err)
	}
	if s := f.r.patientSigner(una); s.key != nil {
		t.Fatal("Alice's session signs for Una")
	}
	f.clock.Advance(patientSessionLength - time.Second)
	if s := f.r.patientSigner(alice); s.key == nil {
		t.Fatal("the session ended early")
	}
	f.clock.Advance(time.Second)
	if s := f.r.patientSigner(alice); s.key != nil {
		t.Fatal("the session outlived its length")
	}
}

// A member of staff's ops are signed with the key worked out from the
// password they typed, which the sign-in check confirms; the desktop holds
// only the check.
func TestStaffOpsCarryTheirProof(t *testing.T) {
	ctx := context.Background()
	f := newDesktop(t)
	m := f.signIn("reception", "reception-demo")
	var check string
	if err := f.r.read.QueryRow("SELECT password_hash FROM staff WHERE id = ?", m.ID).Scan(&check); err != nil {
		t.Fatal(err)
	}
	key, ok, err := passhash.DeriveChecked(check, "reception-demo")
	if err != nil || !ok {
		t.Fatalf("check %q: %v", check, err)
	}
	if _, err := f.r.BookFor(ctx, m, una, slotFree); err != nil {
		t.Fatal(err)
	}
	ops := f.pending()
	if len(ops) != 1 || ops[0].StaffID != m.ID || !verifies(t, f.device, ops[0], key) {
		t.Fatalf("the booking does not carry the receptionist's proof: %+v", ops)
	}
	// A member of staff made up in code, without signing in, proves nothing.
	if _, err := f.r.BookFor(ctx, StaffMember{ID: m.ID, Username: m.Username, Role: m.Role}, una, slotFree2); err != nil {
		t.Fatal(err)
	}
	if ops := f.pending(); len(ops) != 2 || ops[1].Proof != "" {
		t.Fatalf("an op by a member of staff who never signed in: %+v", ops[1])
	}
}

// A member of staff whose password was set before the 12-character rule
// (perhaps a PIN) is sent no sign-in check: the desktop says their password
// must be set again, rather than that they typed it wrong, and counts no
// failure against them.
func TestStaffWithoutASignInCheckAreToldToAskTheManager(t *testing.T) {
	ctx := context.Background()
	f := newDesktop(t)
	f.apply(change(gpsync.EntityStaff, 77, gpsync.StaffData{Username: "old.pin", DisplayName: "Pat Pin", Role: "receptionist", Active: true}))
	for range maxStaffFailures + 1 {
		_, err := f.r.StaffSignIn(ctx, "old.pin", "246810")
		wantRefusal(t, err, ReasonPasswordNotSet)
	}
	if n := f.count("staff_sign_in_failures"); n != 0 {
		t.Fatalf("%d failures counted against someone with no password set", n)
	}
}
