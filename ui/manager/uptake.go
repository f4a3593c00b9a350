package manager

import (
	"bytes"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	gpsync "gpkiosk/sync"
	"gpkiosk/ui/report"
	"gpkiosk/ui/text"
)

// channelColors are the channels' colours in the charts, in
// report.Channels' order: distinct in both themes.
func channelColors() []fyne.ThemeColorName {
	return []fyne.ThemeColorName{theme.ColorNamePrimary, theme.ColorNameSuccess, theme.ColorNameError}
}

// monthLabel is a month as an axis or column says it: Jun 26.
func monthLabel(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("Jan 06")
}

// figure is one row of the table: its name and its value each month.
type figure struct {
	name  string
	value func(gpsync.UptakeMonth) string
}

func count(f func(gpsync.UptakeMonth) int) func(gpsync.UptakeMonth) string {
	return func(m gpsync.UptakeMonth) string { return thousands(int64(f(m))) }
}

// figures are every figure the report has, in the table's order.
func figures(r gpsync.UptakeReport) []figure {
	fs := []figure{
		{text.T(text.ManageFigListSize), count(func(m gpsync.UptakeMonth) int { return m.PatientListSize })},
		{text.T(text.ManageFigApptsEnabled), count(func(m gpsync.UptakeMonth) int { return m.PatApptsEnbld })},
		{text.T(text.ManageFigPrescEnabled), count(func(m gpsync.UptakeMonth) int { return m.PatPrescEnbld })},
		{text.T(text.ManageFigRecordEnabled), count(func(m gpsync.UptakeMonth) int { return m.PatDetCodeRecEnbld })},
		{text.T(text.ManageFigAnyEnabled), count(func(m gpsync.UptakeMonth) int { return m.TotalPatEnbld })},
		{text.T(text.ManageFigPercent), func(m gpsync.UptakeMonth) string {
			return strconv.FormatFloat(report.EnabledPercent(m), 'f', 1, 64) + "%"
		}},
		{text.T(text.ManageFigNewEnabled), count(func(m gpsync.UptakeMonth) int { return m.NewPatEnbld })},
	}
	var methods []string
	for _, m := range r.Months {
		for k := range m.NewByVerification {
			if !slices.Contains(methods, k) {
				methods = append(methods, k)
			}
		}
	}
	slices.Sort(methods)
	for _, k := range methods {
		fs = append(fs, figure{text.T(text.ManageFigNewBy, text.VerificationMethod(k)), count(func(m gpsync.UptakeMonth) int { return m.NewByVerification[k] })})
	}
	fs = append(fs, figure{text.T(text.ManageFigLetters), count(func(m gpsync.UptakeMonth) int { return m.LettersPrinted })})
	for _, by := range []struct {
		key text.Key
		at  func(gpsync.UptakeMonth) map[string]int
	}{
		{text.ManageFigBooked, func(m gpsync.UptakeMonth) map[string]int { return m.Booked }},
		{text.ManageFigCancelled, func(m gpsync.UptakeMonth) map[string]int { return m.Cancelled }},
		{text.ManageFigRepeats, func(m gpsync.UptakeMonth) map[string]int { return m.RepeatsOrdered }},
	} {
		for _, ch := range report.Channels() {
			fs = append(fs, figure{text.T(by.key, report.ChannelName(ch)), count(func(m gpsync.UptakeMonth) int { return by.at(m)[ch] })})
		}
	}
	return append(fs,
		figure{text.T(text.ManageFigCheckIns), count(func(m gpsync.UptakeMonth) int { return m.CheckIns })},
		figure{text.T(text.ManageFigLessons), count(func(m gpsync.UptakeMonth) int { return m.Lessons })},
		figure{text.T(text.ManageFigTotalUse), count(func(m gpsync.UptakeMonth) int { return m.TotalUse })},
	)
}

// monthsPerTable keeps the table readable at A++ on a 1366 wide screen:
// a year is two tables of six months.
const monthsPerTable = 6

// figureTables are every figure by month, as tables of labels.
func figureTables(r gpsync.UptakeReport) []fyne.CanvasObject {
	fs := figures(r)
	var out []fyne.CanvasObject
	for start := 0; start < len(r.Months); start += monthsPerTable {
		months := r.Months[start:min(start+monthsPerTable, len(r.Months))]
		weights := []float32{2.5}
		for range months {
			weights = append(weights, 1)
		}
		t := container.New(&table{weights: weights}, bold(text.T(text.ManageFigure)))
		for _, m := range months {
			l := bold(monthLabel(m.Month))
			l.Alignment = fyne.TextAlignTrailing
			t.Add(l)
		}
		for _, f := range fs {
			t.Add(para(f.name))
			for _, m := range months {
				l := para(f.value(m))
				l.Alignment = fyne.TextAlignTrailing
				l.Wrapping = fyne.TextWrapOff // a number split over two lines misreads
				t.Add(l)
			}
		}
		out = append(out, t)
	}
	return out
}

// byChannel is a chart's series: one per channel.
func byChannel(r gpsync.UptakeReport, at func(gpsync.UptakeMonth) map[string]int) []series {
	var ss []series
	for i, ch := range report.Channels() {
		s := series{name: report.ChannelName(ch), color: channelColors()[i]}
		for _, m := range r.Months {
			s.values = append(s.values, float64(at(m)[ch]))
		}
		ss = append(ss, s)
	}
	return ss
}

