package receipt

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

func london(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skipf("no tzdata: %v", err)
	}
	return loc
}

func decodeOK(t *testing.T, b []byte) DecodedSlip {
	t.Helper()
	d, err := Decode(b)
	if err != nil {
		t.Fatalf("Decode: %v\nstream: % X", err, b)
	}
	return d
}

// body returns the decoded lines after the title block and the blank line
// that follows it.
func body(t *testing.T, d DecodedSlip, titleLines int) []Line {
	t.Helper()
	if len(d.Lines) < titleLines+1 {
		t.Fatalf("only %d lines:\n%s", len(d.Lines), d)
	}
	return d.Lines[titleLines+1:]
}

func TestFormatWhen(t *testing.T) {
	when := time.Date(2026, 6, 9, 10, 30, 0, 0, london(t))
	if got, want := FormatWhen(when), "Tuesday 9 June 2026 at 10:30"; got != want {
		t.Errorf("FormatWhen = %q, want %q", got, want)
	}
}

func TestRoundTripAppointment(t *testing.T) {
	slip := AppointmentSlip(Appointment{
		Practice:  "Riverside Surgery",
		FirstName: "Aoife",
		Clinician: "Dr Patel",
		When:      time.Date(2026, 6, 9, 10, 30, 0, 0, london(t)),
		WaitIn:    "Waiting area B, first floor",
		CheckIn:   "gpk:checkin:v1:7f3a9c1e-0b2d-4e8f-9a61-3c5d7e9f1b24",
	})
	b := Encode(slip)
	d := decodeOK(t, b)

	if !d.Initialized || d.CodePage != codePagePC858 || d.Cuts != 1 {
		t.Errorf("init=%v codepage=%d cuts=%d, want true 19 1", d.Initialized, d.CodePage, d.Cuts)
	}
	title := Line{Text: "Riverside Surgery", Style: Style{Bold: true, Width: 2, Height: 2, Align: AlignCentre}}
	if d.Lines[0] != title {
		t.Errorf("title = %+v, want %+v", d.Lines[0], title)
	}
	want := []string{
		"Hello Aoife",
		"Your appointment",
		"",
		"With: Dr Patel",
		"When: Tuesday 9 June 2026 at 10:30",
		"Please wait in: Waiting area B, first floor",
		"",
		"Scan this code at the arrival screen to check",
		"in.",
		"", // spacer before the QR code
	}
	got := body(t, d, 1)
	if !slices.Equal(DecodedSlip{Lines: got}.Text(), want) {
		t.Fatalf("lines:\n%s\nwant %q", d, want)
	}
	for _, l := range got {
		if l.Style != (Style{Width: 1, Height: 1}) {
			t.Errorf("body line %q style %+v, want plain left-aligned", l.Text, l.Style)
		}
	}
	wantQR := QRCode{
		Data: slip.QR, Model: 2, Module: qrModule, ECC: 'M',
		AfterLine: len(d.Lines), Align: AlignCentre,
	}
	if len(d.QRCodes) != 1 || d.QRCodes[0] != wantQR {
		t.Errorf("QR codes = %+v, want [%+v]", d.QRCodes, wantQR)
	}
}

func TestRoundTripPrescription(t *testing.T) {
	slip := PrescriptionSlip(RepeatRequest{
		Practice:  "Riverside Surgery",
		Items:     []string{"Amlodipine 5mg tablets", "Salbutamol 100micrograms/dose inhaler"},
		ReadyFrom: time.Date(2026, 6, 12, 0, 0, 0, 0, london(t)),
	})
	d := decodeOK(t, Encode(slip))
	want := []string{
		"Your repeat prescription request",
		"",
		"- Amlodipine 5mg tablets",
		"- Salbutamol 100micrograms/dose inhaler",
		"",
		"Ready from Friday 12 June 2026",
	}
	if got := (DecodedSlip{Lines: body(t, d, 1)}).Text(); !slices.Equal(got, want) {
		t.Fatalf("lines:\n%s\nwant %q", d, want)
	}
	if len(d.QRCodes) != 0 {
		t.Errorf("unexpected QR codes %+v", d.QRCodes)
	}
}

func TestWrapKeepsEveryWord(t *testing.T) {
	long := "Please take a seat in the main waiting room on the ground floor and " +
		"listen for your name; the clinician will call you when ready. " +
		"Supercalifragilisticexpialidocious-antidisestablishmentarianism too."
	longTitle := "Riverside and Meadowbank Medical Practice"
	d := decodeOK(t, Encode(Slip{Title: longTitle, Lines: []string{long}}))

	var title, text []string
	for _, l := range d.Lines {
		limit := Columns
		if l.Style.Width == 2 {
			limit = TitleColumns
			title = append(title, l.Text)
		} else if l.Text != "" {
			text = append(text, l.Text)
		}
		if len(l.Text) > limit {
			t.Errorf("line %q is %d columns, limit %d", l.Text, len(l.Text), limit)
		}
	}
	if len(title) < 2 || strings.Join(title, " ") != longTitle {
		t.Errorf("title wrapped as %q", title)
	}
	if len(text) < 3 {
		t.Fatalf("expected wrapping, got %q", text)
	}
	// Only the over-long word may be split mid-word; everything else must
	// come back exactly when the lines are re-joined.
	joined := strings.Join(text, " ")
	fixed := strings.Replace(joined, "Supercalifragilisticexpialidocious-antidisestabl ishmentarianism",
		"Supercalifragilisticexpialidocious-antidisestablishmentarianism", 1)
	if fixed != long {
		t.Errorf("rejoined text\n%q\nwant\n%q", joined, long)
	}
	for _, l := range text[:len(text)-1] {
		if len(l) < Columns-20 {
			t.Errorf("line %q wrapped too early", l)
		}
	}
}

