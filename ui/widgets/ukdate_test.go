package widgets

import (
	"testing"
	"time"

	"gpkiosk/store"
)

// Dates as people at a British desk type them, and what is refused.
func TestParseUKDate(t *testing.T) {
	for in, want := range map[string]store.Date{
		"15/03/1946":   {Year: 1946, Month: time.March, Day: 15},
		"1-5-1980":     {Year: 1980, Month: time.May, Day: 1},
		" 29.02.2024 ": {Year: 2024, Month: time.February, Day: 29},
		"15031946":     {Year: 1946, Month: time.March, Day: 15},
	} {
		if got, ok := ParseUKDate(in); !ok || got != want {
			t.Errorf("ParseUKDate(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"31/02/1950", "29/02/2023", "15/03/46", "1946-03-15", "15/13/1946", "fifteen/03/1946", "", "19460315", "1503194", "150319466"} {
		if got, ok := ParseUKDate(in); ok {
			t.Errorf("ParseUKDate(%q) = %v, want refused", in, got)
		}
	}
}
