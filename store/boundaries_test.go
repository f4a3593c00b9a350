package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// Easter Sunday as the published tables give it (the Book of Common
// Prayer's tables, as printed in almanacs; checked against
// python-dateutil's independent implementation when written): Good Friday
// and Easter Monday are bank holidays, so a wrong Easter moves two
// surgery closures and every ready-by date near them.
func TestEasterSundayAsPublished(t *testing.T) {
	published := map[int]Date{
		1990: {Year: 1990, Month: time.April, Day: 15},
		1991: {Year: 1991, Month: time.March, Day: 31},
		1992: {Year: 1992, Month: time.April, Day: 19},
		1993: {Year: 1993, Month: time.April, Day: 11},
		1994: {Year: 1994, Month: time.April, Day: 3},
		1995: {Year: 1995, Month: time.April, Day: 16},
		1996: {Year: 1996, Month: time.April, Day: 7},
		1997: {Year: 1997, Month: time.March, Day: 30},
		1998: {Year: 1998, Month: time.April, Day: 12},
		1999: {Year: 1999, Month: time.April, Day: 4},
		2000: {Year: 2000, Month: time.April, Day: 23},
		2001: {Year: 2001, Month: time.April, Day: 15},
		2002: {Year: 2002, Month: time.March, Day: 31},
		2003: {Year: 2003, Month: time.April, Day: 20},
		2004: {Year: 2004, Month: time.April, Day: 11},
		2005: {Year: 2005, Month: time.March, Day: 27},
		2006: {Year: 2006, Month: time.April, Day: 16},
		2007: {Year: 2007, Month: time.April, Day: 8},
		2008: {Year: 2008, Month: time.March, Day: 23},
		2009: {Year: 2009, Month: time.April, Day: 12},
		2010: {Year: 2010, Month: time.April, Day: 4},
		2011: {Year: 2011, Month: time.April, Day: 24},
		2012: {Year: 2012, Month: time.April, Day: 8},
		2013: {Year: 2013, Month: time.March, Day: 31},
		2014: {Year: 2014, Month: time.April, Day: 20},
		2015: {Year: 2015, Month: time.April, Day: 5},
		2016: {Year: 2016, Month: time.March, Day: 27},
		2017: {Year: 2017, Month: time.April, Day: 16},
		2018: {Year: 2018, Month: time.April, Day: 1},
		2019: {Year: 2019, Month: time.April, Day: 21},
		2020: {Year: 2020, Month: time.April, Day: 12},
		2021: {Year: 2021, Month: time.April, Day: 4},
		2022: {Year: 2022, Month: time.April, Day: 17},
		2023: {Year: 2023, Month: time.April, Day: 9},
		2024: {Year: 2024, Month: time.March, Day: 31},
		2025: {Year: 2025, Month: time.April, Day: 20},
		2026: {Year: 2026, Month: time.April, Day: 5},
		2027: {Year: 2027, Month: time.March, Day: 28},
		2028: {Year: 2028, Month: time.April, Day: 16},
		2029: {Year: 2029, Month: time.April, Day: 1},
		2030: {Year: 2030, Month: time.April, Day: 21},
		2031: {Year: 2031, Month: time.April, Day: 13},
		2032: {Year: 2032, Month: time.March, Day: 28},
		2033: {Year: 2033, Month: time.April, Day: 17},
		2034: {Year: 2034, Month: time.April, Day: 9},
		2035: {Year: 2035, Month: time.March, Day: 25},
		2036: {Year: 2036, Month: time.April, Day: 13},
		2037: {Year: 2037, Month: time.April, Day: 5},
		2038: {Year: 2038, Month: time.April, Day: 25},
		2039: {Year: 2039, Month: time.April, Day: 10},
		2040: {Year: 2040, Month: time.April, Day: 1},
		2041: {Year: 2041, Month: time.April, Day: 21},
		2042: {Year: 2042, Month: time.April, Day: 6},
		2043: {Year: 2043, Month: time.March, Day: 29},
		2044: {Year: 2044, Month: time.April, Day: 17},
		2045: {Year: 2045, Month: time.April, Day: 9},
		2046: {Year: 2046, Month: time.March, Day: 25},
		2047: {Year: 2047, Month: time.April, Day: 14},
		2048: {Year: 2048, Month: time.April, Day: 5},
		2049: {Year: 2049, Month: time.April, Day: 18},
		2050: {Year: 2050, Month: time.April, Day: 10},
		2051: {Year: 2051, Month: time.April, Day: 2},
		2052: {Year: 2052, Month: time.April, Day: 21},
		2053: {Year: 2053, Month: time.April, Day: 6},
		2054: {Year: 2054, Month: time.March, Day: 29},
		2055: {Year: 2055, Month: time.April, Day: 18},
		2056: {Year: 2056, Month: time.April, Day: 2},
		2057: {Year: 2057, Month: time.April, Day: 22},
		2058: {Year: 2058, Month: time.April, Day: 14},
		2059: {Year: 2059, Month: time.March, Day: 30},
		2060: {Year: 2060, Month: time.April, Day: 18},
		1900: {Year: 1900, Month: time.April, Day: 15},
		1943: {Year: 1943, Month: time.April, Day: 25},
		1954: {Year: 1954, Month: time.April, Day: 18},
		2285: {Year: 2285, Month: time.March, Day: 22},
	}
	for year, want := range published {
		if got := easterSunday(year); got != want {
			t.Errorf("Easter Sunday %d: got %s, want %s", year, got, want)
		}
		if !IsBankHoliday(want.AddDays(-2)) || !IsBankHoliday(want.AddDays(1)) {
			t.Errorf("%d: Good Friday %s and Easter Monday %s must be bank holidays", year, want.AddDays(-2), want.AddDays(1))
		}
	}
}

