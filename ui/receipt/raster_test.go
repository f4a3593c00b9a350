package receipt

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// sample is a slip in one language and what the test expects of it.
type sample struct {
	lang   string // BCP 47, as text.Lang
	ocr    string // tesseract's traineddata for it
	raster bool   // code page 858 cannot print it
	rtl    bool
	slip   Slip
}

// samples are short slips in each of the kiosk's languages, with the
// letters that decide how each prints: Welsh ŵ ŷ, Polish ł ą, Romanian
// ș ț (comma below) are not in PC858; Portuguese ã ç à are.
func samples() []sample {
	return []sample{
		{lang: "en", ocr: "eng", slip: Slip{
			Title: "Riverside Surgery",
			Lines: []string{"Hello Aoife", "Your appointment is at 10:20 with Dr Khan.", "Please wait in the waiting room."},
		}},
		{lang: "pt", ocr: "por", slip: Slip{
			Title: "Clínica Riverside",
			Lines: []string{"Olá João", "A sua consulta é às 10:20 com o Dr Khan.", "Por favor, aguarde na sala de espera."},
		}},
		{lang: "cy", ocr: "cym", raster: true, slip: Slip{
			Title: "Meddygfa Tŷ Gwyn",
			Lines: []string{"Helo Siân", "Mae eich apwyntiad am 10:20 gyda Dr Khan.", "Mae dŵr yfed wrth y drws."},
		}},
		{lang: "pl", ocr: "pol", raster: true, slip: Slip{
			Title: "Przychodnia Łąkowa",
			Lines: []string{"Dzień dobry, Łucja", "Twoja wizyta jest o 10:20 u dr. Khana.", "Proszę usiąść w poczekalni."},
		}},
		{lang: "ro", ocr: "ron", raster: true, slip: Slip{
			Title: "Cabinetul Medical Ștefănești",
			Lines: []string{"Bună ziua, Ștefan", "Programarea dumneavoastră este marți la 10:20 cu Dr Khan.", "Vă rugăm să așteptați în sala de așteptare."},
		}},
		{lang: "pa", ocr: "pan", raster: true, slip: Slip{
			Title: "ਰਿਵਰਸਾਈਡ ਸਰਜਰੀ",
			Lines: []string{"ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ", "ਮੰਗਲਵਾਰ 3 ਮਾਰਚ, 10:20 ਵਜੇ", "ਡਾਕਟਰ ਖਾਨ ਨਾਲ। ਕਿਰਪਾ ਕਰਕੇ ਉਡੀਕ ਕਮਰੇ ਵਿੱਚ ਬੈਠੋ।"},
		}},
		{lang: "bn", ocr: "ben", raster: true, slip: Slip{
			Title: "রিভারসাইড সার্জারি",
			Lines: []string{"আপনার অ্যাপয়েন্টমেন্ট", "মঙ্গলবার ৩ মার্চ, সকাল ১০:২০", "ডাক্তার খানের সাথে। অনুগ্রহ করে অপেক্ষা কক্ষে বসুন।"},
		}},
		{lang: "ur", ocr: "urd", raster: true, rtl: true, slip: Slip{
			Title: "ریور سائیڈ سرجری",
			Lines: []string{"آپ کی ملاقات", "منگل 3 مارچ، 10:20 بجے ڈاکٹر خان کے ساتھ", "براہ کرم انتظار گاہ میں بیٹھیں۔"},
		}},
		{lang: "ar", ocr: "ara", raster: true, rtl: true, slip: Slip{
			Title: "عيادة ريفرسايد",
			Lines: []string{"موعدك", "يوم الثلاثاء 3 مارس الساعة 10:20 مع الدكتور خان", "يرجى الجلوس في غرفة الانتظار."},
		}},
	}
}

func mustFonts(t testing.TB) *rasterFonts {
	t.Helper()
	fs, err := loadRasterFonts()
	if err != nil {
		t.Fatalf("fonts: %v", err)
	}
	return fs
}

