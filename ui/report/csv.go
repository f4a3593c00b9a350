// Package report writes the practice's uptake figures for people outside
// the software: one month as CSV, with POMI's field names where POMI has
// one, and a one-page A4 PDF with charts for the partners' meeting. The
// charts' geometry (chart.go) is shared with the desk's dashboard.
package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// VerificationMethods are the ways a patient's identity is checked, in
// the order the CSV and the table show them.
func VerificationMethods() []string { return store.VerificationMethods() }

// column is one CSV column: its header and how to read it from a month.
type column struct {
	name string
	get  func(m gpsync.UptakeMonth) int
}

// columns are the figures' columns: POMI's names first, then the extras,
// named for what they count.
func columns() []column {
	cols := []column{
		{"patient_list_size", func(m gpsync.UptakeMonth) int { return m.PatientListSize }},
		{"Pat_Appts_Enbld", func(m gpsync.UptakeMonth) int { return m.PatApptsEnbld }},
		{"Pat_Appts_Use", func(m gpsync.UptakeMonth) int { return m.PatApptsUse }},
		{"Pat_Presc_Enbld", func(m gpsync.UptakeMonth) int { return m.PatPrescEnbld }},
		{"Pat_Presc_Use", func(m gpsync.UptakeMonth) int { return m.PatPrescUse }},
		{"Pat_DetCodeRec_Enbld", func(m gpsync.UptakeMonth) int { return m.PatDetCodeRecEnbld }},
		{"Total_Pat_Enbld", func(m gpsync.UptakeMonth) int { return m.TotalPatEnbld }},
		{"New_Pat_Enbld", func(m gpsync.UptakeMonth) int { return m.NewPatEnbld }},
		{"Total_Use", func(m gpsync.UptakeMonth) int { return m.TotalUse }},
	}
	for _, v := range VerificationMethods() {
		cols = append(cols, column{"new_by_" + v, func(m gpsync.UptakeMonth) int { return m.NewByVerification[v] }})
	}
	cols = append(cols, column{"letters_printed", func(m gpsync.UptakeMonth) int { return m.LettersPrinted }})
	for _, ch := range Channels() {
		cols = append(cols, column{"booked_" + ch, func(m gpsync.UptakeMonth) int { return m.Booked[ch] }})
	}
	for _, ch := range Channels() {
		cols = append(cols, column{"cancelled_" + ch, func(m gpsync.UptakeMonth) int { return m.Cancelled[ch] }})
	}
	for _, ch := range Channels() {
		cols = append(cols, column{"repeat_requests_" + ch, func(m gpsync.UptakeMonth) int { return m.RepeatsOrdered[ch] }})
	}
	return append(cols,
		column{"kiosk_check_ins", func(m gpsync.UptakeMonth) int { return m.CheckIns }},
		column{"practice_lessons_completed", func(m gpsync.UptakeMonth) int { return m.Lessons }},
	)
}

// Header is the CSV's header row.
func Header() []string {
	h := []string{"ods_code", "practice_name", "month"}
	for _, c := range columns() {
		h = append(h, c.name)
	}
	return h
}

// checkMonth refuses a month whose figures the CSV or PDF could not show
// faithfully: a month that is not YYYY-MM, or a count under a key no
// column has (it would be dropped without a word).
func checkMonth(m gpsync.UptakeMonth) error {
	if _, err := time.Parse("2006-01", m.Month); err != nil {
		return fmt.Errorf("the month %q is not a month (YYYY-MM)", m.Month)
	}
	for what, counts := range map[string]map[string]int{"booked": m.Booked, "cancelled": m.Cancelled, "repeats ordered": m.RepeatsOrdered} {
		for k := range counts {
			if !slices.Contains(Channels(), k) {
				return fmt.Errorf("%s in %s has an unknown channel %q", what, m.Month, k)
			}
		}
	}
	for k := range m.NewByVerification {
		if !slices.Contains(VerificationMethods(), k) {
			return fmt.Errorf("new registrations in %s have an unknown verification method %q", m.Month, k)
		}
	}
	return nil
}

// MonthCSV writes one month's figures as a header row and one row.
func MonthCSV(w io.Writer, practice, ods string, m gpsync.UptakeMonth) error {
	if strings.TrimSpace(practice) == "" || strings.TrimSpace(ods) == "" {
		return errors.New("report.MonthCSV: the practice's name and ODS code are needed")
	}
	if err := checkMonth(m); err != nil {
		return fmt.Errorf("report.MonthCSV: %w", err)
	}
	row := []string{cell(ods), cell(practice), m.Month}
	for _, c := range columns() {
		row = append(row, strconv.Itoa(c.get(m)))
	}
	cw := csv.NewWriter(w)
	if err := cw.WriteAll([][]string{Header(), row}); err != nil {
		return fmt.Errorf("report.MonthCSV: %w", err)
	}
	return nil
}

// cell keeps a spreadsheet from reading text as a formula.
func cell(s string) string {
	s = strings.TrimSpace(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
