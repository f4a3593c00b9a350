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
// of ours (another app's QR code, a damaged scan). The errors below wrap it
// and say which part is wrong.
var ErrBadEnrolmentString = errors.New("this is not a GP Kiosk set-up code")

var (
	// ErrEnrolmentPinDamaged: the certificate pin is not "sha256:" and 64
	// hex digits, so the string was misread or altered.
	ErrEnrolmentPinDamaged = fmt.Errorf("%w: the certificate pin is damaged", ErrBadEnrolmentString)
	// ErrEnrolmentPinWithoutTLS: a pin with an http:// server address. A
	// pin protects nothing without TLS, so such a string is refused rather
	// than used without it.
	ErrEnrolmentPinWithoutTLS = fmt.Errorf("%w: it pins a certificate but names an http:// server address", ErrBadEnrolmentString)
)

// codePattern is a set-up code typed on its own: ten letters and digits,
// with or without the hyphen in the middle (ACDEF-GHJKM). The server
// ignores case and hyphens (store.normaliseCode).
var codePattern = regexp.MustCompile(`^[A-Za-z0-9]{5}-?[A-Za-z0-9]{5}$`)

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
	if e.Pin != "" && !pinPattern.MatchString(e.Pin) {
		return Enrolment{}, ErrEnrolmentPinDamaged
	}
	if e.Pin != "" && u.Scheme != "https" {
		return Enrolment{}, ErrEnrolmentPinWithoutTLS
	}
	return e, nil
}

// ReadEnrolment reads what a person scanned, typed or passed to
// `gpkiosk --enrol`: an enrolment string (which names its server and may
// pin its certificate), or a set-up code on its own, which enrols with
// server, the address the device was started with, and pins nothing.
func ReadEnrolment(input, server string) (Enrolment, error) {
	input = strings.TrimSpace(input)
	if strings.HasPrefix(input, "gpkiosk-enrol:") {
		return ParseEnrolment(input)
	}
	if !codePattern.MatchString(input) {
		return Enrolment{}, ErrBadEnrolmentString
	}
	return Enrolment{Server: server, Code: input}, nil
}
