package receipt

import (
	"strings"
	"unicode"

	"gpkiosk/ui/text"
)

// ESC/POS bytes and parameters used by Encode and understood by Decode.
const (
	lf  = 0x0A
	esc = 0x1B
	gs  = 0x1D

	// Columns of Font A (12×24) on 80 mm paper (576 dots), and at double width.
	Columns      = 48
	TitleColumns = Columns / 2

	// ESC t 19 selects PC858 (PC850 + €) on Epson-compatible printers; it has
	// £ at 0x9C and the accented Latin letters patients' names tend to use.
	codePagePC858 = 19
	codePagePC437 = 0 // power-on default

	alignLeft   = 0
	alignCentre = 1
	alignRight  = 2

	sizeNormal = 0x00
	sizeTitle  = 0x11 // GS ! n: width ×2 (bits 4-7), height ×2 (bits 0-3)

	// GS ( k: cn 49 selects QR code; fn values are from the Epson spec.
	qrCn        = 49
	qrFnModel   = 65
	qrFnSize    = 67
	qrFnECC     = 69
	qrFnStore   = 80
	qrFnPrint   = 81
	qrModel2    = 50
	qrECCM      = 49
	qrModule    = 6 // dots per module: ~3 cm wide for short tokens, scans easily
	qrStoreFlag = 48

	// MaxQRPayload keeps the symbol small enough (version ~12 at ECC M with
	// 6-dot modules) to fit the 576-dot printable width. Check-in payloads are
	// short opaque tokens, so this is generous.
	MaxQRPayload = 256

	feedLines  = 3
	cutPartial = 66 // GS V 66 n: feed n lines then partial cut

	// PC858 has no tick, so a tick is printed as PC437's √ (0xFB), the
	// usual tick on receipt printers, switching code page for that one
	// character. toPrinter marks it with tickMark, a control byte it never
	// passes through otherwise, so wrapping counts it as one column.
	tickMark  = 0x01
	tickPC437 = 0xFB
)

// cp437High lists the characters of code page 437 for bytes 0x80–0xFF, in
// order; Decode needs it for the tick.
const cp437High = "ÇüéâäàåçêëèïîìÄÅ" +
	"ÉæÆôöòûùÿÖÜ¢£¥₧ƒ" +
	"áíóúñÑªº¿⌐¬½¼¡«»" +
	"░▒▓│┤╡╢╖╕╣║╗╝╜╛┐" +
	"└┴┬├─┼╞╟╚╔╩╦╠═╬╧" +
	"╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀" +
	"αßΓπΣσµτΦΘΩδ∞φε∩" +
	"≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00A0"

// cp858High lists the characters of code page 858 for bytes 0x80–0xFF, in order.
const cp858High = "ÇüéâäàåçêëèïîìÄÅ" +
	"ÉæÆôöòûùÿÖÜø£Ø×ƒ" +
	"áíóúñÑªº¿®¬½¼¡«»" +
	"░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐" +
	"└┴┬├─┼ãÃ╚╔╩╦╠═╬¤" +
	"ðÐÊËÈ€ÍÎÏ┘┌█▄¦Ì▀" +
	"ÓßÔÒõÕµþÞÚÛÙýÝ¯´" +
	"\u00AD±‗¾¶§÷¸°¨·¹³²■\u00A0"

// Encode renders a slip as an ESC/POS byte stream for a 48-column 80 mm
// printer, ending with a partial cut. Text is converted to code page 858;
// characters it cannot print become '?' and control characters in the data
// are neutralised so patient-entered text cannot inject printer commands.
//
// A slip with text code page 858 lacks but the embedded fonts can draw
// (another script, or letters such as ŵ, ł, ș) is printed instead as a
// large-print picture (GS v 0, see raster.go), with any QR code as usual.
func Encode(s Slip) []byte {
	// The fonts are embedded, so failing to parse them is a build defect;
	// a slip with '?' for the missing letters still beats no slip.
	if fs, err := loadRasterFonts(); err == nil && needsRaster(s, fs) {
		return encodeRaster(s, fs)
	}
	b := []byte{esc, '@', esc, 't', codePagePC858}

	if s.Title != "" {
		b = append(b, esc, 'a', alignCentre, esc, 'E', 1, gs, '!', sizeTitle)
		for _, l := range wrapText(s.Title, TitleColumns) {
			b = appendLine(b, l)
		}
		b = append(b, gs, '!', sizeNormal, esc, 'E', 0, esc, 'a', alignLeft, lf)
	}

	for _, l := range s.Lines {
		for _, w := range wrapText(l, Columns) {
			b = appendLine(b, w)
		}
	}

	switch {
	case s.QR == "":
	case len(s.QR) > MaxQRPayload:
		// A code the printer cannot fit would be worse than none: say so.
		for _, w := range wrapText(text.T(text.SlipNoCheckInCode), Columns) {
			b = appendLine(b, w)
		}
	default:
		b = append(b, lf, esc, 'a', alignCentre)
		b = appendQR(b, s.QR)
		b = append(b, esc, 'a', alignLeft)
	}

	return append(b, gs, 'V', cutPartial, feedLines)
}

