package receipt

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"sync"
	"unicode"

	"fyne.io/fyne/v2/theme"
	"github.com/go-text/render"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	xbidi "golang.org/x/text/unicode/bidi"

	"gpkiosk/assets"
	"gpkiosk/ui/text"
)

// Raster slips: a slip with text that code page 858 cannot print (Punjabi,
// Bengali, Urdu, Arabic, and Welsh ŵ, Polish ł, Romanian ș) is drawn as a
// picture in large print and sent as ESC/POS GS v 0, so it prints on any
// receipt printer whatever code pages it carries.
const (
	// RasterWidth is the printable width of 80 mm paper at 203 dpi, in dots.
	RasterWidth = 576
	// rasterRowBytes is one row of GS v 0 data: 8 dots a byte, bit 7 leftmost.
	rasterRowBytes = RasterWidth / 8
	// MaxBandRows keeps each GS v 0 image within the input buffer of small
	// printers, which drop or garble one tall image.
	MaxBandRows = 256

	// 40 dots at 203 dpi is a 5 mm em: large print, about twice Font A.
	// The title is bold and a size up, as the text slip's is double size.
	rasterBodySize  = 40
	rasterTitleSize = 48
	rasterMargin    = 8 // dots each side and above the first line
	// Gurmukhi and Bengali marks above the headline (tippi, bindi, vowel
	// signs) nearly touch the line above at the fonts' own line height.
	indicLeading = rasterBodySize / 5
	blankLine    = rasterBodySize * 3 / 5

	// rasterNormal is GS v 0's m for normal size (no doubling).
	rasterNormal = 0
)

// rasterFace is one embedded font: its script and weight.
type rasterFace int

const (
	faceLatin rasterFace = iota
	faceGurmukhi
	faceBengali
	faceArabic
	nFaces
)

// rasterFonts are the parsed fonts, regular then bold. A *font.Font is
// read-only and safe to share; each render makes its own Faces, which
// cache glyph extents and are not.
type rasterFonts struct {
	regular, bold [nFaces]*font.Font
}

// loadRasterFonts parses the fonts once: Fyne's bundled Noto Sans for Latin
// and the embedded Noto fonts for the other scripts.
var loadRasterFonts = sync.OnceValues(func() (*rasterFonts, error) {
	var fs rasterFonts
	parse := func(name string, b []byte) (*font.Font, error) {
		f, err := font.ParseTTF(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("receipt: parse font %s: %w", name, err)
		}
		return f.Font, nil
	}
	var err error
	if fs.regular[faceLatin], err = parse(theme.DefaultTextFont().Name(), theme.DefaultTextFont().Content()); err != nil {
		return nil, err
	}
	if fs.bold[faceLatin], err = parse(theme.DefaultTextBoldFont().Name(), theme.DefaultTextBoldFont().Content()); err != nil {
		return nil, err
	}
	for face, script := range map[rasterFace]assets.Script{
		faceGurmukhi: assets.ScriptGurmukhi,
		faceBengali:  assets.ScriptBengali,
		faceArabic:   assets.ScriptArabic,
	} {
		for _, bold := range []bool{false, true} {
			name, ttf, err := assets.Font(script, bold)
			if err != nil {
				return nil, fmt.Errorf("receipt: %w", err)
			}
			f, err := parse(name, ttf)
			if err != nil {
				return nil, err
			}
			if bold {
				fs.bold[face] = f
			} else {
				fs.regular[face] = f
			}
		}
	}
	return &fs, nil
})

// scriptFace is the font a rune's own script needs, or faceLatin and false
// for runes of no particular script (digits, spaces, punctuation, marks).
func scriptFace(r rune) (rasterFace, bool) {
	switch {
	case unicode.Is(unicode.Gurmukhi, r):
		return faceGurmukhi, true
	case unicode.Is(unicode.Bengali, r):
		return faceBengali, true
	case unicode.Is(unicode.Arabic, r):
		return faceArabic, true
	case unicode.Is(unicode.Latin, r), unicode.Is(unicode.Greek, r), unicode.Is(unicode.Cyrillic, r):
		return faceLatin, true
	}
	return faceLatin, false
}

// missingFromPC858 reports whether toPrinter would lose r, printing '?'.
// Control characters are left out: they are neutralised, not text.
func missingFromPC858(r rune) bool {
	if r < 0x80 || unicode.IsControl(r) {
		return false
	}
	p := toPrinter(string(r))
	return len(p) == 1 && p[0] == '?'
}

// hasGlyph reports whether any raster font can draw r.
func (fs *rasterFonts) hasGlyph(r rune) bool {
	for _, f := range fs.regular {
		if _, ok := f.Cmap.Lookup(r); ok {
			return true
		}
	}
	return false
}

// needsRaster reports whether the slip has a character code page 858
// lacks that a raster font can draw. A character no font has (an emoji)
// would print as '?' either way, so it alone keeps the slip as text.
func needsRaster(s Slip, fs *rasterFonts) bool {
	check := func(str string) bool {
		for _, r := range str {
			if missingFromPC858(r) && fs.hasGlyph(r) {
				return true
			}
		}
		return false
	}
	if check(s.Title) {
		return true
	}
	for _, l := range s.Lines {
		if check(l) {
			return true
		}
	}
	return false
}

