package sync

import (
	"errors"
	"net/url"
	"strings"
)

// LetterScheme starts the QR payload on a registration letter
// (docs/letter-qr.md).
const LetterScheme = "gpkiosk-letter:v1"

// Letter is what a registration letter's QR code carries: the three
// registration details.
type Letter struct {
	ODS        string
	AccountID  string
	LinkageKey string
}

// ErrNotALetter means a scanned code is not a v1 registration letter.
var ErrNotALetter = errors.New("this is not a GP Kiosk registration letter")

// String is the QR payload, e.g.
// gpkiosk-letter:v1?ods=Y99999&account=ACCT-7K3M-Q9TX&key=4HQ7-XW2P-9KDM
// Parts are written in a fixed order so one letter always has one payload.
func (l Letter) String() string {
	return LetterScheme + "?ods=" + url.QueryEscape(l.ODS) + "&account=" + url.QueryEscape(l.AccountID) +
		"&key=" + url.QueryEscape(l.LinkageKey)
}

// ParseLetter reads a letter payload: case-insensitive, parts in any
// order, unknown parts ignored. It needs an account ID.
func ParseLetter(s string) (Letter, error) {
	s = strings.TrimSpace(s)
	if len(s) < len(LetterScheme)+1 || !strings.EqualFold(s[:len(LetterScheme)+1], LetterScheme+"?") {
		return Letter{}, ErrNotALetter
	}
	q, err := url.ParseQuery(s[len(LetterScheme)+1:])
	if err != nil {
		return Letter{}, ErrNotALetter
	}
	var l Letter
	for k, v := range q {
		switch strings.ToLower(k) {
		case "ods":
			l.ODS = strings.ToUpper(v[0])
		case "account":
			l.AccountID = strings.ToUpper(v[0])
		case "key":
			l.LinkageKey = strings.ToUpper(v[0])
		}
	}
	if l.AccountID == "" {
		return Letter{}, ErrNotALetter
	}
	return l, nil
}
