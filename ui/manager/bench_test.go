package manager_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"gpkiosk/ui/manager"
	uitheme "gpkiosk/ui/theme"
)

// BenchmarkUptakeDashboardDraw draws the uptake dashboard for 12 months
// (three charts and the table of every figure) in a 1366x768 window,
// against a baseline in the same run: drawing the same window with the
// screen's frame empty. The figures come from memory, so this is the
// drawing alone; store.BenchmarkUptakeYear measures computing them for a
// 30,000-patient practice. Together the target is under 500 ms.
func BenchmarkUptakeDashboardDraw(b *testing.B) {
	a := test.NewTempApp(b)
	a.Settings().SetTheme(uitheme.New())
	now := time.Date(2026, time.June, 8, 9, 0, 0, 0, time.UTC)
	svc := newMemService(func() time.Time { return now })
	svc.Report = uptakeReport()
	ui := make(chan func(), 8)
	f := newFrame()
	s := manager.New(context.Background(), manager.Config{Service: svc, Frame: f, Clock: func() time.Time { return now },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Do: func(fn func()) { ui <- fn }})
	w := test.NewTempWindow(b, f.all)
	w.Resize(deskSize)

	b.Run("baseline=empty-frame", func(b *testing.B) {
		for b.Loop() {
			f.Show(container.NewStack(), nil)
			if img := w.Canvas().Capture(); img.Bounds().Dx() == 0 {
				b.Fatal("nothing drawn")
			}
		}
	})
	b.Run("dashboard=12-months", func(b *testing.B) {
		for b.Loop() {
			s.ShowUptake()
			(<-ui)() // the figures arrive: the charts and table are built
			if img := w.Canvas().Capture(); img.Bounds().Dx() == 0 {
				b.Fatal("nothing drawn")
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	})
}
