package theme

import (
	"bytes"
	"image"
	"image/color"
	"runtime"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	fynetheme "fyne.io/fyne/v2/theme"
	"github.com/go-text/typesetting/font"

	"gpkiosk/ui/text"
)

// Each language gets its script's font, in the weight asked for, and the
// font has a glyph for every letter of the language's own name (the word
// a patient taps to choose it), so none of them is drawn as a box. The
// Latin-script languages keep Fyne's Noto Sans.
func TestFontPerLanguage(t *testing.T) {
	want := map[text.Lang]string{
		text.LangPunjabi: "NotoSansGurmukhi",
		text.LangBengali: "NotoSansBengali",
		text.LangUrdu:    "NotoNaskhArabic",
		text.LangArabic:  "NotoNaskhArabic",
	}
	def := fynetheme.DefaultTheme()
	for _, l := range text.Languages() {
		th := NewWith(Settings{Lang: l.Tag})
		for _, bold := range []bool{false, true} {
			style := fyne.TextStyle{Bold: bold}
			got := th.Font(style)
			base, scripted := want[l.Tag]
			if !scripted {
				if got != def.Font(style) {
					t.Errorf("%s bold=%v: font %s, want Fyne's default %s", l.Tag, bold, got.Name(), def.Font(style).Name())
				}
				continue
			}
			name := base + "-Regular.ttf"
			if bold {
				name = base + "-Bold.ttf"
			}
			if got.Name() != name {
				t.Errorf("%s bold=%v: font %s, want %s", l.Tag, bold, got.Name(), name)
				continue
			}
			face, err := font.ParseTTF(bytes.NewReader(got.Content()))
			if err != nil {
				t.Fatalf("%s: %s does not parse: %v", l.Tag, name, err)
			}
			for _, r := range l.Name {
				if _, ok := face.NominalGlyph(r); !ok {
					t.Errorf("%s: %s has no glyph for %q in %q", l.Tag, name, r, l.Name)
				}
			}
		}
		// Typed characters come from a Latin keypad and must stay monospaced.
		mono := fyne.TextStyle{Monospace: true}
		if got := th.Font(mono); got != def.Font(mono) {
			t.Errorf("%s: monospace font %s, want Fyne's %s", l.Tag, got.Name(), def.Font(mono).Name())
		}
	}
}

// Latin inside Punjabi, Bengali or Arabic text ("NHS", a name) is drawn
// exactly as in English: Fyne's painter falls back, letter by letter, to its
// own Noto Sans when the script font lacks a glyph.
func TestLatinFallsBackToNotoSans(t *testing.T) {
	english := inkOf(t, Settings{}, "NHS Khan")
	for _, l := range []text.Lang{text.LangPunjabi, text.LangBengali, text.LangUrdu} {
		got := inkOf(t, Settings{Lang: l}, "NHS Khan")
		if !sameImage(got, english) {
			t.Errorf("%s: \"NHS Khan\" drawn %v, unlike English %v: not Fyne's Noto Sans", l, got.Bounds().Size(), english.Bounds().Size())
		}
	}
}

// inkOf draws s in bold under the theme for st and returns the smallest
// image holding all its dark pixels.
func inkOf(t *testing.T, st Settings, s string) *image.Gray {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(NewWith(st))
	txt := canvas.NewText(s, color.Black)
	txt.TextSize, txt.TextStyle = 32, fyne.TextStyle{Bold: true}
	w := test.NewTempWindow(t, txt)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(400, 120))
	img := w.Canvas().Capture()
	b := img.Bounds()
	box := image.Rectangle{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	out := image.NewGray(image.Rect(0, 0, box.Dx(), box.Dy()))
	for y := 0; y < box.Dy(); y++ {
		for x := 0; x < box.Dx(); x++ {
			out.Set(x, y, img.At(box.Min.X+x, box.Min.Y+y))
		}
	}
	return out
}

func sameImage(a, b *image.Gray) bool {
	return a.Bounds() == b.Bounds() && bytes.Equal(a.Pix, b.Pix)
}

// Every theme for a language hands Fyne the same font resource, through
// a Switcher or made alone (as the language choice makes one per
// language), so patients switching back and forth do not make the kiosk
// copy the font files again.
func TestEachFontBuiltOnce(t *testing.T) {
	a := test.NewTempApp(t)
	s := NewSwitcher(a, Settings{Lang: text.LangBengali})
	bold := fyne.TextStyle{Bold: true}
	first := a.Settings().Theme().Font(bold)
	s.Set(Settings{})
	s.Set(Settings{Lang: text.LangBengali, Size: SizeLarger, HighContrast: true})
	if again := a.Settings().Theme().Font(bold); again != first {
		t.Errorf("Bengali bold came back as a new resource %p, want the first one %p", again, first)
	}
	if alone := NewWith(Settings{Lang: text.LangBengali}).Font(bold); alone != first {
		t.Errorf("a theme made alone has Bengali bold %p, want the shared %p", alone, first)
	}
}

// Two hundred switches through every language, each drawing text so Fyne
// loads the fonts, leave the heap where it was: nothing is kept per switch.
func TestLanguageSwitchesDoNotGrowHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("switches 200 times")
	}
	growth := switchLanguages(t, 200)
	// One kept copy of a script font per switch would be 10 MB or more.
	if growth > 2<<20 {
		t.Errorf("heap grew %d KB over 200 language switches, want under 2048 KB", growth>>10)
	}
}

// BenchmarkLanguageSwitch reports what one switch of language costs and
// how far the heap grows over 200 of them.
func BenchmarkLanguageSwitch(b *testing.B) {
	for b.Loop() {
		b.ReportMetric(float64(switchLanguages(b, 200)), "heap-growth-B/200-switches")
	}
}

// switchLanguages switches a Switcher n times round the languages,
// measuring text in each so Fyne parses the fonts, and returns how much
// the live heap grew.
func switchLanguages(tb testing.TB, n int) int64 {
	tb.Helper()
	a := test.NewTempApp(tb)
	s := NewSwitcher(a, Settings{})
	langs := text.Languages()
	round := func() {
		for i := range len(langs) {
			l := langs[i]
			s.Set(Settings{Lang: l.Tag})
			for _, st := range []fyne.TextStyle{{}, {Bold: true}} {
				if fyne.MeasureText(l.Name+" NHS 10:20", 21, st).Width <= 0 {
					tb.Fatalf("%s measured nothing", l.Tag)
				}
			}
		}
	}
	round() // every font built and every cache warm
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; i < n; i += len(langs) {
		round()
	}
	// Same language as at the start, so the same fonts are loaded.
	runtime.GC()
	runtime.ReadMemStats(&after)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc)
}
