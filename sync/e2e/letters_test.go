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

// A letter printed at the desk signs in at a kiosk, through a real server,
// with its Account ID typed on keys that have no hyphen, in any case; it
// still does a month later, long after its Linkage Key (for the NHS App)
// has expired; and it stops, however it is typed, once it is reissued.
func TestLetterTypedWithoutHyphensWorksUntilReissued(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 200)
	pw := e.addReceptionist(t)
	desk := e.newDevice(t, gpsync.RoleDesktop)
	kiosk := e.newDevice(t, gpsync.RoleKiosk)
	syncUntilDrained(t, desk)
	patientID, dob := e.unregisteredAdult(t)
	e.rememberPractice(t, desk)
	rita, err := desk.rep.StaffSignIn(ctx, "rita", pw)
	if err != nil {
		t.Fatal(err)
	}
	issue := func() string {
		t.Helper()
		p, err := desk.rep.PrepareRegistration(ctx, rita, replica.RegistrationInput{PatientID: patientID,
			VerificationMethod: store.VerifyPhotoIDAndAddress, CoercionConsidered: true, Appointments: true, Prescriptions: true,
			RecordAccess: store.RecordAccessNone, KioskEnabled: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := desk.rep.IssueRegistration(ctx, rita, p); err != nil {
			t.Fatal(err)
		}
		syncUntilDrained(t, desk)
		if att, _ := desk.rep.Attention(ctx); len(att) != 0 {
			t.Fatalf("the server refused: %+v", att)
		}
		l, err := gpsync.ParseLetter(p.QRPayload())
		if err != nil {
			t.Fatal(err)
		}
		return l.AccountID // as printed: RAYW-7M4V-FRAD
	}
	printed := issue()
	syncUntilDrained(t, kiosk)

	// What a patient types on keys without a hyphen, and what a keyboard
	// or scanner might send.
	bare := strings.ReplaceAll(printed, "-", "")
	typed := []string{printed, bare, strings.ToLower(bare), bare[:4] + " " + bare[4:8] + " " + bare[8:], strings.ToLower(printed)}
	signIn := func(when string) {
		t.Helper()
		for i, s := range typed {
			if p, err := kiosk.rep.SignIn(ctx, s, dob); err != nil || p.ID != patientID {
				t.Fatalf("%s, typed form %d: %+v, %v", when, i, p, err)
			}
		}
	}
	signIn("the day it was printed")

	e.now.Add(int64(30 * 24 * time.Hour / time.Second)) // the Linkage Key expired 16 days ago
	syncUntilDrained(t, kiosk)
	signIn("a month later")

	issue() // the letter was lost
	syncUntilDrained(t, kiosk)
	for i, s := range typed {
		if _, err := kiosk.rep.SignIn(ctx, s, dob); !errors.Is(err, store.ReasonLetterReplaced) {
			t.Fatalf("the lost letter, typed form %d: %v, want letter_replaced", i, err)
		}
	}
}
