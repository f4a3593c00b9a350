package store

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Every Sentence has a code of its own, in the form the text package's
// keys take, and English with only %s for its values (a value is already
// a string, and a translation must be able to place it).
func TestSentencesWellFormed(t *testing.T) {
	code := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	verb := regexp.MustCompile(`%.`)
	english := map[string]string{}
	for c, s := range AllSentences() {
		if s.Code != c || !code.MatchString(c) {
			t.Errorf("sentence %q has code %q", c, s.Code)
		}
		for _, v := range verb.FindAllString(s.English, -1) {
			if v != "%s" {
				t.Errorf("%s: %q uses %s; sentences take %%s only", c, s.English, v)
			}
		}
		if other, dup := english[s.English]; dup {
			t.Errorf("%s and %s are the same sentence: one code per sentence", c, other)
		}
		english[s.English] = c
	}
	if len(Sentences()) != len(AllSentences()) || len(Sentences()) < 40 {
		t.Errorf("%d sentences", len(Sentences()))
	}
}

// codedRefusals are the refusals a patient may see, made by the code
// that makes them.
func codedRefusals() map[string]error {
	loc := time.UTC
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, loc)
	s := DefaultSettings()
	slot := SlotFacts{StartsAt: now.Add(72 * time.Hour), OnlineBookable: true, ClinicianOnline: true, TypeOnline: true}
	adult := PatientFacts{DateOfBirth: Date{1980, 1, 1}, IdentityVerified: true}
	out := map[string]error{
		"RefuseSlotGone": RefuseSlotGone(), "RefuseSlotTaken": RefuseSlotTaken(), "RefuseSlotHeld": RefuseSlotHeld(),
		"RefusePatientNotFound": RefusePatientNotFound(), "RefuseAppointmentNotFound": RefuseAppointmentNotFound(),
		"RefuseItemNotOnList": RefuseItemNotOnList(), "RefuseRequestNotFound": RefuseRequestNotFound(),
		"RefuseRequestDealtWith": RefuseRequestDealtWith(), "RefuseSeeReception": RefuseSeeReception(),
		"CheckInPaused": &CheckInPausedError{RetryAfter: time.Minute}, "refuseNotProvenPatient": refuseNotProvenPatient(),
	}
	_, out["ParseDate"] = ParseDate("2026-02-30")
	_, out["NewDate"] = NewDate(2026, 2, 30)
	past := slot
	past.StartsAt = now.Add(-time.Minute)
	out["slot in past"] = s.CheckSlot(now, loc, ChannelKiosk, past)
	embargoed := slot
	embargoed.ReleaseAt = time.Date(2026, 3, 3, 8, 30, 0, 0, loc)
	out["slot not released"] = s.CheckSlot(now, loc, ChannelKiosk, embargoed)
	offline := slot
	offline.OnlineBookable = false
	out["slot not online"] = s.CheckSlot(now, loc, ChannelKiosk, offline)
	far := slot
	far.StartsAt = now.AddDate(0, 0, s.BookingWindowDays+2)
	out["beyond window"] = s.CheckSlot(now, loc, ChannelKiosk, far)
	for _, m := range []int{60, 120, 45} {
		st := s
		st.MinNoticeMinutes = m
		soon := slot
		soon.StartsAt = now.Add(time.Duration(m-1) * time.Minute)
		out[fmt.Sprintf("notice %d", m)] = st.CheckSlot(now, loc, ChannelKiosk, soon)
		st.CancelCutoffMinutes = m
		out[fmt.Sprintf("cancel cutoff %d", m)] = st.CheckCancellation(now, ChannelKiosk, now.Add(time.Duration(m-1)*time.Minute), "booked")
	}
	young := adult
	young.DateOfBirth = Date{2020, 1, 1}
	out["under age"] = s.CheckPatientMayBook(now, loc, ChannelKiosk, young)
	paused := adult
	paused.BookingSuspended = true
	out["suspended"] = s.CheckPatientMayBook(now, loc, ChannelKiosk, paused)
	for _, n := range []int{1, 3} {
		st := s
		st.MaxHeldAppointments, st.MaxHeldUnverified = n, n
		full := adult
		full.HeldAppointments = n
		out[fmt.Sprintf("holds %d", n)] = st.CheckPatientMayBook(now, loc, ChannelKiosk, full)
	}
	out["not cancellable"] = s.CheckCancellation(now, ChannelKiosk, now.Add(-time.Hour), "booked")
	today := DateOf(now, loc)
	out["no items"] = s.CheckRepeatRequest(today, ChannelKiosk, false, nil, "")
	item := RepeatItemFacts{Name: "Atorvastatin 20mg tablets", Active: true}
	out["ordering off"] = s.CheckRepeatRequest(today, ChannelKiosk, true, []RepeatItemFacts{item}, "")
	stopped, outstanding, review := item, item, item
	stopped.Active = false
	outstanding.Outstanding = true
	review.ReviewDue = today
	out["stopped"] = s.CheckRepeatRequest(today, ChannelKiosk, false, []RepeatItemFacts{stopped}, "")
	out["outstanding"] = s.CheckRepeatRequest(today, ChannelKiosk, false, []RepeatItemFacts{outstanding}, "")
	out["review due"] = s.CheckRepeatRequest(today, ChannelKiosk, false, []RepeatItemFacts{review}, "")
	out["note too long"] = s.CheckRepeatRequest(today, ChannelKiosk, false, []RepeatItemFacts{item}, strings.Repeat("a", s.RepeatNoteMaxChars+1))
	return out
}

