package store

import "time"

// IsWorkingDay reports whether a GP practice in England is normally open:
// Monday to Friday, not a bank holiday.
func IsWorkingDay(d Date) bool {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !IsBankHoliday(d)
}

// IsBankHoliday reports the regular bank holidays of England and Wales,
// with their weekend substitutes. One-off holidays proclaimed for a single
// year (a coronation, a jubilee) are not known here.
func IsBankHoliday(d Date) bool {
	for _, h := range bankHolidays(d.Year) {
		if h == d {
			return true
		}
	}
	return false
}

func bankHolidays(year int) []Date {
	easter := easterSunday(year)
	hs := []Date{
		substitute(Date{year, time.January, 1}),
		easter.AddDays(-2), // Good Friday
		easter.AddDays(1),  // Easter Monday
		firstMonday(year, time.May),
		lastMonday(year, time.May),
		lastMonday(year, time.August),
	}
	// Christmas and Boxing Day: a weekend day moves to the next free weekday.
	christmas := Date{year, time.December, 25}
	switch christmas.Weekday() {
	case time.Friday: // Boxing Day is Saturday: substitute Monday 28th
		hs = append(hs, christmas, christmas.AddDays(3))
	case time.Saturday:
		hs = append(hs, christmas.AddDays(2), christmas.AddDays(3))
	case time.Sunday:
		hs = append(hs, christmas.AddDays(1), christmas.AddDays(2))
	default:
		hs = append(hs, christmas, christmas.AddDays(1))
	}
	return hs
}

// substitute moves a holiday falling at a weekend to the following Monday.
func substitute(d Date) Date {
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDays(2)
	case time.Sunday:
		return d.AddDays(1)
	}
	return d
}

func firstMonday(year int, m time.Month) Date {
	d := Date{year, m, 1}
	for d.Weekday() != time.Monday {
		d = d.AddDays(1)
	}
	return d
}

func lastMonday(year int, m time.Month) Date {
	d := Date{year, m + 1, 1}.AddDays(-1) // time.Date normalises month 13
	for d.Weekday() != time.Monday {
		d = d.AddDays(-1)
	}
	return d
}

// easterSunday uses the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
func easterSunday(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{year, time.Month(month), day}
}
