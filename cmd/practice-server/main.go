// Command practice-server is the practice's central server: the system of
// record that every kiosk and staff desktop syncs with.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/demo"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/server"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

type config struct {
	db           string
	listen       string
	tlsCert      string
	tlsKey       string
	tlsDir       string
	publicURL    string
	demo         bool
	demoPatients int
	demoWeeks    int
	demoSeed     uint64
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("practice-server", flag.ContinueOnError)
	fs.StringVar(&c.db, "db", "practice.db", "SQLite database `file` (created if missing)")
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8400", "`address` to serve on; loopback unless devices connect over the network")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate `file` (needs --tls-key)")
	fs.StringVar(&c.tlsKey, "tls-key", "", "PEM private key `file` for --tls-cert")
	fs.StringVar(&c.tlsDir, "tls", "", "serve HTTPS with the self-signed certificate in this `folder`, made on first start (devices pin it)")
	fs.StringVar(&c.publicURL, "public-url", "", "the `address` devices reach this server at, for set-up codes made at the manager's desk (default: from --listen)")
	fs.BoolVar(&c.demo, "demo", false, "create the synthetic demo practice when the database is empty")
	fs.IntVar(&c.demoPatients, "demo-patients", 3000, "number of synthetic patients in the demo practice")
	fs.IntVar(&c.demoWeeks, "demo-weeks", 8, "weeks of sessions in the demo practice")
	fs.Uint64Var(&c.demoSeed, "demo-seed", 1, "seed for the demo practice (the same seed gives the same practice)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return config{}, errors.New("--tls-cert and --tls-key go together")
	}
	if c.tlsDir != "" && c.tlsCert != "" {
		return config{}, errors.New("--tls (a certificate the server makes itself) or --tls-cert and --tls-key (your own), not both")
	}
	if c.demoPatients < 1 || c.demoWeeks < 1 {
		return config{}, errors.New("--demo-patients and --demo-weeks must be at least 1")
	}
	return c, nil
}

func run(args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "enrol", "devices", "revoke", "kiosk-pin", "inbox", "lessons":
			return admin(args[0], args[1:], os.Stdin, os.Stdout, os.Stderr)
		case "staff":
			if len(args) < 2 || !isStaffCommand("staff "+args[1]) {
				fmt.Fprintln(os.Stderr, "practice-server staff: say add, list, disable, enable or password")
				return 2
			}
			return admin("staff "+args[1], args[2:], os.Stdin, os.Stdout, os.Stderr)
		case "serve":
			args = args[1:]
		}
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg, err := parseFlags(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(os.Stderr, "practice-server:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, cfg, log); err != nil {
		log.Error("practice server stopped", "err", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, cfg config, log *slog.Logger) error {
	// The certificate before the database: a problem with it is found
	// before minutes of demo creation.
	if cfg.tlsDir != "" {
		host, _, _ := net.SplitHostPort(cfg.listen)
		var err error
		if cfg.tlsCert, cfg.tlsKey, err = ensureSelfSigned(cfg.tlsDir, []string{host}, log); err != nil {
			return err
		}
		if pin, err := certPin(cfg.tlsCert); err == nil {
			log.Info("serving HTTPS with the server's own certificate", "cert", cfg.tlsCert, "pin", pin)
		}
	}
	st, err := store.Open(ctx, cfg.db)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("close database", "err", err)
		}
	}()
	log.Info("database open", "file", cfg.db, "schema_version", st.SchemaVersion())

	if cfg.demo {
		if err := ensureDemo(ctx, st, cfg, log); err != nil {
			return err
		}
	}

	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.listen, err)
	}
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); cfg.tlsCert == "" && !net.ParseIP(host).IsLoopback() {
		log.Warn("serving plain HTTP on a non-loopback address; use --tls or --tls-cert and --tls-key", "addr", ln.Addr().String())
	}
	publicURL, pin, err := enrolmentAddress(cfg, ln.Addr().String())
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           server.New(st, log, server.WithEnrolmentAddress(publicURL, pin)),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Longer than the longest wait on GET /v1/changes, plus the time to
		// read and send the page after it.
		WriteTimeout: time.Duration(gpsync.MaxWaitSeconds)*time.Second + 30*time.Second,
		IdleTimeout:  2 * time.Minute,
	}
	served := make(chan error, 1)
	go func() {
		if cfg.tlsCert != "" {
			served <- srv.ServeTLS(ln, cfg.tlsCert, cfg.tlsKey)
			return
		}
		served <- srv.Serve(ln)
	}()
	log.Info("practice server listening", "addr", ln.Addr().String())

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in progress")
	// Requests in flight keep their own contexts, so each finishes and
	// commits (or rolls back) its transaction before the database closes.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("practice server stopped cleanly")
	return nil
}

func ensureDemo(ctx context.Context, st *store.Store, cfg config, log *slog.Logger) error {
	empty, err := st.IsEmpty(ctx)
	if err != nil {
		return fmt.Errorf("demo practice: %w", err)
	}
	if !empty {
		log.Info("database already holds a practice; not creating the demo practice")
		// A demo practice from before the 12-character rule: its published
		// accounts would sign in at no desktop.
		if p, err := st.Practice(ctx); err == nil && p.ODSCode == demo.Practice().ODSCode {
			n, err := demo.RefreshStaffPasswords(ctx, st)
			if err != nil {
				return fmt.Errorf("demo practice: %w", err)
			}
			if n > 0 {
				log.Info("demo staff passwords set again for desktops", "accounts", n)
			}
		}
		return nil
	}
	opts := demo.DefaultOptions(store.DateOf(st.Now(), st.Location()))
	opts.Patients, opts.Weeks, opts.Seed = cfg.demoPatients, cfg.demoWeeks, cfg.demoSeed
	log.Info("creating the demo practice", "patients", opts.Patients, "weeks", opts.Weeks, "seed", opts.Seed)
	start := time.Now()
	sum, err := demo.Generate(ctx, st, opts)
	if err != nil {
		return fmt.Errorf("demo practice: %w", err)
	}
	log.Info("demo practice created", "clinicians", sum.Clinicians, "sessions", sum.Sessions, "slots", sum.Slots,
		"patients", sum.Patients, "repeat_items", sum.RepeatItems, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// enrolmentAddress is the address and certificate pin a device set up at
// the manager's desk is given: --public-url, or the address served on.
func enrolmentAddress(cfg config, served string) (publicURL, pin string, err error) {
	scheme := "http"
	if cfg.tlsCert != "" {
		scheme = "https"
		if pin, err = certPin(cfg.tlsCert); err != nil {
			return "", "", err
		}
	}
	publicURL = cfg.publicURL
	if publicURL == "" {
		publicURL = scheme + "://" + served
	}
	if _, err := gpsync.ParseEnrolment(gpsync.Enrolment{Server: publicURL, Code: "AAAAA-AAAAA", Pin: pin}.String()); err != nil {
		return "", "", fmt.Errorf("--public-url %q: %w", publicURL, err)
	}
	return publicURL, pin, nil
}
