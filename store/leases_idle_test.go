package store

import (
	"context"
	"testing"
	"time"
)

// A kiosk that stops syncing gives its leases back after LeaseIdleMinutes
// of silence, at the next pull or booking by another device; until then,
// and for the kiosk itself when it returns first, they hold.
func TestIdleKioskLeasesReturnToThePool(t *testing.T) {
	ctx := context.Background()
	f, dev, p, monday := leaseFixture(t)
	desk := enrolTestDevice(t, f.st, DeviceDesktop)
	tuesday := monday.AddDays(1)
	held := func(who Device) []Lease {
		leases, err := f.st.Leases(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []Lease
		for _, l := range leases {
			if l.DeviceID == who.ID {
				out = append(out, l)
			}
		}
		return out
	}
	leases := held(dev)
	if len(leases) == 0 {
		t.Fatal("the kiosk holds no leases")
	}
	var slot int64
	for _, l := range leases {
		if l.EndsAt.After(tuesday.At(0, 0, f.loc)) {
			slot = l.SlotID
			break
		}
	}
	deskBook := func() error {
		_, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: slot, PatientID: p, Channel: ChannelReception,
			Actor: SystemActor(), DeviceID: desk.ID})
		return err
	}
	idle := time.Duration(DefaultSettings().LeaseIdleMinutes) * time.Minute
	// A short silence: the leases hold.
	f.clock.Advance(idle - time.Minute)
	f.pull(t, desk)
	if len(held(dev)) != len(leases) {
		t.Fatal("leases went back before the kiosk had been quiet long enough")
	}
	wantReason(t, deskBook(), ReasonSlotHeld)
	// Past it: a desktop's booking finds the slot free.
	f.clock.Advance(time.Minute)
	if err := deskBook(); err != nil {
		t.Fatalf("reception booking a quiet kiosk's slot: %v", err)
	}
	if n := len(held(dev)); n != 0 {
		t.Fatalf("the quiet kiosk still holds %d leases", n)
	}
	// Back again, the kiosk is given leases afresh.
	f.pull(t, dev)
	if len(held(dev)) == 0 {
		t.Fatal("a returning kiosk was given no leases")
	}
}

// A kiosk that comes back after a long silence before any other device
// has looked keeps its leases: nobody was kept from them, and its offline
// bookings of them are still firm.
func TestReturningKioskKeepsLeasesNobodyReclaimed(t *testing.T) {
	ctx := context.Background()
	f, dev, p, monday := leaseFixture(t)
	l, ok := f.leaseOn(t, monday.AddDays(1), 9, 0)
	if !ok {
		t.Fatal("no lease on Tuesday 09:00")
	}
	f.clock.Advance(24 * time.Hour)
	if _, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: l.SlotID, PatientID: p, Channel: ChannelKiosk, Actor: kiosk(p),
		DeviceID: dev.ID, MadeAt: f.clock.Now().Add(-23 * time.Hour)}); err != nil {
		t.Fatalf("the kiosk's own offline booking: %v", err)
	}
}

// With the setting at 0, a kiosk keeps its leases until it returns, as
// before; a setting beyond a week is refused and changes nothing.
func TestLeaseIdleSetting(t *testing.T) {
	ctx := context.Background()
	f, dev, _, _ := leaseFixture(t)
	desk := enrolTestDevice(t, f.st, DeviceDesktop)
	st := DefaultSettings()
	if st.LeaseIdleMinutes != 240 {
		t.Fatalf("default %d", st.LeaseIdleMinutes)
	}
	for _, bad := range []int{-1, MaxLeaseIdleMinutes + 1} {
		st.LeaseIdleMinutes = bad
		wantReason(t, f.st.UpdateSettings(ctx, SystemActor(), st), ReasonInvalidInput)
	}
	if got, _ := f.st.Settings(ctx); got.LeaseIdleMinutes != 240 {
		t.Fatalf("a refused setting was stored: %d", got.LeaseIdleMinutes)
	}
	st.LeaseIdleMinutes = 0
	if err := f.st.UpdateSettings(ctx, SystemActor(), st); err != nil {
		t.Fatal(err)
	}
	before, _ := f.st.Leases(ctx)
	f.clock.Advance(72 * time.Hour)
	f.pull(t, desk)
	after, _ := f.st.Leases(ctx)
	if len(after) != len(before) || len(before) == 0 || after[0].DeviceID != dev.ID {
		t.Fatalf("with the setting at 0: %d leases before, %d after", len(before), len(after))
	}
}
