package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// Finding 6 of the security test: an op ID reused for a different action
// was acknowledged as applied and did nothing, and the same UUID in upper
// case counted as a new op.
func TestOpIDIsTheActionNotJustTheID(t *testing.T) {
	p := newPractice(t)
	k := p.enrol(t, "kiosk")
	patient := p.kioskPts[0]
	slot := freeKioskSlot(t, p, patient)
	book := newOp(t, 1, gpsync.OpBook, gpsync.BookPayload{SlotID: slot, PatientID: patient})
	var booked gpsync.BookResult
	wantApplied(t, "book", p.push(t, k.Token, book)[0], &booked)

	cancel := newOp(t, 1, gpsync.OpCancelAppointment, gpsync.CancelAppointmentPayload{AppointmentID: booked.AppointmentID, PatientID: patient})
	wantRejected(t, "a cancel sent with the booking's ID", p.push(t, k.Token, cancel)[0], "op_id_conflict")
	other := newOp(t, 1, gpsync.OpBook, gpsync.BookPayload{SlotID: freeKioskSlot(t, p, patient, slot), PatientID: patient})
	wantRejected(t, "another booking sent with the booking's ID", p.push(t, k.Token, other)[0], "op_id_conflict")
	if appts, _ := p.st.Appointments(context.Background(), patient, store.StatusBooked); len(appts) != 1 || appts[0].ID != booked.AppointmentID {
		t.Fatalf("after the conflicting ops: %+v, want the one booking", appts)
	}

	// The same op, its ID in upper case or its payload spaced out, is a
	// replay: the first answer, and nothing more done.
	upper := book
	upper.ID = strings.ToUpper(book.ID)
	spaced := book
	spaced.Payload = json.RawMessage(" {\n  \"slotId\": " + jsonNumber(slot) + ",\n  \"patientId\": " + jsonNumber(patient) + "\n}")
	for name, op := range map[string]gpsync.Op{"upper-case ID": upper, "spaced payload": spaced} {
		var again gpsync.BookResult
		r := p.push(t, k.Token, op)[0]
		wantApplied(t, name, r, &again)
		if r.ID != op.ID || again != booked {
			t.Errorf("%s: %+v, want the first result %+v under the ID sent", name, r, booked)
		}
	}

	// Two problem reports under one UUID in two cases are one report.
	report := newOp(t, 2, gpsync.OpReportProblem, gpsync.ReportProblemPayload{Category: "screen", Description: "The screen is dim"})
	first := p.push(t, k.Token, report)[0]
	report.ID = strings.ToUpper(report.ID)
	if second := p.push(t, k.Token, report)[0]; string(second.Result) != string(first.Result) {
		t.Errorf("upper-case replay of a report: %s, first %s", second.Result, first.Result)
	}
	var reports int
	if err := readDB(t, p.st).QueryRow("SELECT count(*) FROM problem_reports").Scan(&reports); err != nil || reports != 1 {
		t.Errorf("%d problem reports (%v), want 1", reports, err)
	}
	// One batch naming one UUID in two cases is malformed.
	r := p.do(t, "POST", "/v1/ops", k.Token, gpsync.PushRequest{Ops: []gpsync.Op{newOp(t, 3, gpsync.OpAskForHelp, gpsync.AskForHelpPayload{}),
		func() gpsync.Op {
			o := newOp(t, 3, gpsync.OpAskForHelp, gpsync.AskForHelpPayload{})
			o.ID = strings.ToUpper(o.ID)
			return o
		}()}})
	if r.status != 400 {
		t.Errorf("one UUID twice in a batch: %d %s", r.status, r.body)
	}
}

