package pretend

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/demo"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
)

// clockAt is a clock the test moves: a Monday morning in the practice's
// first week.
func clockAt(t *testing.T) (*atomic.Int64, func() time.Time) {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	now := &atomic.Int64{}
	now.Store(store.Date{Year: 2026, Month: time.June, Day: 8}.At(7, 30, loc).Unix())
	return now, func() time.Time { return time.Unix(now.Load(), 0).UTC() }
}

// A learner signs in with a pretend letter, books, orders a repeat and
// checks in, and every one of them reaches the pretend practice and
// comes back confirmed. Meanwhile the device's real replica is not
// touched and the real practice server hears nothing.
func TestPretendPracticeIsWholeAndIsolated(t *testing.T) {
	ctx := context.Background()
	var heard atomic.Int64
	real := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		heard.Add(1)
		t.Errorf("the real practice server was sent %s %s", r.Method, r.URL.Path)
	}))
	defer real.Close()
	realDir := t.TempDir()
	realRep, err := replica.Open(ctx, filepath.Join(realDir, "device.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := realRep.SaveEnrolment(ctx, replica.Enrolment{DeviceID: "dev_real", Role: gpsync.RoleKiosk, Token: "real-token", ServerURL: real.URL}); err != nil {
		t.Fatal(err)
	}
	realRep.Close()
	before, err := os.ReadFile(filepath.Join(realDir, "device.db"))
	if err != nil {
		t.Fatal(err)
	}

	now, clock := clockAt(t)
	p, err := Open(ctx, t.TempDir(), clock)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	rep := p.Replica()
	letter := demo.Letters()[0]
	pt, err := rep.SignIn(ctx, letter.AccountID, letter.DateOfBirth)
	if err != nil {
		t.Fatalf("a pretend letter does not sign in: %v", err)
	}
	today := store.DateOf(clock(), time.UTC)
	slots, err := rep.FreeSlots(ctx, pt.ID, letter.DateOfBirth, today, 1)
	if err != nil || len(slots) == 0 {
		t.Fatalf("free slots today: %d, %v", len(slots), err)
	}
	booked, err := rep.Book(ctx, pt.ID, slots[len(slots)-1].ID, letter.DateOfBirth)
	if err != nil {
		t.Fatal(err)
	}
	items, err := rep.RepeatItems(ctx, pt.ID)
	if err != nil || len(items) == 0 {
		t.Fatalf("repeat items: %d, %v", len(items), err)
	}
	if _, err := rep.OrderRepeats(ctx, pt.ID, []int64{items[0].ID}, "Practice note"); err != nil {
		t.Fatal(err)
	}
	if err := p.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	appts, err := rep.Appointments(ctx, pt.ID)
	if err != nil || len(appts) != 1 || appts[0].State != replica.StateConfirmed {
		t.Fatalf("after the pretend sync the booking is %+v (%v), want confirmed", appts, err)
	}
	reqs, err := rep.Requests(ctx, pt.ID)
	if err != nil || len(reqs) != 1 || reqs[0].Ref.ServerID == 0 {
		t.Fatalf("after the pretend sync the order is %+v (%v), want confirmed", reqs, err)
	}
	// Arriving for it: the pretend practice checks the learner in.
	now.Store(booked.Slot.StartsAt.Add(-5 * time.Minute).Unix())
	res, err := p.CheckIn(ctx, gpsync.CheckInRequest{Code: booked.CheckInCode})
	if err != nil || !res.CheckedIn {
		t.Fatalf("check-in: %+v, %v", res, err)
	}

	if heard.Load() != 0 {
		t.Errorf("the real server was sent %d requests", heard.Load())
	}
	after, err := os.ReadFile(filepath.Join(realDir, "device.db"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the device's real replica changed")
	}
	if en, err := rep.Enrolment(ctx); err != nil || en.Token != "" || en.ServerURL != "" {
		t.Errorf("the pretend kiosk holds a token or a server: %+v, %v", en, err)
	}
}

// Reset puts the pretend practice back as it was: the learner's booking
// and order are gone, and the letters still sign in.
func TestResetStartsAgain(t *testing.T) {
	ctx := context.Background()
	_, clock := clockAt(t)
	p, err := Open(ctx, t.TempDir(), clock)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	letter := demo.Letters()[0]
	pt, err := p.Replica().SignIn(ctx, letter.AccountID, letter.DateOfBirth)
	if err != nil {
		t.Fatal(err)
	}
	slots, err := p.Replica().FreeSlots(ctx, pt.ID, letter.DateOfBirth, store.DateOf(clock(), time.UTC), 7)
	if err != nil || len(slots) == 0 {
		t.Fatalf("free slots: %d, %v", len(slots), err)
	}
	if _, err := p.Replica().Book(ctx, pt.ID, slots[0].ID, letter.DateOfBirth); err != nil {
		t.Fatal(err)
	}
	if err := p.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	pt, err = p.Replica().SignIn(ctx, letter.AccountID, letter.DateOfBirth)
	if err != nil {
		t.Fatalf("after a reset the letter does not sign in: %v", err)
	}
	if appts, err := p.Replica().Appointments(ctx, pt.ID); err != nil || len(appts) != 0 {
		t.Fatalf("after a reset: %+v, %v; want no appointments", appts, err)
	}
}

// The check-in lesson can be taken at any hour: its pretend appointment
// is a few minutes away, or, just before midnight, a few minutes past,
// and the pretend patient checks in with their date of birth, sex and
// initial either way; a second arrival the same day checks in too.
func TestArrivalAtAnyHour(t *testing.T) {
	ctx := context.Background()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	l := Learner()
	req := gpsync.CheckInRequest{DateOfBirth: l.DateOfBirth.String(), Sex: string(l.Sex), SurnameInitial: l.FamilyName[:1]}
	for _, at := range []time.Time{
		time.Date(2026, time.June, 9, 10, 0, 0, 0, loc),
		time.Date(2026, time.June, 13, 6, 30, 0, 0, loc), // a Saturday, no surgery
		time.Date(2026, time.June, 9, 23, 58, 0, 0, loc),
	} {
		p, err := Open(ctx, t.TempDir(), func() time.Time { return at })
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := p.ArrangeArrival(ctx); err != nil {
				t.Fatalf("%v: %v", at, err)
			}
			res, err := p.CheckIn(ctx, req)
			if err != nil || !res.CheckedIn {
				t.Errorf("%v: check-in %+v, %v", at, res, err)
			}
		}
		p.Close()
	}
}

// Practice mode holds a flood of help requests as the practice server
// does: past the quota they stay queued on the pretend kiosk, a booking
// made after them still goes, and the held ones go when the hour has
// moved. Nothing is lost and syncing does not fail.
func TestPretendPracticeHoldsAFloodAndLosesNothing(t *testing.T) {
	ctx := context.Background()
	now, clock := clockAt(t)
	p, err := Open(ctx, t.TempDir(), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	q, _ := store.QuotaFor(store.KindAskForHelp)
	for range q.PerHour + 2 {
		if _, err := p.Replica().AskForHelp(ctx, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Replica().ReportProblem(ctx, "screen", "Frozen"); err != nil {
		t.Fatal(err)
	}
	if err := p.SyncNow(ctx); err != nil {
		t.Fatalf("SyncNow with help requests held: %v", err)
	}
	pending := func() int {
		n, err := p.Replica().PendingCount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := pending(); n != 2 {
		t.Fatalf("%d queued after the flood, want the 2 held help requests (the report behind them went)", n)
	}
	now.Add(int64(time.Hour / time.Second))
	if err := p.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if n := pending(); n != 0 {
		t.Fatalf("%d still queued an hour later", n)
	}
}
