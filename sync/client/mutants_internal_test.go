package client

import (
	"log/slog"
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
