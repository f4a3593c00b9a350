package client_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
)

// fastBackoff keeps retry tests quick; the jitter is fixed.
func fastBackoff() *client.Backoff {
	return client.NewBackoff(time.Millisecond, 4*time.Millisecond, func() float64 { return 0.5 })
}

// fakeClock returns 08:00, 08:01, … so LastSync shows which sync set it.
func fakeClock() func() time.Time {
	var n atomic.Int64
	return func() time.Time {
		return time.Date(2026, 6, 10, 8, int(n.Add(1)-1), 0, 0, time.UTC)
	}
}

func newRunner(t *testing.T, f *fakeServer, rep *fakeReplica, opts client.RunnerOptions) *client.Runner {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Backoff == nil {
		opts.Backoff = fastBackoff()
	}
	if opts.Clock == nil {
		opts.Clock = fakeClock()
	}
	return client.NewRunner(newClient(t, f.URL(), client.WithToken(testToken)), rep, opts)
}

// startRun runs r in the background until the test ends and returns a
// channel that yields Run's result and is then closed.
func startRun(t *testing.T, r *client.Runner) <-chan error {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- r.Run(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return done
}

// recorder keeps every status a subscriber was given.
type recorder struct {
	mu   sync.Mutex
	seen []client.Status
}

func (r *recorder) add(s client.Status) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, s)
}

func (r *recorder) all() []client.Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.seen)
}

func TestPushInOrderInBatches(t *testing.T) {
	f := newFakeServer(t)
	rep := &fakeReplica{}
	rep.queue(1, 5)
	r := newRunner(t, f, rep, client.RunnerOptions{PushBatch: 2})

	if err := r.SyncNow(t.Context()); err != nil {
		t.Fatalf("SyncNow: %v", err)
	}
	_, applied, pushes, _ := f.snapshot()
	if want := [][]string{opIDs(1, 2), opIDs(3, 4), opIDs(5, 5)}; !slices.EqualFunc(pushes, want, slices.Equal) {
		t.Errorf("pushes = %v, want %v", pushes, want)
	}
	if !slices.Equal(applied, opIDs(1, 5)) {
		t.Errorf("applied = %v, want op-1..op-5 in order", applied)
	}
	st := r.Status()
	if !st.Online || st.Pending != 0 || st.NeedsAttention != 0 || st.LastError != "" || st.LastSync.IsZero() {
		t.Errorf("Status = %+v", st)
	}
}

// lockedBuffer collects log output written from any goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRejectedOpDoesNotBlockQueue(t *testing.T) {
	f := newFakeServer(t)
	f.rejectIDs["op-2"] = true
	rep := &fakeReplica{}
	rep.queue(1, 3)
	logs := &lockedBuffer{}
	r := newRunner(t, f, rep, client.RunnerOptions{PushBatch: 1,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})

	if err := r.SyncNow(t.Context()); err != nil {
		t.Fatalf("SyncNow: %v", err)
	}
	if _, applied, _, _ := f.snapshot(); !slices.Equal(applied, []string{"op-1", "op-3"}) {
		t.Errorf("applied = %v, want op-1 and op-3", applied)
	}
	if st := r.Status(); !st.Online || st.Pending != 0 || st.NeedsAttention != 1 {
		t.Errorf("Status = %+v, want online, nothing pending, 1 needing attention", st)
	}
	// Logs name the kind and the reason code, never the payload or the
	// message meant for the patient.
	out := logs.String()
	if !strings.Contains(out, "kind=ask_for_help") || !strings.Contains(out, "reason=slot_taken") {
		t.Errorf("log lacks the rejected op's kind and reason:\n%s", out)
	}
	if strings.Contains(out, secretNote) || strings.Contains(out, "Sorry") {
		t.Errorf("log contains a payload or a patient-facing message:\n%s", out)
	}
}

