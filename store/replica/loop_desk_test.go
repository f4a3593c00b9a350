package replica

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

const (
	staffSecond  = int64(10) // a second clinician
	staffManager = int64(11)

	requestAlice = int64(320) // alice: statin and metformin, asked at the kiosk with a note
	requestOlga  = int64(321) // olga: amlodipine, review overdue; ordering unsuitable
	apptUna      = int64(410) // una, today, the nurse
	apptTomGone  = int64(411) // tom, today, cancelled
	slotUnaToday = int64(120)
	slotTomToday = int64(121)
)

var (
	nurse     = StaffMember{ID: staffNurse, Username: "nurse", DisplayName: "Nia Nurse", Role: store.StaffClinician}
	second    = StaffMember{ID: staffSecond, Username: "second", DisplayName: "Dr Sam Second", Role: store.StaffClinician}
	reception = StaffMember{ID: staffReception, Username: "reception", DisplayName: "Rita Reception", Role: store.StaffReceptionist}
	manager   = StaffMember{ID: staffManager, Username: "manager", DisplayName: "Mo Manager", Role: store.StaffManager}
	today     = store.Date{Year: 2026, Month: time.June, Day: 9}
)

// newLoopDesk is a desktop whose feed has brought repeat requests to
// decide, today's appointments and an inbox.
func newLoopDesk(t *testing.T) *fixture {
	t.Helper()
	f := newDesktop(t)
	f.apply(newLoopDeskChanges(t)...)
	return f
}

func newLoopDeskChanges(t *testing.T) []gpsync.Change {
	t.Helper()
	unaSlot := slot(testNow.Add(2 * time.Hour))
	unaSlot.ClinicianID, unaSlot.SlotTypeID, unaSlot.Taken = 2, 11, true
	tomSlot := slot(testNow.Add(3 * time.Hour))
	tomSlot.Taken = true
	return []gpsync.Change{
		change(gpsync.EntityPatient, olga, gpsync.PatientData{GivenName: "Olga", FamilyName: "Price", DateOfBirth: dobOlga.String(),
			NHSNumber: "9990000042", OnlineOrderingUnsuitable: true, IdentityVerified: true}),
		change(gpsync.EntityStaff, staffSecond, gpsync.StaffData{Username: "second", DisplayName: "Dr Sam Second", Role: "clinician", Active: true}),
		change(gpsync.EntityStaff, staffManager, gpsync.StaffData{Username: "manager", DisplayName: "Mo Manager", Role: "manager", Active: true}),
		change(gpsync.EntityRepeatItem, itemOlga, gpsync.RepeatItemData{PatientID: olga, Name: "Amlodipine", Strength: "5 mg", Form: "tablets",
			Dosage: "one daily", Active: true, ReviewDue: "2026-06-01", Outstanding: true, LastIssuedAt: ptr(testNow.AddDate(0, 0, -28))}),
		change(gpsync.EntityRepeatRequest, requestAlice, gpsync.RepeatRequestData{PatientID: alice, Status: "pending", ReadyBy: "2026-06-11",
			RequestedAt: ptr(testNow.Add(-3 * time.Hour)), Channel: "kiosk", Note: "Away from Friday",
			Items: []gpsync.RepeatRequestItemData{{RepeatItemID: itemStatin, Decision: "pending"}, {RepeatItemID: itemMetformin, Decision: "pending"}}}),
		change(gpsync.EntityRepeatRequest, requestOlga, gpsync.RepeatRequestData{PatientID: olga, Status: "pending", ReadyBy: "2026-06-11",
			RequestedAt: ptr(testNow.Add(-5 * time.Hour)), Channel: "reception",
			Items: []gpsync.RepeatRequestItemData{{RepeatItemID: itemOlga, Decision: "pending"}}}),
		change(gpsync.EntitySlot, slotUnaToday, unaSlot),
		change(gpsync.EntitySlot, slotTomToday, tomSlot),
		change(gpsync.EntityAppointment, apptUna, gpsync.AppointmentData{SlotID: slotUnaToday, PatientID: una, Channel: "kiosk",
			Status: store.StatusBooked, BookedAt: testNow.Add(-24 * time.Hour)}),
		change(gpsync.EntityAppointment, apptTomGone, gpsync.AppointmentData{SlotID: slotTomToday, PatientID: tom, Channel: "reception",
			Status: store.StatusCancelled, BookedAt: testNow.Add(-24 * time.Hour)}),
	}
}

