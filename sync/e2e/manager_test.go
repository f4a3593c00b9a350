package e2e

import (
	"context"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
	"gpkiosk/sync/managedesk"
)

// The practice manager shortens the booking window at their desktop; a
// kiosk that has been running all along offers only the shorter window
// after its next sync, with no restart, and nothing else it holds moves.
func TestManagerSettingChangesWhatAKioskOffers(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 20)
	loc, _ := time.LoadLocation("Europe/London")
	kiosk, desk := e.newDevice(t, gpsync.RoleKiosk), e.newDevice(t, gpsync.RoleDesktop)
	syncUntilDrained(t, kiosk)
	syncUntilDrained(t, desk)
	patient := e.kioskPts[0]
	offeredDays := func() map[store.Date]bool {
		slots, err := kiosk.rep.FreeSlots(ctx, patient, e.dobs[patient], surgeryStart, 60)
		if err != nil {
			t.Fatal(err)
		}
		days := map[store.Date]bool{}
		for _, s := range slots {
			days[store.DateOf(s.StartsAt, loc)] = true
		}
		return days
	}
	furthest := func(days map[store.Date]bool) store.Date {
		var last store.Date
		for d := range days {
			if last.Before(d) {
				last = d
			}
		}
		return last
	}
	before := offeredDays()
	if len(before) < 5 {
		t.Fatalf("the kiosk offers %d days before the change; the test needs more", len(before))
	}

	m, err := e.signInOnline(t, desk).StaffSignIn(ctx, "manager", "manager-demo")
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(e.proxy.URL(), client.WithToken(kioskToken(t, desk)), client.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	svc := managedesk.New(c, desk.rep, func() (replica.StaffMember, bool) { return m, true }, e.clock)
	settings, fresh, err := svc.Settings(ctx)
	if err != nil || !fresh.Live {
		t.Fatalf("settings: live %v, %v", fresh.Live, err)
	}
	settings.Settings.BookingWindowDays = 3
	if err := svc.SaveSettings(ctx, settings); err != nil {
		t.Fatal(err)
	}

	if err := kiosk.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	after := offeredDays()
	last := furthest(after)
	if limit := store.DateOf(e.clock(), loc).AddDays(3); limit.Before(last) {
		t.Fatalf("after one sync the kiosk still offers %v, past a 3-day window ending %v", last, limit)
	}
	if len(after) == 0 || len(after) >= len(before) {
		t.Fatalf("the kiosk offers %d days after the change, %d before", len(after), len(before))
	}
	for d := range after {
		if !before[d] {
			t.Errorf("%v offered only after the change", d)
		}
	}
	got, err := kiosk.rep.Settings(ctx)
	if err != nil || got.BookingWindowDays != 3 {
		t.Fatalf("kiosk's settings: window %d, %v", got.BookingWindowDays, err)
	}
}
