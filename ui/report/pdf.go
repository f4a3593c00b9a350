package report

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the made-at time is said in London time everywhere

	"fyne.io/fyne/v2/theme"
	"github.com/signintech/gopdf"

	gpsync "gpkiosk/sync"
)

// MaxPDFMonths is how many months the one-page report shows: the latest.
const MaxPDFMonths = 12

// Page geometry, in millimetres on A4.
const (
	pageW    = 210.0
	margin   = 15.0
	contentW = pageW - 2*margin
	axisW    = 12.0 // room left of a plot for its tick labels
)

const (
	fontRegular = "regular"
	fontBold    = "bold"
)

// The bars' fills, told apart without colour: solid, hollow and striped.
type fill int

const (
	fillSolid fill = iota
	fillHollow
	fillStripes
)

// channelFill is the j-th channel's fill (as Channels), so the bars tell
// apart in black and white print.
func channelFill(j int) fill { return [...]fill{fillSolid, fillHollow, fillStripes}[j] }

// PDF is a one-page A4 report of the practice's uptake for the partners'
// meeting: the latest month's headline figures, bookings by channel as
// bars, the share of the list enabled as a line against the national
// commitment, and the numbers as a table. It shows the latest
// MaxPDFMonths months of r.
func PDF(r gpsync.UptakeReport) ([]byte, error) {
	const op = "report.PDF"
	if strings.TrimSpace(r.Practice) == "" || strings.TrimSpace(r.ODSCode) == "" {
		return nil, fmt.Errorf("%s: the practice's name and ODS code are needed", op)
	}
	if len(r.Months) == 0 {
		return nil, fmt.Errorf("%s: there are no months to report", op)
	}
	months := r.Months[max(0, len(r.Months)-MaxPDFMonths):]
	for _, m := range months {
		if err := checkMonth(m); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitMM})
	for _, f := range []struct {
		name string
		data []byte
	}{{fontRegular, theme.DefaultTextFont().Content()}, {fontBold, theme.DefaultTextBoldFont().Content()}} {
		if err := pdf.AddTTFFontData(f.name, f.data); err != nil {
			return nil, fmt.Errorf("%s: loading font %s: %w", op, f.name, err)
		}
	}
	period := MonthLabel(months[0].Month)
	if len(months) > 1 {
		period += " to " + MonthLabel(months[len(months)-1].Month)
	}
	pdf.SetInfo(gopdf.PdfInfo{Title: "Online services uptake, " + period, Creator: r.Practice + " – GP Kiosk", CreationDate: r.Made})
	pdf.AddPage()
	p := &pdfPage{pdf: pdf, y: margin}
	steps := []func() error{
		func() error { return p.heading(r, period) },
		func() error { return p.headline(months[len(months)-1]) },
		func() error { return p.bars(BookingsByChannel(months)) },
		func() error { return p.trend(EnabledTrend(months)) },
		func() error { return p.table(months) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
	}
	if p.y > 297-margin {
		return nil, fmt.Errorf("%s: %w", op, errors.New("the report does not fit on one page"))
	}
	out, err := pdf.GetBytesPdfReturnErr()
	if err != nil {
		return nil, fmt.Errorf("%s: writing the PDF: %w", op, err)
	}
	return out, nil
}

// pdfPage lays the report out top to bottom.
type pdfPage struct {
	pdf *gopdf.GoPdf
	y   float64
}

// text writes s with its top-left corner at (x, y).
func (p *pdfPage) text(font string, size float64, x, y float64, s string) error {
	p.pdf.SetTextColor(0, 0, 0)
	if err := p.pdf.SetFont(font, "", size); err != nil {
		return err
	}
	p.pdf.SetXY(x, y)
	return p.pdf.Cell(nil, s)
}

