package manager_test

import (
	"context"
	"image/png"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	gpsync "gpkiosk/sync"
	"gpkiosk/ui/manager"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
	"gpkiosk/ui/widgets"
)

// frame is the desk's frame as the screens see it: a scrolling body and
// a footer that stays in view.
type frame struct {
	body   *fyne.Container
	foot   *fyne.Container
	scroll *container.Scroll
	all    fyne.CanvasObject
	shows  int // screens shown
	// scrolledTo is what the screen last asked to bring into view.
	scrolledTo fyne.CanvasObject
}

func newFrame() *frame {
	f := &frame{body: container.NewStack(), foot: container.NewVBox()}
	f.scroll = container.NewVScroll(f.body)
	f.all = container.NewBorder(nil, f.foot, nil, nil, f.scroll)
	return f
}

func (f *frame) Show(body, footer fyne.CanvasObject) {
	f.shows++
	f.body.Objects = []fyne.CanvasObject{body}
	f.body.Refresh()
	f.foot.Objects = nil
	if footer != nil {
		f.foot.Objects = []fyne.CanvasObject{widget.NewSeparator(), footer}
	}
	f.foot.Refresh()
	f.scroll.ScrollToTop()
	f.Relayout()
}
func (f *frame) Relayout()              { f.all.Refresh() }
func (f *frame) Touch()                 {}
func (f *frame) Focus(o fyne.Focusable) {}
func (f *frame) ScrollTo(o fyne.CanvasObject) {
	f.scrolledTo = o
	widgets.ScrollToShow(f.scroll, o)
}

// harness is the manager's screens in a headless 1366x768 window over the
// in-memory server.
type harness struct {
	t       *testing.T
	svc     *memService
	s       *manager.Screens
	f       *frame
	w       fyne.Window
	sw      *uitheme.Switcher
	ui      chan func()
	saveDir string
	now     time.Time
	csv     []string // months MonthCSV was asked for
	pdfs    int
}

var deskSize = fyne.NewSize(1366, 768)

func newHarness(t *testing.T, fields ...manager.Field) *harness {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, ui: make(chan func(), 64), saveDir: t.TempDir(), now: time.Date(2026, time.June, 8, 9, 0, 0, 0, loc)}
	h.svc = newMemService(func() time.Time { return h.now })
	a := test.NewTempApp(t)
	h.sw = uitheme.NewSwitcher(a, uitheme.Settings{})
	h.f = newFrame()
	h.s = manager.New(context.Background(), manager.Config{Service: h.svc,
		Frame: h.f, Clock: func() time.Time { return h.now },
		Location: loc, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Do: func(f func()) { h.ui <- f }, SaveDir: h.saveDir,
		MonthCSV: func(w io.Writer, practice, ods string, m gpsync.UptakeMonth) error {
			h.csv = append(h.csv, m.Month)
			_, err := io.WriteString(w, "Month,Pat_Appts_Enbld\n"+m.Month+","+strconv.Itoa(m.PatApptsEnbld)+"\n")
			return err
		},
		ReportPDF: func(r gpsync.UptakeReport) ([]byte, error) {
			h.pdfs++
			return []byte("%PDF-1.4\n"), nil
		},
		Fields: fields})
	h.w = test.NewTempWindow(t, h.f.all)
	h.w.Resize(deskSize)
	return h
}

// walk visits every visible object on screen, in order.
func (h *harness) walk(visit func(fyne.CanvasObject) bool) {
	var rec func(o fyne.CanvasObject) bool
	rec = func(o fyne.CanvasObject) bool {
		if o == nil || !o.Visible() {
			return true
		}
		if !visit(o) {
			return false
		}
		switch w := o.(type) {
		case *fyne.Container:
			for _, c := range w.Objects {
				if !rec(c) {
					return false
				}
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				if !rec(c) {
					return false
				}
			}
		}
		return true
	}
	rec(h.f.all)
}

func (h *harness) texts() []string {
	var out []string
	h.walk(func(o fyne.CanvasObject) bool {
		if b := asButton(o); b != nil {
			out = append(out, b.Text)
		}
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Entry:
			out = append(out, w.Text)
		}
		return true
	})
	return out
}

func (h *harness) has(s string) bool {
	return slices.ContainsFunc(h.texts(), func(t string) bool { return strings.Contains(t, s) })
}

