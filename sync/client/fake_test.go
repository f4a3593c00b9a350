package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	gpsync "gpkiosk/sync"
)

const (
	testToken     = "test-token-not-secret"
	testEnrolCode = "ABCDE-FGHJK"
	// secretNote is in every queued op's payload; it must never be logged.
	secretNote = "Mrs Example needs help at the door"
)

// fakeServer is a minimal stand-in for sync/server's /v1/enrol,
// /v1/changes and /v1/ops, on a real 127.0.0.1 listener. Feed seqs are the
// change's index + 1, so a cursor is simply how many changes were seen.
type fakeServer struct {
	srv *httptest.Server

	mu        sync.Mutex
	requests  int // every request that reached the server, hook or not
	changes   []gpsync.Change
	results   map[string]gpsync.OpResult // by op ID, for replays
	applied   []string                   // op IDs applied, in order, each once
	pushes    [][]string                 // op IDs of each push the handler answered
	pulls     []int64                    // after of each feed request answered
	pullWaits []int                      // the wait= of each, 0 when none
	rejectIDs map[string]bool
	// quota holds a kind as sync/server does: how many more ops of it may
	// be applied; past that a push is answered 429 quota_exceeded at the
	// first such op, with Retry-After quotaWait.
	quota     map[string]int
	quotaWait string
	// longPoll makes the feed honour wait= as sync/server does: a request
	// with nothing after its cursor is held until a change is added, the
	// client goes away, or the wait ends. Without it the fake is a server
	// from before wait=, which answers at once.
	longPoll bool
	changed  chan struct{} // closed and replaced by addChanges
	waits    []string      // what ended each held request: "change", "gone" or "timeout"
	held     int           // held requests so far
	// hook sees every request first; returning true means it answered.
	hook func(w http.ResponseWriter, r *http.Request) bool
}

func newFakeServer(t *testing.T) *fakeServer { return startFake(t, false) }

func newFakeTLSServer(t *testing.T) *fakeServer { return startFake(t, true) }

func startFake(t *testing.T, useTLS bool) *fakeServer {
	t.Helper()
	f := &fakeServer{results: map[string]gpsync.OpResult{}, rejectIDs: map[string]bool{}, changed: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+gpsync.APIVersion+"/enrol", f.enrol)
	mux.HandleFunc("GET "+gpsync.APIVersion+"/changes", f.authed(f.feed))
	mux.HandleFunc("POST "+gpsync.APIVersion+"/ops", f.authed(f.ops))
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests++
		hook := f.hook
		f.mu.Unlock()
		if hook != nil && hook(w, r) {
			return
		}
		mux.ServeHTTP(w, r)
	}))
	// Refused handshakes are the point of some tests; keep them off stderr.
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if useTLS {
		f.srv.StartTLS()
	} else {
		f.srv.Start()
	}
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeServer) URL() string { return f.srv.URL }

func (f *fakeServer) setHook(h func(w http.ResponseWriter, r *http.Request) bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hook = h
}

// addChanges appends n slot changes to the feed.
func (f *fakeServer) addChanges(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		seq := int64(len(f.changes) + 1)
		f.changes = append(f.changes, gpsync.Change{Seq: seq, Entity: gpsync.EntitySlot, ID: seq,
			Data: json.RawMessage(`{"taken":false}`)})
	}
	close(f.changed)
	f.changed = make(chan struct{})
}

// feedWaits is the wait= of each feed request answered, in order.
func (f *fakeServer) feedWaits() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.pullWaits)
}

// waitLog is what ended each held long-poll, and how many are held or
// were.
func (f *fakeServer) waitLog() (ended []string, held int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.waits), f.held
}

// hold keeps a long-poll open until there is a change after after, the
// client gives up, or wait ends, and logs which. The caller holds f.mu;
// hold releases it while waiting and holds it again on return.
func (f *fakeServer) hold(r *http.Request, after int64, wait time.Duration) {
	f.held++
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for int64(len(f.changes)) <= after {
		changed := f.changed
		f.mu.Unlock()
		select {
		case <-changed:
			f.mu.Lock()
			continue
		case <-r.Context().Done():
			f.mu.Lock()
			f.waits = append(f.waits, "gone")
			return
		case <-timer.C:
			f.mu.Lock()
			f.waits = append(f.waits, "timeout")
			return
		}
	}
	f.waits = append(f.waits, "change")
}

