// Package theme is the look shared by every GP Kiosk screen: large text,
// large touch targets and colours that reach WCAG AAA contrast (7:1),
// because many of the people at a surgery kiosk are elderly and read with
// difficulty. Patients can pick one of three text sizes (A, A+, A++) and a
// high-contrast palette; each choice is a separate immutable theme.
package theme

import (
	"image/color"

	"fyne.io/fyne/v2"
	fynetheme "fyne.io/fyne/v2/theme"

	"gpkiosk/assets"
	"gpkiosk/ui/text"
)

// TextScale is how much larger than Fyne's default the kiosk's normal (A)
// text is; A+ and A++ scale up from there.
const TextScale = 1.5

// MinTouchTarget is the smallest height and width, in Fyne units, that any
// tappable widget should have at the normal text size. Unsteady fingers
// miss anything smaller.
const MinTouchTarget float32 = 64

// TextSize is one of the three text sizes a patient can choose.
type TextSize int

// The three text sizes, labelled A, A+ and A++ on screen.
const (
	SizeNormal TextSize = iota
	SizeLarge
	SizeLarger
)

// TextSizes lists the sizes smallest first, in the order the A, A+, A++
// switches show them.
func TextSizes() []TextSize { return []TextSize{SizeNormal, SizeLarge, SizeLarger} }

// Scale is how much larger than normal this size makes the whole UI.
// Unknown values fall back to normal so a bad saved setting cannot make
// the screen unusable.
func (z TextSize) Scale() float32 {
	switch z {
	case SizeLarge:
		return 1.3
	case SizeLarger:
		return 1.6
	}
	return 1
}

// Settings is what the patient has chosen.
type Settings struct {
	Size         TextSize
	HighContrast bool
	// Lang is the patient's language for this visit ("" is English). The
	// theme picks fonts for its script; screens pick their words by it.
	Lang text.Lang
}

// New returns the theme at normal size and default contrast.
func New() fyne.Theme { return NewWith(Settings{}) }

// NewWith returns the theme for s. It ignores the OS light/dark variant so
// the kiosk looks the same whatever desktop it runs on.
func NewWith(s Settings) fyne.Theme {
	p := defaultPalette()
	if s.HighContrast {
		p = highContrastPalette()
	}
	return kioskTheme{base: fynetheme.DefaultTheme(), colors: p, scale: s.Size.Scale(), heavy: s.HighContrast,
		lang: s.Lang, script: scriptFor(s.Lang)}
}

type kioskTheme struct {
	base   fyne.Theme
	colors map[fyne.ThemeColorName]color.NRGBA
	scale  float32
	heavy  bool // thicker borders and separators for high contrast
	lang   text.Lang
	script assets.Script // embedded font for lang, "" for Fyne's
}

func (t kioskTheme) Color(name fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	if c, ok := t.colors[name]; ok {
		return c
	}
	// Names added by a later Fyne release: its light look is closest.
	return t.base.Color(name, fynetheme.VariantLight)
}

// Font is the language's script font first, so its letters join and
// shape as one face; Fyne's painter falls back rune by rune to its own Noto
// Sans for anything the script font lacks (Latin names, "NHS"). Typed
// text (monospace, a Latin keypad) and symbols keep Fyne's fonts.
func (t kioskTheme) Font(style fyne.TextStyle) fyne.Resource {
	if t.script == "" || style.Monospace || style.Symbol {
		return t.base.Font(style)
	}
	if r := scriptFont(t.script, style.Bold); r != nil {
		return r
	}
	return t.base.Font(style)
}

func (t kioskTheme) Icon(name fyne.ThemeIconName) fyne.Resource { return t.base.Icon(name) }

