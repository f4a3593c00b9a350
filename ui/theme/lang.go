package theme

import (
	"fyne.io/fyne/v2"

	"gpkiosk/ui/text"
)

// The language is part of the theme because the theme is what Fyne hands
// every widget when it is drawn, and changes with a redraw of everything:
// so words resolved at drawing time (text.Message) all change together
// when the patient picks a language, and go back to English with the
// theme at the end of the visit.

func (t kioskTheme) language() text.Lang { return t.lang }

// LangOf is the language of th, English for any theme but the kiosk's.
func LangOf(th fyne.Theme) text.Lang {
	if k, ok := th.(interface{ language() text.Lang }); ok && k.language() != "" {
		return k.language()
	}
	return text.LangEnglish
}

// CatalogOf is the catalogue for th's language.
func CatalogOf(th fyne.Theme) text.Catalog { return text.For(LangOf(th)) }

// SetLang changes only the language.
func (s *Switcher) SetLang(l text.Lang) {
	st := s.Current()
	st.Lang = l
	s.Set(st)
}
