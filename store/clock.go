package store

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/London must work on machines without zoneinfo
)

// londonZone loads Europe/London. The embedded tzdata makes failure a
// build defect, so callers get a fixed zone rather than an error.
func londonZone() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(fmt.Sprintf("Europe/London time zone missing: %v", err))
	}
	return loc
}

// Date is a civil date in Europe/London: a date of birth, a surgery day, a
// review date. It is not an instant.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads "YYYY-MM-DD" and refuses dates that do not exist
// (2023-02-29, 2024-13-01).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, sentDateNotReal.refuse(ReasonInvalidDate)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// NewDate builds a date from its parts and refuses one that does not exist.
func NewDate(year int, month time.Month, day int) (Date, error) {
	t := time.Date(year, month, day, 12, 0, 0, 0, time.UTC)
	if year < 1850 || year > 9999 || t.Year() != year || t.Month() != month || t.Day() != day {
		return Date{}, sentDateNotReal.refuse(ReasonInvalidDate)
	}
	return Date{year, month, day}, nil
}

// DateOf is the surgery day (Europe/London) on which instant t falls.
func DateOf(t time.Time, loc *time.Location) Date {
	l := t.In(loc)
	return Date{l.Year(), l.Month(), l.Day()}
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// AddDays moves by whole calendar days, unaffected by clock changes.
func (d Date) AddDays(n int) Date {
	t := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// Weekday of the date.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// Compare returns -1, 0 or +1.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// DaysUntil counts calendar days from d to e (negative if e is earlier).
func (d Date) DaysUntil(e Date) int {
	a := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	b := time.Date(e.Year, e.Month, e.Day, 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// At is the instant of the wall-clock time hh:mm on this day in loc. Surgery
// hours never fall in the 01:00-02:00 hour the clocks skip or repeat, so
// every surgery time maps to exactly one instant.
func (d Date) At(hour, minute int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, loc)
}

// AgeOn is the age in whole years on day on of someone born on d. A person
// born on 29 February comes of age on 1 March in a non-leap year.
func (d Date) AgeOn(on Date) int {
	age := on.Year - d.Year
	birthday := Date{on.Year, d.Month, d.Day}
	if d.Month == time.February && d.Day == 29 && !isLeap(on.Year) {
		birthday = Date{on.Year, time.March, 1}
	}
	if on.Before(birthday) {
		age--
	}
	return age
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }
