package kiosk

import (
	"testing"

	"gpkiosk/ui/text"
)

// A letter's QR code carries the practice's ODS code: this practice's
// letter signs in; another practice's is refused by name, before any date
// of birth is asked for.
func TestLetterQRCodeFromThisOrAnotherPractice(t *testing.T) {
	h := newHarness(t, Config{PracticeODS: "Y99999"})
	h.tap(text.T(text.BookAppointment))
	h.k.Scanned("gpkiosk-letter:v1?ods=A81001&account=" + h.account + "&key=ABCD2345EFGH")
	h.want(text.T(text.SignInOtherPractice))
	if h.screenHas(text.T(text.SignInDOBTitle)) {
		t.Fatal("asked for a date of birth for another practice's letter")
	}
	h.k.Scanned("gpkiosk-letter:v1?ods=Y99999&account=" + h.account + "&key=ABCD2345EFGH")
	h.want(text.T(text.SignInDOBTitle))
	if h.screenHas("ABCD2345EFGH") {
		t.Fatal("the letter's linkage key is on screen")
	}
	h.typeDOB(h.dob)
	h.want(text.T(text.BookWhatFor))
}

func TestReadScan(t *testing.T) {
	for code, want := range map[string]struct {
		id, ods string
		ok      bool
	}{
		"DEMO-0001":   {"DEMO-0001", "", true},
		" demo-0001 ": {"DEMO-0001", "", true},
		"gpkiosk-letter:v1?ods=Y99999&account=ACCT-1234&key=K": {"ACCT-1234", "Y99999", true},
		"gpkiosk-letter:v1?ods=Y99999":                         {"", "Y99999", false},
		"https://example.com/?account=DEMO-0001":               {"", "", false},
		"\x00\x07":                                             {"", "", false},
	} {
		id, ods, ok := readScan(code)
		if ok != want.ok || ods != want.ods || (ok && id != want.id) {
			t.Errorf("readScan(%q) = %q, %q, %v; want %+v", code, id, ods, ok, want)
		}
	}
}
