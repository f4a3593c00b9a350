package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// feedRows reads a device's whole feed as entity → id → newest state (nil
// for a row gone or out of view).
func feedRows(t *testing.T, st *Store, dev Device) map[string]map[int64]any {
	t.Helper()
	out := map[string]map[int64]any{}
	var after int64
	for {
		page, err := st.Changes(context.Background(), dev, after, MaxFeedPage)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Changes {
			if out[c.Entity] == nil {
				out[c.Entity] = map[int64]any{}
			}
			out[c.Entity][c.ID] = c.State
		}
		after = page.Cursor
		if !page.More {
			return out
		}
	}
}

// What a kiosk may see is the store's rule: a registered patient's given
// name, letters and flags only; no one else; no desk-only entity, not even
// as a deletion; no past slot, no other device's lease, no appointment but
// a future booked one, no item's last issue, no request's desk details.
func TestKioskFeedRowsHoldOnlyWhatAKioskMay(t *testing.T) {
	ctx := context.Background()
	f, monday := bookingFixture(t) // 08:00 on Monday
	registered := f.addPatient(t, "Registered", "999000001", "1960-05-05")
	other := f.addPatient(t, "Other", "999000002", "1970-06-06")
	var item int64
	err := f.st.Load(ctx, func(l *Loader) error {
		if _, err := l.AddRegistration(NewRegistration{PatientID: registered, VerificationMethod: VerifyPhotoIDAndAddress,
			VerifiedAt: f.clock.Now(), CoercionConsidered: true, ServiceAppointments: true, ServicePrescriptions: true,
			RecordAccess: RecordAccessNone, KioskEnabled: true, AccountID: "ACDE-FGHJ-KMNP", LinkageKeyHash: strings.Repeat("a", 64)}); err != nil {
			return err
		}
		var err error
		item, err = l.AddRepeat(NewRepeat{PatientID: registered, Name: "Amlodipine", Strength: "5 mg", Form: "tablets", Dosage: "One a day",
			Active: true, LastIssuedAt: f.clock.Now().AddDate(0, -1, 0), StartedAt: f.clock.Now().AddDate(-1, 0, 0)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.RequestRepeats(ctx, RepeatRequest{PatientID: registered, ItemIDs: []int64{item}, Channel: ChannelKiosk, Note: "Away Friday",
		Actor: kiosk(registered)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.addStaff(ctx, SystemActor(), NewStaff{Username: "reception", DisplayName: "Rita Desk", Role: StaffReceptionist,
		Password: "front-desk-2026"}, cheapHash); err != nil {
		t.Fatal(err)
	}
	tuesday := monday.AddDays(1)
	future, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: f.slotAt(t, tuesday, 11, 0), PatientID: registered, Channel: ChannelReception,
		Actor: SystemActor()})
	if err != nil {
		t.Fatal(err)
	}
	othersBooking, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: f.slotAt(t, tuesday, 11, 10), PatientID: other, Channel: ChannelReception,
		Actor: SystemActor()})
	if err != nil {
		t.Fatal(err)
	}
	desk, kioskA, kioskB := enrolTestDevice(t, f.st, DeviceDesktop), enrolTestDevice(t, f.st, DeviceKiosk), enrolTestDevice(t, f.st, DeviceKiosk)
	feedRows(t, f.st, kioskB) // B's pull takes its leases first
	f.clock.Advance(90 * time.Minute)
	kf, df := feedRows(t, f.st, kioskA), feedRows(t, f.st, desk)

	for _, e := range []string{EntityStaff, EntityRegistration, EntityProxy, EntityHelpRequest, EntityProblemReport} {
		if len(kf[e]) != 0 {
			t.Errorf("a kiosk was sent %s rows (even as deletions)", e)
		}
	}
	if len(df[EntityRegistration]) != 1 || len(df[EntityStaff]) != 1 {
		t.Errorf("desktop: %d registrations, %d staff", len(df[EntityRegistration]), len(df[EntityStaff]))
	}

	kp, ok := kf[EntityPatient][registered].(FeedPatient)
	if !ok || kp.GivenName != "Pat" || len(kp.KioskLetters) != 1 || kp.KioskLetters[0].Verifier != KioskVerifier("ACDE-FGHJ-KMNP", mustDate(t, "1960-05-05")) ||
		!kp.IdentityVerified {
		t.Fatalf("kiosk's registered patient %#v", kf[EntityPatient][registered])
	}
	if kp.NHSNumber != "" || kp.FamilyName != "" || kp.Sex != "" || kp.DateOfBirth != "" || kp.Address != "" || kp.Postcode != "" || kp.Phone != "" {
		t.Fatalf("a kiosk was sent personal details: %+v", kp)
	}
	if s, sent := kf[EntityPatient][other]; !sent || s != nil {
		t.Fatalf("a patient not registered for kiosk use: sent %v as %#v, want a deletion", sent, s)
	}
	dp, ok := df[EntityPatient][registered].(FeedPatient)
	if !ok || dp.FamilyName != "Registered" || dp.DateOfBirth != "1960-05-05" || dp.NHSNumber == "" || dp.Sex != SexFemale ||
		dp.KioskLetters != nil || dp.NotEligibleSlotTypes != nil {
		t.Fatalf("desktop's patient %+v", dp)
	}
	if _, ok := df[EntityPatient][other].(FeedPatient); !ok {
		t.Fatal("the desktop is missing a patient")
	}

	if a, ok := kf[EntityAppointment][future.ID].(FeedAppointment); !ok || !a.StatusChangedAt.IsZero() || a.BookedAt.IsZero() {
		t.Fatalf("kiosk's appointment %#v", kf[EntityAppointment][future.ID])
	}
	if kf[EntityAppointment][othersBooking.ID] != nil {
		t.Fatal("a kiosk was sent the appointment of a patient it may not hold")
	}
	if a, ok := df[EntityAppointment][othersBooking.ID].(FeedAppointment); !ok || a.StatusChangedAt.IsZero() || a.Channel != ChannelReception {
		t.Fatalf("desktop's appointment %#v", df[EntityAppointment][othersBooking.ID])
	}

	if it, ok := kf[EntityRepeatItem][item].(FeedRepeatItem); !ok || !it.LastIssuedAt.IsZero() || !it.Outstanding {
		t.Fatalf("kiosk's repeat item %#v", kf[EntityRepeatItem][item])
	}
	if it, ok := df[EntityRepeatItem][item].(FeedRepeatItem); !ok || it.LastIssuedAt.IsZero() {
		t.Fatalf("desktop's repeat item %#v", df[EntityRepeatItem][item])
	}
	for id, s := range kf[EntityRepeatRequest] {
		r := s.(FeedRepeatRequest)
		if r.Note != "" || !r.RequestedAt.IsZero() || r.Channel != "" || len(r.Items) != 1 || r.Items[0].Decision != "pending" {
			t.Fatalf("kiosk's request %d %+v", id, r)
		}
		if d := df[EntityRepeatRequest][id].(FeedRepeatRequest); d.Note != "Away Friday" || d.RequestedAt.IsZero() || d.Channel != ChannelKiosk {
			t.Fatalf("desktop's request %d %+v", id, d)
		}
	}

	// Monday 09:00 is past now: out of a kiosk's view, still the desk's.
	past := f.slotAt(t, monday, 9, 0)
	if s, sent := kf[EntitySlot][past]; !sent || s != nil {
		t.Fatalf("a past slot on the kiosk: sent %v as %#v", sent, s)
	}
	if _, ok := df[EntitySlot][past].(FeedSlot); !ok {
		t.Fatal("the desktop is missing a past slot")
	}
	leases, err := f.st.Leases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	own, others := 0, 0
	for _, l := range leases {
		k, ok := kf[EntitySlot][l.SlotID].(FeedSlot)
		d := df[EntitySlot][l.SlotID].(FeedSlot)
		if d.LeasedTo != l.DeviceID || !d.LeaseEndsAt.Equal(l.EndsAt) {
			t.Fatalf("desktop's slot %d: %+v, lease %+v", l.SlotID, d, l)
		}
		switch {
		case !ok:
			t.Fatalf("leased slot %d is not on the kiosk", l.SlotID)
		case l.DeviceID == kioskA.ID:
			own++
			if k.LeasedTo != kioskA.ID || !k.LeaseEndsAt.Equal(l.EndsAt) {
				t.Fatalf("kiosk's own lease on slot %d: %+v", l.SlotID, k)
			}
		default:
			others++
			if k.LeasedTo != "" || !k.LeaseEndsAt.IsZero() {
				t.Fatalf("kiosk was told of another device's lease on slot %d: %+v", l.SlotID, k)
			}
		}
	}
	if own == 0 || others == 0 {
		t.Fatalf("leases: %d the kiosk's own, %d another's", own, others)
	}
}

// The page rules: a row changed twice in a page comes once, at its first
// place, with its newest state; a page never passes MaxFeedPage however
// many are asked for; positions and sizes below one, and a cursor past the
// newest change, are refused.
func TestChangesPages(t *testing.T) {
	ctx := context.Background()
	monday := mustDate(t, "2026-06-08")
	f := newFixture(t, monday.At(8, 0, london(t)), monday, 90) // over a thousand slots
	patient := f.addPatient(t, "Pages", "999000001", "1960-05-05")
	desk := enrolTestDevice(t, f.st, DeviceDesktop)
	head, err := f.st.ChangesHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if head <= MaxFeedPage {
		t.Fatalf("only %d changes", head)
	}
	page, err := f.st.Changes(ctx, desk, 0, MaxFeedPage*5)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Changes) > MaxFeedPage || page.Cursor != MaxFeedPage || !page.More {
		t.Fatalf("%d changes to %d (more: %v) when asked for %d", len(page.Changes), page.Cursor, page.More, MaxFeedPage*5)
	}

	slot := f.slotAt(t, monday.AddDays(1), 10, 0)
	appt, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: slot, PatientID: patient, Channel: ChannelReception, Actor: SystemActor()})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.CancelAppointment(ctx, CancelRequest{AppointmentID: appt.ID, Channel: ChannelReception, Actor: SystemActor()}); err != nil {
		t.Fatal(err)
	}
	page, err = f.st.Changes(ctx, desk, head, MaxFeedPage)
	if err != nil {
		t.Fatal(err)
	}
	var slots, appts []FeedChange
	for _, c := range page.Changes {
		switch {
		case c.Entity == EntitySlot && c.ID == slot:
			slots = append(slots, c)
		case c.Entity == EntityAppointment && c.ID == appt.ID:
			appts = append(appts, c)
		}
	}
	if len(slots) != 1 || len(appts) != 1 || appts[0].Seq > slots[0].Seq || appts[0].Seq != head+1 {
		t.Fatalf("slot sent %d times, appointment %d times: %+v %+v", len(slots), len(appts), slots, appts)
	}
	if s := slots[0].State.(FeedSlot); s.Taken {
		t.Fatal("the slot was sent with its first state, taken, not its newest")
	}
	if a := appts[0].State.(FeedAppointment); a.Status != StatusCancelled {
		t.Fatalf("the appointment was sent as %s", a.Status)
	}

	for _, c := range []struct {
		after int64
		limit int
	}{{-1, 10}, {0, 0}, {0, -5}} {
		_, err := f.st.Changes(ctx, desk, c.after, c.limit)
		wantReason(t, err, ReasonInvalidInput)
	}
	end, err := f.st.ChangesHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.Changes(ctx, desk, end+1, 10); !errors.Is(err, ErrCursorAhead) {
		t.Fatalf("a cursor past the newest change: %v", err)
	}
	if page, err := f.st.Changes(ctx, desk, end, 10); err != nil || len(page.Changes) != 0 || page.Cursor != end || page.More {
		t.Fatalf("at the newest change: %+v, %v", page, err)
	}
}
