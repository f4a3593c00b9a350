package manager

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	uitheme "gpkiosk/ui/theme"
)

// Bars stand in proportion to their figures on a round-numbered axis, in
// their series' theme colours, each month labelled; the trend line joins
// its points on an axis just above its highest figure, with the national
// commitment drawn across at its level. Switching theme recolours it.
func TestChartDrawsTheFigures(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(uitheme.New())
	c := newChart([]string{"Jan 26", "Feb 26", "Mar 26"},
		[]series{{name: "kiosk", values: []float64{10, 20, 40}, color: theme.ColorNamePrimary},
			{name: "online", values: []float64{0, 5, 30}, color: theme.ColorNameSuccess}}, false, "")
	w := test.NewTempWindow(t, c)
	w.Resize(fyne.NewSize(800, 400))
	r := test.WidgetRenderer(c).(*chartRenderer)
	var got []string
	for _, l := range r.yLabels {
		got = append(got, l.Text)
	}
	if strings.Join(got, " ") != "0 10 20 30 40" {
		t.Errorf("y axis %q, want 0 to 40 in tens", got)
	}
	k := r.bars[0]
	if h0, h1, h2 := k[0].Size().Height, k[1].Size().Height, k[2].Size().Height; h0 <= 0 || h1 < 1.99*h0 || h1 > 2.01*h0 || h2 < 3.99*h0 || h2 > 4.01*h0 {
		t.Errorf("kiosk bars %v, %v, %v: not as 10, 20, 40", h0, h1, h2)
	}
	if r.bars[1][0].Size().Height > 0.5 {
		t.Errorf("a bar for nothing is %v tall", r.bars[1][0].Size().Height)
	}
	for i, l := range r.xLabels {
		if l.Position().X < r.axes[0].Position1.X-1 {
			t.Errorf("month %d's label left of the axis", i)
		}
	}
	if k[0].FillColor != theme.Color(theme.ColorNamePrimary) || r.bars[1][2].FillColor != theme.Color(theme.ColorNameSuccess) {
		t.Error("bars not in their series' colours")
	}
	a.Settings().SetTheme(uitheme.NewWith(uitheme.Settings{HighContrast: true}))
	c.Refresh()
	if k[0].FillColor != theme.Color(theme.ColorNamePrimary) || r.yLabels[0].Color != theme.Color(theme.ColorNameForeground) {
		t.Error("the chart kept the old theme's colours")
	}

	line := newChart([]string{"Jan 26", "Feb 26"}, []series{{name: "%", values: []float64{12, 16}, color: theme.ColorNamePrimary}}, true, "%").
		withReference(10, "National commitment: 10%")
	w.SetContent(line)
	w.Resize(fyne.NewSize(800, 400))
	lr := test.WidgetRenderer(line).(*chartRenderer)
	if top := lr.yLabels[len(lr.yLabels)-1].Text; top != "20%" {
		t.Errorf("trend axis to %q, want 20%% (the round number above 16%%)", top)
	}
	bottom, top := lr.axes[0].Position2.Y, lr.axes[0].Position1.Y
	if y := lr.ref.Position1.Y; y < bottom-(bottom-top)*0.51 || y > bottom-(bottom-top)*0.49 || lr.refText.Text != "National commitment: 10%" {
		t.Errorf("the 10%% line at %v between %v and %v, named %q", y, top, bottom, lr.refText.Text)
	}
	if lr.points[0][0].Position().Y > lr.ref.Position1.Y {
		t.Error("12% drawn below the 10% line")
	}
	seg, p0, p1 := lr.lines[0][0], lr.points[0][0], lr.points[0][1]
	if p1.Position().Y >= p0.Position().Y {
		t.Error("40% drawn no higher than 20%")
	}
	if seg.Position1.Y <= seg.Position2.Y {
		t.Error("the line does not rise from 20% to 40%")
	}
}