// encodeRaster encodes the slip with its text as GS v 0 bands and the QR
// code, if any, as GS ( k as in the text slip.
func encodeRaster(s Slip, fs *rasterFonts) []byte {
	img := renderSlip(s, fs)
	b := []byte{esc, '@'}
	b = appendRaster(b, img)
	switch {
	case s.QR == "":
	case len(s.QR) > MaxQRPayload: // said in the picture by rasterParagraphs
	default:
		b = append(b, lf, esc, 'a', alignCentre)
		b = appendQR(b, s.QR)
		b = append(b, esc, 'a', alignLeft)
	}
	return append(b, gs, 'V', cutPartial, feedLines)
}

// appendRaster appends img as GS v 0 bands of at most MaxBandRows rows:
// dots darker than mid-grey are printed.
func appendRaster(b []byte, img *image.Gray) []byte {
	r := img.Bounds()
	for top := r.Min.Y; top < r.Max.Y; top += MaxBandRows {
		rows := min(MaxBandRows, r.Max.Y-top)
		b = append(b, gs, 'v', '0', rasterNormal,
			byte(rasterRowBytes), byte(rasterRowBytes>>8), byte(rows), byte(rows>>8))
		for y := top; y < top+rows; y++ {
			row := img.Pix[img.PixOffset(r.Min.X, y):]
			for x0 := 0; x0 < RasterWidth; x0 += 8 {
				var c byte
				for i := range 8 {
					if x0+i < r.Dx() && row[x0+i] < 0x80 {
						c |= 0x80 >> i
					}
				}
				b = append(b, c)
			}
		}
	}
	return b
}

// paragraph is one line of the slip as given (before wrapping).
type paragraph struct {
	text   string
	bold   bool
	size   int
	centre bool
}

// rasterParagraphs lists what the picture shows: the title, the lines,
// and the sentence that stands in for a QR code too big to print.
func rasterParagraphs(s Slip) []paragraph {
	var ps []paragraph
	add := func(str string, bold bool, size int, centre bool) {
		for _, p := range splitLines(str) {
			ps = append(ps, paragraph{text: p, bold: bold, size: size, centre: centre})
		}
	}
	if s.Title != "" {
		add(s.Title, true, rasterTitleSize, true)
		add("", false, rasterBodySize, false)
	}
	for _, l := range s.Lines {
		add(l, false, rasterBodySize, false)
	}
	if len(s.QR) > MaxQRPayload {
		add(text.T(text.SlipNoCheckInCode), false, rasterBodySize, false)
	}
	return ps
}

// splitLines splits on embedded newlines, as wrapText does for text slips.
func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, trimCR(s[start:i]))
			start = i + 1
		}
	}
	return append(out, trimCR(s[start:]))
}

func trimCR(s string) string {
	if len(s) > 0 && s[len(s)-1] == '\r' {
		return s[:len(s)-1]
	}
	return s
}

// faceSet resolves each rune to a face for the segmenter: the rune's own
// script's font, and for digits, spaces and punctuation the line's main
// script's font when it has them, so a line is not cut into runs at
// every space and danda (।) stays in the Indic font.
type faceSet struct {
	fonts *[nFaces]*font.Font
	faces [nFaces]*font.Face
	main  rasterFace
}

func (f *faceSet) face(i rasterFace) *font.Face {
	if f.faces[i] == nil {
		f.faces[i] = font.NewFace(f.fonts[i])
	}
	return f.faces[i]
}

func (f *faceSet) has(i rasterFace, r rune) bool {
	_, ok := f.fonts[i].Cmap.Lookup(r)
	return ok
}

// ResolveFace implements shaping.Fontmap.
func (f *faceSet) ResolveFace(r rune) *font.Face {
	if i, ok := scriptFace(r); ok {
		return f.face(i)
	}
	if f.has(f.main, r) {
		return f.face(f.main)
	}
	for i := range nFaces {
		if f.has(i, r) {
			return f.face(i)
		}
	}
	return f.face(faceLatin)
}

// drawable replaces what would not print: control characters become '?'
// (a tab a space) as on a text slip, and so does a character no font has,
// rather than an empty box. Format characters (ZWJ, ZWNJ, bidi marks) are
// kept: the shaper uses them and draws nothing.
func drawable(s string, fs *rasterFonts) []rune {
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '\t':
			rs[i] = ' '
		case unicode.IsControl(r):
			rs[i] = '?'
		case unicode.Is(unicode.Cf, r), unicode.IsSpace(r):
		case !fs.hasGlyph(r):
			rs[i] = '?'
		}
	}
	return rs
}

// direction is the paragraph's direction by its first strong character
// (Unicode bidi rules P2 and P3); a paragraph with none (a time, a dash)
// takes the slip's.
func direction(rs []rune) (di.Direction, bool) {
	for _, r := range rs {
		p, _ := xbidi.LookupRune(r)
		switch p.Class() {
		case xbidi.L:
			return di.DirectionLTR, true
		case xbidi.R, xbidi.AL:
			return di.DirectionRTL, true
		}
	}
	return di.DirectionLTR, false
}