// Slips PC858 can print stay text; the others become one picture.
func TestRasterOnlyWhenPC858Cannot(t *testing.T) {
	for _, s := range samples() {
		t.Run(s.lang, func(t *testing.T) {
			b := Encode(s.slip)
			d := decodeOK(t, b)
			if !s.raster {
				if len(d.Rasters) != 0 || bytes.Contains(b, []byte{gs, 'v', '0'}) {
					t.Fatalf("printable in PC858 but sent as a picture:\n%s", d)
				}
				want := append([]string{s.slip.Title, ""}, s.slip.Lines...)
				if got := d.Text(); !slices.Equal(got, want) {
					t.Errorf("text = %q, want %q", got, want)
				}
				return
			}
			if len(d.Lines) != 0 || len(d.Rasters) == 0 {
				t.Fatalf("want only a picture, got:\n%s", d)
			}
			if !d.Initialized || d.Cuts != 1 {
				t.Errorf("init=%v cuts=%d", d.Initialized, d.Cuts)
			}
		})
	}
}

// One letter PC858 lacks is enough, wherever it is; a character no font
// has (an emoji) alone keeps the slip as text, where it prints as '?'.
func TestRasterDecidedByAnyLine(t *testing.T) {
	cases := []struct {
		slip   Slip
		raster bool
	}{
		{Slip{Title: "Riverside", Lines: []string{"Your appointment", "With: Dr Łukasz Nowak"}}, true},
		{Slip{Title: "Tŷ Gwyn", Lines: []string{"Your appointment"}}, true},
		{Slip{Lines: []string{"Straße ẞ"}}, true},
		{Slip{Lines: []string{"Hello 😀 漢", "Fee £10 — café ✓"}}, false},
		{Slip{Lines: []string{"naïve e\u0301 \x1b@"}}, false},
	}
	for _, c := range cases {
		d := decodeOK(t, Encode(c.slip))
		if got := len(d.Rasters) > 0; got != c.raster {
			t.Errorf("%q: raster = %v, want %v", c.slip.Lines, got, c.raster)
		}
	}
}

// The picture is 576 dots wide, in bands of at most 256 rows that add up
// to the whole slip, and has ink on it; a long slip takes several bands.
func TestRasterBands(t *testing.T) {
	long := Slip{Title: "ਰਿਵਰਸਾਈਡ ਸਰਜਰੀ"}
	for range 12 {
		long.Lines = append(long.Lines, "ਕਿਰਪਾ ਕਰਕੇ ਉਡੀਕ ਕਮਰੇ ਵਿੱਚ ਬੈਠੋ।")
	}
	all := append(samples(), sample{lang: "pa-long", raster: true, slip: long})
	for _, s := range all {
		if !s.raster {
			continue
		}
		t.Run(s.lang, func(t *testing.T) {
			d := decodeOK(t, Encode(s.slip))
			want := renderSlip(s.slip, mustFonts(t)).Rect.Dy()
			total := 0
			for i, band := range d.Rasters {
				r := band.Image.Rect
				if r.Dx() != RasterWidth {
					t.Errorf("band %d is %d dots wide, want %d", i, r.Dx(), RasterWidth)
				}
				if r.Dy() > 256 || (i < len(d.Rasters)-1 && r.Dy() != 256) {
					t.Errorf("band %d has %d rows: want 256 for all but the last, at most 256 for it", i, r.Dy())
				}
				if band.Align != AlignLeft || band.AfterLine != 0 {
					t.Errorf("band %d: align %v after line %d", i, band.Align, band.AfterLine)
				}
				total += r.Dy()
			}
			if total != want {
				t.Errorf("bands have %d rows, the slip %d", total, want)
			}
			img := d.RasterImage()
			ink := inkBounds(img)
			if ink.Empty() {
				t.Fatal("picture is blank")
			}
			if f := inkFraction(img); f < 0.02 || f > 0.4 {
				t.Errorf("%.1f%% of dots black: not text", 100*f)
			}
			if s.lang == "pa-long" && len(d.Rasters) < 3 {
				t.Errorf("long slip in %d bands, want several", len(d.Rasters))
			}
			t.Logf("%dx%d dots in %d bands", img.Rect.Dx(), img.Rect.Dy(), len(d.Rasters))
		})
	}
}

