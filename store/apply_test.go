package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// A request recorded before an upgrade is answered from its record after
// it: a device that never heard the answer gets the same one, and nothing
// is done twice.
func TestRecordedOutcomesReplayAcrossAnUpgrade(t *testing.T) {
	lf := newLoopFixture(t)
	ctx := context.Background()
	for _, c := range []struct {
		key, kind, status, reason, message, result string
		cmd                                        Command
		want                                       Outcome
	}{
		{"00000000-0000-4000-8000-00000000a001", "order_repeats", "applied", "", "", `{"requestId":5,"readyBy":"2026-06-10"}`,
			OrderRepeats{PatientID: lf.patient, ItemIDs: []int64{lf.amlo}}, Outcome{Made: RepeatsOrdered{RequestID: 5, ReadyBy: "2026-06-10"}}},
		{"00000000-0000-4000-8000-00000000a002", "book", "applied", "", "", `{"appointmentId":12}`,
			Book{SlotID: 1, PatientID: lf.patient}, Outcome{Made: Booked{AppointmentID: 12}}},
		{"00000000-0000-4000-8000-00000000a003", "decide_repeats", "applied", "", "", `{"readyBy":""}`,
			DecideRepeats{RequestID: 5}, Outcome{Made: RepeatsDecided{}}},
		{"00000000-0000-4000-8000-00000000a004", "record_outcome", "applied", "", "", `{}`,
			RecordOutcome{AppointmentID: 12, Status: StatusSeen}, Outcome{}},
		{"00000000-0000-4000-8000-00000000a005", "book", "rejected", "slot_taken", "Someone else has just booked that time.", "",
			Book{SlotID: 1, PatientID: lf.patient}, Outcome{Refusal: &RuleError{Reason: ReasonSlotTaken, Message: "Someone else has just booked that time."}}},
	} {
		if _, err := lf.st.write.ExecContext(ctx, `INSERT INTO applied_ops (op_id, device_id, kind, status, reason, message, result, created_at, applied_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1)`, c.key, lf.kiosk.ID, c.kind, c.status, c.reason, c.message, c.result); err != nil {
			t.Fatal(err)
		}
		before := lf.snapshot(t)
		got, err := lf.st.Apply(ctx, Request{Key: c.key, Device: lf.kiosk, MadeAt: lf.clock.Now(), Command: c.cmd})
		if err != nil {
			t.Fatalf("%s: %v", c.kind, err)
		}
		same := got.Made == c.want.Made && (got.Refusal == nil) == (c.want.Refusal == nil) &&
			(got.Refusal == nil || (got.Refusal.Reason == c.want.Refusal.Reason && got.Refusal.Message == c.want.Refusal.Message))
		if !same {
			t.Errorf("%s %s replayed as %+v, want %+v", c.kind, c.result, got, c.want)
		}
		if lf.snapshot(t) != before {
			t.Errorf("%s: the replay changed the practice's data", c.kind)
		}
	}
}

// The store on its own refuses a request that says nothing of who, when
// or what, rather than recording it.
func TestApplyRefusesAnIncompleteRequest(t *testing.T) {
	lf := newLoopFixture(t)
	for name, req := range map[string]Request{
		"no key":     {Device: lf.kiosk, MadeAt: lf.clock.Now(), Command: AskForHelp{}},
		"no time":    {Key: "k", Device: lf.kiosk, Command: AskForHelp{}},
		"no command": {Key: "k", Device: lf.kiosk, MadeAt: lf.clock.Now()},
	} {
		if _, err := lf.st.Apply(context.Background(), req); !errors.Is(err, ErrIncompleteRequest) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := lf.count(t, "SELECT count(*) FROM applied_ops"); n != 0 {
		t.Fatalf("%d incomplete requests recorded", n)
	}
}

// A request sent again is answered with what the first one made, for each
// kind of thing a request makes, and makes nothing more.
func TestReplayGivesWhatTheFirstRequestMade(t *testing.T) {
	lf := newLoopFixture(t)
	ctx := context.Background()
	slot := lf.slotAt(t, lf.monday.AddDays(1), 9, 0)
	for i, cmd := range []Command{
		Book{SlotID: slot, PatientID: lf.patient},
		OrderRepeats{PatientID: lf.patient, ItemIDs: []int64{lf.amlo}},
		AskForHelp{Note: "at the kiosk"},
		ReportProblem{Category: "printer", Description: "No slip came out"},
	} {
		req := Request{Key: fmt.Sprintf("00000000-0000-4000-8000-00000000b%03d", i), Device: lf.kiosk, MadeAt: lf.clock.Now(), Command: cmd}
		req = lf.proved(t, req)
		first, err := lf.st.Apply(ctx, req)
		if err != nil || !first.Applied() || first.Made == nil {
			t.Fatalf("%s: %+v %v", cmd.Kind(), first, err)
		}
		before := lf.snapshot(t)
		again, err := lf.st.Apply(ctx, req)
		if err != nil || again.Made != first.Made || !again.Applied() {
			t.Fatalf("%s replayed as %+v (%v), first %+v", cmd.Kind(), again, err, first)
		}
		if lf.snapshot(t) != before {
			t.Fatalf("%s: the replay changed the practice's data", cmd.Kind())
		}
	}
}

// A kiosk acts only for patients registered to use it; reception acts for
// anyone registered with the practice.
func TestKioskActsOnlyForKioskRegisteredPatients(t *testing.T) {
	lf := newLoopFixture(t)
	stranger := lf.addPatient(t, "Stranger", "999000002", "1970-01-01")
	slot := lf.slotAt(t, lf.monday.AddDays(1), 9, 0)
	// With no kiosk letter there is no key to prove a request with, so the
	// kiosk is told only that it could not show who asked.
	lf.refused(t, ReasonNotProven, lf.kiosk, 0, Book{SlotID: slot, PatientID: stranger})
	lf.refused(t, ReasonNotProven, lf.kiosk, 0, OrderRepeats{PatientID: stranger, ItemIDs: []int64{lf.amlo}})
	// A desktop acts for anyone, but only as a member of staff who proves
	// it: its token alone is not enough.
	lf.refused(t, ReasonStaffNotAllowed, lf.desk, 0, Book{SlotID: slot, PatientID: stranger})
	made[Booked](t, lf.apply(t, lf.desk, lf.recep, Book{SlotID: slot, PatientID: stranger}))
}

// A problem report's words are bounded where the kiosk's keys stop: the
// description at MaxProblemChars letters, the category at 80.
func TestProblemReportLengths(t *testing.T) {
	lf := newLoopFixture(t)
	made[Created](t, lf.apply(t, lf.kiosk, 0, ReportProblem{Category: strings.Repeat("c", 80), Description: strings.Repeat("é", MaxProblemChars)}))
	lf.refused(t, ReasonInvalidInput, lf.kiosk, 0, ReportProblem{Category: "printer", Description: strings.Repeat("é", MaxProblemChars+1)})
	lf.refused(t, ReasonInvalidInput, lf.kiosk, 0, ReportProblem{Category: strings.Repeat("c", 81), Description: "No slip"})
	lf.refused(t, ReasonInvalidInput, lf.kiosk, 0, ReportProblem{Category: " ", Description: "No slip"})
	made[Created](t, lf.apply(t, lf.kiosk, 0, AskForHelp{Note: strings.Repeat("n", 200)}))
	lf.refused(t, ReasonInvalidInput, lf.kiosk, 0, AskForHelp{Note: strings.Repeat("n", 201)})
}
