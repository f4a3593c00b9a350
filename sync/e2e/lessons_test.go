package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
)

// Practice-mode lesson counts (issue 12), end to end: a real enrolled
// kiosk counts lessons offline, and the counts reach the practice server
// once, under the kiosk's name, with nothing about who took the lesson.

func (e *env) today(t testing.TB) store.Date {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return store.DateOf(e.clock(), loc)
}

// authedClient talks to the server directly (not through the proxy) with
// the device's own token, to send ops as a device might.
func (e *env) authedClient(t testing.TB, d *device) *client.Client {
	t.Helper()
	c, err := client.New(e.srv.URL, client.WithToken(kioskToken(t, d)), client.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func lessonTable(t testing.TB, e *env) string {
	t.Helper()
	cs, err := e.st.LessonCounts(context.Background(), store.Date{}, store.Date{})
	if err != nil {
		t.Fatal(err)
	}
	s := ""
	for _, c := range cs {
		s += fmt.Sprintf("%s %s %s %s %d; ", c.Lesson, c.Month, c.DeviceID, c.DeviceName, c.Count)
	}
	return s
}

func TestLessonCountsReachTheServerOnce(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 100)
	kiosk := e.newDevice(t, gpsync.RoleKiosk)
	syncUntilDrained(t, kiosk)
	today := e.today(t)

	e.proxy.Drop()
	for _, lesson := range []string{"touchscreen", "book", "book"} {
		if err := kiosk.rep.CountLesson(ctx, lesson, today); err != nil {
			t.Fatal(err)
		}
	}
	if err := kiosk.runner.SyncNow(ctx); err == nil {
		t.Fatal("synced with the network down")
	}
	if got := lessonTable(t, e); got != "" {
		t.Fatalf("counts on the server while the kiosk was offline: %s", got)
	}
	sent, err := kiosk.rep.PendingOps(ctx, 100)
	if err != nil || len(sent) != 3 {
		t.Fatalf("outbox %d %v", len(sent), err)
	}
	e.proxy.Restore()
	// Every answer is cut off after 64 bytes: the server applies the ops
	// but the kiosk never hears, and sends them again.
	e.proxy.ResetAfter(64)
	for range 3 {
		kiosk.runner.SyncNow(ctx)
	}
	e.proxy.ResetAfter(0)
	syncUntilDrained(t, kiosk)
	if e.proxy.Stats().Resets == 0 {
		t.Fatal("no answer was cut off; the resend was not exercised")
	}

	month := today.String()[:7]
	want := fmt.Sprintf("book %s %s kiosk 2; touchscreen %s %s kiosk 1; ", month, kiosk.id, month, kiosk.id)
	if got := lessonTable(t, e); got != want {
		t.Fatalf("server's counts: %s, want %s", got, want)
	}
	db := e.db(t)
	if n := count(t, db, "SELECT count(*) FROM applied_ops WHERE kind = ? AND status = 'applied'", gpsync.OpCountLesson); n != 3 {
		t.Fatalf("%d count ops recorded, want 3", n)
	}

	// The same ops sent once more, as a device restored from a backup
	// might: answered from the record, counted nothing.
	resp, err := e.authedClient(t, kiosk).Push(ctx, sent)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range resp.Results {
		if r.Status != gpsync.OpApplied {
			t.Fatalf("resent op answered %+v", r)
		}
	}
	syncUntilDrained(t, kiosk)
	if got := lessonTable(t, e); got != want {
		t.Fatalf("server's counts after sending again: %s, want %s", got, want)
	}
	// Nothing about the counts reached the kiosk's feed, and no row holds
	// anyone but the device.
	if n := count(t, db, "SELECT count(*) FROM changes WHERE entity LIKE '%lesson%'"); n != 0 {
		t.Fatalf("%d lesson changes in the feed", n)
	}
	if n := count(t, db, "SELECT count(*) FROM audit_events WHERE action = 'lesson.count' AND actor <> ?", "device:"+kiosk.id); n != 0 {
		t.Fatalf("%d lesson counts audited as someone other than the device", n)
	}
}

// Counts a device should never send (a malformed lesson id, a day two
// years back, a day next week) are refused with the reason and change
// nothing, and do not hold up a good count behind them.
func TestMalformedLessonCountsAreRefused(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 100)
	kiosk := e.newDevice(t, gpsync.RoleKiosk)
	syncUntilDrained(t, kiosk)
	today := e.today(t)
	db := e.db(t)
	audit := count(t, db, "SELECT count(*) FROM audit_events")

	op := func(lesson string, day store.Date) gpsync.Op {
		raw, err := json.Marshal(gpsync.CountLessonPayload{Lesson: lesson, Day: day.String()})
		if err != nil {
			t.Fatal(err)
		}
		return gpsync.Op{ID: uuid.NewString(), Kind: gpsync.OpCountLesson, CreatedAt: e.clock(), Payload: raw}
	}
	ops := []gpsync.Op{
		op("Book!", today),
		op("book", today.AddDays(-730)),
		op("book", today.AddDays(7)),
		op("check-in", today),
	}
	resp, err := e.authedClient(t, kiosk).Push(ctx, ops)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{string(store.ReasonInvalidInput), string(store.ReasonDayOutOfRange), string(store.ReasonDayOutOfRange), ""}
	if len(resp.Results) != len(ops) {
		t.Fatalf("results %+v", resp.Results)
	}
	for i, r := range resp.Results {
		if want[i] == "" {
			if r.Status != gpsync.OpApplied {
				t.Fatalf("the good count after the bad ones: %+v", r)
			}
			continue
		}
		if r.Status != gpsync.OpRejected || r.Reason != want[i] || r.Message == "" {
			t.Fatalf("op %d answered %+v, want rejected %s", i, r, want[i])
		}
	}
	month := today.String()[:7]
	if got, want := lessonTable(t, e), fmt.Sprintf("check-in %s %s kiosk 1; ", month, kiosk.id); got != want {
		t.Fatalf("server's counts: %s, want %s", got, want)
	}
	// Only the good count was audited.
	if n := count(t, db, "SELECT count(*) FROM audit_events"); n != audit+1 {
		t.Fatalf("%d audit events added, want 1", n-audit)
	}
	if n := count(t, db, "SELECT count(*) FROM applied_ops WHERE kind = ? AND status = 'rejected'", gpsync.OpCountLesson); n != 3 {
		t.Fatalf("%d refusals recorded, want 3", n)
	}
}