// mainFace is the font of the paragraph's first letter of a script that
// needs its own font.
func mainFace(rs []rune) rasterFace {
	for _, r := range rs {
		if i, ok := scriptFace(r); ok && i != faceLatin {
			return i
		}
	}
	return faceLatin
}

// placedLine is one wrapped line ready to draw: its runs in visual order,
// where its left edge goes, its baseline, and how far it reaches above
// and below that.
type placedLine struct {
	runs            []shaping.Output
	x, y            int
	ascent, descent int
	fontSize        int
}

// layoutSlip shapes, wraps and places the slip's text; it returns the
// lines and the picture's height.
func layoutSlip(s Slip, fs *rasterFonts) ([]placedLine, int) {
	return layout(rasterParagraphs(s), fs)
}

func layout(ps []paragraph, fs *rasterFonts) ([]placedLine, int) {
	runes := make([][]rune, len(ps))
	slipDir := di.DirectionLTR
	found := false
	for i, p := range ps {
		runes[i] = drawable(p.text, fs)
		if d, ok := direction(runes[i]); ok && !found {
			slipDir, found = d, true
		}
	}

	regular := &faceSet{fonts: &fs.regular}
	bold := &faceSet{fonts: &fs.bold}
	var (
		seg    shaping.Segmenter
		shaper shaping.HarfbuzzShaper
		wrap   shaping.LineWrapper
		lines  []placedLine
	)
	y := rasterMargin
	for i, p := range ps {
		rs := runes[i]
		if len(rs) == 0 {
			y += blankLine
			continue
		}
		dir, ok := direction(rs)
		if !ok {
			dir = slipDir
		}
		faces := regular
		if p.bold {
			faces = bold
		}
		faces.main = mainFace(rs)
		in := shaping.Input{Text: rs, RunEnd: len(rs), Direction: dir, Size: fixed.I(p.size)}
		runs := seg.Split(in, faces)
		outs := make([]shaping.Output, len(runs))
		for j, r := range runs {
			outs[j] = shaper.Shape(r)
		}
		wrapped, _ := wrap.WrapParagraph(shaping.WrapConfig{Direction: dir}, RasterWidth-2*rasterMargin,
			rs, shaping.NewSliceIterator(outs))
		leading := 0
		if faces.main == faceGurmukhi || faces.main == faceBengali {
			leading = indicLeading
		}
		for _, ln := range wrapped {
			var width, ascent, descent fixed.Int26_6
			visual := make([]shaping.Output, len(ln))
			for _, r := range ln {
				visual[r.VisualIndex] = r
				width += r.Advance
				ascent = max(ascent, r.LineBounds.Ascent)
				descent = max(descent, -r.LineBounds.Descent)
			}
			x := rasterMargin
			switch {
			case p.centre:
				x = (RasterWidth - width.Ceil()) / 2
			case dir == di.DirectionRTL:
				// Right to left reads from the right edge.
				x = RasterWidth - rasterMargin - width.Ceil()
			}
			baseline := y + leading + ascent.Ceil()
			lines = append(lines, placedLine{runs: visual, x: max(x, 0), y: baseline,
				ascent: ascent.Ceil(), descent: descent.Ceil(), fontSize: p.size})
			y = baseline + descent.Ceil()
		}
	}
	return lines, y + rasterMargin
}

// renderSlip draws the slip's text in black on white, 576 dots wide.
func renderSlip(s Slip, fs *rasterFonts) *image.Gray {
	return draw(layout(rasterParagraphs(s), fs))
}

// draw draws each line into a strip of its own and lays the strip on the
// picture: the renderer's scanner spans the whole image it draws on, so
// drawing straight onto a tall slip costs its full size for every run.
func draw(lines []placedLine, height int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, RasterWidth, height))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	var rd render.Renderer
	rd.PixScale = 1
	rd.Color = color.Black
	for _, l := range lines {
		// Marks may reach beyond the font's line bounds; half an em either
		// side catches them.
		pad := l.fontSize / 2
		top := max(l.y-l.ascent-pad, 0)
		bottom := min(l.y+l.descent+pad, height)
		strip := image.NewGray(image.Rect(0, 0, RasterWidth, bottom-top))
		for i := range strip.Pix {
			strip.Pix[i] = 0xFF
		}
		rd.FontSize = float32(l.fontSize)
		x := fixed.I(l.x)
		for _, r := range l.runs {
			rd.DrawShapedRunAt(r, strip, x.Round(), l.y-top)
			x += r.Advance
		}
		for y := range strip.Rect.Dy() {
			dst := img.Pix[(top+y)*img.Stride:][:RasterWidth]
			for x, v := range strip.Pix[y*strip.Stride:][:RasterWidth] {
				dst[x] = min(dst[x], v) // darkest wins where lines overlap
			}
		}
	}
	return img
}
