// Package letter makes the printable letters the staff desktop gives
// patients — the registration letter for GP online services (an A4 PDF
// with the three registration details and the kiosk's QR code) and the
// appointment letter (with the check-in QR code when there is one) —
// saves them, and prints them through CUPS. The staff desktop calls Render
// or RenderAppointment, then CUPSPrinter.Print or SavePDF; see
// docs/printing.md.
package letter

import (
	"errors"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // dates are printed in Europe/London on any machine

	"fyne.io/fyne/v2/theme"
	"github.com/signintech/gopdf"
	"github.com/skip2/go-qrcode"

	gpsync "gpkiosk/sync"
)

// Details is what one letter says. Every field is needed except
// ActingForName.
type Details struct {
	PracticeName     string
	PracticeAddress  string // lines separated by newlines or commas
	PracticePostcode string
	PracticePhone    string
	ODS              string

	PatientName   string // the person the letter is addressed to
	ActingForName string // for a proxy's letter: the patient they act for; "" otherwise

	AccountID  string
	LinkageKey string
	IssuedAt   time.Time
	ExpiresAt  time.Time
}

// The letter's words. They are printed, not shown on screen, so they live
// here rather than in ui/text; they aim at a reading age of about 9.
const (
	textPhone        = "Phone: %s"
	textDear         = "Dear %s,"
	textHeading      = "Your details for GP online services"
	textIntro        = "You can now use our online services, in the NHS App and at the surgery kiosk. You need the three details below."
	textProxy        = "These details let you act for %s. They are yours. Do not share them with %s or anyone else."
	labelODS         = "Practice code (ODS code)"
	labelAccount     = "Account ID"
	labelKey         = "Linkage key"
	textQRCaption    = "Kiosk code"
	headingApp       = "In the NHS App"
	headingKiosk     = "At the surgery kiosk"
	textExpiry       = "Use these details by %s. After that, ask at reception for a new letter."
	textKeepSafe     = "Keep this letter safe, like a bank card PIN. If you lose it or someone else may have seen it, tell reception straight away. We will cancel these details and give you new ones."
	textSignOff      = "From the team at %s"
	dateLayout       = "2 January 2006"
	docTitle         = "Your details for GP online services"
	docCreatorSuffix = "GP Kiosk"
)

var (
	stepsApp = []string{
		"Download the NHS App from your app store.",
		"Create an NHS login, or log in if you have one.",
		`When asked, choose to link using registration details ("I have registration details").`,
		"Enter the practice code, Account ID and linkage key from this letter.",
	}
	stepsKiosk = []string{
		"Touch what you want to do.",
		"Hold the kiosk code on this letter under the scanner, or type your Account ID.",
		"Enter your date of birth.",
	}
)

// Page geometry in millimetres, type sizes in points.
const (
	pageW, pageH   = 210.0, 297.0
	margin         = 16.0
	contentW       = pageW - 2*margin
	bottomLimit    = pageH - 14.0
	qrSize         = 57.0 // printed side including the quiet zone
	boxPad         = 5.0
	sizeBody       = 12.0
	sizePractice   = 16.0
	sizeHeading    = 19.0
	sizeSubheading = 14.0
	sizeLabel      = 12.0
	sizeDetail     = 22.0 // the three details: large and monospaced
	leading        = 1.3
	ptToMM         = 25.4 / 72
	stepIndent     = 8.0
)

// Font family names inside the PDF.
const (
	fontRegular = "text"
	fontBold    = "bold"
	fontMono    = "mono"
)

var london = mustLondon()

func mustLondon() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(fmt.Sprintf("letter: Europe/London time zone missing: %v", err))
	}
	return loc
}

// date formats a date as the letter prints it, e.g. "6 December 2026", in
// Europe/London.
func date(t time.Time) string { return t.In(london).Format(dateLayout) }

// QRPayload is what the letter's QR code carries (docs/letter-qr.md).
func (d Details) QRPayload() string {
	return gpsync.Letter{ODS: d.ODS, AccountID: d.AccountID, LinkageKey: d.LinkageKey}.String()
}

