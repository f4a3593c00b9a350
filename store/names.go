package store

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// PrintableName reports whether name, once trimmed, is something a person
// can read on a screen and in print: valid UTF-8, not empty, and made only
// of letters, marks, digits, punctuation, symbols and plain spaces. Control
// characters (NUL, U+001F), invisible ones (U+200B) and direction overrides
// (U+202E, which make a name display as something else) are not. Names
// reach audit lines, letters, the desktop's lists and other devices.
func PrintableName(name string) bool {
	name = strings.TrimSpace(name)
	if name == "" || !utf8.ValidString(name) {
		return false
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// notPrintableMessage is the refusal for a name PrintableName refuses.
const notPrintableMessage = "The name has a character that cannot be shown or printed (perhaps copied in with it). Type the name again."
