package receipt

import (
	"errors"
	"fmt"
	"image"
	"strings"
)

// Errors returned (wrapped, with the byte offset) by Decode.
var (
	ErrTruncated   = errors.New("truncated ESC/POS sequence")
	ErrUnknown     = errors.New("unknown or unsupported ESC/POS sequence")
	ErrUnprinted   = errors.New("stream ends with text not yet printed")
	ErrNotCut      = errors.New("stream does not end with a paper cut")
	ErrBadQRParams = errors.New("invalid QR code parameters")
	ErrBadRaster   = errors.New("invalid raster image (GS v 0)")
)

// The kiosk's printers, as the decoder checks a GS v 0 image against them:
// 576 dots (72 bytes) across on 80 mm paper, and at most 256 rows an
// image, since small printers' buffers drop or garble taller ones. Written
// out here rather than shared with the encoder, so a wrong constant there
// cannot also pass here.
const (
	printerRowBytes  = 72
	printerBandRows  = 256
	rasterModeNormal = 0
)

// Align is the justification a line was printed with (ESC a).
type Align int

// Alignments, as numbered by ESC a.
const (
	AlignLeft Align = iota
	AlignCentre
	AlignRight
)

// Style is the print mode in effect when a line started.
type Style struct {
	Bold   bool
	Width  int // character width multiplier, 1–8
	Height int // character height multiplier, 1–8
	Align  Align
}

// Line is one printed line of text.
type Line struct {
	Text  string
	Style Style
}

// QRCode is a QR symbol printed by GS ( k fn 81.
type QRCode struct {
	Data      string
	Model     int  // 1, 2 or 3 (micro)
	Module    int  // dots per module
	ECC       byte // 'L', 'M', 'Q' or 'H'
	AfterLine int  // number of text lines printed before the symbol
	Align     Align
}

// RasterBand is one GS v 0 image as printed.
type RasterBand struct {
	// Image has 0 (black) for each printed dot and 255 elsewhere; it is
	// eight dots wide per data byte, bit 7 of a byte leftmost.
	Image     *image.Gray
	AfterLine int // number of text lines printed before the image
	Align     Align
}

// DecodedSlip is what a printer would have put on paper.
type DecodedSlip struct {
	Lines       []Line
	QRCodes     []QRCode
	Rasters     []RasterBand
	CodePage    int  // last ESC t selection
	Initialized bool // saw ESC @
	Cuts        int
	Feeds       int // extra lines fed by ESC d / GS V
}

// Text returns the printed lines' text.
func (d DecodedSlip) Text() []string {
	out := make([]string, len(d.Lines))
	for i, l := range d.Lines {
		out[i] = l.Text
	}
	return out
}

// Decode interprets the subset of ESC/POS that Encode emits, byte by byte
// following the Epson command semantics, and reports what would be printed.
// It rejects unknown commands, truncated sequences, invalid parameters and a
// stream that does not finish with a cut, so a test using it proves the
// stream is well formed rather than merely round-tripping Encode.
func Decode(b []byte) (DecodedSlip, error) {
	d := decoder{b: b}
	d.reset()
	if err := d.run(); err != nil {
		return d.out, fmt.Errorf("escpos decode: %w", err)
	}
	return d.out, nil
}

type decoder struct {
	b   []byte
	pos int
	out DecodedSlip

	buf      []rune
	style    Style // current mode
	lineSty  Style // mode when buf's first character arrived
	lastCut  bool
	codePage int

	qrModel  int
	qrModule int
	qrECC    byte
	qrData   []byte
	qrStored bool
}

// reset applies the power-on defaults that ESC @ restores.
func (d *decoder) reset() {
	d.buf = d.buf[:0]
	d.style = Style{Width: 1, Height: 1}
	d.codePage = codePagePC437
	d.qrModel, d.qrModule, d.qrECC = 2, 3, 'L'
	d.qrData, d.qrStored = nil, false
}

