package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"
)

// The practice's uptake of online services, month by month (issue 16),
// computed from the tables and the audit log each time it is asked for:
// nothing is counted as it happens, so nothing can be counted twice.
// docs/uptake.md defines every figure.

// MaxUptakeMonths bounds one request for uptake figures.
const MaxUptakeMonths = 24

// Month is a calendar month in Europe/London.
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth reads "YYYY-MM".
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || t.Year() < 1970 || t.Year() > 9999 {
		return Month{}, refuse(ReasonInvalidInput, fmt.Sprintf("%q is not a month: give one as year and month, like 2026-03.", s))
	}
	return Month{t.Year(), t.Month()}, nil
}

// MonthOf is the London calendar month in which instant t falls.
func MonthOf(t time.Time, loc *time.Location) Month {
	l := t.In(loc)
	return Month{l.Year(), l.Month()}
}

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, m.Month) }

// AddMonths moves by whole calendar months.
func (m Month) AddMonths(n int) Month {
	t := time.Date(m.Year, m.Month+time.Month(n), 1, 12, 0, 0, 0, time.UTC)
	return Month{t.Year(), t.Month()}
}

// MonthsUntil counts months from m to n (negative if n is earlier).
func (m Month) MonthsUntil(n Month) int {
	return (n.Year-m.Year)*12 + int(n.Month) - int(m.Month)
}

// Start is the first instant of the month in loc (midnight on the 1st).
func (m Month) Start(loc *time.Location) time.Time {
	return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, loc)
}

// UptakeMonth is one month's figures. Field names are gpsync.UptakeMonth's
// (sync/manage.go), so the server's conversion is field by field.
type UptakeMonth struct {
	Month              string // YYYY-MM
	PatientListSize    int
	PatApptsEnbld      int
	PatApptsUse        int
	PatPrescEnbld      int
	PatPrescUse        int
	PatDetCodeRecEnbld int
	TotalPatEnbld      int
	NewPatEnbld        int
	TotalUse           int
	NewByVerification  map[string]int // by verification method
	LettersPrinted     int
	Booked             map[string]int // by channel
	Cancelled          map[string]int // by channel
	RepeatsOrdered     map[string]int // requests, by channel
	CheckIns           int
	Lessons            int
}

// bucket is an SQL expression giving the index of the month in which the
// instant col falls, for months starting at bounds[0], bounds[1], ... and
// the last ending at bounds[len-1]: -1 before the first, len-1 after the
// last. The bounds are the store's own integers, written in as literals.
func bucket(col string, bounds []int64) string {
	var b strings.Builder
	b.WriteString("CASE")
	for i, at := range bounds {
		fmt.Fprintf(&b, " WHEN %s < %d THEN %d", col, at, i-1)
	}
	fmt.Fprintf(&b, " ELSE %d END", len(bounds)-1)
	return b.String()
}

// within is the SQL condition that col falls inside the months.
func within(col string, bounds []int64) string {
	return fmt.Sprintf("%s >= %d AND %s < %d", col, bounds[0], col, bounds[len(bounds)-1])
}

// byChannel counts rows by their channel column.
const byChannel = " sum(channel = 'kiosk'), sum(channel = 'reception'), sum(channel = 'online')"

// setChannels records counts in byChannel's order, leaving out zeros.
func setChannels(m map[string]int, n []int) {
	for i, ch := range Channels() {
		if n[i] != 0 {
			m[string(ch)] = n[i]
		}
	}
}