// Every character of every sample is drawn from the font its script
// needs, and that font has it: no glyph comes out as an empty box.
func TestRasterFontsCoverEverySample(t *testing.T) {
	fs := mustFonts(t)
	scriptFont := map[*unicode.RangeTable]rasterFace{
		unicode.Latin:    faceLatin,
		unicode.Gurmukhi: faceGurmukhi,
		unicode.Bengali:  faceBengali,
		unicode.Arabic:   faceArabic,
	}
	for _, s := range samples() {
		faces := &faceSet{fonts: &fs.regular}
		for _, str := range append([]string{s.slip.Title}, s.slip.Lines...) {
			faces.main = mainFace([]rune(str))
			for _, r := range str {
				for table, want := range scriptFont {
					if unicode.Is(table, r) && faces.ResolveFace(r).Font != fs.regular[want] {
						t.Errorf("%s: %q not drawn in face %d", s.lang, r, want)
					}
				}
			}
		}
		lines, _ := layoutSlip(s.slip, fs)
		if len(lines) == 0 {
			t.Fatalf("%s: nothing laid out", s.lang)
		}
		for _, l := range lines {
			for _, run := range l.runs {
				for _, g := range run.Glyphs {
					if g.GlyphID == 0 {
						t.Errorf("%s: a character has no glyph in its font (an empty box)", s.lang)
					}
				}
			}
		}
	}
}

// Right-to-left lines end at the right margin; left-to-right ones start
// at the left; the title is centred.
func TestRasterAlignment(t *testing.T) {
	fs := mustFonts(t)
	for _, s := range samples() {
		if !s.raster {
			continue
		}
		// One short line alone, so its ink shows where it was placed.
		short := Slip{Lines: s.slip.Lines[:1]}
		ink := inkBounds(renderSlip(short, fs))
		if s.rtl {
			if ink.Max.X < RasterWidth-rasterMargin-4 || ink.Min.X < RasterWidth/2 {
				t.Errorf("%s: short right-to-left line inked at x %d–%d, want it against the right margin",
					s.lang, ink.Min.X, ink.Max.X)
			}
		} else if ink.Min.X > rasterMargin+6 || ink.Max.X > RasterWidth/2+100 {
			t.Errorf("%s: short left-to-right line inked at x %d–%d, want it against the left margin",
				s.lang, ink.Min.X, ink.Max.X)
		}
		title := inkBounds(renderSlip(Slip{Title: s.slip.Title}, fs))
		if left, right := title.Min.X, RasterWidth-title.Max.X; left-right > 12 || right-left > 12 {
			t.Errorf("%s: title inked at x %d–%d, not centred", s.lang, title.Min.X, title.Max.X)
		}
	}
}

// A long line wraps within the paper rather than running off it.
func TestRasterWraps(t *testing.T) {
	fs := mustFonts(t)
	for _, line := range []string{
		strings.Repeat("Mae dŵr yfed wrth y drws. ", 6),
		strings.Repeat("يرجى الجلوس في غرفة الانتظار. ", 6),
		strings.Repeat("ਕਿਰਪਾ ਕਰਕੇ ਉਡੀਕ ਕਮਰੇ ਵਿੱਚ ਬੈਠੋ। ", 6),
	} {
		lines, _ := layoutSlip(Slip{Lines: []string{line}}, fs)
		if len(lines) < 3 {
			t.Errorf("%.20q…: %d lines, want it wrapped", line, len(lines))
		}
		ink := inkBounds(renderSlip(Slip{Lines: []string{line}}, fs))
		if ink.Min.X < rasterMargin-2 || ink.Max.X > RasterWidth-rasterMargin+2 {
			t.Errorf("%.20q…: ink at x %d–%d, beyond the margins", line, ink.Min.X, ink.Max.X)
		}
	}
}

