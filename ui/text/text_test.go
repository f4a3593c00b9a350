package text

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// declaredKeys reads the Key constants from the source, so a key added to
// the const block but forgotten in the catalogue fails here rather than
// showing its id on the kiosk.
func declaredKeys(t *testing.T) []Key {
	t.Helper()
	var keys []Key
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		if !strings.HasSuffix(file, "_test.go") {
			keys = append(keys, declaredKeysIn(t, file)...)
		}
	}
	return keys
}

func declaredKeysIn(t *testing.T, file string) []Key {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var keys []Key
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Key" {
				continue
			}
			for _, v := range vs.Values {
				lit := v.(*ast.BasicLit)
				keys = append(keys, Key(strings.Trim(lit.Value, `"`)))
			}
		}
	}
	return keys
}

func TestEveryKeyHasEnglish(t *testing.T) {
	declared := declaredKeys(t)
	for _, k := range declared {
		s, ok := English().Lookup(k)
		if !ok || strings.TrimSpace(s) == "" {
			t.Errorf("key %q has no English string", k)
		}
	}
	for _, k := range Keys() {
		if !slices.Contains(declared, k) && !strings.HasPrefix(string(k), refusalPrefix) {
			t.Errorf("English string for %q has no Key constant", k)
		}
	}
}

// TestStringsAreWhole checks each string is a whole message: no spaces
// left over from gluing strings together, and values only as %s, which
// the plain-English check below knows to skip.
func TestStringsAreWhole(t *testing.T) {
	verb := regexp.MustCompile(`%.`)
	for _, k := range Keys() {
		s := T(k)
		if strings.TrimSpace(s) != s {
			t.Errorf("%s: %q starts or ends with a space", k, s)
		}
		for _, v := range verb.FindAllString(s, -1) {
			if v != "%s" {
				t.Errorf("%s: %q uses %s; pass values as strings with %%s", k, s, v)
			}
		}
	}
}

func TestT(t *testing.T) {
	if got, want := T(CheckIn), "Check in for my appointment"; got != want {
		t.Errorf("T(CheckIn) = %q, want %q", got, want)
	}
	if got, want := T(WelcomeTitle, "Riverside Medical Practice"), "Welcome to Riverside Medical Practice"; got != want {
		t.Errorf("T(WelcomeTitle, ...) = %q, want %q", got, want)
	}
	if got := T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key gave %q, want the key itself", got)
	}
	if _, ok := English().Lookup("no.such.key"); ok {
		t.Error("Lookup of a missing key reported ok")
	}
}

func TestCatalogFallsBackToEnglish(t *testing.T) {
	src := map[Key]string{Back: "Yn ôl"}
	c := NewCatalog(src)
	src[Back] = "changed"
	if got := c.T(Back); got != "Yn ôl" {
		t.Errorf("translated Back = %q; the catalogue must copy its map", got)
	}
	if got := c.T(Done); got != "Done" {
		t.Errorf("untranslated Done = %q, want English fallback", got)
	}
	if got := (Catalog{}).T(Cancel); got != "Cancel" {
		t.Errorf("zero Catalog Cancel = %q, want English", got)
	}
}

// syllables estimates English syllables by counting vowel groups, less a
// silent final e. It is rough but errs towards more syllables, which
// makes the reading check stricter, not looser.
func syllables(word string) int {
	w := strings.ToLower(word)
	n, inVowel := 0, false
	for _, r := range w {
		v := strings.ContainsRune("aeiouy", r)
		if v && !inVowel {
			n++
		}
		inVowel = v
	}
	if n > 1 && strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "le") {
		n--
	}
	return max(n, 1)
}

func TestSyllables(t *testing.T) {
	for word, want := range map[string]int{
		"help": 1, "screen": 1, "please": 1, "order": 2, "repeat": 2,
		"appointment": 3, "connection": 3, "reception": 3, "medication": 4, "people": 2,
	} {
		if got := syllables(word); got != want {
			t.Errorf("syllables(%q) = %d, want %d", word, got, want)
		}
	}
}

// TestPlainEnglish checks the catalogue reads at about age 9: short
// sentences, no long words outside the allow-list, and a Flesch-Kincaid
// grade for the whole catalogue of at most 4 (US grade 4 is UK reading
// age 9 to 10).
func TestPlainEnglish(t *testing.T) {
	wordRE := regexp.MustCompile(`[A-Za-z']+`)
	// Colons and semicolons do not end a sentence for this count: splitting
	// on them would flatter long strings.
	sentenceRE := regexp.MustCompile(`[.!?]+`)
	// Long words patients at a GP surgery already know; plainer ones would
	// be less clear. Keep it short.
	longWordsAllowed := []string{"medication", "information"}
	// The legal and safeguarding terms staff must match to the practice's
	// own forms; only the staff desktop's strings may use them.
	staffTermsAllowed := []string{"responsibility", "identity", "considered", "safeguarding", "registration"}

	var words, sents, syl int
	for _, k := range Keys() {
		s := T(k)
		for _, sentence := range sentenceRE.Split(s, -1) {
			var ws []string
			for _, w := range wordRE.FindAllString(strings.ReplaceAll(sentence, "%s", ""), -1) {
				// The A / A+ / A++ size labels are symbols, not words.
				if !(len(w) == 1 && unicode.IsUpper(rune(w[0])) && w != "I") {
					ws = append(ws, w)
				}
			}
			if len(ws) == 0 {
				continue
			}
			if len(ws) > 15 {
				t.Errorf("%s: %d words in %q, want at most 15", k, len(ws), sentence)
			}
			for _, w := range ws {
				n := syllables(w)
				staffTerm := strings.HasPrefix(string(k), "staff.") && slices.Contains(staffTermsAllowed, strings.ToLower(w))
				if n > 3 && !slices.Contains(longWordsAllowed, strings.ToLower(w)) && !staffTerm {
					t.Errorf("%s: %q has %d syllables; use a shorter word", k, w, n)
				}
				syl += n
			}
			words += len(ws)
			sents++
		}
	}
	grade := 0.39*float64(words)/float64(sents) + 11.8*float64(syl)/float64(words) - 15.59
	t.Logf("%d sentences, %d words, %d syllables: Flesch-Kincaid grade %.1f", sents, words, syl, grade)
	if grade > 4 {
		t.Errorf("Flesch-Kincaid grade %.1f, want at most 4 (reading age about 9)", grade)
	}
}