// unchanged fails unless nothing was written since before.
func (f *fixture) unchanged(before map[string]int, what string) {
	f.t.Helper()
	if after := f.counts(); !maps.Equal(before, after) {
		f.t.Errorf("%s wrote something: %v, was %v", what, after, before)
	}
}

func init() {
	allTables = append(allTables, "local_decisions", "local_handouts", "local_outcomes", "local_alert_actions", "local_outcomes_seen", "alerts")
}

func (f *fixture) queue(m StaffMember) []RepeatRequestEntry {
	f.t.Helper()
	q, err := f.r.RepeatQueue(context.Background(), m)
	if err != nil {
		f.t.Fatal(err)
	}
	return q
}

func entry(es []RepeatRequestEntry, id int64) (RepeatRequestEntry, bool) {
	for _, e := range es {
		if e.RequestID == id {
			return e, true
		}
	}
	return RepeatRequestEntry{}, false
}

func TestRepeatQueueShowsWhatAPrescriberNeeds(t *testing.T) {
	f := newLoopDesk(t)
	q := f.queue(nurse)
	var ids []int64
	for _, e := range q {
		ids = append(ids, e.RequestID)
	}
	// Oldest first: 300 came from a server too old to say when (first),
	// then olga's (5 hours ago), then alice's (3 hours ago).
	if len(ids) != 3 || ids[0] != requestPending || ids[1] != requestOlga || ids[2] != requestAlice {
		t.Fatalf("queue %v", ids)
	}
	a := q[2]
	if a.PatientName != "Alice Hughes" || a.NHSNumber != "9990000018" || a.DateOfBirth != dobAlice || a.Note != "Away from Friday" ||
		a.Channel != "kiosk" || !a.RequestedAt.Equal(testNow.Add(-3*time.Hour)) || a.OrderingUnsuitable || a.Waiting || len(a.Items) != 2 {
		t.Fatalf("alice's request %+v", a)
	}
	if a.Items[0].Name != "Atorvastatin" || a.Items[0].Decision != "pending" || a.Items[0].ReviewOverdue {
		t.Errorf("alice's first item %+v", a.Items[0])
	}
	o := q[1]
	if !o.OrderingUnsuitable || len(o.Items) != 1 || !o.Items[0].ReviewOverdue || o.Items[0].ReviewDue.String() != "2026-06-01" ||
		!o.Items[0].LastIssuedAt.Equal(testNow.AddDate(0, 0, -28)) {
		t.Errorf("olga's request: the flags a prescriber must see %+v", o)
	}
}

func TestDeskRolesAreTheServersRule(t *testing.T) {
	ctx := context.Background()
	f := newLoopDesk(t)
	f.apply(loopChanges()[3:]...) // the inbox, with the practice's default: clinicians keep out of it
	before := f.counts()
	for name, call := range map[string]func() error{
		"reception reads the prescribing queue": func() error { _, err := f.r.RepeatQueue(ctx, reception); return err },
		"reception decides": func() error {
			_, err := f.r.DecideRepeats(ctx, reception, requestAlice, []gpsync.ItemDecision{{RepeatItemID: itemStatin, Approve: true}})
			return err
		},
		"manager decides": func() error {
			_, err := f.r.DecideRepeats(ctx, manager, requestAlice, []gpsync.ItemDecision{{RepeatItemID: itemStatin, Approve: true}})
			return err
		},
		"clinician hands out": func() error {
			_, err := f.r.HandOutRepeats(ctx, nurse, requestAlice, gpsync.HandedOutCollected)
			return err
		},
		"clinician reads ready list": func() error { _, err := f.r.ReadyToHandOut(ctx, nurse); return err },
		"clinician reads the inbox":  func() error { _, err := f.r.Alerts(ctx, nurse); return err },
		"clinician handles an alert": func() error {
			_, err := f.r.HandleAlert(ctx, nurse, gpsync.EntityHelpRequest, helpAtKiosk, gpsync.AlertResolved)
			return err
		},
		"nobody signed in reads a list": func() error { _, err := f.r.DayList(ctx, StaffMember{}, today); return err },
		"nobody signed in books":        func() error { _, err := f.r.BookFor(ctx, StaffMember{}, alice, slotFree); return err },
	} {
		if err := call(); err == nil {
			t.Errorf("%s: allowed", name)
		} else {
			wantRefusal(t, err, store.ReasonStaffNotAllowed)
		}
	}
	f.unchanged(before, "refused staff")

	// The practice lets clinicians handle the inbox.
	f.apply(loopChanges()[0])
	if _, err := f.r.HandleAlert(ctx, nurse, gpsync.EntityHelpRequest, helpAtKiosk, gpsync.AlertAcknowledged); err != nil {
		t.Fatalf("a clinician the practice allows: %v", err)
	}
	// A kiosk never does desk work, whoever is named.
	k := newFixture(t, gpsync.RoleKiosk)
	_, err := k.r.RepeatQueue(ctx, nurse)
	wantRefusal(t, err, store.ReasonStaffNotAllowed)
}

