package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	gpsync "gpkiosk/sync"
)

// sampleMonths is half a year of a growing practice's figures.
func sampleMonths() []gpsync.UptakeMonth {
	var out []gpsync.UptakeMonth
	for i := range 6 {
		m := gpsync.UptakeMonth{
			Month: fmt.Sprintf("2026-%02d", 3+i), PatientListSize: 3000 + 10*i, PatApptsEnbld: 380 + 40*i, PatPrescEnbld: 300 + 35*i,
			PatDetCodeRecEnbld: 90 + 5*i, TotalPatEnbld: 410 + 43*i, NewPatEnbld: 40 + 3*i, LettersPrinted: 45 + 3*i,
			NewByVerification: map[string]int{"photo_id_and_address": 24 + 2*i, "vouching": 12 + i, "vouching_with_information": 4},
			Booked:            map[string]int{"kiosk": 20 + 15*i, "reception": 420 - 5*i, "online": 130 + 6*i},
			Cancelled:         map[string]int{"kiosk": 2 + i, "reception": 30, "online": 11 + i},
			RepeatsOrdered:    map[string]int{"kiosk": 10 + 4*i, "reception": 160, "online": 95 + 2*i},
			CheckIns:          60 + 20*i, Lessons: 3 + i,
		}
		m.PatPrescUse = 2 * (m.RepeatsOrdered["kiosk"] + m.RepeatsOrdered["online"])
		m.PatApptsUse = m.Booked["kiosk"] + m.Booked["online"] + m.Cancelled["kiosk"] + m.Cancelled["online"]
		m.TotalUse = m.PatApptsUse + m.PatPrescUse
		out = append(out, m)
	}
	return out
}

func sampleReport() gpsync.UptakeReport {
	return gpsync.UptakeReport{Practice: "Meadowbank Surgery", ODSCode: "Y99999", Months: sampleMonths(),
		Made: time.Date(2026, time.September, 1, 9, 30, 0, 0, time.UTC)}
}

// A month's CSV, read back with encoding/csv, says exactly the month's
// figures under POMI's names and the extras' own.
func TestMonthCSVReadsBack(t *testing.T) {
	m := sampleMonths()[5]
	var buf bytes.Buffer
	if err := MonthCSV(&buf, "Meadowbank Surgery, Church Street", "Y99999", m); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || len(recs[0]) != len(recs[1]) {
		t.Fatalf("want a header and one row of the same width, got %q", recs)
	}
	got := map[string]string{}
	for i, h := range recs[0] {
		if _, dup := got[h]; dup {
			t.Errorf("column %q twice", h)
		}
		got[h] = recs[1][i]
	}
	n := func(col string) int {
		t.Helper()
		v, err := strconv.Atoi(got[col])
		if err != nil {
			t.Fatalf("column %q: %q is not a count", col, got[col])
		}
		return v
	}
	back := gpsync.UptakeMonth{Month: got["month"], PatientListSize: n("patient_list_size"), PatApptsEnbld: n("Pat_Appts_Enbld"),
		PatApptsUse: n("Pat_Appts_Use"), PatPrescEnbld: n("Pat_Presc_Enbld"), PatPrescUse: n("Pat_Presc_Use"),
		PatDetCodeRecEnbld: n("Pat_DetCodeRec_Enbld"), TotalPatEnbld: n("Total_Pat_Enbld"), NewPatEnbld: n("New_Pat_Enbld"),
		TotalUse: n("Total_Use"), LettersPrinted: n("letters_printed"), CheckIns: n("kiosk_check_ins"), Lessons: n("practice_lessons_completed"),
		NewByVerification: map[string]int{}, Booked: map[string]int{}, Cancelled: map[string]int{}, RepeatsOrdered: map[string]int{}}
	for _, v := range VerificationMethods() {
		back.NewByVerification[v] = n("new_by_" + v)
	}
	for _, ch := range Channels() {
		back.Booked[ch], back.Cancelled[ch], back.RepeatsOrdered[ch] = n("booked_"+ch), n("cancelled_"+ch), n("repeat_requests_"+ch)
	}
	if !reflect.DeepEqual(back, m) {
		t.Errorf("read back\n%+v\nwant\n%+v", back, m)
	}
	if got["ods_code"] != "Y99999" || got["practice_name"] != "Meadowbank Surgery, Church Street" {
		t.Errorf("practice columns: %q, %q", got["ods_code"], got["practice_name"])
	}
}

// Figures the CSV could not show faithfully, or a month without a practice,
// are refused with a reason, and nothing is written.
func TestMonthCSVRefuses(t *testing.T) {
	good := sampleMonths()[0]
	odd := sampleMonths()[0]
	odd.Booked["telephone"] = 3
	notAMonth := sampleMonths()[0]
	notAMonth.Month = "March"
	for _, c := range []struct {
		name, practice, ods string
		m                   gpsync.UptakeMonth
		want                string
	}{
		{"no practice", "", "Y99999", good, "name and ODS code"},
		{"unknown channel", "Meadowbank", "Y99999", odd, `unknown channel "telephone"`},
		{"not a month", "Meadowbank", "Y99999", notAMonth, "not a month"},
	} {
		var buf bytes.Buffer
		err := MonthCSV(&buf, c.practice, c.ods, c.m)
		if err == nil || !strings.Contains(err.Error(), c.want) || buf.Len() != 0 {
			t.Errorf("%s: %v, wrote %d bytes", c.name, err, buf.Len())
		}
	}
	var buf bytes.Buffer
	if err := MonthCSV(&buf, "=HYPERLINK(\"x\")", "Y99999", good); err != nil || !strings.Contains(buf.String(), `'=HYPERLINK`) {
		t.Errorf("a practice name like a formula: %v, %q", err, buf.String())
	}
}

