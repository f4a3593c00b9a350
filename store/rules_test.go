package store

import (
	"errors"
	"testing"
	"time"
)

func london(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

// wantReason checks err carries reason (or is nil when reason is "").
func wantReason(t *testing.T, err error, reason Reason) {
	t.Helper()
	if reason == "" {
		if err != nil {
			t.Fatalf("want no refusal, got %v", err)
		}
		return
	}
	if !errors.Is(err, reason) {
		t.Fatalf("want %s, got %v", reason, err)
	}
	re, ok := AsRuleError(err)
	if !ok || re.Message == "" || re.Message == string(reason) {
		t.Fatalf("refusal %v has no plain-English message", err)
	}
}

func TestCheckBooking(t *testing.T) {
	loc := london(t)
	st := DefaultSettings()
	// Wednesday 10 June 2026, 09:00 BST.
	now := mustDate(t, "2026-06-10").At(9, 0, loc)
	online := SlotFacts{OnlineBookable: true, ClinicianOnline: true, TypeOnline: true}
	adult := PatientFacts{DateOfBirth: mustDate(t, "1950-03-01"), IdentityVerified: true}
	slotAt := func(f SlotFacts, at time.Time) SlotFacts { f.StartsAt = at; return f }
	tomorrow := now.Add(24 * time.Hour)

	tests := []struct {
		name    string
		ch      Channel
		slot    SlotFacts
		patient PatientFacts
		want    Reason
	}{
		{"ordinary kiosk booking", ChannelKiosk, slotAt(online, tomorrow), adult, ""},
		{"slot already started", ChannelKiosk, slotAt(online, now), adult, ReasonSlotInPast},
		{"slot in the past, even for reception", ChannelReception, slotAt(online, now.Add(-time.Hour)), adult, ReasonSlotInPast},
		{"embargoed until 08:00 tomorrow", ChannelKiosk, func() SlotFacts {
			f := slotAt(online, tomorrow)
			f.ReleaseAt = mustDate(t, "2026-06-11").At(8, 0, loc)
			return f
		}(), adult, ReasonSlotNotReleased},
		{"embargo applies to reception too (equity)", ChannelReception, func() SlotFacts {
			f := slotAt(online, tomorrow)
			f.ReleaseAt = now.Add(time.Minute)
			return f
		}(), adult, ReasonSlotNotReleased},
		{"embargo lifted at exactly release time", ChannelKiosk, func() SlotFacts {
			f := slotAt(online, tomorrow)
			f.ReleaseAt = now
			return f
		}(), adult, ""},
		{"slot switched off online", ChannelKiosk, func() SlotFacts { f := slotAt(online, tomorrow); f.OnlineBookable = false; return f }(), adult, ReasonSlotNotOnline},
		{"clinician not online", ChannelOnline, func() SlotFacts { f := slotAt(online, tomorrow); f.ClinicianOnline = false; return f }(), adult, ReasonSlotNotOnline},
		{"slot type not online", ChannelKiosk, func() SlotFacts { f := slotAt(online, tomorrow); f.TypeOnline = false; return f }(), adult, ReasonSlotNotOnline},
		{"reception-only slot", ChannelKiosk, func() SlotFacts { f := slotAt(online, tomorrow); f.ReceptionOnly = true; return f }(), adult, ReasonSlotNotOnline},
		{"reception may book a reception-only slot", ChannelReception, func() SlotFacts {
			f := slotAt(online, tomorrow)
			f.ReceptionOnly, f.OnlineBookable = true, false
			return f
		}(), adult, ""},
		{"last day of the window", ChannelKiosk, slotAt(online, mustDate(t, "2026-07-08").At(17, 50, loc)), adult, ""},
		{"first day past the window", ChannelKiosk, slotAt(online, mustDate(t, "2026-07-09").At(8, 0, loc)), adult, ReasonBeyondBookingWindow},
		{"reception is not bound by the window", ChannelReception, slotAt(online, mustDate(t, "2026-09-09").At(8, 0, loc)), adult, ""},
		{"exactly the minimum notice", ChannelKiosk, slotAt(online, now.Add(60*time.Minute)), adult, ""},
		{"a minute short of the notice", ChannelKiosk, slotAt(online, now.Add(59*time.Minute)), adult, ReasonTooLittleNotice},
		{"reception can book at short notice", ChannelReception, slotAt(online, now.Add(5*time.Minute)), adult, ""},
		{"16 today", ChannelKiosk, slotAt(online, tomorrow), PatientFacts{DateOfBirth: mustDate(t, "2010-06-10"), IdentityVerified: true}, ""},
		{"16 tomorrow", ChannelKiosk, slotAt(online, tomorrow), PatientFacts{DateOfBirth: mustDate(t, "2010-06-11"), IdentityVerified: true}, ReasonUnderMinimumAge},
		{"reception books for a child", ChannelReception, slotAt(online, tomorrow), PatientFacts{DateOfBirth: mustDate(t, "2020-01-01")}, ""},
		{"online booking suspended", ChannelKiosk, slotAt(online, tomorrow), PatientFacts{DateOfBirth: adult.DateOfBirth, IdentityVerified: true, BookingSuspended: true}, ReasonBookingSuspended},
		{"holding one of two", ChannelKiosk, slotAt(online, tomorrow), PatientFacts{DateOfBirth: adult.DateOfBirth, IdentityVerified: true, HeldAppointments: 1}, ""},
		{"holding two of two", ChannelKiosk, slotAt(online, tomorrow), PatientFacts{DateOfBirth: adult.DateOfBirth, IdentityVerified: true, HeldAppointments: 2}, ReasonTooManyAppointments},
		{"unverified: holding none of one", ChannelKiosk, slotAt(online, tomorrow), PatientFacts{DateOfBirth: adult.DateOfBirth}, ""},
		{"unverified: holding one of one", ChannelKiosk, slotAt(online, tomorrow), PatientFacts{DateOfBirth: adult.DateOfBirth, HeldAppointments: 1}, ReasonTooManyAppointments},
		{"reception is not bound by the limit", ChannelReception, slotAt(online, tomorrow), PatientFacts{DateOfBirth: adult.DateOfBirth, HeldAppointments: 5}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantReason(t, st.CheckBooking(now, loc, tc.ch, tc.slot, tc.patient), tc.want)
		})
	}
}

