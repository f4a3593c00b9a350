package practice

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"gpkiosk/store/replica"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
	"gpkiosk/ui/widgets"
)

// benchConfig is practice mode as gpkiosk --practice opens it: the real
// clock, no printer, timers' UI changes dropped (nothing waits for them).
func benchConfig(app fyne.App, dir string) Config {
	return Config{Dir: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Display: uitheme.NewSwitcher(app, uitheme.Settings{}), Do: func(func()) {}}
}

// usable reports whether the helper's view is laid out in its window:
// its "Start the lessons" button has a size a finger can press.
func usable(o fyne.CanvasObject) bool {
	ok := false
	widgets.Walk(o, func(o fyne.CanvasObject, _ fyne.Position) bool {
		if bt, isButton := o.(*widgets.Button); isButton && bt.Text == text.T(text.HelperStart) {
			ok = bt.Size().Width > 0 && bt.Size().Height > 0
		}
		return !ok
	})
	return ok
}

// BenchmarkPracticeStart is the time from practice.Open to a usable first
// screen (the helper's view laid out in a window), and of a reset,
// against opening an existing kiosk replica in the same run. Target:
// under 300 ms to a usable first screen.
func BenchmarkPracticeStart(b *testing.B) {
	ctx := context.Background()
	b.Run("baseline-open-replica", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "device.db")
		r, err := replica.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		r.Close()
		for b.Loop() {
			r, err := replica.Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			r.Close()
		}
	})
	b.Run("practice-open", func(b *testing.B) {
		app := test.NewTempApp(b)
		app.Settings().SetTheme(uitheme.New())
		dir := b.TempDir()
		for b.Loop() {
			s, err := Open(ctx, benchConfig(app, dir))
			if err != nil {
				b.Fatal(err)
			}
			w := test.NewWindow(s.Content())
			w.Resize(fyne.NewSize(1024, 1400))
			if !usable(s.Content()) {
				b.Fatal("the helper's view is not laid out")
			}
			b.StopTimer()
			w.Close()
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	})
	b.Run("practice-reset", func(b *testing.B) {
		app := test.NewTempApp(b)
		app.Settings().SetTheme(uitheme.New())
		s, err := Open(ctx, benchConfig(app, b.TempDir()))
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		w := test.NewTempWindow(b, s.Content())
		w.Resize(fyne.NewSize(1024, 1400))
		for b.Loop() {
			s.Reset()
		}
	})
}