// Size scales text, icons, padding and radii together so that A+ and A++
// enlarge the whole layout, not just the letters, and buttons keep room
// round their labels.
func (t kioskTheme) Size(name fyne.ThemeSizeName) float32 {
	switch name {
	case fynetheme.SizeNameText, fynetheme.SizeNameHeadingText, fynetheme.SizeNameSubHeadingText,
		fynetheme.SizeNameCaptionText, fynetheme.SizeNameInlineIcon, fynetheme.SizeNameLineSpacing:
		return t.base.Size(name) * TextScale * t.scale
	case fynetheme.SizeNamePadding:
		return 6 * t.scale
	case fynetheme.SizeNameInnerPadding:
		// With 21 px text this makes a one-line button at least
		// MinTouchTarget tall; the size test checks it.
		return 18 * t.scale
	case fynetheme.SizeNameScrollBar:
		return 24 * t.scale // wide enough to drag with a finger
	case fynetheme.SizeNameScrollBarSmall:
		return 8 * t.scale
	case fynetheme.SizeNameInputBorder:
		if t.heavy {
			return 4 * t.scale
		}
		return 2 * t.scale
	case fynetheme.SizeNameSeparatorThickness:
		if t.heavy {
			return 3 * t.scale
		}
		return 1 * t.scale
	case fynetheme.SizeNameInputRadius, fynetheme.SizeNameSelectionRadius, fynetheme.SizeNameScrollBarRadius:
		return t.base.Size(name) * t.scale
	}
	return t.base.Size(name)
}

func rgb(hex uint32) color.NRGBA {
	return color.NRGBA{R: uint8(hex >> 16), G: uint8(hex >> 8), B: uint8(hex), A: 0xff}
}

func rgba(hex uint32, alpha uint8) color.NRGBA {
	c := rgb(hex)
	c.A = alpha
	return c
}

// NHS identity colours as 0xRRGGBB. The paler NHS blue, green and red miss
// 7:1 with white, so the darker shades are used wherever text is involved.
const (
	nhsDarkBlue  = 0x003087
	nhsBlue      = 0x005eb8
	nhsText      = 0x212b32
	nhsDarkGrey  = 0x425563
	nhsMidGrey   = 0xaeb7bd
	nhsPaleGrey  = 0xe8edee
	nhsDarkRed   = 0x8a1538
	nhsDarkGreen = 0x005a30
	darkAmber    = 0x7a3d00
	white        = 0xffffff
	black        = 0x000000
	yellow       = 0xffff00
)

// defaultPalette is NHS style: near-black text on white, dark NHS blue
// buttons with white text. Every colour Fyne may use is listed so nothing
// falls back to Fyne's own low-contrast greys. Fyne draws Primary, Error,
// Success and Warning both as text on the background (labels) and as
// button fills under white text, so each must be dark.
func defaultPalette() map[fyne.ThemeColorName]color.NRGBA {
	return map[fyne.ThemeColorName]color.NRGBA{
		fynetheme.ColorNameBackground:          rgb(white),
		fynetheme.ColorNameForeground:          rgb(nhsText),
		fynetheme.ColorNameButton:              rgb(nhsPaleGrey),
		fynetheme.ColorNameDisabledButton:      rgb(0xf4f6f7),
		fynetheme.ColorNameDisabled:            rgb(nhsDarkGrey),
		fynetheme.ColorNamePrimary:             rgb(nhsDarkBlue),
		fynetheme.ColorNameForegroundOnPrimary: rgb(white),
		fynetheme.ColorNameHyperlink:           rgb(nhsDarkBlue),
		fynetheme.ColorNameError:               rgb(nhsDarkRed),
		fynetheme.ColorNameForegroundOnError:   rgb(white),
		fynetheme.ColorNameSuccess:             rgb(nhsDarkGreen),
		fynetheme.ColorNameForegroundOnSuccess: rgb(white),
		fynetheme.ColorNameWarning:             rgb(darkAmber),
		fynetheme.ColorNameForegroundOnWarning: rgb(white),
		fynetheme.ColorNameInputBackground:     rgb(white),
		fynetheme.ColorNameInputBorder:         rgb(nhsDarkGrey),
		fynetheme.ColorNamePlaceHolder:         rgb(nhsDarkGrey),
		fynetheme.ColorNameOverlayBackground:   rgb(white),
		fynetheme.ColorNameMenuBackground:      rgb(white),
		fynetheme.ColorNameHeaderBackground:    rgb(nhsPaleGrey),
		fynetheme.ColorNameSeparator:           rgb(nhsMidGrey),
		fynetheme.ColorNameShadow:              rgba(black, 0x33),
		fynetheme.ColorNameScrollBar:           rgba(nhsDarkGrey, 0xcc),
		fynetheme.ColorNameScrollBarBackground: rgb(nhsPaleGrey),
		// Fyne blends these over whatever they highlight, text included,
		// so they stay translucent; the contrast test checks the blends.
		fynetheme.ColorNameFocus:     rgba(nhsBlue, 0x40),
		fynetheme.ColorNameHover:     rgba(black, 0x0f),
		fynetheme.ColorNamePressed:   rgba(black, 0x19),
		fynetheme.ColorNameSelection: rgba(nhsBlue, 0x33),
	}
}

