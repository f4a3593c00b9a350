package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func countOf(lesson string, day Date) CountLesson {
	return CountLesson{Lesson: lesson, Day: day.String()}
}

func TestValidLessonID(t *testing.T) {
	for _, id := range []string{"touchscreen", "sign-in", "book", "cancel", "repeat", "check-in", "staying-safe", "nhs-app",
		"a", "video-call-2", strings.Repeat("x", 40)} {
		if !ValidLessonID(id) {
			t.Errorf("%q refused", id)
		}
	}
	for _, id := range []string{"", "Book", "book!", "bo ok", "böok", "book\n", "sign_in", strings.Repeat("x", 41)} {
		if ValidLessonID(id) {
			t.Errorf("%q accepted", id)
		}
		if err := CheckLessonID(id); !errors.Is(err, ReasonInvalidInput) {
			t.Errorf("CheckLessonID(%q) = %v", id, err)
		}
	}
}

// Each count_lesson adds one to the device's tally of that lesson on that
// day; a resent op counts once; the counts reach no device's feed.
func TestCountLesson(t *testing.T) {
	ctx := context.Background()
	lf := newLoopFixture(t)
	today := lf.monday // the fixture's clock is 08:00 on this day, London
	// Reading the feeds first lets a kiosk's pull grant its leases, which
	// are changes of their own.
	kioskFeed := feedOf(t, lf.st, lf.kiosk)
	deskFeed := feedOf(t, lf.st, lf.desk)
	changes := lf.count(t, "SELECT count(*) FROM changes")

	res := lf.apply(t, lf.kiosk, 0, countOf("touchscreen", today))
	wantApplied(t, res)
	if res.Made != nil {
		t.Fatalf("made %+v", res.Made)
	}
	wantApplied(t, lf.apply(t, lf.kiosk, 0, countOf("touchscreen", today)))
	wantApplied(t, lf.apply(t, lf.kiosk, 0, countOf("book", today.AddDays(-1))))
	wantApplied(t, lf.apply(t, lf.desk, 0, countOf("touchscreen", today)))
	// A lesson this server has never heard of: only the shape is checked.
	wantApplied(t, lf.apply(t, lf.desk, 0, countOf("video-call", today)))
	// The edges of the range: tomorrow, and 366 days ago.
	wantApplied(t, lf.apply(t, lf.kiosk, 0, countOf("nhs-app", today.AddDays(1))))
	wantApplied(t, lf.apply(t, lf.kiosk, 0, countOf("nhs-app", today.AddDays(-366))))

	got := func(dev Device, lesson string, day Date) int {
		t.Helper()
		return lf.count(t, "SELECT coalesce(sum(count), 0) FROM lesson_counts WHERE device_id = ? AND lesson = ? AND day = ?", dev.ID, lesson, day.String())
	}
	if n := got(lf.kiosk, "touchscreen", today); n != 2 {
		t.Fatalf("kiosk touchscreen today: %d, want 2", n)
	}
	if n := got(lf.desk, "touchscreen", today); n != 1 {
		t.Fatalf("desk touchscreen today: %d, want 1", n)
	}
	if n := got(lf.kiosk, "book", today.AddDays(-1)); n != 1 {
		t.Fatalf("kiosk book yesterday: %d, want 1", n)
	}

	// The same op sent again (the device never heard the answer) is
	// answered from the record and counts nothing more.
	again := Request{Key: "00000000-0000-4000-8000-999999999999", Device: lf.kiosk, MadeAt: lf.clock.Now(), Command: countOf("touchscreen", today)}
	for range 3 {
		res, err := lf.st.Apply(ctx, again)
		if err != nil {
			t.Fatal(err)
		}
		wantApplied(t, res)
	}
	if n := got(lf.kiosk, "touchscreen", today); n != 3 {
		t.Fatalf("kiosk touchscreen today after a resent op: %d, want 3", n)
	}

	if n := lf.count(t, "SELECT count(*) FROM changes"); n != changes {
		t.Fatalf("counting lessons made %d changes for the feed", n-changes)
	}
	for _, c := range []struct {
		dev  Device
		want map[string]map[int64]json.RawMessage
	}{{lf.kiosk, kioskFeed}, {lf.desk, deskFeed}} {
		if after := feedOf(t, lf.st, c.dev); fmt.Sprint(after) != fmt.Sprint(c.want) {
			t.Fatalf("%s's feed changed after lessons were counted", c.dev.Role)
		}
	}

	// Audited as the device's own act: no patient, no member of staff.
	events, err := lf.st.AuditEvents(ctx, "lesson", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 8 {
		t.Fatalf("%d lesson.count events, want 8 (the resent op once)", len(events))
	}
	for _, e := range events {
		if e.Action != "lesson.count" || !strings.HasPrefix(e.Actor.Name, "device:") || !strings.HasPrefix(e.Detail, "lesson=") ||
			strings.Contains(e.Detail, "patient") || strings.Contains(e.Detail, "staff") {
			t.Fatalf("audit event %+v", e)
		}
	}
	if events[0].Actor.Name != "device:"+lf.kiosk.ID || events[0].Detail != "lesson=touchscreen day="+today.String() {
		t.Fatalf("first audit event %+v", events[0])
	}
	if _, err := lf.st.VerifyAuditChain(ctx); err != nil {
		t.Fatal(err)
	}
}

// A count that is malformed, dated where no honest clock would put it, or
// sent in someone's name is refused with a reason and changes nothing.
func TestCountLessonRefusals(t *testing.T) {
	lf := newLoopFixture(t)
	today := lf.monday
	for _, c := range []struct {
		name   string
		reason Reason
		dev    Device
		staff  int64
		p      CountLesson
	}{
		{"upper case", ReasonInvalidInput, lf.kiosk, 0, countOf("Book", today)},
		{"empty", ReasonInvalidInput, lf.kiosk, 0, countOf("", today)},
		{"too long", ReasonInvalidInput, lf.kiosk, 0, countOf(strings.Repeat("a", 41), today)},
		{"punctuation", ReasonInvalidInput, lf.kiosk, 0, countOf("book;drop", today)},
		{"not a date", ReasonInvalidDate, lf.kiosk, 0, CountLesson{Lesson: "book", Day: "2026-02-30"}},
		{"not YYYY-MM-DD", ReasonInvalidDate, lf.kiosk, 0, CountLesson{Lesson: "book", Day: "8/6/2026"}},
		{"no day", ReasonInvalidDate, lf.desk, 0, CountLesson{Lesson: "book"}},
		{"two days ahead", ReasonDayOutOfRange, lf.kiosk, 0, countOf("book", today.AddDays(2))},
		{"next week", ReasonDayOutOfRange, lf.kiosk, 0, countOf("book", today.AddDays(7))},
		{"367 days ago", ReasonDayOutOfRange, lf.desk, 0, countOf("book", today.AddDays(-367))},
		{"two years ago", ReasonDayOutOfRange, lf.kiosk, 0, countOf("book", today.AddDays(-730))},
		{"in a member of staff's name", ReasonInvalidInput, lf.desk, lf.recep, countOf("book", today)},
	} {
		t.Run(c.name, func(t *testing.T) {
			lf.refused(t, c.reason, c.dev, c.staff, c.p)
		})
	}
	if n := lf.count(t, "SELECT count(*) FROM lesson_counts"); n != 0 {
		t.Fatalf("%d counts after refusals", n)
	}
	if n := lf.count(t, "SELECT count(*) FROM applied_ops WHERE kind = ? AND status = 'rejected'", KindCountLesson); n != 12 {
		t.Fatalf("%d refusals recorded, want 12", n)
	}
}

func TestLessonCounts(t *testing.T) {
	ctx := context.Background()
	lf := newLoopFixture(t)
	june8 := lf.monday
	may31 := june8.AddDays(-8)
	for _, c := range []struct {
		dev    Device
		lesson string
		day    Date
	}{
		{lf.kiosk, "book", june8}, {lf.kiosk, "book", june8.AddDays(-1)}, {lf.kiosk, "book", may31},
		{lf.desk, "book", june8}, {lf.kiosk, "touchscreen", june8}, {lf.kiosk, "touchscreen", june8},
	} {
		wantApplied(t, lf.apply(t, c.dev, 0, countOf(c.lesson, c.day)))
	}
	show := func(cs []LessonCount) string {
		var b strings.Builder
		for _, c := range cs {
			fmt.Fprintf(&b, "%s %s %s %d; ", c.Lesson, c.Month, c.DeviceName, c.Count)
		}
		return b.String()
	}
	for _, c := range []struct {
		from, to Date
		want     string
	}{
		{Date{}, Date{}, "book 2026-05 test kiosk 1; book 2026-06 test desktop 1; book 2026-06 test kiosk 2; touchscreen 2026-06 test kiosk 2; "},
		{june8, Date{}, "book 2026-06 test desktop 1; book 2026-06 test kiosk 1; touchscreen 2026-06 test kiosk 2; "},
		{Date{}, may31, "book 2026-05 test kiosk 1; "},
		{june8.AddDays(-1), june8.AddDays(-1), "book 2026-06 test kiosk 1; "},
		{june8.AddDays(1), Date{}, ""},
	} {
		got, err := lf.st.LessonCounts(ctx, c.from, c.to)
		if err != nil {
			t.Fatal(err)
		}
		if show(got) != c.want {
			t.Errorf("LessonCounts(%v, %v) = %s, want %s", c.from, c.to, show(got), c.want)
		}
	}
	if _, err := lf.st.LessonCounts(ctx, june8, may31); !errors.Is(err, ReasonInvalidInput) {
		t.Fatalf("from after to: %v", err)
	}
}

// The server's today is its London date: at 00:30 on 9 June in London
// (23:30 on 8 June in UTC) a count for 10 June is tomorrow, and for 11
// June is too far ahead.
func TestCountLessonDayIsLondonToday(t *testing.T) {
	lf := newLoopFixture(t)
	june9 := lf.monday.AddDays(1)
	lf.clock.Set(june9.At(0, 30, lf.loc))
	wantApplied(t, lf.apply(t, lf.kiosk, 0, countOf("book", june9.AddDays(1))))
	lf.refused(t, ReasonDayOutOfRange, lf.kiosk, 0, countOf("book", june9.AddDays(2)))
}
