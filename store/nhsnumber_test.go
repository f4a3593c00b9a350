package store

import "testing"

func TestParseNHSNumber(t *testing.T) {
	valid := map[string]string{
		"9434765919":   "943 476 5919",
		"943 476 5919": "943 476 5919",
		"943-476-5919": "943 476 5919",
		" 9990000018 ": "999 000 0018",
		"4010232137":   "401 023 2137",
		"0000000000":   "000 000 0000", // check digit 11 becomes 0
		"9999999999":   "999 999 9999",
	}
	for in, shown := range valid {
		n, err := ParseNHSNumber(in)
		if err != nil {
			t.Errorf("%q: unexpected refusal %v", in, err)
			continue
		}
		if n.String() != shown {
			t.Errorf("%q shown as %q, want %q", in, n.String(), shown)
		}
	}
	invalid := map[string]string{
		"9434765918":      "wrong check digit",
		"9434765":         "too short",
		"94347659190":     "too long",
		"943476591X":      "a letter",
		"":                "empty",
		"9990000000":      "check digit would be 10",
		"9991234560":      "check digit would be 10",
		"1234567890":      "check digit would be 10",
		"943 476 59 19 9": "too long with spaces",
		"９４３４７６５９１９":      "full-width digits",
	}
	for in, why := range invalid {
		_, err := ParseNHSNumber(in)
		wantReasonNamed(t, in+" ("+why+")", err, ReasonInvalidNHSNumber)
	}
}

func wantReasonNamed(t *testing.T, name string, err error, r Reason) {
	t.Helper()
	t.Run(name, func(t *testing.T) { wantReason(t, err, r) })
}

func TestNHSNumberFromNine(t *testing.T) {
	if n, ok := NHSNumberFromNine("943476591"); !ok || n != "9434765919" {
		t.Errorf("got %q %v", n, ok)
	}
	if _, ok := NHSNumberFromNine("999000000"); ok {
		t.Error("999000000 has check digit 10 and cannot start a number")
	}
	if _, ok := NHSNumberFromNine("99900000"); ok {
		t.Error("eight digits accepted")
	}
	n, _ := NHSNumberFromNine("999000001")
	if !n.Synthetic() {
		t.Error("999 range should be synthetic")
	}
	if NHSNumber("9434765919").Synthetic() {
		t.Error("943 range is not synthetic")
	}
}
