package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gpkiosk/store/passhash"
)

// signIn starts a session for staffID on dev as a desktop would: the
// password's key signs the device, staff ID, time and nonce. A wrong
// password signs with a key of its own, as a guesser's would.
func (lf *loopFixture) signIn(t *testing.T, dev Device, staffID int64, password, nonce string) (StaffSession, error) {
	t.Helper()
	at := lf.clock.Now()
	signed := []byte(fmt.Sprintf("sign-in %s %d %d %s", dev.ID, staffID, at.Unix(), nonce))
	var mac []byte
	switch {
	case password == "":
	case lf.passwordIs(t, staffID, password):
		mac = Sign(staffKey(t, lf.st, staffID, password), signed)
	default:
		guess := sha256.Sum256([]byte(password))
		mac = Sign(guess[:], signed)
	}
	return lf.st.StartStaffSession(context.Background(), StaffSessionRequest{Device: dev, StaffID: staffID, At: at, Nonce: nonce,
		Proof: Proof{Signed: signed, MAC: mac}})
}

// inSession makes a request as a desktop signed in online does: signed
// with the session's key and naming the session.
func (lf *loopFixture) inSession(t *testing.T, dev Device, staffID int64, s StaffSession, madeAt time.Time, cmd Command) Outcome {
	t.Helper()
	lf.opN++
	req := Request{Key: fmt.Sprintf("00000000-0000-4000-8000-%012d", lf.opN), Device: dev, StaffID: staffID, MadeAt: madeAt, Command: cmd,
		Session: s.ID}
	req.Proof.Signed = []byte("signed " + req.Key)
	req.Proof.MAC = Sign(s.Key[:], req.Proof.Signed)
	out, err := lf.st.Apply(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", cmd.Kind(), err)
	}
	return out
}

// passwordIs says whether password is staffID's now.
func (lf *loopFixture) passwordIs(t *testing.T, staffID int64, password string) bool {
	t.Helper()
	var verifier string
	if err := lf.st.read.QueryRow("SELECT password_hash FROM staff WHERE id = ?", staffID).Scan(&verifier); err != nil {
		return false
	}
	ok, err := passhash.Verify(verifier, password)
	return err == nil && ok
}

func nonce(n int) string { return fmt.Sprintf("nonce-%016d", n) }

func TestOnlineSignInSessionSignsTheirRequestsUntilItEnds(t *testing.T) {
	ctx := context.Background()
	lf := newLoopFixture(t)
	view := RecordView{PatientIDs: []int64{lf.patient}, What: ViewRecord}
	s, err := lf.signIn(t, lf.desk, lf.recep, lf.passwords[lf.recep], nonce(1))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.ExpiresAt.Sub(lf.clock.Now()); got != StaffSessionLength {
		t.Fatalf("session lasts %v, want %v", got, StaffSessionLength)
	}
	wantApplied(t, lf.inSession(t, lf.desk, lf.recep, s, lf.clock.Now(), view))
	if got := lf.actions(t, "staff", lf.recep); !strings.Contains(strings.Join(got, ","), "staff:reception staff.session.start") {
		t.Fatalf("audit of the sign-in: %v", got)
	}

	// Not anyone else's, not on another desktop, not under another key.
	other := enrolTestDevice(t, lf.st, DeviceDesktop)
	for name, out := range map[string]Outcome{
		"as the manager":     lf.inSession(t, lf.desk, lf.manager, s, lf.clock.Now(), view),
		"on another desktop": lf.inSession(t, other, lf.recep, s, lf.clock.Now(), view),
		"under another key":  lf.inSession(t, lf.desk, lf.recep, StaffSession{ID: s.ID}, lf.clock.Now(), view),
	} {
		if out.Applied() || out.Refusal.Reason != ReasonNotProven {
			t.Errorf("%s: %+v, want not_proven", name, out)
		}
	}

	// Signing out: what was made before still counts (it may have waited
	// offline); nothing made after does.
	lf.clock.Advance(time.Minute)
	before := lf.clock.Now().Add(-30 * time.Second)
	if err := lf.st.EndStaffSession(ctx, other, s.ID); err != nil {
		t.Fatal(err) // another desktop cannot end it, and is not told it exists
	}
	wantApplied(t, lf.inSession(t, lf.desk, lf.recep, s, lf.clock.Now(), view))
	if err := lf.st.EndStaffSession(ctx, lf.desk, s.ID); err != nil {
		t.Fatal(err)
	}
	wantApplied(t, lf.inSession(t, lf.desk, lf.recep, s, before, view))
	if out := lf.inSession(t, lf.desk, lf.recep, s, lf.clock.Now(), view); out.Applied() || out.Refusal.Reason != ReasonNotProven {
		t.Fatalf("after signing out: %+v, want not_proven", out)
	}

	// The session's length bounds it too.
	s2, err := lf.signIn(t, lf.desk, lf.recep, lf.passwords[lf.recep], nonce(2))
	if err != nil {
		t.Fatal(err)
	}
	wantApplied(t, lf.inSession(t, lf.desk, lf.recep, s2, s2.ExpiresAt.Add(-time.Second), view))
	lf.clock.Set(s2.ExpiresAt)
	if out := lf.inSession(t, lf.desk, lf.recep, s2, s2.ExpiresAt, view); out.Applied() || out.Refusal.Reason != ReasonNotProven {
		t.Fatalf("at expiry: %+v, want not_proven", out)
	}
}

