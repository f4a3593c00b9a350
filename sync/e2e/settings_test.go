package e2e

import (
	"context"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// The practice manager's settings reach every device through the change
// feed: what the store saved is what a kiosk's and a desktop's replica
// hold after their next sync.
func TestSettingsReachEveryDevice(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 20)
	kiosk, desk := e.newDevice(t, gpsync.RoleKiosk), e.newDevice(t, gpsync.RoleDesktop)
	want := store.DefaultSettings()
	want.BookingWindowDays, want.MinNoticeMinutes, want.CheckInBeforeMinutes = 21, 30, 20
	want.DailyReleaseMinutes, want.KioskIdleSeconds, want.KioskIdleWarningSeconds = 7*60+30, 90, 40
	want.StaffIdleMinutes, want.ReadAloudDefault, want.CliniciansHandleAlerts = 12, true, true
	if err := e.st.UpdateSettings(ctx, store.Actor{Name: "manager:test", Device: "desk"}, want); err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]*device{"kiosk": kiosk, "desktop": desk} {
		syncUntilDrained(t, d)
		got, err := d.rep.Settings(ctx)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The feed carries what devices apply; the server's own limits
		// (leases, device clocks) stay on the server.
		got.KioskLeasesPerDay, got.LeaseReturnMinutes, got.LeaseIdleMinutes = want.KioskLeasesPerDay, want.LeaseReturnMinutes, want.LeaseIdleMinutes
		got.DeviceTimeBackHours, got.DeviceTimeAheadMinutes = want.DeviceTimeBackHours, want.DeviceTimeAheadMinutes
		if got != want {
			t.Errorf("%s holds %+v,\nwant %+v", name, got, want)
		}
	}
}

// The furthest day of the booking window is offered at a kiosk only from
// the practice's release time, offline as online, and the kiosk is not
// given leases on it before then.
func TestFurthestDayOpensAtTheKioskAtTheReleaseTime(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 20)
	loc, _ := time.LoadLocation("Europe/London")
	st := store.DefaultSettings()
	st.BookingWindowDays, st.DailyReleaseMinutes = 7, 8*60 // the clock starts at 07:30
	if err := e.st.UpdateSettings(ctx, store.Actor{Name: "manager:test", Device: "desk"}, st); err != nil {
		t.Fatal(err)
	}
	kiosk := e.newDevice(t, gpsync.RoleKiosk)
	syncUntilDrained(t, kiosk)
	furthest := surgeryStart.AddDays(7)
	patient := e.kioskPts[0]
	offered := func() int {
		slots, err := kiosk.rep.FreeSlots(ctx, patient, e.dobs[patient], surgeryStart, 10)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, s := range slots {
			if store.DateOf(s.StartsAt, loc) == furthest {
				n++
			}
		}
		return n
	}
	leasedOnFurthest := func() int {
		leases, err := e.st.Leases(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, l := range leases {
			if l.DeviceID == kiosk.id && store.DateOf(l.EndsAt.Add(time.Duration(st.LeaseReturnMinutes)*time.Minute), loc) == furthest {
				n++
			}
		}
		return n
	}
	if n := offered(); n != 0 {
		t.Fatalf("%d slots on %s offered at 07:30, before the 08:00 release", n, furthest)
	}
	if n := leasedOnFurthest(); n != 0 {
		t.Fatalf("%d leases on %s granted before its release", n, furthest)
	}
	// At 08:00 the kiosk offers the day from what it already holds, even
	// before it next syncs.
	e.now.Store(surgeryStart.At(8, 0, loc).Unix())
	if n := offered(); n == 0 {
		t.Fatalf("nothing on %s offered at 08:00", furthest)
	}
	syncUntilDrained(t, kiosk)
	if n := leasedOnFurthest(); n == 0 {
		t.Fatalf("no leases on %s after the release", furthest)
	}
}
