package store

import (
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

// Channel is how a booking or request reached the practice.
type Channel string

// The channels. Kiosk and online are self-service and get the practice's
// online-booking rules; reception may book any released slot.
const (
	ChannelKiosk     Channel = "kiosk"
	ChannelReception Channel = "reception"
	ChannelOnline    Channel = "online"
)

// Channels are the three channels, in the order reports show them.
func Channels() []Channel { return []Channel{ChannelKiosk, ChannelReception, ChannelOnline} }

// ParseChannel refuses anything but the three channels.
func ParseChannel(s string) (Channel, error) {
	switch c := Channel(s); c {
	case ChannelKiosk, ChannelReception, ChannelOnline:
		return c, nil
	}
	return "", refuse(ReasonInvalidInput, "Unknown booking channel.")
}

// SelfService reports whether the patient is acting for themselves, so the
// practice's online rules apply.
func (c Channel) SelfService() bool { return c == ChannelKiosk || c == ChannelOnline }

// Settings are a practice's online-services settings.
type Settings struct {
	BookingWindowDays    int // how far ahead patients may book, in surgery days
	MinNoticeMinutes     int // the latest a slot can be booked before it starts
	MaxHeldAppointments  int // future appointments a patient may hold at once
	MaxHeldUnverified    int // the same while identity is not fully verified
	MinAgeYears          int // minimum age for online services
	CancelCutoffMinutes  int // online cancellation allowed until this long before
	DNASuspendCount      int // online-booked did-not-attends that suspend online booking (0: never)
	DNALookbackDays      int // window in which those did-not-attends count
	CheckInBeforeMinutes int // arrival check-in opens this long before the start
	CheckInAfterMinutes  int // and closes this long after it
	RepeatProcessingDays int // working days to process a repeat request
	RepeatNoteMaxChars   int // longest note a patient may add to a request
	KioskLeasesPerDay    int // slots per bookable day held for each kiosk so offline bookings are firm
	LeaseReturnMinutes   int // an unused lease returns to everyone this long before the slot
	// A device's clock is believed only this far: an action said to be
	// older (made offline) or further ahead is judged at the bound.
	DeviceTimeBackHours    int
	DeviceTimeAheadMinutes int
	LeaseIdleMinutes       int // a kiosk that has not synced for this long gives its leases back (0: never)
	// CliniciansHandleAlerts lets clinicians acknowledge and resolve help
	// requests and problem reports (StaffMay).
	CliniciansHandleAlerts bool
	// DailyReleaseMinutes is the time of day, in minutes after midnight on
	// the clock in Europe/London, from which the furthest day of the
	// booking window can be booked (0: from midnight). LastBookableDay.
	DailyReleaseMinutes int
	// Every kiosk and staff desktop applies these from its next visit or
	// sign-in, without a restart.
	KioskIdleSeconds        int  // a kiosk screen left untouched this long asks "Are you still there?"
	KioskIdleWarningSeconds int  // and clears everything if nobody answers within this
	StaffIdleMinutes        int  // a staff desktop left untouched this long signs its user out
	ReadAloudDefault        bool // kiosks read each screen aloud while nobody is signed in
}

// MaxDeviceTimeBackHours is the longest a practice may believe a device
// was offline: a month.
const MaxDeviceTimeBackHours = 30 * 24

// JudgedAt is the time the rules use for an action a device says it made
// at madeAt: madeAt held within the practice's allowance around now, so a
// device's clock cannot make a child an adult or an old booking new.
func (st Settings) JudgedAt(madeAt, now time.Time) time.Time {
	earliest := now.Add(-time.Duration(st.DeviceTimeBackHours) * time.Hour)
	latest := now.Add(time.Duration(st.DeviceTimeAheadMinutes) * time.Minute)
	switch {
	case madeAt.Before(earliest):
		return earliest
	case madeAt.After(latest):
		return latest
	}
	return madeAt
}

// DefaultSettings are the common choices in ../shared/domain/README.md.
func DefaultSettings() Settings {
	return Settings{
		BookingWindowDays:    28,
		MinNoticeMinutes:     60,
		MaxHeldAppointments:  2,
		MaxHeldUnverified:    1,
		MinAgeYears:          16,
		CancelCutoffMinutes:  120,
		DNASuspendCount:      3,
		DNALookbackDays:      365,
		CheckInBeforeMinutes: 30,
		CheckInAfterMinutes:  10,
		RepeatProcessingDays: 2,
		RepeatNoteMaxChars:   200,
		KioskLeasesPerDay:    2,
		LeaseReturnMinutes:   120,
		// Three days covers a kiosk offline over a weekend; five minutes
		// covers a desktop clock that has drifted.
		DeviceTimeBackHours:    72,
		DeviceTimeAheadMinutes: 5,
		LeaseIdleMinutes:       240,
		// The kiosk's and the desk's behaviour before they were settings:
		// a minute, then 30 seconds to answer (WCAG 2.2 asks for at least
		// 20); five minutes at a desk.
		KioskIdleSeconds:        60,
		KioskIdleWarningSeconds: 30,
		StaffIdleMinutes:        5,
	}
}

// SlotFacts is what the booking rules need to know about a slot.
type SlotFacts struct {
	StartsAt        time.Time
	OnlineBookable  bool      // the slot's own switch
	ClinicianOnline bool      // the clinician is bookable online
	TypeOnline      bool      // the slot type is bookable online
	ReceptionOnly   bool      // channel 'reception', e.g. on-the-day urgent
	ReleaseAt       time.Time // zero: not embargoed
	TypeID          int64
	Eligibility     SlotEligibility
}

// SlotEligibility is who a kind of appointment is for, such as cervical
// screening: female, 25 to 64. The zero value is everyone.
type SlotEligibility struct {
	Sex    Sex // "" for anyone
	MinAge int // 0 for no lower limit
	MaxAge int // 0 for no upper limit
}

// AllowsSex reports whether a patient recorded as sex may book. A record of
// "other" is never turned away: the practice can judge at the appointment,
// and a patient who needs it is not refused because of a record field.
func (e SlotEligibility) AllowsSex(sex Sex) bool {
	return e.Sex == "" || sex == e.Sex || sex == SexOther
}

// AllowsAge reports whether a patient of this age (on the day of the
// appointment) may book.
func (e SlotEligibility) AllowsAge(age int) bool {
	return age >= e.MinAge && (e.MaxAge == 0 || age <= e.MaxAge)
}

// OfferedOnline reports whether the practice offers the slot to patients
// booking for themselves.
func (f SlotFacts) OfferedOnline() bool {
	return f.OnlineBookable && f.ClinicianOnline && f.TypeOnline && !f.ReceptionOnly
}

// PatientFacts is what the booking rules need to know about a patient.
type PatientFacts struct {
	DateOfBirth      Date
	BookingSuspended bool // online booking suspended after repeated no-shows
	IdentityVerified bool // identity fully verified (not vouching alone)
	HeldAppointments int  // future appointments currently booked
	// Sex is the recorded sex, or "" where it is not held (a kiosk); then
	// NotEligibleTypes, worked out by the server from it, says which slot
	// types the patient's sex rules out.
	Sex              Sex
	NotEligibleTypes []int64
}

// mayHave reports whether the slot type is for a patient like p, on the
// day of the appointment.
func (p PatientFacts) mayHave(slot SlotFacts, loc *time.Location) bool {
	age := p.DateOfBirth.AgeOn(DateOf(slot.StartsAt, loc))
	if !slot.Eligibility.AllowsAge(age) {
		return false
	}
	if p.Sex != "" {
		return slot.Eligibility.AllowsSex(p.Sex)
	}
	return !slices.Contains(p.NotEligibleTypes, slot.TypeID)
}

// CheckBooking applies the practice's booking rules for one patient and one
// slot. now is the instant of booking; loc is Europe/London, where surgery
// days and ages are counted.
func (s Settings) CheckBooking(now time.Time, loc *time.Location, ch Channel, slot SlotFacts, p PatientFacts) error {
	if err := s.CheckSlot(now, loc, ch, slot); err != nil {
		return err
	}
	if err := s.CheckPatientMayBook(now, loc, ch, p); err != nil {
		return err
	}
	// Reception may book outside a slot type's usual group, knowing why;
	// a patient booking for themselves may not.
	if ch.SelfService() && !p.mayHave(slot, loc) {
		return sentNotOffered.refuse(ReasonNotEligible)
	}
	return nil
}

// CheckSlot applies the rules about the slot alone: whether anyone booking
// through this channel could have it now.
func (s Settings) CheckSlot(now time.Time, loc *time.Location, ch Channel, slot SlotFacts) error {
	if !slot.StartsAt.After(now) {
		return sentSlotInPast.refuse(ReasonSlotInPast)
	}
	if !slot.ReleaseAt.IsZero() && now.Before(slot.ReleaseAt) {
		opens := slot.ReleaseAt.In(loc)
		return sentSlotNotReleased.refuse(ReasonSlotNotReleased, opens.Format("15:04"), opens.Format(time.DateOnly))
	}
	if !ch.SelfService() {
		return nil
	}
	if !slot.OfferedOnline() {
		return sentSlotNotOnline.refuse(ReasonSlotNotOnline)
	}
	today := DateOf(now, loc)
	switch day, furthest := DateOf(slot.StartsAt, loc), today.AddDays(s.BookingWindowDays); {
	case day.After(furthest):
		return sentBeyondWindow.refuse(ReasonBeyondBookingWindow, num(s.BookingWindowDays))
	case day == furthest && day.After(s.LastBookableDay(now, loc)):
		opens := s.FurthestDayOpensAt(today, loc).In(loc)
		return sentSlotNotReleased.refuse(ReasonSlotNotReleased, opens.Format("15:04"), opens.Format(time.DateOnly))
	}
	if slot.StartsAt.Sub(now) < time.Duration(s.MinNoticeMinutes)*time.Minute {
		sent, args := minutesSentence(s.MinNoticeMinutes, sentNoticeHour, sentNoticeHours, sentNoticeMinutes)
		return sent.refuse(ReasonTooLittleNotice, args...)
	}
	return nil
}

// LastBookableDay is the furthest surgery day a patient booking for
// themselves may book at now: the booking window's last day once it has
// opened today (FurthestDayOpensAt), the day before until then. This is
// the one rule for the window: the server, the kiosk and the desktop all
// offer and book by it.
func (s Settings) LastBookableDay(now time.Time, loc *time.Location) Date {
	today := DateOf(now, loc)
	last := today.AddDays(s.BookingWindowDays)
	if now.Before(s.FurthestDayOpensAt(today, loc)) {
		return last.AddDays(-1)
	}
	return last
}

// FurthestDayOpensAt is the instant on surgery day today from which the
// booking window's furthest day can be booked: the first moment the clock
// in loc shows DailyReleaseMinutes. On the day the clocks go forward a
// time the clock skips opens when the clock jumps; on the day they go
// back a time shown twice opens the first time.
func (s Settings) FurthestDayOpensAt(today Date, loc *time.Location) time.Time {
	if s.DailyReleaseMinutes <= 0 {
		return today.At(0, 0, loc) // midnight exists every day in London
	}
	h, m := s.DailyReleaseMinutes/60, s.DailyReleaseMinutes%60
	// The wall time read as UTC, less each offset the day has, gives the
	// instants the clock shows it (none in a gap, two in an overlap).
	wall := time.Date(today.Year, today.Month, today.Day, h, m, 0, 0, time.UTC)
	_, before := today.At(0, 0, loc).Zone()
	_, after := today.AddDays(1).At(0, 0, loc).Add(-time.Second).Zone()
	var first time.Time
	for _, off := range []int{before, after} {
		t := wall.Add(-time.Duration(off) * time.Second)
		if l := t.In(loc); l.Hour() == h && l.Minute() == m && DateOf(t, loc) == today && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	if first.IsZero() { // skipped: the clock went forward over it
		_, end := wall.Add(-time.Duration(after) * time.Second).In(loc).ZoneBounds()
		return end
	}
	return first
}

// CheckPatientMayBook applies the rules about the patient alone: whether
// they may book another appointment through this channel.
func (s Settings) CheckPatientMayBook(now time.Time, loc *time.Location, ch Channel, p PatientFacts) error {
	if !ch.SelfService() {
		return nil
	}
	today := DateOf(now, loc)
	if p.DateOfBirth.AgeOn(today) < s.MinAgeYears {
		return sentUnderAge.refuse(ReasonUnderMinimumAge, num(s.MinAgeYears))
	}
	if p.BookingSuspended {
		return sentBookingPaused.refuse(ReasonBookingSuspended)
	}
	limit := s.MaxHeldAppointments
	if !p.IdentityVerified {
		limit = min(limit, s.MaxHeldUnverified)
	}
	if p.HeldAppointments >= limit {
		if p.HeldAppointments == 1 {
			return sentTooManyOne.refuse(ReasonTooManyAppointments)
		}
		return sentTooMany.refuse(ReasonTooManyAppointments, num(p.HeldAppointments))
	}
	return nil
}

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// CancelUntil is the last instant an appointment starting at startsAt, in
// status, may be cancelled through ch: CheckCancellation allows it at any
// now up to and including this instant (and before the start). For the
// patient themselves (kiosk, online) it is the cancellation cut-off before
// the start; for reception, the last instant before the start. Zero when
// it can never be cancelled (not booked). It does not depend on now, so a
// time offered with less notice than the cut-off has a CancelUntil that
// has already passed.
func (s Settings) CancelUntil(ch Channel, startsAt time.Time, status string) time.Time {
	if status != StatusBooked || startsAt.IsZero() {
		return time.Time{}
	}
	until := startsAt.Add(-time.Nanosecond) // it must not have started
	if ch.SelfService() {
		if cut := startsAt.Add(-time.Duration(s.CancelCutoffMinutes) * time.Minute); cut.Before(until) {
			until = cut
		}
	}
	return until
}

// CheckCancellation applies the cancellation cut-off to a booked
// appointment: it may be cancelled until CancelUntil.
func (s Settings) CheckCancellation(now time.Time, ch Channel, startsAt time.Time, status string) error {
	until := s.CancelUntil(ch, startsAt, status)
	if until.IsZero() || !startsAt.After(now) {
		return sentNotCancellable.refuse(ReasonNotCancellable)
	}
	if now.After(until) {
		sent, args := minutesSentence(s.CancelCutoffMinutes, sentCancelHour, sentCancelHours, sentCancelMinutes)
		return sent.refuse(ReasonPastCancelCutoff, args...)
	}
	return nil
}

// SuspendsOnlineBooking reports whether this many did-not-attends of online
// bookings within the look-back window suspend a patient's online booking.
func (s Settings) SuspendsOnlineBooking(onlineDNAs int) bool {
	return s.DNASuspendCount > 0 && onlineDNAs >= s.DNASuspendCount
}

// InCheckInWindow reports whether a patient arriving at now may check in for
// an appointment starting at startsAt.
func (s Settings) InCheckInWindow(now, startsAt time.Time) bool {
	opens := startsAt.Add(-time.Duration(s.CheckInBeforeMinutes) * time.Minute)
	closes := startsAt.Add(time.Duration(s.CheckInAfterMinutes) * time.Minute)
	return !now.Before(opens) && !now.After(closes)
}

// RepeatItemFacts is what the repeat-request rules need about one item.
type RepeatItemFacts struct {
	Name        string
	Active      bool
	ReviewDue   Date // zero: no review date
	Outstanding bool // a request for it is already pending
}

// CheckRepeatRequest applies the repeat-prescription rules to a request for
// items, made on surgery day today.
func (s Settings) CheckRepeatRequest(today Date, ch Channel, orderingUnsuitable bool, items []RepeatItemFacts, note string) error {
	if len(items) == 0 {
		return sentNoItems.refuse(ReasonNoItemsChosen)
	}
	if ch.SelfService() && orderingUnsuitable {
		return sentOrderAtDesk.refuse(ReasonOnlineOrderingOff)
	}
	for _, it := range items {
		switch {
		case !it.Active:
			return sentItemNotActive.refuse(ReasonItemNotActive, it.Name)
		case it.Outstanding:
			return sentItemAlreadyOrdered.refuse(ReasonItemAlreadyRequested, it.Name)
		case ch.SelfService() && !it.ReviewDue.IsZero() && !today.Before(it.ReviewDue):
			return sentItemReviewDue.refuse(ReasonItemReviewDue, it.Name)
		}
	}
	if n := utf8.RuneCountInString(note); n > s.RepeatNoteMaxChars {
		return sentNoteTooLong.refuse(ReasonNoteTooLong, num(s.RepeatNoteMaxChars))
	}
	return nil
}

// RepeatReadyBy is the day a repeat request made at requestedAt should be
// ready: the practice's processing days counted in working days (not
// weekends or bank holidays in England) after the day it was made.
func (s Settings) RepeatReadyBy(requestedAt time.Time, loc *time.Location) Date {
	d := DateOf(requestedAt, loc)
	for left := s.RepeatProcessingDays; left > 0; {
		d = d.AddDays(1)
		if IsWorkingDay(d) {
			left--
		}
	}
	return d
}

// ApprovedReadyBy is the day approved items are ready when a prescriber
// approves them at decidedAt: the day promised when the request was made,
// or, if that has passed, the first working day on or after the decision.
func ApprovedReadyBy(promised Date, decidedAt time.Time, loc *time.Location) Date {
	d := DateOf(decidedAt, loc)
	for !IsWorkingDay(d) {
		d = d.AddDays(1)
	}
	if promised.After(d) {
		return promised
	}
	return d
}

func plainMinutes(m int) string {
	if m%60 == 0 && m > 0 {
		return plural(m/60, "hour", "hours")
	}
	return plural(m, "minute", "minutes")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
