package store

import (
	"errors"
	"testing"
)

func FuzzParseNHSNumber(f *testing.F) {
	for _, s := range []string{"9434765919", "943 476 5919", "943-476-5919", "9990000000", "", "abc", "９４３４７６５９１９", "\x00\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNHSNumber(s)
		if err != nil {
			if !errors.Is(err, ReasonInvalidNHSNumber) {
				t.Fatalf("%q: refusal without its reason: %v", s, err)
			}
			return
		}
		if len(n) != 10 {
			t.Fatalf("%q accepted as %q", s, n)
		}
		again, err := ParseNHSNumber(n.String())
		if err != nil || again != n {
			t.Fatalf("%q: shown as %q, which reads back as %q (%v)", s, n.String(), again, err)
		}
		if check, ok := nhsCheckDigit(string(n[:9])); !ok || int(n[9]-'0') != check {
			t.Fatalf("%q accepted with a wrong check digit", s)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-06-10", "2024-02-29", "2023-02-29", "0000-00-00", "9999-12-31", "2026-6-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, ReasonInvalidDate) {
				t.Fatalf("%q: refusal without its reason: %v", s, err)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("%q read as %s", s, d)
		}
		if d.AddDays(1).AddDays(-1) != d {
			t.Fatalf("%s does not survive a day there and back", d)
		}
	})
}