// Each refusal a patient may see carries its sentence's code, and its
// Message is exactly that sentence's English with its Args: so the kiosk
// can say it in another language with the same values, and staff, logs
// and older devices read the same English as before.
func TestCodedRefusalsSayTheirSentence(t *testing.T) {
	for name, err := range codedRefusals() {
		re, ok := AsRuleError(err)
		if !ok {
			t.Errorf("%s: %v is not a refusal", name, err)
			continue
		}
		sent, ok := SentenceByCode(re.Code)
		if !ok {
			t.Errorf("%s: %q has no sentence code (%q)", name, re.Message, re.Code)
			continue
		}
		args := make([]any, len(re.Args))
		for i, a := range re.Args {
			args[i] = a
		}
		want := sent.English
		if len(args) > 0 {
			want = fmt.Sprintf(sent.English, args...)
		}
		if re.Message != want || strings.Contains(re.Message, "%!") {
			t.Errorf("%s: message %q, want fmt.Sprintf(%q, %q) = %q", name, re.Message, sent.English, re.Args, want)
		}
		if err.Error() != re.Message {
			t.Errorf("%s: Error() %q, Message %q", name, err.Error(), re.Message)
		}
	}
}

// Values are numbers, names, times and dates, never English words: the
// kiosk says a date in the patient's language.
func TestRefusalValuesAreNotEnglish(t *testing.T) {
	got := map[string][]string{}
	for name, err := range codedRefusals() {
		re, _ := AsRuleError(err)
		got[name] = re.Args
	}
	for name, want := range map[string][]string{
		"slot not released": {"08:30", "2026-03-03"},
		"notice 60":         nil, "notice 120": {"2"}, "notice 45": {"45"},
		"cancel cutoff 60": nil, "cancel cutoff 120": {"2"}, "cancel cutoff 45": {"45"},
		"holds 1": nil, "holds 3": {"3"},
		"under age":     {"16"},
		"stopped":       {"Atorvastatin 20mg tablets"},
		"beyond window": {fmt.Sprint(DefaultSettings().BookingWindowDays)},
	} {
		if fmt.Sprint(got[name]) != fmt.Sprint(want) {
			t.Errorf("%s: args %q, want %q", name, got[name], want)
		}
	}
	var re *RuleError
	if !errors.As(&CheckInPausedError{}, &re) || re.Code != "see_reception" || re.Reason != ReasonCheckInPaused {
		t.Errorf("a paused check-in says %+v, want see_reception", re)
	}
	if q, _ := QuotaFor(KindAskForHelp); q.HeldCode != "held_help_requests" || Sentences()[q.HeldCode] != q.Held {
		t.Errorf("help quota held %q (%q)", q.Held, q.HeldCode)
	}
}

// A rejection's code and values survive a replay of its key: the device
// asking again is told in the same words.
func TestReplayKeepsSentenceCode(t *testing.T) {
	re := sentBeyondWindow.rule(ReasonBeyondBookingWindow, "14")
	out, err := recordedOutcome(KindBook, recordRejected, string(re.Reason), re.Message, `{"code":"beyond_booking_window","args":["14"]}`)
	if err != nil || out.Refusal == nil || out.Refusal.Code != re.Code || fmt.Sprint(out.Refusal.Args) != "[14]" || out.Refusal.Message != re.Message {
		t.Fatalf("replayed %+v %v, want %+v", out.Refusal, err, re)
	}
	old, err := recordedOutcome(KindBook, recordRejected, "slot_taken", "Taken.", "")
	if err != nil || old.Refusal.Code != "" || old.Refusal.Message != "Taken." {
		t.Fatalf("a rejection recorded before codes replayed as %+v %v", old.Refusal, err)
	}
}