func (d Details) check() error {
	if err := required("letter render", [2]string{"practice name", d.PracticeName}, [2]string{"practice address", d.PracticeAddress},
		[2]string{"practice postcode", d.PracticePostcode}, [2]string{"practice phone", d.PracticePhone}, [2]string{"ODS code", d.ODS},
		[2]string{"patient name", d.PatientName}, [2]string{"Account ID", d.AccountID}, [2]string{"linkage key", d.LinkageKey}); err != nil {
		return err
	}
	if d.IssuedAt.IsZero() {
		return &Error{Op: "letter render", Kind: ErrMissingDetails, Reason: "The date of the letter is missing."}
	}
	if d.ExpiresAt.IsZero() || !d.ExpiresAt.After(d.IssuedAt) {
		return &Error{Op: "letter render", Kind: ErrMissingDetails, Reason: "The date to use the details by is missing or before the date of the letter."}
	}
	return nil
}

// Render makes the letter: one A4 page as a PDF. Fonts are Fyne's own
// TrueType fonts, embedded (subset), so any name prints as written.
func Render(d Details) ([]byte, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	qr, err := qrcode.New(d.QRPayload(), qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("letter render: QR code: %w", err)
	}
	return render("letter render", gopdf.PdfInfo{Title: docTitle, Creator: d.PracticeName + " – " + docCreatorSuffix, CreationDate: d.IssuedAt},
		"Shorten the practice address or the name on the letter.", func(p *page) error { return p.letter(d, qr.Bitmap()) })
}

// render lays one page out with draw and returns the PDF. A page that
// overflows is refused with tooLong, the reason staff are given.
func render(op string, info gopdf.PdfInfo, tooLong string, draw func(*page) error) ([]byte, error) {
	p, err := newPage()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	p.pdf.SetInfo(info)
	if err := draw(p); err != nil {
		if errors.Is(err, ErrTooLong) {
			return nil, &Error{Op: op, Kind: ErrTooLong, Reason: tooLong}
		}
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	out, err := p.pdf.GetBytesPdfReturnErr()
	if err != nil {
		return nil, fmt.Errorf("%s: writing the PDF: %w", op, err)
	}
	return out, nil
}

// required refuses the first of fields that is empty or only spaces.
func required(op string, fields ...[2]string) error {
	for _, f := range fields {
		if strings.TrimSpace(f[1]) == "" {
			return &Error{Op: op, Kind: ErrMissingDetails, Reason: "The " + f[0] + " is empty."}
		}
	}
	return nil
}

// page lays text out top to bottom, tracking the next free line.
type page struct {
	pdf *gopdf.GoPdf
	y   float64
}

func newPage() (*page, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitMM})
	fonts := []struct {
		name string
		data []byte
	}{
		{fontRegular, theme.DefaultTextFont().Content()},
		{fontBold, theme.DefaultTextBoldFont().Content()},
		{fontMono, theme.DefaultTextMonospaceFont().Content()},
	}
	for _, f := range fonts {
		if err := pdf.AddTTFFontData(f.name, f.data); err != nil {
			return nil, fmt.Errorf("loading font %s: %w", f.name, err)
		}
	}
	pdf.AddPage()
	return &page{pdf: pdf, y: margin}, nil
}

func (p *page) letter(d Details, qr [][]bool) error {
	if err := p.letterhead(d.PracticeName, d.PracticeAddress, d.PracticePostcode, d.PracticePhone, d.IssuedAt); err != nil {
		return err
	}
	if err := p.greeting(d.PatientName, textHeading); err != nil {
		return err
	}
	if err := p.para(fontRegular, sizeBody, textIntro, 0); err != nil {
		return err
	}
	if who := strings.TrimSpace(d.ActingForName); who != "" {
		p.y += 1.5
		if err := p.para(fontBold, sizeBody, fmt.Sprintf(textProxy, who, who), 0); err != nil {
			return err
		}
	}
	p.y += 4
	if err := p.details(d, qr); err != nil {
		return err
	}
	p.y += 5
	if err := p.steps(headingApp, stepsApp); err != nil {
		return err
	}
	p.y += 3
	if err := p.steps(headingKiosk, stepsKiosk); err != nil {
		return err
	}
	p.y += 4
	if err := p.para(fontBold, sizeBody, fmt.Sprintf(textExpiry, date(d.ExpiresAt)), 0); err != nil {
		return err
	}
	p.y += 2
	if err := p.para(fontRegular, sizeBody, textKeepSafe, 0); err != nil {
		return err
	}
	return p.signOff(d.PracticeName)
}

