package replica

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestBookWritesEffectAndOutboxTogether(t *testing.T) {
	f := newFixture(t, gpsync.RoleKiosk)
	before := f.counts()
	b := f.book(alice, slotFree, dobAlice)
	after := f.counts()
	if after["local_appointments"] != before["local_appointments"]+1 || after["outbox"] != before["outbox"]+1 {
		t.Fatalf("counts %v -> %v", before, after)
	}
	if b.State != StateProvisional || b.Ref.LocalID == 0 || b.Ref.ServerID != 0 || b.Slot.ID != slotFree ||
		b.Slot.ClinicianName != "Dr Amy Patel" || b.Slot.SlotTypeName != "Routine appointment" {
		t.Fatalf("booking %+v", b)
	}
	if !uuidV4.MatchString(b.OpID) {
		t.Fatalf("op ID %q is not a UUID v4", b.OpID)
	}
	ops := f.pending()
	if len(ops) != 1 || ops[0].ID != b.OpID || ops[0].Kind != gpsync.OpBook || !ops[0].CreatedAt.Equal(testNow) {
		t.Fatalf("outbox %+v", ops)
	}
	var p gpsync.BookPayload
	if err := json.Unmarshal(ops[0].Payload, &p); err != nil || p != (gpsync.BookPayload{SlotID: slotFree, PatientID: alice, CheckInCode: b.CheckInCode}) {
		t.Fatalf("payload %s %v", ops[0].Payload, err)
	}
	as := f.appointments(alice)
	if len(as) != 2 || as[0].Ref.ServerID != apptAlice || as[0].State != StateConfirmed ||
		as[1].Ref != b.Ref || as[1].State != StateProvisional || as[1].SlotID != slotFree || as[1].Channel != "kiosk" {
		t.Fatalf("appointments %+v", as)
	}
	// The slot is taken here at once: nobody else at this device gets it.
	_, err := f.r.Book(context.Background(), una, slotFree, dobUna)
	wantRefusal(t, err, store.ReasonSlotTaken)
}

func TestFirmOrProvisional(t *testing.T) {
	for _, tc := range []struct {
		name string
		slot int64
		want State
	}{
		{"own live lease", slotLeasedLive, StateFirm},
		{"no lease", slotFree, StateProvisional},
		{"own lease ended", slotLeasedExpired, StateProvisional},
		{"another device's lease ended", slotOtherExpired, StateProvisional},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, gpsync.RoleKiosk)
			if b := f.book(alice, tc.slot, dobAlice); b.State != tc.want {
				t.Fatalf("state %s, want %s", b.State, tc.want)
			}
			as := f.appointments(alice)
			if got := as[len(as)-1]; got.SlotID != tc.slot || got.State != tc.want {
				t.Fatalf("shown as %+v", got)
			}
		})
	}
	t.Run("lease ends between listing and booking", func(t *testing.T) {
		f := newFixture(t, gpsync.RoleKiosk)
		f.clock.Set(tomorrow.Add(-2 * time.Hour)) // the lease's end
		f.apply(change(gpsync.EntityAppointment, apptAlice, gpsync.AppointmentData{SlotID: slotAliceHolds, PatientID: alice, Status: store.StatusSeen}))
		if b := f.book(alice, slotLeasedLive, dobAlice); b.State != StateProvisional {
			t.Fatalf("booked %s at the lease's end", b.State)
		}
	})
}

