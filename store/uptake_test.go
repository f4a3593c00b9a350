package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func month(t testing.TB, s string) Month {
	t.Helper()
	m, err := ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// uptakeOf returns the figures for one month out of a range.
func uptakeOf(t testing.TB, st *Store, from, to, want string) UptakeMonth {
	t.Helper()
	months, err := st.Uptake(context.Background(), month(t, from), month(t, to))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range months {
		if m.Month == want {
			return m
		}
	}
	t.Fatalf("no %s in %+v", want, months)
	return UptakeMonth{}
}

// A month of activity made through the store's own paths (ops from a
// desktop and a kiosk, bookings and cancellations on every channel, repeat
// orders, a check-in, lessons), with a reissued letter, a proxy's letter
// and a registration revoked part way: every figure equals a count taken
// straight from the database by a query of its own, and the counts are
// the ones the test made.
func TestUptakeMatchesTheDatabase(t *testing.T) {
	ctx := context.Background()
	lf := newLoopFixture(t) // 08:00 on Monday 8 June 2026 (BST)
	nines := syntheticNines(6)
	a := lf.addPatient(t, "Adams", nines[0], "1970-01-01")
	b := lf.addPatient(t, "Baker", nines[1], "1980-02-02")
	c := lf.addPatient(t, "Clark", nines[2], "1990-03-03")
	d := lf.addPatient(t, "Dunn", nines[3], "1985-04-04")
	child := lf.addPatient(t, "Evans", nines[4], "2018-05-05")
	now := lf.clock.Now()
	var aItem, dReg int64
	err := lf.st.Load(ctx, func(l *Loader) error {
		var err error
		if aItem, err = l.AddRepeat(NewRepeat{PatientID: a, Name: "Salbutamol", Strength: "100 micrograms", Form: "inhaler", Dosage: "Two puffs when needed",
			Quantity: "1", Active: true, StartedAt: now.AddDate(-1, 0, 0)}); err != nil {
			return err
		}
		// Dunn registered in May and asked for access to end in June.
		may20 := time.Date(2026, time.May, 20, 10, 0, 0, 0, lf.loc)
		dReg, err = l.AddRegistration(NewRegistration{PatientID: d, VerificationMethod: VerifyPhotoIDAndAddress, VerifiedAt: may20,
			CoercionConsidered: true, ServiceAppointments: true, RecordAccess: RecordAccessNone, AccountID: "MNPQ-RTUV-WXY3",
			LinkageKeyHash: strings.Repeat("e", 64), LetterIssuedAt: may20, LetterExpiresAt: may20.Add(LetterValidity)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	register := func(patient int64, method string, appts, presc bool, record, account string, proxy int64) {
		t.Helper()
		now := lf.clock.Now()
		made[Registered](t, lf.apply(t, lf.desk, lf.recep, RegisterOnline{PatientID: patient, ProxyID: proxy, VerificationMethod: method,
			VerifiedAt: now, CoercionConsidered: true, ServiceAppointments: appts, ServicePrescriptions: presc, RecordAccess: record,
			AccountID: account, LinkageKeyHash: strings.Repeat("c", 64), LetterIssuedAt: now, LetterExpiresAt: now.Add(LetterValidity)}))
	}
	register(a, VerifyPhotoIDAndAddress, true, true, RecordAccessDetailed, "ACDE-FGHJ-KMNP", 0)
	register(b, VerifyVouching, true, false, RecordAccessNone, "QRTU-VWXY-3467", 0)
	register(c, VerifyVouchingWithInfo, false, true, RecordAccessSummary, "HJKM-NPQR-TUVW", 0)
	lf.clock.Advance(time.Hour)
	register(b, VerifyPhotoIDAndAddress, true, false, RecordAccessNone, "CDEF-GHJK-MNPQ", 0) // a new letter: the first is revoked
	proxy := made[ProxyLinked](t, lf.apply(t, lf.desk, lf.recep, LinkProxy{PatientID: child, ProxyName: "Sam Evans",
		ProxyDateOfBirth: "1985-04-20", Relationship: "parent", LegalBasis: "parental_responsibility", ServiceAppointments: true,
		ProxyVerification: VerifyPhotoIDAndAddress, SafeguardingConsidered: true, CoercionConsidered: true})).ProxyID
	register(child, VerifyPhotoIDAndAddress, true, false, RecordAccessNone, "DEFG-HJKM-NPQR", proxy)

	tuesday := lf.monday.AddDays(1)
	book := func(patient int64, ch Channel, hh, mm int) int64 {
		t.Helper()
		req := BookingRequest{SlotID: lf.slotAt(t, tuesday, hh, mm), PatientID: patient, Channel: ch, Actor: kiosk(patient)}
		if ch == ChannelReception {
			req.StaffID, req.Actor = lf.recep, Actor{Name: "staff:reception", Device: lf.desk.ID}
		}
		appt, err := lf.st.BookAppointment(ctx, req)
		if err != nil {
			t.Fatalf("book %s: %v", ch, err)
		}
		return appt.ID
	}
	cancel := func(appt, patient int64, ch Channel) {
		t.Helper()
		if err := lf.st.CancelAppointment(ctx, CancelRequest{AppointmentID: appt, PatientID: patient, Channel: ch, Actor: kiosk(patient)}); err != nil {
			t.Fatalf("cancel %s: %v", ch, err)
		}
	}
	book(lf.patient, ChannelKiosk, 9, 0)
	cancel(book(lf.patient, ChannelKiosk, 9, 50), lf.patient, ChannelKiosk)
	book(a, ChannelOnline, 9, 10)
	cancel(book(a, ChannelOnline, 9, 40), a, ChannelOnline)
	book(c, ChannelReception, 9, 20)
	cancel(book(b, ChannelReception, 9, 30), b, ChannelReception)

	order := func(patient int64, ch Channel, items ...int64) {
		t.Helper()
		if _, err := lf.st.RequestRepeats(ctx, RepeatRequest{PatientID: patient, ItemIDs: items, Channel: ch, Actor: kiosk(patient)}); err != nil {
			t.Fatalf("order %s: %v", ch, err)
		}
	}
	order(lf.patient, ChannelKiosk, lf.amlo, lf.ramipril)
	order(lf.patient, ChannelOnline, lf.metf)
	order(a, ChannelReception, aItem)

	lf.clock.Set(tuesday.At(8, 55, lf.loc))
	if _, err := lf.st.CheckIn(ctx, CheckInRequest{DateOfBirth: mustDate(t, "1960-05-05"), Sex: SexFemale, SurnameInitial: "L", DeviceID: lf.kiosk.ID}); err != nil {
		t.Fatalf("check in: %v", err)
	}
	wantApplied(t, lf.apply(t, lf.kiosk, 0, CountLesson{Lesson: "book", Day: "2026-06-09"}))
	wantApplied(t, lf.apply(t, lf.kiosk, 0, CountLesson{Lesson: "book", Day: "2026-06-09"}))
	wantApplied(t, lf.apply(t, lf.kiosk, 0, CountLesson{Lesson: "check-in", Day: "2026-05-31"}))
	lf.clock.Set(time.Date(2026, time.June, 30, 16, 0, 0, 0, lf.loc))
	if err := lf.st.Load(ctx, func(l *Loader) error {
		return l.RevokeRegistration(dReg, time.Date(2026, time.June, 15, 11, 0, 0, 0, lf.loc), "patient asked")
	}); err != nil {
		t.Fatal(err)
	}
	wantApplied(t, lf.apply(t, lf.kiosk, 0, CountLesson{Lesson: "check-in", Day: "2026-06-30"}))
	wantApplied(t, lf.apply(t, lf.kiosk, 0, CountLesson{Lesson: "check-in", Day: "2026-07-01"}))

	june := uptakeOf(t, lf.st, "2026-05", "2026-07", "2026-06")
	may := uptakeOf(t, lf.st, "2026-05", "2026-07", "2026-05")

	// Counts straight from the database, June being [lo, hi).
	lo, hi := time.Date(2026, time.June, 1, 0, 0, 0, 0, lf.loc).Unix(), time.Date(2026, time.July, 1, 0, 0, 0, 0, lf.loc).Unix()
	db := func(q string, args ...any) int { t.Helper(); return lf.count(t, q, args...) }
	enabledWhere := func(service string, end int64) int {
		return db(`SELECT count(*) FROM patients p WHERE EXISTS (SELECT 1 FROM online_registrations r WHERE r.patient_id = p.id
			AND r.proxy_relationship_id IS NULL AND (`+service+`) AND r.verified_at < ? AND NOT (r.revoked_at IS NOT NULL AND r.revoked_at < ?))`, end, end)
	}
	firstBy := func(method string) int {
		return db(`SELECT count(*) FROM online_registrations r WHERE r.proxy_relationship_id IS NULL AND r.verification_method = ?
			AND r.verified_at >= ? AND r.verified_at < ? AND NOT EXISTS (SELECT 1 FROM online_registrations o WHERE o.patient_id = r.patient_id
			AND o.proxy_relationship_id IS NULL AND (o.verified_at < r.verified_at OR (o.verified_at = r.verified_at AND o.id < r.id)))`, method, lo, hi)
	}
	booked := func(ch string) int {
		return db("SELECT count(*) FROM appointments WHERE channel = ? AND booked_at >= ? AND booked_at < ?", ch, lo, hi)
	}
	cancelled := func(ch string) int {
		return db("SELECT count(*) FROM audit_events WHERE action = 'appointment.cancel' AND detail LIKE ? AND at >= ? AND at < ?", "%channel="+ch, lo, hi)
	}
	requests := func(ch string) int {
		return db("SELECT count(*) FROM prescription_requests WHERE channel = ? AND requested_at >= ? AND requested_at < ?", ch, lo, hi)
	}
	for _, c := range []struct {
		name       string
		got, db    int
		madeByTest int
	}{
		{"patient_list_size", june.PatientListSize, db("SELECT count(*) FROM patients WHERE registered_at < ?", hi), 6},
		{"Pat_Appts_Enbld", june.PatApptsEnbld, enabledWhere("r.service_appointments = 1", hi), 3},
		{"Pat_Presc_Enbld", june.PatPrescEnbld, enabledWhere("r.service_prescriptions = 1", hi), 3},
		{"Pat_DetCodeRec_Enbld", june.PatDetCodeRecEnbld, enabledWhere("r.record_access = 'detailed'", hi), 1},
		{"Total_Pat_Enbld", june.TotalPatEnbld, enabledWhere("r.service_appointments = 1 OR r.service_prescriptions = 1 OR r.record_access <> 'none'", hi), 4},
		{"May Total_Pat_Enbld", may.TotalPatEnbld, enabledWhere("1", lo), 2},
		{"New_Pat_Enbld", june.NewPatEnbld, db(`SELECT count(*) FROM patients p WHERE (SELECT min(verified_at) FROM online_registrations r
			WHERE r.patient_id = p.id AND r.proxy_relationship_id IS NULL) BETWEEN ? AND ?`, lo, hi-1), 3},
		{"May New_Pat_Enbld", may.NewPatEnbld, 1, 1},
		{"new by photo ID", june.NewByVerification[VerifyPhotoIDAndAddress], firstBy(VerifyPhotoIDAndAddress), 1},
		{"new by vouching", june.NewByVerification[VerifyVouching], firstBy(VerifyVouching), 1},
		{"new by vouching with information", june.NewByVerification[VerifyVouchingWithInfo], firstBy(VerifyVouchingWithInfo), 1},
		{"letters printed", june.LettersPrinted, db("SELECT count(*) FROM online_registrations WHERE letter_issued_at BETWEEN ? AND ?", lo, hi-1), 5},
		{"booked at the kiosk", june.Booked["kiosk"], booked("kiosk"), 2},
		{"booked online", june.Booked["online"], booked("online"), 2},
		{"booked at reception", june.Booked["reception"], booked("reception"), 2},
		{"cancelled at the kiosk", june.Cancelled["kiosk"], cancelled("kiosk"), 1},
		{"cancelled online", june.Cancelled["online"], cancelled("online"), 1},
		{"cancelled at reception", june.Cancelled["reception"], cancelled("reception"), 1},
		{"Pat_Appts_Use", june.PatApptsUse, booked("kiosk") + booked("online") + cancelled("kiosk") + cancelled("online"), 6},
		{"repeats at the kiosk", june.RepeatsOrdered["kiosk"], requests("kiosk"), 1},
		{"repeats online", june.RepeatsOrdered["online"], requests("online"), 1},
		{"repeats at reception", june.RepeatsOrdered["reception"], requests("reception"), 1},
		{"Pat_Presc_Use", june.PatPrescUse, db(`SELECT count(*) FROM prescription_request_items WHERE request_id IN (SELECT id FROM prescription_requests
			WHERE channel IN ('kiosk', 'online') AND requested_at >= ? AND requested_at < ?)`, lo, hi), 3},
		{"Total_Use", june.TotalUse, june.PatApptsUse + june.PatPrescUse, 9},
		{"check-ins", june.CheckIns, db("SELECT count(*) FROM check_ins WHERE checked_in_at >= ? AND checked_in_at < ?", lo, hi), 1},
		{"lessons", june.Lessons, db("SELECT coalesce(sum(count), 0) FROM lesson_counts WHERE day LIKE '2026-06-%'"), 3},
		{"May lessons", may.Lessons, db("SELECT coalesce(sum(count), 0) FROM lesson_counts WHERE day LIKE '2026-05-%'"), 1},
	} {
		if c.got != c.db || c.got != c.madeByTest {
			t.Errorf("%s: figure %d, database %d, made by the test %d", c.name, c.got, c.db, c.madeByTest)
		}
	}
	if june.Month != "2026-06" || may.Month != "2026-05" {
		t.Errorf("months %q and %q", may.Month, june.Month)
	}
}

// Activity at 23:59 on the last day of a month in summer time, an hour
// before midnight UTC, belongs to that month; at 00:00 on the first, still
// the previous day in UTC, to the next. A registration revoked part way
// through a month is not enabled at its end; one revoked at the first
// instant of the next month still is.
func TestUptakeMonthEdgesInLondonTime(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, time.Date(2026, time.July, 2, 10, 0, 0, 0, london(t)), mustDate(t, "2026-07-02"), 1)
	nines := syntheticNines(5)
	ids := make([]int64, len(nines))
	for i, n := range nines {
		ids[i] = f.addPatient(t, fmt.Sprintf("Edge%c", 'A'+i), n, "1970-01-01")
	}
	lastMinute := time.Date(2026, time.June, 30, 23, 59, 0, 0, f.loc)
	midnight := time.Date(2026, time.July, 1, 0, 0, 0, 0, f.loc)
	if midnight.UTC().Day() != 30 {
		t.Fatalf("midnight on 1 July in London is %v UTC; the test needs it to be 30 June", midnight.UTC())
	}
	err := f.st.Load(ctx, func(l *Loader) error {
		var items [2]int64
		for i := range items {
			var err error
			if items[i], err = l.AddRepeat(NewRepeat{PatientID: ids[i], Name: "Sertraline", Strength: "50 mg", Form: "tablets", Dosage: "One a day",
				Quantity: "28", Active: true, StartedAt: lastMinute.AddDate(-1, 0, 0)}); err != nil {
				return err
			}
		}
		regs := make([]int64, len(ids))
		for i, at := range []time.Time{lastMinute, midnight, time.Date(2026, time.May, 10, 9, 0, 0, 0, f.loc), time.Date(2026, time.May, 11, 9, 0, 0, 0, f.loc), lastMinute.Add(-time.Hour)} {
			var err error
			if regs[i], err = l.AddRegistration(NewRegistration{PatientID: ids[i], VerificationMethod: VerifyVouching, VerifiedAt: at, CoercionConsidered: true,
				ServiceAppointments: true, RecordAccess: RecordAccessNone, AccountID: fmt.Sprintf("ACDE-FGHJ-KM%c%c", 'N'+i, 'P'),
				LinkageKeyHash: strings.Repeat("a", 64), LetterIssuedAt: at, LetterExpiresAt: at.Add(LetterValidity)}); err != nil {
				return err
			}
		}
		if err := l.RevokeRegistration(regs[2], time.Date(2026, time.June, 15, 12, 0, 0, 0, f.loc), "patient asked"); err != nil {
			return err
		}
		if err := l.RevokeRegistration(regs[3], midnight, "patient asked"); err != nil {
			return err
		}
		if _, err := l.AddPastRepeatRequest(ids[0], ChannelOnline, items[:1], lastMinute); err != nil {
			return err
		}
		_, err := l.AddPastRepeatRequest(ids[1], ChannelOnline, items[1:], midnight)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	june := uptakeOf(t, f.st, "2026-05", "2026-07", "2026-06")
	july := uptakeOf(t, f.st, "2026-05", "2026-07", "2026-07")
	may := uptakeOf(t, f.st, "2026-05", "2026-07", "2026-05")
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"June: new (23:59 on the 30th and an hour before)", june.NewPatEnbld, 2},
		{"July: new (00:00 on the 1st)", july.NewPatEnbld, 1},
		{"June: letters", june.LettersPrinted, 2},
		{"July: letters", july.LettersPrinted, 1},
		{"June: repeats online", june.RepeatsOrdered["online"], 1},
		{"July: repeats online", july.RepeatsOrdered["online"], 1},
		{"June: Pat_Presc_Use", june.PatPrescUse, 1},
		{"May: enabled (both May registrations)", may.TotalPatEnbld, 2},
		// Revoked on 15 June: gone. Revoked at 00:00 on 1 July: enabled at
		// the end of June. Plus the two registered on the 30th.
		{"June: enabled", june.TotalPatEnbld, 3},
		{"July: enabled", july.TotalPatEnbld, 3},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.name, c.got, c.want)
		}
	}
}

// A range the manager could not mean is refused with a sentence.
func TestUptakeRefusesBadRanges(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.July, 2, 10, 0, 0, 0, london(t)), mustDate(t, "2026-07-02"), 1)
	for _, c := range []struct{ from, to string }{{"2026-07", "2026-06"}, {"2024-06", "2026-06"}} {
		_, err := f.st.Uptake(context.Background(), month(t, c.from), month(t, c.to))
		var re *RuleError
		if !errors.As(err, &re) || re.Message == "" {
			t.Errorf("%s to %s: %v, want a refusal", c.from, c.to, err)
		}
	}
	if got, err := f.st.Uptake(context.Background(), month(t, "2024-07"), month(t, "2026-06")); err != nil || len(got) != MaxUptakeMonths {
		t.Errorf("24 months: %d months, %v", len(got), err)
	}
	for _, bad := range []string{"", "2026-13", "2026-6-1", "June 2026", "2026-00"} {
		if _, err := ParseMonth(bad); err == nil {
			t.Errorf("ParseMonth(%q) accepted", bad)
		}
	}
	if m := month(t, "2026-12"); m.AddMonths(1).String() != "2027-01" || m.AddMonths(-12).String() != "2025-12" || m.MonthsUntil(month(t, "2027-02")) != 2 {
		t.Errorf("month arithmetic from %s", m)
	}
}