// A birthday is had on the day; someone born on 29 February has theirs
// on 1 March in a year with no 29 February, and nobody else's moves.
func TestAgeOnBirthdays(t *testing.T) {
	for _, c := range []struct {
		born, on string
		want     int
	}{
		{"1950-03-15", "2026-03-14", 75},
		{"1950-03-15", "2026-03-15", 76},
		{"1950-03-15", "2026-03-10", 75}, // not moved to 1 March
		{"1950-01-20", "2026-03-01", 76},
		{"1950-12-31", "2026-12-30", 75},
		{"2008-02-29", "2026-02-28", 17},
		{"2008-02-29", "2026-03-01", 18},
		{"2008-02-29", "2028-02-28", 19},
		{"2008-02-29", "2028-02-29", 20},
		{"2010-11-22", "2026-11-21", 15},
		{"2010-11-22", "2026-11-22", 16},
		{"1950-04-29", "2026-03-15", 75}, // the 29th of another month stays put
		{"1950-02-10", "2026-02-20", 76}, // as does another day of February
		{"1952-02-29", "2000-02-28", 47}, // 2000 has a 29 February (divisible by 400)
		{"1952-02-29", "2000-02-29", 48},
		{"1896-02-29", "1900-02-28", 3}, // 1900 has none (divisible by 100)
		{"1896-02-29", "1900-03-01", 4},
	} {
		if got := mustDate(t, c.born).AgeOn(mustDate(t, c.on)); got != c.want {
			t.Errorf("born %s, on %s: age %d, want %d", c.born, c.on, got, c.want)
		}
	}
}

// Leap years as the Gregorian calendar has them.
func TestLeapYears(t *testing.T) {
	for y, want := range map[int]bool{1900: false, 2000: true, 2024: true, 2026: false, 2100: false, 2400: true, 1996: true, 1999: false} {
		if isLeap(y) != want {
			t.Errorf("%d: leap %v, want %v", y, !want, want)
		}
	}
}