func TestDecideRefusalsWriteNothing(t *testing.T) {
	ctx := context.Background()
	f := newLoopDesk(t)
	before := f.counts()
	for _, c := range []struct {
		name    string
		request int64
		d       []gpsync.ItemDecision
		want    store.Reason
		says    string
	}{
		{"nothing chosen", requestAlice, nil, store.ReasonNoItemsChosen, "at least one"},
		{"decline without a reason", requestAlice, []gpsync.ItemDecision{{RepeatItemID: itemStatin}}, store.ReasonInvalidInput, "choose the reason"},
		{"unknown reason", requestAlice, []gpsync.ItemDecision{{RepeatItemID: itemStatin, ReasonCode: "because"}}, store.ReasonInvalidInput, "choose the reason"},
		{"other without words", requestAlice, []gpsync.ItemDecision{{RepeatItemID: itemStatin, ReasonCode: gpsync.DeclineOther, Reason: "  "}},
			store.ReasonInvalidInput, "say why"},
		{"item twice", requestAlice, []gpsync.ItemDecision{{RepeatItemID: itemStatin, Approve: true}, {RepeatItemID: itemStatin, Approve: true}},
			store.ReasonInvalidInput, "decided once"},
		{"item not on the request", requestAlice, []gpsync.ItemDecision{{RepeatItemID: itemOlga, Approve: true}}, store.ReasonNotFound, "not part"},
		{"no such request", 9999, []gpsync.ItemDecision{{RepeatItemID: itemStatin, Approve: true}}, store.ReasonNotFound, ""},
		{"one good, one bad", requestAlice, []gpsync.ItemDecision{{RepeatItemID: itemStatin, Approve: true}, {RepeatItemID: itemMetformin}},
			store.ReasonInvalidInput, "choose the reason"},
	} {
		_, err := f.r.DecideRepeats(ctx, nurse, c.request, c.d)
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		wantRefusal(t, err, c.want)
		if !strings.Contains(strings.ToLower(err.Error()), c.says) {
			t.Errorf("%s: %q does not say %q", c.name, err, c.says)
		}
	}
	f.unchanged(before, "refused decisions")
	if e, _ := entry(f.queue(nurse), requestAlice); len(e.Items) != 2 || e.Items[0].Decision != "pending" || e.Items[1].Decision != "pending" {
		t.Fatalf("after refusals %+v", e)
	}
}