func (f *fakeServer) snapshot() (requests int, applied []string, pushes [][]string, pulls []int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests, slices.Clone(f.applied), slices.Clone(f.pushes), slices.Clone(f.pulls)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, gpsync.Error{Code: code, Message: message})
}

func (f *fakeServer) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			writeError(w, http.StatusUnauthorized, "unauthorized", "This device is not set up with the practice server.")
			return
		}
		h(w, r)
	}
}

func (f *fakeServer) enrol(w http.ResponseWriter, r *http.Request) {
	var req gpsync.EnrolRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || r.Header.Get("Authorization") != "" {
		writeError(w, http.StatusBadRequest, "bad_request", "Bad request.")
		return
	}
	if req.Code != testEnrolCode {
		writeError(w, http.StatusBadRequest, "invalid_code", "That code is not valid. Please ask for a new one.")
		return
	}
	writeJSON(w, http.StatusOK, gpsync.EnrolResponse{DeviceID: "dev_1", Role: gpsync.RoleKiosk, Token: testToken, Practice: demoPractice()})
}

func (f *fakeServer) feed(w http.ResponseWriter, r *http.Request) {
	after, err1 := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	limit, err2 := strconv.Atoi(r.URL.Query().Get("limit"))
	if err1 != nil || err2 != nil || after < 0 || limit < 1 {
		writeError(w, http.StatusBadRequest, "bad_cursor", "Bad cursor.")
		return
	}
	wait, err3 := strconv.Atoi(r.URL.Query().Get("wait"))
	if r.URL.Query().Get("wait") == "" {
		wait, err3 = 0, nil
	}
	if err3 != nil || wait < 0 || wait > gpsync.MaxWaitSeconds {
		writeError(w, http.StatusBadRequest, "bad_request", "Bad wait.")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if after > int64(len(f.changes)) {
		writeError(w, http.StatusConflict, "cursor_ahead", "Please sync again from the start.")
		return
	}
	if f.longPoll && wait > 0 && after == int64(len(f.changes)) {
		f.hold(r, after, time.Duration(wait)*time.Second)
		if r.Context().Err() != nil {
			return
		}
	}
	f.pulls = append(f.pulls, after)
	f.pullWaits = append(f.pullWaits, wait)
	end := min(int(after)+limit, len(f.changes))
	page := gpsync.ChangesResponse{Changes: slices.Clone(f.changes[after:end]), Cursor: int64(end), More: end < len(f.changes)}
	writeJSON(w, http.StatusOK, page)
}

func (f *fakeServer) ops(w http.ResponseWriter, r *http.Request) {
	var req gpsync.PushRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || len(req.Ops) == 0 || len(req.Ops) > gpsync.MaxOpsPerPush {
		writeError(w, http.StatusBadRequest, "bad_request", "Bad request.")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []string
	resp := gpsync.PushResponse{Results: []gpsync.OpResult{}}
	for _, op := range req.Ops {
		ids = append(ids, op.ID)
		res, seen := f.results[op.ID]
		if left, ok := f.quota[op.Kind]; ok && !seen {
			if left == 0 {
				f.pushes = append(f.pushes, ids)
				w.Header().Set("Retry-After", f.quotaWait)
				writeJSON(w, http.StatusTooManyRequests, gpsync.Error{Code: gpsync.CodeQuotaExceeded,
					Message: "This device has asked for help a lot recently.", Kind: op.Kind, Results: resp.Results})
				return
			}
			f.quota[op.Kind] = left - 1
		}
		if !seen {
			if f.rejectIDs[op.ID] {
				res = gpsync.OpResult{ID: op.ID, Status: gpsync.OpRejected, Reason: "slot_taken", Message: "Sorry, that time has just been booked."}
			} else {
				res = gpsync.OpResult{ID: op.ID, Status: gpsync.OpApplied, Result: json.RawMessage(`{"id":1}`)}
				f.applied = append(f.applied, op.ID)
			}
			f.results[op.ID] = res
		}
		resp.Results = append(resp.Results, res)
	}
	f.pushes = append(f.pushes, ids)
	writeJSON(w, http.StatusOK, resp)
}

// fakeReplica is an in-memory client.Replica that checks it is used as
// documented: results recorded in outbox order, pages applied in turn.
type fakeReplica struct {
	mu        sync.Mutex
	cursor    int64
	applied   []int64 // seqs applied, in order, since the last reset
	pages     int
	outbox    []gpsync.Op
	attention []gpsync.OpResult
	resets    int
	skip      []string // kinds the last PendingOps was asked to leave out
}

func (r *fakeReplica) Cursor(context.Context) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cursor, nil
}

func (r *fakeReplica) ApplyChanges(_ context.Context, page gpsync.ChangesResponse) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range page.Changes {
		r.applied = append(r.applied, c.Seq)
	}
	r.cursor = page.Cursor
	r.pages++
	return nil
}