// The QR code stays a GS ( k symbol under the picture.
func TestRasterKeepsQRCode(t *testing.T) {
	s := samples()[5].slip // Punjabi
	s.QR = "gpkiosk-checkin:v1:7f3a9c1e"
	d := decodeOK(t, Encode(s))
	if len(d.Rasters) == 0 || len(d.QRCodes) != 1 {
		t.Fatalf("got:\n%s", d)
	}
	q := d.QRCodes[0]
	if q.Data != s.QR || q.Model != 2 || q.ECC != 'M' || q.Module != qrModule || q.Align != AlignCentre {
		t.Errorf("QR = %+v", q)
	}
	// The raster comes first, then one line feed, then the symbol.
	if q.AfterLine != 1 || d.Rasters[len(d.Rasters)-1].AfterLine != 0 {
		t.Errorf("order:\n%s", d)
	}

	s.QR = strings.Repeat("A", MaxQRPayload+1)
	d = decodeOK(t, Encode(s))
	if len(d.QRCodes) != 0 || len(d.Lines) != 0 {
		t.Errorf("oversized QR: want its sentence in the picture, got:\n%s", d)
	}
}

func TestDecodeRejectsBadRaster(t *testing.T) {
	band := func(m byte, x, y int, data int) []byte {
		b := []byte{gs, 'v', '0', m, byte(x), byte(x >> 8), byte(y), byte(y >> 8)}
		return append(b, make([]byte, data)...)
	}
	cut := []byte{gs, 'V', 1}
	cases := []struct {
		name string
		b    []byte
		want error
	}{
		{"header cut short", []byte{gs, 'v', '0', 0, 72, 0}, ErrTruncated},
		{"data cut short", band(0, 72, 10, 72*10-1), ErrTruncated},
		{"GS v 1", []byte{gs, 'v', '1', 0, 1, 0, 1, 0, 0}, ErrUnknown},
		{"double width", append(band(1, 36, 1, 36), cut...), ErrUnknown},
		{"no width", append(band(0, 0, 1, 0), cut...), ErrBadRaster},
		{"no rows", append(band(0, 72, 0, 0), cut...), ErrBadRaster},
		{"wider than the paper", append(band(0, 73, 1, 73), cut...), ErrBadRaster},
		{"band over 256 rows", append(band(0, 72, 257, 72*257), cut...), ErrBadRaster},
		{"after unprinted text", append(append([]byte("ab"), band(0, 1, 1, 1)...), cut...), ErrBadRaster},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(c.b)
			if !errors.Is(err, c.want) {
				t.Fatalf("Decode = %v, want %v", err, c.want)
			}
			t.Log(err)
		})
	}
	// The largest band allowed, in ASCII mode '0', decodes.
	d := decodeOK(t, append(band('0', 72, 256, 72*256), cut...))
	if r := d.Rasters[0].Image.Rect; r.Dx() != 576 || r.Dy() != 256 {
		t.Errorf("band %v", r)
	}
}

