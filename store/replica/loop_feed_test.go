package replica

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

const (
	helpAtKiosk   = int64(600)
	problemReport = int64(601)
)

// loopChanges is what the feed sends of the practice's loop: a decided
// request with the desktop-only fields, an appointment's status time, the
// practice letting clinicians handle the inbox, and one of each alert.
func loopChanges() []gpsync.Change {
	st := settingsData()
	st.CliniciansHandleAlerts = true
	return []gpsync.Change{
		change(gpsync.EntitySettings, 1, st),
		change(gpsync.EntityAppointment, apptAlice, gpsync.AppointmentData{SlotID: slotAliceHolds, PatientID: alice,
			Channel: "online", Status: store.StatusArrived, BookedAt: testNow.Add(-48 * time.Hour), StatusChangedAt: ptr(testNow.Add(-time.Minute))}),
		change(gpsync.EntityRepeatRequest, 310, gpsync.RepeatRequestData{PatientID: alice, Status: "completed", ReadyBy: "2026-06-12",
			HandedOut: gpsync.HandedOutPharmacy, OutcomeSeen: true, RequestedAt: ptr(testNow.Add(-72 * time.Hour)), Channel: "kiosk",
			Note: "I am away next week", HandedOutAt: ptr(testNow.Add(-time.Hour)),
			Items: []gpsync.RepeatRequestItemData{{RepeatItemID: itemStatin, Decision: "declined", ReasonCode: gpsync.DeclineTooEarly,
				Reason: "You had some last week.", DecidedBy: staffNurse, DecidedAt: ptr(testNow.Add(-2 * time.Hour))}}}),
		change(gpsync.EntityHelpRequest, helpAtKiosk, gpsync.AlertData{DeviceID: otherDevice, DeviceName: "Waiting room kiosk",
			Text: "Cannot find my letter", RaisedAt: testNow.Add(-5 * time.Minute), Status: gpsync.AlertOpen}),
		change(gpsync.EntityProblemReport, problemReport, gpsync.AlertData{DeviceID: otherDevice, DeviceName: "Waiting room kiosk",
			Reporter: "patient", Category: "printer", Text: "No slip came out", RaisedAt: testNow.Add(-10 * time.Minute),
			Status: gpsync.AlertAcknowledged, HandledBy: staffReception, HandledAt: ptr(testNow.Add(-8 * time.Minute))}),
	}
}

func TestFeedStoresTheLoopOnADesktop(t *testing.T) {
	ctx := context.Background()
	f := newDesktop(t)
	f.apply(loopChanges()...)
	st, err := f.r.Settings(ctx)
	if err != nil || !st.CliniciansHandleAlerts {
		t.Fatalf("settings %+v %v: clinicians may handle the inbox", st, err)
	}
	var changed sql.NullInt64
	if err := f.r.read.QueryRow("SELECT status_changed_at FROM appointments WHERE id = ?", apptAlice).Scan(&changed); err != nil ||
		changed.Int64 != testNow.Add(-time.Minute).Unix() {
		t.Errorf("status changed at %v %v", changed, err)
	}
	var handedOut, channel, note string
	var seen bool
	var requested, handedAt int64
	if err := f.r.read.QueryRow(`SELECT handed_out, outcome_seen, requested_at, channel, note, handed_out_at FROM repeat_requests
		WHERE id = 310`).Scan(&handedOut, &seen, &requested, &channel, &note, &handedAt); err != nil {
		t.Fatal(err)
	}
	if handedOut != gpsync.HandedOutPharmacy || !seen || requested != testNow.Add(-72*time.Hour).Unix() || channel != "kiosk" ||
		note != "I am away next week" || handedAt != testNow.Add(-time.Hour).Unix() {
		t.Errorf("request: %q %v %d %q %q %d", handedOut, seen, requested, channel, note, handedAt)
	}
	var code string
	var by, at int64
	if err := f.r.read.QueryRow("SELECT reason_code, decided_by, decided_at FROM repeat_request_items WHERE request_id = 310").
		Scan(&code, &by, &at); err != nil || code != gpsync.DeclineTooEarly || by != staffNurse || at != testNow.Add(-2*time.Hour).Unix() {
		t.Errorf("item: %q %d %d %v", code, by, at, err)
	}
	if n := f.count("alerts"); n != 2 {
		t.Fatalf("%d alerts stored, want 2", n)
	}
	// A removed alert leaves the inbox.
	f.apply(deleted(gpsync.EntityHelpRequest, helpAtKiosk))
	if n := f.count("alerts WHERE entity = 'help_request'"); n != 0 {
		t.Errorf("%d help requests after the feed removed it", n)
	}
	if n := f.count("alerts WHERE entity = 'problem_report'"); n != 1 {
		t.Errorf("removing a help request took the problem report with the same kind of row")
	}
	// A resync clears the inbox with the rest of the replica.
	if err := f.r.ResetForResync(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count("alerts"); n != 0 {
		t.Errorf("%d alerts after a resync", n)
	}
}

func TestKioskKeepsNoneOfTheDesktopsLoop(t *testing.T) {
	f := newFixture(t, gpsync.RoleKiosk)
	f.apply(loopChanges()...)
	if n := f.count("alerts"); n != 0 {
		t.Fatalf("a kiosk stored %d help requests or problem reports", n)
	}
	if n := f.count("appointments WHERE status_changed_at IS NOT NULL"); n != 0 {
		t.Error("a kiosk stored when an appointment's status changed")
	}
	if n := f.count("repeat_requests WHERE requested_at IS NOT NULL OR channel IS NOT NULL OR note IS NOT NULL OR handed_out_at IS NOT NULL"); n != 0 {
		t.Error("a kiosk stored a request's desktop-only fields (the patient's note among them)")
	}
	if n := f.count("repeat_request_items WHERE decided_by IS NOT NULL OR decided_at IS NOT NULL"); n != 0 {
		t.Error("a kiosk stored who decided an item")
	}
	// What the kiosk needs to tell the patient is kept.
	if n := f.count("repeat_request_items WHERE reason_code = 'too_early'"); n != 1 {
		t.Error("a kiosk lost the decline's reason code")
	}
	if n := f.count("repeat_requests WHERE handed_out = 'pharmacy' AND outcome_seen"); n != 1 {
		t.Error("a kiosk lost how the request was handed out or that its outcome was seen")
	}
}
