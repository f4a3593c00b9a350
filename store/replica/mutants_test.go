package replica

import (
	"context"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// A problem report or a call for help may use every one of the letters it
// is allowed, counted as letters, not bytes; one more is refused.
func TestProblemAndHelpTextMayUseExactlyTheLimit(t *testing.T) {
	ctx := context.Background()
	atLimit := strings.Repeat("é", gpsync.MaxProblemText)
	over := atLimit + "x"
	for name, send := range map[string]func(*Replica, string) (string, error){
		"problem": func(r *Replica, s string) (string, error) { return r.ReportProblem(ctx, "screen", s) },
		"help":    func(r *Replica, s string) (string, error) { return r.AskForHelp(ctx, s) },
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, gpsync.RoleKiosk)
			if _, err := send(f.r, atLimit); err != nil {
				t.Errorf("%d letters: %v, want it queued", gpsync.MaxProblemText, err)
			}
			_, err := send(f.r, over)
			wantRefusal(t, err, store.ReasonInvalidInput)
			if n := len(f.pending()); n != 1 {
				t.Errorf("outbox holds %d ops, want only the one at the limit", n)
			}
		})
	}
}

// A registration made from a letter shows when the letter runs out; one
// verified without a letter (in person) has no expiry at all, not 1970.
func TestRegistrationExpiryShowsOnlyForALetter(t *testing.T) {
	f := newDesktop(t)
	ctx := context.Background()
	m := f.signIn("reception", "reception-demo")
	verified := testNow.Add(-72 * time.Hour)
	issued, expires := testNow.Add(-24*time.Hour), testNow.Add(29*24*time.Hour)
	f.apply(
		change(gpsync.EntityRegistration, 50, gpsync.RegistrationData{PatientID: alice, AccountID: "acct-letter",
			VerificationMethod: store.VerifyPhotoIDAndAddress, VerifiedAt: verified, ServiceAppointments: true,
			RecordAccess: store.RecordAccessSummary, KioskEnabled: true, LetterIssuedAt: &issued, LetterExpiresAt: &expires}),
		change(gpsync.EntityRegistration, 51, gpsync.RegistrationData{PatientID: una, AccountID: "acct-in-person",
			VerificationMethod: store.VerifyPhotoIDAndAddress, VerifiedAt: verified, ServiceAppointments: true,
			RecordAccess: store.RecordAccessSummary}),
	)
	for _, tt := range []struct {
		patient         int64
		issued, expires time.Time
	}{
		{alice, issued, expires},
		{una, verified, time.Time{}},
	} {
		rec, err := f.r.PatientRecord(ctx, m, tt.patient)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Registrations) != 1 {
			t.Fatalf("patient %d registrations %+v, want one", tt.patient, rec.Registrations)
		}
		g := rec.Registrations[0]
		if !g.IssuedAt.Equal(tt.issued) || !g.ExpiresAt.Equal(tt.expires) || g.ExpiresAt.IsZero() != tt.expires.IsZero() {
			t.Errorf("patient %d: issued %v, expires %v; want issued %v, expires %v", tt.patient, g.IssuedAt, g.ExpiresAt, tt.issued, tt.expires)
		}
	}
}