// readDB opens the practice's file read-only, to look at what the server
// recorded as a practice manager's tools would.
func readDB(t *testing.T, st *store.Store) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+st.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func jsonNumber(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// Finding 2 of the security test: the op's createdAt came from the device
// and decided the rules. A child was registered with createdAt ten years
// ahead, and parental responsibility accepted for an adult with createdAt
// thirty years back.
func TestDeviceClockCannotDecideTheRules(t *testing.T) {
	d := newDesk(t)
	child, _ := d.patientAged(t, 8, 12)
	adult, _ := d.patientAged(t, 30, 60)
	manager := d.staff["manager"]

	ahead := staffOp(t, 1, manager, gpsync.OpRegisterOnline, registration(t, child))
	ahead.CreatedAt = opCreated.AddDate(10, 0, 0)
	wantRejected(t, "a child registered ten years ahead", d.push(t, d.desktop.Token, ahead)[0], "under_minimum_age")

	link := parentLink(adult)
	back := staffOp(t, 2, manager, gpsync.OpLinkProxy, link)
	back.CreatedAt = opCreated.AddDate(-30, 0, 0)
	wantRejected(t, "parental responsibility thirty years back", d.push(t, d.desktop.Token, back)[0], "proxy_basis_not_valid")

	// A letter said to be printed ten years ahead is refused, even when
	// the op's own time is believable.
	reg := registration(t, adult)
	reg.LetterIssuedAt = opCreated.AddDate(10, 0, 0)
	reg.LetterExpiresAt = reg.LetterIssuedAt.Add(store.LetterValidity)
	wantRejected(t, "a letter printed ten years ahead", d.push(t, d.desktop.Token, staffOp(t, 3, manager, gpsync.OpRegisterOnline, reg))[0], "invalid_input")

	// The record keeps the device's word and the time the rules used.
	var claimed, judged int64
	if err := readDB(t, d.st).QueryRow("SELECT created_at, judged_at FROM applied_ops WHERE op_id = ?", ahead.ID).Scan(&claimed, &judged); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 6, 8, 6, 30, 0, 0, time.UTC)
	if claimed != ahead.CreatedAt.Unix() || judged != now.Add(5*time.Minute).Unix() {
		t.Errorf("recorded device time %v and judged %v, want %v and five minutes after %v",
			time.Unix(claimed, 0).UTC(), time.Unix(judged, 0).UTC(), ahead.CreatedAt, now)
	}
}

// A booking made at a kiosk offline over a long weekend is judged at the
// practice's limit of belief (three days back by default), and the audit
// log keeps both times; one made yesterday is judged at its own time.
func TestOldOfflineOpsAreJudgedAtTheAllowance(t *testing.T) {
	p := newPractice(t)
	k := p.enrol(t, "kiosk")
	patient := p.kioskPts[0]
	now := time.Unix(p.now.Load(), 0).UTC()
	yesterday := newOp(t, 1, gpsync.OpAskForHelp, gpsync.AskForHelpPayload{Note: "yesterday"})
	yesterday.CreatedAt = now.Add(-24 * time.Hour)
	weekAgo := newOp(t, 2, gpsync.OpBook, gpsync.BookPayload{SlotID: freeKioskSlot(t, p, patient), PatientID: patient})
	weekAgo.CreatedAt = now.Add(-7 * 24 * time.Hour)
	for _, r := range p.push(t, k.Token, yesterday, weekAgo) {
		wantApplied(t, r.ID, r, nil)
	}
	judged := func(id string) time.Time {
		var at int64
		if err := readDB(t, p.st).QueryRow("SELECT judged_at FROM applied_ops WHERE op_id = ?", id).Scan(&at); err != nil {
			t.Fatal(err)
		}
		return time.Unix(at, 0).UTC()
	}
	if got := judged(yesterday.ID); !got.Equal(yesterday.CreatedAt) {
		t.Errorf("yesterday's op judged at %v", got)
	}
	if got, want := judged(weekAgo.ID), now.Add(-72*time.Hour); !got.Equal(want) {
		t.Errorf("a week-old op judged at %v, want %v", got, want)
	}
	var detail string
	if err := readDB(t, p.st).QueryRow("SELECT detail FROM audit_events WHERE action = 'op.time_bounded'").Scan(&detail); err != nil {
		t.Fatalf("no audit of the bounded time: %v", err)
	}
	if !strings.Contains(detail, weekAgo.CreatedAt.Format(time.RFC3339)) || !strings.Contains(detail, now.Add(-72*time.Hour).Format(time.RFC3339)) {
		t.Errorf("audit detail %q does not keep both times", detail)
	}
}
