// Package text is the one place user-facing words come from. Screens ask
// for a Key, never write English inline, so that other languages can be
// added later as another Catalog and so every string can be checked for
// plain English (reading age about 9) in one test.
package text

import (
	"fmt"
	"maps"
	"slices"
	"sync"
)

// Key names one user-facing string. Keys are dotted ids grouped by
// screen; they are not shown to patients unless a string is missing.
type Key string

// Welcome screen.
const (
	WelcomeTitle        Key = "welcome.title"
	CheckIn             Key = "welcome.check_in"
	BookAppointment     Key = "welcome.book"
	MyAppointments      Key = "welcome.my_appointments"
	RepeatPrescriptions Key = "welcome.repeat_prescriptions"
	NeedHelp            Key = "welcome.need_help"
	ReportProblem       Key = "welcome.report_problem"
)

// Status shown on every screen.
const (
	WorkingOffline Key = "status.offline"
)

// Display switches, always visible.
const (
	TextSizeNormal Key = "display.size_normal"
	TextSizeLarge  Key = "display.size_large"
	TextSizeLarger Key = "display.size_larger"
	HighContrast   Key = "display.high_contrast"
)

// Common buttons and messages.
const (
	Back         Key = "common.back"
	Cancel       Key = "common.cancel"
	Confirm      Key = "common.confirm"
	Done         Key = "common.done"
	SeeReception Key = "common.see_reception"
)

// english builds the English catalogue. It is a function so nothing can
// change the strings at run time.
func english() map[Key]string {
	return map[Key]string{
		WelcomeTitle:        "Welcome to %s",
		CheckIn:             "Check in for my appointment",
		BookAppointment:     "Book an appointment",
		MyAppointments:      "My appointments",
		RepeatPrescriptions: "Order my repeat prescriptions",
		NeedHelp:            "I need help",
		ReportProblem:       "Report a problem with this screen",
		WorkingOffline:      "Working offline: what you do now will be sent when the connection returns",
		TextSizeNormal:      "A",
		TextSizeLarge:       "A+",
		TextSizeLarger:      "A++",
		HighContrast:        "High contrast",
		Back:                "Back",
		Cancel:              "Cancel",
		Confirm:             "Confirm",
		Done:                "Done",
		SeeReception:        "Please see reception",
	}
}

// Catalog is the strings for one language. The zero value is empty and
// falls back to English for every key.
type Catalog struct {
	strings map[Key]string
}

// englishOnce builds the English map once; it is only ever read.
var englishOnce = sync.OnceValue(english)

// English returns the English catalogue.
func English() Catalog { return Catalog{strings: englishOnce()} }

// NewCatalog returns a catalogue of translated strings. Keys it lacks fall
// back to English, so a part-finished translation still shows words.
func NewCatalog(strings map[Key]string) Catalog {
	return Catalog{strings: maps.Clone(strings)}
}

// Lookup returns the string for k and whether this catalogue or English
// has one. Tests use it to catch missing strings.
func (c Catalog) Lookup(k Key) (string, bool) {
	if s, ok := c.strings[k]; ok {
		return s, true
	}
	s, ok := englishOnce()[k]
	return s, ok
}

// T returns the string for k, with args filled in as by fmt.Sprintf. A
// missing key comes back as the key itself: visibly wrong in testing,
// but never a blank button in front of a patient.
func (c Catalog) T(k Key, args ...any) string {
	s, ok := c.Lookup(k)
	if !ok {
		return string(k)
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Keys returns every key that has an English string.
func Keys() []Key {
	return slices.Sorted(maps.Keys(englishOnce()))
}

// T looks k up in English. Screens call this until the kiosk offers other
// languages; then they will take a Catalog instead.
func T(k Key, args ...any) string { return English().T(k, args...) }
