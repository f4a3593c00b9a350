package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// The furthest day of the booking window opens at the practice's release
// time on the clock in London, the same clock time on the days the clocks
// change as on any other.
func TestFurthestDayOpensAtTheReleaseTime(t *testing.T) {
	loc := london(t)
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.DateTime, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, c := range []struct {
		name    string
		release int    // minutes after midnight
		now     string // UTC
		want    string // the last bookable day
	}{
		{"midnight release: the whole window from midnight", 0, "2026-06-08 23:00:00", "2026-07-07"}, // 00:00 BST on 9 June
		{"midnight release: the last moment of a day", 0, "2026-06-08 22:59:59", "2026-07-06"},
		{"a minute before 07:00 in summer", 7 * 60, "2026-06-09 05:59:00", "2026-07-06"},
		{"07:00 in summer (06:00 UTC)", 7 * 60, "2026-06-09 06:00:00", "2026-07-07"},
		{"a minute before 07:00 in winter", 7 * 60, "2026-01-13 06:59:00", "2026-02-09"},
		{"07:00 in winter", 7 * 60, "2026-01-13 07:00:00", "2026-02-10"},
		// 29 March 2026: the clocks go forward at 01:00 GMT.
		{"clocks forward: 06:59 BST", 7 * 60, "2026-03-29 05:59:00", "2026-04-25"},
		{"clocks forward: 07:00 BST", 7 * 60, "2026-03-29 06:00:00", "2026-04-26"},
		{"clocks forward: before a time the clock skips", 90, "2026-03-29 00:59:59", "2026-04-25"},
		{"clocks forward: 01:30 is skipped, so it opens at the jump (02:00 BST)", 90, "2026-03-29 01:00:00", "2026-04-26"},
		// 25 October 2026: the clocks go back at 02:00 BST (01:00 UTC).
		{"clocks back: 06:59 GMT", 7 * 60, "2026-10-25 06:59:00", "2026-11-21"},
		{"clocks back: 06:00 UTC is 06:00 GMT, not yet 07:00", 7 * 60, "2026-10-25 06:00:00", "2026-11-21"},
		{"clocks back: 07:00 GMT", 7 * 60, "2026-10-25 07:00:00", "2026-11-22"},
		{"clocks back: 01:30 is shown twice; before the first", 90, "2026-10-25 00:29:00", "2026-11-21"},
		{"clocks back: 01:30 BST, the first time", 90, "2026-10-25 00:30:00", "2026-11-22"},
		{"clocks back: 01:30 GMT, the second time, stays open", 90, "2026-10-25 01:30:00", "2026-11-22"},
	} {
		st := DefaultSettings()
		st.DailyReleaseMinutes = c.release
		if got := st.LastBookableDay(utc(c.now), loc); got.String() != c.want {
			t.Errorf("%s: last bookable day %s, want %s", c.name, got, c.want)
		}
	}
}

// Before the release time the furthest day's slot is refused as not yet
// released, saying when it opens; from then on it can be booked.
func TestCheckSlotOnTheFurthestDay(t *testing.T) {
	loc := london(t)
	st := DefaultSettings()
	st.DailyReleaseMinutes = 8 * 60
	today := Date{Year: 2026, Month: time.June, Day: 9}
	slot := SlotFacts{StartsAt: today.AddDays(st.BookingWindowDays).At(10, 0, loc), OnlineBookable: true, ClinicianOnline: true, TypeOnline: true}
	err := st.CheckSlot(today.At(7, 59, loc), loc, ChannelKiosk, slot)
	wantReason(t, err, ReasonSlotNotReleased)
	if re, _ := AsRuleError(err); !strings.Contains(re.Message, "08:00 on 2026-06-09") {
		t.Errorf("the refusal does not say when it opens: %q", re.Message)
	}
	wantReason(t, st.CheckSlot(today.At(8, 0, loc), loc, ChannelKiosk, slot), "")
	// Reception books any released slot, whatever the window.
	wantReason(t, st.CheckSlot(today.At(7, 59, loc), loc, ChannelReception, slot), "")
	// A day past the window is still past it.
	slot.StartsAt = slot.StartsAt.AddDate(0, 0, 1)
	wantReason(t, st.CheckSlot(today.At(8, 0, loc), loc, ChannelKiosk, slot), ReasonBeyondBookingWindow)
}

