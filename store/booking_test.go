package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// Monday 8 June 2026, 08:00 in London; slots on the 10 days from then.
func bookingFixture(t testing.TB) (*fixture, Date) {
	t.Helper()
	monday := mustDate(t, "2026-06-08")
	f := newFixture(t, monday.At(8, 0, london(t)), monday, 10)
	return f, monday
}

func TestBookAppointment(t *testing.T) {
	ctx := context.Background()
	f, monday := bookingFixture(t)
	alice := f.addPatient(t, "Alice", "999000001", "1960-05-05")
	tuesday := monday.AddDays(1)
	slot := f.slotAt(t, tuesday, 9, 0)

	appt, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: slot, PatientID: alice, Channel: ChannelKiosk, Actor: kiosk(alice)})
	if err != nil {
		t.Fatalf("booking: %v", err)
	}
	if appt.Slot.ClinicianName != "Dr Test" || !appt.Slot.StartsAt.Equal(tuesday.At(9, 0, f.loc)) {
		t.Errorf("booked %+v", appt.Slot)
	}
	booked, err := f.st.Appointments(ctx, alice, StatusBooked)
	if err != nil || len(booked) != 1 || booked[0].ID != appt.ID || booked[0].Channel != ChannelKiosk {
		t.Fatalf("appointments after booking: %+v, %v", booked, err)
	}

	// The slot is gone from every view at once.
	free, err := f.st.FreeSlots(ctx, alice, ChannelReception, tuesday, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range free {
		if s.ID == slot {
			t.Fatal("a booked slot is still offered to reception")
		}
	}

	// A second patient cannot have it, and nothing changes.
	bob := f.addPatient(t, "Bob", "999000002", "1970-01-01")
	before := f.count(t, "SELECT count(*) FROM appointments")
	_, err = f.st.BookAppointment(ctx, BookingRequest{SlotID: slot, PatientID: bob, Channel: ChannelReception, Actor: Actor{Name: "staff:1", Device: "desk-1"}})
	wantReason(t, err, ReasonSlotTaken)
	if after := f.count(t, "SELECT count(*) FROM appointments"); after != before {
		t.Fatalf("a refused booking changed the appointments: %d -> %d", before, after)
	}

	// Cancelling frees the slot for someone else.
	if err := f.st.CancelAppointment(ctx, CancelRequest{AppointmentID: appt.ID, PatientID: alice, Channel: ChannelKiosk, Actor: kiosk(alice)}); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	if _, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: slot, PatientID: bob, Channel: ChannelKiosk, Actor: kiosk(bob)}); err != nil {
		t.Fatalf("rebooking a cancelled slot: %v", err)
	}
}

func TestBookingRefusalsChangeNothing(t *testing.T) {
	ctx := context.Background()
	f, monday := bookingFixture(t)
	adult := f.addPatient(t, "Adult", "999000001", "1960-05-05")
	child := f.addPatient(t, "Child", "999000002", "2015-05-05")
	tuesday := monday.AddDays(1)

	tests := []struct {
		name    string
		req     BookingRequest
		prepare func(t *testing.T)
		want    Reason
	}{
		{"under-age patient at the kiosk", BookingRequest{SlotID: f.slotAt(t, tuesday, 9, 10), PatientID: child, Channel: ChannelKiosk}, nil, ReasonUnderMinimumAge},
		{"slot in the past", BookingRequest{SlotID: f.slotAt(t, monday, 9, 0), PatientID: adult, Channel: ChannelKiosk},
			func(t *testing.T) { f.clock.Set(monday.At(9, 5, f.loc)) }, ReasonSlotInPast},
		{"reception-only slot at the kiosk", BookingRequest{SlotID: f.slotAt(t, tuesday, 11, 40), PatientID: adult, Channel: ChannelKiosk}, nil, ReasonSlotNotOnline},
		{"unknown slot", BookingRequest{SlotID: 999999, PatientID: adult, Channel: ChannelKiosk}, nil, ReasonNotFound},
		{"unknown patient", BookingRequest{SlotID: f.slotAt(t, tuesday, 9, 20), PatientID: 999999, Channel: ChannelKiosk}, nil, ReasonNotFound},
		{"unknown channel", BookingRequest{SlotID: f.slotAt(t, tuesday, 9, 20), PatientID: adult, Channel: "fax"}, nil, ReasonInvalidInput},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f.clock.Set(monday.At(8, 0, f.loc))
			if tc.prepare != nil {
				tc.prepare(t)
			}
			appts, audits := f.count(t, "SELECT count(*) FROM appointments"), f.count(t, "SELECT count(*) FROM audit_events")
			_, err := f.st.BookAppointment(ctx, tc.req)
			wantReason(t, err, tc.want)
			if f.count(t, "SELECT count(*) FROM appointments") != appts || f.count(t, "SELECT count(*) FROM audit_events") != audits {
				t.Fatal("a refused booking changed the database")
			}
		})
	}
}

