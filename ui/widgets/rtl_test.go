package widgets

import (
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
)

// A leading-aligned Urdu or Arabic sentence starts at the right edge, as
// its reader expects, and English at the left; a Latin name inside the
// Arabic is drawn to the left of the Arabic words before it.
func TestRightToLeftTextInWindow(t *testing.T) {
	for _, c := range []struct {
		lang  text.Lang
		s     string
		rtl   bool
		latin string // a Latin run that must be drawn leftmost, or ""
	}{
		{text.LangUrdu, "آپ کی ملاقات ڈاکٹر Khan", true, "Khan"},
		{text.LangArabic, "موعدك مع الطبيب Khan", true, "Khan"},
		{text.LangEnglish, "Your appointment is with Dr Khan", false, ""},
	} {
		t.Run(string(c.lang), func(t *testing.T) {
			a := test.NewTempApp(t)
			a.Settings().SetTheme(uitheme.NewWith(uitheme.Settings{Lang: c.lang}))
			txt := NewText(c.s, TextBody)
			txt.Align = fyne.TextAlignLeading
			img := capture(t, txt, fyne.NewSize(900, 120))
			ink := inkBox(img, img.Bounds())
			if ink.Empty() {
				t.Fatal("nothing drawn")
			}
			const edge = 4 // anti-aliasing and the first glyph's side bearing
			if c.rtl {
				if img.Bounds().Max.X-ink.Max.X > edge || ink.Min.X < 300 {
					t.Errorf("ink spans x %d..%d of %d: want it against the right edge", ink.Min.X, ink.Max.X, img.Bounds().Dx())
				}
			} else if ink.Min.X > edge || ink.Max.X > 700 {
				t.Errorf("ink spans x %d..%d: want it against the left edge", ink.Min.X, ink.Max.X)
			}
			if c.latin == "" {
				return
			}
			x := find(t, img, word(t, c.latin, txt))
			if x-ink.Min.X > edge {
				t.Errorf("%q drawn at x %d, not leftmost (ink starts at %d): the runs are in reading order, not visual", c.latin, x, ink.Min.X)
			}
		})
	}
}

// Buttons keep their centred labels centred in Arabic, with a time in the
// label drawn left of the words before it; a tick-box choice in Urdu has
// its box on the right and its words right-aligned beside it.
func TestRightToLeftButtonsInWindow(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(uitheme.NewWith(uitheme.Settings{Lang: text.LangArabic, Size: uitheme.SizeLarger}))

	b := NewPrimaryButton("احجز 10:20", nil)
	img := capture(t, b, fyne.NewSize(700, 120))
	pad := int(b.pad())
	inner := image.Rect(pad, pad, img.Bounds().Dx()-pad, img.Bounds().Dy()-pad)
	ink := inkBoxOn(img, inner, img.At(img.Bounds().Dx()/2, pad+2))
	if left, right := ink.Min.X, img.Bounds().Dx()-ink.Max.X; left-right > 6 || right-left > 6 {
		t.Errorf("label ink x %d..%d in a %d-wide button: want it centred", ink.Min.X, ink.Max.X, img.Bounds().Dx())
	}
	if x := find(t, img, word(t, "10:20", b)); x-ink.Min.X > 4 {
		t.Errorf("the time drawn at x %d, label starts at %d: want it leftmost", x, ink.Min.X)
	}

	a.Settings().SetTheme(uitheme.NewWith(uitheme.Settings{Lang: text.LangUrdu}))
	check := NewCheckButton("بلڈ پریشر کی گولیاں", nil)
	test.NewTempWindow(t, check).Resize(fyne.NewSize(700, 120))
	check.Resize(fyne.NewSize(700, 100))
	r := test.TempWidgetRenderer(t, check).(*buttonRenderer)
	if len(r.lines) != 1 {
		t.Fatalf("%d lines, want 1", len(r.lines))
	}
	if r.box.Position().X < 600 {
		t.Errorf("tick box at x %v of 700: want it on the right", r.box.Position().X)
	}
	if l := r.lines[0]; l.Alignment != fyne.TextAlignTrailing || l.Position().X+l.Size().Width > r.box.Position().X {
		t.Errorf("label at x %v..%v aligned %v: want it right-aligned, left of the box at %v",
			l.Position().X, l.Position().X+l.Size().Width, l.Alignment, r.box.Position().X)
	}
}

// capture shows o alone in a window of size and returns the window as
// light-on-dark-agnostic grey: ink is whatever differs from the corner.
func capture(t *testing.T, o fyne.CanvasObject, size fyne.Size) image.Image {
	t.Helper()
	w := test.NewTempWindow(t, o)
	w.SetPadded(false)
	w.Resize(size)
	return w.Canvas().Capture()
}

// inkBox is the smallest rectangle of r holding every pixel unlike the
// background at r's top-left corner.
func inkBox(img image.Image, r image.Rectangle) image.Rectangle {
	return inkBoxOn(img, r, img.At(r.Min.X, r.Min.Y))
}

func inkBoxOn(img image.Image, r image.Rectangle, bg color.Color) image.Rectangle {
	box := image.Rectangle{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if differ(img.At(x, y), bg) > 0x4000 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box
}

func differ(a, b color.Color) uint32 {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(x, y uint32) uint32 {
		if x > y {
			return x - y
		}
		return y - x
	}
	return max(d(ar, br), d(ag, bg), d(ab, bb))
}

// word draws s alone as like's lines are drawn (same size, weight and
// colour) and returns just its ink.
func word(t *testing.T, s string, like fyne.Widget) image.Image {
	t.Helper()
	var l *canvas.Text
	for _, o := range test.TempWidgetRenderer(t, like).Objects() {
		if c, ok := o.(*canvas.Text); ok {
			l = c
			break
		}
	}
	if l == nil {
		t.Fatal("no text line drawn")
	}
	w := canvas.NewText(s, l.Color)
	w.TextSize, w.TextStyle = l.TextSize, l.TextStyle
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	if b, ok := like.(*Button); ok {
		r := test.TempWidgetRenderer(t, b).(*buttonRenderer)
		bg.FillColor = r.bg.FillColor
	}
	img := capture(t, container.NewStack(bg, container.NewWithoutLayout(w)), fyne.NewSize(300, 100))
	return crop(img, inkBox(img, img.Bounds()))
}

func crop(img image.Image, r image.Rectangle) image.Image {
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			out.Set(x, y, img.At(r.Min.X+x, r.Min.Y+y))
		}
	}
	return out
}

// find returns the x where tpl is drawn in img, failing if it is not
// there at all.
func find(t *testing.T, img, tpl image.Image) int {
	t.Helper()
	b, tb := img.Bounds(), tpl.Bounds()
	bestX, best := -1, uint64(1<<63)
	for y := b.Min.Y; y+tb.Dy() <= b.Max.Y; y++ {
		for x := b.Min.X; x+tb.Dx() <= b.Max.X; x++ {
			var sad uint64
			for ty := 0; ty < tb.Dy() && sad < best; ty++ {
				for tx := 0; tx < tb.Dx(); tx++ {
					sad += uint64(differ(img.At(x+tx, y+ty), tpl.At(tx, ty)))
				}
			}
			if sad < best {
				best, bestX = sad, x
			}
		}
	}
	// Drawn at another sub-pixel offset the edges differ a little; a
	// different word differs by far more.
	if mean := best / uint64(tb.Dx()*tb.Dy()); mean > 0x1000 {
		t.Fatalf("word not found: best match differs by %#x a pixel", mean)
	}
	return bestX
}