// letterhead is the top of every letter: the practice's name, address,
// postcode and phone, with the date on the right of the name, as in a
// letter from the surgery.
func (p *page) letterhead(name, address, postcode, phone string, issued time.Time) error {
	top := p.y
	if err := p.right(fontRegular, sizeBody, date(issued)); err != nil {
		return err
	}
	p.y = top
	// The name wraps short of the date.
	if err := p.textAt(fontBold, sizePractice, name, margin, contentW-50); err != nil {
		return err
	}
	lines := append(addressLines(address), strings.TrimSpace(postcode), fmt.Sprintf(textPhone, strings.TrimSpace(phone)))
	for _, l := range lines {
		if err := p.para(fontRegular, sizeBody, l, 0); err != nil {
			return err
		}
	}
	p.y += 5
	return nil
}

// greeting is "Dear <name>," and the letter's heading.
func (p *page) greeting(name, heading string) error {
	if err := p.para(fontRegular, sizeBody, fmt.Sprintf(textDear, strings.TrimSpace(name)), 0); err != nil {
		return err
	}
	p.y += 3
	if err := p.para(fontBold, sizeHeading, heading, 0); err != nil {
		return err
	}
	p.y += 1
	return nil
}

// signOff ends every letter.
func (p *page) signOff(practice string) error {
	p.y += 3
	if err := p.para(fontRegular, sizeBody, fmt.Sprintf(textSignOff, strings.TrimSpace(practice)), 0); err != nil {
		return err
	}
	if p.y > bottomLimit {
		return ErrTooLong
	}
	return nil
}

// details draws the boxed registration details with the QR code beside
// them.
func (p *page) details(d Details, qr [][]bool) error {
	top := p.y
	p.y += boxPad
	textW := contentW - qrSize - 3*boxPad
	items := []struct{ label, value string }{
		{labelODS, d.ODS},
		{labelAccount, d.AccountID},
		{labelKey, d.LinkageKey},
	}
	for i, it := range items {
		if i > 0 {
			p.y += 2.5
		}
		if err := p.textAt(fontRegular, sizeLabel, it.label, margin+boxPad, textW); err != nil {
			return err
		}
		if err := p.textAt(fontMono, sizeDetail, strings.TrimSpace(it.value), margin+boxPad, textW); err != nil {
			return err
		}
	}
	textBottom := p.y + boxPad

	qrX := margin + contentW - boxPad - qrSize
	qrBottom, err := p.qr(qr, qrX, top+boxPad, textQRCaption)
	if err != nil {
		return err
	}
	qrBottom += boxPad

	p.box(top, max(textBottom, qrBottom))
	return nil
}

// box draws the frame round what lies from top to bottom, and moves below
// it.
func (p *page) box(top, bottom float64) {
	p.pdf.SetLineWidth(0.6)
	p.pdf.SetStrokeColor(0, 0, 0)
	p.pdf.RectFromUpperLeftWithStyle(margin, top, contentW, bottom-top, "D")
	p.y = bottom
}