// Characters PC858 lacks and no slip font draws (an emoji, a Chinese
// character) print as '?' on a text slip. (Ones a font draws, such as Ł or
// ẞ, send the slip to raster instead: see raster_test.go.)
func TestCharacterMapping(t *testing.T) {
	in := "Fee £10 — café Zoë, Ægir; naïve 漢 😀 ?ukasz \x1b@ e\u0301"
	b := Encode(Slip{Lines: []string{in}})
	if !strings.Contains(string(b), "\x9c10") {
		t.Errorf("£ not sent as CP858 0x9C: % X", b)
	}
	for _, c := range b {
		if c == 0xC2 || c == 0xC3 || c == 0xF0 { // UTF-8 lead bytes of the input
			t.Errorf("UTF-8 leaked into stream: % X", b)
			break
		}
	}
	d := decodeOK(t, b)
	want := "Fee £10 - café Zoë, Ægir; naïve ? ? ?ukasz ?@ e"
	if got := d.Lines[0].Text; got != want {
		t.Errorf("decoded %q, want %q", got, want)
	}
	if strings.Contains(string(b), "\x1b@ e") {
		t.Errorf("injected ESC @ reached the stream: % X", b)
	}
}

// The hand-written CP858 table must agree with an independent one.
func TestCP858TableMatchesXText(t *testing.T) {
	table := []rune(cp858High)
	if len(table) != 128 {
		t.Fatalf("table has %d entries", len(table))
	}
	for i, r := range table {
		if got := charmap.CodePage858.DecodeByte(byte(0x80 + i)); got != r {
			t.Errorf("0x%02X: table %q, x/text %q", 0x80+i, r, got)
		}
	}
}

// The CP437 table, used for the tick, must agree with x/text too.
func TestCP437TableMatchesXText(t *testing.T) {
	table := []rune(cp437High)
	if len(table) != 128 {
		t.Fatalf("table has %d entries", len(table))
	}
	for i, r := range table {
		if got := charmap.CodePage437.DecodeByte(byte(0x80 + i)); got != r {
			t.Errorf("0x%02X: table %q, x/text %q", 0x80+i, r, got)
		}
	}
}

// A tick prints as CP437's √ with the code page switched for it alone,
// counts as one column when wrapping, and leaves PC858 selected after.
func TestTickPrintsFromCP437(t *testing.T) {
	line := "✓ " + strings.Repeat("x", Columns-2)
	b := Encode(Slip{Lines: []string{line, "✔ £5 √"}})
	if !strings.Contains(string(b), "\x1bt\x00\xfb\x1bt\x13 xx") {
		t.Errorf("tick not sent as ESC t 0, 0xFB, ESC t 19: % X", b)
	}
	d := decodeOK(t, b)
	want := []string{"√ " + strings.Repeat("x", Columns-2), "√ £5 √"}
	if !slices.Equal(d.Text(), want) {
		t.Errorf("decoded %q, want %q", d.Text(), want)
	}
	if d.CodePage != codePagePC858 {
		t.Errorf("code page left at %d, want PC858", d.CodePage)
	}
}

func TestDecodeRejects(t *testing.T) {
	good := Encode(Slip{Title: "T", Lines: []string{"a line"}, QR: "PAYLOAD-123"})
	qrAt := strings.Index(string(good), "\x1d(k")
	storeAt := strings.Index(string(good), "\x31\x50\x30PAYLOAD") - 5
	if qrAt < 0 || storeAt < 0 {
		t.Fatalf("no QR sequence in % X", good)
	}
	cases := []struct {
		name string
		b    []byte
		want error
	}{
		{"truncated QR data", good[:storeAt+12], ErrTruncated},
		{"truncated QR header", good[:qrAt+4], ErrTruncated},
		{"truncated ESC", []byte{esc}, ErrTruncated},
		{"truncated ESC a", []byte{esc, 'a'}, ErrTruncated},
		{"truncated mid-text", good[:strings.Index(string(good), "a line")+3], ErrUnprinted},
		{"truncated before cut", good[:len(good)-4], ErrNotCut},
		{"unknown ESC", []byte{esc, '!', 0, gs, 'V', 1}, ErrUnknown},
		{"unknown control", []byte{0x07, gs, 'V', 1}, ErrUnknown},
		{"unknown code page", []byte{esc, 't', 17}, ErrUnknown},
		{"QR print before store", []byte{gs, '(', 'k', 3, 0, 49, 81, 48}, ErrBadQRParams},
		{"QR bad size", []byte{gs, '(', 'k', 3, 0, 49, 67, 40}, ErrBadQRParams},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(c.b)
			if !errors.Is(err, c.want) {
				t.Fatalf("Decode(% X) = %v, want %v", c.b, err, c.want)
			}
			t.Log(err)
		})
	}
}

func TestOversizedQRIsReplacedByText(t *testing.T) {
	d := decodeOK(t, Encode(Slip{Lines: []string{"x"}, QR: strings.Repeat("A", MaxQRPayload+1)}))
	if len(d.QRCodes) != 0 || !strings.Contains(d.Lines[len(d.Lines)-1].Text, "ask at reception") {
		t.Errorf("got:\n%s", d)
	}
}

func TestPlainText(t *testing.T) {
	s := Slip{Title: "Riverside", Lines: []string{"Your appointment", "", "With: Dr Patel"}}
	if got, want := s.PlainText(), "Riverside\n\nYour appointment\n\nWith: Dr Patel\n"; got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
}