// A dropped connection part-way through the outbox stops the push there;
// the next sync starts again at the op whose answer was lost, and every op
// is applied once, in order.
func TestTransportFailureStopsPushAndResumes(t *testing.T) {
	f := newFakeServer(t)
	var opsCalls atomic.Int32
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/v1/ops" || opsCalls.Add(1) != 2 {
			return false
		}
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
		return true
	})
	rep := &fakeReplica{}
	rep.queue(1, 5)
	r := newRunner(t, f, rep, client.RunnerOptions{PushBatch: 2})

	err := r.SyncNow(t.Context())
	if !errors.Is(err, client.ErrUnreachable) || !client.IsRetryable(err) {
		t.Fatalf("SyncNow = %v, want a retryable ErrUnreachable", err)
	}
	_, applied, _, pulls := f.snapshot()
	if !slices.Equal(applied, opIDs(1, 2)) {
		t.Errorf("applied after the drop = %v, want op-1, op-2", applied)
	}
	if len(pulls) != 0 {
		t.Errorf("pulled %v after a transport failure, want no pull", pulls)
	}
	if got := rep.outboxIDs(); !slices.Equal(got, opIDs(3, 5)) {
		t.Errorf("outbox after the drop = %v, want op-3..op-5", got)
	}
	if st := r.Status(); st.Online || st.Pending != 3 || !strings.Contains(st.LastError, "Cannot reach") {
		t.Errorf("Status = %+v, want offline with 3 pending", st)
	}

	if err := r.SyncNow(t.Context()); err != nil {
		t.Fatalf("second SyncNow: %v", err)
	}
	_, applied, pushes, _ := f.snapshot()
	if want := [][]string{opIDs(1, 2), opIDs(3, 4), opIDs(5, 5)}; !slices.EqualFunc(pushes, want, slices.Equal) {
		t.Errorf("answered pushes = %v, want %v", pushes, want)
	}
	if !slices.Equal(applied, opIDs(1, 5)) {
		t.Errorf("applied = %v, want op-1..op-5 once each", applied)
	}
	if st := r.Status(); !st.Online || st.Pending != 0 {
		t.Errorf("Status = %+v, want online, nothing pending", st)
	}
}

func TestPullPagesUntilDone(t *testing.T) {
	f := newFakeServer(t)
	f.addChanges(7)
	rep := &fakeReplica{}
	r := newRunner(t, f, rep, client.RunnerOptions{PageSize: 3})

	if err := r.SyncNow(t.Context()); err != nil {
		t.Fatalf("SyncNow: %v", err)
	}
	if _, _, _, pulls := f.snapshot(); !slices.Equal(pulls, []int64{0, 3, 6}) {
		t.Errorf("pulled after %v, want 0, 3, 6", pulls)
	}
	if got := rep.appliedSeqs(); !slices.Equal(got, seqs(1, 7)) {
		t.Errorf("applied seqs = %v, want 1..7 once each", got)
	}
	if rep.pages != 3 || rep.cursor != 7 {
		t.Errorf("pages %d, cursor %d; want 3 pages, cursor 7", rep.pages, rep.cursor)
	}

	// Nothing new: one request, nothing applied again.
	if err := r.SyncNow(t.Context()); err != nil {
		t.Fatalf("second SyncNow: %v", err)
	}
	if _, _, _, pulls := f.snapshot(); !slices.Equal(pulls, []int64{0, 3, 6, 7}) {
		t.Errorf("pulled after %v, want 0, 3, 6, 7", pulls)
	}
	if got := rep.appliedSeqs(); !slices.Equal(got, seqs(1, 7)) {
		t.Errorf("applied seqs = %v after an empty pull", got)
	}
}

// A server restored from a backup is behind the device: the replica is
// reset (keeping the outbox) and pulled again from 0.
func TestCursorAheadResyncsFromZero(t *testing.T) {
	f := newFakeServer(t)
	f.addChanges(4)
	rep := &fakeReplica{cursor: 50, applied: seqs(1, 50)}
	r := newRunner(t, f, rep, client.RunnerOptions{})

	if err := r.SyncNow(t.Context()); err != nil {
		t.Fatalf("SyncNow: %v", err)
	}
	if _, _, _, pulls := f.snapshot(); !slices.Equal(pulls, []int64{0}) {
		t.Errorf("answered pulls after %v, want 0 (after the refused 50)", pulls)
	}
	if rep.resets != 1 || rep.cursor != 4 || !slices.Equal(rep.appliedSeqs(), seqs(1, 4)) {
		t.Errorf("resets %d, cursor %d, applied %v; want 1 reset and seqs 1..4", rep.resets, rep.cursor, rep.appliedSeqs())
	}
}