// activityQueries count what happened in each month: each scans its table
// once, giving rows of (month index, key, counts...). Bucketing each row by
// a CASE over the month boundaries costs a few comparisons a row, where a
// join to a table of months cost a loop; no index on the times is needed.
func activityQueries(b []int64) []struct {
	name string
	sql  string
	add  func(u *UptakeMonth, key string, n []int)
} {
	return []struct {
		name string
		sql  string
		add  func(u *UptakeMonth, key string, n []int)
	}{
		{"letters", "SELECT " + bucket("letter_issued_at", b) + ", '', count(*) FROM online_registrations WHERE " +
			within("letter_issued_at", b) + " GROUP BY 1",
			func(u *UptakeMonth, _ string, n []int) { u.LettersPrinted = n[0] }},
		// Grouping by the month alone, with a sum for each channel, sorts
		// on one small key: a third of the time of grouping by both.
		{"booked", "SELECT " + bucket("booked_at", b) + ", ''," + byChannel + " FROM appointments WHERE " + within("booked_at", b) + " GROUP BY 1",
			func(u *UptakeMonth, _ string, n []int) { setChannels(u.Booked, n) }},
		// The appointment keeps the channel it was booked on; the channel
		// it was cancelled on is the audit event's ("appointment=12
		// channel=kiosk").
		{"cancelled", "SELECT " + bucket("at", b) + ", substr(detail, instr(detail, 'channel=') + 8), count(*) FROM audit_events" +
			" WHERE action = 'appointment.cancel' AND " + within("at", b) + " AND instr(detail, 'channel=') > 0 GROUP BY 1, 2",
			func(u *UptakeMonth, key string, n []int) { u.Cancelled[key] = n[0] }},
		// Items are counted only for self-service requests (Pat_Presc_Use),
		// each by the index on request_id.
		{"repeats", "SELECT " + bucket("r.requested_at", b) + ", ''," + byChannel + "," +
			" sum(CASE WHEN r.channel IN ('kiosk', 'online') THEN (SELECT count(*) FROM prescription_request_items i WHERE i.request_id = r.id) END)" +
			" FROM prescription_requests r WHERE " + within("r.requested_at", b) + " GROUP BY 1",
			func(u *UptakeMonth, _ string, n []int) {
				setChannels(u.RepeatsOrdered, n)
				u.PatPrescUse = n[len(Channels())]
			}},
		{"check-ins", "SELECT " + bucket("checked_in_at", b) + ", '', count(*) FROM check_ins WHERE " + within("checked_in_at", b) + " GROUP BY 1",
			func(u *UptakeMonth, _ string, n []int) { u.CheckIns = n[0] }},
		// The list: patients who joined in each month, and before the first
		// (index -1); Uptake adds them up.
		{"list size", "SELECT " + bucket("registered_at", b) + ", '', count(*) FROM patients WHERE registered_at < " +
			fmt.Sprint(b[len(b)-1]) + " GROUP BY 1",
			nil},
	}
}

// Uptake computes the practice's uptake figures for each month from from
// to to (inclusive, at most MaxUptakeMonths), oldest first. A month not
// yet over is counted up to now, with its "enabled" figures as they stand.
func (s *Store) Uptake(ctx context.Context, from, to Month) ([]UptakeMonth, error) {
	n := from.MonthsUntil(to) + 1
	switch {
	case from.Month < time.January || from.Month > time.December || to.Month < time.January || to.Month > time.December:
		return nil, refuse(ReasonInvalidInput, "Give the months as year and month, like 2026-03.")
	case n < 1:
		return nil, refuse(ReasonInvalidInput, "The first month must not be after the last.")
	case n > MaxUptakeMonths:
		return nil, refuse(ReasonInvalidInput, fmt.Sprintf("Ask for at most %d months at a time.", MaxUptakeMonths))
	}
	out := make([]UptakeMonth, n)
	bounds := make([]int64, n+1)
	index := map[string]int{}
	for i := range n + 1 {
		m := from.AddMonths(i)
		bounds[i] = m.Start(s.loc).Unix()
		if i < n {
			out[i] = UptakeMonth{Month: m.String(), NewByVerification: map[string]int{}, Booked: map[string]int{},
				Cancelled: map[string]int{}, RepeatsOrdered: map[string]int{}}
			index[m.String()] = i
		}
	}
	// One read transaction: every figure is of the same moment.
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("store.Uptake: %w", err)
	}
	defer tx.Rollback()
	joined := make([]int, n+1) // patients joining the list before the first month (0) and in each month (1...)
	for _, q := range activityQueries(bounds) {
		err := readUptake(ctx, tx, q.sql, nil, func(k int, key string, figures []int) {
			switch {
			case q.name == "list size" && k >= -1 && k < n:
				joined[k+1] += figures[0]
			case q.add != nil && k >= 0 && k < n:
				q.add(&out[k], key, figures)
			}
		})
		if err != nil {
			return nil, fmt.Errorf("store.Uptake: %s: %w", q.name, err)
		}
	}
	listed := joined[0]
	for i := range out {
		listed += joined[i+1]
		out[i].PatientListSize = listed
	}
	if err := readLessons(ctx, tx, from, to, func(month string, count int) {
		if i, ok := index[month]; ok {
			out[i].Lessons = count
		}
	}); err != nil {
		return nil, fmt.Errorf("store.Uptake: lessons: %w", err)
	}
	if err := readEnabled(ctx, tx, bounds, out); err != nil {
		return nil, fmt.Errorf("store.Uptake: enabled: %w", err)
	}
	for i := range out {
		u := &out[i]
		u.PatApptsUse = u.Booked[string(ChannelKiosk)] + u.Booked[string(ChannelOnline)] +
			u.Cancelled[string(ChannelKiosk)] + u.Cancelled[string(ChannelOnline)]
		u.TotalUse = u.PatApptsUse + u.PatPrescUse
	}
	return out, nil
}

