package theme

import (
	"fmt"
	"sync"

	"fyne.io/fyne/v2"

	"gpkiosk/assets"
	"gpkiosk/ui/text"
)

// scriptFor is the embedded script font a language needs, or "" when
// Fyne's bundled Noto Sans already covers it (English, Welsh, Polish,
// Romanian, Portuguese).
func scriptFor(l text.Lang) assets.Script {
	switch l {
	case text.LangPunjabi:
		return assets.ScriptGurmukhi
	case text.LangBengali:
		return assets.ScriptBengali
	case text.LangUrdu, text.LangArabic:
		return assets.ScriptArabic
	}
	return ""
}

type fontKey struct {
	script assets.Script
	bold   bool
}

// scriptFonts holds each embedded font as a Fyne resource, made on first
// use and then shared by every theme. A theme is made on every switch of
// language, size or contrast, and the language choice keeps a theme
// override per language (each with its own font caches): without sharing,
// each would hold its own copy of a 50 to 200 KB file (assets.Font returns
// a copy). The map is filled here and never written; each entry's
// resource never changes once made.
var scriptFonts = func() map[fontKey]func() fyne.Resource {
	m := map[fontKey]func() fyne.Resource{}
	for _, s := range []assets.Script{assets.ScriptGurmukhi, assets.ScriptBengali, assets.ScriptArabic} {
		for _, bold := range []bool{false, true} {
			m[fontKey{s, bold}] = sync.OnceValue(func() fyne.Resource {
				name, ttf, err := assets.Font(s, bold)
				if err != nil {
					// Fyne's font then draws what it can; say why once.
					fyne.LogError("kiosk theme", fmt.Errorf("font for %s: %w", s, err))
					return nil
				}
				return fyne.NewStaticResource(name, ttf)
			})
		}
	}
	return m
}()

// scriptFont is script's regular or bold font, or nil if it has none.
func scriptFont(script assets.Script, bold bool) fyne.Resource {
	if f, ok := scriptFonts[fontKey{script, bold}]; ok {
		return f()
	}
	return nil
}
