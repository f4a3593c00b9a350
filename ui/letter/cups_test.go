package letter_test

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	gpsync "gpkiosk/sync"
	"gpkiosk/ui/letter"
	"gpkiosk/ui/letter/lettertest"
)

// The letter is printed through real CUPS to a PDF printer, the printed
// page rasterised and its QR code read with zbar: a scanner at the kiosk
// would type exactly the letter's payload.
func TestPrintedLetterScansAsItsDetails(t *testing.T) {
	d := sample()
	pdf, err := letter.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	got := lettertest.PrintAndDecode(t, ctx, pdf)
	want := gpsync.Letter{ODS: d.ODS, AccountID: d.AccountID, LinkageKey: d.LinkageKey}.String()
	if got != want {
		t.Fatalf("printed QR code reads %q, want %q", got, want)
	}
	l, err := gpsync.ParseLetter(got)
	if err != nil || l != (gpsync.Letter{ODS: d.ODS, AccountID: d.AccountID, LinkageKey: d.LinkageKey}) {
		t.Fatalf("ParseLetter(%q) = %+v, %v", got, l, err)
	}
}

func jobsOn(t *testing.T, queue string) string {
	t.Helper()
	out, err := exec.Command("lpstat", "-o", queue).CombinedOutput()
	if err != nil {
		t.Fatalf("lpstat -o %s: %v: %s", queue, err, out)
	}
	return strings.TrimSpace(string(out))
}

// A printer that is switched off: Print says so in plain words, and no job
// is left waiting to come out when someone turns it on.
func TestPrinterThatIsOff(t *testing.T) {
	e := lettertest.NeedCUPS(t)
	pdf, err := letter.Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	// Enabled first, so the job is taken and then fails as the printer
	// cannot be reached; the second try finds the queue already stopped.
	if out, err := exec.Command("cupsenable", e.OffQueue).CombinedOutput(); err != nil {
		t.Logf("cupsenable %s: %v: %s (the queue may stay stopped)", e.OffQueue, err, out)
	}
	for _, try := range []string{"taken, then stopped", "already stopped"} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := letter.CUPSPrinter{Queue: e.OffQueue}.Print(ctx, pdf, "gpkiosk-letter-test-off")
		cancel()
		if !errors.Is(err, letter.ErrPrinterStopped) && !errors.Is(err, letter.ErrPrintFailed) {
			t.Fatalf("%s: got %v, want ErrPrinterStopped or ErrPrintFailed", try, err)
		}
		if !strings.HasPrefix(err.Error(), "letter print: ") {
			t.Errorf("%s: error does not name the operation: %v", try, err)
		}
		msg := letter.Message(err)
		t.Logf("%s: staff read: %s", try, msg)
		if !strings.HasPrefix(msg, "The printer is switched off") && !strings.HasPrefix(msg, "The letter did not print") {
			t.Errorf("%s: staff would read %q", try, msg)
		}
		if jobs := jobsOn(t, e.OffQueue); jobs != "" {
			t.Fatalf("%s: a job is still queued and would print later:\n%s", try, jobs)
		}
	}
}

func TestPrinterThatDoesNotExist(t *testing.T) {
	for _, q := range []string{"GPKiosk-No-Such-Printer", "", "-d", "a/b"} {
		err := letter.CUPSPrinter{Queue: q}.Print(context.Background(), []byte("%PDF-1.7"), "x")
		if !errors.Is(err, letter.ErrPrinterNotFound) {
			t.Errorf("queue %q: got %v, want ErrPrinterNotFound", q, err)
		} else if msg := letter.Message(err); !strings.HasPrefix(msg, "That printer is not set up on this computer.") {
			t.Errorf("queue %q: staff would read %q", q, msg)
		}
	}
}

// Giving up (the staff member's patience, or the deadline) cancels the
// job: nothing prints later.
func TestDeadlineCancelsTheJob(t *testing.T) {
	e := lettertest.NeedCUPS(t)
	pdf, err := letter.Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	// The off queue, enabled, takes a job and spends two seconds failing
	// to reach the printer: the deadline ends first.
	if out, err := exec.Command("cupsenable", e.OffQueue).CombinedOutput(); err != nil {
		// Where CUPS is required (make test), a queue that cannot be
		// enabled is a broken set-up, not a reason to skip.
		if lettertest.Required() {
			t.Fatalf("cupsenable %s: %v: %s", e.OffQueue, err, out)
		}
		t.Skipf("cupsenable %s: %v: %s", e.OffQueue, err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 1200*time.Millisecond)
	defer cancel()
	err = letter.CUPSPrinter{Queue: e.OffQueue}.Print(ctx, pdf, "gpkiosk-letter-test-deadline")
	if !errors.Is(err, letter.ErrPrintTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want ErrPrintTimeout", err)
	}
	if jobs := jobsOn(t, e.OffQueue); jobs != "" {
		t.Fatalf("a job is still queued after the deadline:\n%s", jobs)
	}
}

func TestPrintersListsTheQueues(t *testing.T) {
	e := lettertest.NeedCUPS(t)
	qs, err := letter.Printers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{e.Queue, e.OffQueue} {
		found := false
		for _, q := range qs {
			found = found || q == want
		}
		if !found {
			t.Errorf("Printers() = %v, missing %s", qs, want)
		}
	}
}

// The printer chooser must not start on a queue that cannot print: Queues
// says which can, why the others cannot, and which one is the default.
func TestQueuesSayWhichCanPrint(t *testing.T) {
	e := lettertest.NeedCUPS(t)
	if out, err := exec.Command("cupsdisable", e.OffQueue).CombinedOutput(); err != nil {
		t.Fatalf("cupsdisable %s: %v: %s", e.OffQueue, err, out)
	}
	t.Setenv("LPDEST", e.Queue) // lp's own choice of default, as a user's would be
	qs, err := letter.Queues(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]letter.Queue{}
	for _, q := range qs {
		got[q.Name] = q
	}
	if q, ok := got[e.Queue]; !ok || !q.Ready || !q.Default || q.Why != "" {
		t.Errorf("%s: %+v, want ready, the default, and no complaint", e.Queue, q)
	}
	if q, ok := got[e.OffQueue]; !ok || q.Ready || q.Default || !strings.Contains(q.Why, "stopped") {
		t.Errorf("%s (disabled): %+v, want not ready because it has been stopped", e.OffQueue, q)
	}
}
