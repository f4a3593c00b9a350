package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// testClock is a settable clock shared by a test and its store.
type testClock struct{ unix atomic.Int64 }

func (c *testClock) Now() time.Time          { return time.Unix(c.unix.Load(), 0).UTC() }
func (c *testClock) Set(t time.Time)         { c.unix.Store(t.Unix()) }
func (c *testClock) Advance(d time.Duration) { c.unix.Add(int64(d / time.Second)) }

// fixture is a small practice in a real SQLite file: two GPs (one not
// bookable online), routine and urgent slot types, 10-minute slots
// 09:00-12:00 on the surgery days from day for days days, and patients.
type fixture struct {
	st       *Store
	clock    *testClock
	loc      *time.Location
	path     string
	gp       int64 // online-bookable GP
	routine  int64
	urgent   int64
	patients map[string]int64 // by label
}

func newFixture(t testing.TB, now time.Time, from Date, days int) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{clock: &testClock{}, loc: london(t), path: filepath.Join(t.TempDir(), "practice.db"), patients: map[string]int64{}}
	f.clock.Set(now)
	st, err := Open(ctx, f.path, WithClock(f.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.st = st
	if err := st.SetupPractice(ctx, Practice{ODSCode: "Y99999", Name: "Test Surgery", Address: "1 High Street", Postcode: "ZZ1 1ZZ", Phone: "01632 960000"}, DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	err = st.Load(ctx, func(l *Loader) error {
		var err error
		if f.gp, err = l.AddClinician(Clinician{DisplayName: "Dr Test", Role: RoleGP, OnlineBookable: true}); err != nil {
			return err
		}
		if f.routine, err = l.AddSlotType(SlotType{Code: "gp10", Name: "GP appointment (10 minutes)", Minutes: 10, ClinicianRole: RoleGP, OnlineBookable: true}); err != nil {
			return err
		}
		if f.urgent, err = l.AddSlotType(SlotType{Code: "gpurg", Name: "GP urgent", Minutes: 10, ClinicianRole: RoleGP, Urgent: true}); err != nil {
			return err
		}
		for d := range days {
			day := from.AddDays(d)
			if !IsWorkingDay(day) {
				continue
			}
			sess := NewSession{ClinicianID: f.gp, Day: day, StartsAt: day.At(9, 0, f.loc), EndsAt: day.At(12, 0, f.loc), Room: "1"}
			for m := 0; m < 180; m += 10 {
				start := day.At(9, m, f.loc)
				urgent := m >= 150 // the last three slots of each morning stay with reception
				sl := NewSlot{SlotTypeID: f.routine, StartsAt: start, EndsAt: start.Add(10 * time.Minute), OnlineBookable: !urgent}
				if urgent {
					sl.SlotTypeID, sl.ReceptionOnly = f.urgent, true
				}
				sess.Slots = append(sess.Slots, sl)
			}
			if _, err := l.AddSession(sess); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// addPatient registers a synthetic adult (or the given date of birth).
func (f *fixture) addPatient(t testing.TB, label, nine, dob string) int64 {
	t.Helper()
	nhs, ok := NHSNumberFromNine(nine)
	if !ok {
		t.Fatalf("%s cannot start an NHS number", nine)
	}
	var id int64
	err := f.st.Load(context.Background(), func(l *Loader) error {
		var err error
		id, err = l.AddPatient(NewPatient{NHSNumber: string(nhs), GivenName: "Pat", FamilyName: label, Sex: SexFemale,
			DateOfBirth: mustDate(t, dob), Address: "1 Test Road", Postcode: "ZZ1 1ZZ"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f.patients[label] = id
	return id
}

// slotAt finds the slot starting at hh:mm on day.
func (f *fixture) slotAt(t testing.TB, day Date, hh, mm int) int64 {
	t.Helper()
	var id int64
	if err := f.st.read.QueryRow("SELECT id FROM slots WHERE starts_at = ?", day.At(hh, mm, f.loc).Unix()).Scan(&id); err != nil {
		t.Fatalf("no slot at %s %02d:%02d: %v", day, hh, mm, err)
	}
	return id
}

func (f *fixture) count(t testing.TB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.st.read.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func kiosk(patientID int64) Actor {
	return Actor{Name: "patient:" + strconv.FormatInt(patientID, 10), Device: "kiosk-1"}
}

// syntheticNines returns n nine-digit starts of valid 999-range numbers.
func syntheticNines(n int) []string {
	var out []string
	for i := 100; len(out) < n; i++ {
		nine := fmt.Sprintf("999%06d", i)
		if _, ok := NHSNumberFromNine(nine); ok {
			out = append(out, nine)
		}
	}
	return out
}