// Loads of past activity refuse what could not have happened, with a
// sentence, and the load changes nothing.
func TestHistoryLoadsRefuseWhatCouldNotHaveHappened(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, time.Date(2026, time.July, 2, 10, 0, 0, 0, london(t)), mustDate(t, "2026-07-02"), 3)
	patient := f.addPatient(t, "Past", syntheticNines(1)[0], "1970-01-01")
	var appt, item int64
	err := f.st.Load(ctx, func(l *Loader) error {
		slots, err := l.SlotsOn(mustDate(t, "2026-07-02"))
		if err != nil {
			return err
		}
		if appt, err = l.AddAppointment(NewAppointment{SlotID: slots[0].ID, PatientID: patient, Channel: ChannelKiosk, Status: StatusSeen,
			BookedAt: f.clock.Now().Add(-time.Hour)}); err != nil {
			return err
		}
		item, err = l.AddRepeat(NewRepeat{PatientID: patient, Name: "Sertraline", Dosage: "One a day", Active: true, StartedAt: f.clock.Now().AddDate(-1, 0, 0)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	past, future := f.clock.Now().Add(-time.Hour), f.clock.Now().Add(time.Hour)
	snapshot := func() string {
		return fmt.Sprint(f.count(t, "SELECT count(*) FROM audit_events"), f.count(t, "SELECT count(*) FROM prescription_requests"),
			f.count(t, "SELECT count(*) FROM check_ins"), f.count(t, "SELECT count(*) FROM lesson_counts"),
			f.count(t, "SELECT count(*) FROM appointments WHERE status = 'cancelled'"), f.count(t, "SELECT max(registered_at) FROM patients"))
	}
	before := snapshot()
	for name, load := range map[string]func(l *Loader) error{
		"joining the list in the future": func(l *Loader) error { return l.SetRegisteredAt(patient, future) },
		"revoking no registration":       func(l *Loader) error { return l.RevokeRegistration(999, past, "patient asked") },
		"cancelling no appointment":      func(l *Loader) error { return l.CancelLoaded(999, ChannelKiosk, past) },
		"cancelling one already seen":    func(l *Loader) error { return l.CancelLoaded(appt, ChannelKiosk, past) },
		"cancelling by telephone":        func(l *Loader) error { return l.CancelLoaded(appt, "telephone", past) },
		"checking in tomorrow":           func(l *Loader) error { return l.CheckInLoaded(appt, "kiosk-1", future) },
		"ordering nothing":               func(l *Loader) error { _, err := l.AddPastRepeatRequest(patient, ChannelOnline, nil, past); return err },
		"ordering in the future": func(l *Loader) error {
			_, err := l.AddPastRepeatRequest(patient, ChannelOnline, []int64{item}, future)
			return err
		},
		"a lesson with a bad name": func(l *Loader) error { return l.AddLessonCount("kiosk-1", "Book!", mustDate(t, "2026-07-01"), 1) },
		"no lessons":               func(l *Loader) error { return l.AddLessonCount("kiosk-1", "book", mustDate(t, "2026-07-01"), 0) },
	} {
		err := f.st.Load(ctx, func(l *Loader) error {
			if _, err := l.AddPastRepeatRequest(patient, ChannelKiosk, []int64{item}, past); err != nil { // made, then undone
				return err
			}
			return load(l)
		})
		var re *RuleError
		if !errors.As(err, &re) || re.Message == "" {
			t.Errorf("%s: %v, want a refusal with a reason", name, err)
		}
		if after := snapshot(); after != before {
			t.Errorf("%s changed the database: %s, was %s", name, after, before)
		}
	}
}