// Every refusal is the store's RuleError and writes nothing at all.
func TestRefusalsWriteNothing(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		setup func(f *fixture)
		act   func(f *fixture) error
		want  store.Reason
	}{
		{"slot taken on the server", nil, bookFn(alice, slotTaken, dobAlice), store.ReasonSlotTaken},
		{"slot taken on this device", func(f *fixture) { f.book(una, slotFree, dobUna) }, bookFn(alice, slotFree, dobAlice), store.ReasonSlotTaken},
		{"slot held by another kiosk", nil, bookFn(alice, slotHeldByOther, dobAlice), store.ReasonSlotHeld},
		{"slot unknown", nil, bookFn(alice, 7777, dobAlice), store.ReasonNotFound},
		{"slot not online", nil, bookFn(alice, slotNotOnline, dobAlice), store.ReasonSlotNotOnline},
		{"slot for reception only", nil, bookFn(alice, slotReceptionOnly, dobAlice), store.ReasonSlotNotOnline},
		{"too little notice", nil, bookFn(alice, slotTooSoon, dobAlice), store.ReasonTooLittleNotice},
		{"beyond the booking window", nil, bookFn(alice, slotBeyondWindow, dobAlice), store.ReasonBeyondBookingWindow},
		{"over the appointment limit", func(f *fixture) { f.book(alice, slotFree, dobAlice) }, bookFn(alice, slotFree2, dobAlice), store.ReasonTooManyAppointments},
		{"unverified over their limit", func(f *fixture) { f.book(una, slotFree, dobUna) }, bookFn(una, slotFree2, dobUna), store.ReasonTooManyAppointments},
		{"under age", nil, bookFn(tom, slotFree, dobTom), store.ReasonUnderMinimumAge},
		{"no date of birth at a kiosk", nil, bookFn(alice, slotFree, store.Date{}), store.ReasonInvalidInput},
		{"patient unknown", nil, bookFn(4242, slotFree, dobAlice), store.ReasonNotFound},
		{"booking suspended", func(f *fixture) {
			p := patient("Una", false)
			p.OnlineBookingSuspended = true
			f.apply(change(gpsync.EntityPatient, una, p))
		}, bookFn(una, slotFree, dobUna), store.ReasonBookingSuspended},
		{"cancel inside the cut-off", nil, func(f *fixture) error {
			_, err := f.r.CancelAppointment(ctx, alice, Ref{ServerID: apptAlice})
			return err
		}, store.ReasonPastCancelCutoff},
		{"cancel someone else's appointment", nil, func(f *fixture) error {
			_, err := f.r.CancelAppointment(ctx, una, Ref{ServerID: apptAlice})
			return err
		}, store.ReasonNotFound},
		{"cancel a booking twice", func(f *fixture) {
			b := f.book(alice, slotFree, dobAlice)
			if _, err := f.r.CancelAppointment(ctx, alice, b.Ref); err != nil {
				t.Fatal(err)
			}
		}, func(f *fixture) error {
			_, err := f.r.CancelAppointment(ctx, alice, Ref{LocalID: 1})
			return err
		}, store.ReasonNotFound},
		{"stopped repeat item", nil, orderFn(alice, itemStatin, itemStopped), store.ReasonItemNotActive},
		{"outstanding repeat item", nil, orderFn(alice, itemSalbutamol), store.ReasonItemAlreadyRequested},
		{"item ordered on this device", func(f *fixture) { orderFn(alice, itemStatin)(f) }, orderFn(alice, itemMetformin, itemStatin), store.ReasonItemAlreadyRequested},
		{"item on someone else's list", nil, orderFn(alice, itemOlga), store.ReasonNotFound},
		{"no items", nil, orderFn(alice), store.ReasonNoItemsChosen},
		{"ordering unsuitable", nil, orderFn(olga, itemOlga), store.ReasonOnlineOrderingOff},
		{"review due", func(f *fixture) {
			f.apply(change(gpsync.EntityRepeatItem, itemStatin, gpsync.RepeatItemData{PatientID: alice, Name: "Atorvastatin", Active: true, ReviewDue: "2026-06-09"}))
		}, orderFn(alice, itemStatin), store.ReasonItemReviewDue},
		{"note too long", nil, func(f *fixture) error {
			_, err := f.r.OrderRepeats(ctx, alice, []int64{itemStatin}, strings.Repeat("x", 201))
			return err
		}, store.ReasonNoteTooLong},
		{"cancel a request already dealt with", func(f *fixture) {
			f.apply(change(gpsync.EntityRepeatRequest, requestPending, gpsync.RepeatRequestData{PatientID: alice, Status: "completed", ReadyBy: "2026-06-11"}))
		}, func(f *fixture) error {
			_, err := f.r.CancelRequest(ctx, alice, Ref{ServerID: requestPending})
			return err
		}, store.ReasonNotCancellable},
		{"cancel someone else's request", nil, func(f *fixture) error {
			_, err := f.r.CancelRequest(ctx, olga, Ref{ServerID: requestPending})
			return err
		}, store.ReasonNotFound},
		{"problem without a description", nil, func(f *fixture) error {
			_, err := f.r.ReportProblem(ctx, "screen", "  ")
			return err
		}, store.ReasonInvalidInput},
		{"problem description too long", nil, func(f *fixture) error {
			_, err := f.r.ReportProblem(ctx, "screen", strings.Repeat("é", store.MaxProblemChars+1))
			return err
		}, store.ReasonInvalidInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, gpsync.RoleKiosk)
			if tc.setup != nil {
				tc.setup(f)
			}
			before := f.counts()
			err := tc.act(f)
			wantRefusal(t, err, tc.want)
			if after := f.counts(); !maps.Equal(before, after) {
				t.Fatalf("a refusal wrote: %v -> %v", before, after)
			}
		})
	}
}

