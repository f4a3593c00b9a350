package store

import (
	"context"
	"testing"
	"time"
)

// leaseFixture is a practice from Monday 8 June 2026 at 08:00 for six
// weeks, with a kiosk that has pulled once (and so holds its leases) and
// a patient registered for online services.
func leaseFixture(t *testing.T) (*fixture, Device, int64, Date) {
	t.Helper()
	ctx := context.Background()
	monday := mustDate(t, "2026-06-08")
	f := newFixture(t, monday.At(8, 0, london(t)), monday, 42)
	code, err := f.st.NewEnrolmentCode(ctx, Actor{Name: "manager:test", Device: "test"}, DeviceKiosk, "kiosk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dev, _, err := f.st.Enrol(ctx, code, "kiosk")
	if err != nil {
		t.Fatal(err)
	}
	p := f.addPatient(t, "Lease", "999000001", "1960-05-05")
	if _, err := f.st.write.Exec(`INSERT INTO online_registrations (patient_id, verification_method, verified_at, coercion_considered,
		service_appointments, service_prescriptions, record_access, account_id, linkage_key_hash)
		VALUES (?, 'photo_id_and_address', 0, 1, 1, 1, 'none', 'ACC1', 'x')`, p); err != nil {
		t.Fatal(err)
	}
	f.pull(t, dev)
	return f, dev, p, monday
}

func (f *fixture) pull(t *testing.T, dev Device) {
	t.Helper()
	if _, err := f.st.Changes(context.Background(), dev, 0, 1); err != nil {
		t.Fatal(err)
	}
}

// leaseOn is the lease on the slot at hh:mm on day, if any.
func (f *fixture) leaseOn(t *testing.T, day Date, hh, mm int) (Lease, bool) {
	t.Helper()
	slot := f.slotAt(t, day, hh, mm)
	leases, err := f.st.Leases(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range leases {
		if l.SlotID == slot {
			return l, true
		}
	}
	return Lease{}, false
}

// A kiosk holds leases on every bookable day of the window, the last day
// too, and each ends LeaseReturnMinutes before its slot.
func TestLeasesCoverTheWindowAndEndBeforeTheirSlot(t *testing.T) {
	f, dev, _, monday := leaseFixture(t)
	st := DefaultSettings()
	leases, err := f.st.Leases(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	perDay := map[Date]int{}
	for _, l := range leases {
		if l.DeviceID != dev.ID {
			t.Fatalf("a lease for %s", l.DeviceID)
		}
		var starts int64
		if err := f.st.read.QueryRow("SELECT starts_at FROM slots WHERE id = ?", l.SlotID).Scan(&starts); err != nil {
			t.Fatal(err)
		}
		if want := time.Unix(starts, 0).Add(-time.Duration(st.LeaseReturnMinutes) * time.Minute); !l.EndsAt.Equal(want) {
			t.Errorf("lease on slot %d ends %s, want %s (%d minutes before the slot)", l.SlotID, l.EndsAt, want, st.LeaseReturnMinutes)
		}
		perDay[DateOf(time.Unix(starts, 0), f.loc)]++
	}
	last := monday.AddDays(st.BookingWindowDays)
	for d := monday; !d.After(last); d = d.AddDays(1) {
		if IsWorkingDay(d) && perDay[d] != st.KioskLeasesPerDay {
			t.Errorf("%s: %d leases, want %d", d, perDay[d], st.KioskLeasesPerDay)
		}
	}
	if perDay[last.AddDays(1)] != 0 || perDay[last.AddDays(3)] != 0 {
		t.Errorf("leases past the window: %v", perDay)
	}
}

// A lease that has ended is handed back only after a sync that began
// after its end has finished: that sync pushed everything the kiosk
// booked while it held the lease.
func TestEndedLeaseGoesBackOnlyAfterACompleteSync(t *testing.T) {
	f, dev, _, monday := leaseFixture(t)
	l, ok := f.leaseOn(t, monday, 10, 10)
	if !ok {
		t.Fatal("no lease on today's 10:10")
	}
	f.clock.Set(l.EndsAt.Add(5 * time.Minute))
	f.pull(t, dev) // began after the end, but the last one began before it
	if _, ok := f.leaseOn(t, monday, 10, 10); !ok {
		t.Fatal("handed back at the first pull after its end, before a complete sync since")
	}
	f.clock.Set(l.EndsAt.Add(6 * time.Minute))
	f.pull(t, dev)
	if _, ok := f.leaseOn(t, monday, 10, 10); ok {
		t.Fatal("still held after a complete sync that began after its end")
	}
}

// Booking a leased slot ends its lease; an offline booking made while the
// lease held is judged as at the moment it was made, and one made at or
// after the lease's end is judged now.
func TestLeaseMakesOfflineBookingsFirmOnlyWhileItHolds(t *testing.T) {
	ctx := context.Background()
	f, dev, p, monday := leaseFixture(t)
	first, ok1 := f.leaseOn(t, monday, 10, 10)
	second, ok2 := f.leaseOn(t, monday, 10, 20)
	if !ok1 || !ok2 {
		t.Fatal("no leases on today's 10:10 and 10:20")
	}
	// 09:30: too little notice for 10:10 or 10:20 now (60 minutes).
	f.clock.Set(monday.At(9, 30, f.loc))
	book := func(slot int64, madeAt time.Time) error {
		_, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: slot, PatientID: p, Channel: ChannelKiosk, Actor: kiosk(p),
			DeviceID: dev.ID, MadeAt: madeAt})
		return err
	}
	wantReason(t, book(second.SlotID, second.EndsAt), ReasonTooLittleNotice)
	wantReason(t, book(second.SlotID, second.EndsAt.Add(time.Minute)), ReasonTooLittleNotice)
	if err := book(first.SlotID, first.EndsAt.Add(-time.Minute)); err != nil {
		t.Fatalf("booked offline while the lease held: %v", err)
	}
	if _, ok := f.leaseOn(t, monday, 10, 10); ok {
		t.Error("the lease outlived the booking it was for")
	}
}
