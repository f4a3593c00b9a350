package letter_test

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	gpsync "gpkiosk/sync"
	"gpkiosk/sync/pretend"
	"gpkiosk/ui/letter"
	"gpkiosk/ui/letter/lettertest"
	"gpkiosk/ui/practiceday"
	"gpkiosk/ui/receipt"
)

// session is an afternoon's practice session, in London.
var session = time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)

func practiceDay() practiceday.PracticeDay {
	return practiceday.PracticeDay{
		Date:      session,
		Practised: []string{"Booking an appointment", "Ordering a repeat prescription", "Booking an appointment"},
		Letter:    practiceday.Demo(pretend.Details(), session),
	}
}

// sheet is a rendered practice-day sheet as poppler reads it.
type sheet struct {
	path  string
	pages []string // each page's text, spaces collapsed
}

func readSheet(t *testing.T, pdf []byte) sheet {
	t.Helper()
	lettertest.NeedTools(t, "pdftotext", "pdfinfo")
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("not a PDF: starts %q", pdf[:min(8, len(pdf))])
	}
	path := filepath.Join(t.TempDir(), "practice-day.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo cannot read the sheet: %v: %s", err, info)
	}
	if !strings.Contains(string(info), "(A4)") {
		t.Fatalf("want A4, pdfinfo says:\n%s", info)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(string(info))
	if m == nil {
		t.Fatalf("pdfinfo gives no page count:\n%s", info)
	}
	n, _ := strconv.Atoi(m[1])
	s := sheet{path: path}
	for i := 1; i <= n; i++ {
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", "-f", strconv.Itoa(i), "-l", strconv.Itoa(i), path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext page %d: %v", i, err)
		}
		s.pages = append(s.pages, strings.Join(strings.Fields(string(out)), " "))
	}
	return s
}

func (s sheet) says(t *testing.T, page int, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s.pages[page-1], w) {
			t.Errorf("page %d does not say %q; it says:\n%s", page, w, s.pages[page-1])
		}
	}
}

