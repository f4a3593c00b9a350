package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// systemReports lists the problem reports the server made about a device.
func (f *fixture) systemReports(t *testing.T, deviceID, category string) []string {
	t.Helper()
	rows, err := f.st.read.Query("SELECT description FROM problem_reports WHERE reporter = 'system' AND device_id = ? AND category = ? ORDER BY id",
		deviceID, category)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func wantPaused(t *testing.T, err error) {
	t.Helper()
	var paused *CheckInPausedError
	if !errors.As(err, &paused) || paused.RetryAfter <= 0 {
		t.Fatalf("want check-in paused, got %v", err)
	}
	// The patient is told what any failed check-in is told.
	if re, ok := AsRuleError(err); !ok || re.Message != RefuseSeeReception().Error() {
		t.Fatalf("paused check-in says %v", err)
	}
}

// Ten detail check-ins that match nobody on one kiosk in 15 minutes pause
// detail check-in there for 15 minutes: even the right details are then
// refused, with the same words as any failure. Reception is told once per
// pause. Slips still work, other kiosks are not affected, and the pause
// ends by itself.
func TestCheckInFailureBudgetPausesDetailsOnThatKiosk(t *testing.T) {
	ctx := context.Background()
	f, monday := bookingFixture(t)
	k1, k2 := enrolTestDevice(t, f.st, DeviceKiosk), enrolTestDevice(t, f.st, DeviceKiosk)
	lee := f.addPatient(t, "Lee", "999000001", "1960-01-01")
	kim := f.addPatient(t, "Kim", "999000002", "1970-02-02")
	mo := f.addPatient(t, "Mo", "999000003", "1980-03-03")
	book := func(p int64, hh, mm int, code string) int64 {
		a, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: f.slotAt(t, monday, hh, mm), PatientID: p, Channel: ChannelReception,
			Actor: SystemActor(), CheckInCode: code})
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	leeAppt := book(lee, 10, 0, "")
	book(kim, 10, 20, "")
	code, _ := NewCheckInCode()
	book(mo, 10, 10, code)
	details := func(dob string, initial string, dev Device) CheckInRequest {
		return CheckInRequest{DateOfBirth: mustDate(t, dob), Sex: SexFemale, SurnameInitial: initial, DeviceID: dev.ID}
	}
	arrived := func() int { return f.count(t, "SELECT count(*) FROM appointments WHERE status = 'arrived'") }

	f.clock.Set(monday.At(9, 45, f.loc))
	// Nine failures, then failures that have aged out of the window, do
	// not pause anything.
	for range CheckInFailureBudget - 1 {
		_, err := f.st.CheckIn(ctx, details("1960-01-01", "Q", k1))
		wantReason(t, err, ReasonNotFound)
	}
	f.clock.Advance(CheckInFailureWindow + time.Second)
	_, err := f.st.CheckIn(ctx, details("1960-01-01", "Q", k1))
	wantReason(t, err, ReasonNotFound)
	// Bad input is not a guess at anyone, and spends nothing.
	for range CheckInFailureBudget {
		_, err = f.st.CheckIn(ctx, details("1960-01-01", "7", k1))
		wantReason(t, err, ReasonInvalidInput)
	}
	if got := f.systemReports(t, k1.ID, "Check-in paused"); len(got) != 0 {
		t.Fatalf("reported before the budget was spent: %q", got)
	}

	// Nine more (ten in the window): the tenth pauses detail check-in.
	for i := range CheckInFailureBudget - 1 {
		_, err := f.st.CheckIn(ctx, details("1960-01-01", "Q", k1))
		if i < CheckInFailureBudget-2 {
			wantReason(t, err, ReasonNotFound)
		} else {
			wantPaused(t, err)
		}
	}
	// A right guess now still fails, and checks nobody in.
	_, err = f.st.CheckIn(ctx, details("1960-01-01", "L", k1))
	wantPaused(t, err)
	if arrived() != 0 {
		t.Fatal("a paused kiosk checked someone in by details")
	}
	reports := f.systemReports(t, k1.ID, "Check-in paused")
	if len(reports) != 1 || !strings.Contains(reports[0], `"test kiosk"`) || strings.Contains(reports[0], "1960") {
		t.Fatalf("reports to reception: %q", reports)
	}
	// The slip still works on that kiosk: its code cannot be guessed.
	if _, err := f.st.CheckInByCode(ctx, code, k1.ID); err != nil {
		t.Fatalf("slip on a paused kiosk: %v", err)
	}
	// Another kiosk is not paused.
	if got, err := f.st.CheckIn(ctx, details("1960-01-01", "L", k2)); err != nil || got.AppointmentID != leeAppt {
		t.Fatalf("another kiosk: %+v %v", got, err)
	}
	// Still paused a little before the end; more tries make no new report.
	f.clock.Advance(CheckInPause - time.Minute)
	_, err = f.st.CheckIn(ctx, details("1970-02-02", "K", k1))
	wantPaused(t, err)
	// When the pause is over, detail check-in works again.
	f.clock.Advance(time.Minute)
	if _, err := f.st.CheckIn(ctx, details("1970-02-02", "K", k1)); err != nil {
		t.Fatalf("after the pause: %v", err)
	}
	if got := f.systemReports(t, k1.ID, "Check-in paused"); len(got) != 1 {
		t.Fatalf("%d reports for one pause", len(got))
	}
	// A second pause is a second report.
	for range CheckInFailureBudget {
		_, _ = f.st.CheckIn(ctx, details("1960-01-01", "Q", k1))
	}
	if got := f.systemReports(t, k1.ID, "Check-in paused"); len(got) != 2 {
		t.Fatalf("%d reports for two pauses", len(got))
	}
	// Nothing about the people tried is kept.
	if n := f.count(t, "SELECT count(*) FROM pragma_table_info('checkin_failures')"); n != 2 {
		t.Fatalf("checkin_failures has %d columns, want device and time only", n)
	}
}