// Dates are real calendar days from 1850 to 9999.
func TestNewDateLimits(t *testing.T) {
	for _, c := range []struct {
		y     int
		m     time.Month
		d     int
		valid bool
	}{
		{1850, time.January, 1, true},
		{1849, time.December, 31, false},
		{9999, time.December, 31, true},
		{10000, time.January, 1, false},
		{2028, time.February, 29, true},
		{2026, time.February, 29, false},
		{2000, time.February, 29, true},
		{1900, time.February, 29, false},
		{2026, time.April, 31, false},
		{2026, time.December, 0, false},
	} {
		_, err := NewDate(c.y, c.m, c.d)
		if (err == nil) != c.valid {
			t.Errorf("NewDate(%d, %s, %d): error %v, want valid %v", c.y, c.m, c.d, err, c.valid)
		}
		if err != nil && !errors.Is(err, ReasonInvalidDate) {
			t.Errorf("NewDate(%d, %s, %d): %v, want %s", c.y, c.m, c.d, err, ReasonInvalidDate)
		}
	}
}

// The practice's minimum age is reached on the birthday itself.
func TestRegistrationAtExactlyTheMinimumAge(t *testing.T) {
	today := Date{Year: 2026, Month: time.November, Day: 22}
	r := RegistrationRequest{PatientBorn: Date{Year: 2010, Month: time.November, Day: 22}, Today: today, MinAgeYears: 16,
		VerificationMethod: VerifyPhotoIDAndAddress, CoercionConsidered: true, Appointments: true, RecordAccess: RecordAccessNone}
	if err := CheckRegistration(r); err != nil {
		t.Errorf("a patient 16 today was refused: %v", err)
	}
	r.MinAgeYears = 17
	if err := CheckRegistration(r); !errors.Is(err, ReasonUnderMinimumAge) {
		t.Errorf("a patient of 16 with a minimum of 17: %v, want %s", err, ReasonUnderMinimumAge)
	}
}

// A proxy is an adult of 16 or over from their birthday; their name is
// what fits the letter, 100 bytes at most.
func TestProxyBoundaries(t *testing.T) {
	today := Date{Year: 2026, Month: time.November, Day: 22}
	ok := ProxyRequest{PatientBorn: Date{Year: 1940, Month: time.June, Day: 3}, Today: today, ProxyName: "Sam Jones",
		ProxyBorn: Date{Year: 2010, Month: time.November, Day: 22}, Relationship: "carer", LegalBasis: BasisPatientConsent,
		Appointments: true, ProxyVerification: VerifyVouching, SafeguardingConsidered: true, CoercionConsidered: true}
	if err := CheckProxy(ok); err != nil {
		t.Errorf("a proxy 16 today was refused: %v", err)
	}
	young := ok
	young.ProxyBorn = Date{Year: 2010, Month: time.November, Day: 23}
	if err := CheckProxy(young); !errors.Is(err, ReasonInvalidInput) {
		t.Errorf("a proxy 16 tomorrow: %v, want %s", err, ReasonInvalidInput)
	}
	long := ok
	long.ProxyName = strings.Repeat("a", 100)
	if err := CheckProxy(long); err != nil {
		t.Errorf("a 100-byte name was refused: %v", err)
	}
	long.ProxyName = strings.Repeat("a", 101)
	if err := CheckProxy(long); !errors.Is(err, ReasonInvalidInput) {
		t.Errorf("a 101-byte name: %v, want %s", err, ReasonInvalidInput)
	}
	// Parental responsibility ends on the patient's 16th birthday.
	child := ok
	child.LegalBasis, child.Relationship = BasisParentalResponsibility, "parent"
	child.ProxyBorn = Date{Year: 1980, Month: time.January, Day: 1}
	child.PatientBorn = Date{Year: 2010, Month: time.November, Day: 23}
	if err := CheckProxy(child); err != nil {
		t.Errorf("parental responsibility the day before 16 was refused: %v", err)
	}
	child.PatientBorn = Date{Year: 2010, Month: time.November, Day: 22}
	if err := CheckProxy(child); !errors.Is(err, ReasonProxyBasis) {
		t.Errorf("parental responsibility on the 16th birthday: %v, want %s", err, ReasonProxyBasis)
	}
}