func TestCheckBookingUsesPracticeSettings(t *testing.T) {
	loc := london(t)
	now := mustDate(t, "2026-06-10").At(9, 0, loc)
	st := DefaultSettings()
	st.BookingWindowDays, st.MinNoticeMinutes, st.MaxHeldAppointments, st.MinAgeYears = 7, 240, 3, 18
	slot := SlotFacts{OnlineBookable: true, ClinicianOnline: true, TypeOnline: true}
	p := PatientFacts{DateOfBirth: mustDate(t, "1980-01-01"), IdentityVerified: true, HeldAppointments: 2}

	slot.StartsAt = mustDate(t, "2026-06-17").At(9, 0, loc)
	wantReason(t, st.CheckBooking(now, loc, ChannelKiosk, slot, p), "")
	slot.StartsAt = mustDate(t, "2026-06-18").At(9, 0, loc)
	wantReason(t, st.CheckBooking(now, loc, ChannelKiosk, slot, p), ReasonBeyondBookingWindow)
	slot.StartsAt = now.Add(239 * time.Minute)
	wantReason(t, st.CheckBooking(now, loc, ChannelKiosk, slot, p), ReasonTooLittleNotice)
	slot.StartsAt = now.Add(240 * time.Minute)
	wantReason(t, st.CheckBooking(now, loc, ChannelKiosk, slot, p), "")
	p.DateOfBirth = mustDate(t, "2008-06-11") // 17
	wantReason(t, st.CheckBooking(now, loc, ChannelKiosk, slot, p), ReasonUnderMinimumAge)
}

