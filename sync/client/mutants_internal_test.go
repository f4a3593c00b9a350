package client

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	gpsync "gpkiosk/sync"
)

// nopReplica is a Replica that is never called: these tests only build
// runners.
type nopReplica struct{ Replica }

// RunnerOptions' zero values are the documented defaults, and values past
// the protocol's limits are brought back to them.
func TestRunnerOptionsTakeTheDocumentedDefaults(t *testing.T) {
	c, err := New("http://127.0.0.1:1", WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		interval            time.Duration
		pageSize, pushBatch int
		idleWait            time.Duration
	}
	for _, tt := range []struct {
		name string
		opts RunnerOptions
		want got
	}{
		{"zero", RunnerOptions{}, got{DefaultInterval, gpsync.DefaultPage, gpsync.MaxOpsPerPush, gpsync.IdleWaitSeconds * time.Second}},
		{"negative", RunnerOptions{Interval: -time.Second, PageSize: -1, PushBatch: -1, Wait: -time.Second},
			got{DefaultInterval, gpsync.DefaultPage, gpsync.MaxOpsPerPush, 0}},
		{"smallest", RunnerOptions{Interval: time.Nanosecond, PageSize: 1, PushBatch: 1, Wait: time.Nanosecond},
			got{time.Nanosecond, 1, 1, time.Nanosecond}},
		{"at the limits", RunnerOptions{Interval: time.Hour, PageSize: gpsync.MaxPageSize, PushBatch: gpsync.MaxOpsPerPush, Wait: gpsync.MaxWaitSeconds * time.Second},
			got{time.Hour, gpsync.MaxPageSize, gpsync.MaxOpsPerPush, gpsync.MaxWaitSeconds * time.Second}},
		{"past the limits", RunnerOptions{PageSize: gpsync.MaxPageSize + 1, PushBatch: gpsync.MaxOpsPerPush + 1, Wait: gpsync.MaxWaitSeconds*time.Second + 1},
			got{DefaultInterval, gpsync.MaxPageSize, gpsync.MaxOpsPerPush, gpsync.MaxWaitSeconds * time.Second}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRunner(c, nopReplica{}, tt.opts)
			if g := (got{r.interval, r.pageSize, r.pushBatch, r.idleWait}); g != tt.want {
				t.Errorf("runner has %+v, want %+v", g, tt.want)
			}
			if r.backoff == nil || r.now == nil || r.log != c.log {
				t.Errorf("runner has backoff %v, clock set %v, client's logger %v; want all three", r.backoff, r.now != nil, r.log == c.log)
			}
		})
	}
}

// NewBackoff's zero or negative base and ceiling are the protocol's 0.5 s
// and 60 s; a ceiling below the base is raised to it.
func TestNewBackoffTakesTheProtocolsDefaults(t *testing.T) {
	for _, tt := range []struct {
		base, ceiling         time.Duration
		wantBase, wantCeiling time.Duration
	}{
		{0, 0, DefaultBackoffBase, DefaultBackoffMax},
		{-1, -1, DefaultBackoffBase, DefaultBackoffMax},
		{1, 1, 1, 1},
		{time.Second, time.Millisecond, time.Second, time.Second},
	} {
		b := NewBackoff(tt.base, tt.ceiling, nil)
		if b.base != tt.wantBase || b.step != tt.wantBase || b.Max() != tt.wantCeiling || b.rand == nil {
			t.Errorf("NewBackoff(%v, %v) = base %v, step %v, max %v; want base %v, max %v", tt.base, tt.ceiling, b.base, b.step, b.Max(), tt.wantBase, tt.wantCeiling)
		}
	}
	if DefaultBackoffBase != 500*time.Millisecond || DefaultBackoffMax != time.Minute {
		t.Errorf("defaults %v and %v, want docs/sync-protocol.md's 0.5 s and 60 s", DefaultBackoffBase, DefaultBackoffMax)
	}
}

// Every request has a deadline: the ordinary timeout, and for a long-poll
// the longest wait the protocol allows on top of it, so a server that never
// answers cannot hold the device for ever. A timeout of zero or less is
// refused rather than meaning "none".
func TestEveryRequestHasADeadline(t *testing.T) {
	for _, d := range []time.Duration{time.Nanosecond, 200 * time.Millisecond, DefaultTimeout} {
		c, err := New("http://127.0.0.1:1", WithTimeout(d))
		if err != nil {
			t.Fatalf("New with timeout %v: %v", d, err)
		}
		if got := c.http.GetClient().Timeout; got != d {
			t.Errorf("timeout %v: ordinary requests time out after %v", d, got)
		}
		if got, want := c.waitHTTP.GetClient().Timeout, d+gpsync.MaxWaitSeconds*time.Second; got != want {
			t.Errorf("timeout %v: long-polls time out after %v, want %v", d, got, want)
		}
	}
	for _, d := range []time.Duration{0, -time.Second} {
		if _, err := New("http://127.0.0.1:1", WithTimeout(d)); err == nil {
			t.Errorf("New with timeout %v succeeded, want it refused", d)
		}
	}
}

// A quota hold is a wait for some requests, not a busy or broken server;
// push keeps it from the status line, and should one reach it, it says so.
func TestDescribeAQuotaHoldAsAWait(t *testing.T) {
	held := &ServerError{StatusCode: 429, Code: CodeQuotaExceeded, Kind: gpsync.OpAskForHelp, RetryAfter: time.Minute}
	busy := &ServerError{StatusCode: 429, Code: CodeRateLimited, RetryAfter: time.Minute}
	if got := describe(held); got == describe(busy) || !strings.Contains(got, "kept here") {
		t.Errorf("a quota hold is described as %q", got)
	}
}
