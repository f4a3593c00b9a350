package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// Issue 14, findings 5, 7 and 8, through the HTTP API as a device meets
// them: a kiosk probing people at check-in is paused and reported, a
// device flooding the practice with reports is held to a quota and
// reported once, and a kiosk that goes quiet gives its slot leases back.

// deskFeed is every change a desktop pulls, newest state of each row.
func (p *practice) deskFeed(t *testing.T, token string) map[string]map[int64]json.RawMessage {
	t.Helper()
	out := map[string]map[int64]json.RawMessage{}
	for _, c := range p.pullAll(t, token, 1000) {
		if out[c.Entity] == nil {
			out[c.Entity] = map[int64]json.RawMessage{}
		}
		if c.Deleted {
			delete(out[c.Entity], c.ID)
			continue
		}
		out[c.Entity][c.ID] = c.Data
	}
	return out
}

// systemAlerts are the problem reports in a desktop's inbox that the
// server raised about device, by category.
func systemAlerts(t *testing.T, feed map[string]map[int64]json.RawMessage, device, category string) []gpsync.AlertData {
	t.Helper()
	var out []gpsync.AlertData
	for _, raw := range feed[gpsync.EntityProblemReport] {
		var a gpsync.AlertData
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatal(err)
		}
		if a.Reporter == "system" && a.DeviceID == device && a.Category == category {
			out = append(out, a)
		}
	}
	return out
}

func (p *practice) checkIn(t *testing.T, token string, body gpsync.CheckInRequest) (gpsync.CheckInResponse, string) {
	t.Helper()
	r := p.do(t, "POST", "/v1/checkin", token, body)
	var got gpsync.CheckInResponse
	if r.status != 200 {
		t.Fatalf("check-in: %d %s", r.status, r.body)
	}
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	return got, string(r.body)
}

// Finding 5: a kiosk token trying details is paused after ten failures in
// fifteen minutes, even a right guess then fails, reception's inbox shows
// one report, and a check-in by details never names the clinician or time.
func TestCheckInProbingIsPausedAndReported(t *testing.T) {
	ctx := context.Background()
	p := newPractice(t)
	k := p.enrol(t, "kiosk")
	d := p.enrol(t, "desktop")
	// A patient with an appointment in the check-in window (it is 07:30).
	patient := p.kioskPts[0]
	slots, err := p.st.FreeSlots(ctx, patient, store.ChannelReception, store.Date{Year: 2026, Month: time.June, Day: 8}, 1)
	if err != nil || len(slots) == 0 {
		t.Fatalf("free slots: %v", err)
	}
	if _, err := p.st.BookAppointment(ctx, store.BookingRequest{SlotID: slots[0].ID, PatientID: patient, Channel: store.ChannelReception,
		Actor: store.SystemActor()}); err != nil {
		t.Fatal(err)
	}
	var pd gpsync.PatientData
	if err := json.Unmarshal(p.deskFeed(t, d.Token)[gpsync.EntityPatient][patient], &pd); err != nil {
		t.Fatal(err)
	}
	right := gpsync.CheckInRequest{DateOfBirth: pd.DateOfBirth, Sex: pd.Sex, SurnameInitial: pd.FamilyName[:1]}
	wrong := right
	wrong.SurnameInitial = "Q"
	if strings.EqualFold(right.SurnameInitial, "Q") {
		wrong.SurnameInitial = "Z"
	}

	for i := range store.CheckInFailureBudget {
		got, _ := p.checkIn(t, k.Token, wrong)
		if got.CheckedIn || !strings.Contains(got.Message, "see reception") {
			t.Fatalf("wrong guess %d: %+v", i+1, got)
		}
		if last := i == store.CheckInFailureBudget-1; got.DetailsPaused != last || (last && got.RetryAfterSeconds <= 0) {
			t.Fatalf("guess %d: paused %v, retry after %d s", i+1, got.DetailsPaused, got.RetryAfterSeconds)
		}
	}
	// The right details now: the same words, and nobody is checked in.
	got, _ := p.checkIn(t, k.Token, right)
	if got.CheckedIn || !got.DetailsPaused || !strings.Contains(got.Message, "see reception") {
		t.Fatalf("right guess on a paused kiosk: %+v", got)
	}
	if appts, _ := p.st.Appointments(ctx, patient, store.StatusArrived); len(appts) != 0 {
		t.Fatal("a paused kiosk marked the appointment arrived")
	}
	// Reception's inbox has one report about the kiosk, naming nobody.
	alerts := systemAlerts(t, p.deskFeed(t, d.Token), k.DeviceID, "Check-in paused")
	if len(alerts) != 1 || alerts[0].Status != gpsync.AlertOpen || strings.Contains(alerts[0].Text, pd.DateOfBirth) {
		t.Fatalf("inbox: %+v", alerts)
	}

	// When the pause is over the patient checks in, and the answer names
	// no clinician and no time.
	p.now.Add(int64(store.CheckInPause / time.Second))
	got, raw := p.checkIn(t, k.Token, right)
	if !got.CheckedIn || got.DetailsPaused {
		t.Fatalf("after the pause: %s", raw)
	}
	if strings.Contains(raw, "clinician") || strings.Contains(raw, "startsAt") {
		t.Fatalf("a check-in by details names where the patient will be: %s", raw)
	}
	if appts, _ := p.st.Appointments(ctx, patient, store.StatusArrived); len(appts) != 1 {
		t.Fatal("not marked arrived")
	}
	if n := len(systemAlerts(t, p.deskFeed(t, d.Token), k.DeviceID, "Check-in paused")); n != 1 {
		t.Fatalf("%d reports for one pause", n)
	}
}