// need returns the next n bytes of the sequence starting at start, or
// ErrTruncated.
func (d *decoder) need(start, n int, what string) ([]byte, error) {
	if d.pos+n > len(d.b) {
		return nil, fmt.Errorf("%s at offset %d: need %d more bytes, have %d: %w",
			what, start, n, len(d.b)-d.pos, ErrTruncated)
	}
	p := d.b[d.pos : d.pos+n]
	d.pos += n
	return p, nil
}

func (d *decoder) run() error {
	for d.pos < len(d.b) {
		start := d.pos
		c := d.b[d.pos]
		d.pos++
		d.lastCut = false
		var err error
		switch {
		case c == lf:
			d.printLine()
		case c == esc:
			err = d.escape(start)
		case c == gs:
			err = d.groupSep(start)
		case c >= 0x20 && c != 0x7F:
			err = d.char(start, c)
		default:
			err = fmt.Errorf("control byte 0x%02X at offset %d: %w", c, start, ErrUnknown)
		}
		if err != nil {
			return err
		}
	}
	if len(d.buf) > 0 {
		return fmt.Errorf("%q: %w", string(d.buf), ErrUnprinted)
	}
	if !d.lastCut {
		return ErrNotCut
	}
	return nil
}

func (d *decoder) char(start int, c byte) error {
	r := rune(c)
	if c >= 0x80 {
		// ESC t admits only these two code pages.
		table := cp858High
		if d.codePage == codePagePC437 {
			table = cp437High
		}
		r = []rune(table)[c-0x80]
	}
	if len(d.buf) == 0 {
		d.lineSty = d.style
	}
	d.buf = append(d.buf, r)
	return nil
}

// printLine prints the buffer; LF on an empty buffer prints a blank line.
func (d *decoder) printLine() {
	sty := d.lineSty
	if len(d.buf) == 0 {
		sty = d.style
	}
	d.out.Lines = append(d.out.Lines, Line{Text: string(d.buf), Style: sty})
	d.buf = d.buf[:0]
}

// atLineStart reports whether nothing is buffered; ESC a only takes effect
// there, as on a real printer.
func (d *decoder) atLineStart() bool { return len(d.buf) == 0 }

func (d *decoder) escape(start int) error {
	p, err := d.need(start, 1, "ESC")
	if err != nil {
		return err
	}
	cmd := p[0]
	if cmd == '@' {
		d.reset()
		d.out.Initialized = true
		return nil
	}
	name := fmt.Sprintf("ESC %q", cmd)
	switch cmd {
	case 't', 'a', 'E', 'd':
	default:
		return fmt.Errorf("%s at offset %d: %w", name, start, ErrUnknown)
	}
	p, err = d.need(start, 1, name)
	if err != nil {
		return err
	}
	n := p[0]
	switch cmd {
	case 't':
		if n != codePagePC858 && n != codePagePC437 {
			return fmt.Errorf("%s code page %d at offset %d: %w", name, n, start, ErrUnknown)
		}
		d.codePage = int(n)
		d.out.CodePage = int(n)
	case 'a':
		a := n
		if a >= '0' && a <= '2' { // ESC a accepts 0–2 or '0'–'2'
			a -= '0'
		}
		if a > alignRight {
			return fmt.Errorf("%s %d at offset %d: %w", name, n, start, ErrUnknown)
		}
		if d.atLineStart() {
			d.style.Align = Align(a)
		}
	case 'E':
		d.style.Bold = n&1 == 1
	case 'd':
		if len(d.buf) > 0 {
			d.printLine()
		}
		d.out.Feeds += int(n)
	}
	return nil
}

func (d *decoder) groupSep(start int) error {
	p, err := d.need(start, 1, "GS")
	if err != nil {
		return err
	}
	switch cmd := p[0]; cmd {
	case '!':
		p, err := d.need(start, 1, "GS !")
		if err != nil {
			return err
		}
		d.style.Width = int(p[0]>>4) + 1
		d.style.Height = int(p[0]&0x0F) + 1
		if d.style.Width > 8 || d.style.Height > 8 {
			return fmt.Errorf("GS ! 0x%02X at offset %d: %w", p[0], start, ErrUnknown)
		}
		return nil
	case 'V':
		return d.cut(start)
	case 'v':
		return d.raster(start)
	case '(':
		p, err := d.need(start, 1, "GS (")
		if err != nil {
			return err
		}
		if p[0] != 'k' {
			return fmt.Errorf("GS ( %q at offset %d: %w", p[0], start, ErrUnknown)
		}
		return d.qr(start)
	default:
		return fmt.Errorf("GS %q at offset %d: %w", cmd, start, ErrUnknown)
	}
}

