package text

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// rawCatalogue reads a language's file as its translators wrote it: each
// key's string, or its plural forms.
func rawCatalogue(t *testing.T, lang Lang) map[string]map[string]string {
	t.Helper()
	b, err := locales.ReadFile("locales/" + string(lang) + ".json")
	if err != nil {
		t.Fatalf("%s: no catalogue file: %v", lang, err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("%s: %v", lang, err)
	}
	out := map[string]map[string]string{}
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[k] = map[string]string{"other": s}
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil {
			t.Fatalf("%s: %s is neither a string nor plural forms: %v", lang, k, err)
		}
		out[k] = forms
	}
	return out
}

// The issue: "a test fails on a missing or extra key, on a placeholder
// that does not match English". Every language offered has a file with
// exactly the patient's keys, each using the same arguments as English.
func TestCatalogues(t *testing.T) {
	if _, err := catalogues(); err != nil {
		t.Fatal(err)
	}
	want := PatientKeys()
	for _, l := range Languages() {
		if l.Tag == LangEnglish {
			continue
		}
		raw := rawCatalogue(t, l.Tag)
		var got []Key
		for k := range raw {
			got = append(got, Key(k))
		}
		slices.Sort(got)
		for _, k := range want {
			if _, ok := raw[string(k)]; !ok {
				t.Errorf("%s: missing %s", l.Tag, k)
			}
		}
		for _, k := range got {
			if !slices.Contains(want, k) {
				t.Errorf("%s: %s is not a patient's string in English", l.Tag, k)
			}
		}
		for k, forms := range raw {
			english, _ := English().Lookup(Key(k))
			if _, ok := forms["other"]; !ok {
				t.Errorf("%s: %s has plural forms but no \"other\"", l.Tag, k)
			}
			for form, s := range forms {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: %s[%s] is empty", l.Tag, k, form)
				}
				if !slices.Equal(Placeholders(s), Placeholders(english)) {
					t.Errorf("%s: %s[%s] uses arguments %v, English %v: %q", l.Tag, k, form, Placeholders(s), Placeholders(english), s)
				}
				if strings.Count(s, "\n") != strings.Count(english, "\n") {
					t.Errorf("%s: %s[%s] has %d line breaks, English %d", l.Tag, k, form, strings.Count(s, "\n"), strings.Count(english, "\n"))
				}
			}
		}
		// Every string really comes from the language's own file.
		c := For(l.Tag)
		for _, k := range want {
			if !c.Translated(k) {
				t.Errorf("%s: %s falls back to English", l.Tag, k)
			}
		}
	}
}

func TestPlaceholders(t *testing.T) {
	for s, want := range map[string][]int{
		"no arguments":           nil,
		"%s at %s":               {1, 2},
		"%[2]s, then %[1]s":      {1, 2},
		"%[3]s %[1]s %[2]s":      {1, 2, 3},
		"%s of %s letters":       {1, 2},
		"only the second: %[2]s": {2},
	} {
		if got := Placeholders(s); !slices.Equal(got, want) {
			t.Errorf("Placeholders(%q) = %v, want %v", s, got, want)
		}
	}
}

// A day is said in each language's words and order, not Go's English.
func TestDatesInEachLanguage(t *testing.T) {
	tue := time.Date(2026, time.March, 3, 10, 20, 0, 0, time.UTC)
	if got := English().DateTime(tue); got != "Tuesday 3 March at 10:20" {
		t.Errorf("English: %q", got)
	}
	for _, l := range Languages() {
		if l.Tag == LangEnglish {
			continue
		}
		c := For(l.Tag)
		got := c.DateTime(tue)
		for _, part := range []string{c.T(DateTuesday), c.T(DateMarch), "3", "10:20"} {
			if !strings.Contains(got, part) {
				t.Errorf("%s: %q does not contain %q", l.Tag, got, part)
			}
		}
		for _, english := range []string{"Tuesday", "March"} {
			if strings.Contains(got, english) {
				t.Errorf("%s: %q is still in English", l.Tag, got)
			}
		}
	}
	// Welsh month and day names, as the issue asks.
	if got := For(LangWelsh).Date(tue); !strings.Contains(got, "Mawrth") {
		t.Errorf("Welsh: %q", got)
	}
}

// A missing string shows English, never its key, and counts for the
// catalogue test above.
func TestMissingTranslationFallsBackToEnglish(t *testing.T) {
	c := For(LangWelsh)
	if got := c.T(Key("staff.title")); got != English().T(Key("staff.title")) {
		t.Errorf("a staff string not in the Welsh file: %q, want the English", got)
	}
	if c.Translated(Key("staff.title")) {
		t.Error("a string the file lacks is reported as translated")
	}
	if got := For(Lang("xx")).T(Back); got != English().T(Back) {
		t.Errorf("an unknown language: %q", got)
	}
}

// A string with a number in it comes from the language's own file, in
// the form for that number where the file gives plural forms: never
// English because go-i18n looked for a plural form a plain string lacks.
func TestNumbersUseTheLanguagesOwnWords(t *testing.T) {
	for _, l := range Languages() {
		if l.Tag == LangEnglish {
			continue
		}
		c, raw := For(l.Tag), rawCatalogue(t, l.Tag)
		for _, k := range PatientKeys() {
			english, _ := English().Lookup(k)
			n := len(Placeholders(english))
			if n == 0 {
				continue
			}
			for _, count := range []int{0, 1, 2, 3, 5, 11, 22, 101} {
				args := make([]any, n)
				for i := range args {
					args[i] = fmt.Sprint(count)
				}
				got := c.T(k, args...)
				var own []string
				for _, form := range raw[string(k)] {
					own = append(own, fmt.Sprintf(form, args...))
				}
				if !slices.Contains(own, got) {
					t.Errorf("%s: %s with %d gave %q, not the file's own %q", l.Tag, k, count, got, own)
				}
			}
		}
	}
	// Where a file gives plural forms, the number picks one by CLDR.
	pl := For(LangPolish)
	if raw := rawCatalogue(t, LangPolish)[string(IdleCountdown)]; raw["few"] != "" && raw["many"] != "" && raw["few"] != raw["many"] {
		if few, many := pl.T(IdleCountdown, "3"), pl.T(IdleCountdown, "5"); few == many {
			t.Errorf("Polish 3 and 5 seconds read the same: %q", few)
		}
	}
}