// quotaHeld pushes ops and wants a 429 quota_exceeded answer holding
// kind: its Retry-After in seconds, and the results of the ops before the
// held one.
func (p *practice) quotaHeld(t *testing.T, token, kind string, ops ...gpsync.Op) (retryAfter int, results []gpsync.OpResult) {
	t.Helper()
	r := p.do(t, "POST", "/v1/ops", token, gpsync.PushRequest{Ops: p.sign(t, token, ops)})
	var body gpsync.Error
	if err := json.Unmarshal(r.body, &body); err != nil || r.status != http.StatusTooManyRequests || body.Code != gpsync.CodeQuotaExceeded {
		t.Fatalf("push: %d %.300s (%v), want 429 quota_exceeded", r.status, r.body, err)
	}
	if body.Kind != kind || !strings.Contains(body.Message, "reception") {
		t.Fatalf("held %q saying %q, want %s and a plain sentence", body.Kind, body.Message, kind)
	}
	retryAfter, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || retryAfter < 1 {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	for i, res := range body.Results {
		if res.ID != ops[i].ID {
			t.Fatalf("result %d is for %s, want %s", i, res.ID, ops[i].ID)
		}
	}
	return retryAfter, body.Results
}

// Finding 7: one kiosk token sending a hundred help requests at once has
// its hourly allowance applied and is then answered 429 quota_exceeded,
// with Retry-After and the results of the ops before the held one. The
// held requests are not refused, so not lost: sent when the window has
// moved, they are taken. Reception hears once.
func TestHelpRequestFloodIsHeldToItsQuota(t *testing.T) {
	p := newPractice(t)
	k := p.enrol(t, "kiosk")
	d := p.enrol(t, "desktop")
	q, _ := store.QuotaFor(store.KindAskForHelp)
	var ops []gpsync.Op
	for i := range gpsync.MaxOpsPerPush - 1 {
		ops = append(ops, newOp(t, i+1, gpsync.OpAskForHelp, gpsync.AskForHelpPayload{Note: fmt.Sprintf("help %d", i)}))
	}
	patient := p.kioskPts[0]
	book := newOp(t, 1000, gpsync.OpBook, gpsync.BookPayload{SlotID: freeKioskSlot(t, p, patient), PatientID: patient})
	ops = append(ops, book)
	booked := func() int {
		appts, err := p.st.Appointments(context.Background(), patient, store.StatusBooked)
		if err != nil {
			t.Fatal(err)
		}
		return len(appts)
	}
	before := booked()
	retryAfter, res := p.quotaHeld(t, k.Token, gpsync.OpAskForHelp, ops...)
	if booked() != before {
		t.Fatal("an op after the held one was applied")
	}
	if len(res) != q.PerHour {
		t.Fatalf("%d results before the hold, want the hour's %d", len(res), q.PerHour)
	}
	for i, r := range res {
		if r.Status != gpsync.OpApplied {
			t.Fatalf("help request %d within the quota: %+v", i+1, r)
		}
	}
	// All were applied at 07:30, so the hour's window frees at 08:30.
	if retryAfter != 3600 {
		t.Fatalf("Retry-After %d s, want 3600", retryAfter)
	}
	// Sent again (the device never heard the answer): the same answer,
	// and nothing applied twice.
	if again, res2 := p.quotaHeld(t, k.Token, gpsync.OpAskForHelp, ops...); again != retryAfter || len(res2) != len(res) {
		t.Fatalf("replay: Retry-After %d, %d results; first %d, %d", again, len(res2), retryAfter, len(res))
	}
	// The booking behind the held requests goes through at once, as the
	// device sends it with the held kind left out.
	if r := p.push(t, k.Token, book); r[0].Status != gpsync.OpApplied || booked() != before+1 {
		t.Fatalf("the booking behind the held help requests: %+v", r[0])
	}
	feed := p.deskFeed(t, d.Token)
	if n := len(feed[gpsync.EntityHelpRequest]); n != q.PerHour {
		t.Fatalf("%d help requests in the inbox, want %d", n, q.PerHour)
	}
	// A second early is still held, with a second to wait.
	p.now.Add(int64(retryAfter - 1))
	if wait, res := p.quotaHeld(t, k.Token, gpsync.OpAskForHelp, ops[q.PerHour:q.PerHour+1]...); wait != 1 || len(res) != 0 {
		t.Fatalf("a second early: Retry-After %d, %d results", wait, len(res))
	}
	// When the window has moved, the held requests are taken.
	p.now.Add(1)
	for i, r := range p.push(t, k.Token, ops[q.PerHour:2*q.PerHour]...) {
		if r.Status != gpsync.OpApplied {
			t.Fatalf("held help request %d after the window moved: %+v", q.PerHour+i+1, r)
		}
	}
	feed = p.deskFeed(t, d.Token)
	if n := len(feed[gpsync.EntityHelpRequest]); n != 2*q.PerHour {
		t.Fatalf("%d help requests in the inbox, want %d", n, 2*q.PerHour)
	}
	alerts := systemAlerts(t, feed, k.DeviceID, "Device limit reached")
	if len(alerts) != 1 || !strings.Contains(alerts[0].Text, "help requests") {
		t.Fatalf("reports to the practice: %+v", alerts)
	}
	// The desktop's own help requests are its own quota.
	r := p.push(t, d.Token, newOp(t, 2000, gpsync.OpAskForHelp, gpsync.AskForHelpPayload{Note: "printer"}))
	if r[0].Status != gpsync.OpApplied {
		t.Fatalf("desktop: %+v", r[0])
	}
}

// kioskLeases are the slots the kiosk holds, from its feed, that start on
// or after from.
func kioskLeases(t *testing.T, changes []gpsync.Change, device string, from time.Time) []int64 {
	t.Helper()
	var out []int64
	for _, c := range changes {
		if c.Entity != gpsync.EntitySlot || c.Deleted {
			continue
		}
		var sd gpsync.SlotData
		if err := json.Unmarshal(c.Data, &sd); err != nil {
			t.Fatal(err)
		}
		if sd.LeasedTo == device && !sd.StartsAt.Before(from) {
			out = append(out, c.ID)
		}
	}
	return out
}

// Finding 8: a kiosk that never syncs again gives its leases back after
// the practice's lease_idle_minutes; one that is away for less keeps them,
// and its offline booking of one is firm.
func TestQuietKioskGivesItsLeasesBack(t *testing.T) {
	p := newPractice(t)
	k := p.enrol(t, "kiosk")
	d := p.enrol(t, "desktop")
	leased := kioskLeases(t, p.pullAll(t, k.Token, 1000), k.DeviceID, time.Date(2026, 6, 9, 0, 0, 0, 0, time.UTC))
	if len(leased) < 2 {
		t.Fatalf("the kiosk holds %d leases from tomorrow", len(leased))
	}
	patient := p.kioskPts[0]
	idle := int64(store.DefaultSettings().LeaseIdleMinutes) * 60
	// Away for a minute less than that: reception still cannot take the
	// slot, and the kiosk's booking made while away is accepted.
	p.now.Add(idle - 60)
	deskSees := func(slot int64) gpsync.SlotData {
		var sd gpsync.SlotData
		if err := json.Unmarshal(p.deskFeed(t, d.Token)[gpsync.EntitySlot][slot], &sd); err != nil {
			t.Fatal(err)
		}
		return sd
	}
	if sd := deskSees(leased[1]); sd.LeasedTo != k.DeviceID {
		t.Fatalf("held before the kiosk was quiet long enough: %+v", sd)
	}
	if r := p.push(t, d.Token, staffOp(t, 1, p.staffID(t, "reception"), gpsync.OpBook, gpsync.BookPayload{SlotID: leased[1], PatientID: patient})); r[0].Reason != "slot_held" {
		t.Fatalf("reception booking a briefly offline kiosk's slot: %+v", r[0])
	}
	offline := newOp(t, 2, gpsync.OpBook, gpsync.BookPayload{SlotID: leased[0], PatientID: patient})
	offline.CreatedAt = time.Unix(p.now.Load()-600, 0).UTC()
	if r := p.push(t, k.Token, offline); r[0].Status != gpsync.OpApplied {
		t.Fatalf("the kiosk's offline booking of its own slot: %+v", r[0])
	}
	// The kiosk then goes quiet for good: once it has been silent for
	// lease_idle_minutes, the desktop sees the slot free and books it.
	p.now.Add(idle)
	if sd := deskSees(leased[1]); sd.LeasedTo != "" {
		t.Fatalf("still held by a kiosk silent for %d minutes: %+v", idle/60, sd)
	}
	if r := p.push(t, d.Token, staffOp(t, 3, p.staffID(t, "reception"), gpsync.OpBook, gpsync.BookPayload{SlotID: leased[1], PatientID: patient})); r[0].Status != gpsync.OpApplied {
		t.Fatalf("reception booking a quiet kiosk's former slot: %+v", r[0])
	}
}