func TestCheckCancellation(t *testing.T) {
	st := DefaultSettings() // 120 minute cut-off
	now := time.Date(2026, 6, 10, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		ch     Channel
		starts time.Time
		status string
		want   Reason
	}{
		{"well ahead", ChannelKiosk, now.Add(24 * time.Hour), StatusBooked, ""},
		{"exactly at the cut-off", ChannelKiosk, now.Add(120 * time.Minute), StatusBooked, ""},
		{"a minute inside the cut-off", ChannelKiosk, now.Add(119 * time.Minute), StatusBooked, ReasonPastCancelCutoff},
		{"reception may cancel late", ChannelReception, now.Add(10 * time.Minute), StatusBooked, ""},
		{"already cancelled", ChannelKiosk, now.Add(24 * time.Hour), StatusCancelled, ReasonNotCancellable},
		{"already happened", ChannelReception, now.Add(-time.Hour), StatusBooked, ReasonNotCancellable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantReason(t, st.CheckCancellation(now, tc.ch, tc.starts, tc.status), tc.want)
		})
	}
}

// CancelUntil says, before anyone asks, what CheckCancellation will answer:
// the earliest time a kiosk offers (the minimum notice, 60 minutes) is past
// the 2-hour cut-off the moment it is booked.
func TestCancelUntil(t *testing.T) {
	st := DefaultSettings() // 60 minutes' notice, 120 minute cut-off
	now := time.Date(2026, 6, 10, 8, 0, 0, 0, time.UTC)
	earliest := now.Add(time.Duration(st.MinNoticeMinutes) * time.Minute)
	if got := st.CancelUntil(ChannelKiosk, earliest, StatusBooked); !got.Equal(earliest.Add(-2*time.Hour)) || !got.Before(now) {
		t.Fatalf("the earliest time offered: cancellable until %v, want two hours before it, already past", got)
	}
	if got := st.CancelUntil(ChannelKiosk, now.Add(24*time.Hour), StatusCancelled); !got.IsZero() {
		t.Fatalf("a cancelled appointment: %v, want zero", got)
	}
	if got := st.CancelUntil(ChannelReception, earliest, StatusBooked); !got.Before(earliest) || got.Before(earliest.Add(-time.Second)) {
		t.Fatalf("reception: until %v, want just before the start", got)
	}
	for _, cutoff := range []int{120, 30, 0} {
		st.CancelCutoffMinutes = cutoff
		for _, ch := range []Channel{ChannelKiosk, ChannelOnline, ChannelReception} {
			for _, ahead := range []time.Duration{10 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 3 * time.Hour, 48 * time.Hour} {
				starts := now.Add(ahead)
				until := st.CancelUntil(ch, starts, StatusBooked)
				if err := st.CheckCancellation(until, ch, starts, StatusBooked); err != nil {
					t.Errorf("cut-off %d, %s, %v ahead: refused at CancelUntil %v: %v", cutoff, ch, ahead, until, err)
				}
				if err := st.CheckCancellation(until.Add(time.Nanosecond), ch, starts, StatusBooked); err == nil {
					t.Errorf("cut-off %d, %s, %v ahead: allowed after CancelUntil %v", cutoff, ch, ahead, until)
				}
				allowedNow := st.CheckCancellation(now, ch, starts, StatusBooked) == nil
				if allowedNow != !now.After(until) {
					t.Errorf("cut-off %d, %s, %v ahead: CheckCancellation now %v, CancelUntil %v", cutoff, ch, ahead, allowedNow, until)
				}
			}
		}
	}
}

func TestSuspendsOnlineBooking(t *testing.T) {
	st := DefaultSettings() // 3
	for dnas, want := range map[int]bool{0: false, 2: false, 3: true, 4: true} {
		if got := st.SuspendsOnlineBooking(dnas); got != want {
			t.Errorf("%d missed: got %v, want %v", dnas, got, want)
		}
	}
	st.DNASuspendCount = 0
	if st.SuspendsOnlineBooking(10) {
		t.Error("a setting of 0 must never suspend")
	}
}

func TestInCheckInWindow(t *testing.T) {
	st := DefaultSettings() // 30 before, 10 after
	start := time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		offset time.Duration
		want   bool
	}{
		{-31 * time.Minute, false}, {-30 * time.Minute, true}, {0, true}, {10 * time.Minute, true}, {10*time.Minute + time.Second, false},
	}
	for _, tc := range tests {
		if got := st.InCheckInWindow(start.Add(tc.offset), start); got != tc.want {
			t.Errorf("arriving %v from the start: got %v, want %v", tc.offset, got, tc.want)
		}
	}
}

