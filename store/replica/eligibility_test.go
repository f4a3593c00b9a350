package replica

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/passhash"
	gpsync "gpkiosk/sync"
)

const (
	typeScreening   = int64(12)   // female, 25 to 64
	slotScreening   = int64(9001) // tomorrow 11:00
	typeHealthCheck = int64(13)   // 40 to 74
	slotHealthCheck = int64(9002) // tomorrow 11:20
)

// A kiosk offers only the slot types a patient may have: by age from the
// date of birth they typed, by sex from the server's list (the kiosk holds
// no sex), and refuses to book the others.
func TestKioskOffersOnlySlotTypesThePatientMayHave(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	screening := slot(tomorrow.Add(3 * time.Hour))
	screening.SlotTypeID = typeScreening
	check := slot(tomorrow.Add(3*time.Hour + 20*time.Minute))
	check.SlotTypeID = typeHealthCheck
	// Una is 36 and the server says her sex rules out screening; Olga, 75,
	// may have screening by sex but not by age, nor the health check.
	unaP := patient("Una", false)
	unaP.NotEligibleSlotTypes = []int64{typeScreening}
	f.apply(
		change(gpsync.EntitySlotType, typeScreening, gpsync.SlotTypeData{Name: "Cervical screening", Minutes: 15, ClinicianRole: "gp",
			OnlineBookable: true, ForSex: "female", MinAgeYears: 25, MaxAgeYears: 64}),
		change(gpsync.EntitySlotType, typeHealthCheck, gpsync.SlotTypeData{Name: "NHS Health Check", Minutes: 20, ClinicianRole: "gp",
			OnlineBookable: true, MinAgeYears: 40, MaxAgeYears: 74}),
		change(gpsync.EntitySlot, slotScreening, screening),
		change(gpsync.EntitySlot, slotHealthCheck, check),
		change(gpsync.EntityPatient, una, unaP),
	)
	today := store.DateOf(testNow, time.UTC)
	offered := func(patientID int64, dob store.Date) []int64 {
		t.Helper()
		got, err := f.r.FreeSlots(ctx, patientID, dob, today, 7)
		if err != nil {
			t.Fatal(err)
		}
		return slotIDs(got)
	}
	if ids := offered(una, dobUna); slices.Contains(ids, slotScreening) || slices.Contains(ids, slotHealthCheck) {
		t.Fatalf("Una (36, not eligible by sex) offered %v", ids)
	}
	if ids := offered(olga, dobOlga); slices.Contains(ids, slotScreening) || slices.Contains(ids, slotHealthCheck) {
		t.Fatalf("Olga (75) offered %v", ids)
	}
	// Someone 45 with no sex exclusion gets both.
	dob45 := store.Date{Year: 1981, Month: time.January, Day: 1}
	f.apply(change(gpsync.EntityPatient, 50, patient("Nia", true)))
	if ids := offered(50, dob45); !slices.Contains(ids, slotScreening) || !slices.Contains(ids, slotHealthCheck) {
		t.Fatalf("Nia (45) offered %v, want both", ids)
	}
	before := f.counts()
	_, err := f.r.Book(ctx, una, slotScreening, dobUna)
	wantRefusal(t, err, store.ReasonNotEligible)
	_, err = f.r.Book(ctx, olga, slotHealthCheck, dobOlga)
	wantRefusal(t, err, store.ReasonNotEligible)
	if after := f.counts(); !mapsEqual(before, after) {
		t.Fatalf("refusals changed rows: %v -> %v", before, after)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// A letter that has been replaced is refused with a reason saying so, and
// is not counted as a guess.
func TestSignInWithReplacedLetter(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	alicePatient := patient("Alice", true)
	alicePatient.KioskLetters = []gpsync.KioskLetter{
		{Verifier: KioskVerifier("acct-old", dobAlice), Revoked: true},
		{Verifier: KioskVerifier("acct-alice", dobAlice)},
	}
	f.apply(change(gpsync.EntityPatient, alice, alicePatient))
	for range maxFailuresPerPatient + 1 {
		_, err := f.r.SignIn(ctx, "acct-old", dobAlice)
		wantRefusal(t, err, store.ReasonLetterReplaced)
	}
	if pendingReports(t, f) != 0 {
		t.Fatal("an old letter with the right date of birth was reported as failed sign-ins")
	}
	if p, err := f.r.SignIn(ctx, "acct-alice", dobAlice); err != nil || p.ID != alice {
		t.Fatalf("current letter: %+v %v", p, err)
	}
	// Wrong date of birth with an old letter is just "not recognised".
	_, err := f.r.SignIn(ctx, "acct-old", dobUna)
	wantRefusal(t, err, store.ReasonNotFound)
}

// A kiosk letter signs in until it is replaced: the 14 days printed on it
// are the Linkage Key's, for the NHS App. A server from before this change
// sent that expiry with the letter; it is ignored, and the letter still
// works a year later.
func TestSignInLetterDoesNotExpire(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	keyExpired := testNow.Add(-time.Minute)
	old := map[string]any{"givenName": "Alice", "identityVerified": true, "kioskLetters": []map[string]any{
		{"verifier": KioskVerifier("acct-lapsed", dobAlice), "expiresAt": keyExpired},
		{"verifier": KioskVerifier("acct-alice", dobAlice), "expiresAt": testNow.Add(24 * time.Hour)},
	}}
	f.apply(change(gpsync.EntityPatient, alice, old))
	if p, err := f.r.SignIn(ctx, "acct-lapsed", dobAlice); err != nil || p.ID != alice {
		t.Fatalf("a letter past its Linkage Key's expiry: %+v %v", p, err)
	}
	f.clock.Advance(365 * 24 * time.Hour)
	for _, account := range []string{"acct-alice", "acct-lapsed"} {
		if p, err := f.r.SignIn(ctx, account, dobAlice); err != nil || p.ID != alice {
			t.Fatalf("%s a year on: %+v %v", account, p, err)
		}
	}
}

// Each booking carries a fresh check-in code for the slip; the outbox
// sends it so the server can check the patient in when it is scanned.
func TestBookMintsACheckInCodeForTheSlip(t *testing.T) {
	f := newFixture(t, gpsync.RoleKiosk)
	a := f.book(una, slotFree, dobUna)
	if !store.ValidCheckInCode(a.CheckInCode) {
		t.Fatalf("code %q", a.CheckInCode)
	}
	ops := f.pending()
	var p gpsync.BookPayload
	if err := json.Unmarshal(ops[len(ops)-1].Payload, &p); err != nil {
		t.Fatal(err)
	}
	if p.CheckInCode != a.CheckInCode {
		t.Fatalf("outbox code %q, slip code %q", p.CheckInCode, a.CheckInCode)
	}
	b := f.book(tomAdult(f), slotFree2, dobAlice)
	if b.CheckInCode == a.CheckInCode {
		t.Fatal("two bookings share a code")
	}
}

// tomAdult adds an adult with no appointments, for a second booking.
func tomAdult(f *fixture) int64 {
	f.apply(change(gpsync.EntityPatient, 51, patient("Ravi", true)))
	return 51
}

func TestExitPINVerifierComesFromTheFeed(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	if v, err := f.r.ExitPINVerifier(ctx); err != nil || v != "" {
		t.Fatalf("before any PIN: %q %v", v, err)
	}
	verifier, err := passhash.Hash("246810", passhash.Params{MemoryKiB: 64, Passes: 1, Lanes: 1})
	if err != nil {
		t.Fatal(err)
	}
	sd := settingsData()
	sd.KioskExitPIN = verifier
	f.apply(change(gpsync.EntitySettings, 1, sd))
	v, err := f.r.ExitPINVerifier(ctx)
	if err != nil || v != verifier {
		t.Fatalf("verifier %q %v", v, err)
	}
	if ok, _ := passhash.Verify(v, "246810"); !ok {
		t.Fatal("synced verifier does not match the PIN")
	}
}
