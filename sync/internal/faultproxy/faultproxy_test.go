package faultproxy_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"gpkiosk/sync/internal/faultproxy"
)

// Generous bounds where success is expected, short ones only where a failure
// is the point, so the tests don't flake on a loaded machine.
const (
	okTimeout   = 10 * time.Second
	failTimeout = 300 * time.Millisecond
)

const bigSize = 1 << 20

// backend is a real HTTP server: /echo returns the request body, /big
// returns bigSize bytes, /hold blocks until released or the client goes away.
type backend struct {
	srv     *httptest.Server
	hits    atomic.Int64
	entered chan struct{}
	release chan struct{}
}

func newBackend(t *testing.T) *backend {
	t.Helper()
	b := &backend{entered: make(chan struct{}, 16), release: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b.hits.Add(1)
		_, _ = io.Copy(w, r.Body)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(bigSize))
		_, _ = w.Write(bytes.Repeat([]byte("x"), bigSize))
	})
	mux.HandleFunc("/hold", func(w http.ResponseWriter, r *http.Request) {
		b.entered <- struct{}{}
		select {
		case <-b.release:
		case <-r.Context().Done():
		}
	})
	b.srv = httptest.NewServer(mux)
	t.Cleanup(b.srv.Close)
	t.Cleanup(func() { close(b.release) }) // runs first: unblock /hold
	return b
}

func newProxy(t *testing.T, b *backend) *faultproxy.Proxy {
	t.Helper()
	p, err := faultproxy.New(b.srv.Listener.Addr().String())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return p
}

func newClient(t *testing.T, keepAlive bool) *http.Client {
	t.Helper()
	tr := &http.Transport{DisableKeepAlives: !keepAlive}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// do sends a request bounded by timeout and returns the whole body.
func do(c *http.Client, method, url, body string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		return "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = errors.New(resp.Status)
	}
	return string(got), err
}