// A server that says cursor_ahead even from 0 must not make the device
// reset its replica in a loop.
func TestCursorAheadOnlyResetsOnce(t *testing.T) {
	f := newFakeServer(t)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		writeError(w, http.StatusConflict, "cursor_ahead", "Sync again from the start.")
		return true
	})
	rep := &fakeReplica{cursor: 9}
	r := newRunner(t, f, rep, client.RunnerOptions{})

	err := r.SyncNow(t.Context())
	if !client.HasCode(err, client.CodeCursorAhead) {
		t.Errorf("SyncNow = %v, want cursor_ahead", err)
	}
	if rep.resets != 1 {
		t.Errorf("resets = %d, want 1", rep.resets)
	}
}

// A batch the server refuses outright stays queued, but the pull still
// runs so the screen shows fresh slots.
func TestRefusedPushStillPulls(t *testing.T) {
	f := newFakeServer(t)
	f.addChanges(2)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/v1/ops" {
			return false
		}
		writeError(w, http.StatusBadRequest, "unknown_op_kind", "This device needs an update.")
		return true
	})
	rep := &fakeReplica{}
	rep.queue(1, 1)
	r := newRunner(t, f, rep, client.RunnerOptions{})

	err := r.SyncNow(t.Context())
	if !client.HasCode(err, client.CodeUnknownOpKind) || client.IsRetryable(err) {
		t.Errorf("SyncNow = %v, want unknown_op_kind", err)
	}
	if !slices.Equal(rep.appliedSeqs(), seqs(1, 2)) || !slices.Equal(rep.outboxIDs(), opIDs(1, 1)) {
		t.Errorf("applied %v, outbox %v; want seqs 1..2 pulled and op-1 still queued", rep.appliedSeqs(), rep.outboxIDs())
	}
	if st := r.Status(); st.Online || st.Pending != 1 || st.LastError == "" {
		t.Errorf("Status = %+v, want offline with an explanation", st)
	}
}

// 503s are retried with backoff, and subscribers see the device go
// online, offline and online again, with words, not Go errors.
func TestRetryAfter503AndStatusTransitions(t *testing.T) {
	f := newFakeServer(t)
	f.addChanges(2)
	var failures atomic.Int32 // 503s still to serve
	var served atomic.Int32
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/v1/changes" || failures.Add(-1) < 0 {
			return false
		}
		served.Add(1)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "The practice server is starting up.")
		return true
	})
	rep := &fakeReplica{}
	// Without the long-poll, so the only syncs are the first and the
	// nudged one (see the long-poll's own tests).
	r := newRunner(t, f, rep, client.RunnerOptions{Interval: time.Hour, Wait: -1})
	rec := &recorder{}
	r.Subscribe(rec.add)
	startRun(t, r)

	waitFor(t, "first sync", func() bool { return r.Status().Online })
	failures.Store(3)
	r.Nudge()
	waitFor(t, "recovery after three 503s", func() bool {
		st := r.Status()
		return served.Load() == 3 && st.Online && st.LastSync.Minute() == 1
	})

	var online []bool
	var offline client.Status
	for _, s := range rec.all() {
		if len(online) == 0 || online[len(online)-1] != s.Online {
			online = append(online, s.Online)
		}
		if !s.Online {
			offline = s
		}
	}
	if !slices.Equal(online, []bool{true, false, true}) {
		t.Errorf("subscriber saw Online %v, want true, false, true", online)
	}
	if offline.LastError != "The practice server has a problem. This device will try again shortly." {
		t.Errorf("offline LastError = %q", offline.LastError)
	}
	if got := rep.appliedSeqs(); !slices.Equal(got, seqs(1, 2)) {
		t.Errorf("applied seqs = %v", got)
	}
}

