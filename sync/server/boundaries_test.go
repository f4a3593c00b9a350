package server

import (
	"context"
	"net/http"
	"testing"
	"time"

	gpsync "gpkiosk/sync"
)

// One push may carry up to MaxOpsPerPush actions, and not one more; the
// same action twice in one push is refused whole.
func TestPushLimits(t *testing.T) {
	p := newPractice(t, WithRateLimits(1e6, 1e6, 1e6, 1e6))
	k := p.enrol(t, "kiosk")
	help := func(n int) gpsync.Op { return newOp(t, n, gpsync.OpAskForHelp, gpsync.AskForHelpPayload{Note: "help"}) }
	batch := func(from, n int) []gpsync.Op {
		var ops []gpsync.Op
		for i := range n {
			ops = append(ops, help(from+i))
		}
		return ops
	}
	applied := func() int {
		n, _, err := p.st.OpCount(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
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
		t.Fatalf("%d applied, want %d", n, gpsync.MaxOpsPerPush)
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
