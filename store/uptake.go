package store

import (
	"context"
	"database/sql"
	"fmt"
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

// uptakeQueries are the figures' queries. Each reads the months table
// (m, next, lo, hi: the month, the next month, and their first instants)
// that Uptake puts in front of it, and returns rows of (month, key,
// figure...). One query per source table over the whole range; each scans
// its table once (CROSS JOIN keeps the table the outer loop, with the
// months, at most 24 rows, inside), so no index on the times is needed.
var uptakeQueries = []struct {
	name string
	sql  string
	scan func(u *UptakeMonth, key string, n []int)
	cols int
}{
	{"list size", `SELECT m.m, '', count(*) FROM patients p CROSS JOIN months m WHERE p.registered_at < m.hi GROUP BY m.m`,
		func(u *UptakeMonth, _ string, n []int) { u.PatientListSize = n[0] }, 1},
	// Patients (not proxies) with a live registration at the month's end.
	{"enabled", `SELECT m.m, '',
			count(DISTINCT CASE WHEN r.service_appointments = 1 THEN r.patient_id END),
			count(DISTINCT CASE WHEN r.service_prescriptions = 1 THEN r.patient_id END),
			count(DISTINCT CASE WHEN r.record_access = 'detailed' THEN r.patient_id END),
			count(DISTINCT r.patient_id)
		FROM online_registrations r CROSS JOIN months m
		WHERE r.verified_at < m.hi AND (r.revoked_at IS NULL OR r.revoked_at >= m.hi)
		  AND r.proxy_relationship_id IS NULL
		  AND (r.service_appointments = 1 OR r.service_prescriptions = 1 OR r.record_access <> 'none')
		GROUP BY m.m`,
		func(u *UptakeMonth, _ string, n []int) {
			u.PatApptsEnbld, u.PatPrescEnbld, u.PatDetCodeRecEnbld, u.TotalPatEnbld = n[0], n[1], n[2], n[3]
		}, 4},
	// A patient's first own registration, by how their identity was checked.
	{"new", `SELECT m.m, f.verification_method, count(*)
		FROM (SELECT patient_id, verification_method, verified_at,
		             row_number() OVER (PARTITION BY patient_id ORDER BY verified_at, id) AS nth
		      FROM online_registrations WHERE proxy_relationship_id IS NULL) f
		CROSS JOIN months m
		WHERE f.nth = 1 AND f.verified_at >= m.lo AND f.verified_at < m.hi GROUP BY m.m, f.verification_method`,
		func(u *UptakeMonth, key string, n []int) { u.NewByVerification[key] += n[0]; u.NewPatEnbld += n[0] }, 1},
	{"letters", `SELECT m.m, '', count(*) FROM online_registrations r CROSS JOIN months m
		WHERE r.letter_issued_at >= m.lo AND r.letter_issued_at < m.hi GROUP BY m.m`,
		func(u *UptakeMonth, _ string, n []int) { u.LettersPrinted = n[0] }, 1},
	{"booked", `SELECT m.m, a.channel, count(*) FROM appointments a CROSS JOIN months m
		WHERE a.booked_at >= m.lo AND a.booked_at < m.hi GROUP BY m.m, a.channel`,
		func(u *UptakeMonth, key string, n []int) { u.Booked[key] = n[0] }, 1},
	// The appointment keeps the channel it was booked on; the channel it
	// was cancelled on is the audit event's ("appointment=12 channel=kiosk").
	{"cancelled", `SELECT m.m, substr(e.detail, instr(e.detail, 'channel=') + 8), count(*)
		FROM audit_events e CROSS JOIN months m
		WHERE e.action = 'appointment.cancel' AND e.at >= m.lo AND e.at < m.hi AND instr(e.detail, 'channel=') > 0
		GROUP BY 1, 2`,
		func(u *UptakeMonth, key string, n []int) { u.Cancelled[key] = n[0] }, 1},
	{"repeats", `SELECT m.m, r.channel, count(DISTINCT r.id), count(i.id) FROM prescription_requests r CROSS JOIN months m
		LEFT JOIN prescription_request_items i ON i.request_id = r.id
		WHERE r.requested_at >= m.lo AND r.requested_at < m.hi
		GROUP BY m.m, r.channel`,
		func(u *UptakeMonth, key string, n []int) {
			u.RepeatsOrdered[key] = n[0]
			if Channel(key).SelfService() {
				u.PatPrescUse += n[1]
			}
		}, 2},
	{"check-ins", `SELECT m.m, '', count(*) FROM check_ins c CROSS JOIN months m
		WHERE c.checked_in_at >= m.lo AND c.checked_in_at < m.hi GROUP BY m.m`,
		func(u *UptakeMonth, _ string, n []int) { u.CheckIns = n[0] }, 1},
	// Lesson counts are kept by London day, so a month is a range of days.
	{"lessons", `SELECT m.m, '', sum(l.count) FROM lesson_counts l CROSS JOIN months m
		WHERE l.day >= m.m || '-01' AND l.day < m.next || '-01' GROUP BY m.m`,
		func(u *UptakeMonth, _ string, n []int) { u.Lessons = n[0] }, 1},
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
	index := map[string]int{}
	values := make([]string, n)
	args := make([]any, 0, 4*n)
	for i := range n {
		m := from.AddMonths(i)
		out[i] = UptakeMonth{Month: m.String(), NewByVerification: map[string]int{}, Booked: map[string]int{},
			Cancelled: map[string]int{}, RepeatsOrdered: map[string]int{}}
		index[m.String()] = i
		values[i] = "(?, ?, ?, ?)"
		args = append(args, m.String(), m.AddMonths(1).String(), m.Start(s.loc).Unix(), m.AddMonths(1).Start(s.loc).Unix())
	}
	months := "WITH months(m, next, lo, hi) AS (VALUES " + strings.Join(values, ", ") + ") "
	// One read transaction: every figure is of the same moment.
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("store.Uptake: %w", err)
	}
	defer tx.Rollback()
	for _, q := range uptakeQueries {
		if err := readUptake(ctx, tx, months+q.sql, args, q.cols, func(month, key string, n []int) {
			if i, ok := index[month]; ok {
				q.scan(&out[i], key, n)
			}
		}); err != nil {
			return nil, fmt.Errorf("store.Uptake: %s: %w", q.name, err)
		}
	}
	for i := range out {
		u := &out[i]
		u.PatApptsUse = u.Booked[string(ChannelKiosk)] + u.Booked[string(ChannelOnline)] +
			u.Cancelled[string(ChannelKiosk)] + u.Cancelled[string(ChannelOnline)]
		u.TotalUse = u.PatApptsUse + u.PatPrescUse
	}
	return out, nil
}

func readUptake(ctx context.Context, tx *sql.Tx, query string, args []any, cols int, row func(month, key string, n []int)) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := make([]sql.NullInt64, cols)
	dest := make([]any, cols+2)
	var month, key string
	dest[0], dest[1] = &month, &key
	for i := range n {
		dest[i+2] = &n[i]
	}
	figures := make([]int, cols)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for i := range n {
			figures[i] = int(n[i].Int64)
		}
		row(month, key, figures)
	}
	return rows.Err()
}