func TestBookingLimitAndUnverifiedIdentity(t *testing.T) {
	ctx := context.Background()
	f, monday := bookingFixture(t)
	p := f.addPatient(t, "Limit", "999000001", "1960-05-05")
	book := func(hh, mm int) error {
		_, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: f.slotAt(t, monday.AddDays(1), hh, mm), PatientID: p, Channel: ChannelKiosk, Actor: kiosk(p)})
		return err
	}
	// No registration yet: identity not fully verified, so the limit is 1.
	wantReason(t, book(9, 0), "")
	wantReason(t, book(9, 10), ReasonTooManyAppointments)

	// Verified by photo ID: the practice's limit of 2 applies.
	if _, err := f.st.write.Exec(`INSERT INTO online_registrations (patient_id, verification_method, verified_at, coercion_considered,
		service_appointments, service_prescriptions, record_access, account_id, linkage_key_hash)
		VALUES (?, 'photo_id_and_address', 0, 1, 1, 1, 'none', 'ACC1', 'x')`, p); err != nil {
		t.Fatal(err)
	}
	wantReason(t, book(9, 10), "")
	wantReason(t, book(9, 20), ReasonTooManyAppointments)

	// Appointments in the past no longer count.
	f.clock.Set(monday.AddDays(1).At(9, 15, f.loc))
	wantReason(t, book(11, 0), "")
}

func TestCancellationCutOff(t *testing.T) {
	ctx := context.Background()
	f, monday := bookingFixture(t)
	p := f.addPatient(t, "Cancel", "999000001", "1960-05-05")
	other := f.addPatient(t, "Other", "999000002", "1960-05-05")
	appt, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: f.slotAt(t, monday, 11, 0), PatientID: p, Channel: ChannelKiosk, Actor: kiosk(p)})
	if err != nil {
		t.Fatal(err)
	}
	// Someone else's appointment looks like it does not exist.
	wantReason(t, f.st.CancelAppointment(ctx, CancelRequest{AppointmentID: appt.ID, PatientID: other, Channel: ChannelKiosk}), ReasonNotFound)
	// 09:01 is 119 minutes before 11:00: inside the 2-hour cut-off.
	f.clock.Set(monday.At(9, 1, f.loc))
	wantReason(t, f.st.CancelAppointment(ctx, CancelRequest{AppointmentID: appt.ID, PatientID: p, Channel: ChannelKiosk}), ReasonPastCancelCutoff)
	// Reception can still cancel.
	wantReason(t, f.st.CancelAppointment(ctx, CancelRequest{AppointmentID: appt.ID, Channel: ChannelReception, Actor: Actor{Name: "staff:1", Device: "desk"}}), "")
	wantReason(t, f.st.CancelAppointment(ctx, CancelRequest{AppointmentID: appt.ID, Channel: ChannelReception}), ReasonNotCancellable)
}

