package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
)

// checkInServer answers POST /v1/checkin with answer after checking the
// request is a device's: the token, JSON, and the patient's details. It
// records each request it decoded.
func checkInServer(t *testing.T, status int, answer any) (*fakeServer, *[]gpsync.CheckInRequest) {
	t.Helper()
	f := newFakeServer(t)
	var got []gpsync.CheckInRequest
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || r.URL.Path != gpsync.APIVersion+"/checkin" {
			writeError(w, http.StatusNotFound, "not_found", "No such endpoint.")
			return true
		}
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			writeError(w, http.StatusUnauthorized, "unauthorized", "This device is not set up with the practice server.")
			return true
		}
		var req gpsync.CheckInRequest
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if r.Header.Get("Content-Type") != "application/json" || dec.Decode(&req) != nil {
			writeError(w, http.StatusBadRequest, "bad_request", "Bad request.")
			return true
		}
		f.mu.Lock()
		got = append(got, req)
		f.mu.Unlock()
		writeJSON(w, status, answer)
		return true
	})
	return f, &got
}

func TestCheckInSendsThePatientsAnswersAndReturnsTheAppointment(t *testing.T) {
	startsAt := time.Date(2026, 6, 10, 9, 30, 0, 0, time.UTC)
	f, got := checkInServer(t, http.StatusOK, gpsync.CheckInResponse{CheckedIn: true, StartsAt: startsAt, Clinician: "Dr Patel"})
	req := gpsync.CheckInRequest{DateOfBirth: "1980-02-29", Sex: "female", SurnameInitial: "S"}

	resp, err := newClient(t, f.URL(), client.WithToken(testToken)).CheckIn(t.Context(), req)
	if err != nil {
		t.Fatalf("CheckIn: %v", err)
	}
	if !resp.CheckedIn || !resp.StartsAt.Equal(startsAt) || resp.Clinician != "Dr Patel" {
		t.Errorf("CheckIn = %+v, want checked in for Dr Patel at 09:30", resp)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(*got) != 1 || (*got)[0] != req {
		t.Errorf("server received %+v, want exactly %+v", *got, req)
	}
}

func TestCheckInRefusalIsAnAnswerWithItsMessage(t *testing.T) {
	const msg = "Sorry, we could not find your appointment. Please go to reception."
	f, _ := checkInServer(t, http.StatusOK, gpsync.CheckInResponse{CheckedIn: false, Message: msg})

	resp, err := newClient(t, f.URL(), client.WithToken(testToken)).CheckIn(t.Context(), gpsync.CheckInRequest{Code: "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
	if err != nil {
		t.Fatalf("CheckIn refused: %v, want an answer, not an error", err)
	}
	if resp.CheckedIn || resp.Message != msg {
		t.Errorf("CheckIn = %+v, want not checked in with the server's message", resp)
	}
}

func TestCheckInRefusalWithoutWordsIsABadAnswer(t *testing.T) {
	f, _ := checkInServer(t, http.StatusOK, gpsync.CheckInResponse{CheckedIn: false})

	resp, err := newClient(t, f.URL(), client.WithToken(testToken)).CheckIn(t.Context(), gpsync.CheckInRequest{Code: "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
	if !errors.Is(err, client.ErrBadResponse) {
		t.Errorf("CheckIn with a silent refusal = %+v, %v; want ErrBadResponse: a patient must be told something", resp, err)
	}
}

func TestCheckInServerErrorsAndGarbageAreErrors(t *testing.T) {
	t.Run("503", func(t *testing.T) {
		f, _ := checkInServer(t, http.StatusServiceUnavailable, gpsync.Error{Code: client.CodeUnavailable, Message: "Shutting down."})
		_, err := newClient(t, f.URL(), client.WithToken(testToken)).CheckIn(t.Context(), gpsync.CheckInRequest{Code: "X"})
		if !client.HasCode(err, client.CodeUnavailable) || !client.IsRetryable(err) {
			t.Errorf("CheckIn on a 503: %v, want a retryable unavailable ServerError", err)
		}
	})
	t.Run("not JSON", func(t *testing.T) {
		f, _ := checkInServer(t, http.StatusOK, "checked in")
		_, err := newClient(t, f.URL(), client.WithToken(testToken)).CheckIn(t.Context(), gpsync.CheckInRequest{Code: "X"})
		if !errors.Is(err, client.ErrBadResponse) {
			t.Errorf("CheckIn on a string body: %v, want ErrBadResponse", err)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		f, _ := checkInServer(t, http.StatusOK, gpsync.CheckInResponse{CheckedIn: true})
		c := newClient(t, f.URL(), client.WithToken(testToken))
		f.srv.Close()
		_, err := c.CheckIn(t.Context(), gpsync.CheckInRequest{Code: "X"})
		if !errors.Is(err, client.ErrUnreachable) {
			t.Errorf("CheckIn with the server gone: %v, want ErrUnreachable", err)
		}
	})
}

// enrolServer answers POST /v1/enrol with answer, whatever the code.
func enrolServer(t *testing.T, answer gpsync.EnrolResponse) *fakeServer {
	t.Helper()
	f := newFakeServer(t)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		writeJSON(w, http.StatusOK, answer)
		return true
	})
	return f
}

func TestEnrolTakesAKioskOrADesktopAndNothingElse(t *testing.T) {
	for _, tt := range []struct {
		role string
		ok   bool
	}{
		{gpsync.RoleKiosk, true},
		{gpsync.RoleDesktop, true},
		{"printer", false},
		{"", false},
	} {
		t.Run(tt.role, func(t *testing.T) {
			f := enrolServer(t, gpsync.EnrolResponse{DeviceID: "dev_1", Role: tt.role, Token: testToken, Practice: demoPractice()})
			got, err := newClient(t, f.URL()).Enrol(t.Context(), gpsync.EnrolRequest{Code: testEnrolCode, DeviceName: "Reception 1"})
			switch {
			case tt.ok && (err != nil || got.Role != tt.role):
				t.Errorf("Enrol as %q = %+v, %v; want enrolled as %[1]q", tt.role, got, err)
			case !tt.ok && !errors.Is(err, client.ErrBadResponse):
				t.Errorf("Enrol as %q = %+v, %v; want ErrBadResponse", tt.role, got, err)
			}
		})
	}
}

func TestEnrolWithoutDeviceIDOrTokenIsABadAnswer(t *testing.T) {
	for name, answer := range map[string]gpsync.EnrolResponse{
		"no device ID": {Role: gpsync.RoleKiosk, Token: testToken},
		"no token":     {DeviceID: "dev_1", Role: gpsync.RoleKiosk},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := newClient(t, enrolServer(t, answer).URL()).Enrol(t.Context(), gpsync.EnrolRequest{Code: testEnrolCode})
			if !errors.Is(err, client.ErrBadResponse) || got != (gpsync.EnrolResponse{}) {
				t.Errorf("Enrol = %+v, %v; want nothing and ErrBadResponse", got, err)
			}
		})
	}
}

// One push may carry exactly MaxOpsPerPush ops; one more is refused here,
// before anything is sent.
func TestPushCarriesExactlyTheMostOpsAllowed(t *testing.T) {
	f := newFakeServer(t)
	rep := &fakeReplica{}
	rep.queue(1, gpsync.MaxOpsPerPush)
	ops, _ := rep.PendingOps(t.Context(), gpsync.MaxOpsPerPush)

	resp, err := newClient(t, f.URL(), client.WithToken(testToken)).Push(t.Context(), ops)
	if err != nil {
		t.Fatalf("Push of %d ops: %v", len(ops), err)
	}
	_, applied, pushes, _ := f.snapshot()
	if len(resp.Results) != gpsync.MaxOpsPerPush || len(pushes) != 1 || len(applied) != gpsync.MaxOpsPerPush {
		t.Errorf("Push of %d ops: %d results, %d requests, %d applied; want all in one request", len(ops), len(resp.Results), len(pushes), len(applied))
	}
}

// pushOfSize is one op whose push body is exactly size bytes.
func pushOfSize(t *testing.T, size int) []gpsync.Op {
	t.Helper()
	op := gpsync.Op{ID: "op-1", Kind: gpsync.OpAskForHelp, CreatedAt: time.Date(2026, 6, 10, 8, 0, 0, 0, time.UTC),
		Payload: json.RawMessage(`{"note":""}`)}
	body, err := json.Marshal(gpsync.PushRequest{Ops: []gpsync.Op{op}})
	if err != nil {
		t.Fatal(err)
	}
	op.Payload = json.RawMessage(`{"note":"` + strings.Repeat("x", size-len(body)) + `"}`)
	if body, _ = json.Marshal(gpsync.PushRequest{Ops: []gpsync.Op{op}}); len(body) != size {
		t.Fatalf("built a %d-byte push, want %d", len(body), size)
	}
	return []gpsync.Op{op}
}

// A push body may be exactly MaxBodyBytes; a byte more is refused here, so
// the bytes never cross the network only to be answered 413.
func TestPushBodyMayBeExactlyTheLimit(t *testing.T) {
	f := newFakeServer(t)
	c := newClient(t, f.URL(), client.WithToken(testToken))

	if _, err := c.Push(t.Context(), pushOfSize(t, gpsync.MaxBodyBytes)); err != nil {
		t.Errorf("Push of exactly %d bytes: %v, want it sent", gpsync.MaxBodyBytes, err)
	}
	if _, err := c.Push(t.Context(), pushOfSize(t, gpsync.MaxBodyBytes+1)); err == nil {
		t.Errorf("Push of %d bytes succeeded, want it refused", gpsync.MaxBodyBytes+1)
	}
	if n, applied, _, _ := f.snapshot(); n != 1 || len(applied) != 1 {
		t.Errorf("server got %d requests applying %v, want one: the push at the limit", n, applied)
	}
}

// A random source outside [0, 1) is faulty: each wait is then the middle
// of its range, three quarters of the step, not its edge.
func TestBackoffTakesAFaultySourceAsHalfway(t *testing.T) {
	for name, v := range map[string]float64{"one": 1, "negative": -0.25, "seven": 7} {
		t.Run(name, func(t *testing.T) {
			b := client.NewBackoff(time.Second, 8*time.Second, func() float64 { return v })
			for i, want := range []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second} {
				if got := b.Next(0); got != want {
					t.Errorf("wait %d with a source giving %v = %v, want %v", i, v, got, want)
				}
			}
		})
	}
}

// A ServerError's text, for logs, names the protocol code only when the
// server sent one.
func TestServerErrorTextNamesTheCodeOnlyWhenThereIsOne(t *testing.T) {
	for _, tt := range []struct {
		err  *client.ServerError
		want string
	}{
		{&client.ServerError{StatusCode: 502, Message: "Bad Gateway"}, "practice server answered 502: Bad Gateway"},
		{&client.ServerError{StatusCode: 429, Code: client.CodeRateLimited, Message: "Too many requests."}, "practice server answered 429 rate_limited: Too many requests."},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

// A long-poll that brings changes says so in the log, once; one that ends
// empty says nothing, so an idle device's log stays quiet.
func TestLongPollLogsOnlyWhenItBringsChanges(t *testing.T) {
	f := newFakeServer(t)
	f.longPoll = true
	rep := &fakeReplica{}
	logs := &lockedBuffer{}
	r := newRunner(t, f, rep, client.RunnerOptions{Interval: time.Hour, Wait: time.Second,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	startRun(t, r)
	waitFor(t, "two empty waits to be answered and a third held", func() bool {
		ended, held := f.waitLog()
		return len(ended) >= 2 && held >= 3
	})
	if strings.Contains(logs.String(), "pulled changes") {
		t.Errorf("empty long-polls logged pulled changes:\n%s", logs)
	}
	f.addChanges(2)
	waitFor(t, "the changes to be applied", func() bool { return len(rep.appliedSeqs()) == 2 })
	waitFor(t, "the log line", func() bool { return strings.Contains(logs.String(), "pulled changes") })
	if n := strings.Count(logs.String(), "pulled changes"); n != 1 || !strings.Contains(logs.String(), "changes=2 cursor=2 waited=true") {
		t.Errorf("%d pulled-changes lines, want one for the two changes the wait brought:\n%s", n, logs)
	}
}

// A sync the caller gave up on (the screen closed, the app quitting) is
// not news: the status and its subscribers are left as they were.
func TestGivingUpMidSyncLeavesTheStatusAlone(t *testing.T) {
	f := newFakeServer(t)
	rep := &fakeReplica{}
	rep.queue(1, 1)
	r := newRunner(t, f, rep, client.RunnerOptions{Interval: time.Hour})
	rec := &recorder{}
	r.Subscribe(rec.add)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	f.setHook(func(w http.ResponseWriter, req *http.Request) bool {
		_, _ = io.Copy(io.Discard, req.Body) // the server notices a client gone only once the body is read
		cancel()
		<-req.Context().Done()
		return true
	})
	if err := r.SyncNow(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("SyncNow given up on: %v, want context.Canceled", err)
	}
	if st := r.Status(); st != (client.Status{}) {
		t.Errorf("status after giving up = %+v, want it untouched", st)
	}
	if seen := rec.all(); len(seen) != 0 {
		t.Errorf("subscribers told %+v, want nothing", seen)
	}
}

// countlessReplica cannot count its outbox.
type countlessReplica struct{ *fakeReplica }

func (countlessReplica) PendingCount(context.Context) (int, error) {
	return 0, errors.New("disk I/O error")
}

// A sync's log says what it did in numbers: how many batches were pushed
// and how many ops applied and rejected, how many pages and changes were
// pulled, and nothing at all for a sync that moved nothing. A replica that
// cannot count its outbox is logged as such, and only then.
func TestSyncLogsWhatItMovedInNumbers(t *testing.T) {
	f := newFakeServer(t)
	f.addChanges(5)
	f.rejectIDs["op-2"] = true
	rep := &fakeReplica{}
	rep.queue(1, 5)
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r := newRunner(t, f, rep, client.RunnerOptions{PushBatch: 2, PageSize: 3, Logger: logger})

	if err := r.SyncNow(t.Context()); err != nil {
		t.Fatalf("SyncNow: %v", err)
	}
	out := logs.String()
	for _, want := range []string{`msg="pushed ops" batches=3 applied=4 rejected=1`, `msg="pulled changes" pages=2 changes=5 cursor=5 resynced=false`} {
		if strings.Count(out, want) != 1 {
			t.Errorf("log lacks %s once:\n%s", want, out)
		}
	}
	if strings.Contains(out, "could not count") {
		t.Errorf("counts that worked were logged as failing:\n%s", out)
	}

	logs.mu.Lock()
	logs.buf.Reset()
	logs.mu.Unlock()
	if err := r.SyncNow(t.Context()); err != nil {
		t.Fatalf("second SyncNow: %v", err)
	}
	if out := logs.String(); strings.Contains(out, "pushed ops") || strings.Contains(out, "pulled changes") {
		t.Errorf("a sync that moved nothing logged:\n%s", out)
	}

	broken := client.NewRunner(newClient(t, f.URL(), client.WithToken(testToken)), countlessReplica{&fakeReplica{}},
		client.RunnerOptions{Logger: logger, Backoff: fastBackoff(), Clock: fakeClock()})
	if err := broken.SyncNow(t.Context()); err != nil {
		t.Fatalf("SyncNow with a replica that cannot count: %v", err)
	}
	if out := logs.String(); !strings.Contains(out, "could not count queued ops") {
		t.Errorf("a replica that cannot count was not logged:\n%s", out)
	}
}

// Only a long-poll gets the longer deadline: an ordinary feed request to a
// server that is slow to answer gives up at the client's own timeout, long
// before the server would have answered.
func TestOrdinaryFeedRequestKeepsTheOrdinaryTimeout(t *testing.T) {
	f := newFakeServer(t)
	f.addChanges(1)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second): // then the feed answers
		}
		return false
	})
	c := newClient(t, f.URL(), client.WithToken(testToken), client.WithTimeout(100*time.Millisecond))
	if page, err := c.Changes(t.Context(), 0, 0); !errors.Is(err, client.ErrUnreachable) {
		t.Errorf("Changes from a server slower than the timeout = %+v, %v; want ErrUnreachable", page, err)
	}
}
