package text

import (
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
)

// Every store sentence is a patient's catalogue string whose English is
// the store's own, so it is written once.
func TestRefusalKeysAreTheStoresSentences(t *testing.T) {
	keys := PatientKeys()
	for code, english := range store.Sentences() {
		k := RefusalKey(code)
		if got, ok := English().Lookup(k); !ok || got != english {
			t.Errorf("%s: English %q, the store says %q", k, got, english)
		}
		found := false
		for _, pk := range keys {
			found = found || pk == k
		}
		if !found {
			t.Errorf("%s is not a patient's key", k)
		}
	}
}

// A refusal is said by its code in the patient's language, a date among
// its values as a day in that language; with no code, or a code this
// kiosk does not know, it is the store's English as sent.
func TestRefusalInEachLanguage(t *testing.T) {
	opens := Refusal("slot_not_released", []string{"08:30", "2026-03-03"}, "That time cannot be booked yet. It opens for booking at 08:30 on 2026-03-03.")
	if got := opens.In(English()); got != "That time cannot be booked yet. It opens for booking at 08:30 on Tuesday 3 March." {
		t.Errorf("English: %q", got)
	}
	for _, l := range Languages() {
		c := For(l.Tag)
		got := opens.In(c)
		if !strings.Contains(got, "08:30") || !strings.Contains(got, c.Date(mustDay(t, "2026-03-03"))) || strings.Contains(got, "2026-03-03") {
			t.Errorf("%s: %q does not say 08:30 on %q", l.Tag, got, c.Date(mustDay(t, "2026-03-03")))
		}
		if l.Tag != LangEnglish && got == opens.In(English()) {
			t.Errorf("%s: still English: %q", l.Tag, got)
		}
	}
	pl := For(LangPolish)
	name := Refusal("item_not_active", []string{"Atorvastatin 20mg tablets"}, "…")
	if got := name.In(pl); !strings.Contains(got, "Atorvastatin 20mg tablets") || !strings.HasPrefix(got, "Leku") {
		t.Errorf("Polish with a medicine's name: %q", got)
	}
	for _, m := range []RefusalMessage{
		Refusal("", nil, "An old server's sentence."),
		Refusal("a_code_from_a_newer_server", nil, "An old server's sentence."),
		Refusal("item_not_active", nil, "An old server's sentence."), // values missing
	} {
		if got := m.In(pl); got != "An old server's sentence." {
			t.Errorf("%+v in Polish: %q, want the English sent", m, got)
		}
	}
	if _, ok := RefusalOf(store.RefuseSlotTaken()); !ok {
		t.Error("RefusalOf does not see a store refusal")
	}
	if got, _ := RefusalOf(store.RefuseSlotTaken()); got.In(pl) != pl.T(RefusalKey("slot_taken")) {
		t.Errorf("slot taken in Polish: %q", got.In(pl))
	}
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