func TestDecisionShowsAtOnceAndARejectionPutsItBack(t *testing.T) {
	ctx := context.Background()
	f := newLoopDesk(t)
	opID, err := f.r.DecideRepeats(ctx, nurse, requestAlice, []gpsync.ItemDecision{
		{RepeatItemID: itemStatin, Approve: true, Reason: "ignored on an approval"},
		{RepeatItemID: itemMetformin, ReasonCode: gpsync.DeclineNeedsReview, Reason: " Please book a review. "}})
	if err != nil {
		t.Fatal(err)
	}
	ops := f.pending()
	if len(ops) != 1 || ops[0].ID != opID || ops[0].Kind != gpsync.OpDecideRepeats || ops[0].StaffID != staffNurse {
		t.Fatalf("outbox %+v", ops)
	}
	want := `{"requestId":320,"items":[{"repeatItemId":200,"approve":true},{"repeatItemId":203,"approve":false,"reasonCode":"needs_review","reason":"Please book a review."}]}`
	if string(ops[0].Payload) != want {
		t.Errorf("payload %s\nwant    %s", ops[0].Payload, want)
	}
	// Decided in full here: it leaves the queue and is ready to hand out,
	// waiting for the server.
	if _, ok := entry(f.queue(nurse), requestAlice); ok {
		t.Fatal("a request decided here is still in the queue")
	}
	ready, err := f.r.ReadyToHandOut(ctx, reception)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := entry(ready, requestAlice)
	if !ok || !e.Waiting || e.Items[0].Decision != "approved" || e.Items[1].Decision != "declined" || e.Items[1].ReasonCode != gpsync.DeclineNeedsReview ||
		e.Items[1].Reason != "Please book a review." {
		t.Fatalf("ready to hand out %+v", ready)
	}
	// Deciding it again here is refused, and says so.
	_, err = f.r.DecideRepeats(ctx, second, requestAlice, []gpsync.ItemDecision{{RepeatItemID: itemStatin, Approve: true}})
	wantRefusal(t, err, store.ReasonAlreadyDecided)

	// The server says another prescriber got there first.
	const said = "Dr Sam Second decided this request at 09:01. Nothing you chose was recorded."
	f.record(rejectedResult(opID, store.ReasonAlreadyDecided, said))
	e, ok = entry(f.queue(nurse), requestAlice)
	if !ok || e.Waiting || e.Items[0].Decision != "pending" || e.Items[1].Decision != "pending" {
		t.Fatalf("after the rejection the request is not pending again: %+v", e)
	}
	att, err := f.r.AttentionForStaff(ctx, nurse)
	if err != nil || len(att) != 1 || att[0].OpID != opID || att[0].Message != said || att[0].Kind != gpsync.OpDecideRepeats {
		t.Fatalf("nurse's attention %+v %v", att, err)
	}
	if att, err := f.r.AttentionForStaff(ctx, second); err != nil || len(att) != 0 {
		t.Fatalf("another clinician sees the nurse's attention item: %+v %v", att, err)
	}
	if _, err := f.r.AttentionForStaff(ctx, StaffMember{}); err == nil {
		t.Fatal("attention without signing in")
	}
}

func TestPartDecidedRequestStaysWaiting(t *testing.T) {
	ctx := context.Background()
	f := newLoopDesk(t)
	opID, err := f.r.DecideRepeats(ctx, nurse, requestAlice, []gpsync.ItemDecision{{RepeatItemID: itemStatin, Approve: true}})
	if err != nil {
		t.Fatal(err)
	}
	e, ok := entry(f.queue(nurse), requestAlice)
	if !ok || !e.Waiting || e.Items[0].Decision != "approved" || e.Items[1].Decision != "pending" {
		t.Fatalf("part decided %+v", e)
	}
	// Approval moves the ready-by day by the working-day rule (2 working
	// days from Tuesday is Thursday 11 June, the day first promised).
	if e.ReadyBy.String() != "2026-06-11" {
		t.Errorf("ready by %s", e.ReadyBy)
	}
	if ready, _ := f.r.ReadyToHandOut(ctx, reception); len(ready) != 0 {
		t.Fatalf("a request with an item still pending is ready to hand out: %+v", ready)
	}
	// Applied; the server names its own day; the feed then agrees.
	f.record(appliedResult(opID, gpsync.DecideRepeatsResult{ReadyBy: "2026-06-12"}))
	if e, _ := entry(f.queue(nurse), requestAlice); e.Waiting || e.ReadyBy.String() != "2026-06-12" || e.Items[0].Decision != "approved" {
		t.Fatalf("applied, before the feed %+v", e)
	}
	f.apply(change(gpsync.EntityRepeatRequest, requestAlice, gpsync.RepeatRequestData{PatientID: alice, Status: "pending", ReadyBy: "2026-06-12",
		Items: []gpsync.RepeatRequestItemData{{RepeatItemID: itemStatin, Decision: "approved", DecidedBy: staffNurse, DecidedAt: ptr(testNow)},
			{RepeatItemID: itemMetformin, Decision: "pending"}}}))
	if n := f.count("local_decisions"); n != 0 {
		t.Errorf("%d local decisions kept after the feed agreed", n)
	}
	// Now decided on the server by the nurse: another prescriber is told who.
	_, err = f.r.DecideRepeats(ctx, second, requestAlice, []gpsync.ItemDecision{{RepeatItemID: itemStatin, Approve: true}})
	wantRefusal(t, err, store.ReasonAlreadyDecided)
	if want := "Atorvastatin was already approved by Nia Nurse at 09:00 on Tuesday 9 June."; err.Error() != want {
		t.Errorf("said %q, want %q", err, want)
	}
	// The last item, declined for another reason in the prescriber's words.
	if _, err := f.r.DecideRepeats(ctx, second, requestAlice, []gpsync.ItemDecision{{RepeatItemID: itemMetformin,
		ReasonCode: gpsync.DeclineOther, Reason: "Your kidney test is due first."}}); err != nil {
		t.Fatal(err)
	}
	if _, ok := entry(f.queue(nurse), requestAlice); ok {
		t.Fatal("fully decided request still queued")
	}
}

