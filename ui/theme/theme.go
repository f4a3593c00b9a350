// Package theme is the look shared by every GP Kiosk screen: text half as
// large again as Fyne's default and dark-on-light colours, because many of
// the people at a surgery kiosk are elderly and read with difficulty.
package theme

import (
	"image/color"

	"fyne.io/fyne/v2"
	fynetheme "fyne.io/fyne/v2/theme"
)

// TextScale is how much larger than Fyne's default all text is.
const TextScale = 1.5

// NHS identity colours as 0xRRGGBB: near-black text on white passes WCAG
// AAA contrast, and white on NHS blue passes AA for large text.
const (
	nhsBlue     = 0x005eb8
	nhsDarkBlue = 0x003087
	nhsText     = 0x212b32
	nhsPaleGrey = 0xe8edee
	white       = 0xffffff
)

func rgb(hex uint32) color.NRGBA {
	return color.NRGBA{R: uint8(hex >> 16), G: uint8(hex >> 8), B: uint8(hex), A: 0xff}
}

type kioskTheme struct {
	base fyne.Theme
}

// New returns the GP Kiosk theme. It always uses the light variant so a
// kiosk looks the same whatever the desktop it runs on prefers.
func New() fyne.Theme {
	return kioskTheme{base: fynetheme.DefaultTheme()}
}

func (t kioskTheme) Color(name fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch name {
	case fynetheme.ColorNameBackground:
		return rgb(white)
	case fynetheme.ColorNameForeground:
		return rgb(nhsText)
	case fynetheme.ColorNamePrimary, fynetheme.ColorNameHyperlink:
		return rgb(nhsBlue)
	case fynetheme.ColorNameFocus:
		return rgb(nhsDarkBlue)
	case fynetheme.ColorNameButton:
		return rgb(nhsPaleGrey)
	case fynetheme.ColorNameForegroundOnPrimary:
		return rgb(white)
	}
	return t.base.Color(name, fynetheme.VariantLight)
}

func (t kioskTheme) Font(style fyne.TextStyle) fyne.Resource { return t.base.Font(style) }

func (t kioskTheme) Icon(name fyne.ThemeIconName) fyne.Resource { return t.base.Icon(name) }

func (t kioskTheme) Size(name fyne.ThemeSizeName) float32 {
	switch name {
	case fynetheme.SizeNameText, fynetheme.SizeNameHeadingText, fynetheme.SizeNameSubHeadingText,
		fynetheme.SizeNameCaptionText, fynetheme.SizeNameInlineIcon:
		return t.base.Size(name) * TextScale
	}
	return t.base.Size(name)
}
