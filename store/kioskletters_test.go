package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

// kioskPatientChange is the last state of patientID in a kiosk's feed
// after cursor after.
func kioskPatientChange(t *testing.T, st *Store, dev Device, after, patientID int64) (FeedPatient, bool) {
	t.Helper()
	page, err := st.Changes(context.Background(), dev, after, MaxFeedPage)
	if err != nil {
		t.Fatal(err)
	}
	var state FeedPatient
	found := false
	for _, c := range page.Changes {
		if c.Entity == EntityPatient && c.ID == patientID && c.State != nil {
			p, ok := c.State.(FeedPatient)
			if !ok {
				t.Fatalf("a patient's state is a %T", c.State)
			}
			state, found = p, true
		}
	}
	return state, found
}

// A kiosk letter's verifier is made from the normalised account ID, so it
// matches the ID typed without hyphens. (That the letter carries no expiry,
// the 14 days on it being the Linkage Key's, is KioskLetter having none;
// sync/server's TestChangesPageWireShape checks the wire.)
func TestKioskFeedLetterNormalisedWithoutExpiry(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 9, 8, 0, 0, 0, time.UTC)
	f := newFixture(t, now, Date{Year: 2026, Month: time.June, Day: 9}, 1)
	born := mustDate(t, "1950-02-03")
	patient := f.addPatient(t, "Letter", "999000001", born.String())
	const printed = "RAYW-7M4V-FRAD"
	err := f.st.Load(ctx, func(l *Loader) error {
		_, err := l.AddRegistration(NewRegistration{PatientID: patient, VerificationMethod: VerifyPhotoIDAndAddress, VerifiedAt: now,
			CoercionConsidered: true, ServiceAppointments: true, ServicePrescriptions: true, RecordAccess: RecordAccessNone,
			KioskEnabled: true, AccountID: printed, LinkageKeyHash: strings.Repeat("a", 64),
			LetterIssuedAt: now, LetterExpiresAt: now.Add(LetterValidity)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	code, err := f.st.NewEnrolmentCode(ctx, SystemActor(), DeviceKiosk, "waiting room", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dev, _, err := f.st.Enrol(ctx, code, "waiting room")
	if err != nil {
		t.Fatal(err)
	}
	d, ok := kioskPatientChange(t, f.st, dev, 0, patient)
	if !ok {
		t.Fatal("the kiosk patient is not in the kiosk's feed")
	}
	if len(d.KioskLetters) != 1 || d.KioskLetters[0].Verifier != KioskVerifier("rayw7m4vfrad", born) {
		t.Fatalf("letters %+v: the verifier does not match the ID typed without hyphens", d.KioskLetters)
	}

	// Upgrading a server from schema 4 sends every kiosk patient again, so
	// devices replace verifiers made the old way. (Later migrations cannot
	// be undone to replay it, so 0005 is run on its own.)
	var last int64
	if err := f.st.read.QueryRow("SELECT max(seq) FROM changes").Scan(&last); err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if ms[4].Version != 5 {
		t.Fatalf("migration 5 is %s", ms[4].Name)
	}
	if _, err := f.st.write.ExecContext(ctx, ms[4].SQL); err != nil {
		t.Fatal(err)
	}
	if _, ok := kioskPatientChange(t, f.st, dev, last, patient); !ok {
		t.Fatal("the upgrade did not send the kiosk patient again")
	}
}