// The server offers the furthest day's slots only from the release time.
func TestFreeSlotsHoldBackTheFurthestDayUntilItsRelease(t *testing.T) {
	ctx := context.Background()
	loc := london(t)
	today := Date{Year: 2026, Month: time.June, Day: 9} // a Tuesday
	f := newFixture(t, today.At(7, 0, loc), today, 10)
	p := f.addPatient(t, "adult", "999000001", "1980-01-01")
	st := DefaultSettings()
	st.BookingWindowDays, st.DailyReleaseMinutes = 7, 7*60+30
	if err := f.st.UpdateSettings(ctx, Actor{Name: "manager:test", Device: "desk"}, st); err != nil {
		t.Fatal(err)
	}
	furthest := today.AddDays(7)
	onFurthest := func() int {
		slots, err := f.st.FreeSlots(ctx, p, ChannelKiosk, today, 10)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, s := range slots {
			if DateOf(s.StartsAt, loc) == furthest {
				n++
			}
		}
		return n
	}
	f.clock.Set(today.At(7, 29, loc))
	if n := onFurthest(); n != 0 {
		t.Fatalf("%d slots offered on %s before 07:30", n, furthest)
	}
	if _, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: f.slotAt(t, furthest, 9, 0), PatientID: p, Channel: ChannelKiosk, Actor: kiosk(p)}); !errors.Is(err, ReasonSlotNotReleased) {
		t.Fatalf("booking the furthest day before its release: %v", err)
	}
	f.clock.Set(today.At(7, 30, loc))
	if n := onFurthest(); n == 0 {
		t.Fatalf("nothing offered on %s at 07:30", furthest)
	}
}

// Every bad value is refused with its own sentence, naming its field, as
// the store's ordinary refusal; the settings stay as they were and no
// audit event is written.
func TestUpdateSettingsRefusesEachBadValue(t *testing.T) {
	ctx := context.Background()
	loc := london(t)
	today := Date{Year: 2026, Month: time.June, Day: 9}
	f := newFixture(t, today.At(7, 0, loc), today, 1)
	manager := Actor{Name: "manager:test", Device: "desk"}
	for _, c := range []struct {
		change func(*Settings)
		field  string
		says   string
	}{
		{func(s *Settings) { s.BookingWindowDays = 0 }, "BookingWindowDays", "The booking window must be between 1 and 365 days."},
		{func(s *Settings) { s.BookingWindowDays = 366 }, "BookingWindowDays", "The booking window must be between 1 and 365 days."},
		{func(s *Settings) { s.MinNoticeMinutes = -1 }, "MinNoticeMinutes", "minimum notice for booking must be between 0 minutes and 7 days"},
		{func(s *Settings) { s.BookingWindowDays, s.MinNoticeMinutes = 1, 24*60 }, "MinNoticeMinutes", "must be shorter than the booking window"},
		{func(s *Settings) { s.MaxHeldAppointments = 51 }, "MaxHeldAppointments", "between 0 and 50"},
		{func(s *Settings) { s.MaxHeldAppointments, s.MaxHeldUnverified = 1, 2 }, "MaxHeldUnverified",
			"Patients who are not fully identity-checked cannot hold more appointments than patients who are."},
		{func(s *Settings) { s.MaxHeldUnverified = -1 }, "MaxHeldUnverified", "not fully identity-checked may hold must be between 0 and 50"},
		{func(s *Settings) { s.MinAgeYears = 121 }, "MinAgeYears", "The minimum age for online services must be between 0 and 120 years."},
		{func(s *Settings) { s.CancelCutoffMinutes = -5 }, "CancelCutoffMinutes", "can no longer cancel it themselves"},
		{func(s *Settings) { s.DNASuspendCount = -1 }, "DNASuspendCount", "missed appointments that pauses online booking"},
		{func(s *Settings) { s.DNALookbackDays = 0 }, "DNALookbackDays", "must be counted over at least 1 day"},
		{func(s *Settings) { s.DNALookbackDays = 2000 }, "DNALookbackDays", "at most 3 years"},
		{func(s *Settings) { s.CheckInBeforeMinutes = 24*60 + 1 }, "CheckInBeforeMinutes", "Check-in can open at most 24 hours"},
		{func(s *Settings) { s.CheckInAfterMinutes = -1 }, "CheckInAfterMinutes", "Check-in can stay open at most 24 hours"},
		{func(s *Settings) { s.CheckInBeforeMinutes, s.CheckInAfterMinutes = 0, 0 }, "CheckInAfterMinutes", "Check-in must be open for some time"},
		{func(s *Settings) { s.RepeatProcessingDays = 31 }, "RepeatProcessingDays", "between 0 and 30 working days"},
		{func(s *Settings) { s.RepeatNoteMaxChars = 2001 }, "RepeatNoteMaxChars", "between 0 and 2000 characters"},
		{func(s *Settings) { s.KioskLeasesPerDay = -1 }, "KioskLeasesPerDay", "between 0 and 1000 appointments a day"},
		{func(s *Settings) { s.LeaseReturnMinutes = MaxNoticeMinutes + 1 }, "LeaseReturnMinutes", "go back to everyone"},
		{func(s *Settings) { s.DeviceTimeBackHours = 0 }, "DeviceTimeBackHours", "from 1 hour to 30 days old"},
		{func(s *Settings) { s.DeviceTimeAheadMinutes = 61 }, "DeviceTimeAheadMinutes", "up to 60 minutes ahead"},
		{func(s *Settings) { s.LeaseIdleMinutes = MaxLeaseIdleMinutes + 1 }, "LeaseIdleMinutes", "at most 10080 minutes (a week)"},
		{func(s *Settings) { s.DailyReleaseMinutes = 24 * 60 }, "DailyReleaseMinutes", "between 00:00 and 23:59"},
		{func(s *Settings) { s.DailyReleaseMinutes = -1 }, "DailyReleaseMinutes", "between 00:00 and 23:59"},
		{func(s *Settings) { s.KioskIdleSeconds = 19 }, "KioskIdleSeconds", "between 20 seconds and 10 minutes"},
		{func(s *Settings) { s.KioskIdleSeconds = 601 }, "KioskIdleSeconds", "between 20 seconds and 10 minutes"},
		{func(s *Settings) { s.KioskIdleWarningSeconds = 19 }, "KioskIdleWarningSeconds", "between 20 and 120 seconds to answer"},
		{func(s *Settings) { s.KioskIdleWarningSeconds = 121 }, "KioskIdleWarningSeconds", "between 20 and 120 seconds to answer"},
		{func(s *Settings) { s.KioskIdleSeconds, s.KioskIdleWarningSeconds = 30, 30 }, "KioskIdleWarningSeconds",
			"must be shorter than the time a kiosk waits before showing it"},
		{func(s *Settings) { s.StaffIdleMinutes = 0 }, "StaffIdleMinutes", "between 1 and 60 minutes"},
		{func(s *Settings) { s.StaffIdleMinutes = 61 }, "StaffIdleMinutes", "between 1 and 60 minutes"},
	} {
		before, err := f.st.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		audits := f.count(t, "SELECT count(*) FROM audit_events")
		bad := before
		c.change(&bad)
		err = f.st.UpdateSettings(ctx, manager, bad)
		var ps SettingsProblems
		if !errors.As(err, &ps) {
			t.Errorf("%s: %v, want SettingsProblems", c.field, err)
			continue
		}
		if msg, ok := ps.Problem(c.field); !ok || !strings.Contains(msg, c.says) {
			t.Errorf("%s: problems %+v, want %q", c.field, ps, c.says)
		}
		// Still the store's ordinary refusal, so every caller's handling
		// (and the API's invalid_input) stands.
		if re, ok := AsRuleError(err); !ok || !errors.Is(err, ReasonInvalidInput) || !strings.Contains(re.Message, c.says) {
			t.Errorf("%s: %v is not a refusal saying %q", c.field, err, c.says)
		}
		if after, _ := f.st.Settings(ctx); after != before {
			t.Errorf("%s: the settings changed: %+v", c.field, after)
		}
		if n := f.count(t, "SELECT count(*) FROM audit_events"); n != audits {
			t.Errorf("%s: %d audit events written for a refusal", c.field, n-audits)
		}
	}
}

