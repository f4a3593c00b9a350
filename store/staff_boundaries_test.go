package store

import (
	"strings"
	"testing"
)

// A staff password is 12 to 128 characters, not only digits and not one
// character repeated: no PIN, however long.
func TestStaffPasswordLimits(t *testing.T) {
	for pw, ok := range map[string]bool{
		"pppppppppppq":                 true,
		"pppppppppppp":                 false, // one letter twelve times
		"ppppppppppq":                  false, // eleven
		strings.Repeat("é", 127) + "e": true,
		strings.Repeat("é", 129):       false,
		"739154":                       false, // a PIN
		"739154826031":                 false, // twelve digits: still a PIN
		"7391548260a1":                 true,
	} {
		if err := CheckStaffPassword(pw); (err == nil) != ok {
			t.Errorf("%q (%d letters): %v, want accepted %v", pw, len([]rune(pw)), err, ok)
		}
	}
}

// A member of staff's name may be 100 letters long, not 101.
func TestStaffNameLimit(t *testing.T) {
	n := NewStaff{Username: "reception", DisplayName: strings.Repeat("é", maxStaffNameChars), Role: StaffReceptionist, Password: "front-desk-2026"}
	if _, err := n.validate(); err != nil {
		t.Errorf("a %d-letter name: %v", maxStaffNameChars, err)
	}
	n.DisplayName += "é"
	if _, err := n.validate(); err == nil {
		t.Errorf("a %d-letter name accepted", maxStaffNameChars+1)
	}
}

// Refusals say times as people do: "1 hour", "2 hours", "90 minutes",
// "1 minute".
func TestPlainMinutes(t *testing.T) {
	for m, want := range map[int]string{60: "1 hour", 120: "2 hours", 90: "90 minutes", 1: "1 minute", 30: "30 minutes", 0: "0 minutes"} {
		if got := plainMinutes(m); got != want {
			t.Errorf("plainMinutes(%d) = %q, want %q", m, got, want)
		}
	}
}
