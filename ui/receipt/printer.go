package receipt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"time"
)

// ErrNoPrinter is returned by Open when the kiosk has no printer configured;
// the UI should offer to show the slip on screen instead (Slip.PlainText).
var ErrNoPrinter = errors.New("no receipt printer configured")

// Printer sends a raw ESC/POS byte stream to a receipt printer.
type Printer interface {
	Print(ctx context.Context, data []byte) error
}

// Printer kinds accepted in Config.Kind.
const (
	KindNone   = "none"
	KindDevice = "device"
	KindTCP    = "tcp"
	KindCUPS   = "cups"
)

// Config is the per-kiosk printer setting.
type Config struct {
	Kind   string // KindNone, KindDevice, KindTCP or KindCUPS; "" means none
	Target string // device path, host:port (port defaults to 9100) or CUPS queue
}

// Open returns the printer described by cfg, or ErrNoPrinter if none is
// configured. It does not contact the printer.
func Open(cfg Config) (Printer, error) {
	target := strings.TrimSpace(cfg.Target)
	kind := strings.ToLower(strings.TrimSpace(cfg.Kind))
	if kind == "" || kind == KindNone {
		return nil, ErrNoPrinter
	}
	if target == "" {
		return nil, fmt.Errorf("receipt open: printer kind %q needs a target", kind)
	}
	switch kind {
	case KindDevice:
		return DeviceFile{Path: target}, nil
	case KindTCP:
		if _, _, err := net.SplitHostPort(target); err != nil {
			target = net.JoinHostPort(strings.Trim(target, "[]"), "9100")
		}
		return TCP{Addr: target}, nil
	case KindCUPS:
		return CUPSRaw{Queue: target}, nil
	default:
		return nil, fmt.Errorf("receipt open: unknown printer kind %q (want none, device, tcp or cups)", cfg.Kind)
	}
}

// defaultTimeout bounds a print when the caller's context has no deadline, so
// an unplugged printer cannot hang the kiosk.
const defaultTimeout = 15 * time.Second

func withDefaultTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, defaultTimeout)
}

// ctxCause attributes an I/O error to ctx when ctx caused it. Every deadline
// set on a file or conn here comes from ctx, so a deadline error means ctx is
// done or about to be (its timer may fire just after the I/O deadline's).
func ctxCause(ctx context.Context, err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		<-ctx.Done()
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%w)", ctx.Err(), err)
	}
	return err
}

// DeviceFile writes to a printer device node such as /dev/usb/lp0.
type DeviceFile struct {
	Path string
}

// Print writes data to the device. The file is not created if missing: a
// regular file at a device path would silently swallow every slip.
func (p DeviceFile) Print(ctx context.Context, data []byte) error {
	ctx, cancel := withDefaultTimeout(ctx)
	defer cancel()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("receipt device print %s: %w", p.Path, err)
	}
	f, err := os.OpenFile(p.Path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("receipt device print: %w", err)
	}
	// Deadlines work where the device is pollable; otherwise closing the file
	// on cancel is the best we can do to abandon a blocked write.
	if dl, ok := ctx.Deadline(); ok {
		_ = f.SetWriteDeadline(dl)
	}
	done := make(chan error, 1)
	go func() {
		_, err := f.Write(data)
		done <- err
	}()
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = f.Close()
		return fmt.Errorf("receipt device print %s: %w", p.Path, ctx.Err())
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("receipt device print: %w", ctxCause(ctx, err))
	}
	return nil
}

// TCP sends to a network printer's raw port (usually 9100).
type TCP struct {
	Addr string
}

// Print dials Addr and writes data, honouring ctx for both dial and write.
func (p TCP) Print(ctx context.Context, data []byte) error {
	ctx, cancel := withDefaultTimeout(ctx)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", p.Addr)
	if err != nil {
		return fmt.Errorf("receipt tcp print: %w", err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetWriteDeadline(dl); err != nil {
			return fmt.Errorf("receipt tcp print %s: %w", p.Addr, err)
		}
	}
	// Unblock the write promptly on cancellation, not just at the deadline.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetWriteDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := conn.Write(data); err != nil {
		return fmt.Errorf("receipt tcp print %s: %w", p.Addr, ctxCause(ctx, err))
	}
	if err := conn.Close(); err != nil {
		return fmt.Errorf("receipt tcp print %s: %w", p.Addr, err)
	}
	return nil
}

// CUPSRaw submits to a CUPS queue with "lp -o raw" so CUPS passes the
// ESC/POS bytes through unfiltered.
type CUPSRaw struct {
	Queue string
}

// Print runs lp with data on stdin.
func (p CUPSRaw) Print(ctx context.Context, data []byte) error {
	ctx, cancel := withDefaultTimeout(ctx)
	defer cancel()
	if p.Queue == "" || strings.HasPrefix(p.Queue, "-") {
		return fmt.Errorf("receipt cups print: invalid queue name %q", p.Queue)
	}
	lp, err := exec.LookPath("lp")
	if err != nil {
		return fmt.Errorf("receipt cups print: lp command not found (is the CUPS client installed?): %w", err)
	}
	cmd := exec.CommandContext(ctx, lp, "-d", p.Queue, "-o", "raw")
	cmd.Stdin = bytes.NewReader(data)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		err = ctxCause(ctx, err)
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = "no error output"
		}
		return fmt.Errorf("receipt cups print to queue %q: lp failed: %s: %w", p.Queue, msg, err)
	}
	return nil
}
