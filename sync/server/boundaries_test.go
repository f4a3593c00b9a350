package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// One push may carry up to MaxOpsPerPush actions, and not one more; the
// same action twice in one push is refused whole.
func TestPushLimits(t *testing.T) {
	p := newPractice(t, WithRateLimits(1e6, 1e6, 1e6, 1e6))
	k := p.enrol(t, "kiosk")
	// Within the help quota (store.QuotaFor) a push is all help requests;
	// past it, problem reports with no description, each refused as a
	// normal result, so a full push stays clear of every quota. What
	// counts here is that every action of an accepted push has its result
	// recorded, and none of a refused one.
	q, _ := store.QuotaFor(store.KindAskForHelp)
	help := func(n int) gpsync.Op {
		if n%1000 >= q.PerHour {
			return newOp(t, n, gpsync.OpReportProblem, gpsync.ReportProblemPayload{Category: "screen"})
		}
		return newOp(t, n, gpsync.OpAskForHelp, gpsync.AskForHelpPayload{Note: "help"})
	}
	batch := func(from, n int) []gpsync.Op {
		var ops []gpsync.Op
		for i := range n {
			ops = append(ops, help(from+i))
		}
		return ops
	}
	applied := func() int {
		applied, rejected, err := p.st.OpCount(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return applied + rejected
	}

	over := p.do(t, "POST", "/v1/ops", k.Token, gpsync.PushRequest{Ops: batch(1, gpsync.MaxOpsPerPush+1)})
	if over.status != http.StatusRequestEntityTooLarge || over.code(t) != "too_large" {
		t.Fatalf("%d actions: %d %s, want 413 too_large", gpsync.MaxOpsPerPush+1, over.status, over.body)
	}
	twice := p.do(t, "POST", "/v1/ops", k.Token, gpsync.PushRequest{Ops: []gpsync.Op{help(500), help(501), help(500)}})
	if twice.status != http.StatusBadRequest || twice.code(t) != "bad_request" {
		t.Fatalf("the same action twice in one push: %d %s, want 400 bad_request", twice.status, twice.body)
	}
	if n := applied(); n != 0 {
		t.Fatalf("refused pushes applied %d actions", n)
	}
	if res := p.push(t, k.Token, batch(1000, gpsync.MaxOpsPerPush)...); len(res) != gpsync.MaxOpsPerPush {
		t.Fatalf("%d results for %d actions", len(res), gpsync.MaxOpsPerPush)
	}
	if n := applied(); n != gpsync.MaxOpsPerPush {
		t.Fatalf("%d recorded, want %d", n, gpsync.MaxOpsPerPush)
	}
}

// A device quiet for a long time gets its burst back, and no more: quiet
// does not bank requests without limit.
func TestRateLimitBucketHoldsAtMostItsBurst(t *testing.T) {
	l := newLimiter(1, 3)
	now := time.Date(2026, 6, 8, 9, 0, 0, 0, time.UTC)
	take := func() int {
		n := 0
		for {
			if _, ok := l.allow("kiosk", now); !ok {
				return n
			}
			n++
		}
	}
	if n := take(); n != 3 {
		t.Fatalf("a new device: %d at once, want its burst of 3", n)
	}
	now = now.Add(time.Hour)
	if n := take(); n != 3 {
		t.Fatalf("after an hour's quiet: %d at once, want the burst of 3", n)
	}
	now = now.Add(time.Second)
	if n := take(); n != 1 {
		t.Fatalf("after one second: %d, want 1 (one a second)", n)
	}
	if wait, ok := l.allow("kiosk", now); ok || wait <= 0 || wait > time.Second {
		t.Fatalf("an empty bucket: allowed %v, wait %v", ok, wait)
	}
}

// A GET endpoint answers HEAD as GET, as HTTP says; a POST endpoint does
// not.
func TestHeadOnGetEndpoints(t *testing.T) {
	srv := newServer(t, true)
	for path, want := range map[string]int{
		"/healthz":                      http.StatusOK,
		gpsync.APIVersion + "/practice": http.StatusOK,
		gpsync.APIVersion + "/enrol":    http.StatusMethodNotAllowed,
	} {
		resp, err := http.Head(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("HEAD %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}

// A device told to wait is told how long in whole seconds, as the rate
// says: at one request every four seconds, four.
func TestRetryAfterSaysHowLongToWait(t *testing.T) {
	p := newPractice(t, WithRateLimits(0.25, 1, 1e6, 1e6))
	k := p.enrol(t, "kiosk")
	p.do(t, "GET", "/v1/changes?after=0&limit=1", k.Token, nil)
	r := p.do(t, "GET", "/v1/changes?after=0&limit=1", k.Token, nil)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "4" {
		t.Fatalf("second request at once: %d, Retry-After %q, want 429 and 4", r.status, r.header.Get("Retry-After"))
	}
}

// Enrolment is limited per address, not per connection: someone guessing
// codes gains nothing by opening a new connection for each guess.
func TestEnrolmentLimitIsPerAddressAcrossConnections(t *testing.T) {
	p := newPractice(t, WithRateLimits(1e6, 1e6, 0.001, 3))
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	statuses := make([]int, 0, 5)
	for range 5 {
		body, _ := json.Marshal(gpsync.EnrolRequest{Code: "AAAAA-AAAAA", DeviceName: "guess"})
		resp, err := client.Post(p.srv.URL+"/v1/enrol", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
	}
	if statuses[2] == http.StatusTooManyRequests || statuses[3] != http.StatusTooManyRequests || statuses[4] != http.StatusTooManyRequests {
		t.Fatalf("five guesses, each on a new connection: %v, want the fourth and fifth limited", statuses)
	}
}

// A device name is at most MaxDeviceName letters; the server's quick
// check counts bytes, so 80 letters of four bytes each still enrol.
func TestLongestDeviceNameEnrols(t *testing.T) {
	p := newPractice(t, WithRateLimits(1e6, 1e6, 1e6, 1e6))
	code, err := p.st.NewEnrolmentCode(context.Background(), store.Actor{Name: "manager:test", Device: "test"}, store.DeviceKiosk, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.Repeat("𝒜", gpsync.MaxDeviceName) // 4 bytes each
	if r := p.do(t, "POST", "/v1/enrol", "", gpsync.EnrolRequest{Code: code, DeviceName: name}); r.status != http.StatusOK {
		t.Fatalf("an %d-letter name of %d bytes: %d %s", gpsync.MaxDeviceName, len(name), r.status, r.body)
	}
}

// A page of one change is a page: the smallest page a device may ask for.
func TestPageOfOneChange(t *testing.T) {
	p := newPractice(t, WithRateLimits(1e6, 1e6, 1e6, 1e6))
	k := p.enrol(t, "kiosk")
	r := p.do(t, "GET", "/v1/changes?after=0&limit=1", k.Token, nil)
	var page gpsync.ChangesResponse
	if err := json.Unmarshal(r.body, &page); r.status != http.StatusOK || err != nil {
		t.Fatalf("limit=1: %d %s", r.status, r.body)
	}
	if len(page.Changes) != 1 || !page.More || page.Cursor != page.Changes[0].Seq {
		t.Fatalf("limit=1: %d changes, more %v, cursor %d", len(page.Changes), page.More, page.Cursor)
	}
}

// waitFails is the real store whose long-poll wait breaks, as a disk
// failing under it would.
type waitFails struct{ *store.Store }

func (waitFails) WaitForChange(context.Context, int64, time.Duration) (bool, error) {
	return false, errors.New("disk I/O error")
}

// A long-poll whose wait breaks answers 503, so the device tries again
// later, rather than an empty success it would take as "nothing new".
func TestLongPollWhoseWaitBreaksIs503(t *testing.T) {
	p := newPractice(t, WithRateLimits(1e6, 1e6, 1e6, 1e6))
	k := p.enrol(t, "kiosk")
	srv := httptest.NewServer(New(waitFails{p.st}, slog.New(slog.NewTextHandler(io.Discard, nil)), WithRateLimits(1e6, 1e6, 1e6, 1e6)))
	t.Cleanup(srv.Close)
	req, err := http.NewRequest("GET", srv.URL+"/v1/changes?after=0&wait=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+k.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e gpsync.Error
	if err := json.NewDecoder(resp.Body).Decode(&e); resp.StatusCode != http.StatusServiceUnavailable || err != nil || e.Code != "unavailable" {
		t.Fatalf("wait broke: %d %+v %v, want 503 unavailable", resp.StatusCode, e, err)
	}
}

// A bucket refills at its rate and says exactly how long until the next
// token: at two a second, half a second from empty, a quarter after a
// quarter.
func TestRateLimitRefillsAtItsRateAndSaysHowLong(t *testing.T) {
	l := newLimiter(2, 1)
	t0 := time.Date(2026, 6, 8, 9, 0, 0, 0, time.UTC)
	if _, ok := l.allow("kiosk", t0); !ok {
		t.Fatal("the first request was refused")
	}
	for _, c := range []struct {
		after time.Duration
		ok    bool
		wait  time.Duration
	}{{0, false, 500 * time.Millisecond}, {250 * time.Millisecond, false, 250 * time.Millisecond}, {500 * time.Millisecond, true, 0}} {
		wait, ok := l.allow("kiosk", t0.Add(c.after))
		if ok != c.ok || wait != c.wait {
			t.Fatalf("%v after the first: allowed %v, wait %v; want %v, %v", c.after, ok, wait, c.ok, c.wait)
		}
	}
}

// Forgetting idle devices' buckets (so the map cannot grow without bound)
// starts only past 10,000 of them, and never gives a device that spent its
// burst a fresh one early.
func TestRateLimitForgetsIdleBucketsOnlyWhenThereAreMany(t *testing.T) {
	t0 := time.Date(2026, 6, 8, 9, 0, 0, 0, time.UTC)
	later := t0.Add(2 * time.Minute) // 0.12 of a token back at 0.001 a second
	small := newLimiter(0.001, 1)
	small.allow("spent", t0)
	small.allow("newcomer", later)
	if _, ok := small.allow("spent", later); ok {
		t.Fatal("with two devices, one that spent its burst had it back after two minutes")
	}
	full := newLimiter(0.001, 1)
	for i := range 10000 {
		full.allow(fmt.Sprintf("device %d", i), t0)
	}
	full.allow("newcomer", later) // the 10,001st: the map holds 10,000, not more
	if _, ok := full.allow("device 0", later); ok {
		t.Fatal("at exactly 10,000 devices, idle buckets were forgotten")
	}
	full.allow("another", later) // now past 10,000: idle buckets go
	if _, ok := full.allow("device 1", later); !ok {
		t.Fatal("past 10,000 devices, an idle bucket was kept")
	}
}

// Out of the box an address may try ten set-up codes, then one more every
// six seconds: a second later it is still refused.
func TestDefaultEnrolmentLimit(t *testing.T) {
	p := newPractice(t)
	var now atomic.Int64 // the handlers read the clock on their own goroutines
	now.Store(time.Date(2026, 6, 8, 9, 0, 0, 0, time.UTC).Unix())
	clock := func() time.Time { return time.Unix(now.Load(), 0) }
	srv := httptest.NewServer(New(p.st, slog.New(slog.NewTextHandler(io.Discard, nil)), WithClock(clock)))
	t.Cleanup(srv.Close)
	try := func() int {
		body, _ := json.Marshal(gpsync.EnrolRequest{Code: "AAAAA-AAAAA", DeviceName: "guess"})
		resp, err := http.Post(srv.URL+"/v1/enrol", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for i := range 10 {
		if s := try(); s == http.StatusTooManyRequests {
			t.Fatalf("try %d refused as too many", i+1)
		}
	}
	if s := try(); s != http.StatusTooManyRequests {
		t.Fatalf("eleventh try at once: %d", s)
	}
	now.Add(1)
	if s := try(); s != http.StatusTooManyRequests {
		t.Fatalf("a second later: %d", s)
	}
	now.Add(6)
	if s := try(); s == http.StatusTooManyRequests {
		t.Fatal("seven seconds later, still refused")
	}
}

// A bucket is forgotten only after more than a minute idle: one used a
// minute ago to the second is still remembered, spent.
func TestRateLimitKeepsABucketIdleExactlyAMinute(t *testing.T) {
	t0 := time.Date(2026, 6, 8, 9, 0, 0, 0, time.UTC)
	l := newLimiter(0.001, 1)
	for i := range 10001 {
		l.allow(fmt.Sprintf("device %d", i), t0)
	}
	l.allow("newcomer", t0.Add(time.Minute)) // past 10,000: idle buckets go
	if _, ok := l.allow("device 5", t0.Add(time.Minute)); ok {
		t.Fatal("a bucket idle exactly a minute was forgotten, so its spent burst came back")
	}
}
