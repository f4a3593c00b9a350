package assets

import (
	"bytes"
	"embed"
	"fmt"
)

// The Noto fonts for the kiosk's scripts that Fyne's bundled Noto Sans
// does not cover: Gurmukhi (Punjabi), Bengali, and Arabic script (Urdu and
// Arabic, in Naskh, which shapes far faster than Nastaliq and which Urdu
// readers read on screens). Copied from Debian's fonts-noto-core
// 20201225-1 (SIL Open Font License 1.1; fonts/COPYRIGHT-fonts-noto-core.txt)
// and embedded, so a kiosk shows every language without any font
// installed and no glyph comes out as a box.
//
//go:embed fonts/*.ttf
var fonts embed.FS

// Script names a writing system whose fonts are embedded here.
type Script string

// Scripts with embedded fonts.
const (
	ScriptGurmukhi Script = "Gurmukhi"
	ScriptBengali  Script = "Bengali"
	ScriptArabic   Script = "Arabic"
)

var fontFiles = map[Script]string{
	ScriptGurmukhi: "NotoSansGurmukhi",
	ScriptBengali:  "NotoSansBengali",
	ScriptArabic:   "NotoNaskhArabic",
}

// Font returns the TrueType font for script, regular or bold, and its file
// name. It returns a copy so no caller can change the embedded bytes.
func Font(script Script, bold bool) (name string, ttf []byte, err error) {
	base, ok := fontFiles[script]
	if !ok {
		return "", nil, fmt.Errorf("assets.Font: no font for script %q", script)
	}
	name = base + "-Regular.ttf"
	if bold {
		name = base + "-Bold.ttf"
	}
	b, err := fonts.ReadFile("fonts/" + name)
	if err != nil {
		return "", nil, fmt.Errorf("assets.Font: %w", err)
	}
	return name, bytes.Clone(b), nil
}