func TestPasswordChangeOrSwitchOffEndsSessions(t *testing.T) {
	ctx := context.Background()
	lf := newLoopFixture(t)
	view := RecordView{PatientIDs: []int64{lf.patient}, What: ViewRecord}
	recep, doctor := lf.passwords[lf.recep], lf.passwords[lf.doctor]
	sr, err := lf.signIn(t, lf.desk, lf.recep, recep, nonce(1))
	if err != nil {
		t.Fatal(err)
	}
	sd, err := lf.signIn(t, lf.desk, lf.doctor, doctor, nonce(2))
	if err != nil {
		t.Fatal(err)
	}
	lf.clock.Advance(time.Minute)
	if err := lf.st.setStaffPassword(ctx, SystemActor(), "reception", "a-brand-new-password", cheapHash); err != nil {
		t.Fatal(err)
	}
	if err := lf.st.SetStaffActive(ctx, SystemActor(), "doctor", false); err != nil {
		t.Fatal(err)
	}
	if out := lf.inSession(t, lf.desk, lf.recep, sr, lf.clock.Now(), view); out.Applied() || out.Refusal.Reason != ReasonNotProven {
		t.Fatalf("after the password changed: %+v, want not_proven", out)
	}
	if out := lf.inSession(t, lf.desk, lf.doctor, sd, lf.clock.Now(), view); out.Applied() {
		t.Fatalf("after the account was switched off: %+v, want refused", out)
	}
	// The old password no longer signs in; the new one does.
	if _, err := lf.signIn(t, lf.desk, lf.recep, recep, nonce(3)); err == nil {
		t.Fatal("the old password still signs in")
	}
	if _, err := lf.signIn(t, lf.desk, lf.recep, "a-brand-new-password", nonce(4)); err != nil {
		t.Fatalf("the new password: %v", err)
	}
	// A switched-off account is told so, with the right password.
	if err := lf.st.setStaffPassword(ctx, SystemActor(), "doctor", "doctor-demo-1-new", cheapHash); err != nil {
		t.Fatal(err)
	}
	if _, err := lf.signIn(t, lf.desk, lf.doctor, "doctor-demo-1-new", nonce(5)); !isRefusal(err, ReasonStaffAccountOff) {
		t.Fatalf("switched-off account: %v, want %s", err, ReasonStaffAccountOff)
	}
}

func isRefusal(err error, reason Reason) bool {
	re, ok := AsRuleError(err)
	return ok && re.Reason == reason && re.Message != ""
}

