package text

import (
	"regexp"
	"time"

	"gpkiosk/store"
)

// The store's refusals a patient may see are catalogue strings like any
// other, "refusal.<code>" for each store.Sentence: their English is the
// store's own sentence (never written twice), and each language's file
// translates them. A refusal is found by its stable code, never by
// matching its English.

// refusalPrefix starts every refusal key.
const refusalPrefix = "refusal."

// RefusalKey is the catalogue key of the store sentence code.
func RefusalKey(code string) Key { return Key(refusalPrefix + code) }

// refusalsEnglish are the store's sentences as catalogue strings.
func refusalsEnglish() map[Key]string {
	m := map[Key]string{}
	for code, s := range store.Sentences() {
		m[RefusalKey(code)] = s
	}
	return m
}

// RefusalMessage is a refusal from the store, to be said in the patient's
// language: the catalogue's sentence for Code with Args, or English, the
// store's own words, when the store gave no code this kiosk knows (an
// older or newer server, or a staff-only refusal).
type RefusalMessage struct {
	Code    string
	Args    []string
	English string
}

// Refusal is the store's refusal with its sentence code, values and
// English, for showing in any language.
func Refusal(code string, args []string, english string) RefusalMessage {
	return RefusalMessage{Code: code, Args: args, English: english}
}

// RefusalOf is the words for a store refusal (a *store.RuleError inside
// err), and whether err is one.
func RefusalOf(err error) (Message, bool) {
	re, ok := store.AsRuleError(err)
	if !ok {
		return nil, false
	}
	return Refusal(re.Code, re.Args, re.Message), true
}

// isoDate is a date as the store passes it in a sentence ("2026-03-03").
var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// In is r in c's language. A value that is a date is said as a day in
// that language ("Tuesday 3 March"); other values are shown as they are.
func (r RefusalMessage) In(c Catalog) string {
	k := RefusalKey(r.Code)
	english, ok := English().Lookup(k)
	if r.Code == "" || !ok || len(Placeholders(english)) != len(r.Args) {
		return r.English
	}
	args := make([]any, len(r.Args))
	for i, a := range r.Args {
		args[i] = a
		if isoDate.MatchString(a) {
			if d, err := time.Parse(time.DateOnly, a); err == nil {
				args[i] = c.Date(d)
			}
		}
	}
	return c.T(k, args...)
}

// String is r in English, for logs and tests.
func (r RefusalMessage) String() string { return r.In(English()) }