// cut handles GS V m (m = 0, 1, 48, 49) and GS V m n (m = 65, 66), which
// print the buffer first.
func (d *decoder) cut(start int) error {
	p, err := d.need(start, 1, "GS V")
	if err != nil {
		return err
	}
	switch m := p[0]; m {
	case 0, 1, 48, 49:
	case 65, 66:
		n, err := d.need(start, 1, "GS V")
		if err != nil {
			return err
		}
		d.out.Feeds += int(n[0])
	default:
		return fmt.Errorf("GS V %d at offset %d: %w", m, start, ErrUnknown)
	}
	if len(d.buf) > 0 {
		d.printLine()
	}
	d.out.Cuts++
	d.lastCut = true
	return nil
}

// raster handles GS v 0 m xL xH yL yH d1…dk: an image x bytes (8x dots)
// wide and y rows tall, k = x × y bytes, row by row, bit 7 leftmost, 1
// printed. Only m = 0 or 48 (normal size) is accepted: the scaled modes
// would print a slip at twice the width of the paper.
func (d *decoder) raster(start int) error {
	p, err := d.need(start, 6, "GS v 0 header")
	if err != nil {
		return err
	}
	if p[0] != '0' {
		return fmt.Errorf("GS v %q at offset %d: %w", p[0], start, ErrUnknown)
	}
	if m := p[1]; m != rasterModeNormal && m != '0'+rasterModeNormal {
		return fmt.Errorf("GS v 0 mode %d at offset %d (only normal size, 0): %w", m, start, ErrUnknown)
	}
	x := int(p[2]) | int(p[3])<<8
	y := int(p[4]) | int(p[5])<<8
	switch {
	case x == 0 || y == 0:
		return fmt.Errorf("GS v 0 at offset %d: empty image %d bytes × %d rows: %w", start, x, y, ErrBadRaster)
	case x > printerRowBytes:
		return fmt.Errorf("GS v 0 at offset %d: %d dots wide, wider than the paper's %d: %w",
			start, x*8, printerRowBytes*8, ErrBadRaster)
	case y > printerBandRows:
		return fmt.Errorf("GS v 0 at offset %d: %d rows in one image, more than %d: %w",
			start, y, printerBandRows, ErrBadRaster)
	case len(d.buf) > 0:
		// The printer ignores GS v 0 with text waiting to print.
		return fmt.Errorf("GS v 0 at offset %d after unprinted text %q: %w", start, string(d.buf), ErrBadRaster)
	}
	data, err := d.need(start, x*y, fmt.Sprintf("GS v 0 data (%d bytes × %d rows)", x, y))
	if err != nil {
		return err
	}
	img := image.NewGray(image.Rect(0, 0, x*8, y))
	for row := range y {
		for col := range x * 8 {
			v := uint8(0xFF)
			if data[row*x+col/8]&(0x80>>(col%8)) != 0 {
				v = 0
			}
			img.Pix[row*img.Stride+col] = v
		}
	}
	d.out.Rasters = append(d.out.Rasters, RasterBand{Image: img, AfterLine: len(d.out.Lines), Align: d.style.Align})
	return nil
}