// Letters' codes use every character of the alphabet, so each character
// carries its share of the guessing space (a code drawn from a few
// letters would be easy to guess).
func TestRegistrationDetailsUseTheWholeAlphabet(t *testing.T) {
	seen := map[rune]int{}
	for range 200 {
		d, err := NewRegistrationDetails()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range strings.ReplaceAll(d.AccountID+d.LinkageKey, "-", "") {
			seen[r]++
		}
	}
	for _, r := range codeAlphabet {
		// 5,400 characters drawn: about 216 each; fewer than 100 would be
		// a fault, not chance.
		if seen[r] < 100 {
			t.Errorf("%q drawn %d times in 5,400", r, seen[r])
		}
	}
	if len(seen) != len(codeAlphabet) {
		t.Errorf("drew %d distinct characters, want the alphabet's %d", len(seen), len(codeAlphabet))
	}
}

// Patients booking for themselves see every free time up to and
// including the last day of the booking window, and nothing after it;
// reception sees past it.
func TestFreeSlotsReachTheLastDayOfTheWindow(t *testing.T) {
	ctx := context.Background()
	monday := mustDate(t, "2026-06-08")
	f := newFixture(t, monday.At(8, 0, london(t)), monday, 40)
	p := f.addPatient(t, "Window", "999000001", "1960-05-05")
	last := monday.AddDays(DefaultSettings().BookingWindowDays) // Monday 6 July
	free, err := f.st.FreeSlots(ctx, p, ChannelKiosk, monday, 40)
	if err != nil {
		t.Fatal(err)
	}
	if len(free) == 0 {
		t.Fatal("no free times at all")
	}
	if got := DateOf(free[len(free)-1].StartsAt, f.loc); got != last {
		t.Errorf("the kiosk's last free day is %s, want the window's last day %s", got, last)
	}
	desk, err := f.st.FreeSlots(ctx, p, ChannelReception, monday, 40)
	if err != nil {
		t.Fatal(err)
	}
	if got := DateOf(desk[len(desk)-1].StartsAt, f.loc); !got.After(last) {
		t.Errorf("reception's last free day is %s, want past the patients' window %s", got, last)
	}
}

// Missed appointments that reception booked do not count towards
// suspending a patient's own online booking: the rule is about bookings
// the patient made themselves.
func TestReceptionNoShowsDoNotSuspendOnlineBooking(t *testing.T) {
	ctx := context.Background()
	f, monday := bookingFixture(t)
	p := f.addPatient(t, "Missed", "999000001", "1960-05-05")
	staff := Actor{Name: "staff:1", Device: "desk"}
	for i, day := range []Date{monday.AddDays(1), monday.AddDays(2), monday.AddDays(3)} {
		f.clock.Set(monday.At(8, 0, f.loc).AddDate(0, 0, i))
		appt, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: f.slotAt(t, day, 9, 0), PatientID: p, Channel: ChannelReception, Actor: staff})
		if err != nil {
			t.Fatalf("booking %d: %v", i, err)
		}
		f.clock.Set(day.At(10, 0, f.loc))
		if err := f.st.RecordOutcome(ctx, staff, appt.ID, StatusDidNotAttend); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.count(t, "SELECT count(*) FROM patients WHERE id = ? AND online_booking_suspended = 1", p); n != 0 {
		t.Error("three missed reception bookings suspended the patient's online booking")
	}
}

// The kiosk verifier is the documented formula (docs/sync-protocol.md),
// checked against a hash worked out by hand, not by the code under test:
// a device built from the documentation must match the server.
func TestKioskVerifierIsTheDocumentedFormula(t *testing.T) {
	// hex(SHA-256("gpkiosk-kiosk-v2\x1f" + "RAYW7M4VFRAD" + "\x1f" + "1946-03-15"))
	const want = "0e1c6e258c049d55719c41af011536e3b1596a3246a9a6cf83826e7c1e36ac47"
	born := Date{Year: 1946, Month: time.March, Day: 15}
	for _, id := range []string{"RAYW-7M4V-FRAD", "rayw7m4vfrad", " Rayw 7m4v-frad "} {
		if got := KioskVerifier(id, born); got != want {
			t.Errorf("KioskVerifier(%q) = %s, want %s", id, got, want)
		}
	}
}

