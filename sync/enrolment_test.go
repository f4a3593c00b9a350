package sync

import (
	"errors"
	"strings"
	"testing"
)

func TestEnrolmentStringRoundTrip(t *testing.T) {
	pin := "sha256:" + strings.Repeat("ab", 32)
	for _, e := range []Enrolment{
		{Server: "https://surgery-server:8400", Code: "ACDEF-GHJKM", Pin: pin},
		{Server: "http://127.0.0.1:8400", Code: "ACDEF-GHJKM"},
	} {
		got, err := ParseEnrolment(e.String())
		if err != nil || got != e {
			t.Fatalf("%s read back as %+v, %v", e, got, err)
		}
	}
}

func TestBadEnrolmentStrings(t *testing.T) {
	for _, s := range []string{
		"", "hello", "https://example.com/?code=ABC",
		"gpkiosk-enrol:v1?code=ABC",                                                                 // no server
		"gpkiosk-enrol:v1?server=ftp%3A%2F%2Fhost&code=ABC",                                         // wrong scheme
		"gpkiosk-enrol:v1?server=https%3A%2F%2Fhost",                                                // no code
		"gpkiosk-enrol:v1?server=https%3A%2F%2Fhost&code=A&pin=md5",                                 // damaged pin
		"gpkiosk-enrol:v1?server=http%3A%2F%2Fhost&code=A&pin=sha256%3A" + strings.Repeat("ab", 32), // pin without TLS
		"gpkiosk-enrol:v1?%zz",
		"gpkiosk-enrol:v2?server=https%3A%2F%2Fhost&code=A",
	} {
		if _, err := ParseEnrolment(s); !errors.Is(err, ErrBadEnrolmentString) {
			t.Errorf("%q: %v", s, err)
		}
	}
}
