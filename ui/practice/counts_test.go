package practice

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"gpkiosk/store"
	"gpkiosk/store/demo"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
	"gpkiosk/sync/server"
	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

// practiceNow is the tests' Tuesday morning, as in newHarness.
func practiceNow(t testing.TB) (time.Time, *time.Location) {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(2026, time.June, 9, 10, 0, 0, 0, loc), loc
}

// finishLesson has the helper choose one lesson and start it, and the
// learner press "Show me" (or "Next step") on every step to its end.
func finishLesson(h *harness, id string) {
	h.t.Helper()
	var steps int
	for _, l := range h.s.Lessons() {
		if l.ID == id {
			steps = len(l.Steps)
		}
	}
	if steps == 0 {
		h.t.Fatalf("no lesson %q", id)
	}
	clear(h.s.chosen)
	h.s.chosen[id] = true
	h.s.startLessons()
	h.waitFor("the lesson's setup", func() bool { return !h.s.Coach().Playing() })
	for i := range steps {
		tapPanel(h, text.T(text.CoachShowMe), text.T(text.CoachNext))
		h.waitFor("Show me to do the step", func() bool { return h.step() > i || h.s.Coach().Finished() })
	}
	if !h.s.Coach().Finished() || !h.s.Done(id) {
		h.t.Fatalf("lesson %s not finished", id)
	}
}

// realPractice is a real practice server on 127.0.0.1 over a real SQLite
// file, and an enrolled kiosk's real replica and sync runner, as in
// ui/kiosk's harness.
type realPractice struct {
	st       *store.Store
	rep      *replica.Replica
	runner   *client.Runner
	deviceID string
	requests atomic.Int64 // requests the server has been sent
}