// aligned writes s in the box (x, y, w, h), aligned by align.
func (p *pdfPage) aligned(font string, size float64, x, y, w, h float64, align int, s string) error {
	p.pdf.SetTextColor(0, 0, 0)
	if err := p.pdf.SetFont(font, "", size); err != nil {
		return err
	}
	p.pdf.SetXY(x, y)
	return p.pdf.CellWithOption(&gopdf.Rect{W: w, H: h}, s, gopdf.CellOption{Align: align})
}

// line writes one line of text at the left margin and moves down.
func (p *pdfPage) line(font string, size float64, s string) error {
	if err := p.text(font, size, margin, p.y, s); err != nil {
		return err
	}
	p.y += size * 0.3528 * 1.45 // points to millimetres, with leading
	return nil
}

func (p *pdfPage) heading(r gpsync.UptakeReport, period string) error {
	if err := p.line(fontBold, 18, "Online services uptake"); err != nil {
		return err
	}
	if err := p.line(fontBold, 12, fmt.Sprintf("%s (ODS code %s)", strings.TrimSpace(r.Practice), strings.TrimSpace(r.ODSCode))); err != nil {
		return err
	}
	made := ""
	if !r.Made.IsZero() {
		made = ". Figures made " + r.Made.In(london()).Format("2 January 2006 at 15:04")
	}
	if err := p.line(fontRegular, 10, "Period: "+period+made); err != nil {
		return err
	}
	p.y += 3
	return nil
}

// headline boxes the latest month's main figures.
func (p *pdfPage) headline(m gpsync.UptakeMonth) error {
	top := p.y
	p.y += 2.5
	x := margin + 3
	pct := EnabledPercent(m)
	meets := "below"
	if pct >= NationalCommitment {
		meets = "at or above"
	}
	lines := []struct {
		font string
		s    string
	}{
		{fontBold, MonthLabel(m.Month) + " at a glance"},
		{fontRegular, fmt.Sprintf("List size: %s patients", thousands(m.PatientListSize))},
		{fontBold, fmt.Sprintf("Patients enabled for online services: %s, %.1f%% of the list", thousands(m.TotalPatEnbld), pct)},
		{fontRegular, fmt.Sprintf("That is %s the national commitment of at least %.0f%% of the list.", meets, NationalCommitment)},
		{fontRegular, fmt.Sprintf("Appointments booked: %s at the kiosk, %s at reception, %s online",
			thousands(m.Booked["kiosk"]), thousands(m.Booked["reception"]), thousands(m.Booked["online"]))},
		{fontRegular, fmt.Sprintf("Self-service use: %s (%s appointment bookings and cancellations, %s repeat items ordered)",
			thousands(m.TotalUse), thousands(m.PatApptsUse), thousands(m.PatPrescUse))},
		{fontRegular, fmt.Sprintf("New registrations: %s; letters printed: %s; kiosk check-ins: %s; practice lessons: %s",
			thousands(m.NewPatEnbld), thousands(m.LettersPrinted), thousands(m.CheckIns), thousands(m.Lessons))},
	}
	for _, l := range lines {
		if err := p.text(l.font, 9.5, x, p.y, l.s); err != nil {
			return err
		}
		p.y += 4.7
	}
	p.y += 1.5
	p.pdf.SetLineWidth(0.4)
	p.pdf.SetStrokeColor(0, 0, 0)
	p.pdf.RectFromUpperLeftWithStyle(margin, top, contentW, p.y-top, "D")
	p.y += 5
	return nil
}

