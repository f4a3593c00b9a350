package assets

import (
	"bytes"
	"testing"
)

// Each script's font is there in both weights, and is a TrueType file.
func TestFontsAreEmbedded(t *testing.T) {
	for _, s := range []Script{ScriptGurmukhi, ScriptBengali, ScriptArabic} {
		for _, bold := range []bool{false, true} {
			name, ttf, err := Font(s, bold)
			if err != nil {
				t.Fatalf("%s bold=%v: %v", s, bold, err)
			}
			if len(ttf) < 10_000 || !bytes.Equal(ttf[:4], []byte{0, 1, 0, 0}) {
				t.Errorf("%s: %d bytes, starting % x: not a TrueType font", name, len(ttf), ttf[:min(4, len(ttf))])
			}
		}
	}
	if _, _, err := Font("Klingon", false); err == nil {
		t.Error("a script with no font gave no error")
	}
}
