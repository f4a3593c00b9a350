package replica

import (
	"context"
	"testing"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

func TestKioskShowsOutcomesOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	decided := func(id int64, seen bool, items ...gpsync.RepeatRequestItemData) gpsync.Change {
		status := "completed"
		for _, it := range items {
			if it.Decision == "pending" {
				status = "pending"
			}
		}
		return change(gpsync.EntityRepeatRequest, id, gpsync.RepeatRequestData{PatientID: alice, Status: status, ReadyBy: "2026-06-12",
			OutcomeSeen: seen, Items: items})
	}
	approve := func(item int64) gpsync.RepeatRequestItemData {
		return gpsync.RepeatRequestItemData{RepeatItemID: item, Decision: "approved"}
	}
	decline := func(item int64, code, words string) gpsync.RepeatRequestItemData {
		return gpsync.RepeatRequestItemData{RepeatItemID: item, Decision: "declined", ReasonCode: code, Reason: words}
	}
	f.apply(
		decided(330, false, approve(itemStatin), decline(itemMetformin, gpsync.DeclineNeedsReview, "Book with the nurse.")),
		decided(331, false, decline(itemSalbutamol, gpsync.DeclineTooEarly, "")),
		decided(332, true, approve(itemMetformin)),                                                                               // seen at another kiosk
		decided(333, false, approve(itemMetformin), gpsync.RepeatRequestItemData{RepeatItemID: itemStatin, Decision: "pending"}), // not finished
		decided(334, false, gpsync.RepeatRequestItemData{RepeatItemID: itemStatin, Decision: "cancelled"}),                       // nothing decided
		change(gpsync.EntityRepeatRequest, 335, gpsync.RepeatRequestData{PatientID: una, Status: "completed", ReadyBy: "2026-06-12",
			Items: []gpsync.RepeatRequestItemData{approve(itemOlga)}}), // someone else's
	)
	got, err := f.r.UnseenOutcomes(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].RequestID != 330 || got[1].RequestID != 331 {
		t.Fatalf("unseen %+v", got)
	}
	a := got[0]
	if a.ReadyBy.String() != "2026-06-12" || len(a.Items) != 2 ||
		a.Items[0] != (OutcomeItem{Name: "Atorvastatin", Strength: "20 mg", Approved: true}) ||
		a.Items[1] != (OutcomeItem{Name: "Metformin", Strength: "500 mg", ReasonCode: gpsync.DeclineNeedsReview, Reason: "Book with the nurse."}) {
		t.Fatalf("first outcome %+v", a)
	}
	if !got[1].ReadyBy.IsZero() || got[1].Items[0].Approved || got[1].Items[0].ReasonCode != gpsync.DeclineTooEarly {
		t.Fatalf("all declined: no ready-by day %+v", got[1])
	}

	// Another patient's request is refused and nothing is written.
	before := f.counts()
	err = f.r.MarkOutcomesSeen(ctx, alice, []int64{330, 335})
	wantRefusal(t, err, store.ReasonNotFound)
	f.unchanged(before, "marking another patient's outcome seen")

	if err := f.r.MarkOutcomesSeen(ctx, alice, []int64{330, 331, 330}); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.r.UnseenOutcomes(ctx, alice); len(got) != 0 {
		t.Fatalf("shown again before the server answered: %+v", got)
	}
	ops := f.pending()
	if len(ops) != 2 || ops[0].Kind != gpsync.OpAcknowledgeOutcome || string(ops[0].Payload) != `{"patientId":1,"requestId":330}` ||
		string(ops[1].Payload) != `{"patientId":1,"requestId":331}` || ops[0].StaffID != 0 {
		t.Fatalf("outbox %+v", ops)
	}
	// A second tap queues nothing more.
	if err := f.r.MarkOutcomesSeen(ctx, alice, []int64{330}); err != nil || len(f.pending()) != 2 {
		t.Fatalf("second tap: %v, %d ops", err, len(f.pending()))
	}
	// A rejected acknowledgement is dropped quietly; still not shown again.
	f.record(appliedResult(ops[0].ID, nil), rejectedResult(ops[1].ID, store.ReasonNotFound, "No such request."))
	if att, _ := f.r.AttentionFor(ctx, alice); len(att) != 0 {
		t.Fatalf("a refused acknowledgement needs the patient's attention: %+v", att)
	}
	if got, _ := f.r.UnseenOutcomes(ctx, alice); len(got) != 0 {
		t.Fatalf("shown again after the answers: %+v", got)
	}
	// The feed says seen: the local row retires; still not shown.
	f.apply(decided(330, true, approve(itemStatin), decline(itemMetformin, gpsync.DeclineNeedsReview, "Book with the nurse.")))
	if n := f.count("local_outcomes_seen WHERE request_id = 330"); n != 0 {
		t.Errorf("local seen row kept after the feed agreed")
	}
	if got, _ := f.r.UnseenOutcomes(ctx, alice); len(got) != 0 {
		t.Fatalf("shown again after the feed: %+v", got)
	}
}