func TestCheckRepeatRequest(t *testing.T) {
	st := DefaultSettings()
	today := mustDate(t, "2026-06-10")
	active := RepeatItemFacts{Name: "Amlodipine", Active: true}
	long := make([]rune, st.RepeatNoteMaxChars+1)
	for i := range long {
		long[i] = 'é' // counts letters, not bytes
	}
	tests := []struct {
		name       string
		ch         Channel
		unsuitable bool
		items      []RepeatItemFacts
		note       string
		want       Reason
	}{
		{"one active item", ChannelKiosk, false, []RepeatItemFacts{active}, "", ""},
		{"nothing chosen", ChannelKiosk, false, nil, "", ReasonNoItemsChosen},
		{"stopped item", ChannelKiosk, false, []RepeatItemFacts{active, {Name: "Simvastatin"}}, "", ReasonItemNotActive},
		{"stopped item at reception too", ChannelReception, false, []RepeatItemFacts{{Name: "Simvastatin"}}, "", ReasonItemNotActive},
		{"already requested", ChannelKiosk, false, []RepeatItemFacts{{Name: "Amlodipine", Active: true, Outstanding: true}}, "", ReasonItemAlreadyRequested},
		{"flagged unsuitable", ChannelKiosk, true, []RepeatItemFacts{active}, "", ReasonOnlineOrderingOff},
		{"flagged unsuitable, reception may order", ChannelReception, true, []RepeatItemFacts{active}, "", ""},
		{"review due today", ChannelKiosk, false, []RepeatItemFacts{{Name: "Ramipril", Active: true, ReviewDue: today}}, "", ReasonItemReviewDue},
		{"review due tomorrow", ChannelKiosk, false, []RepeatItemFacts{{Name: "Ramipril", Active: true, ReviewDue: today.AddDays(1)}}, "", ""},
		{"note at the limit", ChannelKiosk, false, []RepeatItemFacts{active}, string(long[1:]), ""},
		{"note over the limit", ChannelKiosk, false, []RepeatItemFacts{active}, string(long), ReasonNoteTooLong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantReason(t, st.CheckRepeatRequest(today, tc.ch, tc.unsuitable, tc.items, tc.note), tc.want)
		})
	}
}

func TestRepeatReadyBy(t *testing.T) {
	loc := london(t)
	st := DefaultSettings() // 2 working days
	tests := []struct{ at, want string }{
		{"2026-06-08T10:00", "2026-06-10"}, // Monday -> Wednesday
		{"2026-06-12T16:00", "2026-06-16"}, // Friday -> Tuesday
		{"2026-06-13T10:00", "2026-06-16"}, // Saturday -> Tuesday
		{"2026-04-02T10:00", "2026-04-08"}, // Thursday before Easter: Good Friday and Easter Monday skipped
		{"2026-12-23T10:00", "2026-12-29"}, // Christmas 2026 is a Friday; Boxing Day substitute Monday 28th
	}
	for _, tc := range tests {
		at, err := time.ParseInLocation("2006-01-02T15:04", tc.at, loc)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.RepeatReadyBy(at, loc).String(); got != tc.want {
			t.Errorf("requested %s: ready %s, want %s", tc.at, got, tc.want)
		}
	}
}

func TestBankHolidays(t *testing.T) {
	// From gov.uk/bank-holidays for England and Wales.
	for _, d := range []string{"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
		"2026-12-25", "2026-12-28", "2027-01-01", "2027-03-26", "2027-03-29", "2027-12-27", "2027-12-28", "2028-01-03"} {
		if !IsBankHoliday(mustDate(t, d)) {
			t.Errorf("%s should be a bank holiday", d)
		}
	}
	for _, d := range []string{"2026-12-26", "2026-04-05", "2026-06-10", "2027-12-25"} {
		if IsBankHoliday(mustDate(t, d)) {
			t.Errorf("%s should not be a bank holiday", d)
		}
	}
}

func TestSettingsValidate(t *testing.T) {
	st := DefaultSettings()
	wantReason(t, st.Validate(), "")
	st.MinNoticeMinutes = -1
	wantReason(t, st.Validate(), ReasonInvalidInput)
	st = DefaultSettings()
	st.BookingWindowDays = 366
	wantReason(t, st.Validate(), ReasonInvalidInput)
}
