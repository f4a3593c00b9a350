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

// Each damaged part has its own error, so the set-up screen can say which.
func TestEnrolmentStringErrorsSayWhatIsWrong(t *testing.T) {
	good := "sha256:" + strings.Repeat("ab", 32)
	for _, tt := range []struct {
		s    string
		want error
	}{
		{"gpkiosk-enrol:v1?server=https%3A%2F%2Fhost&code=A&pin=" + good[:len(good)-1], ErrEnrolmentPinDamaged},
		{"gpkiosk-enrol:v1?server=https%3A%2F%2Fhost&code=A&pin=sha256%3A" + strings.Repeat("zz", 32), ErrEnrolmentPinDamaged},
		{"gpkiosk-enrol:v1?server=http%3A%2F%2Fhost&code=A&pin=" + good, ErrEnrolmentPinWithoutTLS},
	} {
		_, err := ParseEnrolment(tt.s)
		if !errors.Is(err, tt.want) || !errors.Is(err, ErrBadEnrolmentString) {
			t.Errorf("%q: %v, want %v", tt.s, err, tt.want)
		}
	}
}

// What a person scans, pastes or types: an enrolment string names its own
// server; a code alone uses the one the device was started with.
func TestReadEnrolment(t *testing.T) {
	const started = "http://127.0.0.1:8400"
	pin := "sha256:" + strings.Repeat("ab", 32)
	full := Enrolment{Server: "https://surgery:8400", Code: "ACDEF-GHJKM", Pin: pin}
	for _, tt := range []struct {
		in   string
		want Enrolment
	}{
		{full.String(), full},
		{"  " + full.String() + "\n", full}, // a scanner's trailing newline, a paste's spaces
		{"ACDEF-GHJKM", Enrolment{Server: started, Code: "ACDEF-GHJKM"}},
		{"acdefghjkm", Enrolment{Server: started, Code: "acdefghjkm"}},
	} {
		got, err := ReadEnrolment(tt.in, started)
		if err != nil || got != tt.want {
			t.Errorf("ReadEnrolment(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{
		"", "ab", "https://example.com/?code=ABC", "ACDEF GHJKM", "ÅCDEF-GHJKM",
		"9780141036144", "ACDEF--GHJKM", "ACDEF-GHJK", strings.Repeat("A", 40),
		"gpkiosk-enrol:v1?server=https%3A%2F%2Fhost&code=A&pin=md5", // a damaged string is not read as a code
		"gpkiosk-enrol:v9?server=https%3A%2F%2Fhost&code=A",
	} {
		if _, err := ReadEnrolment(bad, started); !errors.Is(err, ErrBadEnrolmentString) {
			t.Errorf("ReadEnrolment(%q): %v, want ErrBadEnrolmentString", bad, err)
		}
	}
}