// RasterImage stacks the slip's raster bands top to bottom as they come
// off the printer (left-aligned, as the decoder only accepts them so); it
// returns nil for a slip with none.
func (d DecodedSlip) RasterImage() *image.Gray {
	if len(d.Rasters) == 0 {
		return nil
	}
	w, h := 0, 0
	for _, r := range d.Rasters {
		w = max(w, r.Image.Rect.Dx())
		h += r.Image.Rect.Dy()
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for i := range out.Pix {
		out.Pix[i] = 0xFF
	}
	y := 0
	for _, r := range d.Rasters {
		for row := range r.Image.Rect.Dy() {
			copy(out.Pix[(y+row)*out.Stride:], r.Image.Pix[row*r.Image.Stride:row*r.Image.Stride+r.Image.Rect.Dx()])
		}
		y += r.Image.Rect.Dy()
	}
	return out
}

// qr handles GS ( k pL pH cn fn [params]: pL+pH*256 counts cn, fn and params.
func (d *decoder) qr(start int) error {
	p, err := d.need(start, 4, "GS ( k header")
	if err != nil {
		return err
	}
	n := int(p[0]) | int(p[1])<<8
	cn, fn := p[2], p[3]
	if n < 2 {
		return fmt.Errorf("GS ( k length %d at offset %d: %w", n, start, ErrBadQRParams)
	}
	if cn != qrCn {
		return fmt.Errorf("GS ( k cn=%d at offset %d (only QR code, 49, supported): %w", cn, start, ErrUnknown)
	}
	name := fmt.Sprintf("GS ( k QR fn %d", fn)
	params, err := d.need(start, n-2, name)
	if err != nil {
		return err
	}
	bad := func(detail string) error {
		return fmt.Errorf("%s at offset %d: %s: %w", name, start, detail, ErrBadQRParams)
	}
	switch fn {
	case qrFnModel:
		if len(params) != 2 || params[1] != 0 || params[0] < 49 || params[0] > 51 {
			return bad(fmt.Sprintf("params % X", params))
		}
		d.qrModel = int(params[0] - 48)
	case qrFnSize:
		if len(params) != 1 || params[0] < 1 || params[0] > 16 {
			return bad(fmt.Sprintf("params % X", params))
		}
		d.qrModule = int(params[0])
	case qrFnECC:
		if len(params) != 1 || params[0] < 48 || params[0] > 51 {
			return bad(fmt.Sprintf("params % X", params))
		}
		d.qrECC = "LMQH"[params[0]-48]
	case qrFnStore:
		if len(params) < 2 || params[0] != qrStoreFlag {
			return bad("store needs m=48 and at least one data byte")
		}
		d.qrData = append(d.qrData[:0], params[1:]...)
		d.qrStored = true
	case qrFnPrint:
		if len(params) != 1 || params[0] != qrStoreFlag {
			return bad(fmt.Sprintf("params % X", params))
		}
		if !d.qrStored {
			return bad("print with no data stored")
		}
		if len(d.buf) > 0 { // a symbol starts on a fresh line
			d.printLine()
		}
		d.out.QRCodes = append(d.out.QRCodes, QRCode{
			Data:      string(d.qrData),
			Model:     d.qrModel,
			Module:    d.qrModule,
			ECC:       d.qrECC,
			AfterLine: len(d.out.Lines),
			Align:     d.style.Align,
		})
	default:
		return fmt.Errorf("%s at offset %d: %w", name, start, ErrUnknown)
	}
	return nil
}

// String renders the decoded slip roughly as printed, for test failures.
func (d DecodedSlip) String() string {
	var b strings.Builder
	qi, ri := 0, 0
	// A raster band is never printed after a QR code at the same line, as
	// Encode puts the picture first.
	pending := func(line int) {
		for ; ri < len(d.Rasters) && d.Rasters[ri].AfterLine <= line; ri++ {
			fmt.Fprintf(&b, "[raster %dx%d]\n", d.Rasters[ri].Image.Rect.Dx(), d.Rasters[ri].Image.Rect.Dy())
		}
		for ; qi < len(d.QRCodes) && d.QRCodes[qi].AfterLine <= line; qi++ {
			fmt.Fprintf(&b, "[QR %q]\n", d.QRCodes[qi].Data)
		}
	}
	for i, l := range d.Lines {
		pending(i)
		fmt.Fprintf(&b, "%+v %q\n", l.Style, l.Text)
	}
	pending(len(d.Lines))
	return b.String()
}