func mustEcho(t *testing.T, c *http.Client, p *faultproxy.Proxy, body string) {
	t.Helper()
	got, err := do(c, http.MethodPost, p.URL()+"/echo", body, okTimeout)
	if err != nil {
		t.Fatalf("echo through proxy: %v", err)
	}
	if got != body {
		t.Fatalf("echo = %q, want %q", got, body)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(okTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestForwards(t *testing.T) {
	b := newBackend(t)
	p := newProxy(t, b)
	c := newClient(t, false)

	if !strings.HasPrefix(p.URL(), "http://127.0.0.1:") {
		t.Fatalf("URL = %q", p.URL())
	}
	bodies := []string{"hello", "", strings.Repeat("sync-op;", 20000)}
	var total int64
	for _, body := range bodies {
		mustEcho(t, c, p, body)
		total += int64(len(body))
	}
	if got := b.hits.Load(); got != int64(len(bodies)) {
		t.Fatalf("server hits = %d, want %d", got, len(bodies))
	}
	// Counters are bumped after the write, so the client may finish first.
	waitFor(t, "byte counters", func() bool {
		s := p.Stats()
		return s.BytesToServer >= total && s.BytesToClient >= total && s.Active == 0
	})
	s := p.Stats()
	if s.Accepted != int64(len(bodies)) || s.Refused != 0 || s.Resets != 0 {
		t.Fatalf("stats = %+v, want %d accepted and no faults", s, len(bodies))
	}
}

func TestPauseResume(t *testing.T) {
	b := newBackend(t)
	p := newProxy(t, b)
	c := newClient(t, true)

	mustEcho(t, c, p, "warm-up") // leaves an idle keep-alive connection
	p.Pause()

	// The existing connection stalls and the request never reaches the server.
	before := b.hits.Load()
	if _, err := do(c, http.MethodPost, p.URL()+"/echo", "stalled", failTimeout); !isTimeout(err) {
		t.Fatalf("request while paused: err = %v, want a timeout", err)
	}
	if got := b.hits.Load(); got != before {
		t.Fatalf("server saw %d requests while paused", got-before)
	}

	// A new connection stalls too, and completes once resumed.
	fresh := newClient(t, false)
	done := make(chan error, 1)
	go func() {
		got, err := do(fresh, http.MethodPost, p.URL()+"/echo", "held", okTimeout)
		if err == nil && got != "held" {
			err = errors.New("echo = " + got)
		}
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("request finished while paused: %v", err)
	case <-time.After(failTimeout):
	}
	p.Resume()
	if err := <-done; err != nil {
		t.Fatalf("held request after Resume: %v", err)
	}
	mustEcho(t, c, p, "after resume")
}

func TestDropRestore(t *testing.T) {
	b := newBackend(t)
	p := newProxy(t, b)
	c := newClient(t, false)
	mustEcho(t, c, p, "before")

	// An open connection is reset by Drop.
	waitFor(t, "earlier connection to finish", func() bool { return p.Stats().Active == 0 })
	raw, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	waitFor(t, "raw connection to be registered", func() bool { return p.Stats().Active == 1 })

	p.Drop()
	_ = raw.SetReadDeadline(time.Now().Add(okTimeout))
	if _, err := raw.Read(make([]byte, 1)); !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("read on dropped connection: err = %v, want ECONNRESET", err)
	}

	// New requests fail with a connection error, not by timing out.
	for range 3 {
		start := time.Now()
		_, err := do(c, http.MethodPost, p.URL()+"/echo", "dropped", okTimeout)
		if err == nil || isTimeout(err) {
			t.Fatalf("request while dropped: err = %v after %v, want a connection error", err, time.Since(start))
		}
		t.Logf("request while dropped failed after %v: %v", time.Since(start), err)
	}
	if s := p.Stats(); s.Refused < 3 || s.Resets < 1 {
		t.Fatalf("stats = %+v, want >= 3 refused and >= 1 reset", s)
	}

	p.Restore()
	mustEcho(t, c, p, "after restore")
}

func TestResetAfter(t *testing.T) {
	b := newBackend(t)
	p := newProxy(t, b)
	c := newClient(t, false)

	const n = 64 << 10
	p.ResetAfter(n)
	for i := range 2 { // applies to every new connection until disabled
		got, err := do(c, http.MethodGet, p.URL()+"/big", "", okTimeout)
		if err == nil || isTimeout(err) {
			t.Fatalf("request %d: err = %v, want a reset / unexpected EOF", i, err)
		}
		if len(got) >= bigSize {
			t.Fatalf("request %d: got the whole %d bytes", i, len(got))
		}
		t.Logf("request %d: %d bytes, then %v", i, len(got), err)
	}
	s := p.Stats()
	if s.BytesToClient != 2*n || s.Resets != 2 {
		t.Fatalf("stats = %+v, want exactly %d bytes to client and 2 resets", s, 2*n)
	}

	p.ResetAfter(0)
	got, err := do(c, http.MethodGet, p.URL()+"/big", "", okTimeout)
	if err != nil || len(got) != bigSize {
		t.Fatalf("after ResetAfter(0): %d bytes, err = %v", len(got), err)
	}
}

func TestResetAll(t *testing.T) {
	b := newBackend(t)
	p := newProxy(t, b)
	c := newClient(t, false)

	done := make(chan error, 1)
	go func() {
		_, err := do(c, http.MethodGet, p.URL()+"/hold", "", okTimeout)
		done <- err
	}()
	<-b.entered // the request is in flight at the server
	p.ResetAll()
	if err := <-done; err == nil || isTimeout(err) {
		t.Fatalf("in-flight request after ResetAll: err = %v, want a connection error", err)
	}
	if got := p.Stats().Resets; got != 1 {
		t.Fatalf("resets = %d, want 1", got)
	}
	mustEcho(t, c, p, "still accepting")
}

func TestSetDelay(t *testing.T) {
	b := newBackend(t)
	p := newProxy(t, b)
	c := newClient(t, false)

	const d = 150 * time.Millisecond
	p.SetDelay(d)
	start := time.Now()
	mustEcho(t, c, p, "slow")
	// The request and the response are each delayed at least once.
	if got := time.Since(start); got < 2*d {
		t.Fatalf("round trip took %v, want at least %v", got, 2*d)
	}
}

// TestConcurrentFaults flips every knob while traffic flows; run with -race.
func TestConcurrentFaults(t *testing.T) {
	b := newBackend(t)
	p := newProxy(t, b)
	c := newClient(t, true)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				_, _ = do(c, http.MethodPost, p.URL()+"/echo", "x", failTimeout) // failures expected
			}
		})
	}
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			switch i % 7 {
			case 0:
				p.Pause()
			case 1:
				p.Resume()
			case 2:
				p.Drop()
			case 3:
				p.Restore()
			case 4:
				p.SetDelay(time.Duration(i%3) * time.Millisecond)
			case 5:
				p.ResetAfter(int64(i % 2 * 10))
			case 6:
				p.ResetAll()
			}
			_ = p.Stats()
		}
	})
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()

	p.Resume()
	p.Restore()
	p.SetDelay(0)
	p.ResetAfter(0)
	mustEcho(t, newClient(t, false), p, "calm again")
}

func TestCloseLeavesNoGoroutines(t *testing.T) {
	b := newBackend(t)
	p, err := faultproxy.New(b.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	mustEcho(t, newClient(t, false), p, "before close")

	// Leave connections in every state: idle, held by Pause, mid-request.
	idle, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	p.SetDelay(time.Hour) // stays on: Pause below then stacks on the delay
	delayed, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer delayed.Close()
	if _, err := delayed.Write([]byte("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	p.Pause()
	paused, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer paused.Close()
	if _, err := paused.Write([]byte("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "three open connections", func() bool { return p.Stats().Active == 3 })

	// Called directly and followed at once by the stack dump, so goroutines
	// Close merely woke (instead of waiting for) are still visible.
	buf := make([]byte, 1<<20)
	err = p.Close()
	stacks := string(buf[:runtime.Stack(buf, true)])
	if err != nil {
		t.Fatalf("Close: %v", err)
	}
	if strings.Contains(stacks, "internal/faultproxy.") {
		t.Fatalf("goroutines left after Close:\n%s", stacks)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if conn, err := net.DialTimeout("tcp", p.Addr(), time.Second); err == nil {
		conn.Close()
		t.Fatal("proxy still accepting after Close")
	}
}
