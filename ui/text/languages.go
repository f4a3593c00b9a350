package text

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Lang is a language the kiosk speaks, as its BCP 47 tag ("cy").
type Lang string

// The languages a patient can choose at the kiosk. English is the
// practice's own and the fallback for any string a catalogue lacks.
const (
	LangEnglish    Lang = "en"
	LangWelsh      Lang = "cy"
	LangPolish     Lang = "pl"
	LangRomanian   Lang = "ro"
	LangPortuguese Lang = "pt"
	LangPunjabi    Lang = "pa"
	LangBengali    Lang = "bn"
	LangUrdu       Lang = "ur"
	LangArabic     Lang = "ar"
)

// Language is a language as the kiosk offers it: named in itself, never
// by a flag (a flag is a country, not a language).
type Language struct {
	Tag  Lang
	Name string // in the language itself: "Cymraeg"
	// RightToLeft: written right to left (Urdu, Arabic).
	RightToLeft bool
}

// Languages are the kiosk's languages in the order the choice shows them:
// English first, then the languages of UK surgeries' patients.
func Languages() []Language {
	return []Language{
		{Tag: LangEnglish, Name: "English"},
		{Tag: LangWelsh, Name: "Cymraeg"},
		{Tag: LangPolish, Name: "Polski"},
		{Tag: LangRomanian, Name: "Română"},
		{Tag: LangPortuguese, Name: "Português"},
		{Tag: LangPunjabi, Name: "ਪੰਜਾਬੀ"},
		{Tag: LangBengali, Name: "বাংলা"},
		{Tag: LangUrdu, Name: "اردو", RightToLeft: true},
		{Tag: LangArabic, Name: "العربية", RightToLeft: true},
	}
}

// LanguageOf is the Language for tag, and whether the kiosk offers it.
func LanguageOf(tag Lang) (Language, bool) {
	for _, l := range Languages() {
		if l.Tag == tag {
			return l, true
		}
	}
	return Language{}, false
}

// locales holds one go-i18n message file per language other than English
// (locales/cy.json, ...): the format Fyne's own lang package reads, so the
// files are familiar to anyone who has translated a Fyne app. Each message
// is either a string or, for a sentence with a number, its CLDR plural
// forms ({"one": ..., "few": ..., "other": ...}). Placeholders are Go's
// %s, with %[2]s and the like where a language orders them differently.
//
//go:embed locales
var locales embed.FS

// catalogues are built once: the embedded files never change while the
// program runs, so this is a constant, not state.
var catalogues = sync.OnceValues(loadCatalogues)

// loadCatalogues reads every locales/*.json into a go-i18n bundle and
// makes one Catalog per language found.
func loadCatalogues() (map[Lang]Catalog, error) {
	bundle := i18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(locales, "locales/*.json")
	if err != nil {
		return nil, fmt.Errorf("text catalogues: %w", err)
	}
	out := map[Lang]Catalog{LangEnglish: English()}
	for _, f := range files {
		mf, err := bundle.LoadMessageFileFS(locales, f)
		if err != nil {
			return nil, fmt.Errorf("text catalogues: %s: %w", f, err)
		}
		lang := Lang(strings.TrimSuffix(path.Base(f), ".json"))
		ids, plural := map[Key]bool{}, map[Key]bool{}
		for _, m := range mf.Messages {
			ids[Key(m.ID)] = true
			plural[Key(m.ID)] = m.Zero != "" || m.One != "" || m.Two != "" || m.Few != "" || m.Many != ""
		}
		out[lang] = Catalog{lang: lang, localizer: i18n.NewLocalizer(bundle, string(lang)), has: ids, plural: plural}
	}
	return out, nil
}

// For is the catalogue for lang: English for English, or for a language
// with no catalogue (a missing string falls back to English the same way).
func For(lang Lang) Catalog {
	all, err := catalogues()
	if err != nil {
		return English() // a broken file is caught by TestCatalogues
	}
	if c, ok := all[lang]; ok {
		return c
	}
	return English()
}

// Translated reports whether c has its own string for k (not English's).
func (c Catalog) Translated(k Key) bool {
	if c.localizer == nil {
		return c.lang == LangEnglish || c.lang == ""
	}
	return c.has[k]
}

// Lang is the catalogue's language.
func (c Catalog) Lang() Lang {
	if c.lang == "" {
		return LangEnglish
	}
	return c.lang
}

// translate is c's own string for k, with its plural form chosen by the
// first argument that is a whole number, or false.
func (c Catalog) translate(k Key, args []any) (string, bool) {
	if c.localizer == nil || !c.has[k] {
		return "", false
	}
	// Only a message with plural forms is given a count: go-i18n would
	// otherwise look for the number's form ("one", "few") in a plain
	// string, which has only "other", and fail.
	if n, ok := firstCount(args); ok && c.plural[k] {
		if s, err := c.localizer.Localize(&i18n.LocalizeConfig{MessageID: string(k), PluralCount: n}); err == nil && s != "" {
			return s, true
		}
	}
	s, err := c.localizer.Localize(&i18n.LocalizeConfig{MessageID: string(k)})
	if err != nil || s == "" {
		return "", false
	}
	return s, true
}

// firstCount is the first argument that is, or reads as, a whole number.
func firstCount(args []any) (int, bool) {
	for _, a := range args {
		switch v := a.(type) {
		case int:
			return v, true
		case string:
			if n, err := strconv.Atoi(v); err == nil {
				return n, true
			}
		}
	}
	return 0, false
}

// Date is a day as the kiosk says it, "Tuesday 3 March", in c's language.
func (c Catalog) Date(t time.Time) string {
	return c.T(DateDayMonth, c.T(weekdayKey(t.Weekday())), strconv.Itoa(t.Day()), c.T(monthKey(t.Month())))
}

// DateTime is a day and a time, "Tuesday 3 March at 10:20".
func (c Catalog) DateTime(t time.Time) string {
	return c.T(DateAtTime, c.Date(t), t.Format("15:04"))
}

// placeholderPattern finds fmt's %s, %d and indexed %[2]s verbs.
var placeholderPattern = regexp.MustCompile(`%(\[\d+\])?[sdv]`)

// Placeholders are the arguments a string uses, by position (1-based):
// "%s at %s" and "%[2]s ... %[1]s" both use {1, 2}. A translation must
// use exactly the arguments English does.
func Placeholders(s string) []int {
	next := 1
	seen := map[int]bool{}
	for _, m := range placeholderPattern.FindAllStringSubmatch(s, -1) {
		n := next
		if m[1] != "" {
			n, _ = strconv.Atoi(strings.Trim(m[1], "[]"))
		}
		seen[n] = true
		next = n + 1
	}
	return slices.Sorted(maps.Keys(seen))
}

// PatientKeys are the keys a patient can see at the kiosk: every kiosk
// string but the set-up screen and the kiosk's staff screens, which staff
// read. Each language's catalogue has exactly these.
func PatientKeys() []Key {
	var out []Key
	for k := range english() {
		if s := string(k); !strings.HasPrefix(s, "setup.") && !strings.HasPrefix(s, "staff.") {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
