package receipt

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

func sampleStream() []byte {
	return Encode(Slip{Title: "Riverside Surgery", Lines: []string{"Your appointment"}, QR: "tok-1"})
}

func TestOpen(t *testing.T) {
	for _, cfg := range []Config{{}, {Kind: "none"}, {Kind: " None ", Target: "/dev/usb/lp0"}} {
		if _, err := Open(cfg); !errors.Is(err, ErrNoPrinter) {
			t.Errorf("Open(%+v) = %v, want ErrNoPrinter", cfg, err)
		}
	}
	cases := []struct {
		cfg  Config
		want Printer
	}{
		{Config{Kind: "device", Target: "/dev/usb/lp0"}, DeviceFile{Path: "/dev/usb/lp0"}},
		{Config{Kind: "tcp", Target: "10.0.0.5"}, TCP{Addr: "10.0.0.5:9100"}},
		{Config{Kind: "tcp", Target: "printer.local:9101"}, TCP{Addr: "printer.local:9101"}},
		{Config{Kind: "tcp", Target: "fe80::1"}, TCP{Addr: "[fe80::1]:9100"}},
		{Config{Kind: "cups", Target: "Receipt"}, CUPSRaw{Queue: "Receipt"}},
	}
	for _, c := range cases {
		got, err := Open(c.cfg)
		if err != nil || got != c.want {
			t.Errorf("Open(%+v) = %#v, %v; want %#v", c.cfg, got, err, c.want)
		}
	}
	for _, cfg := range []Config{{Kind: "serial", Target: "COM1"}, {Kind: "tcp"}} {
		if _, err := Open(cfg); err == nil || errors.Is(err, ErrNoPrinter) {
			t.Errorf("Open(%+v) = %v, want a configuration error", cfg, err)
		}
	}
}

func TestTCPPrintDeliversExactBytes(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer c.Close()
		b, _ := io.ReadAll(c)
		got <- b
	}()

	data := sampleStream()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := (TCP{Addr: ln.Addr().String()}).Print(ctx, data); err != nil {
		t.Fatalf("Print: %v", err)
	}
	select {
	case b := <-got:
		if !bytes.Equal(b, data) {
			t.Fatalf("server received % X\nwant % X", b, data)
		}
	case <-ctx.Done():
		t.Fatal("server never finished reading")
	}
}

func TestTCPPrintRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = TCP{Addr: addr}.Print(ctx, sampleStream())
	if err == nil || !strings.Contains(err.Error(), "receipt tcp print") {
		t.Fatalf("Print to closed port = %v, want receipt tcp print error", err)
	}
	if runtime.GOOS != "windows" && !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("error %v does not wrap ECONNREFUSED", err)
	}
}

func TestTCPPrintHonoursContextDeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	release := make(chan struct{})
	defer close(release)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		<-release // a jammed printer: accepts but never reads
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = TCP{Addr: ln.Addr().String()}.Print(ctx, make([]byte, 64<<20))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Print to stalled printer = %v, want context.DeadlineExceeded", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("Print took %v after a 300ms deadline", el)
	}
	t.Log(err)

	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	if err := (TCP{Addr: ln.Addr().String()}).Print(cctx, []byte("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("Print with cancelled ctx = %v, want context.Canceled", err)
	}
}

func TestDeviceFilePrint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lp0")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	data := sampleStream()
	if err := (DeviceFile{Path: path}).Print(context.Background(), data); err != nil {
		t.Fatalf("Print: %v", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("file holds % X\nwant % X", got, data)
	}

	missing := filepath.Join(t.TempDir(), "no-such-lp")
	err = DeviceFile{Path: missing}.Print(context.Background(), data)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "receipt device print") {
		t.Errorf("Print to missing device = %v, want wrapped ErrNotExist", err)
	}
	if _, serr := os.Stat(missing); serr == nil {
		t.Error("Print created a regular file at the device path")
	}
}

func TestCUPSRawMissingLP(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := CUPSRaw{Queue: "Receipt"}.Print(context.Background(), sampleStream())
	if !errors.Is(err, exec.ErrNotFound) || !strings.Contains(err.Error(), "lp command not found") {
		t.Fatalf("Print without lp = %v, want clear not-found error", err)
	}
}

func TestCUPSRawRejectsOptionLikeQueue(t *testing.T) {
	if err := (CUPSRaw{Queue: "-h evil"}).Print(context.Background(), nil); err == nil {
		t.Fatal("queue starting with '-' accepted")
	}
}

// A stand-in lp proves the arguments, stdin and stderr handling without
// needing CUPS.
func TestCUPSRawWithFakeLP(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("shell script stand-in")
	}
	cat, err := exec.LookPath("cat")
	if err != nil {
		t.Skip("no cat")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "printed")
	script := "#!/bin/sh\n" +
		"if [ \"$*\" != \"-d Receipt -o raw\" ]; then\n" +
		"  echo \"lp: The printer or class does not exist.\" >&2\n  exit 1\nfi\n" +
		"exec " + cat + " > " + out + "\n"
	if err := os.WriteFile(filepath.Join(dir, "lp"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)

	data := sampleStream()
	if err := (CUPSRaw{Queue: "Receipt"}).Print(context.Background(), data); err != nil {
		t.Fatalf("Print: %v", err)
	}
	got, err := os.ReadFile(out)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("lp received % X (%v)\nwant % X", got, err, data)
	}

	err = CUPSRaw{Queue: "Nope"}.Print(context.Background(), data)
	if err == nil || !strings.Contains(err.Error(), "printer or class does not exist") ||
		!strings.Contains(err.Error(), `"Nope"`) {
		t.Fatalf("Print to unknown queue = %v, want lp's stderr in the error", err)
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		t.Errorf("error %v does not wrap *exec.ExitError", err)
	}
}

func TestCUPSRawRealMissingQueue(t *testing.T) {
	if _, err := exec.LookPath("lp"); err != nil {
		t.Skip("lp (CUPS client) not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := CUPSRaw{Queue: "gpkiosk-test-no-such-queue"}.Print(ctx, sampleStream())
	if err == nil || !strings.Contains(err.Error(), "lp failed") {
		t.Fatalf("Print to missing queue = %v, want lp failure", err)
	}
	t.Log(err)
}
