package server

import (
	"encoding/json"
	"errors"
	"regexp"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// Every op kind a device may send becomes the store request of the same
// name: the name is what the store records with each applied op, and what
// a desktop asks store.StaffMay about before it queues one.
func TestEveryOpKindIsTheStoreRequestOfItsName(t *testing.T) {
	kinds := []string{gpsync.OpBook, gpsync.OpCancelAppointment, gpsync.OpOrderRepeats, gpsync.OpCancelRequest,
		gpsync.OpReportProblem, gpsync.OpAskForHelp, gpsync.OpAcknowledgeOutcome, gpsync.OpCountLesson,
		gpsync.OpLinkProxy, gpsync.OpRegisterOnline, gpsync.OpRecordView, gpsync.OpDecideRepeats,
		gpsync.OpHandOutRepeats, gpsync.OpRecordOutcome, gpsync.OpHandleAlert}
	seen := map[store.RequestKind]bool{}
	for i, kind := range kinds {
		cmd, err := DecodeOp(gpsync.Op{ID: "00000000-0000-4000-8000-00000000000" + string(rune('a'+i%6)), Kind: kind,
			CreatedAt: time.Unix(1, 0), Payload: json.RawMessage(`{}`)})
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		got := cmd.Kind()
		if string(got) != kind || seen[got] {
			t.Fatalf("op %s became a %s request", kind, got)
		}
		seen[got] = true
	}
	if _, err := DecodeOp(gpsync.Op{ID: "00000000-0000-4000-8000-000000000001", Kind: "book_everything", CreatedAt: time.Unix(1, 0),
		Payload: json.RawMessage(`{}`)}); !errors.Is(err, ErrUnknownOpKind) {
		t.Fatalf("an op kind the server does not know: %v", err)
	}
}

// The shape of a payload is the protocol's: a field it does not know, or
// a second value after it, refuses the op (and so the whole batch).
func TestDecodeOpRefusesWhatTheProtocolDoesNotSay(t *testing.T) {
	at := time.Date(2026, 6, 8, 9, 0, 0, 0, time.UTC)
	for name, op := range map[string]gpsync.Op{
		"a lesson count naming a patient": {ID: "00000000-0000-4000-8000-000000000001", Kind: gpsync.OpCountLesson, CreatedAt: at,
			Payload: json.RawMessage(`{"lesson":"book","day":"2026-06-08","patientId":7}`)},
		"trailing data": {ID: "00000000-0000-4000-8000-000000000001", Kind: gpsync.OpAskForHelp, CreatedAt: at,
			Payload: json.RawMessage(`{"note":"a"}{"note":"b"}`)},
		"an ID that is not a UUID": {ID: "op-1", Kind: gpsync.OpAskForHelp, CreatedAt: at, Payload: json.RawMessage(`{}`)},
		"no time":                  {ID: "00000000-0000-4000-8000-000000000001", Kind: gpsync.OpAskForHelp, Payload: json.RawMessage(`{}`)},
		"a check-in code that is not one": {ID: "00000000-0000-4000-8000-000000000001", Kind: gpsync.OpBook, CreatedAt: at,
			Payload: json.RawMessage(`{"slotId":1,"patientId":2,"checkInCode":"not-a-code"}`)},
	} {
		if _, err := DecodeOp(op); !errors.Is(err, ErrMalformedOp) {
			t.Errorf("%s: %v, want malformed", name, err)
		}
	}
}

// An op sent again (the device never heard the answer) is answered with
// the very bytes of the first answer, whatever the op made.
func TestReplaysAnswerWithTheFirstResultForEveryKindOfResult(t *testing.T) {
	p := newPractice(t)
	k := p.enrol(t, "kiosk")
	patient := p.kioskPts[0]
	slot := freeKioskSlot(t, p, patient)
	today := p.st.Now().In(p.st.Location()).Format(time.DateOnly)
	ops := []gpsync.Op{
		newOp(t, 1, gpsync.OpBook, gpsync.BookPayload{SlotID: slot, PatientID: patient}),
		newOp(t, 2, gpsync.OpAskForHelp, gpsync.AskForHelpPayload{Note: "at the kiosk"}),
		newOp(t, 3, gpsync.OpReportProblem, gpsync.ReportProblemPayload{Category: "printer", Description: "No slip"}),
		newOp(t, 4, gpsync.OpCountLesson, gpsync.CountLessonPayload{Lesson: "book", Day: today}),
		newOp(t, 5, gpsync.OpBook, gpsync.BookPayload{SlotID: slot, PatientID: p.kioskPts[1]}), // taken: refused
	}
	first := p.push(t, k.Token, ops...)
	shapes := []string{`^\{"appointmentId":[1-9][0-9]*\}$`, `^\{"id":[1-9][0-9]*\}$`, `^\{"id":[1-9][0-9]*\}$`, `^\{\}$`, `^$`}
	for i, want := range shapes {
		if !regexp.MustCompile(want).Match(first[i].Result) {
			t.Fatalf("op %d (%s): result %s, want %s", i, ops[i].Kind, first[i].Result, want)
		}
	}
	if first[4].Status != gpsync.OpRejected || first[4].Reason != "slot_taken" {
		t.Fatalf("booking a taken slot: %+v", first[4])
	}
	again := p.push(t, k.Token, ops...)
	for i := range ops {
		a, b := first[i], again[i]
		if a.ID != b.ID || a.Status != b.Status || a.Reason != b.Reason || a.Message != b.Message || string(a.Result) != string(b.Result) {
			t.Fatalf("op %d (%s) replayed as %+v, first %+v", i, ops[i].Kind, b, a)
		}
	}
}
