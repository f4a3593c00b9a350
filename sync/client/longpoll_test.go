package client_test

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
)

// An idle device keeps one long-poll open at a time: each request is
// made only after the one before ended, and nothing else is asked.
func TestIdleRunnerAsksOncePerWait(t *testing.T) {
	f := newFakeServer(t)
	f.longPoll = true
	rep := &fakeReplica{}
	// A one-second wait keeps the test short; the runner asks for it.
	r := newRunner(t, f, rep, client.RunnerOptions{Interval: time.Hour, Wait: time.Second})
	startRun(t, r)
	waitFor(t, "three waits to end and a fourth to be held", func() bool {
		ended, held := f.waitLog()
		return len(ended) >= 3 && held >= 4
	})
	ended, held := f.waitLog()
	requests, _, pushes, _ := f.snapshot()
	if !slices.Equal(ended[:3], []string{"timeout", "timeout", "timeout"}) {
		t.Errorf("held requests ended by %v, want each by its wait", ended)
	}
	// The first sync's pull, then only the long-polls, one after another
	// (never two held at once: held is at most one more than ended).
	if held > len(ended)+1 || requests != 1+held || len(pushes) != 0 {
		t.Errorf("%d requests, %d held, %d ended, %d pushes: want the first pull and then one long-poll at a time",
			requests, held, len(ended), len(pushes))
	}
	waits := f.feedWaits()
	if waits[0] != 0 || !slices.Equal(slices.Compact(waits[1:]), []int{1}) {
		t.Errorf("feed requests' wait= %v, want none for the first sync's pull and 1 for every long-poll", waits)
	}
}

// A change made on the server while a device waits is answered on the
// held request itself, applied, and then pulled after without waiting.
func TestChangeDuringWaitArrivesOnTheHeldRequest(t *testing.T) {
	f := newFakeServer(t)
	f.longPoll = true
	rep := &fakeReplica{}
	r := newRunner(t, f, rep, client.RunnerOptions{Interval: time.Hour}) // the default 25 s wait
	startRun(t, r)
	waitFor(t, "a long-poll to be held", func() bool { _, held := f.waitLog(); return held == 1 })
	f.addChanges(1)
	waitFor(t, "the change to be applied", func() bool { return slices.Equal(rep.appliedSeqs(), []int64{1}) })
	ended, _ := f.waitLog()
	if len(ended) == 0 || ended[0] != "change" {
		t.Fatalf("the held request ended by %v, want by the change", ended)
	}
	// After a page with changes the runner pulls again at once, without
	// wait=, before it settles into the next long-poll.
	waitFor(t, "the next long-poll", func() bool { _, held := f.waitLog(); return held == 2 })
	// The fourth (held) request is logged when it is answered.
	if waits, want := f.feedWaits(), []int{0, gpsync.IdleWaitSeconds, 0}; !slices.Equal(waits, want) {
		t.Errorf("feed requests' wait= %v, want %v", waits, want)
	}
	if st := r.Status(); !st.Online {
		t.Errorf("Status = %+v", st)
	}
}

// A local action during a long-poll ends the wait at once and is pushed:
// the held request is given up, not waited out.
func TestNudgeEndsTheWait(t *testing.T) {
	f := newFakeServer(t)
	f.longPoll = true
	rep := &fakeReplica{}
	r := newRunner(t, f, rep, client.RunnerOptions{Interval: time.Hour})
	startRun(t, r)
	waitFor(t, "a long-poll to be held", func() bool { _, held := f.waitLog(); return held == 1 })
	rep.queue(1, 1)
	r.Nudge()
	waitFor(t, "the op to be pushed", func() bool { _, applied, _, _ := f.snapshot(); return len(applied) == 1 })
	waitFor(t, "the server to see the held request go", func() bool { ended, _ := f.waitLog(); return len(ended) >= 1 })
	if ended, _ := f.waitLog(); ended[0] != "gone" {
		t.Fatalf("the held request ended by %v, want given up by the device", ended)
	}
	// The server applied it; the device records the answer when the
	// push's response arrives, which may be a moment after.
	waitFor(t, "the answer to be recorded", func() bool { return len(rep.outboxIDs()) == 0 })
}

// A server from before wait= answers a long-poll at once with an empty
// page. The runner must not ask again and again: it falls back to the
// interval.
func TestInstantEmptyAnswersDoNotSpin(t *testing.T) {
	f := newFakeServer(t) // ignores wait=
	rep := &fakeReplica{}
	r := newRunner(t, f, rep, client.RunnerOptions{Interval: time.Hour})
	startRun(t, r)
	waitFor(t, "the first sync and one long-poll", func() bool { return len(f.feedWaits()) >= 2 })
	// A spinning runner makes hundreds of requests in this time on
	// loopback; one that fell back to the hourly interval makes none.
	time.Sleep(200 * time.Millisecond)
	if waits := f.feedWaits(); !slices.Equal(waits, []int{0, gpsync.IdleWaitSeconds}) {
		t.Fatalf("feed requests' wait= %v: want one pull and one long-poll, then quiet", waits)
	}
	// A nudge still syncs at once.
	rep.queue(1, 1)
	r.Nudge()
	waitFor(t, "the op to be pushed", func() bool { _, applied, _, _ := f.snapshot(); return len(applied) == 1 })
}

// A long-poll outlasts the client's usual timeout: the server holding it
// for its wait is an answer, not a server that cannot be reached.
func TestWaitForChangesOutlastsTheTimeout(t *testing.T) {
	f := newFakeServer(t)
	f.longPoll = true
	c := newClient(t, f.URL(), client.WithToken(testToken), client.WithTimeout(200*time.Millisecond))
	page, err := c.WaitForChanges(t.Context(), 0, 0, time.Second)
	if err != nil || len(page.Changes) != 0 || page.More {
		t.Fatalf("WaitForChanges = %+v, %v; want an empty page after the wait", page, err)
	}
	if ended, _ := f.waitLog(); !slices.Equal(ended, []string{"timeout"}) {
		t.Fatalf("the request ended by %v, want by the server's wait", ended)
	}
	// The same client's ordinary requests keep their own timeout.
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		<-r.Context().Done()
		return true
	})
	if _, err := c.Changes(t.Context(), 0, 0); !errors.Is(err, client.ErrUnreachable) {
		t.Fatalf("a hung ordinary request: %v, want ErrUnreachable after the timeout", err)
	}
	// A wait longer than the protocol allows is asked as the longest.
	asked := make(chan string, 1)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		asked <- r.URL.Query().Get("wait")
		writeJSON(w, http.StatusOK, gpsync.ChangesResponse{})
		return true
	})
	if _, err := c.WaitForChanges(t.Context(), 0, 0, time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := <-asked; got != strconv.Itoa(gpsync.MaxWaitSeconds) {
		t.Fatalf("asked wait=%s, want %d", got, gpsync.MaxWaitSeconds)
	}
}