func bookFn(patientID, slotID int64, dob store.Date) func(*fixture) error {
	return func(f *fixture) error {
		_, err := f.r.Book(context.Background(), patientID, slotID, dob)
		return err
	}
}

func orderFn(patientID int64, items ...int64) func(*fixture) error {
	return func(f *fixture) error {
		_, err := f.r.OrderRepeats(context.Background(), patientID, items, "")
		return err
	}
}

func TestFreeSlots(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	today := store.Date{Year: 2026, Month: time.June, Day: 9}
	got, err := f.r.FreeSlots(ctx, alice, dobAlice, today, 90)
	if err != nil {
		t.Fatal(err)
	}
	// Not: held by another kiosk, taken, too soon, not online, reception
	// only, beyond the window.
	want := []int64{slotLeasedLive, slotLeasedExpired, slotFree, slotFree2, slotOtherExpired}
	if !slices.Equal(slotIDs(got), want) {
		t.Fatalf("free slots %v, want %v", slotIDs(got), want)
	}
	if !got[0].Leased || got[1].Leased || got[2].Leased {
		t.Errorf("leased flags %+v", got[:3])
	}
	// Booked here: gone from the list. Days limit the range.
	f.book(alice, slotFree, dobAlice)
	if got, err = f.r.FreeSlots(ctx, una, dobUna, today, 1); err != nil || len(got) != 0 {
		t.Fatalf("today only: %v %v", slotIDs(got), err)
	}
	got, err = f.r.FreeSlots(ctx, una, dobUna, today.AddDays(1), 1)
	if want := []int64{slotLeasedLive, slotLeasedExpired, slotFree2, slotOtherExpired}; err != nil || !slices.Equal(slotIDs(got), want) {
		t.Fatalf("tomorrow after a booking: %v %v", slotIDs(got), err)
	}
	// A patient who may not book gets the reason, not an empty list.
	_, err = f.r.FreeSlots(ctx, tom, dobTom, today, 7)
	wantRefusal(t, err, store.ReasonUnderMinimumAge)
	_, err = f.r.FreeSlots(ctx, alice, dobAlice, today, 7)
	wantRefusal(t, err, store.ReasonTooManyAppointments)
}

// A desktop books as reception: no self-service rules, its stored date of
// birth, and slots patients cannot book themselves.
func TestDesktopBooksAsReception(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleDesktop)
	tomP := patient("Tom", true)
	tomP.DateOfBirth = dobTom.String()
	f.apply(change(gpsync.EntityPatient, tom, tomP))
	b := f.book(tom, slotReceptionOnly, store.Date{})
	if b.State != StateProvisional {
		t.Fatalf("state %s", b.State)
	}
	if as := f.appointments(tom); len(as) != 1 || as[0].Channel != string(store.ChannelReception) {
		t.Fatalf("appointments %+v", as)
	}
	f.book(tom, slotNotOnline, store.Date{})
	// The server refuses a slot another device holds (slot_held); so does the desktop.
	_, err := f.r.Book(ctx, una, slotHeldByOther, store.Date{})
	wantRefusal(t, err, store.ReasonSlotHeld)
	// A patient without a stored date of birth can still be booked by reception.
	f.book(una, slotFree, store.Date{})
	// Inside the cut-off reception may still cancel.
	if _, err := f.r.CancelAppointment(ctx, alice, Ref{ServerID: apptAlice}); err != nil {
		t.Fatal(err)
	}
}