// plot draws a chart's frame: the title, the value axis's ticks and grid,
// and the category labels. It returns the plot area.
func (p *pdfPage) plot(title, unit string, a Axis, categories []string, height float64) (x, y, w, h float64, err error) {
	if err = p.text(fontBold, 11, margin, p.y, title); err != nil {
		return
	}
	p.y += 6
	x, y, w, h = margin+axisW, p.y+2, contentW-axisW, height
	p.pdf.SetLineWidth(0.15)
	for _, t := range a.Ticks {
		ty := y + h - a.Fraction(t)*h
		p.pdf.SetStrokeColor(170, 170, 170)
		p.pdf.Line(x, ty, x+w, ty)
		if err = p.aligned(fontRegular, 7, margin, ty-2, axisW-1.5, 4, gopdf.Right|gopdf.Middle, a.Label(t)+unit); err != nil {
			return
		}
	}
	p.pdf.SetStrokeColor(0, 0, 0)
	p.pdf.SetLineWidth(0.3)
	p.pdf.Line(x, y+h, x+w, y+h)
	p.pdf.Line(x, y, x, y+h)
	for i, c := range categories {
		cx := x + CategoryCentre(i, len(categories))*w
		if err = p.aligned(fontRegular, 7, cx-10, y+h+0.8, 20, 3.5, gopdf.Center|gopdf.Top, c); err != nil {
			return
		}
	}
	p.y = y + h + 6
	return
}

// swatch draws a rectangle in a channel's fill.
func (p *pdfPage) swatch(f fill, x, y, w, h float64) {
	p.pdf.SetStrokeColor(0, 0, 0)
	p.pdf.SetLineWidth(0.25)
	switch f {
	case fillSolid:
		p.pdf.SetFillColor(30, 30, 30)
		p.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "FD")
	case fillHollow:
		p.pdf.SetFillColor(255, 255, 255)
		p.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "FD")
	case fillStripes:
		p.pdf.SetFillColor(255, 255, 255)
		p.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "FD")
		p.pdf.SetLineWidth(0.35)
		for sy := y + h - 0.8; sy > y+0.3; sy -= 1.1 {
			p.pdf.Line(x, sy, x+w, sy)
		}
	}
}

func (p *pdfPage) bars(c BarChart) error {
	titleY := p.y
	x, y, w, h, err := p.plot("Appointments booked each month, by channel", "", c.Axis, c.Categories, 52)
	if err != nil {
		return err
	}
	// The legend, on the title's line at the right.
	lx := margin + contentW - 3*26
	for j, s := range c.Series {
		p.swatch(channelFill(j), lx, titleY+0.8, 5, 3.2)
		if err := p.text(fontRegular, 8.5, lx+6.5, titleY+0.6, s.Name); err != nil {
			return err
		}
		lx += 26
	}
	for _, b := range c.Bars() {
		bh := b.H * h
		if bh <= 0 {
			continue
		}
		p.swatch(channelFill(b.Series), x+b.X*w, y+h-bh, b.W*w, bh)
	}
	return nil
}

func (p *pdfPage) trend(c LineChart) error {
	x, y, w, h, err := p.plot("Patients enabled for online services, as a percentage of the list", "%", c.Axis, c.Categories, 38)
	if err != nil {
		return err
	}
	if c.Reference > 0 {
		ry := y + h - c.Axis.Fraction(c.Reference)*h
		p.pdf.SetLineWidth(0.4)
		p.pdf.SetCustomLineType([]float64{2, 1.2}, 0)
		p.pdf.Line(x, ry, x+w, ry)
		p.pdf.SetLineType("solid")
		if err := p.aligned(fontRegular, 7, x+w-60, ry-4, 60, 3.5, gopdf.Right|gopdf.Bottom,
			fmt.Sprintf("National commitment: at least %.0f%%", c.Reference)); err != nil {
			return err
		}
	}
	pts := c.Points()
	p.pdf.SetLineWidth(0.7)
	p.pdf.SetStrokeColor(0, 0, 0)
	for i := 1; i < len(pts); i++ {
		p.pdf.Line(x+pts[i-1].X*w, y+h-pts[i-1].Y*h, x+pts[i].X*w, y+h-pts[i].Y*h)
	}
	p.pdf.SetFillColor(0, 0, 0)
	for i, pt := range pts {
		px, py := x+pt.X*w, y+h-pt.Y*h
		p.pdf.RectFromUpperLeftWithStyle(px-0.9, py-0.9, 1.8, 1.8, "F")
		// A white ground keeps the label readable where it crosses the
		// dashed line or a grid line.
		label := fmt.Sprintf("%.1f%%", c.Values[i])
		if err := p.pdf.SetFont(fontRegular, "", 7); err != nil {
			return err
		}
		lw, err := p.pdf.MeasureTextWidth(label)
		if err != nil {
			return err
		}
		p.pdf.SetFillColor(255, 255, 255)
		p.pdf.RectFromUpperLeftWithStyle(px-lw/2-0.5, py-4.6, lw+1, 2.9, "F")
		p.pdf.SetFillColor(0, 0, 0)
		if err := p.aligned(fontRegular, 7, px-8, py-5, 16, 3.5, gopdf.Center|gopdf.Bottom, label); err != nil {
			return err
		}
	}
	return nil
}