func TestRepeatedNoShowsSuspendOnlineBooking(t *testing.T) {
	ctx := context.Background()
	f, monday := bookingFixture(t)
	p := f.addPatient(t, "Missed", "999000001", "1960-05-05")
	if _, err := f.st.write.Exec(`INSERT INTO online_registrations (patient_id, verification_method, verified_at, coercion_considered,
		service_appointments, service_prescriptions, record_access, account_id, linkage_key_hash)
		VALUES (?, 'photo_id_and_address', 0, 1, 1, 1, 'none', 'ACC1', 'x')`, p); err != nil {
		t.Fatal(err)
	}
	staff := Actor{Name: "staff:1", Device: "desk"}
	for i, day := range []Date{monday.AddDays(1), monday.AddDays(2), monday.AddDays(3)} {
		f.clock.Set(monday.At(8, 0, f.loc).AddDate(0, 0, i)) // book the day before
		appt, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: f.slotAt(t, day, 9, 0), PatientID: p, Channel: ChannelKiosk, Actor: kiosk(p)})
		if err != nil {
			t.Fatalf("booking %d: %v", i, err)
		}
		f.clock.Set(day.At(10, 0, f.loc))
		if err := f.st.RecordOutcome(ctx, staff, appt.ID, StatusDidNotAttend); err != nil {
			t.Fatal(err)
		}
	}
	_, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: f.slotAt(t, monday.AddDays(7), 9, 0), PatientID: p, Channel: ChannelKiosk, Actor: kiosk(p)})
	wantReason(t, err, ReasonBookingSuspended)
	_, err = f.st.FreeSlots(ctx, p, ChannelKiosk, monday.AddDays(4), 7)
	wantReason(t, err, ReasonBookingSuspended)
	// Reception can still book for them.
	if _, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: f.slotAt(t, monday.AddDays(7), 9, 0), PatientID: p, Channel: ChannelReception, Actor: staff}); err != nil {
		t.Fatal(err)
	}
}