// Several mistakes at once are all listed, so the manager fixes them in
// one go; a good change is saved with its audit event.
func TestUpdateSettingsListsEveryProblemAndSavesGoodOnes(t *testing.T) {
	ctx := context.Background()
	loc := london(t)
	today := Date{Year: 2026, Month: time.June, Day: 9}
	f := newFixture(t, today.At(7, 0, loc), today, 1)
	manager := Actor{Name: "manager:test", Device: "desk"}
	bad := DefaultSettings()
	bad.BookingWindowDays, bad.StaffIdleMinutes, bad.MaxHeldUnverified = 0, 0, 3
	var ps SettingsProblems
	if err := f.st.UpdateSettings(ctx, manager, bad); !errors.As(err, &ps) || len(ps) != 3 {
		t.Fatalf("%v: want three problems", err)
	}
	for _, field := range []string{"BookingWindowDays", "StaffIdleMinutes", "MaxHeldUnverified"} {
		if _, ok := ps.Problem(field); !ok {
			t.Errorf("%s is not among %+v", field, ps)
		}
	}
	good := DefaultSettings()
	good.KioskIdleSeconds, good.KioskIdleWarningSeconds, good.StaffIdleMinutes = 90, 45, 12
	good.ReadAloudDefault, good.DailyReleaseMinutes = true, 7*60
	audits := f.count(t, "SELECT count(*) FROM audit_events WHERE action = 'settings.update'")
	if err := f.st.UpdateSettings(ctx, manager, good); err != nil {
		t.Fatal(err)
	}
	if got, err := f.st.Settings(ctx); err != nil || got != good {
		t.Fatalf("saved %+v %v, want %+v", got, err, good)
	}
	if n := f.count(t, "SELECT count(*) FROM audit_events WHERE action = 'settings.update'"); n != audits+1 {
		t.Errorf("%d settings.update events, want %d", n, audits+1)
	}
}