// ShowUptake opens the uptake figures for the last twelve months.
func (s *Screens) ShowUptake() { s.showUptake(12) }

func (s *Screens) showUptake(months int) {
	sc := s.open(text.ManageUptakeTitle)
	now := s.cfg.Clock().In(s.cfg.Location)
	to := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, s.cfg.Location)
	from := to.AddDate(0, -(months - 1), 0)
	s.async(func() func() {
		r, f, err := s.cfg.Service.Uptake(s.ctx, from.Format("2006-01"), to.Format("2006-01"))
		return func() { s.uptakeScreen(sc, months, r, f, err) }
	})
}

func (s *Screens) uptakeScreen(sc *screen, months int, r gpsync.UptakeReport, f Freshness, err error) {
	six, twelve := text.T(text.ManageLast6), text.T(text.ManageLast12)
	span := widget.NewRadioGroup([]string{six, twelve}, nil)
	span.Horizontal = true
	span.SetSelected(twelve)
	if months == 6 {
		span.SetSelected(six)
	}
	span.OnChanged = func(v string) {
		if v == six {
			s.showUptake(6)
		} else if v == twelve {
			s.showUptake(12)
		}
	}
	body := []fyne.CanvasObject{heading(text.T(text.ManageUptakeTitle)), span}
	if err != nil {
		sc.set(append(body, message(s.plain(err), widget.DangerImportance)), nil)
		return
	}
	if l := s.stale(f); l != nil {
		body = append(body, l)
	}
	if len(r.Months) == 0 {
		sc.set(append(body, para(text.T(text.ManageUptakeNone))), nil)
		return
	}
	var labels []string
	percent := series{name: text.T(text.ManageFigPercent), color: theme.ColorNamePrimary}
	for _, m := range r.Months {
		labels = append(labels, monthLabel(m.Month))
		percent.values = append(percent.values, report.EnabledPercent(m))
	}
	chartBox := func(title text.Key, c *chart) fyne.CanvasObject {
		return container.NewVBox(bold(text.T(title)), c)
	}
	body = append(body,
		container.New(&columns{minWidth: 22},
			chartBox(text.ManageChartBookings, newChart(labels, byChannel(r, func(m gpsync.UptakeMonth) map[string]int { return m.Booked }), false, "")),
			chartBox(text.ManageChartRepeats, newChart(labels, byChannel(r, func(m gpsync.UptakeMonth) map[string]int { return m.RepeatsOrdered }), false, "")),
			chartBox(text.ManageChartEnabled, newChart(labels, []series{percent}, true, "%").
				withReference(report.NationalCommitment, text.T(text.ManageCommitment, report.Axis{}.Label(report.NationalCommitment)+"%")))),
		widget.NewSeparator(), heading(text.T(text.ManageFiguresTitle)))
	body = append(body, figureTables(r)...)

	msg := message("", widget.SuccessImportance)
	var foot []fyne.CanvasObject
	var row []fyne.CanvasObject
	if s.cfg.MonthCSV != nil {
		var names []string
		for _, m := range r.Months {
			names = append(names, monthLabel(m.Month))
		}
		month := widget.NewSelect(names, nil)
		month.SetSelectedIndex(len(names) - 1)
		var csv *button
		csv = newButton(text.T(text.ManageSaveMonthCSV), func() {
			m := r.Months[max(month.SelectedIndex(), 0)]
			s.saveWith(msg, csv, filepath.Join(s.saveDir(), "uptake-"+m.Month+".csv"),
				func(w io.Writer) error { return s.cfg.MonthCSV(w, r.Practice, r.ODSCode, m) })
		})
		row = append(row, month, csv)
	}
	if s.cfg.ReportPDF != nil {
		var pdf *button
		pdf = newButton(text.T(text.ManageSavePDF), func() {
			first, last := r.Months[0].Month, r.Months[len(r.Months)-1].Month
			s.saveWith(msg, pdf, filepath.Join(s.saveDir(), "uptake-"+first+"-to-"+last+".pdf"),
				func(w io.Writer) error {
					pdf, err := s.cfg.ReportPDF(r)
					if err != nil {
						return err
					}
					_, err = w.Write(pdf)
					return err
				})
		})
		row = append(row, pdf)
	}
	if len(row) > 0 {
		foot = []fyne.CanvasObject{msg, container.NewHBox(row...)}
	}
	sc.set(body, foot)
}

// saveWith writes a file with write, off the UI goroutine, and says where
// it went or why it did not.
func (s *Screens) saveWith(msg *widget.Label, b *button, path string, write func(io.Writer) error) {
	s.cfg.Frame.Touch()
	b.Disable()
	say(msg, text.T(text.ManageSaving), widget.MediumImportance)
	s.async(func() func() {
		var buf bytes.Buffer
		said, ok := s.saveIf(write(&buf), path, buf.Bytes())
		return func() {
			b.Enable()
			s.saidSaved(msg, said, ok)
		}
	})
}

// saveIf saves data to path unless making it failed with err, and says
// what happened.
func (s *Screens) saveIf(err error, path string, data []byte) (said string, ok bool) {
	if err != nil {
		return s.plain(err), false
	}
	return s.saveFile(path, data)
}

// saidSaved shows in msg what saving did.
func (s *Screens) saidSaved(msg *widget.Label, said string, ok bool) {
	imp := widget.SuccessImportance
	if !ok {
		imp = widget.DangerImportance
	}
	say(msg, said, imp)
	s.cfg.Frame.Relayout()
}
