package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Practice-mode lessons (issue 12): each completed lesson adds one to an
// anonymous count (lesson, day, device) that reaches the server with the
// device's other ops. The counts are about no person: no learner, patient
// or member of staff is recorded with them.

// MaxLessonIDChars bounds a lesson id.
const MaxLessonIDChars = 40

// ReasonDayOutOfRange: a lesson count's day is too far from the server's
// today to be believed. The server's clock decides, not the device's.
const ReasonDayOutOfRange Reason = "day_out_of_range"

// How far a lesson count's day may be from the server's London today: a
// device just past midnight while the server is not, and a device that
// was offline for up to a year.
const (
	lessonDaysAhead  = 1
	lessonDaysBehind = 366
)

// ValidLessonID reports whether id has a lesson id's shape: 1 to 40
// lower-case ASCII letters, digits and hyphens. Only the shape is checked,
// so a lesson added in an app update needs no server change.
func ValidLessonID(id string) bool {
	if id == "" || len(id) > MaxLessonIDChars {
		return false
	}
	for _, c := range []byte(id) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// CheckLessonID refuses an id without a lesson id's shape. Devices ask it
// too, before queueing a count.
func CheckLessonID(id string) error {
	if !ValidLessonID(id) {
		return refuse(ReasonInvalidInput, fmt.Sprintf("A lesson is named by 1 to %d lower-case letters, digits and hyphens.", MaxLessonIDChars))
	}
	return nil
}

// checkLessonDay parses a count's day and refuses one that does not exist
// or is out of range of today (the server's London date).
func checkLessonDay(day string, today Date) (Date, error) {
	d, err := ParseDate(day)
	if err != nil {
		return Date{}, err
	}
	if today.AddDays(lessonDaysAhead).Before(d) || d.Before(today.AddDays(-lessonDaysBehind)) {
		return Date{}, refuse(ReasonDayOutOfRange, fmt.Sprintf(
			"A lesson can be counted for a day from %d days ago to tomorrow. Check the device's date and time.", lessonDaysBehind))
	}
	return d, nil
}

// countLesson adds one to the device's count of a lesson on a day.
func (s *Store) countLesson(ctx context.Context, tx *sql.Tx, dev Device, req Request, actor Actor, p CountLesson) error {
	// A count names nobody; refusing one sent in a member of staff's name
	// keeps it that way rather than quietly recording who was signed in.
	if req.StaffID != 0 {
		return refuse(ReasonInvalidInput, "A lesson count is the device's own and names nobody.")
	}
	if err := CheckLessonID(p.Lesson); err != nil {
		return err
	}
	now := s.Now()
	day, err := checkLessonDay(p.Day, DateOf(now, s.loc))
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO lesson_counts (device_id, lesson, day, count) VALUES (?, ?, ?, 1)
		ON CONFLICT (device_id, lesson, day) DO UPDATE SET count = count + 1`, dev.ID, p.Lesson, day.String()); err != nil {
		return fmt.Errorf("count lesson: %w", err)
	}
	return appendAudit(ctx, tx, now, actor, "lesson.count", "lesson", 0, "lesson="+p.Lesson+" day="+day.String())
}

// LessonCount is how many times a lesson was completed on one device in
// one month.
type LessonCount struct {
	Lesson     string
	Month      string // YYYY-MM
	DeviceID   string
	DeviceName string
	Count      int
}

// LessonCounts totals the lesson counts from day from to day to
// (inclusive; a zero Date leaves that end open), per lesson, per month and
// per device, ordered by lesson, month and device name. Devices are kept
// apart by ID, so two with the same name are not added together.
func (s *Store) LessonCounts(ctx context.Context, from, to Date) ([]LessonCount, error) {
	const op = "store.LessonCounts"
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return nil, refuse(ReasonInvalidInput, "The first day must not be after the last.")
	}
	var lo, hi string
	if !from.IsZero() {
		lo = from.String()
	}
	if !to.IsZero() {
		hi = to.String()
	}
	rows, err := s.read.QueryContext(ctx, `SELECT lc.lesson, substr(lc.day, 1, 7) AS month, lc.device_id, d.name, sum(lc.count)
		FROM lesson_counts lc JOIN devices d ON d.id = lc.device_id
		WHERE (?1 = '' OR lc.day >= ?1) AND (?2 = '' OR lc.day <= ?2)
		GROUP BY lc.lesson, month, lc.device_id, d.name
		ORDER BY lc.lesson, month, d.name, lc.device_id`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []LessonCount
	for rows.Next() {
		var c LessonCount
		if err := rows.Scan(&c.Lesson, &c.Month, &c.DeviceID, &c.DeviceName, &c.Count); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}