func TestOnlineSignInRefusals(t *testing.T) {
	lf := newLoopFixture(t)
	pw := lf.passwords[lf.recep]
	if _, err := lf.signIn(t, lf.kiosk, lf.recep, pw, nonce(1)); !isRefusal(err, ReasonStaffNotAllowed) {
		t.Errorf("from a kiosk: %v", err)
	}
	if _, err := lf.signIn(t, lf.desk, lf.recep, pw, "short"); !isRefusal(err, ReasonInvalidInput) {
		t.Errorf("short nonce: %v", err)
	}
	if _, err := lf.signIn(t, lf.desk, lf.recep, pw, nonce(2)); err != nil {
		t.Fatal(err)
	}
	if _, err := lf.signIn(t, lf.desk, lf.recep, pw, nonce(2)); !isRefusal(err, ReasonNotProven) {
		t.Errorf("a sign-in replayed: %v, want not_proven", err)
	}
	if _, err := lf.signIn(t, lf.desk, 9999, pw, nonce(3)); !isRefusal(err, ReasonNotProven) {
		t.Errorf("an unknown account: %v, want not_proven like a wrong password", err)
	}
	if _, err := lf.signIn(t, lf.desk, lf.recep, "", nonce(4)); !isRefusal(err, ReasonNotProven) {
		t.Errorf("no proof: %v", err)
	}
	// A desktop clock far out: signed correctly, but not believed.
	for _, skew := range []time.Duration{StaffSignInSkew + time.Second, -StaffSignInSkew - time.Second} {
		at := lf.clock.Now().Add(skew)
		signed := []byte("skewed")
		_, err := lf.st.StartStaffSession(context.Background(), StaffSessionRequest{Device: lf.desk, StaffID: lf.recep, At: at, Nonce: nonce(5),
			Proof: Proof{Signed: signed, MAC: Sign(staffKey(t, lf.st, lf.recep, pw), signed)}})
		if !isRefusal(err, ReasonClockWrong) {
			t.Errorf("clock %v out: %v, want %s", skew, err, ReasonClockWrong)
		}
	}
	if n := lf.count(t, "SELECT count(*) FROM staff_sessions"); n != 1 {
		t.Fatalf("%d sessions, want only the one signed in properly", n)
	}
}

func TestOnlineSignInGuessingPausesTheDesktopAndTellsThePracticeOnce(t *testing.T) {
	lf := newLoopFixture(t)
	other := enrolTestDevice(t, lf.st, DeviceDesktop)
	for i := 1; i < StaffSignInFailureBudget; i++ {
		if _, err := lf.signIn(t, lf.desk, lf.manager, "guess-"+fmt.Sprint(i)+"-password", nonce(i)); !isRefusal(err, ReasonNotProven) {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	_, err := lf.signIn(t, lf.desk, lf.manager, "the-last-guess-here", nonce(100))
	var paused *SignInPausedError
	if !errors.As(err, &paused) || paused.RetryAfter != StaffSignInPause || !isRefusal(err, ReasonSignInPaused) {
		t.Fatalf("the guess that spends the budget: %v, want paused for %v", err, StaffSignInPause)
	}
	// Paused: even the right password is not checked from this desktop,
	// but another desktop is not affected.
	if _, err := lf.signIn(t, lf.desk, lf.manager, lf.passwords[lf.manager], nonce(101)); !errors.As(err, &paused) {
		t.Fatalf("right password while paused: %v", err)
	}
	if _, err := lf.signIn(t, other, lf.manager, lf.passwords[lf.manager], nonce(102)); err != nil {
		t.Fatalf("another desktop: %v", err)
	}
	if got := lf.systemReports(t, lf.desk.ID, "Staff sign-in paused"); len(got) != 1 {
		t.Fatalf("reports to the practice: %q, want one", got)
	}
	lf.clock.Advance(StaffSignInPause)
	if _, err := lf.signIn(t, lf.desk, lf.manager, lf.passwords[lf.manager], nonce(103)); err != nil {
		t.Fatalf("after the pause: %v", err)
	}
	// A second pause the same day is not reported again.
	for i := 0; i < StaffSignInFailureBudget; i++ {
		_, err = lf.signIn(t, lf.desk, lf.manager, "another-wrong-guess", nonce(200+i))
	}
	if !errors.As(err, &paused) {
		t.Fatalf("second budget spent: %v", err)
	}
	if got := lf.systemReports(t, lf.desk.ID, "Staff sign-in paused"); len(got) != 1 {
		t.Fatalf("reports after a second pause: %d, want still one", len(got))
	}
}