func (r *fakeReplica) PendingOps(_ context.Context, limit int, skip ...string) ([]gpsync.Op, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.skip = slices.Clone(skip)
	var out []gpsync.Op
	for _, o := range r.outbox {
		if len(out) < limit && !slices.Contains(skip, o.Kind) {
			out = append(out, o)
		}
	}
	return out, nil
}

// RecordResults wants each result for the oldest queued op not of a kind
// the last PendingOps skipped.
func (r *fakeReplica) RecordResults(_ context.Context, results []gpsync.OpResult) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, res := range results {
		i := slices.IndexFunc(r.outbox, func(o gpsync.Op) bool { return !slices.Contains(r.skip, o.Kind) })
		if i < 0 || r.outbox[i].ID != res.ID {
			return errors.New("fake replica: result out of outbox order")
		}
		r.outbox = slices.Delete(r.outbox, i, i+1)
		if res.Status == gpsync.OpRejected {
			r.attention = append(r.attention, res)
		}
	}
	return nil
}

func (r *fakeReplica) ResetForResync(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cursor, r.applied = 0, nil
	r.resets++
	return nil
}

func (r *fakeReplica) PendingCount(context.Context) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.outbox), nil
}

func (r *fakeReplica) AttentionCount(context.Context) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.attention), nil
}

// queue adds ops op-<from>..op-<to> to the outbox.
func (r *fakeReplica) queue(from, to int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := from; i <= to; i++ {
		r.outbox = append(r.outbox, gpsync.Op{ID: fmt.Sprintf("op-%d", i), Kind: gpsync.OpAskForHelp,
			CreatedAt: time.Date(2026, 6, 10, 8, 0, i, 0, time.UTC), Payload: json.RawMessage(`{"note":"` + secretNote + `"}`)})
	}
}

// queueKind adds op-<n> of kind to the outbox.
func (r *fakeReplica) queueKind(n int, kind string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outbox = append(r.outbox, gpsync.Op{ID: fmt.Sprintf("op-%d", n), Kind: kind,
		CreatedAt: time.Date(2026, 6, 10, 8, 0, n, 0, time.UTC), Payload: json.RawMessage(`{"note":"` + secretNote + `"}`)})
}

func (r *fakeReplica) outboxIDs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for _, o := range r.outbox {
		ids = append(ids, o.ID)
	}
	return ids
}

func (r *fakeReplica) appliedSeqs() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.applied)
}

func opIDs(from, to int) []string {
	var ids []string
	for i := from; i <= to; i++ {
		ids = append(ids, fmt.Sprintf("op-%d", i))
	}
	return ids
}

func seqs(from, to int64) []int64 {
	var s []int64
	for i := from; i <= to; i++ {
		s = append(s, i)
	}
	return s
}

// waitFor polls cond; the limit only turns a hang into a readable failure.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
