// Package faultproxy is a TCP proxy for tests. It sits between a client and
// a real server on 127.0.0.1 and injects network faults (stalls, resets,
// latency) so sync tests can prove nothing is lost or applied twice when the
// network misbehaves.
//
// Every method is safe to call from any goroutine while traffic flows.
package faultproxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Stats counts what the proxy has done since New.
type Stats struct {
	Accepted      int64 // connections accepted and forwarded
	Refused       int64 // connections reset on arrival while dropped
	Resets        int64 // forwarded connections reset by Drop, ResetAll or ResetAfter
	Active        int   // connections open now
	BytesToServer int64 // bytes forwarded client -> server
	BytesToClient int64 // bytes forwarded server -> client
}

// Proxy forwards TCP connections from Addr to a target, with faults on demand.
type Proxy struct {
	target string
	ln     net.Listener
	done   chan struct{} // closed by Close; stops the accept loop
	wg     sync.WaitGroup

	mu         sync.Mutex
	closed     bool
	dropped    bool
	gate       chan struct{} // non-nil while paused; Resume closes it
	delay      time.Duration
	resetAfter int64
	conns      map[*conn]struct{}

	accepted, refused, resets atomic.Int64
	toServer, toClient        atomic.Int64
}

// New starts a proxy on 127.0.0.1:0 that forwards to target (host:port).
func New(target string) (*Proxy, error) {
	if _, _, err := net.SplitHostPort(target); err != nil {
		return nil, fmt.Errorf("faultproxy: new: target %q: %w", target, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultproxy: new: listen: %w", err)
	}
	p := &Proxy{
		target: target,
		ln:     ln,
		done:   make(chan struct{}),
		conns:  make(map[*conn]struct{}),
	}
	p.wg.Go(p.serve)
	return p, nil
}

// Addr is the host:port clients should dial.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// URL is "http://" + Addr(), for HTTP clients.
func (p *Proxy) URL() string { return "http://" + p.Addr() }

// Pause stalls new and existing connections: data already read is held, not
// forwarded, and TCP back-pressure stops the rest, like a pulled cable while
// both ends still think the connection is up. Held bytes are delivered on
// Resume even if the sender has given up meanwhile, as a real network would.
func (p *Proxy) Pause() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gate == nil {
		p.gate = make(chan struct{})
	}
}

// Resume releases everything held by Pause.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gate != nil {
		close(p.gate)
		p.gate = nil
	}
}

// Drop resets every open connection and resets new ones on arrival until
// Restore, so clients fail fast with a connection error.
func (p *Proxy) Drop() {
	p.mu.Lock()
	p.dropped = true
	cs := p.snapshot()
	p.mu.Unlock()
	p.reset(cs)
}

// Restore undoes Drop; connections already reset stay gone.
func (p *Proxy) Restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dropped = false
}

// SetDelay adds d of latency before each chunk is forwarded, in both
// directions; 0 removes it. Chunks on one connection are delayed one after
// another, so large transfers slow down too.
func (p *Proxy) SetDelay(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.delay = max(d, 0)
}

// ResetAfter makes every connection accepted from now on forward exactly n
// bytes server -> client and then reset, like a link dying mid-response.
// Some of those n bytes may still be in the kernel's send buffer and be
// discarded by the reset. n <= 0 disables it for later connections.
func (p *Proxy) ResetAfter(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.resetAfter = max(n, 0)
}

// ResetAll resets every open connection now; new ones are still accepted.
func (p *Proxy) ResetAll() {
	p.mu.Lock()
	cs := p.snapshot()
	p.mu.Unlock()
	p.reset(cs)
}

// Close stops accepting, closes every connection and waits for all of the
// proxy's goroutines to finish. Calling it again is a no-op.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	close(p.done)
	cs := p.snapshot()
	p.mu.Unlock()

	err := p.ln.Close()
	for _, c := range cs {
		c.teardown(false, nil)
	}
	p.wg.Wait()
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("faultproxy: close: %w", err)
	}
	return nil
}

// Stats returns a snapshot of the counters.
func (p *Proxy) Stats() Stats {
	p.mu.Lock()
	active := len(p.conns)
	p.mu.Unlock()
	return Stats{
		Accepted:      p.accepted.Load(),
		Refused:       p.refused.Load(),
		Resets:        p.resets.Load(),
		Active:        active,
		BytesToServer: p.toServer.Load(),
		BytesToClient: p.toClient.Load(),
	}
}

// snapshot must be called with p.mu held; callers tear connections down
// after unlocking so teardown never runs under p.mu.
func (p *Proxy) snapshot() []*conn {
	cs := make([]*conn, 0, len(p.conns))
	for c := range p.conns {
		cs = append(cs, c)
	}
	return cs
}