// appendLine appends one wrapped line and its line feed, printing each
// tick mark from code page 437 and returning to 858 straight after.
func appendLine(b, line []byte) []byte {
	for _, c := range line {
		if c == tickMark {
			b = append(b, esc, 't', codePagePC437, tickPC437, esc, 't', codePagePC858)
			continue
		}
		b = append(b, c)
	}
	return append(b, lf)
}

// appendQR appends the GS ( k function sequence that stores and prints a
// model 2 QR code with error correction level M.
func appendQR(b []byte, data string) []byte {
	fn := func(f byte, params ...byte) {
		n := len(params) + 2 // cn and fn count towards pL/pH
		b = append(b, gs, '(', 'k', byte(n), byte(n>>8), qrCn, f)
		b = append(b, params...)
	}
	fn(qrFnModel, qrModel2, 0)
	fn(qrFnSize, qrModule)
	fn(qrFnECC, qrECCM)
	fn(qrFnStore, append([]byte{qrStoreFlag}, data...)...)
	fn(qrFnPrint, qrStoreFlag)
	return b
}

// toPrinter converts text to code page 858 bytes, one byte per printed column.
func toPrinter(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r == '\t':
			out = append(out, ' ')
		case r >= 0x20 && r < 0x7F:
			out = append(out, byte(r))
		case unicode.Is(unicode.Mn, r):
			// Combining accent from decomposed input: print the base letter.
		case r == '\u2018' || r == '\u2019':
			out = append(out, '\'')
		case r == '\u201C' || r == '\u201D':
			out = append(out, '"')
		case r == '\u2013' || r == '\u2014':
			out = append(out, '-')
		case r == '\u2713' || r == '\u2714' || r == '\u221A': // ✓ ✔ √
			out = append(out, tickMark)
		default:
			out = append(out, cp858Byte(r))
		}
	}
	return out
}

// cp858Byte returns r's byte in code page 858, or '?' if it has none
// (including control characters, which must never reach the printer raw).
func cp858Byte(r rune) byte {
	i := 0
	for _, c := range cp858High {
		if c == r {
			return byte(0x80 + i)
		}
		i++
	}
	return '?'
}

// wrapText converts s to printer bytes and word-wraps it at width columns.
// Embedded newlines start new lines; an empty line yields one empty line.
// Words longer than width are split rather than cut off.
func wrapText(s string, width int) [][]byte {
	var out [][]byte
	for _, para := range strings.Split(s, "\n") {
		out = append(out, wrapBytes(toPrinter(strings.TrimSuffix(para, "\r")), width)...)
	}
	return out
}

func wrapBytes(p []byte, width int) [][]byte {
	var lines [][]byte
	var cur []byte
	for _, w := range splitSpaces(p) {
		for len(w) > width {
			if len(cur) > 0 {
				lines = append(lines, cur)
				cur = nil
			}
			lines = append(lines, w[:width])
			w = w[width:]
		}
		switch {
		case len(cur) == 0:
			cur = w
		case len(cur)+1+len(w) <= width:
			cur = append(append(cur, ' '), w...)
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

// splitSpaces splits on runs of spaces, returning fresh slices so callers can
// append to them without clobbering p.
func splitSpaces(p []byte) [][]byte {
	var words [][]byte
	start := -1
	for i, c := range p {
		switch {
		case c == ' ' && start >= 0:
			words = append(words, append([]byte(nil), p[start:i]...))
			start = -1
		case c != ' ' && start < 0:
			start = i
		}
	}
	if start >= 0 {
		words = append(words, append([]byte(nil), p[start:]...))
	}
	return words
}