func newRealPractice(t *testing.T) *realPractice {
	t.Helper()
	ctx := t.Context()
	now, _ := practiceNow(t)
	clock := func() time.Time { return now }
	dir := t.TempDir()
	rp := &realPractice{}
	st, err := store.Open(ctx, filepath.Join(dir, "practice.db"), store.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rp.st = st
	if _, err := demo.Generate(ctx, st, demo.Options{Seed: 1, Patients: 100, Weeks: 2,
		Start: store.Date{Year: 2026, Month: time.June, Day: 8}}); err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	api := server.New(st, quiet, server.WithClock(clock))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rp.requests.Add(1)
		api.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	code, err := st.NewEnrolmentCode(ctx, store.Actor{Name: "manager:test", Device: "test"}, store.DeviceKiosk, "library kiosk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := client.New(srv.URL)
	en, err := c.Enrol(ctx, gpsync.EnrolRequest{Code: code})
	if err != nil {
		t.Fatal(err)
	}
	rp.deviceID = en.DeviceID
	rp.rep, err = replica.Open(ctx, filepath.Join(dir, "kiosk.db"), replica.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rp.rep.Close() })
	if err := rp.rep.SaveEnrolment(ctx, replica.Enrolment{DeviceID: en.DeviceID, Role: en.Role, Token: en.Token, ServerURL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	authed, _ := client.New(srv.URL, client.WithToken(en.Token), client.WithLogger(quiet))
	rp.runner = client.NewRunner(authed, rp.rep, client.RunnerOptions{Clock: clock})
	if err := rp.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	return rp
}

// realState is what the real practice holds for the demo letter's
// patient (the same DEMO-0001 the lessons practise with) and how many ops
// it has taken in.
type realState struct {
	booked, audit, requests int
	applied, rejected       int
	changes                 int64
}

func (rp *realPractice) state(t *testing.T, patientID int64) realState {
	t.Helper()
	ctx := t.Context()
	var s realState
	appts, err := rp.st.Appointments(ctx, patientID, store.StatusBooked)
	if err != nil {
		t.Fatal(err)
	}
	s.booked = len(appts)
	events, err := rp.st.AuditEvents(ctx, "patient", patientID)
	if err != nil {
		t.Fatal(err)
	}
	s.audit = len(events)
	reqs, err := rp.rep.Requests(ctx, patientID)
	if err != nil {
		t.Fatal(err)
	}
	s.requests = len(reqs)
	if s.applied, s.rejected, err = rp.st.OpCount(ctx); err != nil {
		t.Fatal(err)
	}
	if s.changes, err = rp.st.ChangesHead(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// Counting without identifying, end to end: practice mode runs on an
// enrolled kiosk beside its real replica. A learner books and orders a
// repeat for the demo letter's patient, who is also on the real practice;
// nothing of that reaches the real practice. The real replica queues one
// count per finished lesson (lesson and day, nobody named), and after the
// real sync the practice's counts show each lesson once, for this device,
// today.
func TestLessonsAreCountedOnTheRealPracticeAndNothingElse(t *testing.T) {
	ctx := t.Context()
	rp := newRealPractice(t)
	letter := demo.Letters()[0]
	pt, err := rp.rep.SignIn(ctx, letter.AccountID, letter.DateOfBirth)
	if err != nil {
		t.Fatalf("the demo letter does not sign in on the real kiosk: %v", err)
	}
	before := rp.state(t, pt.ID)
	heardBefore := rp.requests.Load()

	h := newHarnessWith(t, func(c *Config) { c.Count = rp.rep.CountLesson })
	done := []string{"book", "repeat"}
	for _, id := range done {
		finishLesson(h, id)
	}
	if n := rp.requests.Load() - heardBefore; n != 0 {
		t.Errorf("the real practice server was sent %d requests during the lessons", n)
	}

	// What the real replica will send: one count_lesson op a lesson, with
	// only the lesson and the day in it.
	now, loc := practiceNow(t)
	today := store.DateOf(now, loc)
	ops, err := rp.rep.PendingOps(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != len(done) {
		t.Fatalf("the real replica queued %d ops, want %d count_lesson ops", len(ops), len(done))
	}
	for i, op := range ops {
		if op.Kind != gpsync.OpCountLesson || op.StaffID != 0 {
			t.Errorf("op %d is %s (staff %d), want an anonymous %s", i, op.Kind, op.StaffID, gpsync.OpCountLesson)
		}
		var payload map[string]any
		if err := json.Unmarshal(op.Payload, &payload); err != nil {
			t.Fatal(err)
		}
		keys := make([]string, 0, len(payload))
		for k := range payload {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"day", "lesson"}) || payload["lesson"] != done[i] || payload["day"] != today.String() {
			t.Errorf("op %d payload %s, want only lesson %q and day %s", i, op.Payload, done[i], today)
		}
		for _, who := range []string{letter.AccountID, letter.GivenName, letter.FamilyName, letter.DateOfBirth.String()} {
			if strings.Contains(string(op.Payload), who) {
				t.Errorf("op %d payload %s names the learner (%q)", i, op.Payload, who)
			}
		}
	}

	if err := rp.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := rp.rep.PendingCount(ctx); err != nil || n != 0 {
		t.Fatalf("after syncing, %d ops still to send (%v)", n, err)
	}
	counts, err := rp.st.LessonCounts(ctx, today, today)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range counts {
		got = append(got, c.Lesson+" "+c.Month+" "+c.DeviceID+" "+c.DeviceName+" "+itoa(c.Count))
	}
	month := today.String()[:7]
	want := []string{"book " + month + " " + rp.deviceID + " library kiosk 1", "repeat " + month + " " + rp.deviceID + " library kiosk 1"}
	if !slices.Equal(got, want) {
		t.Errorf("the practice's counts for today: %q, want %q", got, want)
	}
	if all, err := rp.st.LessonCounts(ctx, store.Date{}, store.Date{}); err != nil || len(all) != len(want) {
		t.Errorf("the practice's counts on any day: %+v (%v), want only today's", all, err)
	}

	// The real practice took in the two counts and nothing else: the demo
	// letter's patient has no new booking, order or audit event, and its
	// change feed did not move.
	after := rp.state(t, pt.ID)
	wantAfter := before
	wantAfter.applied += len(done)
	if after != wantAfter {
		t.Errorf("the real practice went from %+v to %+v, want only %d more ops applied", before, after, len(done))
	}
	// The helper's view says how many were finished here.
	h.s.showHelper()
	if !viewSays(h.s.Content(), text.T(text.HelperCounted, itoa(len(done)))) {
		t.Error("the helper's view does not say how many lessons were finished")
	}
}

// viewSays reports whether any text or button label showing in o
// contains words.
func viewSays(o fyne.CanvasObject, words string) bool {
	found := false
	widgets.Walk(o, func(o fyne.CanvasObject, _ fyne.Position) bool {
		switch w := o.(type) {
		case *widgets.Text:
			found = strings.Contains(w.Text, words)
		case *widgets.Button:
			found = strings.Contains(w.Text, words)
		}
		return !found
	})
	return found
}

// tapView taps the enabled button labelled label in o.
func tapView(t *testing.T, o fyne.CanvasObject, label string) {
	t.Helper()
	var hit *widgets.Button
	widgets.Walk(o, func(o fyne.CanvasObject, _ fyne.Position) bool {
		if b, ok := o.(*widgets.Button); ok && b.Text == label && !b.Disabled() {
			hit = b
		}
		return hit == nil
	})
	if hit == nil {
		t.Fatalf("no button %q", label)
	}
	test.Tap(hit)
}
