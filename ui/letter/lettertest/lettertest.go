// Package lettertest checks a letter as a patient would use it: printed
// through real CUPS to a PDF printer, the page rasterised, and the QR code
// read back with an independent decoder (zbar). Tests in other
// packages (the staff desktop, kiosk sign-in end to end) use it to get the
// payload a scanner would type.
//
// Setup comes from the environment, as `make test` sets it
// (docs/printing.md):
//
//	GPKIOSK_TEST_CUPS_QUEUE      a cups-pdf queue, e.g. GPKiosk-PDF
//	GPKIOSK_TEST_CUPS_OFF_QUEUE  a queue whose printer is off, e.g. GPKiosk-Off
//	GPKIOSK_TEST_CUPS_OUT        the folder cups-pdf writes that queue's PDFs to
//	GPKIOSK_REQUIRE_CUPS=1       fail, not skip, when any of this is missing
package lettertest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gpkiosk/ui/letter"
)

// Env holds the CUPS test setup.
type Env struct {
	Queue    string // cups-pdf queue
	OffQueue string // a queue that fails like a switched-off printer
	OutDir   string // where cups-pdf writes Queue's output
}

// Required reports whether missing printing tools fail tests rather than
// skip them.
func Required() bool { return os.Getenv("GPKIOSK_REQUIRE_CUPS") == "1" }

// missing fails the test under GPKIOSK_REQUIRE_CUPS=1 and skips it
// otherwise.
func missing(t testing.TB, what []string) {
	t.Helper()
	msg := "letter printing test needs: " + strings.Join(what, "; ") +
		" (run `make cups-test-queue`, or `make deps` for the packages; see docs/printing.md)"
	if Required() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// NeedTools checks that each program is on PATH (e.g. pdftotext, zbarimg).
func NeedTools(t testing.TB, programs ...string) {
	t.Helper()
	var gone []string
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			gone = append(gone, p+" is not installed")
		}
	}
	if len(gone) > 0 {
		missing(t, gone)
	}
}

