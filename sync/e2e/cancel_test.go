package e2e

import (
	"context"
	"errors"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// Through a real server: the earliest time a kiosk offers comes with the
// last instant it could be cancelled at the kiosk, already past, and both
// the kiosk and the server then refuse to cancel it at the kiosk; a later
// time can be cancelled there until its CancelUntil.
func TestKioskSaysUpFrontWhenAnAppointmentCannotBeCancelled(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 200)
	kiosk := e.newDevice(t, gpsync.RoleKiosk)
	syncUntilDrained(t, kiosk)
	patient := e.kioskPts[0]
	dob := e.dobs[patient]
	settings, err := e.st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock()
	slots, err := kiosk.rep.FreeSlots(ctx, patient, dob, store.DateOf(now, time.UTC), 7)
	if err != nil || len(slots) == 0 {
		t.Fatalf("free slots: %d, %v", len(slots), err)
	}
	earliest := slots[0]
	if earliest.StartsAt.Sub(now) >= time.Duration(settings.CancelCutoffMinutes)*time.Minute {
		t.Fatalf("the earliest time offered is %v ahead: this test needs one inside the cut-off", earliest.StartsAt.Sub(now))
	}
	if !earliest.CancelUntil.Before(now) {
		t.Fatalf("the earliest time offered (%v ahead): cancellable here until %v, want already past", earliest.StartsAt.Sub(now), earliest.CancelUntil)
	}
	later := slots[len(slots)-1]
	if !later.CancelUntil.After(now) {
		t.Fatalf("a time %v ahead: cancellable until %v", later.StartsAt.Sub(now), later.CancelUntil)
	}
	e.signIn(t, kiosk, patient)
	soon, err := kiosk.rep.Book(ctx, patient, earliest.ID, dob)
	if err != nil {
		t.Fatal(err)
	}
	syncUntilDrained(t, kiosk)
	appts, err := kiosk.rep.Appointments(ctx, patient)
	if err != nil || len(appts) != 1 || !appts[0].CancelUntil.Equal(soon.Slot.CancelUntil) {
		t.Fatalf("appointments after the server confirmed: %+v, %v", appts, err)
	}
	if _, err := kiosk.rep.CancelAppointment(ctx, patient, appts[0].Ref); !errors.Is(err, store.ReasonPastCancelCutoff) {
		t.Fatalf("cancelling at the kiosk: %v, want past_cancellation_cutoff", err)
	}
	err = e.st.CancelAppointment(ctx, store.CancelRequest{AppointmentID: appts[0].Ref.ServerID, PatientID: patient,
		Channel: store.ChannelKiosk, Actor: store.Actor{Name: "kiosk", Device: kiosk.id}})
	if !errors.Is(err, store.ReasonPastCancelCutoff) {
		t.Fatalf("the server, asked to cancel it for a kiosk: %v, want past_cancellation_cutoff", err)
	}

	// A later time is cancellable at the kiosk up to its CancelUntil.
	b, err := kiosk.rep.Book(ctx, patient, later.ID, dob)
	if err != nil {
		t.Fatal(err)
	}
	syncUntilDrained(t, kiosk)
	e.now.Store(b.Slot.CancelUntil.Unix())
	e.signIn(t, kiosk, patient) // days later: a new visit
	ref := b.Ref
	if _, err := kiosk.rep.CancelAppointment(ctx, patient, ref); err != nil {
		t.Fatalf("cancelling at CancelUntil: %v", err)
	}
	syncUntilDrained(t, kiosk)
	if att, _ := kiosk.rep.Attention(ctx); len(att) != 0 {
		t.Fatalf("the server refused the cancel made at CancelUntil: %+v", att)
	}
	if n := count(t, e.db(t), "SELECT count(*) FROM appointments WHERE slot_id = ? AND status = 'cancelled'", later.ID); n != 1 {
		t.Fatalf("%d cancelled appointments in the later slot on the server, want 1", n)
	}
}