func TestHandOut(t *testing.T) {
	ctx := context.Background()
	f := newLoopDesk(t)
	before := f.counts()
	_, err := f.r.HandOutRepeats(ctx, reception, requestAlice, gpsync.HandedOutCollected)
	wantRefusal(t, err, store.ReasonInvalidInput) // nothing approved yet
	_, err = f.r.HandOutRepeats(ctx, reception, 9999, gpsync.HandedOutCollected)
	wantRefusal(t, err, store.ReasonNotFound)
	f.unchanged(before, "refused hand-outs")

	f.apply(change(gpsync.EntityRepeatRequest, requestAlice, gpsync.RepeatRequestData{PatientID: alice, Status: "completed", ReadyBy: "2026-06-11",
		RequestedAt: ptr(testNow.Add(-3 * time.Hour)), Items: []gpsync.RepeatRequestItemData{{RepeatItemID: itemStatin, Decision: "approved"},
			{RepeatItemID: itemMetformin, Decision: "declined", ReasonCode: gpsync.DeclineTooEarly}}}))
	before = f.counts()
	_, err = f.r.HandOutRepeats(ctx, reception, requestAlice, "posted")
	wantRefusal(t, err, store.ReasonInvalidInput)
	f.unchanged(before, "a hand-out of an unknown kind")

	ready, err := f.r.ReadyToHandOut(ctx, reception)
	if err != nil || len(ready) != 1 || ready[0].RequestID != requestAlice || ready[0].Waiting {
		t.Fatalf("ready %+v %v", ready, err)
	}
	opID, err := f.r.HandOutRepeats(ctx, manager, requestAlice, gpsync.HandedOutPharmacy)
	if err != nil {
		t.Fatal(err)
	}
	if ready, _ := f.r.ReadyToHandOut(ctx, reception); len(ready) != 0 {
		t.Fatalf("handed out here, still listed %+v", ready)
	}
	_, err = f.r.HandOutRepeats(ctx, reception, requestAlice, gpsync.HandedOutCollected)
	wantRefusal(t, err, store.ReasonAlreadyHandled)
	if ops := f.pending(); len(ops) != 1 || ops[0].StaffID != staffManager || string(ops[0].Payload) != `{"requestId":320,"how":"pharmacy"}` {
		t.Fatalf("outbox %+v", ops)
	}
	f.record(rejectedResult(opID, store.ReasonInvalidInput, "That request is not ready to hand out."))
	if ready, _ := f.r.ReadyToHandOut(ctx, reception); len(ready) != 1 {
		t.Fatal("a refused hand-out did not put the request back")
	}
}

