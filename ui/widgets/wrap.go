package widgets

import (
	"strings"

	"fyne.io/fyne/v2"
)

// wrapLines breaks s into lines no wider than width when drawn at size in
// style; "\n" always starts a new line. A word wider than width keeps a line
// of its own rather than being split mid-word: the kiosk's geometry test
// reports it instead, because half a word is no use to anyone.
func wrapLines(s string, width, size float32, style fyne.TextStyle) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, wrapParagraph(para, width, size, style)...)
	}
	return out
}

// wrapParagraph wraps one paragraph (no "\n") in reading order; an empty
// paragraph is one empty line.
func wrapParagraph(para string, width, size float32, style fyne.TextStyle) []string {
	words := strings.Fields(para)
	if len(words) == 0 {
		return []string{""}
	}
	var out []string
	line := words[0]
	for _, w := range words[1:] {
		try := line + " " + w
		if fyne.MeasureText(try, size, style).Width <= width {
			line = try
			continue
		}
		out = append(out, line)
		line = w
	}
	return append(out, line)
}

// widestWord is the width of the longest word of s: the narrowest s can be
// wrapped to without splitting a word.
func widestWord(s string, size float32, style fyne.TextStyle) float32 {
	var w float32
	for _, word := range strings.Fields(s) {
		w = max(w, fyne.MeasureText(word, size, style).Width)
	}
	return w
}

// textExtent is the width and height of lines drawn at size in style.
func textExtent(lines []string, size float32, style fyne.TextStyle) fyne.Size {
	var w float32
	for _, l := range lines {
		w = max(w, fyne.MeasureText(l, size, style).Width)
	}
	return fyne.NewSize(w, float32(len(lines))*lineHeight(size, style))
}

// lineHeight is the height of one line of text at size in style. The
// sample has an ascender and a descender; it is measured, never shown.
func lineHeight(size float32, style fyne.TextStyle) float32 {
	return fyne.MeasureText(lineSample, size, style).Height
}

const lineSample = "Ag"