// waitFor runs the screens' background results, as the UI goroutine
// would, until s is on screen.
func (h *harness) waitFor(s string) {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for !h.has(s) {
		select {
		case f := <-h.ui:
			f()
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			h.t.Fatalf("timed out waiting for %q; screen shows %q", s, h.texts())
		}
	}
}

// settle runs background results until none come for a moment.
func (h *harness) settle() {
	for {
		select {
		case f := <-h.ui:
			f()
		case <-time.After(50 * time.Millisecond):
			return
		}
	}
}

func find[T fyne.CanvasObject](h *harness, what string, match func(T) bool) T {
	h.t.Helper()
	var found T
	ok := false
	h.walk(func(o fyne.CanvasObject) bool {
		if x, is := o.(T); is && match(x) {
			found, ok = x, true
			return false
		}
		return true
	})
	if !ok {
		h.t.Fatalf("no %s on screen; it shows %q", what, h.texts())
	}
	return found
}

// asButton is o as a button: a widget.Button, or the desk's button that
// Enter presses too, which embeds one.
func asButton(o fyne.CanvasObject) *widget.Button {
	if b, ok := o.(*widget.Button); ok {
		return b
	}
	v := reflect.ValueOf(o)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName("Button")
	if !f.IsValid() || f.Type() != reflect.TypeFor[widget.Button]() {
		return nil
	}
	return f.Addr().Interface().(*widget.Button)
}

// button finds a button by the start of its label.
func (h *harness) button(label string) *widget.Button {
	h.t.Helper()
	var found *widget.Button
	h.walk(func(o fyne.CanvasObject) bool {
		if b := asButton(o); b != nil && strings.HasPrefix(b.Text, label) {
			found = b
			return false
		}
		return true
	})
	if found == nil {
		h.t.Fatalf("no button %q; screen shows %q", label, h.texts())
	}
	return found
}

func (h *harness) tap(label string) {
	h.t.Helper()
	b := h.button(label)
	if b.Disabled() {
		h.t.Fatalf("button %q is greyed out", label)
	}
	test.Tap(b)
}

// entryAfter is the first entry after the label that starts with label.
func (h *harness) entryAfter(label string) *widget.Entry {
	h.t.Helper()
	seen := false
	var found *widget.Entry
	h.walk(func(o fyne.CanvasObject) bool {
		switch w := o.(type) {
		case *widget.Label:
			if strings.HasPrefix(w.Text, label) {
				seen = true
			}
		case *widget.Entry:
			if seen {
				found = w
				return false
			}
		}
		return true
	})
	if found == nil {
		h.t.Fatalf("no entry after %q; screen shows %q", label, h.texts())
	}
	return found
}

// problemAfter is the first refusal shown after the label that starts
// with label: the one beside its field.
func (h *harness) problemAfter(label string) string {
	h.t.Helper()
	seen := false
	var said string
	h.walk(func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok {
			if !seen && strings.HasPrefix(l.Text, label) {
				seen = true
			} else if seen && l.Importance == widget.DangerImportance && l.Text != "" {
				said = l.Text
				return false
			}
		}
		return true
	})
	return said
}

func (h *harness) typeAfter(label, s string) {
	h.t.Helper()
	h.entryAfter(label).SetText(s)
}

func (h *harness) typeInto(placeholder, s string) {
	h.t.Helper()
	find(h, "entry "+placeholder, func(e *widget.Entry) bool { return e.PlaceHolder == placeholder }).SetText(s)
}

func (h *harness) choose(option string) {
	h.t.Helper()
	find(h, "choice "+option, func(r *widget.RadioGroup) bool { return slices.Contains(r.Options, option) }).SetSelected(option)
}

// shot saves the window as name.png in $MANAGER_SHOTS, if set, for a
// person to look at.
func (h *harness) shot(name string) {
	h.t.Helper()
	dir := os.Getenv("MANAGER_SHOTS")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		h.t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, h.w.Canvas().Capture()); err != nil {
		h.t.Fatal(err)
	}
}

func txt(k text.Key, args ...any) string { return text.T(k, args...) }

// images are the raster images on screen.
func (h *harness) images() []*canvas.Image {
	var out []*canvas.Image
	h.walk(func(o fyne.CanvasObject) bool {
		if i, ok := o.(*canvas.Image); ok {
			out = append(out, i)
		}
		return true
	})
	return out
}