// table gives the numbers behind the charts, a row a month.
func (p *pdfPage) table(months []gpsync.UptakeMonth) error {
	if err := p.text(fontBold, 11, margin, p.y, "The figures"); err != nil {
		return err
	}
	p.y += 6
	cols := []struct {
		head string
		w    float64
		get  func(m gpsync.UptakeMonth) string
	}{
		{"Month", 19, func(m gpsync.UptakeMonth) string { return MonthLabel(m.Month) }},
		{"List size", 16, func(m gpsync.UptakeMonth) string { return thousands(m.PatientListSize) }},
		{"Enabled", 14, func(m gpsync.UptakeMonth) string { return thousands(m.TotalPatEnbld) }},
		{"% of list", 15, func(m gpsync.UptakeMonth) string { return fmt.Sprintf("%.1f%%", EnabledPercent(m)) }},
		{"New", 10, func(m gpsync.UptakeMonth) string { return thousands(m.NewPatEnbld) }},
		{"Kiosk", 13, func(m gpsync.UptakeMonth) string { return thousands(m.Booked["kiosk"]) }},
		{"Reception", 17, func(m gpsync.UptakeMonth) string { return thousands(m.Booked["reception"]) }},
		{"Online", 14, func(m gpsync.UptakeMonth) string { return thousands(m.Booked["online"]) }},
		{"Repeat items", 19, func(m gpsync.UptakeMonth) string { return thousands(m.PatPrescUse) }},
		{"Total use", 15, func(m gpsync.UptakeMonth) string { return thousands(m.TotalUse) }},
		{"Check-ins", 15, func(m gpsync.UptakeMonth) string { return thousands(m.CheckIns) }},
		{"Lessons", 13, func(m gpsync.UptakeMonth) string { return thousands(m.Lessons) }},
	}
	const rowH = 4.4
	row := func(font string, cells func(i int) string) error {
		x := margin
		for i, c := range cols {
			align := gopdf.Right | gopdf.Middle
			if i == 0 {
				align = gopdf.Left | gopdf.Middle
			}
			if err := p.aligned(font, 7.5, x, p.y, c.w-1, rowH, align, cells(i)); err != nil {
				return err
			}
			x += c.w
		}
		p.y += rowH
		return nil
	}
	if err := row(fontBold, func(i int) string { return cols[i].head }); err != nil {
		return err
	}
	p.pdf.SetLineWidth(0.3)
	p.pdf.Line(margin, p.y, margin+contentW, p.y)
	for _, m := range months {
		if err := row(fontRegular, func(i int) string { return cols[i].get(m) }); err != nil {
			return err
		}
	}
	p.pdf.Line(margin, p.y, margin+contentW, p.y)
	p.y += 3
	return p.text(fontRegular, 7, margin, p.y,
		"Kiosk, Reception and Online: appointments booked. Repeat items: items patients ordered themselves. Total use: POMI's Total_Use.")
}

// thousands writes n with commas: 30,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// london is where the practice's clocks are; a missing zone falls back to
// UTC rather than failing a report over a label.
func london() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}