// NeedCUPS returns the CUPS test setup after checking the tools, the
// scheduler and the queues.
func NeedCUPS(t testing.TB) Env {
	t.Helper()
	NeedTools(t, "lp", "lpstat", "cancel", "pdftoppm", "zbarimg")
	e := Env{
		Queue:    os.Getenv("GPKIOSK_TEST_CUPS_QUEUE"),
		OffQueue: os.Getenv("GPKIOSK_TEST_CUPS_OFF_QUEUE"),
		OutDir:   os.Getenv("GPKIOSK_TEST_CUPS_OUT"),
	}
	var gone []string
	for _, v := range [][2]string{{"GPKIOSK_TEST_CUPS_QUEUE", e.Queue}, {"GPKIOSK_TEST_CUPS_OFF_QUEUE", e.OffQueue}, {"GPKIOSK_TEST_CUPS_OUT", e.OutDir}} {
		if v[1] == "" {
			gone = append(gone, v[0]+" is not set")
		}
	}
	if len(gone) > 0 {
		missing(t, gone)
	}
	if out, err := exec.Command("lpstat", "-r").CombinedOutput(); err != nil || !strings.Contains(string(out), "is running") {
		missing(t, []string{"the CUPS scheduler is not running (lpstat -r: " + strings.TrimSpace(string(out)) + ")"})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	queues, err := letter.Printers(ctx)
	if err != nil {
		missing(t, []string{"listing printers failed: " + err.Error()})
	}
	for _, q := range []string{e.Queue, e.OffQueue} {
		found := false
		for _, have := range queues {
			found = found || have == q
		}
		if !found {
			missing(t, []string{"CUPS has no queue " + q})
		}
	}
	if fi, err := os.Stat(e.OutDir); err != nil || !fi.IsDir() {
		missing(t, []string{"the cups-pdf output folder " + e.OutDir + " does not exist"})
	}
	return e
}

// PrintAndDecode prints pdf on the test's cups-pdf queue with
// letter.CUPSPrinter, finds the printed PDF, rasterises it at 150 dpi and
// returns what zbar reads from its QR code: what a scanner would type. It
// fails the test if printing fails or the page holds other than one QR
// code.
func PrintAndDecode(t testing.TB, ctx context.Context, pdf []byte) string {
	t.Helper()
	return PrintAndDecodePage(t, ctx, pdf, 1)
}

// PrintAndDecodePage is PrintAndDecode for the QR code on page page (from
// 1) of a document of several pages, such as the practice-day sheet.
func PrintAndDecodePage(t testing.TB, ctx context.Context, pdf []byte, page int) string {
	t.Helper()
	e := NeedCUPS(t)
	// cups-pdf names its output after the job title; a random title finds
	// this job's file among earlier runs'.
	var r [6]byte
	_, _ = rand.Read(r[:])
	title := "gpkiosk-letter-test-" + hex.EncodeToString(r[:])
	if err := (letter.CUPSPrinter{Queue: e.Queue}).Print(ctx, pdf, title); err != nil {
		t.Fatalf("printing the letter on %s: %v", e.Queue, err)
	}
	printed := waitForOutput(t, ctx, e.OutDir, title, nil)
	if len(printed) > 1 {
		t.Fatalf("more than one printed file for %s: %v", title, printed)
	}
	return decodeFile(t, printed[0], page)
}

// Prints watches the test queue's output for jobs titled title, such as
// the staff desktop's fixed "GP appointment letter": call it before
// printing. After CUPS has said the job completed, the function it returns
// gives what zbar reads from each letter printed since (other tests may
// print under the same title meanwhile).
func Prints(t testing.TB, title string) func(ctx context.Context) []string {
	t.Helper()
	e := NeedCUPS(t)
	before := map[string]bool{}
	for _, f := range outputs(t, e.OutDir, title) {
		before[f] = true
	}
	return func(ctx context.Context) []string {
		t.Helper()
		var codes []string
		for _, f := range waitForOutput(t, ctx, e.OutDir, title, before) {
			codes = append(codes, decodeFile(t, f, 1))
		}
		return codes
	}
}

// outputs lists cups-pdf's files for title, which it names
// job_<id>-<title>.pdf with spaces made underscores.
func outputs(t testing.TB, dir, title string) []string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, "*"+strings.ReplaceAll(title, " ", "_")+"*.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	return matches
}

// decodeFile reads a printed letter, removes it when the test ends, and
// decodes the QR code on its page page.
func decodeFile(t testing.TB, path string, page int) string {
	t.Helper()
	t.Cleanup(func() { _ = os.Remove(path) })
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the printed letter: %v", err)
	}
	return DecodePDFPage(t, data, page)
}

// waitForOutput waits for cups-pdf's files for title that are not in
// before. Print returns when CUPS says the job completed, which is after
// the backend wrote it, so this normally finds them at once.
func waitForOutput(t testing.TB, ctx context.Context, dir, title string, before map[string]bool) []string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var fresh []string
		for _, f := range outputs(t, dir, title) {
			if !before[f] {
				fresh = append(fresh, f)
			}
		}
		if len(fresh) > 0 {
			return fresh
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatalf("CUPS said the letter printed, but no PDF for %s appeared in %s", title, dir)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// DecodePDF rasterises the first page of pdf with pdftoppm at 150 dpi (a
// plain office printer's detail) and decodes its QR code with zbarimg.
func DecodePDF(t testing.TB, pdf []byte) string {
	t.Helper()
	return DecodePDFPage(t, pdf, 1)
}

// DecodePDFPage is DecodePDF for page page (from 1).
func DecodePDFPage(t testing.TB, pdf []byte, page int) string {
	t.Helper()
	NeedTools(t, "pdftoppm", "zbarimg")
	dir := t.TempDir()
	in := filepath.Join(dir, "letter.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(dir, "page")
	if out, err := exec.Command("pdftoppm", "-r", "150", "-png", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), "-singlefile", in, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	out, err := exec.Command("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", prefix+".png").Output()
	if err != nil {
		t.Fatalf("zbarimg found no QR code on the page: %v", err)
	}
	codes := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(codes) != 1 {
		t.Fatalf("want one code on the page, zbarimg read %d: %q", len(codes), codes)
	}
	return codes[0]
}
