package store

import (
	"fmt"
	"strings"
)

// NHSNumber is a validated 10-digit NHS number, held as its digits.
type NHSNumber string

// ParseNHSNumber accepts the digits with or without the usual spaces or
// hyphens ("943 476 5919", "943-476-5919") and checks the Modulus 11 check
// digit.
func ParseNHSNumber(s string) (NHSNumber, error) {
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if len(digits) != 10 {
		return "", refuse(ReasonInvalidNHSNumber, "An NHS number has 10 digits. Please check it and try again.")
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return "", refuse(ReasonInvalidNHSNumber, "An NHS number has only digits. Please check it and try again.")
		}
	}
	check, ok := nhsCheckDigit(digits[:9])
	if !ok || int(digits[9]-'0') != check {
		return "", refuse(ReasonInvalidNHSNumber, "That is not a valid NHS number. Please check each digit and try again.")
	}
	return NHSNumber(digits), nil
}

// nhsCheckDigit computes the Modulus 11 check digit of the first nine
// digits; ok is false when the result is 10, which no valid number has.
func nhsCheckDigit(nine string) (digit int, ok bool) {
	sum := 0
	for i := range 9 {
		sum += int(nine[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	switch check {
	case 11:
		return 0, true
	case 10:
		return 0, false
	}
	return check, true
}

// NHSNumberFromNine completes nine digits with their check digit. ok is
// false when those nine digits cannot start a valid number.
func NHSNumberFromNine(nine string) (NHSNumber, bool) {
	if len(nine) != 9 || strings.IndexFunc(nine, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return "", false
	}
	d, ok := nhsCheckDigit(nine)
	if !ok {
		return "", false
	}
	return NHSNumber(fmt.Sprintf("%s%d", nine, d)), true
}

// String shows the number the NHS way: 3 3 4 ("943 476 5919").
func (n NHSNumber) String() string {
	if len(n) != 10 {
		return string(n)
	}
	return string(n[:3]) + " " + string(n[3:6]) + " " + string(n[6:])
}

// Synthetic reports whether the number is in the never-issued 999 range
// used for test and demo patients.
func (n NHSNumber) Synthetic() bool { return strings.HasPrefix(string(n), "999") }
