package practiceday_test

import (
	"regexp"
	"slices"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/demo"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/pretend"
	"gpkiosk/ui/practiceday"
)

func TestDemoIsThePretendPracticesFirstLetter(t *testing.T) {
	issued := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)
	p, want := pretend.Details(), demo.Letters()[0]
	l := practiceday.Demo(p, issued)
	if l.AccountID != "DEMO-0001" || l.AccountID != want.AccountID || l.ODS != "Y00000" || l.PracticeName != p.Name {
		t.Errorf("Demo = %+v; want DEMO-0001 at %s (Y00000)", l, p.Name)
	}
	if l.DateOfBirth != want.DateOfBirth || l.TypedDateOfBirth() != "15 03 1946" {
		t.Errorf("date of birth %v typed as %q, want the demo patient's, 15 03 1946", l.DateOfBirth, l.TypedDateOfBirth())
	}
	if !l.ExpiresAt.Equal(issued.Add(store.LetterValidity)) {
		t.Errorf("expires %v, want %v after issue as a real letter", l.ExpiresAt, store.LetterValidity)
	}
	// A linkage key as the store makes them: three groups of five from
	// the letter alphabet, so the learner sees what a real one looks like.
	if !regexp.MustCompile(`^[ACDEFGHJKMNPQRTUVWXY34679]{5}(-[ACDEFGHJKMNPQRTUVWXY34679]{5}){2}$`).MatchString(l.LinkageKey) {
		t.Errorf("linkage key %q is not in the real format", l.LinkageKey)
	}
	got, err := gpsync.ParseLetter(l.QRPayload())
	if err != nil || got != (gpsync.Letter{ODS: "Y00000", AccountID: "DEMO-0001", LinkageKey: l.LinkageKey}) {
		t.Errorf("QR payload %q reads as %+v, %v", l.QRPayload(), got, err)
	}
}

func TestLessonsAndSteps(t *testing.T) {
	d := practiceday.PracticeDay{Practised: []string{" Booking ", "", "Checking in", "Booking"}}
	if got := d.Lessons(); !slices.Equal(got, []string{"Booking", "Checking in"}) {
		t.Errorf("Lessons = %q", got)
	}
	if got := d.Steps(); !slices.Equal(got, practiceday.DefaultNextSteps()) || len(got) == 0 {
		t.Errorf("Steps with none given = %q, want the defaults", got)
	}
	d.NextSteps = []string{" ", "Come on Tuesday."}
	if got := d.Steps(); !slices.Equal(got, []string{"Come on Tuesday."}) {
		t.Errorf("Steps = %q", got)
	}
	if (practiceday.PretendLetter{}).HasCode() || (practiceday.PretendLetter{}).TypedDateOfBirth() != "" {
		t.Error("an empty letter claims a code or a date of birth")
	}
}