// qr draws a QR code qrSize square at x, y with caption centred under it,
// and returns the bottom of the caption.
func (p *page) qr(qr [][]bool, x, y float64, caption string) (float64, error) {
	// Drawn as filled squares so it stays sharp at any resolution; the
	// bitmap already carries its 4-module quiet zone.
	module := qrSize / float64(len(qr))
	p.pdf.SetFillColor(0, 0, 0)
	for r, row := range qr {
		// One rectangle per run of dark modules: fewer operators, and no
		// hairline seams between neighbours when rasterised.
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			p.pdf.RectFromUpperLeftWithStyle(x+float64(start)*module, y+float64(r)*module, float64(c-start)*module, module, "F")
		}
	}
	captionY := y + qrSize
	if err := p.setFont(fontRegular, sizeLabel); err != nil {
		return 0, err
	}
	w, err := p.pdf.MeasureTextWidth(caption)
	if err != nil {
		return 0, err
	}
	p.pdf.SetXY(x+(qrSize-w)/2, captionY)
	if err := p.pdf.Cell(nil, caption); err != nil {
		return 0, err
	}
	return captionY + lineHeight(sizeLabel), nil
}

// steps prints a subheading and numbered steps with a hanging indent.
func (p *page) steps(heading string, steps []string) error {
	if err := p.para(fontBold, sizeSubheading, heading, 0); err != nil {
		return err
	}
	for i, s := range steps {
		p.y += 0.8
		if err := p.setFont(fontBold, sizeBody); err != nil {
			return err
		}
		p.pdf.SetXY(margin, p.y)
		if err := p.pdf.Cell(nil, fmt.Sprintf("%d.", i+1)); err != nil {
			return err
		}
		if err := p.para(fontRegular, sizeBody, s, stepIndent); err != nil {
			return err
		}
	}
	return nil
}

func lineHeight(sizePt float64) float64 { return sizePt * ptToMM * leading }

func (p *page) setFont(font string, size float64) error {
	if err := p.pdf.SetFont(font, "", size); err != nil {
		return fmt.Errorf("font %s: %w", font, err)
	}
	return nil
}

// para writes text wrapped to the content width less indent.
func (p *page) para(font string, size float64, text string, indent float64) error {
	return p.textAt(font, size, text, margin+indent, contentW-indent)
}

func (p *page) textAt(font string, size float64, text string, x, width float64) error {
	if err := p.setFont(font, size); err != nil {
		return err
	}
	lines, err := p.wrap(text, width)
	if err != nil {
		return err
	}
	for _, l := range lines {
		if p.y+lineHeight(size) > bottomLimit {
			return ErrTooLong
		}
		p.pdf.SetXY(x, p.y)
		if err := p.pdf.Cell(nil, l); err != nil {
			return fmt.Errorf("writing text: %w", err)
		}
		p.y += lineHeight(size)
	}
	return nil
}

// right writes one line flush with the right margin.
func (p *page) right(font string, size float64, text string) error {
	if err := p.setFont(font, size); err != nil {
		return err
	}
	w, err := p.pdf.MeasureTextWidth(text)
	if err != nil {
		return err
	}
	// Cell puts the top of the line at y; move down so the baselines of
	// this line and a larger one beside it roughly agree.
	p.pdf.SetXY(margin+contentW-w, p.y+(sizePractice-size)*ptToMM*0.8)
	if err := p.pdf.Cell(nil, text); err != nil {
		return err
	}
	p.y += lineHeight(size)
	return nil
}

// wrap breaks text into lines no wider than width at spaces, and inside a
// word only when the word alone is too wide.
func (p *page) wrap(text string, width float64) ([]string, error) {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		w, err := p.pdf.MeasureTextWidth(try)
		if err != nil {
			return nil, err
		}
		if w <= width {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = ""
		// A single word wider than the line: break it by characters.
		for {
			w, err := p.pdf.MeasureTextWidth(word)
			if err != nil {
				return nil, err
			}
			if w <= width {
				line = word
				break
			}
			rs := []rune(word)
			n := len(rs) - 1
			for ; n > 1; n-- {
				if w, err = p.pdf.MeasureTextWidth(string(rs[:n])); err != nil {
					return nil, err
				} else if w <= width {
					break
				}
			}
			lines = append(lines, string(rs[:n]))
			word = string(rs[n:])
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines, nil
}

// addressLines splits an address typed on several lines or with commas.
func addressLines(s string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' }) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