// highContrastPalette is white text on black with yellow for anything
// important, the scheme most low-vision users know from other kiosks.
func highContrastPalette() map[fyne.ThemeColorName]color.NRGBA {
	return map[fyne.ThemeColorName]color.NRGBA{
		fynetheme.ColorNameBackground:          rgb(black),
		fynetheme.ColorNameForeground:          rgb(white),
		fynetheme.ColorNameButton:              rgb(0x262626),
		fynetheme.ColorNameDisabledButton:      rgb(0x141414),
		fynetheme.ColorNameDisabled:            rgb(0xb3b3b3),
		fynetheme.ColorNamePrimary:             rgb(yellow),
		fynetheme.ColorNameForegroundOnPrimary: rgb(black),
		fynetheme.ColorNameHyperlink:           rgb(yellow),
		fynetheme.ColorNameError:               rgb(0xff8080),
		fynetheme.ColorNameForegroundOnError:   rgb(black),
		fynetheme.ColorNameSuccess:             rgb(0x66ff66),
		fynetheme.ColorNameForegroundOnSuccess: rgb(black),
		fynetheme.ColorNameWarning:             rgb(0xffcc00),
		fynetheme.ColorNameForegroundOnWarning: rgb(black),
		fynetheme.ColorNameInputBackground:     rgb(black),
		fynetheme.ColorNameInputBorder:         rgb(white),
		fynetheme.ColorNamePlaceHolder:         rgb(0xcccccc),
		// A dropdown or menu must stand out from the black page behind it.
		fynetheme.ColorNameOverlayBackground:   rgb(0x262626),
		fynetheme.ColorNameMenuBackground:      rgb(0x262626),
		fynetheme.ColorNameHeaderBackground:    rgb(0x1a1a1a),
		fynetheme.ColorNameSeparator:           rgb(white),
		fynetheme.ColorNameShadow:              rgba(black, 0x66),
		fynetheme.ColorNameScrollBar:           rgba(white, 0xcc),
		fynetheme.ColorNameScrollBarBackground: rgb(0x333333),
		fynetheme.ColorNameFocus:               rgba(yellow, 0x33),
		fynetheme.ColorNameHover:               rgba(white, 0x14),
		fynetheme.ColorNamePressed:             rgba(white, 0x1f),
		fynetheme.ColorNameSelection:           rgba(yellow, 0x4d),
	}
}

// Capped is the app's theme as it is at any moment, but never larger
// than at text size z: for a part of a screen that must keep its room
// when the patient chooses A++ (a lesson's coaching panel under the
// kiosk's own screen, which grows). Build it once per part: Fyne keeps
// font caches for each theme override.
func Capped(z TextSize) fyne.Theme { return CappedBy(func() TextSize { return z }) }

// CappedBy is Capped with the largest size decided at each use (a panel
// that may grow on a tall screen and not on a short one).
func CappedBy(z func() TextSize) fyne.Theme { return cappedTheme{cap: z} }

type cappedTheme struct{ cap func() TextSize }

func (cappedTheme) current() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t cappedTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return t.current().Color(n, v)
}

func (t cappedTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.current().Font(s) }
func (t cappedTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.current().Icon(n) }

// Size shrinks every size by the same factor, so a capped part looks like
// the whole screen at size z.
func (t cappedTheme) Size(n fyne.ThemeSizeName) float32 {
	cur := t.current()
	scale := cur.Size(fynetheme.SizeNameText) / (fynetheme.DefaultTheme().Size(fynetheme.SizeNameText) * TextScale)
	limit := t.cap().Scale()
	if scale <= limit {
		return cur.Size(n)
	}
	return cur.Size(n) * limit / scale
}