// readUptake reads rows of (month index, key, counts...).
func readUptake(ctx context.Context, tx *sql.Tx, query string, args []any, row func(k int, key string, n []int)) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	n := make([]sql.NullInt64, len(cols)-2)
	dest := make([]any, len(cols))
	var k int
	var key string
	dest[0], dest[1] = &k, &key
	for i := range n {
		dest[i+2] = &n[i]
	}
	figures := make([]int, len(n))
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for i := range n {
			figures[i] = int(n[i].Int64)
		}
		row(k, key, figures)
	}
	return rows.Err()
}

// readLessons totals the lesson counts by month: they are kept by London
// day, so a month is a range of days.
func readLessons(ctx context.Context, tx *sql.Tx, from, to Month, add func(month string, count int)) error {
	rows, err := tx.QueryContext(ctx, `SELECT substr(day, 1, 7), sum(count) FROM lesson_counts WHERE day >= ? AND day < ? GROUP BY 1`,
		from.String()+"-01", to.AddMonths(1).String()+"-01")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var month string
		var count int
		if err := rows.Scan(&month, &count); err != nil {
			return err
		}
		add(month, count)
	}
	return rows.Err()
}

// Flags of a patient enabled at a month's end.
const (
	enabledAppts = 1 << iota
	enabledPresc
	enabledRecord
	enabledAny
)

// readEnabled works out the *Enbld figures and the new registrations from
// every patient's own registrations (not a proxy's), read once in patient
// order: a patient is enabled at a month's end for what any registration
// live then (verified before the end, not revoked by it) enables, and is
// new in the month their first registration was verified.
func readEnabled(ctx context.Context, tx *sql.Tx, bounds []int64, out []UptakeMonth) error {
	rows, err := tx.QueryContext(ctx, `SELECT patient_id, verification_method, verified_at, revoked_at,
		service_appointments, service_prescriptions, record_access FROM online_registrations
		WHERE proxy_relationship_id IS NULL ORDER BY patient_id, verified_at, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := len(out)
	// monthOf is the index of the month in which instant t falls: -1
	// before the first, n after the last.
	monthOf := func(t int64) int {
		return sort.Search(len(bounds), func(i int) bool { return bounds[i] > t }) - 1
	}
	flags := make([]uint8, n)
	patient := int64(-1)
	flush := func() {
		for i, f := range flags {
			u := &out[i]
			u.PatApptsEnbld += int(f & enabledAppts)
			u.PatPrescEnbld += int(f&enabledPresc) >> 1
			u.PatDetCodeRecEnbld += int(f&enabledRecord) >> 2
			u.TotalPatEnbld += int(f&enabledAny) >> 3
			flags[i] = 0
		}
	}
	for rows.Next() {
		var id, verified int64
		var revoked sql.NullInt64
		var method, record string
		var appts, presc bool
		if err := rows.Scan(&id, &method, &verified, &revoked, &appts, &presc, &record); err != nil {
			return err
		}
		if id != patient {
			flush()
			patient = id
			if k := monthOf(verified); k >= 0 && k < n {
				out[k].NewPatEnbld++
				out[k].NewByVerification[method]++
			}
		}
		var f uint8
		if appts {
			f |= enabledAppts
		}
		if presc {
			f |= enabledPresc
		}
		if record == RecordAccessDetailed {
			f |= enabledRecord
		}
		if f == 0 && record == RecordAccessNone {
			continue // enables nothing
		}
		f |= enabledAny
		end := n
		if revoked.Valid {
			end = min(n, monthOf(revoked.Int64))
		}
		for i := max(0, monthOf(verified)); i < end; i++ {
			flags[i] |= f
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	flush()
	return nil
}