func (p *Proxy) reset(cs []*conn) {
	for _, c := range cs {
		c.teardown(true, &p.resets)
	}
}

func (p *Proxy) serve() {
	for {
		nc, err := p.ln.Accept()
		if err != nil {
			select {
			case <-p.done:
				return
			default:
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Transient failure such as EMFILE: back off instead of spinning.
			select {
			case <-p.done:
				return
			case <-time.After(10 * time.Millisecond):
			}
			continue
		}
		p.admit(nc)
	}
}

// admit decides under p.mu so Drop and Close never miss a connection that is
// being registered concurrently.
func (p *Proxy) admit(nc net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		_ = nc.Close()
		return
	}
	if p.dropped {
		p.refused.Add(1)
		closeConn(nc, true)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &conn{
		client: nc,
		cancel: cancel,
		done:   make(chan struct{}),
		budget: p.resetAfter,
	}
	p.conns[c] = struct{}{}
	p.accepted.Add(1)
	p.wg.Go(func() { p.handle(ctx, c) })
}

func (p *Proxy) handle(ctx context.Context, c *conn) {
	defer func() {
		p.mu.Lock()
		delete(p.conns, c)
		p.mu.Unlock()
	}()
	var d net.Dialer
	sc, err := d.DialContext(ctx, "tcp", p.target)
	if err != nil {
		// Unreachable upstream looks like a dead server to the client; not
		// an injected fault, so not counted.
		c.teardown(true, nil)
		return
	}
	if !c.setServer(sc) {
		return
	}
	var pipes sync.WaitGroup
	pipes.Go(func() { p.pipe(c, c.client, sc, &p.toServer, 0) })
	pipes.Go(func() { p.pipe(c, sc, c.client, &p.toClient, c.budget) })
	pipes.Wait()
	c.teardown(false, nil)
}

// pipe copies src to dst; budget > 0 resets the connection once that many
// bytes have been written.
func (p *Proxy) pipe(c *conn, src, dst net.Conn, count *atomic.Int64, budget int64) {
	buf := make([]byte, 32<<10)
	var sent int64
	for {
		n, rerr := src.Read(buf)
		if n > 0 {
			if !p.hold(c) {
				return
			}
			chunk := buf[:n]
			cut := budget > 0 && sent+int64(n) >= budget
			if cut {
				chunk = chunk[:budget-sent]
			}
			w, werr := dst.Write(chunk)
			sent += int64(w)
			count.Add(int64(w))
			if cut {
				c.teardown(true, &p.resets)
				return
			}
			if werr != nil {
				c.teardown(false, nil)
				return
			}
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) {
				// Pass the half-close on; handle closes both once both
				// directions are done.
				if cw, ok := dst.(interface{ CloseWrite() error }); ok && cw.CloseWrite() == nil {
					return
				}
			}
			c.teardown(false, nil)
			return
		}
	}
}

// hold applies the delay, then blocks while paused. It reports false if the
// connection was torn down meanwhile.
func (p *Proxy) hold(c *conn) bool {
	p.mu.Lock()
	d := p.delay
	p.mu.Unlock()
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.done:
			return false
		}
	}
	for {
		p.mu.Lock()
		g := p.gate
		p.mu.Unlock()
		if g == nil {
			return true
		}
		select {
		case <-g: // re-check: Pause may have been called again
		case <-c.done:
			return false
		}
	}
}

// conn is one proxied connection.
type conn struct {
	client net.Conn
	cancel context.CancelFunc // aborts the upstream dial
	done   chan struct{}      // closed on teardown; wakes held pipes
	budget int64              // ResetAfter value when accepted

	mu       sync.Mutex
	server   net.Conn
	tornDown bool
}

// setServer reports false (and closes sc) if the connection was torn down
// while dialing.
func (c *conn) setServer(sc net.Conn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tornDown {
		_ = sc.Close()
		return false
	}
	c.server = sc
	return true
}

// teardown closes both sides once; rst makes both peers see a reset rather
// than a clean EOF. resets, if non-nil, is bumped before the RST goes out so
// a client that sees the reset also sees it counted.
func (c *conn) teardown(rst bool, resets *atomic.Int64) {
	c.mu.Lock()
	if c.tornDown {
		c.mu.Unlock()
		return
	}
	c.tornDown = true
	sc := c.server
	c.mu.Unlock()

	if resets != nil {
		resets.Add(1)
	}
	close(c.done)
	c.cancel()
	closeConn(c.client, rst)
	if sc != nil {
		closeConn(sc, rst)
	}
}

// closeConn closes nc; with rst, SO_LINGER 0 turns the close into an RST.
func closeConn(nc net.Conn, rst bool) {
	if tc, ok := nc.(*net.TCPConn); ok && rst {
		_ = tc.SetLinger(0)
	}
	_ = nc.Close()
}