// sendAs applies cmd from dev under key, as a device sending (or sending
// again) one op.
func (lf *loopFixture) sendAs(t *testing.T, key string, dev Device, cmd Command) (Outcome, error) {
	t.Helper()
	return lf.st.Apply(context.Background(), lf.proved(t, Request{Key: key, Device: dev, MadeAt: lf.clock.Now(), Command: cmd}))
}

// wantHeld wants err to be cmd's kind held to its quota for wait, and not
// a refusal: the device must keep the request, not drop it.
func wantHeld(t *testing.T, err error, kind RequestKind, wait time.Duration) {
	t.Helper()
	var held *QuotaError
	if !errors.As(err, &held) {
		t.Fatalf("want %s held to its quota, got %v", kind, err)
	}
	q, _ := QuotaFor(kind)
	if held.Kind != kind || held.RetryAfter != wait || held.Message != q.Held {
		t.Fatalf("held: %+v, want kind %s, retry after %s, message %q", held, kind, wait, q.Held)
	}
	if _, ok := AsRuleError(err); ok {
		t.Fatal("a held request reads as a refusal, which the device would drop")
	}
}

// Each kind with a quota is held back past its hourly allowance: nothing
// of the held request is done or recorded, it says when the window next
// frees a place, and sent again then, under the same key, it is applied.
// The practice is told once, and other devices and kinds are unaffected.
func TestQuotaHoldsPastTheAllowanceAndTellsThePracticeOnce(t *testing.T) {
	for _, kind := range []RequestKind{KindReportProblem, KindAskForHelp, KindCountLesson} {
		t.Run(string(kind), func(t *testing.T) {
			lf := newLoopFixture(t)
			start := lf.monday.At(9, 0, lf.loc)
			lf.clock.Set(start)
			q, ok := QuotaFor(kind)
			if !ok {
				t.Fatalf("no quota for %s", kind)
			}
			cmd := map[RequestKind]Command{
				KindReportProblem: ReportProblem{Category: "screen", Description: "It is hard to read"},
				KindAskForHelp:    AskForHelp{Note: "Stuck"},
				KindCountLesson:   CountLesson{Lesson: "book", Day: "2026-06-08"},
			}[kind]
			reports := func() []string { return lf.systemReports(t, lf.kiosk.ID, "Device limit reached") }
			// One at 09:00, the rest of the hour's allowance at 09:10.
			for i := range q.PerHour {
				if i == 1 {
					lf.clock.Advance(10 * time.Minute)
				}
				wantApplied(t, lf.apply(t, lf.kiosk, 0, cmd))
				if n := len(reports()); (i < q.PerHour-1 && n != 0) || (i == q.PerHour-1 && n != 1) {
					t.Fatalf("after %d: %d reports", i+1, n)
				}
			}
			// At 09:20 the next is held until 10:00, when the 09:00 one
			// leaves the hour.
			lf.clock.Advance(10 * time.Minute)
			before := lf.snapshot(t)
			applied, rejected, err := lf.st.OpCount(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			const key = "00000000-0000-4000-8000-900000000001"
			for range 5 {
				_, err := lf.sendAs(t, key, lf.kiosk, cmd)
				wantHeld(t, err, kind, 40*time.Minute)
			}
			if lf.snapshot(t) != before {
				t.Fatal("a held request changed something")
			}
			if a, r, _ := lf.st.OpCount(context.Background()); a != applied || r != rejected {
				t.Fatalf("held requests were recorded: %d applied, %d rejected; before %d, %d", a, r, applied, rejected)
			}
			if got := reports(); len(got) != 1 || !strings.Contains(got[0], q.Noun) || !strings.Contains(got[0], "none is lost") {
				t.Fatalf("reports: %q", got)
			}
			// Another kind from the kiosk, and the same kind from another
			// device, are not held back.
			other := Command(AskForHelp{Note: "Stuck"})
			if kind == KindAskForHelp {
				other = ReportProblem{Category: "screen", Description: "Frozen"}
			}
			wantApplied(t, lf.apply(t, lf.kiosk, 0, other))
			wantApplied(t, lf.apply(t, lf.desk, 0, cmd))
			// A second before the window moves it is still held; when it
			// has moved the held request is taken, once, and the next is
			// held until 10:10.
			lf.clock.Set(start.Add(time.Hour - time.Second))
			_, err = lf.sendAs(t, key, lf.kiosk, cmd)
			wantHeld(t, err, kind, time.Second)
			lf.clock.Set(start.Add(time.Hour))
			out, err := lf.sendAs(t, key, lf.kiosk, cmd)
			if err != nil {
				t.Fatalf("after the window moved: %v", err)
			}
			wantApplied(t, out)
			if again, err := lf.sendAs(t, key, lf.kiosk, cmd); err != nil || !again.Applied() {
				t.Fatalf("the taken request sent again: %+v %v", again, err)
			}
			_, err = lf.sendAs(t, "00000000-0000-4000-8000-900000000002", lf.kiosk, cmd)
			wantHeld(t, err, kind, 10*time.Minute)
			// Reaching the limit again the same day tells nobody twice.
			lf.clock.Advance(2 * time.Hour)
			for range q.PerHour {
				wantApplied(t, lf.apply(t, lf.kiosk, 0, cmd))
			}
			if n := len(reports()); n != 1 {
				t.Fatalf("%d reports in a day", n)
			}
		})
	}
}

// The daily allowance holds however the requests are spread over the
// day, and a held request waits for the day's window, not the hour's.
func TestQuotaPerDay(t *testing.T) {
	lf := newLoopFixture(t)
	lf.clock.Set(lf.monday.At(7, 0, lf.loc))
	q, _ := QuotaFor(KindReportProblem)
	cmd := ReportProblem{Category: "printer", Description: "Out of paper"}
	for i := range q.PerDay {
		if i > 0 && i%(q.PerHour-1) == 0 {
			lf.clock.Advance(time.Hour)
		}
		wantApplied(t, lf.apply(t, lf.kiosk, 0, cmd))
	}
	// It is 10:00 with three reports this hour: the 07:00 ones leave the
	// day at 07:00 tomorrow.
	_, err := lf.sendAs(t, "00000000-0000-4000-8000-900000000001", lf.kiosk, cmd)
	wantHeld(t, err, KindReportProblem, 21*time.Hour)
	if got := lf.systemReports(t, lf.kiosk.ID, "Device limit reached"); len(got) != 1 || !strings.Contains(got[0], "a day") {
		t.Fatalf("reports: %q", got)
	}
}