func TestDayListAndOutcomes(t *testing.T) {
	ctx := context.Background()
	f := newLoopDesk(t)
	// A booking made here for today, not yet confirmed.
	b, err := f.r.BookFor(ctx, reception, tom, slotTooSoon)
	if err != nil {
		t.Fatal(err)
	}
	list, err := f.r.DayList(ctx, reception, today)
	if err != nil {
		t.Fatal(err)
	}
	// By clinician name (Dr Amy Patel before Nurse Ben Okafor), then time;
	// tom's cancelled one left out.
	if len(list) != 3 || list[0].PatientID != tom || list[0].AppointmentID != 0 || !list[0].Waiting ||
		list[1].AppointmentID != apptAlice || list[2].AppointmentID != apptUna {
		t.Fatalf("day list %+v", list)
	}
	u := list[2]
	if u.PatientName != "Una Evans" || u.DateOfBirth != dobUna || u.NHSNumber != "9990000034" || u.ClinicianName != "Nurse Ben Okafor" ||
		u.SlotTypeName != "Urgent" || u.Status != store.StatusBooked || u.Waiting || !u.StartsAt.Equal(testNow.Add(2*time.Hour)) {
		t.Fatalf("una's row %+v", u)
	}
	if l, _ := f.r.DayList(ctx, reception, today.AddDays(1)); len(l) != 0 {
		t.Fatalf("tomorrow's list has today's: %+v", l)
	}

	before := f.counts()
	for _, c := range []struct {
		id     int64
		status string
		want   store.Reason
	}{
		{apptUna, "late", store.ReasonInvalidInput},
		{apptUna, store.StatusCancelled, store.ReasonInvalidInput},
		{apptTomGone, store.StatusArrived, store.ReasonInvalidInput}, // closed
		{9999, store.StatusArrived, store.ReasonNotFound},
		{0, store.StatusArrived, store.ReasonNotFound}, // not confirmed yet
	} {
		_, err := f.r.RecordOutcome(ctx, reception, c.id, c.status)
		wantRefusal(t, err, c.want)
	}
	f.unchanged(before, "refused outcomes")

	arrived, err := f.r.RecordOutcome(ctx, nurse, apptUna, store.StatusArrived)
	if err != nil {
		t.Fatal(err)
	}
	if l, _ := f.r.DayList(ctx, reception, today); l[2].Status != store.StatusArrived || !l[2].Waiting || !l[2].StatusChangedAt.Equal(testNow) {
		t.Fatalf("arrived here %+v", l[2])
	}
	dna, err := f.r.RecordOutcome(ctx, reception, apptUna, store.StatusDidNotAttend)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.r.RecordOutcome(ctx, nurse, apptUna, store.StatusSeen)
	wantRefusal(t, err, store.ReasonInvalidInput) // did not attend closes it
	f.record(appliedResult(arrived, nil), rejectedResult(dna, store.ReasonInvalidInput, "That appointment is already closed."))
	if l, _ := f.r.DayList(ctx, reception, today); l[2].Status != store.StatusArrived || l[2].Waiting {
		t.Fatalf("after the did-not-attend was refused %+v", l[2])
	}
	if att, _ := f.r.AttentionForStaff(ctx, reception); len(att) != 1 || att[0].OpID != dna {
		t.Fatalf("reception's attention %+v", att)
	}
	// The feed agrees with what was applied; the local outcome retires.
	f.apply(change(gpsync.EntityAppointment, apptUna, gpsync.AppointmentData{SlotID: slotUnaToday, PatientID: una, Channel: "kiosk",
		Status: store.StatusArrived, BookedAt: testNow.Add(-24 * time.Hour), StatusChangedAt: ptr(testNow.Add(-time.Minute))}))
	if n := f.count("local_outcomes"); n != 0 {
		t.Errorf("%d local outcomes kept", n)
	}
	if l, _ := f.r.DayList(ctx, reception, today); !l[2].StatusChangedAt.Equal(testNow.Add(-time.Minute)) {
		t.Errorf("status time is not the server's: %+v", l[2])
	}
	if ops := f.pending(); len(ops) != 1 || ops[0].ID != b.OpID || ops[0].StaffID != staffReception {
		t.Fatalf("outbox %+v", ops)
	}
}

