package widgets

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Runs of a right-to-left line come out as the eye meets them from the
// left: a time, a number or a Latin name sits where an Arabic or Urdu
// reader expects it, each Arabic run marked right to left with its spaces.
func TestVisualOrder(t *testing.T) {
	const L, R = lrm, rlm
	for _, c := range []struct{ name, logical, want string }{
		{"Arabic with a time and a day number",
			"موعدك الساعة 10:20 يوم الثلاثاء 3 مارس",
			L + R + " مارس" + R + L + "3" + L + R + " يوم الثلاثاء " + R + L + "10:20" + L + R + "موعدك الساعة " + R + L},
		{"Urdu with a day number and a time",
			"آپ کی ملاقات منگل 3 مارچ کو 10:20 بجے ہے۔",
			L + R + " بجے ہے۔" + R + L + "10:20" + L + R + " مارچ کو " + R + L + "3" + L + R + "آپ کی ملاقات منگل " + R + L},
		{"Arabic with a Latin name of several words",
			"الطبيب Dr Sarah Khan اليوم",
			L + R + " اليوم" + R + L + "Dr Sarah Khan" + L + R + "الطبيب " + R + L},
		{"Urdu with NHS and a number",
			"آپ کا NHS نمبر 4857773456",
			L + "4857773456" + L + R + " نمبر " + R + L + "NHS" + L + R + "آپ کا " + R + L},
		// Unicode's rules (and every browser) read numbers apart by spaces
		// as separate numbers, right to left: 485 is still read first.
		{"Arabic with spaced digit groups",
			"الرقم 485 777 3456",
			L + "3456" + L + R + " " + R + L + "777" + L + R + " " + R + L + "485" + L + R + "الرقم " + R + L},
		{"pure Arabic is one run", "اختر لغتك", L + R + "اختر لغتك" + R + L},
	} {
		if got := visualOrder(c.logical); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

// A paragraph is right to left when its first letter with a direction is
// Arabic script, whatever comes before it (digits, punctuation) or after.
func TestRightToLeftByFirstStrongLetter(t *testing.T) {
	for s, want := range map[string]bool{
		"Your appointment is at 10:20": false,
		"10:20 موعدك":                  true,
		"(3) آپ کی ملاقات":             true,
		"NHS رقم":                      false,
		"":                             false,
		"10:20":                        false,
		"ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ 10:20 ਵਜੇ ਹੈ": false,
		"আপনার অ্যাপয়েন্টমেন্ট":      false,
	} {
		if got := rightToLeft(s); got != want {
			t.Errorf("rightToLeft(%q) = %v, want %v", s, got, want)
		}
	}
}

// Left-to-right text, English and the Indic scripts, comes out exactly as
// before: the same lines, byte for byte, none marked right to left.
func TestLeftToRightTextUnchanged(t *testing.T) {
	test.NewTempApp(t)
	for _, s := range []string{
		"Your appointment is on Tuesday 3 March at 10:20 with Dr Sarah Khan. Please take a seat.",
		"Line one\n\nLine three (after an empty one)",
		"NHS number 485 777 3456",
		"Name: علي Khan",
		"ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ ਮੰਗਲਵਾਰ 3 ਮਾਰਚ ਨੂੰ 10:20 ਵਜੇ ਹੈ",
		"",
	} {
		for _, width := range []float32{120, 400, 2000} {
			want := wrapLines(s, width, 21, fyne.TextStyle{})
			got := shownLines(s, width, 21, fyne.TextStyle{})
			if len(got) != len(want) {
				t.Fatalf("%q at %v: %d lines, want %d", s, width, len(got), len(want))
			}
			for i := range got {
				if got[i].text != want[i] || got[i].rtl {
					t.Errorf("%q at %v, line %d: %q (rtl %v), want %q unchanged", s, width, i, got[i].text, got[i].rtl, want[i])
				}
			}
		}
	}
}

// Reordering never loses, adds or changes a letter: only the direction
// marks are new.
func FuzzVisualOrderKeepsRunes(f *testing.F) {
	words := []string{"موعدك", "الساعة", "آپ", "کی", "ملاقات", "بجے", "ہے۔", "،", "10:20", "3", "٣", "۱۲",
		"NHS", "Dr", "Khan", "(", ")", "-", "/", ".", "ਪੰਜਾਬੀ", "বাংলা", "  ", "\t", "+44", "1.5"}
	r := rand.New(rand.NewPCG(15, 15))
	for range 200 {
		var parts []string
		for range 1 + r.IntN(9) {
			parts = append(parts, words[r.IntN(len(words))])
		}
		f.Add(strings.Join(parts, " "))
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsAny(s, "\n\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
			t.Skip("a wrapped line has no line breaks or direction marks of its own")
		}
		got := visualOrder(s)
		kept := []rune(strings.NewReplacer(lrm, "", rlm, "").Replace(got))
		want := []rune(s)
		slices.Sort(kept)
		slices.Sort(want)
		if !slices.Equal(kept, want) {
			t.Errorf("visualOrder(%q) = %q: letters lost or added", s, got)
		}
	})
}
