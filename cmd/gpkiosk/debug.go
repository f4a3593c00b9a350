package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// debugServer serves Go's profiles (net/http/pprof) for --debug-addr. It
// listens on loopback only: a heap profile holds whatever was in memory,
// patients' details included, so it must never be reachable from the
// waiting-room network.
type debugServer struct {
	ln  net.Listener
	srv *http.Server
}

// listenDebug checks addr is a loopback address with a port and listens
// on it. A host name (even "localhost"), an address that is not loopback,
// or an empty host is refused with a plain reason before anything listens.
func listenDebug(ctx context.Context, addr string) (*debugServer, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--debug-addr %q: want a loopback address and port, such as 127.0.0.1:6060: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("--debug-addr %q: profiles may only be served on loopback (127.0.0.1 or [::1]), never on %q, which other machines could reach", addr, host)
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--debug-addr: listen: %w", err)
	}
	// A private mux: importing net/http/pprof also registers its handlers
	// on http.DefaultServeMux, which nothing here serves.
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return &debugServer{ln: ln, srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}}, nil
}

// Addr is the address it listens on (the port chosen, for ":0").
func (d *debugServer) Addr() string { return d.ln.Addr().String() }

// serve serves until ctx ends.
func (d *debugServer) serve(ctx context.Context, log *slog.Logger) {
	go func() {
		<-ctx.Done()
		d.srv.Close()
	}()
	log.Info("profiles served on loopback", "addr", "http://"+d.Addr()+"/debug/pprof/")
	if err := d.srv.Serve(d.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("debug server stopped", "err", err)
	}
}