func TestInbox(t *testing.T) {
	ctx := context.Background()
	f := newLoopDesk(t)
	f.apply(loopChanges()[3:]...)
	f.apply(change(gpsync.EntityHelpRequest, 602, gpsync.AlertData{DeviceName: "Kiosk 2", Text: "old", RaisedAt: testNow.Add(-50 * time.Hour),
		Status: gpsync.AlertResolved, HandledBy: staffReception, HandledAt: ptr(testNow.Add(-49 * time.Hour))}))
	if n, err := f.r.OpenAlertCount(ctx); err != nil || n != 1 {
		t.Fatalf("open %d %v", n, err)
	}
	list, err := f.r.Alerts(ctx, reception)
	if err != nil {
		t.Fatal(err)
	}
	// Oldest raised first; the one resolved two days ago is gone.
	if len(list) != 2 || list[0].ID != problemReport || list[1].ID != helpAtKiosk {
		t.Fatalf("inbox %+v", list)
	}
	if p := list[0]; p.Status != gpsync.AlertAcknowledged || p.HandledBy != "Rita Reception" || p.DeviceName != "Waiting room kiosk" ||
		p.Category != "printer" || p.Reporter != "patient" || p.Text != "No slip came out" {
		t.Fatalf("problem report %+v", p)
	}

	before := f.counts()
	for _, c := range []struct {
		entity, action string
		id             int64
		want           store.Reason
	}{
		{gpsync.EntityProblemReport, gpsync.AlertAcknowledged, problemReport, store.ReasonAlreadyHandled},
		{gpsync.EntityHelpRequest, gpsync.AlertOpen, helpAtKiosk, store.ReasonInvalidInput},
		{gpsync.EntityAppointment, gpsync.AlertResolved, helpAtKiosk, store.ReasonInvalidInput},
		{gpsync.EntityHelpRequest, gpsync.AlertResolved, 9999, store.ReasonNotFound},
		{gpsync.EntityProblemReport, gpsync.AlertResolved, helpAtKiosk, store.ReasonNotFound},
	} {
		_, err := f.r.HandleAlert(ctx, manager, c.entity, c.id, c.action)
		wantRefusal(t, err, c.want)
	}
	f.unchanged(before, "refused inbox actions")
	_, err = f.r.HandleAlert(ctx, manager, gpsync.EntityProblemReport, problemReport, gpsync.AlertAcknowledged)
	if want := "Rita Reception already acknowledged this at 08:52 on Tuesday 9 June."; err == nil || err.Error() != want {
		t.Errorf("said %v, want %q", err, want)
	}

	ack, err := f.r.HandleAlert(ctx, manager, gpsync.EntityHelpRequest, helpAtKiosk, gpsync.AlertAcknowledged)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := f.r.OpenAlertCount(ctx); n != 0 {
		t.Fatalf("badge %d after acknowledging", n)
	}
	list, _ = f.r.Alerts(ctx, reception)
	if h := list[1]; h.Status != gpsync.AlertAcknowledged || h.HandledBy != "Mo Manager" || !h.Waiting || !h.HandledAt.Equal(testNow) {
		t.Fatalf("acknowledged here %+v", h)
	}
	f.clock.Advance(time.Minute)
	if _, err := f.r.HandleAlert(ctx, reception, gpsync.EntityHelpRequest, helpAtKiosk, gpsync.AlertResolved); err != nil {
		t.Fatal(err)
	}
	list, _ = f.r.Alerts(ctx, reception)
	if len(list) != 2 || list[1].ID != helpAtKiosk || list[1].Status != gpsync.AlertResolved || list[1].HandledBy != "Rita Reception" {
		t.Fatalf("resolved goes last %+v", list)
	}
	_, err = f.r.HandleAlert(ctx, manager, gpsync.EntityHelpRequest, helpAtKiosk, gpsync.AlertResolved)
	wantRefusal(t, err, store.ReasonAlreadyHandled)
	// The acknowledgement is refused (someone else did it first): the
	// resolution made after it still stands.
	f.record(rejectedResult(ack, store.ReasonAlreadyHandled, "Rita Reception already acknowledged this."))
	if list, _ = f.r.Alerts(ctx, reception); list[1].Status != gpsync.AlertResolved {
		t.Fatalf("after the refusal %+v", list)
	}
	if att, _ := f.r.AttentionForStaff(ctx, manager); len(att) != 1 || att[0].OpID != ack {
		t.Fatalf("manager's attention %+v", att)
	}
}

func TestReceptionBooksAndCancelsAtTheDesk(t *testing.T) {
	ctx := context.Background()
	f := newLoopDesk(t)
	slots, err := f.r.ReceptionSlots(ctx, reception, una, today, 2)
	if err != nil {
		t.Fatal(err)
	}
	ids := slotIDs(slots)
	// Reception may offer a reception-only slot and a slot too soon for
	// online booking; never one taken or held by a kiosk's lease.
	for _, want := range []int64{slotReceptionOnly, slotTooSoon, slotFree} {
		found := false
		for _, id := range ids {
			found = found || id == want
		}
		if !found {
			t.Errorf("slot %d not offered at the desk: %v", want, ids)
		}
	}
	for _, id := range ids {
		if id == slotTaken || id == slotHeldByOther {
			t.Errorf("slot %d offered", id)
		}
	}
	before := f.counts()
	_, err = f.r.BookFor(ctx, reception, una, 9999)
	wantRefusal(t, err, store.ReasonNotFound) // the slot is gone
	_, err = f.r.BookFor(ctx, reception, una, slotTaken)
	wantRefusal(t, err, store.ReasonSlotTaken)
	_, err = f.r.BookFor(ctx, reception, 9999, slotFree)
	wantRefusal(t, err, store.ReasonNotFound)
	f.unchanged(before, "refused bookings")

	b, err := f.r.BookFor(ctx, reception, una, slotReceptionOnly)
	if err != nil || b.State != StateProvisional {
		t.Fatalf("booked %+v %v", b, err)
	}
	as, err := f.r.AppointmentsFor(ctx, reception, una)
	if err != nil || len(as) != 2 {
		t.Fatalf("una's appointments %+v %v", as, err)
	}
	cancel, err := f.r.CancelFor(ctx, nurse, una, b.Ref)
	if err != nil {
		t.Fatal(err)
	}
	ops := f.pending()
	if len(ops) != 1 || ops[0].ID != b.OpID || ops[0].StaffID != staffReception {
		t.Fatalf("outbox %+v (the cancel waits for the booking)", ops)
	}
	f.record(appliedResult(b.OpID, gpsync.BookResult{AppointmentID: 5005}))
	ops = f.pending()
	if len(ops) != 1 || ops[0].ID != cancel || ops[0].StaffID != staffNurse || ops[0].Kind != gpsync.OpCancelAppointment {
		t.Fatalf("outbox %+v", ops)
	}
}