// Dates order by year, then month, then day.
func TestDateCompare(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"2026-06-08", "2026-06-08", 0},
		{"2026-06-08", "2026-06-09", -1},
		{"2026-06-09", "2026-06-08", 1},
		{"2026-05-30", "2026-06-01", -1},
		{"2026-07-01", "2026-06-30", 1},
		{"2025-12-31", "2026-01-01", -1},
		{"2027-01-01", "2026-12-31", 1},
	} {
		a, b := mustDate(t, c.a), mustDate(t, c.b)
		if got := a.Compare(b); got != c.want {
			t.Errorf("%s vs %s: %d, want %d", c.a, c.b, got, c.want)
		}
		if a.Before(b) != (c.want < 0) || a.After(b) != (c.want > 0) {
			t.Errorf("%s vs %s: Before %v After %v", c.a, c.b, a.Before(b), a.After(b))
		}
	}
}

// A set-up code lasts from a moment up to 30 days; it is two groups of
// five letters; a device named nothing is called by its role; a device's
// own name is 80 letters at most.
func TestEnrolmentCodeLimits(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, time.Date(2026, time.June, 8, 8, 0, 0, 0, time.UTC), mustDate(t, "2026-06-08"), 1)
	manager := Actor{Name: "manager:test", Device: "test"}
	for _, c := range []struct {
		valid time.Duration
		ok    bool
	}{{0, false}, {time.Second, true}, {30 * 24 * time.Hour, true}, {30*24*time.Hour + time.Second, false}} {
		_, err := f.st.NewEnrolmentCode(ctx, manager, DeviceKiosk, "kiosk", c.valid)
		if (err == nil) != c.ok {
			t.Errorf("valid for %v: %v, want accepted %v", c.valid, err, c.ok)
		}
	}
	code, err := f.st.NewEnrolmentCode(ctx, manager, DeviceDesktop, "  ", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != 11 || code[5] != '-' || strings.Trim(code[:5]+code[6:], codeAlphabet) != "" {
		t.Errorf("code %q, want five letters, a hyphen and five more from the alphabet", code)
	}
	if _, _, err := f.st.Enrol(ctx, code, strings.Repeat("é", 81)); !errors.Is(err, ReasonInvalidInput) {
		t.Errorf("an 81-letter device name: %v", err)
	}
	dev, _, err := f.st.Enrol(ctx, code, "")
	if err != nil {
		t.Fatalf("a device that gives no name of its own: %v", err)
	}
	if dev.Name != DeviceDesktop {
		t.Errorf("a device named nothing is called %q, want its role %q", dev.Name, DeviceDesktop)
	}
	code2, err := f.st.NewEnrolmentCode(ctx, manager, DeviceKiosk, "Waiting room", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.st.Enrol(ctx, code2, strings.Repeat("é", 80)); err != nil {
		t.Errorf("an 80-letter device name: %v", err)
	}
}

// Staff know a device by where it stands: the name the manager gave its
// set-up code wins over the host name the device sends; a device whose code
// has no name is called what it calls itself.
func TestTheManagersNameForADeviceWins(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, time.Date(2026, time.June, 8, 8, 0, 0, 0, time.UTC), mustDate(t, "2026-06-08"), 1)
	manager := Actor{Name: "manager:test", Device: "test"}
	for _, c := range []struct{ given, own, want string }{
		{"Waiting room kiosk", "vm", "Waiting room kiosk"},
		{"", " Front desk PC ", "Front desk PC"},
		{"", "", DeviceKiosk},
	} {
		code, err := f.st.NewEnrolmentCode(ctx, manager, DeviceKiosk, c.given, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		dev, _, err := f.st.Enrol(ctx, code, c.own)
		if err != nil {
			t.Fatal(err)
		}
		listed, err := f.st.Devices(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var stored string
		for _, d := range listed {
			if d.ID == dev.ID {
				stored = d.Name
			}
		}
		if dev.Name != c.want || stored != c.want {
			t.Errorf("code named %q, device calls itself %q: named %q (stored %q), want %q", c.given, c.own, dev.Name, stored, c.want)
		}
	}
}
