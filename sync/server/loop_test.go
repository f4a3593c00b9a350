package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// Two desktops send a decision on the same request at the same moment:
// exactly one stands, and the other is told who decided first.
func TestTwoDesktopsDecideTheSameRequest(t *testing.T) {
	d := newDesk(t)
	ctx := context.Background()
	manager := store.Actor{Name: "manager:test", Device: "test"}
	names := map[int64]string{}
	var doctors []int64
	for i, name := range []string{"Dr Amir Khan", "Dr Jo Bell"} {
		id, err := d.st.AddStaff(ctx, manager, store.NewStaff{Username: fmt.Sprintf("prescriber%d", i), DisplayName: name,
			Role: store.StaffClinician, Password: "prescribe-demo-1"})
		if err != nil {
			t.Fatal(err)
		}
		doctors = append(doctors, id)
		names[id] = name
		d.passwords[fmt.Sprintf("prescriber%d", i)] = "prescribe-demo-1"
	}
	second := d.enrol(t, "desktop")
	patient := d.kioskPts[0]
	var item int64
	err := d.st.Load(ctx, func(l *store.Loader) error {
		var err error
		item, err = l.AddRepeat(store.NewRepeat{PatientID: patient, Name: "Testomycin", Strength: "10 mg", Form: "tablets",
			Dosage: "One a day", Quantity: "28", Active: true, StartedAt: opCreated.AddDate(-1, 0, 0)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for run := range 50 {
		n++
		var ordered gpsync.OrderRepeatsResult
		wantApplied(t, "order", d.push(t, d.desktop.Token, staffOp(t, n, d.staff["reception"], gpsync.OpOrderRepeats,
			gpsync.OrderRepeatsPayload{PatientID: patient, ItemIDs: []int64{item}}))[0], &ordered)
		ops := []gpsync.Op{
			staffOp(t, n+1, doctors[0], gpsync.OpDecideRepeats, gpsync.DecideRepeatsPayload{RequestID: ordered.RequestID,
				Items: []gpsync.ItemDecision{{RepeatItemID: item, Approve: true}}}),
			staffOp(t, n+2, doctors[1], gpsync.OpDecideRepeats, gpsync.DecideRepeatsPayload{RequestID: ordered.RequestID,
				Items: []gpsync.ItemDecision{{RepeatItemID: item, ReasonCode: gpsync.DeclineTooEarly}}}),
		}
		n += 2
		tokens := []string{d.desktop.Token, second.Token}
		results := make([]gpsync.OpResult, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i] = d.push(t, tokens[i], ops[i])[0]
			}()
		}
		close(start)
		wg.Wait()
		var applied, rejected []int
		for i, r := range results {
			switch {
			case r.Status == gpsync.OpApplied:
				applied = append(applied, i)
			case r.Status == gpsync.OpRejected && r.Reason == string(store.ReasonAlreadyDecided):
				rejected = append(rejected, i)
			}
		}
		if len(applied) != 1 || len(rejected) != 1 {
			t.Fatalf("run %d: %+v: want one applied and one already decided", run, results)
		}
		if msg := results[rejected[0]].Message; !strings.Contains(msg, names[doctors[applied[0]]]+" already decided Testomycin") {
			t.Fatalf("run %d: the second prescriber was told %q", run, msg)
		}
		var decision string
		var by int64
		if err := d.st.WriteTx(ctx, "test: read", func(tx *sql.Tx) error {
			return tx.QueryRowContext(ctx, "SELECT decision, decided_by_staff_id FROM prescription_request_items WHERE request_id = ?", ordered.RequestID).
				Scan(&decision, &by)
		}); err != nil {
			t.Fatal(err)
		}
		want := map[int]string{0: "approved", 1: "declined"}[applied[0]]
		if decision != want || by != doctors[applied[0]] {
			t.Fatalf("run %d: stored %s by %d, but %s by %d was applied", run, decision, by, want, doctors[applied[0]])
		}
	}
}

// waitSpy is the real store, telling the test when a long-poll starts
// waiting and when it stops.
type waitSpy struct {
	*store.Store
	entered, left chan struct{}
}

func (w waitSpy) WaitForChange(ctx context.Context, after int64, wait time.Duration) (bool, error) {
	w.entered <- struct{}{}
	defer func() { w.left <- struct{}{} }()
	return w.Store.WaitForChange(ctx, after, wait)
}

func longPollServer(t *testing.T, p *practice) (*httptest.Server, waitSpy) {
	t.Helper()
	spy := waitSpy{Store: p.st, entered: make(chan struct{}, 1), left: make(chan struct{}, 1)}
	srv := httptest.NewServer(New(spy, slog.New(slog.NewTextHandler(io.Discard, nil)),
		WithClock(func() time.Time { return time.Unix(p.now.Load(), 0).UTC() })))
	t.Cleanup(srv.Close)
	return srv, spy
}

func head(t *testing.T, p *practice) int64 {
	t.Helper()
	h, err := p.st.ChangesHead(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

type pageOrErr struct {
	status int
	page   gpsync.ChangesResponse
	err    error
}

func getChanges(ctx context.Context, url, token string) pageOrErr {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return pageOrErr{err: err}
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return pageOrErr{err: err}
	}
	defer resp.Body.Close()
	out := pageOrErr{status: resp.StatusCode}
	out.err = json.NewDecoder(resp.Body).Decode(&out.page)
	return out
}

// A desktop waiting on the change feed hears of a kiosk check-in as soon
// as it commits, in the same answer.
func TestLongPollWakesOnCheckIn(t *testing.T) {
	p := newPractice(t)
	srv, spy := longPollServer(t, p)
	k, desk := p.enrol(t, "kiosk"), p.enrol(t, "desktop")
	patient := p.kioskPts[0]
	code, err := store.NewCheckInCode()
	if err != nil {
		t.Fatal(err)
	}
	wantApplied(t, "book", p.push(t, k.Token, newOp(t, 1, gpsync.OpBook, gpsync.BookPayload{SlotID: freeKioskSlot(t, p, patient), PatientID: patient, CheckInCode: code}))[0], nil)
	appts, _ := p.st.Appointments(context.Background(), patient, store.StatusBooked)
	p.now.Store(appts[0].Slot.StartsAt.Add(-5 * time.Minute).Unix())

	after := head(t, p)
	got := make(chan pageOrErr, 1)
	go func() {
		got <- getChanges(context.Background(), fmt.Sprintf("%s/v1/changes?after=%d&wait=%d", srv.URL, after, gpsync.MaxWaitSeconds), desk.Token)
	}()
	<-spy.entered // the request is waiting: nothing after the cursor yet
	select {
	case r := <-got:
		t.Fatalf("answered before anything changed: %+v", r)
	default:
	}
	r := p.do(t, "POST", "/v1/checkin", k.Token, gpsync.CheckInRequest{Code: code})
	if r.status != 200 || !strings.Contains(string(r.body), `"checkedIn":true`) {
		t.Fatalf("check-in: %d %s", r.status, r.body)
	}
	res := <-got
	if res.err != nil || res.status != 200 {
		t.Fatalf("long-poll: %d %v", res.status, res.err)
	}
	arrived := false
	for _, c := range res.page.Changes {
		if c.Entity == gpsync.EntityAppointment && c.ID == appts[0].ID {
			var a gpsync.AppointmentData
			if err := json.Unmarshal(c.Data, &a); err != nil {
				t.Fatal(err)
			}
			arrived = a.Status == store.StatusArrived && a.StatusChangedAt != nil
		}
	}
	if !arrived || res.page.Cursor <= after {
		t.Fatalf("the answer to the wait does not show the arrival: %+v", res.page)
	}
	<-spy.left
}

// An op committed by another device wakes a waiting kiosk too; a wait
// with nothing new answers an empty page at the same cursor.
func TestLongPollOpWakesAndIdleWaitEndsEmpty(t *testing.T) {
	p := newPractice(t)
	srv, spy := longPollServer(t, p)
	k, desk := p.enrol(t, "kiosk"), p.enrol(t, "desktop")
	after := head(t, p)

	res := getChanges(context.Background(), fmt.Sprintf("%s/v1/changes?after=%d&wait=1", srv.URL, after), desk.Token)
	<-spy.entered
	<-spy.left
	if res.err != nil || res.status != 200 || len(res.page.Changes) != 0 || res.page.Cursor != after || res.page.More {
		t.Fatalf("idle wait: %+v", res)
	}

	got := make(chan pageOrErr, 1)
	go func() {
		got <- getChanges(context.Background(), fmt.Sprintf("%s/v1/changes?after=%d&wait=%d", srv.URL, after, gpsync.IdleWaitSeconds), desk.Token)
	}()
	<-spy.entered
	wantApplied(t, "help", p.push(t, k.Token, newOp(t, 1, gpsync.OpAskForHelp, gpsync.AskForHelpPayload{Note: "door"}))[0], nil)
	r := <-got
	<-spy.left
	if r.err != nil || r.status != 200 || len(r.page.Changes) == 0 || r.page.Changes[0].Entity != gpsync.EntityHelpRequest {
		t.Fatalf("woken by the op: %+v", r)
	}
}

func TestLongPollWaitOutOfRangeIs400(t *testing.T) {
	p := newPractice(t)
	desk := p.enrol(t, "desktop")
	for _, w := range []string{"-1", fmt.Sprint(gpsync.MaxWaitSeconds + 1), "soon", "2.5"} {
		r := p.do(t, "GET", "/v1/changes?after=0&wait="+w, desk.Token, nil)
		if r.status != 400 || r.code(t) != "bad_request" {
			t.Errorf("wait=%s: %d %s", w, r.status, r.body)
		}
	}
	if r := p.do(t, "GET", "/v1/changes?after=0&wait=0", desk.Token, nil); r.status != 200 {
		t.Errorf("wait=0: %d %s", r.status, r.body)
	}
}

// A device that goes away mid-wait leaves nothing waiting on the server.
func TestLongPollClientGoneEndsTheWait(t *testing.T) {
	p := newPractice(t)
	srv, spy := longPollServer(t, p)
	desk := p.enrol(t, "desktop")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan pageOrErr, 1)
	go func() {
		done <- getChanges(ctx, fmt.Sprintf("%s/v1/changes?after=%d&wait=%d", srv.URL, head(t, p), gpsync.MaxWaitSeconds), desk.Token)
	}()
	<-spy.entered
	cancel()
	if r := <-done; r.err == nil {
		t.Fatalf("the cancelled request was answered: %+v", r)
	}
	select {
	case <-spy.left:
	case <-time.After(gpsync.MaxWaitSeconds / 2 * time.Second):
		t.Fatal("the server kept waiting after the device went away")
	}
}

// An idle device asking once every IdleWaitSeconds is never rate limited.
func TestIdleLongPollIsNeverRateLimited(t *testing.T) {
	p := newPractice(t)
	desk := p.enrol(t, "desktop")
	for range 200 {
		p.now.Add(gpsync.IdleWaitSeconds)
		if r := p.do(t, "GET", fmt.Sprintf("/v1/changes?after=%d&wait=0", head(t, p)), desk.Token, nil); r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
	}
}
