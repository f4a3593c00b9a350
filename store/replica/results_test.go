package replica

import (
	"context"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// Book offline, the server applies it, then the feed brings the server's
// row: exactly one appointment, confirmed, under the server's ID.
func TestAppliedBookingThenFeedGivesOneAppointment(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	b := f.book(una, slotFree, dobUna)
	f.record(appliedResult(b.OpID, gpsync.BookResult{AppointmentID: 5001}))

	if n, _ := f.r.PendingCount(ctx); n != 0 {
		t.Fatalf("%d pending after the answer", n)
	}
	as := f.appointments(una)
	if len(as) != 1 || as[0].State != StateConfirmed || as[0].Ref != (Ref{ServerID: 5001, LocalID: b.Ref.LocalID}) {
		t.Fatalf("after the result: %+v", as)
	}
	var status, result string
	if err := f.r.read.QueryRow("SELECT status, result FROM outbox WHERE op_id = ?", b.OpID).Scan(&status, &result); err != nil ||
		status != gpsync.OpApplied || result != `{"appointmentId":5001}` {
		t.Fatalf("outbox row: %q %q %v", status, result, err)
	}

	taken := slot(tomorrow.Add(40 * time.Minute))
	taken.Taken = true
	f.apply(
		change(gpsync.EntityAppointment, 5001, gpsync.AppointmentData{SlotID: slotFree, PatientID: una, Channel: "kiosk",
			Status: store.StatusBooked, BookedAt: testNow}),
		change(gpsync.EntitySlot, slotFree, taken),
	)
	as = f.appointments(una)
	if len(as) != 1 || as[0].State != StateConfirmed || as[0].Ref.ServerID != 5001 || as[0].SlotID != slotFree {
		t.Fatalf("after the feed: %+v", as)
	}
	if n := f.count("live_appointments WHERE patient_id = 3"); n != 1 {
		t.Fatalf("%d live appointments for one booking", n)
	}
	// The Ref the UI held from Book still works.
	f.clock.Set(testNow.Add(-time.Hour))
	opID, err := f.r.CancelAppointment(ctx, una, b.Ref)
	if err != nil {
		t.Fatal(err)
	}
	ops := f.pending()
	var p gpsync.CancelAppointmentPayload
	if len(ops) != 1 || ops[0].ID != opID || json.Unmarshal(ops[0].Payload, &p) != nil || p.AppointmentID != 5001 {
		t.Fatalf("cancel by the booking's Ref: %+v", ops)
	}
	if as := f.appointments(una); len(as) != 0 {
		t.Fatalf("cancelled appointment shown: %+v", as)
	}
	// The server applies the cancel; the feed then drops the appointment.
	f.record(appliedResult(opID, struct{}{}))
	if as := f.appointments(una); len(as) != 0 {
		t.Fatalf("appointment back before the feed agreed: %+v", as)
	}
	f.apply(deleted(gpsync.EntityAppointment, 5001), change(gpsync.EntitySlot, slotFree, slot(tomorrow.Add(40*time.Minute))))
	if n := f.count("local_appointments") + f.count("local_cancels"); n != 0 {
		t.Fatalf("%d local rows left once the feed caught up", n)
	}
	if as := f.appointments(una); len(as) != 0 {
		t.Fatalf("appointments %+v", as)
	}
}

// The feed may bring the server's row before the result (a lost answer
// replayed later): still one appointment.
func TestFeedBeforeResultGivesOneAppointment(t *testing.T) {
	f := newFixture(t, gpsync.RoleKiosk)
	b := f.book(una, slotLeasedLive, dobUna)
	f.apply(change(gpsync.EntityAppointment, 5002, gpsync.AppointmentData{SlotID: slotLeasedLive, PatientID: una,
		Channel: "kiosk", Status: store.StatusBooked, BookedAt: testNow}))
	f.record(appliedResult(b.OpID, gpsync.BookResult{AppointmentID: 5002}))
	if as := f.appointments(una); len(as) != 1 || as[0].Ref.ServerID != 5002 || as[0].State != StateConfirmed {
		t.Fatalf("appointments %+v", as)
	}
}

func TestRejectedBookingIsUndone(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	before := f.counts()
	b := f.book(una, slotFree, dobUna)
	if slices.Contains(f.freeSlotIDs(alice, dobAlice), slotFree) {
		t.Fatal("booked slot still offered")
	}
	f.clock.Advance(5 * time.Minute)
	msg := "Sorry, that time has just been booked by someone else. Please choose another."
	f.record(rejectedResult(b.OpID, store.ReasonSlotTaken, msg))

	if as := f.appointments(una); len(as) != 0 {
		t.Fatalf("rejected booking still shown: %+v", as)
	}
	if !slices.Contains(f.freeSlotIDs(alice, dobAlice), slotFree) {
		t.Fatal("the slot was not freed here")
	}
	if n, _ := f.r.PendingCount(ctx); n != 0 {
		t.Fatalf("%d pending", n)
	}
	items, err := f.r.Attention(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := AttentionItem{OpID: b.OpID, Kind: gpsync.OpBook, Reason: string(store.ReasonSlotTaken), Message: msg, At: testNow.Add(5 * time.Minute)}
	if len(items) != 1 || !reflect.DeepEqual(items[0], want) {
		t.Fatalf("attention %+v, want %+v", items, want)
	}
	if n, err := f.r.AttentionCount(ctx); err != nil || n != 1 {
		t.Fatalf("attention count %d %v", n, err)
	}
	after := f.counts()
	if after["local_appointments"] != before["local_appointments"] || after["outbox"] != before["outbox"]+1 || after["attention"] != 1 {
		t.Fatalf("counts %v -> %v", before, after)
	}
	// She may book again straight away (the limit of one is free again).
	f.book(una, slotFree2, dobUna)

	if err := f.r.DismissAttention(ctx, b.OpID); err != nil {
		t.Fatal(err)
	}
	if err := f.r.DismissAttention(ctx, b.OpID); err != nil {
		t.Fatalf("dismissing twice: %v", err)
	}
	if items, _ := f.r.Attention(ctx); len(items) != 0 {
		t.Fatalf("dismissed item still listed: %+v", items)
	}
	if n, _ := f.r.AttentionCount(ctx); n != 0 {
		t.Fatalf("attention count %d after dismissing", n)
	}
}

func TestRejectedOrderAndCancelsAreUndone(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	f.clock.Set(testNow.Add(-time.Hour)) // outside the cancellation cut-off
	req, err := f.r.OrderRepeats(ctx, alice, []int64{itemStatin}, "")
	if err != nil {
		t.Fatal(err)
	}
	cancelAppt, err := f.r.CancelAppointment(ctx, alice, Ref{ServerID: apptAlice})
	if err != nil {
		t.Fatal(err)
	}
	cancelReq, err := f.r.CancelRequest(ctx, alice, Ref{ServerID: requestPending})
	if err != nil {
		t.Fatal(err)
	}
	f.record(
		rejectedResult(req.OpID, store.ReasonItemReviewDue, "Atorvastatin is due for a review."),
		rejectedResult(cancelAppt, store.ReasonPastCancelCutoff, "It is too close to the appointment to cancel here."),
		rejectedResult(cancelReq, store.ReasonNotCancellable, "That request has already been dealt with."),
	)
	if n := f.count("local_requests") + f.count("local_request_items") + f.count("local_cancels"); n != 0 {
		t.Fatalf("%d local rows left after rejections", n)
	}
	items, _ := f.r.RepeatItems(ctx, alice)
	for _, it := range items {
		if it.ID == itemStatin && it.Outstanding {
			t.Fatal("item of a rejected request still outstanding")
		}
		if it.ID == itemSalbutamol && !it.Outstanding {
			t.Fatal("item of a request whose cancel was rejected not outstanding")
		}
	}
	if as := f.appointments(alice); len(as) != 1 || as[0].Ref.ServerID != apptAlice {
		t.Fatalf("appointment whose cancel was rejected: %+v", as)
	}
	reqs, _ := f.r.Requests(ctx, alice)
	if len(reqs) != 1 || reqs[0].Status != "pending" {
		t.Fatalf("requests %+v", reqs)
	}
	att, _ := f.r.Attention(ctx)
	if len(att) != 3 || att[0].OpID != req.OpID || att[1].OpID != cancelAppt || att[2].OpID != cancelReq {
		t.Fatalf("attention %+v", att)
	}
}

func TestReplayedResultsIgnored(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	b := f.book(una, slotFree, dobUna)
	req, err := f.r.OrderRepeats(ctx, alice, []int64{itemStatin}, "")
	if err != nil {
		t.Fatal(err)
	}
	f.record(appliedResult(b.OpID, gpsync.BookResult{AppointmentID: 5001}),
		rejectedResult(req.OpID, store.ReasonItemNotActive, "No longer on your list."))
	before := f.counts()
	beforeAppts := f.appointments(una)
	beforeAtt, _ := f.r.Attention(ctx)
	// Replays, contradicting answers, and IDs this device never made.
	f.record(
		rejectedResult(b.OpID, store.ReasonSlotTaken, "taken"),
		appliedResult(req.OpID, gpsync.OrderRepeatsResult{RequestID: 77, ReadyBy: "2026-06-11"}),
		appliedResult(b.OpID, gpsync.BookResult{AppointmentID: 9999}),
		appliedResult("00000000-0000-4000-8000-000000000000", gpsync.BookResult{AppointmentID: 1}),
	)
	if after := f.counts(); !maps.Equal(before, after) {
		t.Fatalf("a replay changed rows: %v -> %v", before, after)
	}
	if got := f.appointments(una); !slices.Equal(got, beforeAppts) {
		t.Fatalf("appointments %+v -> %+v", beforeAppts, got)
	}
	if got, _ := f.r.Attention(ctx); !reflect.DeepEqual(got, beforeAtt) {
		t.Fatalf("attention %+v -> %+v", beforeAtt, got)
	}
}

func TestBadResultChangesNothing(t *testing.T) {
	f := newFixture(t, gpsync.RoleKiosk)
	b1 := f.book(una, slotFree, dobUna)
	b2 := f.book(alice, slotFree2, dobAlice)
	before := f.counts()
	err := f.r.RecordResults(context.Background(), []gpsync.OpResult{
		appliedResult(b1.OpID, gpsync.BookResult{AppointmentID: 5001}),
		{ID: b2.OpID, Status: gpsync.OpApplied, Result: json.RawMessage(`{}`)}, // no appointment ID
	})
	if err == nil {
		t.Fatal("a result without an appointment ID was accepted")
	}
	if after := f.counts(); !maps.Equal(before, after) {
		t.Fatalf("rows changed: %v -> %v", before, after)
	}
	if n := len(f.pending()); n != 2 {
		t.Fatalf("%d pending, want both still", n)
	}
}

// A cancel of a booking the server has not confirmed waits for it, gets
// its ID when applied, and is dropped unsent when it is rejected.
func TestCancelOfUnconfirmedBooking(t *testing.T) {
	ctx := context.Background()
	for _, outcome := range []string{gpsync.OpApplied, gpsync.OpRejected} {
		t.Run(outcome, func(t *testing.T) {
			f := newFixture(t, gpsync.RoleKiosk)
			b := f.book(una, slotFree, dobUna)
			help, err := f.r.AskForHelp(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			cancel, err := f.r.CancelAppointment(ctx, una, b.Ref)
			if err != nil {
				t.Fatal(err)
			}
			if as := f.appointments(una); len(as) != 0 {
				t.Fatalf("cancelled booking shown: %+v", as)
			}
			// The cancel cannot be sent yet: the batch stops before it.
			ops := f.pending()
			if len(ops) != 2 || ops[0].ID != b.OpID || ops[1].ID != help {
				t.Fatalf("first batch %+v", ops)
			}
			if n, _ := f.r.PendingCount(ctx); n != 3 {
				t.Fatalf("pending count %d", n)
			}
			if outcome == gpsync.OpApplied {
				f.record(appliedResult(b.OpID, gpsync.BookResult{AppointmentID: 5003}), appliedResult(help, gpsync.CreatedResult{ID: 1}))
				// The cancel goes once the booking is answered, naming it by
				// its op: its payload was signed when the patient cancelled.
				ops = f.pending()
				var p gpsync.CancelAppointmentPayload
				if len(ops) != 1 || ops[0].ID != cancel || json.Unmarshal(ops[0].Payload, &p) != nil ||
					p != (gpsync.CancelAppointmentPayload{BookingRef: b.OpID, PatientID: una}) {
					t.Fatalf("cancel after the booking was applied: %+v", ops)
				}
				if as := f.appointments(una); len(as) != 0 {
					t.Fatalf("shown again: %+v", as)
				}
				return
			}
			f.record(rejectedResult(b.OpID, store.ReasonSlotTaken, "Sorry, that time has just been booked by someone else."))
			ops = f.pending()
			if len(ops) != 1 || ops[0].ID != help {
				t.Fatalf("after the rejection %+v", ops)
			}
			var status string
			if err := f.r.read.QueryRow("SELECT status FROM outbox WHERE op_id = ?", cancel).Scan(&status); err != nil || status != statusDropped {
				t.Fatalf("cancel status %q %v", status, err)
			}
			if n := f.count("local_cancels") + f.count("local_appointments"); n != 0 {
				t.Fatalf("%d local rows left", n)
			}
			if att, _ := f.r.Attention(ctx); len(att) != 1 || att[0].OpID != b.OpID {
				t.Fatalf("attention %+v", att)
			}
		})
	}
}

func TestAppliedOrderLinksRequest(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	req, err := f.r.OrderRepeats(ctx, alice, []int64{itemStatin}, "")
	if err != nil {
		t.Fatal(err)
	}
	cancel, err := f.r.CancelRequest(ctx, alice, req.Ref)
	if err != nil {
		t.Fatal(err)
	}
	f.record(appliedResult(req.OpID, gpsync.OrderRepeatsResult{RequestID: 310, ReadyBy: "2026-06-12"}))
	var p gpsync.CancelRequestPayload
	if ops := f.pending(); len(ops) != 1 || ops[0].ID != cancel || json.Unmarshal(ops[0].Payload, &p) != nil || p.OrderRef != req.OpID || p.RequestID != 0 {
		t.Fatalf("cancel after the order was applied: %+v", ops)
	}
	reqs, _ := f.r.Requests(ctx, alice)
	if len(reqs) != 2 || reqs[0].Ref != (Ref{ServerID: 310, LocalID: req.Ref.LocalID}) || reqs[0].State != StateConfirmed ||
		reqs[0].Status != "cancelled" || reqs[0].ReadyBy != (store.Date{Year: 2026, Month: time.June, Day: 12}) {
		t.Fatalf("requests %+v", reqs)
	}
	// The feed's row replaces the local one: still one request.
	f.apply(change(gpsync.EntityRepeatRequest, 310, gpsync.RepeatRequestData{PatientID: alice, Status: "pending", ReadyBy: "2026-06-12",
		Items: []gpsync.RepeatRequestItemData{{RepeatItemID: itemStatin, Decision: "pending"}}}))
	reqs, _ = f.r.Requests(ctx, alice)
	if len(reqs) != 2 || reqs[0].Ref != (Ref{ServerID: 310}) || reqs[0].Status != "cancelled" {
		t.Fatalf("requests after the feed %+v", reqs)
	}
}

// A server restored from a backup: the replica goes, what the person did
// here and has not been answered stays.
func TestResetForResyncKeepsOutboxAndPendingEffects(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	answered := f.book(alice, slotFree, dobAlice)
	f.record(appliedResult(answered.OpID, gpsync.BookResult{AppointmentID: 5001}))
	rejected := f.book(una, slotFree2, dobUna)
	f.record(rejectedResult(rejected.OpID, store.ReasonSlotTaken, "Sorry."))
	pending := f.book(una, slotLeasedLive, dobUna)
	order, err := f.r.OrderRepeats(ctx, alice, []int64{itemMetformin}, "")
	if err != nil {
		t.Fatal(err)
	}
	cancelReq, err := f.r.CancelRequest(ctx, alice, Ref{ServerID: requestPending})
	if err != nil {
		t.Fatal(err)
	}
	outbox := f.pending()
	before := f.counts()

	if err := f.r.ResetForResync(ctx); err != nil {
		t.Fatal(err)
	}
	if c, _ := f.r.Cursor(ctx); c != 0 {
		t.Fatalf("cursor %d", c)
	}
	for _, table := range []string{"settings", "clinicians", "slot_types", "slots", "patients", "kiosk_verifiers",
		"appointments", "repeat_items", "repeat_requests", "repeat_request_items"} {
		if n := f.count(table); n != 0 {
			t.Errorf("%d rows left in %s", n, table)
		}
	}
	if got := f.pending(); !slices.EqualFunc(got, outbox, opsEqual) {
		t.Fatalf("outbox %+v, was %+v", got, outbox)
	}
	if n := f.count("outbox"); n != before["outbox"] {
		t.Fatalf("outbox rows %d, were %d", n, before["outbox"])
	}
	if att, _ := f.r.Attention(ctx); len(att) != 1 || att[0].OpID != rejected.OpID {
		t.Fatalf("attention %+v", att)
	}
	if e, err := f.r.Enrolment(ctx); err != nil || e.DeviceID != selfKiosk {
		t.Fatalf("enrolment %+v %v", e, err)
	}
	// The pending booking still shows, with what it was booked for.
	as := f.appointments(una)
	if len(as) != 1 || as[0].Ref != pending.Ref || as[0].State != StateFirm || !as[0].StartsAt.Equal(tomorrow) {
		t.Fatalf("pending booking after the reset: %+v", as)
	}
	// The answered one went with the replica; the feed brings it back.
	if as := f.appointments(alice); len(as) != 0 {
		t.Fatalf("alice's appointments after the reset: %+v", as)
	}
	if n := f.count("local_requests"); n != 1 {
		t.Fatalf("%d local requests", n)
	}
	if n := f.count("local_cancels WHERE op_id = '" + cancelReq + "'"); n != 1 {
		t.Fatal("pending cancel's effect lost")
	}

	// Pull from 0 again.
	f.cursor = 0
	f.apply(append(baseChanges(), change(gpsync.EntityAppointment, 5001, gpsync.AppointmentData{SlotID: slotFree,
		PatientID: alice, Channel: "kiosk", Status: store.StatusBooked, BookedAt: testNow}))...)
	if as := f.appointments(una); len(as) != 1 || as[0].Ref != pending.Ref || as[0].ClinicianName != "Dr Amy Patel" {
		t.Fatalf("una after the resync: %+v", as)
	}
	if as := f.appointments(alice); len(as) != 2 || as[1].Ref != (Ref{ServerID: 5001}) {
		t.Fatalf("alice after the resync: %+v", as)
	}
	reqs, _ := f.r.Requests(ctx, alice)
	if len(reqs) != 2 || reqs[0].Ref != order.Ref || reqs[1].Ref.ServerID != requestPending || reqs[1].Status != "cancelled" {
		t.Fatalf("requests after the resync: %+v", reqs)
	}
	items, _ := f.r.RepeatItems(ctx, alice)
	for _, it := range items {
		if it.ID == itemMetformin && !it.Outstanding {
			t.Fatal("item of the pending order not outstanding after the resync")
		}
	}
}

// A rejection's sentence code and values are kept on its attention item,
// so the kiosk can say it in the patient's language; the message stays
// the server's English.
func TestAttentionKeepsSentenceCode(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	b := f.book(una, slotFree, dobUna)
	b2 := f.book(alice, slotFree2, dobAlice)
	msg := "You can book up to 14 days ahead. Please choose an earlier day."
	res := rejectedResult(b.OpID, store.ReasonBeyondBookingWindow, msg)
	res.Code, res.Args = "beyond_booking_window", []string{"14"}
	f.record(res, rejectedResult(b2.OpID, store.ReasonSlotTaken, ""))
	items, err := f.r.Attention(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("attention %+v, want 2 items", items)
	}
	if it := items[0]; it.Code != "beyond_booking_window" || !slices.Equal(it.Args, []string{"14"}) || it.Message != msg {
		t.Errorf("attention item %+v, want code beyond_booking_window, args [14], message %q", it, msg)
	}
	// The server gave no sentence: the replica's own, with its code.
	if it := items[1]; it.Code != store.SentenceNotCarriedOut.Code || it.Args != nil || it.Message != store.SentenceNotCarriedOut.English {
		t.Errorf("attention item without a message %+v, want the replica's own sentence", it)
	}
}
