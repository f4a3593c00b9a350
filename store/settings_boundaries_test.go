package store

import (
	"errors"
	"testing"
	"time"
)

// A practice may set any of its numbers to nothing (no notice, no leases)
// and to the most the rules allow (a year's window, 120 years of age),
// but not below nothing or past those.
func TestSettingsLimits(t *testing.T) {
	for name, c := range map[string]struct {
		change func(*Settings)
		ok     bool
	}{
		"no notice":            {func(s *Settings) { s.MinNoticeMinutes = 0 }, true},
		"no kiosk leases":      {func(s *Settings) { s.KioskLeasesPerDay = 0 }, true},
		"negative notice":      {func(s *Settings) { s.MinNoticeMinutes = -1 }, false},
		"a window of 365 days": {func(s *Settings) { s.BookingWindowDays = 365 }, true},
		"a window of 366 days": {func(s *Settings) { s.BookingWindowDays = 366 }, false},
		"a minimum age of 120": {func(s *Settings) { s.MinAgeYears = 120 }, true},
		"a minimum age of 121": {func(s *Settings) { s.MinAgeYears = 121 }, false},
		// The least a practice can choose: a window of one day, and the
		// shortest idle times people can still answer.
		"the least of everything": {func(s *Settings) {
			*s = Settings{BookingWindowDays: 1, DeviceTimeBackHours: 1, CheckInAfterMinutes: 1, KioskIdleSeconds: 21,
				KioskIdleWarningSeconds: 20, StaffIdleMinutes: 1}
		}, true},
		"a window of 0 days (it offers nothing)": {func(s *Settings) { s.BookingWindowDays, s.MinNoticeMinutes = 0, 0 }, false},
		// A device's clock: believed from an hour to a month back, and
		// up to an hour ahead.
		"device time back 0 hours":    {func(s *Settings) { s.DeviceTimeBackHours = 0 }, false},
		"device time back 30 days":    {func(s *Settings) { s.DeviceTimeBackHours = MaxDeviceTimeBackHours }, true},
		"device time back 30 days+1h": {func(s *Settings) { s.DeviceTimeBackHours = MaxDeviceTimeBackHours + 1 }, false},
		"device time ahead 0":         {func(s *Settings) { s.DeviceTimeAheadMinutes = 0 }, true},
		"device time ahead 60":        {func(s *Settings) { s.DeviceTimeAheadMinutes = 60 }, true},
		"device time ahead 61":        {func(s *Settings) { s.DeviceTimeAheadMinutes = 61 }, false},
	} {
		st := DefaultSettings()
		c.change(&st)
		if err := st.Validate(); (err == nil) != c.ok {
			t.Errorf("%s: %v, want accepted %v", name, err, c.ok)
		}
	}
}

// A patient may consent to a proxy from their 16th birthday, not the day
// before.
func TestPatientConsentFromSixteen(t *testing.T) {
	today := Date{Year: 2026, Month: time.November, Day: 22}
	p := ProxyRequest{PatientBorn: Date{Year: 2010, Month: time.November, Day: 22}, Today: today, ProxyName: "Sam Jones",
		ProxyBorn: Date{Year: 1970, Month: time.March, Day: 1}, Relationship: "carer", LegalBasis: BasisPatientConsent,
		Appointments: true, ProxyVerification: VerifyVouching, SafeguardingConsidered: true, CoercionConsidered: true}
	if err := CheckProxy(p); err != nil {
		t.Errorf("consent on the 16th birthday: %v", err)
	}
	p.PatientBorn = Date{Year: 2010, Month: time.November, Day: 23}
	if err := CheckProxy(p); !errors.Is(err, ReasonProxyBasis) {
		t.Errorf("consent the day before 16: %v, want %s", err, ReasonProxyBasis)
	}
}