// A 429's Retry-After is a floor on the wait, however short the backoff.
func TestRetryAfterHonouredOn429(t *testing.T) {
	f := newFakeServer(t)
	var mu sync.Mutex
	var arrivals []time.Time
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/v1/ops" {
			return false
		}
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		first := len(arrivals) == 1
		mu.Unlock()
		if !first {
			return false
		}
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusTooManyRequests, "rate_limited", "Too many requests.")
		return true
	})
	rep := &fakeReplica{}
	rep.queue(1, 1)
	r := newRunner(t, f, rep, client.RunnerOptions{Interval: time.Hour})
	startRun(t, r)

	waitFor(t, "op sent after the 429", func() bool { return r.Status().Online })
	mu.Lock()
	defer mu.Unlock()
	if len(arrivals) != 2 {
		t.Fatalf("server saw %d pushes, want 2", len(arrivals))
	}
	if gap := arrivals[1].Sub(arrivals[0]); gap < time.Second {
		t.Errorf("retried after %v, want at least the 1s Retry-After", gap)
	}
}

func TestNudgeSyncsEarly(t *testing.T) {
	f := newFakeServer(t)
	rep := &fakeReplica{}
	r := newRunner(t, f, rep, client.RunnerOptions{Interval: time.Hour})
	startRun(t, r)

	waitFor(t, "first sync", func() bool { return r.Status().Online })
	rep.queue(1, 1)
	r.Nudge()
	waitFor(t, "nudged push", func() bool {
		_, applied, _, _ := f.snapshot()
		return slices.Equal(applied, opIDs(1, 1)) && r.Status().Pending == 0
	})
}

// When the practice revokes the device, syncing stops for good and the
// screen gets the server's words.
func TestRevokedStopsRun(t *testing.T) {
	f := newFakeServer(t)
	const msg = "This device has been switched off by the practice. Please ask the practice manager."
	var revoked atomic.Bool
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if !revoked.Load() {
			return false
		}
		writeError(w, http.StatusUnauthorized, "device_revoked", msg)
		return true
	})
	rep := &fakeReplica{}
	r := newRunner(t, f, rep, client.RunnerOptions{Interval: time.Hour})
	rec := &recorder{}
	unsubscribe := r.Subscribe(rec.add)
	done := startRun(t, r)

	waitFor(t, "first sync", func() bool { return r.Status().Online })
	revoked.Store(true)
	rep.queue(1, 1)
	r.Nudge()

	var err error
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not stop after device_revoked")
	}
	if !client.IsRevoked(err) || !client.HasCode(err, client.CodeDeviceRevoked) {
		t.Errorf("Run = %v, want a device_revoked error", err)
	}
	st := r.Status()
	if !st.Revoked || st.Online || st.LastError != msg || st.Pending != 1 {
		t.Errorf("Status = %+v, want revoked with the server's message and the op still queued", st)
	}
	seen := rec.all()
	if len(seen) == 0 || !seen[len(seen)-1].Revoked {
		t.Errorf("subscriber did not see Revoked: %+v", seen)
	}

	// Once revoked the runner stays quiet.
	unsubscribe()
	before, _, _, _ := f.snapshot()
	if err := r.SyncNow(t.Context()); !client.IsRevoked(err) {
		t.Errorf("SyncNow after revocation = %v", err)
	}
	if after, _, _, _ := f.snapshot(); after != before {
		t.Errorf("SyncNow after revocation made %d requests", after-before)
	}
	if len(rec.all()) != len(seen) {
		t.Error("unsubscribed callback still called")
	}
}

func TestRunOnlyOnce(t *testing.T) {
	f := newFakeServer(t)
	r := newRunner(t, f, &fakeReplica{}, client.RunnerOptions{Interval: time.Hour})
	startRun(t, r)
	waitFor(t, "first sync", func() bool { return r.Status().Online })
	if err := r.Run(t.Context()); err == nil {
		t.Error("a second Run started")
	}
}

