package letter_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gpsync "gpkiosk/sync"
	"gpkiosk/ui/letter"
	"gpkiosk/ui/letter/lettertest"
)

// issued is 23:30 UTC on 30 June 2026: already 1 July in London, so the
// letter must print London's dates.
var issued = time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC)

func sample() letter.Details {
	return letter.Details{
		PracticeName:     "Riverside Surgery",
		PracticeAddress:  "12 Mill Lane\nRiverside\nExampleton",
		PracticePostcode: "EX1 2AB",
		PracticePhone:    "01234 567890",
		ODS:              "Y99999",
		PatientName:      "Siobhán Zoë O'Brien",
		AccountID:        "ACDE-FGHJ-KMNP",
		LinkageKey:       "QRTUV-WXY34-67ACD",
		IssuedAt:         issued,
		ExpiresAt:        issued.Add(14 * 24 * time.Hour),
	}
}

// pdfText is the letter's text as pdftotext reads it, spaces collapsed so
// line breaks do not matter.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	lettertest.NeedTools(t, "pdftotext", "pdfinfo")
	path := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo cannot read the letter: %v: %s", err, info)
	}
	if !strings.Contains(string(info), "Pages:           1\n") || !strings.Contains(string(info), "(A4)") {
		t.Fatalf("want one A4 page, pdfinfo says:\n%s", info)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestLetterSaysWhatThePatientNeeds(t *testing.T) {
	d := sample()
	pdf, err := letter.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("not a PDF: starts %q", pdf[:min(8, len(pdf))])
	}
	text := pdfText(t, pdf)
	for _, want := range []string{
		"Riverside Surgery", "12 Mill Lane", "EX1 2AB", "01234 567890",
		"1 July 2026",               // issued, in London
		"Dear Siobhán Zoë O'Brien,", // accents survive: the font is embedded
		"Practice code (ODS code) Y99999", "Account ID ACDE-FGHJ-KMNP", "Linkage key QRTUV-WXY34-67ACD",
		"Download the NHS App", "I have registration details", "date of birth",
		"Use these details by 15 July 2026. After that, ask at reception for a new letter.",
		"Keep this letter safe", "tell reception straight away",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("letter does not say %q; it says:\n%s", want, text)
		}
	}
	if strings.Contains(text, "act for") {
		t.Errorf("a patient's own letter talks about acting for someone:\n%s", text)
	}
}

func TestProxyLetterSaysWhoTheyActFor(t *testing.T) {
	d := sample()
	d.PatientName = "Mary Jones"
	d.ActingForName = "Zoë Jones"
	pdf, err := letter.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"Dear Mary Jones,", "These details let you act for Zoë Jones.", "Do not share them with Zoë Jones or anyone else."} {
		if !strings.Contains(text, want) {
			t.Errorf("proxy letter does not say %q; it says:\n%s", want, text)
		}
	}
}

func TestLetterQRCodeDecodesWithoutPrinting(t *testing.T) {
	d := sample()
	pdf, err := letter.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	got := lettertest.DecodePDF(t, pdf)
	if want := (gpsync.Letter{ODS: d.ODS, AccountID: d.AccountID, LinkageKey: d.LinkageKey}).String(); got != want {
		t.Fatalf("QR code reads %q, want %q", got, want)
	}
}

func TestIncompleteDetailsAreRefused(t *testing.T) {
	blank := map[string]func(*letter.Details){
		"practice name":  func(d *letter.Details) { d.PracticeName = " " },
		"address":        func(d *letter.Details) { d.PracticeAddress = "" },
		"postcode":       func(d *letter.Details) { d.PracticePostcode = "" },
		"phone":          func(d *letter.Details) { d.PracticePhone = "" },
		"ODS":            func(d *letter.Details) { d.ODS = "" },
		"patient":        func(d *letter.Details) { d.PatientName = "" },
		"account":        func(d *letter.Details) { d.AccountID = "" },
		"key":            func(d *letter.Details) { d.LinkageKey = "\t" },
		"issued":         func(d *letter.Details) { d.IssuedAt = time.Time{} },
		"expires":        func(d *letter.Details) { d.ExpiresAt = time.Time{} },
		"expires before": func(d *letter.Details) { d.ExpiresAt = d.IssuedAt.Add(-time.Hour) },
	}
	for name, change := range blank {
		t.Run(name, func(t *testing.T) {
			d := sample()
			change(&d)
			pdf, err := letter.Render(d)
			refusedAsMissing(t, "letter render", pdf, err)
		})
	}
}

// refusedAsMissing checks a render refused for a missing detail: no PDF,
// the operation named for the log, and a sentence for staff.
func refusedAsMissing(t *testing.T, op string, pdf []byte, err error) {
	t.Helper()
	if !errors.Is(err, letter.ErrMissingDetails) || pdf != nil {
		t.Fatalf("got %d bytes, %v; want ErrMissingDetails", len(pdf), err)
	}
	if !strings.HasPrefix(err.Error(), op+": ") {
		t.Errorf("error does not name the operation: %v", err)
	}
	if msg := letter.Message(err); !strings.HasPrefix(msg, "Some details for the letter are missing. The ") {
		t.Errorf("staff would read %q", msg)
	}
}

func TestTooLongForOnePageIsRefused(t *testing.T) {
	d := sample()
	d.PracticeAddress = strings.Repeat("The Old Mill Buildings, ", 20)
	_, err := letter.Render(d)
	if !errors.Is(err, letter.ErrTooLong) {
		t.Fatalf("got %v, want ErrTooLong", err)
	}
}

func TestSavePDF(t *testing.T) {
	pdf, err := letter.Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "letter.pdf")
	if err := letter.SavePDF(path, pdf); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(pdf) {
		t.Fatalf("saved file differs (%v)", err)
	}
	// Saving again replaces the file.
	if err := letter.SavePDF(path, []byte("%PDF-second")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "%PDF-second" {
		t.Fatalf("second save left %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("want only letter.pdf in the folder, found %d entries", len(entries))
	}
}

func TestSavePDFWhereItCannot(t *testing.T) {
	pdf := []byte("%PDF-1.7 test")
	readonly := t.TempDir()
	if err := os.Chmod(readonly, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(readonly, 0o755) })
	if os.Geteuid() == 0 {
		// root may write anywhere on a normal disk; /proc refuses everyone.
		readonly = "/proc"
	}
	file := filepath.Join(t.TempDir(), "not-a-folder")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"missing folder":   filepath.Join(t.TempDir(), "no-such-folder", "letter.pdf"),
		"read-only":        filepath.Join(readonly, "letter.pdf"),
		"file as folder":   filepath.Join(file, "letter.pdf"),
		"folder as a file": t.TempDir(),
	}
	for name, path := range cases {
		t.Run(name, func(t *testing.T) {
			before, _ := os.ReadDir(filepath.Dir(path))
			err := letter.SavePDF(path, pdf)
			if !errors.Is(err, letter.ErrCannotSave) {
				t.Fatalf("got %v, want ErrCannotSave", err)
			}
			if msg := letter.Message(err); !strings.HasPrefix(msg, "The letter could not be saved there. ") || len(msg) < 45 {
				t.Errorf("staff would read %q", msg)
			}
			after, _ := os.ReadDir(filepath.Dir(path))
			if len(after) != len(before) {
				t.Errorf("saving left something behind: %d entries before, %d after", len(before), len(after))
			}
		})
	}
}
