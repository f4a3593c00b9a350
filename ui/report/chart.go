package report

import (
	"fmt"
	"math"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/text"
)

// The charts' geometry, in unit coordinates (0 to 1 across the plot, 0 at
// the bottom to 1 at the top), so the PDF and the desk's Fyne dashboard
// draw the same charts from the same numbers.

// Axis is a value axis from 0 to Max with evenly spaced ticks at round
// numbers.
type Axis struct {
	Max   float64
	Step  float64
	Ticks []float64 // 0, Step, 2*Step, ..., Max
}

// NiceAxis is an axis from 0 that reaches at least top, with at most
// maxTicks+1 ticks at steps of 1, 2 or 5 (and 2.5 unless whole is set)
// times a power of ten. whole keeps steps to whole numbers, for counts.
func NiceAxis(top float64, maxTicks int, whole bool) Axis {
	if maxTicks < 1 {
		maxTicks = 1
	}
	if top <= 0 || math.IsNaN(top) || math.IsInf(top, 0) {
		top = 1
	}
	step := NiceStep(top/float64(maxTicks), whole)
	n := int(math.Ceil(top/step - 1e-9))
	a := Axis{Max: float64(n) * step, Step: step}
	for i := 0; i <= n; i++ {
		a.Ticks = append(a.Ticks, float64(i)*step)
	}
	return a
}

// NiceStep is the smallest of 1, 2, 2.5, 5 times a power of ten that is at
// least rough (whole numbers only, and no 2.5, when whole is set).
func NiceStep(rough float64, whole bool) float64 {
	if rough <= 0 {
		return 1
	}
	pow := math.Pow(10, math.Floor(math.Log10(rough)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		step := m * pow
		if whole && (step < 1 || m == 2.5) {
			continue
		}
		if step >= rough*(1-1e-9) {
			return step
		}
	}
	return 10 * pow
}

// Fraction is where v sits on the axis, 0 at the bottom and 1 at the top.
func (a Axis) Fraction(v float64) float64 {
	if a.Max <= 0 {
		return 0
	}
	return math.Max(0, math.Min(1, v/a.Max))
}

// Label writes a tick's value: whole numbers plainly, others to one place.
func (a Axis) Label(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

// Series is one named row of values, one per category.
type Series struct {
	Name   string
	Values []float64
}

// BarChart is grouped bars: for each category (a month) one bar per
// series (a channel), side by side.
type BarChart struct {
	Categories []string
	Series     []Series
	Axis       Axis
}

// Bar is one bar's place: X and W across the plot, H up it (all 0 to 1).
type Bar struct {
	Category, Series int
	X, W, H          float64
	Value            float64
}

// NewBarChart scales an axis to the largest value.
func NewBarChart(categories []string, series []Series) BarChart {
	top := 0.0
	for _, s := range series {
		for _, v := range s.Values {
			top = math.Max(top, v)
		}
	}
	return BarChart{Categories: categories, Series: series, Axis: NiceAxis(top, 5, true)}
}

// groupGap is the share of each category's width left empty between
// groups, so each month's bars read as one group.
const groupGap = 0.3

// Bars lays the bars out, category by category.
func (c BarChart) Bars() []Bar {
	if len(c.Categories) == 0 || len(c.Series) == 0 {
		return nil
	}
	slot := 1 / float64(len(c.Categories))
	w := slot * (1 - groupGap) / float64(len(c.Series))
	var out []Bar
	for i := range c.Categories {
		left := float64(i)*slot + slot*groupGap/2
		for j, s := range c.Series {
			v := 0.0
			if i < len(s.Values) {
				v = s.Values[i]
			}
			out = append(out, Bar{Category: i, Series: j, X: left + float64(j)*w, W: w, H: c.Axis.Fraction(v), Value: v})
		}
	}
	return out
}

// CategoryCentre is the middle of category i across the plot.
func CategoryCentre(i, n int) float64 {
	if n <= 0 {
		return 0.5
	}
	return (float64(i) + 0.5) / float64(n)
}

// LineChart is one value per category joined by a line, with a reference
// level (the national commitment).
type LineChart struct {
	Categories []string
	Values     []float64
	Reference  float64 // 0: none
	Axis       Axis
}

// Point is a point on the plot (0 to 1 both ways).
type Point struct{ X, Y float64 }

// Points places the values at their categories' centres.
func (c LineChart) Points() []Point {
	out := make([]Point, len(c.Values))
	for i, v := range c.Values {
		out[i] = Point{X: CategoryCentre(i, len(c.Values)), Y: c.Axis.Fraction(v)}
	}
	return out
}

// Channels are the booking channels in the order every chart and table
// shows them (store.Channels).
func Channels() []string {
	var out []string
	for _, c := range store.Channels() {
		out = append(out, string(c))
	}
	return out
}

// ChannelName is a channel as staff say it, in the desk's words.
func ChannelName(ch string) string {
	switch store.Channel(ch) {
	case store.ChannelKiosk:
		return text.T(text.ChannelKiosk)
	case store.ChannelReception:
		return text.T(text.ChannelReception)
	case store.ChannelOnline:
		return text.T(text.ChannelOnline)
	}
	return ch
}

// MonthLabel is "Mar 2026" for "2026-03" (the string itself if it is not
// a month).
func MonthLabel(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("Jan 2006")
}

// BookingsByChannel is the bar chart of appointments booked in each
// month, by channel.
func BookingsByChannel(months []gpsync.UptakeMonth) BarChart {
	cats := make([]string, len(months))
	series := make([]Series, len(Channels()))
	for j, ch := range Channels() {
		series[j] = Series{Name: ChannelName(ch), Values: make([]float64, len(months))}
	}
	for i, m := range months {
		cats[i] = MonthLabel(m.Month)
		for j, ch := range Channels() {
			series[j].Values[i] = float64(m.Booked[ch])
		}
	}
	return NewBarChart(cats, series)
}

// NationalCommitment is the share of the list the national commitment
// wanted enabled for online services, in per cent.
const NationalCommitment = 10.0

// EnabledPercent is Total_Pat_Enbld as a percentage of the list (0 for an
// empty list).
func EnabledPercent(m gpsync.UptakeMonth) float64 {
	if m.PatientListSize <= 0 {
		return 0
	}
	return 100 * float64(m.TotalPatEnbld) / float64(m.PatientListSize)
}

// EnabledTrend is the line of Total_Pat_Enbld as a percentage of the list,
// month by month, against the national commitment.
func EnabledTrend(months []gpsync.UptakeMonth) LineChart {
	c := LineChart{Categories: make([]string, len(months)), Values: make([]float64, len(months)), Reference: NationalCommitment}
	top := NationalCommitment
	for i, m := range months {
		c.Categories[i] = MonthLabel(m.Month)
		c.Values[i] = EnabledPercent(m)
		top = math.Max(top, c.Values[i])
	}
	c.Axis = NiceAxis(top, 5, false)
	return c
}