// A 429 quota_exceeded holds only its op kind: the results before the
// held op are recorded, the ops after it go in the same sync, the held
// ones stay queued and unsent until Retry-After has passed by the
// runner's clock, and then go. The status line calls none of it a
// failure, and the log says kinds and numbers, never what was in the ops.
func TestQuotaHoldKeepsItsKindAndSendsTheRest(t *testing.T) {
	f := newFakeServer(t)
	f.quota = map[string]int{gpsync.OpAskForHelp: 2}
	f.quotaWait = "600"
	rep := &fakeReplica{}
	rep.queue(1, 4)
	rep.queueKind(5, gpsync.OpBook)
	var logs bytes.Buffer
	var now atomic.Int64
	now.Store(time.Date(2026, 6, 10, 8, 0, 0, 0, time.UTC).Unix())
	r := newRunner(t, f, rep, client.RunnerOptions{Clock: func() time.Time { return time.Unix(now.Load(), 0).UTC() },
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	if err := r.SyncNow(t.Context()); err != nil {
		t.Fatalf("SyncNow with a kind held: %v", err)
	}
	_, applied, pushes, _ := f.snapshot()
	if !slices.Equal(applied, []string{"op-1", "op-2", "op-5"}) || !slices.Equal(rep.outboxIDs(), opIDs(3, 4)) {
		t.Fatalf("applied %v, outbox %v; want the two allowed and the booking applied, the rest kept", applied, rep.outboxIDs())
	}
	if len(pushes) != 2 || !slices.Equal(pushes[1], []string{"op-5"}) {
		t.Fatalf("pushes %v, want the batch then the booking alone", pushes)
	}
	if st := r.Status(); !st.Online || st.LastError != "" || st.Pending != 2 || st.NeedsAttention != 0 {
		t.Fatalf("Status = %+v; want online, no error, 2 pending", st)
	}
	// Within the hold nothing of the held kind is sent.
	now.Add(599)
	rep.queueKind(6, gpsync.OpAskForHelp)
	if err := r.SyncNow(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, _, p, _ := f.snapshot(); len(p) != 2 {
		t.Fatalf("pushes during the hold: %v", p[2:])
	}
	// After it, they go, in order.
	f.mu.Lock()
	f.quota[gpsync.OpAskForHelp] = 10
	f.mu.Unlock()
	now.Add(1)
	if err := r.SyncNow(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, applied, _, _ = f.snapshot(); !slices.Equal(applied, []string{"op-1", "op-2", "op-5", "op-3", "op-4", "op-6"}) || len(rep.outboxIDs()) != 0 {
		t.Fatalf("after the hold: applied %v, outbox %v", applied, rep.outboxIDs())
	}
	out := logs.String()
	if !strings.Contains(out, "kind="+gpsync.OpAskForHelp) || !strings.Contains(out, "held_in_batch=2") || strings.Contains(out, secretNote) {
		t.Errorf("log:\n%s", out)
	}
}

// A quota answer is checked like any push answer: one naming a kind other
// than the op it stopped at, or results for other ops, is not believed,
// and nothing is recorded from it.
func TestQuotaAnswerMustFitWhatWasSent(t *testing.T) {
	for name, body := range map[string]gpsync.Error{
		"another kind":   {Kind: gpsync.OpReportProblem},
		"wrong results":  {Kind: gpsync.OpAskForHelp, Results: []gpsync.OpResult{{ID: "op-2", Status: gpsync.OpApplied}}},
		"odd status":     {Kind: gpsync.OpAskForHelp, Results: []gpsync.OpResult{{ID: "op-1", Status: "maybe"}}},
		"all answered":   {Kind: gpsync.OpAskForHelp, Results: []gpsync.OpResult{{ID: "op-1", Status: gpsync.OpApplied}, {ID: "op-2", Status: gpsync.OpApplied}}},
		"no kind at all": {},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeServer(t)
			f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				if r.URL.Path != "/v1/ops" {
					return false
				}
				body.Code, body.Message = gpsync.CodeQuotaExceeded, "Held."
				w.Header().Set("Retry-After", "60")
				writeJSON(w, http.StatusTooManyRequests, body)
				return true
			})
			rep := &fakeReplica{}
			rep.queue(1, 2)
			r := newRunner(t, f, rep, client.RunnerOptions{})
			if err := r.SyncNow(t.Context()); !errors.Is(err, client.ErrBadResponse) {
				t.Fatalf("SyncNow = %v, want ErrBadResponse", err)
			}
			if !slices.Equal(rep.outboxIDs(), opIDs(1, 2)) {
				t.Fatalf("outbox %v after a quota answer that did not fit", rep.outboxIDs())
			}
		})
	}
}