func TestOrderRepeats(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	before := f.counts()
	req, err := f.r.OrderRepeats(ctx, alice, []int64{itemStatin, itemMetformin, itemStatin}, "  away next week ")
	if err != nil {
		t.Fatal(err)
	}
	after := f.counts()
	if after["outbox"] != before["outbox"]+1 || after["local_requests"] != before["local_requests"]+1 ||
		after["local_request_items"] != before["local_request_items"]+2 {
		t.Fatalf("counts %v -> %v", before, after)
	}
	// Ordered on Tuesday 9 June with two working days to process: ready
	// on Thursday 11 June (worked out from the rule, not by it).
	wantReady := store.Date{Year: 2026, Month: time.June, Day: 11}
	if req.ReadyBy != wantReady || !slices.Equal(req.ItemIDs, []int64{itemStatin, itemMetformin}) || req.Ref.LocalID == 0 {
		t.Fatalf("request %+v, want ready by %s", req, wantReady)
	}
	ops := f.pending()
	var p gpsync.OrderRepeatsPayload
	if err := json.Unmarshal(ops[0].Payload, &p); err != nil || p.PatientID != alice || p.Note != "away next week" ||
		!slices.Equal(p.ItemIDs, req.ItemIDs) || ops[0].Kind != gpsync.OpOrderRepeats {
		t.Fatalf("payload %s %v", ops[0].Payload, err)
	}
	items, err := f.r.RepeatItems(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	outstanding := map[int64]bool{}
	for _, it := range items {
		outstanding[it.ID] = it.Outstanding
	}
	if !outstanding[itemStatin] || !outstanding[itemMetformin] || !outstanding[itemSalbutamol] || outstanding[itemStopped] {
		t.Fatalf("outstanding %v", outstanding)
	}
	if items[len(items)-1].ID != itemStopped {
		t.Errorf("the stopped item is not listed last: %+v", items)
	}
	reqs, err := f.r.Requests(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 2 || reqs[0].Ref != req.Ref || reqs[0].State != StateProvisional || reqs[0].Status != "pending" ||
		len(reqs[0].Items) != 2 || reqs[0].Items[0].Name != "Atorvastatin" || reqs[1].Ref.ServerID != requestPending ||
		reqs[1].State != StateConfirmed || len(reqs[1].Items) != 1 || reqs[1].Items[0].Name != "Salbutamol" {
		t.Fatalf("requests %+v", reqs)
	}
}

func TestCancelServerRequest(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	opID, err := f.r.CancelRequest(ctx, alice, Ref{ServerID: requestPending})
	if err != nil {
		t.Fatal(err)
	}
	ops := f.pending()
	var p gpsync.CancelRequestPayload
	if len(ops) != 1 || ops[0].ID != opID || json.Unmarshal(ops[0].Payload, &p) != nil || p.RequestID != requestPending || p.PatientID != alice {
		t.Fatalf("outbox %+v", ops)
	}
	reqs, _ := f.r.Requests(ctx, alice)
	if len(reqs) != 1 || reqs[0].Status != "cancelled" {
		t.Fatalf("requests %+v", reqs)
	}
	// Its item may be ordered again at once.
	if _, err := f.r.OrderRepeats(ctx, alice, []int64{itemSalbutamol}, ""); err != nil {
		t.Fatalf("ordering a cancelled item again: %v", err)
	}
}

func TestCancelServerAppointment(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	f.clock.Set(testNow.Add(-time.Hour)) // outside the cut-off
	opID, err := f.r.CancelAppointment(ctx, alice, Ref{ServerID: apptAlice})
	if err != nil {
		t.Fatal(err)
	}
	if as := f.appointments(alice); len(as) != 0 {
		t.Fatalf("cancelled appointment still shown: %+v", as)
	}
	ops := f.pending()
	var p gpsync.CancelAppointmentPayload
	if len(ops) != 1 || ops[0].ID != opID || json.Unmarshal(ops[0].Payload, &p) != nil ||
		p != (gpsync.CancelAppointmentPayload{AppointmentID: apptAlice, PatientID: alice}) {
		t.Fatalf("outbox %+v", ops)
	}
	// She may book again (the limit counts what she holds here)...
	f.book(alice, slotFree, dobAlice)
	f.book(alice, slotFree2, dobAlice)
	// ...but the cancelled slot stays taken here until the server frees it.
	if ids := f.freeSlotIDs(una, dobUna); slices.Contains(ids, slotAliceHolds) {
		t.Fatalf("slot offered before the server freed it: %v", ids)
	}
}

func TestReportProblemAndAskForHelp(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	id1, err := f.r.ReportProblem(ctx, " printer ", " No paper. ")
	if err != nil {
		t.Fatal(err)
	}
	id2, err := f.r.AskForHelp(ctx, "Someone has fallen")
	if err != nil {
		t.Fatal(err)
	}
	ops := f.pending()
	var rp gpsync.ReportProblemPayload
	var hp gpsync.AskForHelpPayload
	if len(ops) != 2 || ops[0].ID != id1 || ops[1].ID != id2 || ops[0].Kind != gpsync.OpReportProblem || ops[1].Kind != gpsync.OpAskForHelp ||
		json.Unmarshal(ops[0].Payload, &rp) != nil || rp != (gpsync.ReportProblemPayload{Category: "printer", Description: "No paper."}) ||
		json.Unmarshal(ops[1].Payload, &hp) != nil || hp.Note != "Someone has fallen" {
		t.Fatalf("outbox %+v", ops)
	}
}

// A call for help the kiosk could not send is taken back, so reception
// does not get it later; a report of a problem is not.
func TestWithdrawHelpNotSent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	problem, err := f.r.ReportProblem(ctx, "printer", "No paper.")
	if err != nil {
		t.Fatal(err)
	}
	help, err := f.r.AskForHelp(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := f.r.WithdrawHelp(ctx, problem); ok || err != nil {
		t.Fatalf("withdrew a problem report: %v %v", ok, err)
	}
	if ok, err := f.r.WithdrawHelp(ctx, help); !ok || err != nil {
		t.Fatalf("help not withdrawn: %v %v", ok, err)
	}
	if ops := f.pending(); len(ops) != 1 || ops[0].ID != problem {
		t.Fatalf("outbox after withdrawing help %+v", ops)
	}
	if ok, err := f.r.WithdrawHelp(ctx, help); ok || err != nil {
		t.Fatalf("withdrew twice: %v %v", ok, err)
	}
}

func TestActionsNeedEnrolmentAndSettings(t *testing.T) {
	ctx := context.Background()
	r, err := Open(ctx, t.TempDir()+"/new.db")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Book(ctx, alice, slotFree, dobAlice); !errors.Is(err, ErrNotEnrolled) {
		t.Fatalf("booking before enrolment: %v", err)
	}
	if err := r.SaveEnrolment(ctx, Enrolment{DeviceID: selfKiosk, Role: gpsync.RoleKiosk, Token: "t", ServerURL: "http://x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.FreeSlots(ctx, alice, dobAlice, store.Date{Year: 2026, Month: 6, Day: 9}, 7); !errors.Is(err, ErrNotSynced) {
		t.Fatalf("listing before the first sync: %v", err)
	}
}

func (f *fixture) freeSlotIDs(patientID int64, dob store.Date) []int64 {
	f.t.Helper()
	ss, err := f.r.FreeSlots(context.Background(), patientID, dob, store.DateOf(f.clock.Now(), londonZone(f.t)), 30)
	if err != nil {
		f.t.Fatal(err)
	}
	return slotIDs(ss)
}

func londonZone(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// Bookings race with the sync runner's writes: one writer connection
// serialises them, and exactly one person gets the slot.
func TestConcurrentBookingsOfOneSlot(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	const people = 12
	var changes []gpsync.Change
	for i := range int64(people) {
		changes = append(changes, change(gpsync.EntityPatient, 1000+i, patient("P", true)))
	}
	f.apply(changes...)
	cursor := f.cursor
	errs := make(chan error, people)
	done := make(chan struct{})
	go func() { // the runner, applying pages meanwhile
		defer close(done)
		for i := range int64(20) {
			page := gpsync.ChangesResponse{Cursor: cursor + i + 1,
				Changes: []gpsync.Change{change(gpsync.EntityClinician, 1, gpsync.ClinicianData{DisplayName: "Dr Amy Patel", Role: "gp", OnlineBookable: true})}}
			if err := f.r.ApplyChanges(ctx, page); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := range int64(people) {
		go func() {
			_, err := f.r.Book(ctx, 1000+i, slotFree, dobAlice)
			errs <- err
		}()
	}
	won := 0
	for range people {
		err := <-errs
		if err == nil {
			won++
			continue
		}
		wantRefusal(t, err, store.ReasonSlotTaken)
	}
	<-done
	if won != 1 || f.count("local_appointments") != 1 || f.count("outbox") != 1 {
		t.Fatalf("%d bookings won, %d local rows, %d ops", won, f.count("local_appointments"), f.count("outbox"))
	}
}

// The earliest times a kiosk offers (from the 60-minute minimum notice)
// cannot be cancelled there (the cut-off is 2 hours): each slot and each
// appointment says until when it can be, by the store's one rule, so the
// kiosk can say so before the patient books or asks to cancel.
func TestCancelUntilSaysWhatCancelAppointmentWillDo(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	const slotSoon = int64(120)
	soon := testNow.Add(70 * time.Minute) // offered: more than the minimum notice
	f.apply(change(gpsync.EntitySlot, slotSoon, slot(soon)))
	st := store.DefaultSettings()
	cutoff := time.Duration(st.CancelCutoffMinutes) * time.Minute
	today := store.Date{Year: 2026, Month: time.June, Day: 9}
	got, err := f.r.FreeSlots(ctx, una, dobUna, today, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].ID != slotSoon {
		t.Fatalf("free slots %v: the slot 70 minutes ahead is not offered first", slotIDs(got))
	}
	for _, s := range got {
		if want := s.StartsAt.Add(-cutoff); !s.CancelUntil.Equal(want) {
			t.Errorf("slot %d at %v: CancelUntil %v, want %v", s.ID, s.StartsAt, s.CancelUntil, want)
		}
	}
	if !got[0].CancelUntil.Before(testNow) {
		t.Fatalf("the earliest slot offered: cancellable until %v, want already past", got[0].CancelUntil)
	}
	b := f.book(una, slotSoon, dobUna)
	if !b.Slot.CancelUntil.Equal(soon.Add(-cutoff)) {
		t.Fatalf("booking confirmation: CancelUntil %v", b.Slot.CancelUntil)
	}
	as := f.appointments(una)
	if len(as) != 1 || !as[0].CancelUntil.Equal(soon.Add(-cutoff)) {
		t.Fatalf("una's appointments %+v", as)
	}
	// What the field said is what cancelling does.
	_, err = f.r.CancelAppointment(ctx, una, as[0].Ref)
	wantRefusal(t, err, store.ReasonPastCancelCutoff)
	for _, a := range f.appointments(alice) {
		_, err := f.r.CancelAppointment(ctx, alice, a.Ref)
		if mayCancel := !testNow.After(a.CancelUntil); mayCancel != (err == nil) {
			t.Fatalf("alice's appointment at %v: CancelUntil %v but cancelling said %v", a.StartsAt, a.CancelUntil, err)
		}
	}

	// A time far enough ahead can be cancelled until two hours before.
	far := f.book(alice, slotFree2, dobAlice)
	if !far.Slot.CancelUntil.Equal(tomorrow.Add(50*time.Minute - cutoff)) {
		t.Fatalf("tomorrow's slot: CancelUntil %v", far.Slot.CancelUntil)
	}
	f.clock.Set(far.Slot.CancelUntil)
	if _, err := f.r.CancelAppointment(ctx, alice, far.Ref); err != nil {
		t.Fatalf("cancelling at CancelUntil: %v", err)
	}

	// At a staff desktop, reception may cancel until the start.
	d := newFixture(t, gpsync.RoleDesktop)
	desk := d.appointments(alice)
	if len(desk) == 0 {
		t.Fatal("no appointments at the desktop")
	}
	for _, a := range desk {
		if !a.CancelUntil.Before(a.StartsAt) || a.CancelUntil.Before(a.StartsAt.Add(-time.Second)) {
			t.Fatalf("desktop: CancelUntil %v for an appointment at %v, want just before it", a.CancelUntil, a.StartsAt)
		}
	}
}
