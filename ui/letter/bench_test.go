package letter_test

import (
	"testing"

	"fyne.io/fyne/v2/theme"
	"github.com/signintech/gopdf"

	"gpkiosk/ui/letter"
)

// BenchmarkRenderLetter measures a whole letter against a baseline in the
// same run: one A4 page with gopdf and the same embedded font holding one
// word, the least a letter could cost. Quote the ratio, not the times.
func BenchmarkRenderLetter(b *testing.B) {
	b.Run("letter", func(b *testing.B) {
		d := sample()
		var size int
		for b.Loop() {
			pdf, err := letter.Render(d)
			if err != nil {
				b.Fatal(err)
			}
			size = len(pdf)
		}
		b.ReportMetric(float64(size), "pdf-bytes")
	})
	b.Run("baseline-one-word-page", func(b *testing.B) {
		font := theme.DefaultTextFont().Content()
		var size int
		for b.Loop() {
			pdf := &gopdf.GoPdf{}
			pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitMM})
			if err := pdf.AddTTFFontData("text", font); err != nil {
				b.Fatal(err)
			}
			pdf.AddPage()
			if err := pdf.SetFont("text", "", 12); err != nil {
				b.Fatal(err)
			}
			pdf.SetXY(20, 20)
			if err := pdf.Cell(nil, "Dear"); err != nil {
				b.Fatal(err)
			}
			out, err := pdf.GetBytesPdfReturnErr()
			if err != nil {
				b.Fatal(err)
			}
			size = len(out)
		}
		b.ReportMetric(float64(size), "pdf-bytes")
	})
}
