package sync

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// EnrolmentScheme starts the string a set-up QR code carries.
const EnrolmentScheme = "gpkiosk-enrol:v1"

// Enrolment is what a device needs to enrol: where the server is, the
// one-time code, and optionally the server certificate's pin
// ("sha256:<hex>").
type Enrolment struct {
	Server string
	Code   string
	Pin    string
}

var pinPattern = regexp.MustCompile(`^sha256:[0-9a-fA-F]{64}$`)

// ErrBadEnrolmentString means a scanned or typed set-up string is not one
// of ours (another app's QR code, a damaged scan).
var ErrBadEnrolmentString = errors.New("this is not a GP Kiosk set-up code")

// String is the enrolment string, e.g.
// gpkiosk-enrol:v1?code=ACDEF-GHJKM&pin=sha256%3A...&server=https%3A%2F%2Fhost%3A8400
func (e Enrolment) String() string {
	q := url.Values{"server": {e.Server}, "code": {e.Code}}
	if e.Pin != "" {
		q.Set("pin", e.Pin)
	}
	return EnrolmentScheme + "?" + q.Encode()
}

// ParseEnrolment reads an enrolment string and checks each part.
func ParseEnrolment(s string) (Enrolment, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), EnrolmentScheme+"?")
	if !ok {
		return Enrolment{}, ErrBadEnrolmentString
	}
	q, err := url.ParseQuery(rest)
	if err != nil {
		return Enrolment{}, fmt.Errorf("%w: %v", ErrBadEnrolmentString, err)
	}
	e := Enrolment{Server: q.Get("server"), Code: q.Get("code"), Pin: q.Get("pin")}
	u, err := url.Parse(e.Server)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Enrolment{}, fmt.Errorf("%w: no valid server address", ErrBadEnrolmentString)
	}
	if e.Code == "" || len(e.Code) > 32 {
		return Enrolment{}, fmt.Errorf("%w: no code", ErrBadEnrolmentString)
	}
	if e.Pin != "" && (!pinPattern.MatchString(e.Pin) || u.Scheme != "https") {
		return Enrolment{}, fmt.Errorf("%w: the certificate pin is damaged", ErrBadEnrolmentString)
	}
	return e, nil
}