// wordHeights are the heights in points of each word on a page, as
// pdftotext -bbox measures them.
func (s sheet) wordHeights(t *testing.T, page int) map[string]float64 {
	t.Helper()
	out, err := exec.Command("pdftotext", "-bbox", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), s.path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var doc struct {
		Words []struct {
			YMin float64 `xml:"yMin,attr"`
			YMax float64 `xml:"yMax,attr"`
			Text string  `xml:",chardata"`
		} `xml:"body>doc>page>word"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("reading pdftotext -bbox: %v", err)
	}
	h := map[string]float64{}
	for _, w := range doc.Words {
		h[fmt.Sprintf("%s@%.0f", w.Text, w.YMin)] = w.YMax - w.YMin
	}
	return h
}

func TestPracticeDaySheetSaysWhatWasPractised(t *testing.T) {
	d := practiceDay()
	pdf, err := letter.RenderPracticeDay(d)
	if err != nil {
		t.Fatal(err)
	}
	s := readSheet(t, pdf)
	if len(s.pages) != 2 {
		t.Fatalf("want 2 pages (the day, the pretend letter), got %d", len(s.pages))
	}
	s.says(t, 1, "PRACTICE — NOT REAL", "What I practised today", "Friday 27 November 2026",
		"Booking an appointment Ordering a repeat prescription Next steps", // once each, in order
		"1. Try the lessons again until they feel easy.",
		"2. To use the kiosk for real, ask at reception for your own letter.",
		"3. Bring this with you next time, so your helper can see what you did.",
		"The next page is a pretend letter. Practise scanning its code at the practice kiosk.",
		"Then type the pretend date of birth: 15 03 1946",
		"It will not work in the NHS App.")
	if n := strings.Count(s.pages[0], "Booking an appointment"); n != 1 {
		t.Errorf("a lesson done twice is listed %d times", n)
	}
	// The pretend letter is the real letter's layout with the pretend
	// practice's details: what a learner will later get from reception.
	s.says(t, 2, "PRACTICE — NOT REAL", "This pretend letter works only on the practice kiosk.",
		"Practice Surgery (not real)", "1 Pretend Street", "ZZ99 9ZZ", "27 November 2026",
		"Your details for GP online services",
		"Practice code (ODS code) Y00000", "Account ID DEMO-0001", "Linkage key "+practiceday.DemoLinkageKey,
		"Kiosk code", "Hold the kiosk code on this letter under the scanner",
		"Use these details by 11 December 2026.")
	for i, p := range s.pages {
		if !strings.HasPrefix(p, "PRACTICE — NOT REAL") {
			t.Errorf("page %d does not start with PRACTICE — NOT REAL: %.60s", i+1, p)
		}
	}
}

// Page 1 is for older learners: nothing on it smaller than 14 pt. Sizes
// are measured against a word the real letter sets at 12 pt.
func TestPracticeDaySheetIsLargeType(t *testing.T) {
	pdf, err := letter.RenderPracticeDay(practiceDay())
	if err != nil {
		t.Fatal(err)
	}
	s := readSheet(t, pdf)
	var twelve float64
	for k, h := range s.wordHeights(t, 2) {
		if strings.HasPrefix(k, "Keep@") { // "Keep this letter safe", 12 pt
			twelve = h
		}
	}
	if twelve == 0 {
		t.Fatal("no 12 pt word on the letter page to measure against")
	}
	heights := s.wordHeights(t, 1)
	if len(heights) < 20 {
		t.Fatalf("only %d words on page 1", len(heights))
	}
	for w, h := range heights {
		if pt := 12 * h / twelve; pt < 14-0.1 {
			t.Errorf("%s is %.1f pt, want at least 14", w, pt)
		}
	}
}

// The sheet's QR code, read from the rendered page by an independent
// decoder, is the slip's: the pretend letter for DEMO-0001 at the pretend
// practice (receipt's tests sign it in on a pretend practice).
func TestPracticeDaySheetCodeIsThePretendLetter(t *testing.T) {
	d := practiceDay()
	pdf, err := letter.RenderPracticeDay(d)
	if err != nil {
		t.Fatal(err)
	}
	got := lettertest.DecodePDFPage(t, pdf, 2)
	if want := receipt.PracticeDaySlip(d).QR; got != want || want == "" {
		t.Fatalf("the sheet's QR code reads %q, want the slip's %q", got, want)
	}
	l, err := gpsync.ParseLetter(got)
	if err != nil || l.AccountID != "DEMO-0001" || l.ODS != pretend.Details().ODSCode {
		t.Fatalf("the QR code %q is not the pretend letter for DEMO-0001: %+v, %v", got, l, err)
	}
}

func TestPracticeDaySheetWithNothingPractised(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		pdf, err := letter.RenderPracticeDay(practiceday.PracticeDay{})
		if err != nil {
			t.Fatal(err)
		}
		s := readSheet(t, pdf)
		// No letter given: the day's page alone, not pointing at a letter.
		if len(s.pages) != 1 {
			t.Fatalf("want 1 page without a letter, got %d", len(s.pages))
		}
		s.says(t, 1, "PRACTICE — NOT REAL", "What I practised today", "You practised: nothing yet.",
			"Next steps", "1. Try the lessons again until they feel easy.")
		if strings.Contains(s.pages[0], "pretend letter") {
			t.Errorf("a sheet with no letter mentions one:\n%s", s.pages[0])
		}
	})
	t.Run("blank lessons, with the letter", func(t *testing.T) {
		d := practiceDay()
		d.Practised, d.NextSteps = []string{" ", ""}, []string{"\t"}
		pdf, err := letter.RenderPracticeDay(d)
		if err != nil {
			t.Fatal(err)
		}
		s := readSheet(t, pdf)
		if len(s.pages) != 2 {
			t.Fatalf("want 2 pages, got %d", len(s.pages))
		}
		s.says(t, 1, "Friday 27 November 2026 You practised: nothing yet. Next steps 1. Try the lessons again")
		s.says(t, 2, "Account ID DEMO-0001")
	})
}

// A long session's lessons run on to another page rather than being
// refused; the pretend letter is still a page of its own, last.
func TestPracticeDaySheetLongListFlowsOn(t *testing.T) {
	d := practiceDay()
	d.Practised = nil
	for i := range 40 {
		d.Practised = append(d.Practised, fmt.Sprintf("Lesson %d: finding your way round the kiosk", i+1))
	}
	d.NextSteps = []string{"Come to the Tuesday session."}
	pdf, err := letter.RenderPracticeDay(d)
	if err != nil {
		t.Fatal(err)
	}
	s := readSheet(t, pdf)
	if len(s.pages) != 3 {
		t.Fatalf("want 3 pages, got %d", len(s.pages))
	}
	all := strings.Join(s.pages[:2], " ")
	for _, l := range d.Practised {
		if !strings.Contains(all, l) {
			t.Errorf("%q is missing", l)
		}
	}
	if !strings.Contains(all, "1. Come to the Tuesday session.") || strings.Contains(all, "Try the lessons again") {
		t.Errorf("want only the helper's next step:\n%s", all)
	}
	s.says(t, 3, "PRACTICE — NOT REAL", "Account ID DEMO-0001")
	if got := lettertest.DecodePDFPage(t, pdf, 3); got != d.Letter.QRPayload() {
		t.Errorf("the letter page's QR code reads %q", got)
	}
}

func TestPracticeDaySheetRefusesAHalfLetter(t *testing.T) {
	d := practiceDay()
	d.Letter.PracticeName = ""
	pdf, err := letter.RenderPracticeDay(d)
	if !errors.Is(err, letter.ErrMissingDetails) || pdf != nil {
		t.Fatalf("got %d bytes, %v; want ErrMissingDetails", len(pdf), err)
	}
	if !strings.HasPrefix(err.Error(), "practice day render: ") {
		t.Errorf("error does not name the operation: %v", err)
	}
}

// Printed through real CUPS to a PDF printer, the letter page still scans
// as the pretend letter.
func TestPrintedPracticeDaySheetScans(t *testing.T) {
	lettertest.NeedCUPS(t)
	d := practiceDay()
	pdf, err := letter.RenderPracticeDay(d)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if got := lettertest.PrintAndDecodePage(t, ctx, pdf, 2); got != d.Letter.QRPayload() {
		t.Fatalf("the printed sheet's QR code reads %q, want %q", got, d.Letter.QRPayload())
	}
}

// The sheet prints the surgery's day, as the slip does.
func TestPracticeDaySheetPrintsLondonsDay(t *testing.T) {
	pdf, err := letter.RenderPracticeDay(practiceday.PracticeDay{Date: time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	readSheet(t, pdf).says(t, 1, "Wednesday 1 July 2026")
}
