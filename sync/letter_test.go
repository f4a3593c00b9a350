package sync

import (
	"errors"
	"testing"
)

func TestLetterPayloadRoundTrip(t *testing.T) {
	in := Letter{ODS: "Y99999", AccountID: "ACDE-FGHJ-KMNP", LinkageKey: "QRTUV-WXY34-67ACD"}
	s := in.String()
	if s != "gpkiosk-letter:v1?ods=Y99999&account=ACDE-FGHJ-KMNP&key=QRTUV-WXY34-67ACD" {
		t.Fatalf("payload = %q", s)
	}
	out, err := ParseLetter(s)
	if err != nil || out != in {
		t.Fatalf("ParseLetter(%q) = %+v, %v; want %+v", s, out, err, in)
	}
	// Scanners may change case; parts may come in another order.
	out, err = ParseLetter("GPKIOSK-LETTER:V1?KEY=qrtuv-wxy34-67acd&future=1&ACCOUNT=acde-fghj-kmnp&ODS=y99999")
	if err != nil || out != in {
		t.Fatalf("ParseLetter(shuffled) = %+v, %v", out, err)
	}
}

func TestParseLetterRefusesOtherCodes(t *testing.T) {
	for _, s := range []string{"", "hello", "gpkiosk-letter:v2?account=A", "gpkiosk-letter:v1?ods=Y99999", "gpkiosk-letter:v1?%zz", "gpkiosk-checkin:v1:ABC"} {
		if _, err := ParseLetter(s); !errors.Is(err, ErrNotALetter) {
			t.Errorf("ParseLetter(%q) = %v, want ErrNotALetter", s, err)
		}
	}
}
