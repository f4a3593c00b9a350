package speech

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// linePause is the silence between two lines: long enough to hear where a
// heading ends and a choice begins, short enough not to sound stuck.
const linePause = 400 // ms

// clockTime finds a displayed time such as "10:20" (any script's digits).
// Voices read the colon in their own way: the Urdu voice says it as a word
// (the ratio sign), so "10:20" becomes hour and minute said as two numbers,
// which every voice reads as a time ("ten twenty", "das bees").
var clockTime = regexp.MustCompile(`(\p{Nd}{1,2}):(\p{Nd}{2})`)

// notSpoken are characters that espeak-ng would read out by name ("bullet",
// "asterisk", "right arrow") or that only lay out text on screen.
const notSpoken = "•‣◦⁃∙·▪▫●○■□*#|_~^`\\<>[]{}"

// SpokenLines are lines as speech reads them, in the same order: each
// screen line split at its line breaks, with bullets, symbols, emoji and
// layout marks taken out, times made speakable and spaces tidied. Lines
// left with nothing to say are dropped.
func SpokenLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		for _, part := range strings.Split(l, "\n") {
			if s := spokenLine(part); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func spokenLine(s string) string {
	s = clockTime.ReplaceAllString(s, "$1 $2")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u200c' || r == '\u200d':
			return r // ZWNJ and ZWJ choose Indic and Arabic letter forms
		case r == '\t' || unicode.IsSpace(r):
			return ' '
		case strings.ContainsRune(notSpoken, r),
			r >= 0x2190 && r <= 0x21ff, // arrows
			unicode.In(r, unicode.So, unicode.Sk, unicode.Co, unicode.Cs, unicode.Cc, unicode.Cf):
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	// A dash at the start is a list mark, not a word.
	s = strings.TrimLeft(s, "-–— ")
	return s
}

// ssml is lines as espeak-ng's SSML (-m): each line its own sentence, with
// a short break between lines. The text goes to espeak-ng on its standard
// input, never its command line, where anyone on the kiosk could list it.
func ssml(lines []string) string {
	var b strings.Builder
	b.WriteString("<speak>")
	for i, l := range lines {
		if i > 0 {
			b.WriteString(`<break time="` + strconv.Itoa(linePause) + `ms"/>`)
		}
		b.WriteString("<s>")
		b.WriteString(xmlEscape(l))
		b.WriteString("</s>")
	}
	b.WriteString("</speak>")
	return b.String()
}

// xmlEscaper escapes what text content needs; quotes stay as they are
// (espeak-ng's SSML reader does not need them escaped outside attributes).
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func xmlEscape(s string) string { return xmlEscaper.Replace(s) }