// A desk with no server at all: every action shows at once and queues
// exactly one op, in order, named for who made it; a resync keeps them.
func TestDeskWorksOfflineOneOpEach(t *testing.T) {
	ctx := context.Background()
	f := newLoopDesk(t)
	f.apply(append(loopChanges()[3:], change(gpsync.EntityRepeatRequest, 322, gpsync.RepeatRequestData{PatientID: una, Status: "completed",
		ReadyBy: "2026-06-10", Items: []gpsync.RepeatRequestItemData{{RepeatItemID: itemOlga, Decision: "approved"}}}))...)
	var made []string
	add := func(id string, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, id)
	}
	add(f.r.DecideRepeats(ctx, nurse, requestOlga, []gpsync.ItemDecision{{RepeatItemID: itemOlga, ReasonCode: gpsync.DeclineNotOnRepeat}}))
	add(f.r.HandOutRepeats(ctx, reception, 322, gpsync.HandedOutCollected))
	add(f.r.RecordOutcome(ctx, reception, apptUna, store.StatusArrived))
	add(f.r.HandleAlert(ctx, reception, gpsync.EntityHelpRequest, helpAtKiosk, gpsync.AlertAcknowledged))
	b, err := f.r.BookFor(ctx, reception, una, slotFree)
	add(b.OpID, err)
	add(f.r.CancelFor(ctx, reception, alice, Ref{ServerID: apptAlice}))

	check := func(when string) {
		t.Helper()
		if _, ok := entry(f.queue(nurse), requestOlga); ok {
			t.Errorf("%s: olga's request still waits for a prescriber", when)
		}
		if ready, _ := f.r.ReadyToHandOut(ctx, reception); len(ready) != 0 {
			t.Errorf("%s: still to hand out %+v", when, ready)
		}
		if n, _ := f.r.OpenAlertCount(ctx); n != 0 {
			t.Errorf("%s: %d open alerts", when, n)
		}
		if as, _ := f.r.AppointmentsFor(ctx, reception, una); len(as) != 2 || as[1].Ref != b.Ref || as[1].State != StateProvisional {
			t.Errorf("%s: una's appointments %+v", when, as)
		}
		if as, _ := f.r.AppointmentsFor(ctx, reception, alice); len(as) != 0 {
			t.Errorf("%s: alice's cancelled appointment still shows %+v", when, as)
		}
	}
	check("offline")
	if l, _ := f.r.DayList(ctx, reception, today); len(l) != 1 || l[0].Status != store.StatusArrived || !l[0].Waiting {
		t.Errorf("offline day list %+v", l) // alice's is cancelled here; una's arrived
	}
	ops := f.pending()
	var got []string
	for _, o := range ops {
		got = append(got, o.ID)
		if o.StaffID == 0 {
			t.Errorf("op %s (%s) names nobody", o.ID, o.Kind)
		}
	}
	if strings.Join(got, ",") != strings.Join(made, ",") {
		t.Fatalf("outbox %v, want one op per action in order %v", got, made)
	}
	if ops[0].StaffID != staffNurse || ops[1].StaffID != staffReception {
		t.Errorf("ops name %d and %d", ops[0].StaffID, ops[1].StaffID)
	}
	// The server was restored from a backup: what was done here and not
	// yet answered still shows.
	if err := f.r.ResetForResync(ctx); err != nil {
		t.Fatal(err)
	}
	f.cursor = 0
	f.apply(baseChanges()...)
	f.apply(append(newLoopDeskChanges(t), loopChanges()[3:]...)...)
	f.apply(change(gpsync.EntityRepeatRequest, 322, gpsync.RepeatRequestData{PatientID: una, Status: "completed",
		ReadyBy: "2026-06-10", Items: []gpsync.RepeatRequestItemData{{RepeatItemID: itemOlga, Decision: "approved"}}}))
	check("after a resync")
	if n := len(f.pending()); n != len(made) {
		t.Fatalf("%d ops after a resync, want %d", n, len(made))
	}
}
