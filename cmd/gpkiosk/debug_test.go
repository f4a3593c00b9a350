package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestDebugAddrRefusesAnyButLoopback: a profile holds whatever is in
// memory, so --debug-addr refuses any address other machines could reach,
// says why, and listens on nothing.
func TestDebugAddrRefusesAnyButLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.7:6060", "localhost:0", "example.org:6060", "127.0.0.1", "nonsense"} {
		d, err := listenDebug(context.Background(), addr)
		if err == nil {
			d.ln.Close()
			t.Errorf("--debug-addr %q was accepted and listens on %s", addr, d.Addr())
			continue
		}
		if !strings.Contains(err.Error(), "loopback") || !strings.Contains(err.Error(), "--debug-addr") {
			t.Errorf("--debug-addr %q: the error does not say loopback is needed: %v", addr, err)
		}
	}
}

// TestDebugAddrServesHeapProfile: on 127.0.0.1 the heap profile is served,
// and nothing else of net/http's default mux is.
func TestDebugAddrServesHeapProfile(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	d, err := listenDebug(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		d.serve(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)))
		close(done)
	}()
	host, _, _ := net.SplitHostPort(d.Addr())
	if host != "127.0.0.1" {
		t.Fatalf("listening on %s, not loopback", d.Addr())
	}
	resp, err := http.Get("http://" + d.Addr() + "/debug/pprof/heap")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// A heap profile is gzipped protobuf: it starts with gzip's magic.
	if resp.StatusCode != http.StatusOK || len(body) < 2 || body[0] != 0x1f || body[1] != 0x8b {
		t.Fatalf("GET /debug/pprof/heap: %s, %d bytes, want a gzipped profile", resp.Status, len(body))
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the debug server did not stop when its context ended")
	}
	if _, err := http.Get("http://" + d.Addr() + "/debug/pprof/heap"); err == nil {
		t.Error("the debug server still answers after its context ended")
	}
}
