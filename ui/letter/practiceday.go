package letter

import (
	"fmt"

	"github.com/signintech/gopdf"
	"github.com/skip2/go-qrcode"

	"gpkiosk/ui/practiceday"
	"gpkiosk/ui/receipt"
	"gpkiosk/ui/text"
)

// The practice-day sheet's sizes. Learners are often older people, so
// nothing on its first page is under 14 pt, and "PRACTICE — NOT REAL" is
// the largest thing on both pages.
const (
	sizeSheetBanner  = 30.0
	sizeSheetHeading = 24.0
	sizeSheetSub     = 20.0
	sizeSheetBody    = 16.0
	sheetBannerPad   = 3.0
	sheetGap         = 6.0
	sheetIndent      = 10.0
	tickSize         = 4.5 // mm: a bold tick, plainer than a font's thin one
	// textPracticeDayTooLong is for the helper, like the letter's other
	// refusals; only the letter page can overflow, the lessons flow on.
	textPracticeDayTooLong = "Shorten the pretend practice's address."
)

// RenderPracticeDay makes the A4 "What I practised today" sheet a helper
// prints at the end of a practice session: page 1 the lessons done, with
// ticks, and next steps in large type; then, when d.Letter has a code,
// the pretend registration letter laid out as the real one (Render) so the
// learner can practise scanning it at the kiosk and see what an Account
// ID, linkage key and practice code look like. Every page says
// "PRACTICE — NOT REAL" at the top. A day with no lessons still makes a
// whole sheet.
func RenderPracticeDay(d practiceday.PracticeDay) ([]byte, error) {
	const op = "practice day render"
	var pretend *Details
	var qr [][]bool
	if d.Letter.HasCode() {
		l := d.Letter
		det := Details{PracticeName: l.PracticeName, PracticeAddress: l.PracticeAddress, PracticePostcode: l.PracticePostcode,
			PracticePhone: l.PracticePhone, ODS: l.ODS, PatientName: l.PatientName, AccountID: l.AccountID,
			LinkageKey: l.LinkageKey, IssuedAt: l.IssuedAt, ExpiresAt: l.ExpiresAt}
		if err := det.check(); err != nil {
			return nil, fmt.Errorf("%s: pretend letter: %w", op, err)
		}
		code, err := qrcode.New(l.QRPayload(), qrcode.Medium)
		if err != nil {
			return nil, fmt.Errorf("%s: QR code: %w", op, err)
		}
		pretend, qr = &det, code.Bitmap()
	}
	creator := docCreatorSuffix
	if d.Letter.PracticeName != "" {
		creator = d.Letter.PracticeName + " – " + docCreatorSuffix
	}
	return render(op, gopdf.PdfInfo{Title: text.T(text.PracticeSlipHeading), Creator: creator, CreationDate: d.Date},
		textPracticeDayTooLong, func(p *page) error { return p.practiceDay(d, pretend, qr) })
}

func (p *page) practiceDay(d practiceday.PracticeDay, pretend *Details, qr [][]bool) error {
	if err := p.notReal(); err != nil {
		return err
	}
	p.y += sheetGap
	if err := p.flow(fontBold, sizeSheetHeading, text.T(text.PracticeSlipHeading), 0); err != nil {
		return err
	}
	if !d.Date.IsZero() {
		if err := p.flow(fontRegular, sizeSheetBody, receipt.FormatDate(d.Day()), 0); err != nil {
			return err
		}
	}
	p.y += sheetGap
	lessons := d.Lessons()
	if len(lessons) == 0 {
		if err := p.flow(fontRegular, sizeSheetBody, text.T(text.PracticeSlipNothingYet), 0); err != nil {
			return err
		}
	}
	for _, l := range lessons {
		if err := p.item(p.tick, l); err != nil {
			return err
		}
	}
	p.y += sheetGap
	if err := p.flow(fontBold, sizeSheetSub, text.T(text.PracticeSlipNextSteps), 0); err != nil {
		return err
	}
	for i, s := range d.Steps() {
		if err := p.item(p.number(i+1), s); err != nil {
			return err
		}
	}
	if pretend == nil {
		return nil
	}
	p.y += sheetGap
	if err := p.flow(fontBold, sizeSheetBody, text.T(text.PracticeSheetNextPage), 0); err != nil {
		return err
	}
	if dob := d.Letter.TypedDateOfBirth(); dob != "" {
		if err := p.flow(fontRegular, sizeSheetBody, text.T(text.PracticeSlipDOB, dob), 0); err != nil {
			return err
		}
	}
	if err := p.flow(fontRegular, sizeSheetBody, text.T(text.PracticeSheetKioskOnly), 0); err != nil {
		return err
	}

	// The pretend letter on a page of its own, as the real one prints, so
	// it scans and reads the same; only the banner above it is added.
	p.nextPage()
	if err := p.notReal(); err != nil {
		return err
	}
	// The real letter's words talk about the NHS App; say at once, at the
	// letter's own body size, that this one is for the kiosk only.
	p.y += 2
	if err := p.para(fontBold, sizeBody, text.T(text.PracticeSheetKioskOnly), 0); err != nil {
		return err
	}
	p.y += 3
	return p.letter(*pretend, qr)
}