// The decoder reads bits as the printer does: bit 7 is the leftmost dot
// and a 1 is black.
func TestDecodeRasterBitOrder(t *testing.T) {
	b := []byte{gs, 'v', '0', 0, 2, 0, 2, 0, 0x80, 0x01, 0x00, 0xFF, gs, 'V', 1}
	img := decodeOK(t, b).RasterImage()
	var got []string
	for y := range 2 {
		var row strings.Builder
		for x := range 16 {
			if img.GrayAt(x, y).Y == 0 {
				row.WriteByte('#')
			} else {
				row.WriteByte('.')
			}
		}
		got = append(got, row.String())
	}
	want := []string{"#..............#", "........########"}
	if !slices.Equal(got, want) {
		t.Errorf("decoded\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Read the picture back with OCR: tesseract, in the slip's language, must
// find the slip's words. A renderer that drew boxes, reversed right-to-left
// text or used a font without the script fails this by a wide margin.
func TestRasterReadsBackByOCR(t *testing.T) {
	tess, err := exec.LookPath("tesseract")
	if err != nil {
		t.Skip("tesseract is not installed (make deps installs tesseract-ocr)")
	}
	out, err := exec.Command(tess, "--list-langs").CombinedOutput()
	if err != nil {
		t.Fatalf("tesseract --list-langs: %v\n%s", err, out)
	}
	have := strings.Fields(string(out))
	fs := mustFonts(t)
	for _, s := range samples() {
		t.Run(s.lang, func(t *testing.T) {
			if !slices.Contains(have, s.ocr) {
				t.Skipf("tesseract has no %q traineddata (make deps installs tesseract-ocr-%s)", s.ocr, s.ocr)
			}
			b := Encode(s.slip)
			if !s.raster {
				// English and Portuguese print as text; draw them anyway, to
				// read the renderer's Latin back too.
				b = encodeRaster(s.slip, fs)
			}
			img := decodeOK(t, b).RasterImage()
			got := ocr(t, tess, asScanned(img), s.ocr)
			want := strings.Join(append([]string{s.slip.Title}, s.slip.Lines...), " ")
			sim := similarity(normaliseOCR(want), normaliseOCR(got))
			t.Logf("similarity %.3f\nwant %s\ngot  %s", sim, want, got)
			if sim < ocrThreshold {
				t.Errorf("OCR read back %.3f similar, want at least %.2f", sim, ocrThreshold)
			}
		})
	}
}

// ocrThreshold is the similarity OCR must reach. Correct slips read back
// at 0.99–1.00; drawn with the Latin font for Gurmukhi, or Bengali in the
// Gurmukhi font, about 0.11; right-to-left lines laid out left to right,
// or their runs in logical order, 0.70–0.76; RTL glyphs mirrored, 0.28.
const ocrThreshold = 0.90

// asScanned is the picture as a scanner would see the paper: a white
// border round it, and each dot spread a little (a 3×3 average), as a
// thermal printer's dots spread. On the hard-edged 1-bit picture itself
// tesseract's Bengali model passes over a bold line altogether.
func asScanned(img *image.Gray) *image.Gray {
	const border = 20
	w, h := img.Rect.Dx()+2*border, img.Rect.Dy()+2*border
	at := func(x, y int) int {
		x, y = x-border, y-border
		if x < 0 || y < 0 || x >= img.Rect.Dx() || y >= img.Rect.Dy() {
			return 0xFF
		}
		return int(img.Pix[y*img.Stride+x])
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			sum := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					sum += at(x+dx, y+dy)
				}
			}
			out.Pix[y*out.Stride+x] = uint8(sum / 9)
		}
	}
	return out
}

// ocr writes img as a PNG and returns what tesseract reads in it, taking
// it as one block of text.
func ocr(t *testing.T, tess string, img *image.Gray, lang string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "slip.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tess, path, "-", "-l", lang, "--psm", "6")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tesseract: %v\n%s", err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// normaliseOCR compares text as read, not as laid out: NFC, one space
// for any run of white space (line breaks fall where the wrap put them),
// and the full stop an OCR engine often drops or doubles left out.
func normaliseOCR(s string) []rune {
	s = norm.NFC.String(s)
	s = strings.Join(strings.Fields(s), " ")
	return []rune(strings.NewReplacer(".", "", "।", "", "۔", "").Replace(s))
}

// similarity is 1 − Levenshtein distance / the longer length.
func similarity(a, b []rune) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return 1 - float64(prev[len(b)])/float64(max(len(a), len(b)))
}

// inkBounds is the smallest rectangle holding every black dot.
func inkBounds(img *image.Gray) image.Rectangle {
	var r image.Rectangle
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			if img.GrayAt(x, y).Y < 0x80 {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}

func inkFraction(img *image.Gray) float64 {
	n := 0
	for _, v := range img.Pix {
		if v < 0x80 {
			n++
		}
	}
	return float64(n) / float64(len(img.Pix))
}

// Encoding a raster slip against a text slip, in the same run.
func BenchmarkEncode(b *testing.B) {
	appt := func(s Slip) Slip {
		s.QR = "gpkiosk-checkin:v1:7f3a9c1e-0b2d-4e8f-9a61-3c5d7e9f1b24"
		return s
	}
	ss := samples()
	cases := []struct {
		name string
		slip Slip
	}{
		{"text-en", appt(ss[0].slip)},
		{"raster-cy", appt(ss[2].slip)},
		{"raster-pa", appt(ss[5].slip)},
		{"raster-ar", appt(ss[8].slip)},
	}
	if _, err := loadRasterFonts(); err != nil {
		b.Fatal(err)
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				n = len(Encode(c.slip))
			}
			b.ReportMetric(float64(n), "bytes/slip")
		})
	}
}
