package practice

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gpkiosk/sync/pretend"
	"gpkiosk/ui/practiceday"
	"gpkiosk/ui/receipt"
	"gpkiosk/ui/text"
)

// slipListener is a receipt printer on 127.0.0.1: what each connection
// sends arrives on the channel.
func slipListener(t *testing.T) (string, <-chan []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got := make(chan []byte, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b, _ := io.ReadAll(c)
			c.Close()
			got <- b
		}
	}()
	return ln.Addr().String(), got
}

// deadPrinter is an address on 127.0.0.1 where nothing listens any more.
func deadPrinter(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// saveTo is a Config.SavePDF that keeps the PDF in dir.
func saveTo(dir string) func(context.Context, []byte) (string, error) {
	return func(_ context.Context, pdf []byte) (string, error) {
		path := filepath.Join(dir, "what-i-practised.pdf")
		return path, os.WriteFile(path, pdf, 0o600)
	}
}

func lessonTitle(h *harness, id string) string {
	h.t.Helper()
	for _, l := range h.s.Lessons() {
		if l.ID == id {
			return text.T(l.Title)
		}
	}
	h.t.Fatalf("no lesson %q", id)
	return ""
}

// helperSays waits until the helper's view shows words.
func helperSays(h *harness, words string) {
	h.t.Helper()
	h.waitFor("the helper's view to say "+words, func() bool { return h.s.helperShowing && viewSays(h.s.Content(), words) })
}

// savedPDFSays saves "What I practised today" from the helper's view and
// checks the file is a PDF whose text has each of words.
func savedPDFSays(h *harness, dir string, words ...string) {
	h.t.Helper()
	tapView(h.t, h.s.Content(), text.T(text.HelperSavePDF))
	path := filepath.Join(dir, "what-i-practised.pdf")
	helperSays(h, text.T(text.HelperSaved, path))
	pdf, err := os.ReadFile(path)
	if err != nil {
		h.t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		h.t.Fatalf("the saved file starts %q, not a PDF", pdf[:min(len(pdf), 16)])
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		h.t.Fatalf("pdftotext: %v", err)
	}
	// Words may be spread over lines or spaced out in the PDF's text.
	flat := strings.Join(strings.Fields(string(out)), " ")
	for _, w := range words {
		if !strings.Contains(flat, w) {
			h.t.Errorf("the PDF does not say %q; it says %q", w, flat)
		}
	}
}

// The helper prints "What I practised today" on the kiosk's receipt
// printer: the slip says PRACTICE, lists the lesson just finished and
// carries the pretend letter's code to practise scanning with.
func TestHelperPrintsWhatWasPractised(t *testing.T) {
	addr, slips := slipListener(t)
	h := newHarnessWith(t, func(c *Config) { c.Printer = receipt.TCP{Addr: addr} })
	finishLesson(h, "touchscreen")
	title := lessonTitle(h, "touchscreen")

	h.s.showHelper()
	tapView(t, h.s.Content(), text.T(text.HelperPrint))
	if !viewSays(h.s.Content(), text.T(text.HelperPrinting)) {
		t.Error("the helper's view does not say it is printing")
	}
	var data []byte
	h.waitFor("the slip at the printer", func() bool {
		select {
		case data = <-slips:
			return true
		default:
			return false
		}
	})
	slip, err := receipt.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Join(slip.Text(), "\n")
	for _, want := range []string{"PRACTICE", text.T(text.PracticeSlipHeading), title} {
		if !strings.Contains(lines, want) {
			t.Errorf("the slip does not say %q; it says:\n%s", want, lines)
		}
	}
	now, loc := practiceNow(t)
	wantQR := practiceday.Demo(pretend.Details(), now.In(loc)).QRPayload()
	if len(slip.QRCodes) != 1 || slip.QRCodes[0].Data != wantQR {
		t.Errorf("the slip's codes are %+v, want the pretend letter's %q", slip.QRCodes, wantQR)
	}
	if slip.Cuts == 0 {
		t.Error("the slip was not cut")
	}
}

// Saving "What I practised today" as a PDF says where it went, and the
// file is a PDF that names the lesson finished.
func TestHelperSavesWhatWasPractisedAsPDF(t *testing.T) {
	dir := t.TempDir()
	h := newHarnessWith(t, func(c *Config) { c.SavePDF = saveTo(dir) })
	finishLesson(h, "touchscreen")
	h.s.showHelper()
	savedPDFSays(h, dir, lessonTitle(h, "touchscreen"))
}

// A printer that cannot be reached: the helper's view says it did not
// print, and nothing is lost: the lesson is still done, and saving the
// PDF instead still lists it.
func TestHelperIsToldWhenThePrinterFails(t *testing.T) {
	dir := t.TempDir()
	h := newHarnessWith(t, func(c *Config) {
		c.Printer = receipt.TCP{Addr: deadPrinter(t)}
		c.SavePDF = saveTo(dir)
	})
	finishLesson(h, "touchscreen")
	title := lessonTitle(h, "touchscreen")
	h.s.showHelper()
	tapView(t, h.s.Content(), text.T(text.HelperPrint))
	helperSays(h, text.T(text.HelperNotPrinted))
	if !h.s.Done("touchscreen") {
		t.Fatal("after a failed print the lesson is no longer done")
	}
	if !viewSays(h.s.Content(), text.T(text.HelperDoneToday, title)) {
		t.Error("after a failed print the helper's view does not show the lesson as done")
	}
	savedPDFSays(h, dir, title)
}