func TestFreeSlotsFollowRules(t *testing.T) {
	ctx := context.Background()
	f, monday := bookingFixture(t)
	p := f.addPatient(t, "Free", "999000001", "1960-05-05")
	// 08:30 Monday: with 60 minutes' notice the first kiosk slot is 09:30.
	f.clock.Set(monday.At(8, 30, f.loc))
	kioskSlots, err := f.st.FreeSlots(ctx, p, ChannelKiosk, monday, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(kioskSlots) != 12 { // 09:30 .. 11:20; 11:30-11:50 are reception-only
		t.Fatalf("kiosk sees %d slots on Monday, want 12", len(kioskSlots))
	}
	if got := kioskSlots[0].StartsAt.In(f.loc).Format("15:04"); got != "09:30" {
		t.Errorf("first kiosk slot %s, want 09:30", got)
	}
	deskSlots, err := f.st.FreeSlots(ctx, p, ChannelReception, monday, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(deskSlots) != 18 {
		t.Fatalf("reception sees %d slots on Monday, want 18", len(deskSlots))
	}
	for i := 1; i < len(deskSlots); i++ {
		if deskSlots[i].StartsAt.Before(deskSlots[i-1].StartsAt) {
			t.Fatal("slots are not earliest first")
		}
	}
	child := f.addPatient(t, "Young", "999000002", "2015-01-01")
	_, err = f.st.FreeSlots(ctx, child, ChannelKiosk, monday, 7)
	wantReason(t, err, ReasonUnderMinimumAge)
}

// Fifty people press "Book" on the same slot at once: exactly one gets it,
// the rest are told plainly that it has gone.
func TestConcurrentBookingOfOneSlot(t *testing.T) {
	ctx := context.Background()
	f, monday := bookingFixture(t)
	slot := f.slotAt(t, monday.AddDays(1), 10, 0)
	const n = 50
	ids := make([]int64, n)
	for i, nine := range syntheticNines(n) {
		ids[i] = f.addPatient(t, fmt.Sprintf("P%d", i), nine, "1960-05-05")
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			ch := ChannelKiosk
			if i%2 == 1 {
				ch = ChannelReception
			}
			_, errs[i] = f.st.BookAppointment(ctx, BookingRequest{SlotID: slot, PatientID: ids[i], Channel: ch, Actor: kiosk(ids[i])})
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case errors.Is(err, ReasonSlotTaken):
		default:
			t.Errorf("booker %d: unexpected error %v", i, err)
		}
	}
	if won != 1 {
		t.Fatalf("%d bookings succeeded, want exactly 1", won)
	}
	if got := f.count(t, "SELECT count(*) FROM appointments WHERE slot_id = ?", slot); got != 1 {
		t.Fatalf("%d appointments for the slot, want 1", got)
	}
}

func TestUniqueIndexHoldsWithoutTheStore(t *testing.T) {
	f, monday := bookingFixture(t)
	a := f.addPatient(t, "A", "999000001", "1960-05-05")
	b := f.addPatient(t, "B", "999000002", "1960-05-05")
	slot := f.slotAt(t, monday.AddDays(1), 9, 0)
	ins := "INSERT INTO appointments (slot_id, patient_id, channel, booked_at, status_changed_at) VALUES (?, ?, 'reception', 0, 0)"
	if _, err := f.st.write.Exec(ins, slot, a); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.write.Exec(ins, slot, b); !isUniqueViolation(err) {
		t.Fatalf("a second live appointment for one slot was accepted: %v", err)
	}
}

func TestRepeatRequests(t *testing.T) {
	ctx := context.Background()
	f, monday := bookingFixture(t)
	p := f.addPatient(t, "Repeat", "999000001", "1960-05-05")
	other := f.addPatient(t, "Other", "999000002", "1960-05-05")
	var amlo, simva, ramipril, otherItem int64
	err := f.st.Load(ctx, func(l *Loader) error {
		var err error
		started := monday.At(9, 0, f.loc).AddDate(-1, 0, 0)
		if amlo, err = l.AddRepeat(NewRepeat{PatientID: p, Name: "Amlodipine", Strength: "5 mg", Form: "tablets", Dosage: "One tablet once a day", Quantity: "28 tablets", Active: true, StartedAt: started}); err != nil {
			return err
		}
		if simva, err = l.AddRepeat(NewRepeat{PatientID: p, Name: "Simvastatin", Strength: "40 mg", Form: "tablets", Dosage: "One tablet at night", Quantity: "28 tablets", StartedAt: started}); err != nil {
			return err
		}
		if ramipril, err = l.AddRepeat(NewRepeat{PatientID: p, Name: "Ramipril", Strength: "2.5 mg", Form: "capsules", Dosage: "One capsule once a day", Quantity: "28 capsules", Active: true, ReviewDue: monday, StartedAt: started}); err != nil {
			return err
		}
		otherItem, err = l.AddRepeat(NewRepeat{PatientID: other, Name: "Metformin", Strength: "500 mg", Form: "tablets", Dosage: "One tablet twice a day", Quantity: "56 tablets", Active: true, StartedAt: started})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	req := func(ids ...int64) (PrescriptionRequest, error) {
		return f.st.RequestRepeats(ctx, RepeatRequest{PatientID: p, ItemIDs: ids, Channel: ChannelKiosk, Actor: kiosk(p), Note: "  Going on holiday on Friday  "})
	}
	_, err = req(simva)
	wantReason(t, err, ReasonItemNotActive)
	_, err = req(ramipril)
	wantReason(t, err, ReasonItemReviewDue)
	_, err = req(otherItem)
	wantReason(t, err, ReasonNotFound)
	if n := f.count(t, "SELECT count(*) FROM prescription_requests"); n != 0 {
		t.Fatalf("refused requests left %d rows", n)
	}

	got, err := req(amlo, amlo)
	if err != nil {
		t.Fatal(err)
	}
	if got.ReadyBy.String() != "2026-06-10" || len(got.ItemIDs) != 1 {
		t.Errorf("request %+v, want one item ready Wednesday 2026-06-10", got)
	}
	_, err = req(amlo)
	wantReason(t, err, ReasonItemAlreadyRequested)
	items, err := f.st.RepeatItems(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Outstanding != (it.ID == amlo) {
			t.Errorf("%s outstanding=%v", it.Name, it.Outstanding)
		}
	}

	// The patient cancels; the item can be ordered again.
	wantReason(t, f.st.CancelRepeatRequest(ctx, kiosk(other), ChannelKiosk, other, got.ID), ReasonNotFound)
	if err := f.st.CancelRepeatRequest(ctx, kiosk(p), ChannelKiosk, p, got.ID); err != nil {
		t.Fatal(err)
	}
	again, err := req(amlo)
	if err != nil {
		t.Fatalf("reorder after cancel: %v", err)
	}

	// A clinician declines with a reason; without one it is refused.
	var itemID int64
	if err := f.st.read.QueryRow("SELECT id FROM prescription_request_items WHERE request_id = ?", again.ID).Scan(&itemID); err != nil {
		t.Fatal(err)
	}
	wantReason(t, f.st.DecideRepeatItem(ctx, Actor{Name: "staff:2", Device: "desk"}, 0, itemID, false, "  "), ReasonInvalidInput)
	if err := f.st.DecideRepeatItem(ctx, Actor{Name: "staff:2", Device: "desk"}, 0, itemID, false, "Blood pressure check needed first"); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, "SELECT count(*) FROM prescription_requests WHERE id = ? AND status = 'completed'", again.ID); n != 1 {
		t.Error("request not completed after its only item was decided")
	}

	// Flagged unsuitable: the kiosk sends them to reception.
	if _, err := f.st.write.Exec("UPDATE patients SET online_ordering_unsuitable = 1 WHERE id = ?", p); err != nil {
		t.Fatal(err)
	}
	_, err = req(amlo)
	wantReason(t, err, ReasonOnlineOrderingOff)
}

func TestAuditChain(t *testing.T) {
	ctx := context.Background()
	bookAndCancel := func(t *testing.T) (*fixture, int64) {
		f, monday := bookingFixture(t)
		p := f.addPatient(t, "Audit", "999000001", "1960-05-05")
		appt, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: f.slotAt(t, monday.AddDays(1), 9, 0), PatientID: p, Channel: ChannelKiosk, Actor: kiosk(p)})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.st.CancelAppointment(ctx, CancelRequest{AppointmentID: appt.ID, PatientID: p, Channel: ChannelKiosk, Actor: kiosk(p)}); err != nil {
			t.Fatal(err)
		}
		return f, p
	}
	f, p := bookAndCancel(t)
	events, err := f.st.AuditEvents(ctx, "patient", p)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].Action != "appointment.book" || events[1].Action != "appointment.cancel" || events[0].Actor.Device != "kiosk-1" {
		t.Fatalf("audit events %+v", events)
	}
	n, err := f.st.VerifyAuditChain(ctx)
	if err != nil || n < 4 {
		t.Fatalf("chain of %d events: %v", n, err)
	}

	// Each kind of tampering is caught.
	for _, q := range []string{
		"UPDATE audit_events SET detail = 'appointment=1' WHERE action = 'appointment.cancel'",
		"DELETE FROM audit_events WHERE action = 'appointment.book'",
		"UPDATE audit_events SET actor = 'staff:9' WHERE action = 'appointment.book'",
		"UPDATE audit_events SET at = at + 60 WHERE action = 'appointment.book'",
	} {
		t.Run(q, func(t *testing.T) {
			f, _ := bookAndCancel(t)
			if _, err := f.st.write.Exec(q); err != nil {
				t.Fatal(err)
			}
			if _, err := f.st.VerifyAuditChain(ctx); !errors.Is(err, ErrAuditChainBroken) {
				t.Fatalf("tampering not detected: %v", err)
			}
		})
	}
}
