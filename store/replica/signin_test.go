package replica

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

func TestSignIn(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	p, err := f.r.SignIn(ctx, "  acct-alice ", dobAlice)
	if err != nil || p.ID != alice || p.GivenName != "Alice" {
		t.Fatalf("sign in: %+v %v", p, err)
	}
	_, err = f.r.SignIn(ctx, "acct-alice", store.Date{})
	wantRefusal(t, err, store.ReasonInvalidInput)
	_, err = f.r.SignIn(ctx, "", dobAlice)
	wantRefusal(t, err, store.ReasonNotFound)
	_, err = f.r.SignIn(ctx, strings.Repeat("x", 100), dobAlice)
	wantRefusal(t, err, store.ReasonNotFound)
}

func pendingReports(t *testing.T, f *fixture) int {
	t.Helper()
	ops, err := f.r.PendingOps(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, op := range ops {
		if op.Kind == gpsync.OpReportProblem {
			n++
			if strings.Contains(string(op.Payload), "acct") || strings.Contains(string(op.Payload), "Alice") {
				t.Fatalf("the report to staff names the patient: %s", op.Payload)
			}
		}
	}
	return n
}

// Five wrong dates of birth for one letter pause sign-in with it, even
// with the right date, tell reception once, and clear after the window.
func TestSignInLimitPerPatient(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	wrong := store.Date{Year: 1980, Month: time.May, Day: 2}
	for i := range maxFailuresPerPatient - 1 {
		_, err := f.r.SignIn(ctx, "acct-alice", wrong)
		wantRefusal(t, err, store.ReasonNotFound)
		if i == 0 && pendingReports(t, f) != 0 {
			t.Fatal("reported after one mistake")
		}
	}
	_, err := f.r.SignIn(ctx, "acct-alice", wrong)
	wantRefusal(t, err, store.ReasonTooManyAttempts)
	_, err = f.r.SignIn(ctx, "acct-alice", dobAlice)
	wantRefusal(t, err, store.ReasonTooManyAttempts)
	if n := pendingReports(t, f); n != 1 {
		t.Fatalf("%d reports to staff, want 1", n)
	}
	// Another patient at the same kiosk is not held up.
	if _, err := f.r.SignIn(ctx, "acct-tom", dobTom); err != nil {
		t.Fatalf("another patient: %v", err)
	}
	f.clock.Advance(signInWindow + time.Second)
	if _, err := f.r.SignIn(ctx, "acct-alice", dobAlice); err != nil {
		t.Fatalf("after the pause: %v", err)
	}
	// The failures table never holds the account ID.
	db, err := sql.Open("sqlite", "file:"+f.path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var leaked int
	if err := db.QueryRow("SELECT count(*) FROM sign_in_failures WHERE identity LIKE '%acct%'").Scan(&leaked); err != nil || leaked != 0 {
		t.Fatalf("account IDs stored: %d %v", leaked, err)
	}
}

// Many letters tried at one kiosk pause every sign-in there.
func TestSignInLimitPerKiosk(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	for i := range maxFailuresPerKiosk {
		_, err := f.r.SignIn(ctx, fmt.Sprintf("guess-%d", i), dobAlice)
		if i < maxFailuresPerKiosk-1 {
			wantRefusal(t, err, store.ReasonNotFound)
		} else {
			wantRefusal(t, err, store.ReasonTooManyAttempts)
		}
	}
	_, err := f.r.SignIn(ctx, "acct-alice", dobAlice)
	wantRefusal(t, err, store.ReasonTooManyAttempts)
	if n := pendingReports(t, f); n != 1 {
		t.Fatalf("%d reports to staff, want 1", n)
	}
}

// A letter's Account ID signs in however it is typed: with or without its
// hyphens (the kiosk's keys have none), in any case, with spaces; and
// wrong dates of birth count against the one letter whichever way it was
// typed.
func TestSignInAccountIDTypedAnyWay(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	const printed = "RAYW-7M4V-FRAD" // as on the letter and in its QR code
	if !store.ValidAccountID(printed) {
		t.Fatalf("%s is not an account ID as letters are made", printed)
	}
	// The server makes the verifier from the account ID as stored.
	f.apply(change(gpsync.EntityPatient, una, patient("Una", false, store.KioskVerifier(printed, dobUna))))
	for _, typed := range []string{printed, "RAYW7M4VFRAD", "rayw7m4vfrad", "Rayw-7m4v-Frad", " RAYW 7M4V FRAD ", "RAYW\u20137M4V\u2013FRAD", "RAYW7M4VFRAD\r\n"} {
		p, err := f.r.SignIn(ctx, typed, dobUna)
		if err != nil || p.ID != una {
			t.Errorf("typed %q: %+v %v", typed, p, err)
		}
	}
	wrong := store.Date{Year: 1990, Month: time.March, Day: 4}
	for i := range maxFailuresPerPatient - 1 {
		_, err := f.r.SignIn(ctx, []string{"RAYW7M4VFRAD", "rayw-7m4v-frad"}[i%2], wrong)
		wantRefusal(t, err, store.ReasonNotFound)
	}
	_, err := f.r.SignIn(ctx, printed, wrong)
	wantRefusal(t, err, store.ReasonTooManyAttempts)
	_, err = f.r.SignIn(ctx, "RAYW7M4VFRAD", dobUna)
	wantRefusal(t, err, store.ReasonTooManyAttempts)
}