// notReal draws "PRACTICE — NOT REAL" large and bold in a heavy frame
// across the top of the page, so the sheet cannot be taken for a real
// letter from the surgery.
func (p *page) notReal() error {
	top := p.y
	if err := p.setFont(fontBold, sizeSheetBanner); err != nil {
		return err
	}
	s := text.T(text.PracticeSlipNotReal)
	w, err := p.pdf.MeasureTextWidth(s)
	if err != nil {
		return fmt.Errorf("measuring the banner: %w", err)
	}
	p.pdf.SetXY(margin+(contentW-w)/2, top+sheetBannerPad)
	if err := p.pdf.Cell(nil, s); err != nil {
		return fmt.Errorf("writing the banner: %w", err)
	}
	bottom := top + 2*sheetBannerPad + lineHeight(sizeSheetBanner)
	p.pdf.SetLineWidth(1.5)
	p.pdf.SetStrokeColor(0, 0, 0)
	p.pdf.RectFromUpperLeftWithStyle(margin, top, contentW, bottom-top, "D")
	p.y = bottom
	return nil
}

// item writes one list entry at body size: mark draws the marker at the
// line's top left, then the text follows with a hanging indent, flowing on
// to a new page when the list is long.
func (p *page) item(mark func() error, s string) error {
	p.y += 1.5
	if p.y+lineHeight(sizeSheetBody) > bottomLimit {
		p.nextPage()
	}
	if err := mark(); err != nil {
		return fmt.Errorf("writing a list mark: %w", err)
	}
	return p.flow(fontRegular, sizeSheetBody, s, sheetIndent)
}

// tick draws a filled tick beside the current line.
func (p *page) tick() error {
	// A tick's outline in a unit square, y downwards.
	shape := [][2]float64{{0, 0.55}, {0.16, 0.40}, {0.38, 0.62}, {0.84, 0.08}, {1, 0.22}, {0.38, 0.92}}
	x, y := margin, p.y+(lineHeight(sizeSheetBody)-tickSize)/2
	pts := make([]gopdf.Point, len(shape))
	for i, s := range shape {
		pts[i] = gopdf.Point{X: x + s[0]*tickSize, Y: y + s[1]*tickSize}
	}
	p.pdf.SetFillColor(0, 0, 0)
	p.pdf.Polygon(pts, "F")
	return nil
}

// number returns a marker that writes "n." in bold, as the letter's steps.
func (p *page) number(n int) func() error {
	return func() error {
		if err := p.setFont(fontBold, sizeSheetBody); err != nil {
			return err
		}
		p.pdf.SetXY(margin, p.y)
		return p.pdf.Cell(nil, fmt.Sprintf("%d.", n))
	}
}

// flow is para for a page that may run on: a line that would cross the
// bottom margin starts a new page instead of refusing, since a learner's
// list of lessons has no fixed length.
func (p *page) flow(font string, size float64, s string, indent float64) error {
	if err := p.setFont(font, size); err != nil {
		return err
	}
	lines, err := p.wrap(s, contentW-indent)
	if err != nil {
		return fmt.Errorf("wrapping text: %w", err)
	}
	for _, l := range lines {
		if p.y+lineHeight(size) > bottomLimit {
			p.nextPage()
			if err := p.setFont(font, size); err != nil {
				return err
			}
		}
		p.pdf.SetXY(margin+indent, p.y)
		if err := p.pdf.Cell(nil, l); err != nil {
			return fmt.Errorf("writing text: %w", err)
		}
		p.y += lineHeight(size)
	}
	return nil
}

// nextPage starts a new page at the top margin.
func (p *page) nextPage() {
	p.pdf.AddPage()
	p.y = margin
}