func TestNiceAxis(t *testing.T) {
	for _, c := range []struct {
		top   float64
		ticks int
		whole bool
		step  float64
		max   float64
	}{
		{0, 5, true, 1, 1},
		{1, 5, true, 1, 1},
		{7, 5, true, 2, 8},
		{10, 5, true, 2, 10},
		{11, 5, true, 5, 15},
		{420, 5, true, 100, 500},
		{501, 5, true, 200, 600},
		{12.3, 5, false, 2.5, 12.5},
		{10, 5, false, 2, 10},
		{0.3, 5, false, 0.1, 0.3},
		{30000, 4, true, 10000, 30000},
	} {
		a := NiceAxis(c.top, c.ticks, c.whole)
		if math.Abs(a.Step-c.step) > 1e-9 || math.Abs(a.Max-c.max) > 1e-9 {
			t.Errorf("NiceAxis(%v, %d, %v) = step %v max %v, want %v and %v", c.top, c.ticks, c.whole, a.Step, a.Max, c.step, c.max)
		}
		if len(a.Ticks) > c.ticks+1 || a.Ticks[0] != 0 || a.Ticks[len(a.Ticks)-1] != a.Max || a.Max < c.top {
			t.Errorf("NiceAxis(%v, %d, %v) ticks %v", c.top, c.ticks, c.whole, a.Ticks)
		}
	}
	if got := NiceAxis(7, 5, true).Label(4); got != "4" {
		t.Errorf("label %q", got)
	}
	if got := NiceAxis(12.3, 5, false).Label(2.5); got != "2.5" {
		t.Errorf("label %q", got)
	}
}

// Bars sit inside the plot, side by side in their month, in channel
// order, as tall as their value on the axis.
func TestBarGeometry(t *testing.T) {
	c := BookingsByChannel(sampleMonths())
	bars := c.Bars()
	if len(bars) != 6*len(Channels()) {
		t.Fatalf("%d bars", len(bars))
	}
	for i, b := range bars {
		if b.X < 0 || b.X+b.W > 1+1e-9 || b.H < 0 || b.H > 1 {
			t.Errorf("bar %+v outside the plot", b)
		}
		if i > 0 && b.X < bars[i-1].X+bars[i-1].W-1e-9 {
			t.Errorf("bar %d overlaps the one before", i)
		}
		if want := b.Value / c.Axis.Max; math.Abs(b.H-want) > 1e-9 {
			t.Errorf("bar %+v height, want %v", b, want)
		}
	}
	if bars[1].Series != 1 || bars[1].Value != 420 || c.Axis.Max != 500 {
		t.Errorf("reception in March: %+v on an axis to %v", bars[1], c.Axis.Max)
	}
	line := EnabledTrend(sampleMonths())
	pts := line.Points()
	if len(pts) != 6 || pts[0].Y >= pts[5].Y || math.Abs(line.Values[0]-100*410.0/3000) > 1e-9 {
		t.Errorf("trend %+v from %v", pts, line.Values)
	}
}

// The PDF is one A4 page; rasterised with pdftoppm and read with
// tesseract, it names the practice and gives the latest month's list size.
func TestPDFIsOneA4PageThatReads(t *testing.T) {
	pdf, err := PDF(sampleReport())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "uptake.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"pdfinfo", "pdftoppm", "tesseract"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	info, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, info)
	}
	if !regexp.MustCompile(`(?m)^Pages:\s+1$`).Match(info) || !regexp.MustCompile(`Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)`).Match(info) {
		t.Errorf("not one A4 page:\n%s", info)
	}
	png := filepath.Join(dir, "page")
	if out, err := exec.Command("pdftoppm", "-r", "150", "-png", "-singlefile", path, png).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	if keep := os.Getenv("REPORT_PNG"); keep != "" { // to look at it
		b, _ := os.ReadFile(png + ".png")
		os.WriteFile(keep, b, 0o600)
	}
	text, err := exec.Command("tesseract", png+".png", "-", "--psm", "3").Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	for _, want := range []string{"Meadowbank Surgery", "3,050", "Online services uptake", "National commitment"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the page does not read %q; tesseract read:\n%s", want, text)
		}
	}
}

// Two years of months: the page shows the latest twelve and still fits.
func TestPDFShowsTheLatestYear(t *testing.T) {
	r := sampleReport()
	var months []gpsync.UptakeMonth
	for i := range 24 {
		m := sampleMonths()[i%6]
		m.Month = fmt.Sprintf("%04d-%02d", 2025+i/12, 1+i%12)
		months = append(months, m)
	}
	r.Months = months
	if _, err := PDF(r); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []gpsync.UptakeReport{{Practice: "M", ODSCode: "Y99999"}, {ODSCode: "Y99999", Months: months}} {
		if _, err := PDF(bad); err == nil {
			t.Errorf("%+v made a report", bad)
		}
	}
}
