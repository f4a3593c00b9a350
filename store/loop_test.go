package store

import (
	"context"
	"encoding/json"
	"fmt"
	"gpkiosk/store/passhash"
	"strings"
	"testing"
)

// loopFixture is a practice with a receptionist, two prescribers and a
// manager, a desktop and a kiosk, and a kiosk-registered patient with
// three repeat items.
type loopFixture struct {
	*fixture
	monday                 Date
	desk, kiosk            Device
	recep, doctor, doctor2 int64
	manager                int64
	patient                int64
	amlo, ramipril, metf   int64
	opN                    int
	passwords              map[int64]string // staff ID: password, to sign their requests
}

func newLoopFixture(t testing.TB) *loopFixture {
	t.Helper()
	ctx := context.Background()
	f, monday := bookingFixture(t)
	lf := &loopFixture{fixture: f, monday: monday, passwords: map[int64]string{}}
	for _, s := range []struct {
		id *int64
		n  NewStaff
	}{
		{&lf.recep, NewStaff{Username: "reception", DisplayName: "Sam Green", Role: StaffReceptionist, Password: "front-desk-2026"}},
		{&lf.doctor, NewStaff{Username: "doctor", DisplayName: "Dr Amir Khan", Role: StaffClinician, Password: "doctor-demo-1", ClinicianID: f.gp}},
		{&lf.doctor2, NewStaff{Username: "doctor2", DisplayName: "Dr Jo Bell", Role: StaffClinician, Password: "doctor-demo-2"}},
		{&lf.manager, NewStaff{Username: "manager", DisplayName: "Pat Lee", Role: StaffManager, Password: "manager-demo-1"}},
	} {
		id, err := f.st.addStaff(ctx, SystemActor(), s.n, cheapHash)
		if err != nil {
			t.Fatal(err)
		}
		*s.id = id
		lf.passwords[id] = s.n.Password
	}
	lf.desk = enrolTestDevice(t, f.st, DeviceDesktop)
	lf.kiosk = enrolTestDevice(t, f.st, DeviceKiosk)
	lf.patient = f.addPatient(t, "Loop", "999000001", "1960-05-05")
	started := monday.AddDays(-400).At(9, 0, f.loc)
	err := f.st.Load(ctx, func(l *Loader) error {
		var err error
		if lf.amlo, err = l.AddRepeat(NewRepeat{PatientID: lf.patient, Name: "Amlodipine", Strength: "5 mg", Form: "tablets", Dosage: "One a day", Quantity: "28", Active: true, StartedAt: started}); err != nil {
			return err
		}
		if lf.ramipril, err = l.AddRepeat(NewRepeat{PatientID: lf.patient, Name: "Ramipril", Strength: "2.5 mg", Form: "capsules", Dosage: "One a day", Quantity: "28", Active: true, StartedAt: started}); err != nil {
			return err
		}
		if lf.metf, err = l.AddRepeat(NewRepeat{PatientID: lf.patient, Name: "Metformin", Strength: "500 mg", Form: "tablets", Dosage: "Two a day", Quantity: "56", Active: true, StartedAt: started}); err != nil {
			return err
		}
		_, err = l.AddRegistration(NewRegistration{PatientID: lf.patient, VerificationMethod: "photo_id_and_address", VerifiedAt: started,
			CoercionConsidered: true, ServiceAppointments: true, ServicePrescriptions: true, RecordAccess: "none", KioskEnabled: true,
			AccountID: "ACCT-LOOP-0001", LinkageKeyHash: "x"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return lf
}

// apply makes one request as a device would, with staffID signed in (0:
// none).
func (lf *loopFixture) apply(t *testing.T, dev Device, staffID int64, cmd Command) Outcome {
	t.Helper()
	lf.opN++
	req := Request{Key: fmt.Sprintf("00000000-0000-4000-8000-%012d", lf.opN), Device: dev, StaffID: staffID, MadeAt: lf.clock.Now(), Command: cmd}
	out, err := lf.st.Apply(context.Background(), lf.proved(t, req))
	if err != nil {
		t.Fatalf("%s: %v", cmd.Kind(), err)
	}
	return out
}

// proved gives req the proof its device would send: a MAC under the
// signed-in member of staff's key, worked out from their password as a
// desktop does, or under the kiosk patient's letter key. A patient with no
// kiosk letter, or staff with no password known here, send none.
func (lf *loopFixture) proved(t *testing.T, req Request) Request {
	t.Helper()
	var key []byte
	if pw, ok := lf.passwords[req.StaffID]; ok && req.Device.Role == DeviceDesktop {
		key = staffKey(t, lf.st, req.StaffID, pw)
	} else if pc, ok := req.Command.(patientCommand); ok && req.Device.Role == DeviceKiosk {
		var account, dob string
		err := lf.st.read.QueryRow(`SELECT r.account_id, p.date_of_birth FROM online_registrations r JOIN patients p ON p.id = r.patient_id
			WHERE r.patient_id = ? AND r.kiosk_enabled = 1 AND r.revoked_at IS NULL AND r.proxy_relationship_id IS NULL`, pc.patient()).Scan(&account, &dob)
		if err == nil {
			k := PatientKey(account, mustDate(t, dob))
			key = k[:]
		}
	}
	if key != nil {
		req.Proof.Signed = []byte("signed " + req.Key)
		req.Proof.MAC = Sign(key, req.Proof.Signed)
	}
	return req
}

// staffKey is the key a desktop works out from a member of staff's
// password and the sign-in check it is sent.
func staffKey(t testing.TB, st *Store, staffID int64, password string) []byte {
	t.Helper()
	var verifier string
	if err := st.read.QueryRow("SELECT password_hash FROM staff WHERE id = ?", staffID).Scan(&verifier); err != nil {
		t.Fatal(err)
	}
	check, err := passhash.Check(verifier)
	if err != nil {
		t.Fatal(err)
	}
	key, ok, err := passhash.DeriveChecked(check, password)
	if err != nil || !ok {
		t.Fatalf("staff %d's password does not match: %v", staffID, err)
	}
	return key
}

func wantApplied(t *testing.T, out Outcome) {
	t.Helper()
	if !out.Applied() {
		t.Fatalf("refused: %s %q", out.Refusal.Reason, out.Refusal.Message)
	}
}

// made is what an applied request made, as the type the test expects.
func made[T any](t *testing.T, out Outcome) T {
	t.Helper()
	wantApplied(t, out)
	m, ok := out.Made.(T)
	if !ok {
		t.Fatalf("made %T (%+v), want %T", out.Made, out.Made, m)
	}
	return m
}

// order has the kiosk order items for the patient and returns the request.
func (lf *loopFixture) order(t *testing.T, items ...int64) int64 {
	t.Helper()
	res := lf.apply(t, lf.kiosk, 0, OrderRepeats{PatientID: lf.patient, ItemIDs: items, Note: "Going away on Friday"})
	return made[RepeatsOrdered](t, res).RequestID
}

// snapshot is everything the loop's ops may change, plus the audit log, so
// a refusal can be shown to change nothing.
func (lf *loopFixture) snapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		"SELECT id, status, ready_by, handed_out, coalesce(handed_out_at, 0), coalesce(handed_out_by_staff_id, 0), coalesce(outcome_seen_at, 0) FROM prescription_requests ORDER BY id",
		"SELECT id, decision, reason_code, reason, coalesce(decided_by_staff_id, 0), coalesce(decided_at, 0) FROM prescription_request_items ORDER BY id",
		"SELECT id, coalesce(last_issued_at, 0) FROM repeat_medications ORDER BY id",
		"SELECT id, status, status_changed_at FROM appointments ORDER BY id",
		"SELECT id, online_booking_suspended FROM patients ORDER BY id",
		"SELECT id, status, coalesce(acknowledged_at, 0), coalesce(resolved_at, 0) FROM help_requests ORDER BY id",
		"SELECT id, status, coalesce(acknowledged_at, 0), coalesce(resolved_at, 0) FROM problem_reports ORDER BY id",
		"SELECT device_id, lesson, day, count FROM lesson_counts ORDER BY device_id, lesson, day",
		"SELECT seq, action FROM audit_events ORDER BY seq",
		"SELECT count(*) FROM changes",
	} {
		rows, err := lf.st.read.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
	}
	return b.String()
}

// refused applies an op that must be refused with reason, changing nothing
// but the record of the refusal, and returns its message.
func (lf *loopFixture) refused(t *testing.T, reason Reason, dev Device, staffID int64, cmd Command) string {
	t.Helper()
	before := lf.snapshot(t)
	res := lf.apply(t, dev, staffID, cmd)
	if res.Applied() || res.Refusal.Reason != reason || res.Refusal.Message == "" {
		t.Fatalf("%s %+v: got %+v, want refused %s", cmd.Kind(), cmd, res, reason)
	}
	if after := lf.snapshot(t); after != before {
		t.Fatalf("%s refused (%s) but changed the practice's data:\nbefore %s\nafter %s", cmd.Kind(), reason, before, after)
	}
	return res.Refusal.Message
}

func (lf *loopFixture) actions(t *testing.T, kind string, id int64) []string {
	t.Helper()
	events, err := lf.st.AuditEvents(context.Background(), kind, id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		out = append(out, e.Actor.Name+" "+e.Action)
	}
	return out
}

func TestDecideRepeats(t *testing.T) {
	lf := newLoopFixture(t)
	req := lf.order(t, lf.amlo, lf.ramipril, lf.metf)
	decide := func(items ...ItemDecision) DecideRepeats {
		return DecideRepeats{RequestID: req, Items: items}
	}
	approveAmlo := decide(ItemDecision{RepeatItemID: lf.amlo, Approve: true})

	// Who may decide: a prescriber at a desktop, signed in.
	// Reception is told who can, so the request goes to the right person.
	if msg := lf.refused(t, ReasonStaffNotAllowed, lf.desk, lf.recep, approveAmlo); !strings.Contains(msg, "Only a prescriber") {
		t.Fatalf("a receptionist deciding is told %q", msg)
	}
	lf.refused(t, ReasonStaffNotAllowed, lf.desk, lf.manager, approveAmlo)
	lf.refused(t, ReasonStaffNotAllowed, lf.desk, 0, approveAmlo)
	lf.refused(t, ReasonStaffNotAllowed, lf.kiosk, 0, approveAmlo)

	// Bad decisions are refused whole.
	for name, c := range map[string]struct {
		p      DecideRepeats
		reason Reason
	}{
		"nothing":        {decide(), ReasonNoItemsChosen},
		"no reason code": {decide(ItemDecision{RepeatItemID: lf.amlo, Approve: true}, ItemDecision{RepeatItemID: lf.ramipril}), ReasonInvalidInput},
		"unknown code":   {decide(ItemDecision{RepeatItemID: lf.ramipril, ReasonCode: "because"}), ReasonInvalidInput},
		"other, no words": {decide(ItemDecision{RepeatItemID: lf.ramipril, ReasonCode: DeclineOther, Reason: "   "}),
			ReasonInvalidInput},
		"words too long": {decide(ItemDecision{RepeatItemID: lf.ramipril, ReasonCode: DeclineOther, Reason: strings.Repeat("x", MaxDeclineReasonChars+1)}),
			ReasonInvalidInput},
		"approve with a code": {decide(ItemDecision{RepeatItemID: lf.amlo, Approve: true, ReasonCode: DeclineTooEarly}), ReasonInvalidInput},
		"twice in one":        {decide(ItemDecision{RepeatItemID: lf.amlo, Approve: true}, ItemDecision{RepeatItemID: lf.amlo, Approve: true}), ReasonInvalidInput},
		"not on request":      {decide(ItemDecision{RepeatItemID: 9999, Approve: true}), ReasonNotFound},
		"no such request":     {DecideRepeats{RequestID: 9999, Items: approveAmlo.Items}, ReasonNotFound},
	} {
		t.Run(name, func(t *testing.T) { lf.refused(t, c.reason, lf.desk, lf.doctor, c.p) })
	}

	// Approve one, decline another with a code and words; the third stays
	// pending, so the request is still open.
	res := lf.apply(t, lf.desk, lf.doctor, decide(
		ItemDecision{RepeatItemID: lf.amlo, Approve: true},
		ItemDecision{RepeatItemID: lf.ramipril, ReasonCode: DeclineNeedsReview, Reason: " Blood pressure check first "}))
	out := made[RepeatsDecided](t, res)
	var promised string
	if err := lf.st.read.QueryRow("SELECT ready_by FROM prescription_requests WHERE id = ?", req).Scan(&promised); err != nil {
		t.Fatal(err)
	}
	if out.ReadyBy != promised || promised != lf.monday.AddDays(2).String() {
		t.Fatalf("ready by %q, stored %q: approving on the day asked keeps the promised day", out.ReadyBy, promised)
	}
	if n := lf.count(t, `SELECT count(*) FROM prescription_request_items WHERE request_id = ? AND decided_by_staff_id = ? AND
		((repeat_medication_id = ? AND decision = 'approved' AND reason_code = '') OR
		 (repeat_medication_id = ? AND decision = 'declined' AND reason_code = 'needs_review' AND reason = 'Blood pressure check first'))`,
		req, lf.doctor, lf.amlo, lf.ramipril); n != 2 {
		t.Fatalf("%d items recorded as decided", n)
	}
	if n := lf.count(t, "SELECT count(*) FROM repeat_medications WHERE last_issued_at IS NOT NULL"); n != 1 {
		t.Fatalf("%d items marked issued, want only the approved one", n)
	}
	if n := lf.count(t, "SELECT count(*) FROM prescription_requests WHERE id = ? AND status = 'pending'", req); n != 1 {
		t.Fatal("the request closed with an item still pending")
	}
	got := strings.Join(lf.actions(t, "patient", lf.patient), ",")
	if !strings.Contains(got, "staff:doctor prescription.approved,staff:doctor prescription.declined") {
		t.Fatalf("audit %s", got)
	}

	// A second prescriber deciding an item already decided is told who
	// did, and nothing of their decision is recorded.
	msg := lf.refused(t, ReasonAlreadyDecided, lf.desk, lf.doctor2, decide(
		ItemDecision{RepeatItemID: lf.metf, Approve: true},
		ItemDecision{RepeatItemID: lf.amlo, ReasonCode: DeclineTooEarly}))
	if !strings.Contains(msg, "Dr Amir Khan already decided Amlodipine 5 mg") || !strings.Contains(msg, "not recorded") {
		t.Fatalf("message %q", msg)
	}

	// Deciding the last item completes the request.
	wantApplied(t, lf.apply(t, lf.desk, lf.doctor2, decide(ItemDecision{RepeatItemID: lf.metf, ReasonCode: DeclineTooEarly})))
	if n := lf.count(t, "SELECT count(*) FROM prescription_requests WHERE id = ? AND status = 'completed'", req); n != 1 {
		t.Fatal("the request is not completed once every item is decided")
	}

	// A request the patient cancelled cannot be decided.
	req2 := lf.order(t, lf.metf)
	wantApplied(t, lf.apply(t, lf.kiosk, 0, CancelRepeatRequest{PatientID: lf.patient, RequestID: req2}))
	msg = lf.refused(t, ReasonAlreadyDecided, lf.desk, lf.doctor, DecideRepeats{RequestID: req2,
		Items: []ItemDecision{{RepeatItemID: lf.metf, Approve: true}}})
	if !strings.Contains(msg, "patient cancelled") {
		t.Fatalf("message %q", msg)
	}
}

func TestApprovalAfterThePromisedDayMovesReadyBy(t *testing.T) {
	lf := newLoopFixture(t)
	req := lf.order(t, lf.amlo)
	// Promised Wednesday; decided on Saturday: ready on Monday.
	lf.clock.Set(lf.monday.AddDays(5).At(10, 0, lf.loc))
	res := lf.apply(t, lf.desk, lf.doctor, DecideRepeats{RequestID: req,
		Items: []ItemDecision{{RepeatItemID: lf.amlo, Approve: true}}})
	want := lf.monday.AddDays(7).String()
	if got := made[RepeatsDecided](t, res); got.ReadyBy != want || lf.count(t, "SELECT count(*) FROM prescription_requests WHERE id = ? AND ready_by = ?", req, want) != 1 {
		t.Fatalf("made %+v, want ready by %s", got, want)
	}
}

func TestApprovedReadyBy(t *testing.T) {
	loc := london(t)
	for _, c := range []struct{ promised, decided, want string }{
		{"2026-06-10", "2026-06-08", "2026-06-10"}, // before the promised day: keep it
		{"2026-06-10", "2026-06-10", "2026-06-10"},
		{"2026-06-10", "2026-06-11", "2026-06-11"}, // late, on a working day
		{"2026-06-10", "2026-06-13", "2026-06-15"}, // late, on a Saturday
		{"2026-08-28", "2026-08-29", "2026-09-01"}, // Saturday before the August bank holiday
	} {
		got := ApprovedReadyBy(mustDate(t, c.promised), mustDate(t, c.decided).At(10, 0, loc), loc)
		if got.String() != c.want {
			t.Errorf("promised %s, decided %s: ready %s, want %s", c.promised, c.decided, got, c.want)
		}
	}
}

func TestHandOutRepeats(t *testing.T) {
	lf := newLoopFixture(t)
	req := lf.order(t, lf.amlo, lf.ramipril)
	collected := HandOutRepeats{RequestID: req, How: HandedOutCollected}
	lf.refused(t, ReasonInvalidInput, lf.desk, lf.recep, collected) // not decided yet
	wantApplied(t, lf.apply(t, lf.desk, lf.doctor, DecideRepeats{RequestID: req, Items: []ItemDecision{
		{RepeatItemID: lf.amlo, Approve: true}, {RepeatItemID: lf.ramipril, ReasonCode: DeclineNotOnRepeat}}}))

	if msg := lf.refused(t, ReasonStaffNotAllowed, lf.desk, lf.doctor, collected); !strings.Contains(msg, "Your staff role cannot do that") {
		t.Fatalf("a clinician handing out is told %q", msg)
	}
	lf.refused(t, ReasonStaffNotAllowed, lf.kiosk, 0, collected)
	lf.refused(t, ReasonInvalidInput, lf.desk, lf.recep, HandOutRepeats{RequestID: req, How: "posted"})
	lf.refused(t, ReasonNotFound, lf.desk, lf.recep, HandOutRepeats{RequestID: 999, How: HandedOutPharmacy})

	wantApplied(t, lf.apply(t, lf.desk, lf.recep, collected))
	if n := lf.count(t, "SELECT count(*) FROM prescription_requests WHERE id = ? AND handed_out = 'collected' AND handed_out_by_staff_id = ?", req, lf.recep); n != 1 {
		t.Fatal("hand-out not recorded")
	}
	msg := lf.refused(t, ReasonAlreadyHandled, lf.desk, lf.manager, HandOutRepeats{RequestID: req, How: HandedOutPharmacy})
	if !strings.Contains(msg, "Sam Green already marked this prescription collected") {
		t.Fatalf("message %q", msg)
	}
	if got := lf.actions(t, "patient", lf.patient); got[len(got)-1] != "staff:reception prescription.handed_out" {
		t.Fatalf("audit %v", got)
	}

	// Everything declined: nothing to hand out.
	req2 := lf.order(t, lf.metf)
	wantApplied(t, lf.apply(t, lf.desk, lf.doctor, DecideRepeats{RequestID: req2,
		Items: []ItemDecision{{RepeatItemID: lf.metf, ReasonCode: DeclineMedicationChanged}}}))
	lf.refused(t, ReasonInvalidInput, lf.desk, lf.recep, HandOutRepeats{RequestID: req2, How: HandedOutCollected})
}

func TestRecordOutcomeOpSuspendsAfterMissedAppointments(t *testing.T) {
	lf := newLoopFixture(t)
	book := func(day int) int64 {
		res := lf.apply(t, lf.kiosk, 0, Book{SlotID: lf.slotAt(t, lf.monday.AddDays(day), 9, 0), PatientID: lf.patient})
		b := made[Booked](t, res)
		return b.AppointmentID
	}
	appts := []int64{book(1), book(2)} // a kiosk patient may hold two
	dna := func(id int64) RecordOutcome {
		return RecordOutcome{AppointmentID: id, Status: StatusDidNotAttend}
	}
	lf.refused(t, ReasonStaffNotAllowed, lf.kiosk, 0, dna(appts[0]))
	lf.refused(t, ReasonStaffNotAllowed, lf.desk, 0, dna(appts[0]))
	lf.refused(t, ReasonInvalidInput, lf.desk, lf.recep, RecordOutcome{AppointmentID: appts[0], Status: "cancelled"})
	lf.refused(t, ReasonNotFound, lf.desk, lf.recep, dna(999))

	wantApplied(t, lf.apply(t, lf.desk, lf.recep, RecordOutcome{AppointmentID: appts[0], Status: StatusArrived}))
	wantApplied(t, lf.apply(t, lf.desk, lf.doctor, RecordOutcome{AppointmentID: appts[0], Status: StatusSeen}))
	lf.refused(t, ReasonInvalidInput, lf.desk, lf.recep, dna(appts[0])) // closed

	wantApplied(t, lf.apply(t, lf.desk, lf.recep, dna(appts[1])))
	wantApplied(t, lf.apply(t, lf.desk, lf.recep, dna(book(3))))
	if n := lf.count(t, "SELECT online_booking_suspended FROM patients WHERE id = ?", lf.patient); n != 0 {
		t.Fatal("suspended after two missed appointments; the practice's rule is three")
	}
	wantApplied(t, lf.apply(t, lf.desk, lf.manager, dna(book(4))))
	if n := lf.count(t, "SELECT online_booking_suspended FROM patients WHERE id = ?", lf.patient); n != 1 {
		t.Fatal("three missed kiosk appointments did not suspend online booking")
	}
	got := strings.Join(lf.actions(t, "patient", lf.patient), ",")
	if !strings.Contains(got, "staff:reception appointment.arrived,staff:doctor appointment.seen") ||
		!strings.Contains(got, "staff:manager appointment.did_not_attend") {
		t.Fatalf("audit %s", got)
	}
}

func TestHandleAlert(t *testing.T) {
	lf := newLoopFixture(t)
	help := lf.apply(t, lf.kiosk, 0, AskForHelp{Note: "wheelchair"})
	wantApplied(t, help)
	problem := lf.apply(t, lf.kiosk, 0, ReportProblem{Category: "printer", Description: "No slip came out"})
	wantApplied(t, problem)
	h, p := made[Created](t, help), made[Created](t, problem)
	ack := HandleAlert{Entity: EntityHelpRequest, ID: h.ID, Action: AlertAcknowledged}
	lf.refused(t, ReasonStaffNotAllowed, lf.kiosk, 0, ack)
	lf.refused(t, ReasonStaffNotAllowed, lf.desk, lf.doctor, ack) // the practice has not allowed clinicians
	lf.refused(t, ReasonInvalidInput, lf.desk, lf.recep, HandleAlert{Entity: "patient", ID: h.ID, Action: AlertResolved})
	lf.refused(t, ReasonInvalidInput, lf.desk, lf.recep, HandleAlert{Entity: EntityHelpRequest, ID: h.ID, Action: AlertOpen})
	lf.refused(t, ReasonNotFound, lf.desk, lf.recep, HandleAlert{Entity: EntityHelpRequest, ID: 999, Action: AlertResolved})

	wantApplied(t, lf.apply(t, lf.desk, lf.recep, ack))
	msg := lf.refused(t, ReasonAlreadyHandled, lf.desk, lf.manager, ack)
	if !strings.Contains(msg, "Sam Green already acknowledged this") {
		t.Fatalf("message %q", msg)
	}
	resolve := HandleAlert{Entity: EntityHelpRequest, ID: h.ID, Action: AlertResolved}
	wantApplied(t, lf.apply(t, lf.desk, lf.manager, resolve))
	msg = lf.refused(t, ReasonAlreadyHandled, lf.desk, lf.recep, resolve)
	if !strings.Contains(msg, "Pat Lee already resolved this") {
		t.Fatalf("message %q", msg)
	}
	lf.refused(t, ReasonAlreadyHandled, lf.desk, lf.recep, ack)
	if got := strings.Join(lf.actions(t, "help", h.ID), ","); got != "patient:0 help.request,staff:reception help.acknowledged,staff:manager help.resolved" &&
		!strings.HasSuffix(got, "staff:reception help.acknowledged,staff:manager help.resolved") {
		t.Fatalf("audit %s", got)
	}

	// Once the practice allows it, a clinician may resolve a problem
	// report straight from open.
	st, err := lf.st.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st.CliniciansHandleAlerts = true
	if err := lf.st.UpdateSettings(context.Background(), SystemActor(), st); err != nil {
		t.Fatal(err)
	}
	wantApplied(t, lf.apply(t, lf.desk, lf.doctor, HandleAlert{Entity: EntityProblemReport, ID: p.ID, Action: AlertResolved}))
	if n := lf.count(t, "SELECT count(*) FROM problem_reports WHERE id = ? AND status = 'closed' AND resolved_by_staff_id = ? AND acknowledged_at IS NULL", p.ID, lf.doctor); n != 1 {
		t.Fatal("problem report not resolved by the clinician")
	}
}

func TestStaffMayByRoleAndSetting(t *testing.T) {
	off, on := DefaultSettings(), DefaultSettings()
	on.CliniciansHandleAlerts = true
	for _, c := range []struct {
		kind RequestKind
		role string
		st   Settings
		want bool
	}{
		{KindDecideRepeats, StaffClinician, off, true},
		{KindDecideRepeats, StaffReceptionist, off, false},
		{KindDecideRepeats, StaffManager, off, false},
		{KindHandOutRepeats, StaffReceptionist, off, true},
		{KindHandOutRepeats, StaffManager, off, true},
		{KindHandOutRepeats, StaffClinician, off, false},
		{KindRecordOutcome, StaffClinician, off, true},
		{KindRecordOutcome, StaffReceptionist, off, true},
		{KindBook, StaffReceptionist, off, true},
		{KindCancelAppointment, StaffClinician, off, true},
		{KindHandleAlert, StaffReceptionist, off, true},
		{KindHandleAlert, StaffManager, off, true},
		{KindHandleAlert, StaffClinician, off, false},
		{KindHandleAlert, StaffClinician, on, true},
		{KindAcknowledgeOutcome, StaffReceptionist, on, false},
		{KindDecideRepeats, "doctor", on, false},
	} {
		if got := StaffMay(c.kind, c.role, c.st); got != c.want {
			t.Errorf("StaffMay(%s, %s, clinicians handle alerts %v) = %v", c.kind, c.role, c.st.CliniciansHandleAlerts, got)
		}
	}
	// The setting is stored and read back.
	lf := newLoopFixture(t)
	if err := lf.st.UpdateSettings(context.Background(), SystemActor(), on); err != nil {
		t.Fatal(err)
	}
	if got, err := lf.st.Settings(context.Background()); err != nil || !got.CliniciansHandleAlerts {
		t.Fatalf("settings read back %+v %v", got, err)
	}
}

func TestAcknowledgeOutcome(t *testing.T) {
	lf := newLoopFixture(t)
	other := lf.addPatient(t, "Other", "999000002", "1970-01-01")
	req := lf.order(t, lf.amlo)
	seen := AcknowledgeOutcome{PatientID: lf.patient, RequestID: req}
	lf.refused(t, ReasonInvalidInput, lf.kiosk, 0, seen) // not decided yet
	wantApplied(t, lf.apply(t, lf.desk, lf.doctor, DecideRepeats{RequestID: req,
		Items: []ItemDecision{{RepeatItemID: lf.amlo, Approve: true}}}))
	lf.refused(t, ReasonStaffNotAllowed, lf.desk, lf.recep, seen)
	lf.refused(t, ReasonNotProven, lf.kiosk, 0, AcknowledgeOutcome{PatientID: other, RequestID: req}) // not kiosk-registered: no letter to prove it
	lf.refused(t, ReasonNotFound, lf.kiosk, 0, AcknowledgeOutcome{PatientID: lf.patient, RequestID: 999})
	// Someone else at the kiosk, registered too, cannot mark it seen.
	neighbour := lf.addPatient(t, "Neighbour", "999000003", "1971-02-02")
	lf.registerForKiosk(t, neighbour, "QRTU-VWXY-3467")
	lf.refused(t, ReasonNotFound, lf.kiosk, 0, AcknowledgeOutcome{PatientID: neighbour, RequestID: req})

	wantApplied(t, lf.apply(t, lf.kiosk, 0, seen))
	if n := lf.count(t, "SELECT count(*) FROM prescription_requests WHERE id = ? AND outcome_seen_at IS NOT NULL", req); n != 1 {
		t.Fatal("outcome not marked seen")
	}
	// Saying it again (another kiosk, or a retry under a new op ID) is
	// harmless: applied, and nothing changes.
	before := lf.snapshot(t)
	wantApplied(t, lf.apply(t, lf.kiosk, 0, seen))
	if lf.snapshot(t) != before {
		t.Fatal("a second acknowledgement changed something")
	}
	got := lf.actions(t, "patient", lf.patient)
	if got[len(got)-1] != fmt.Sprintf("patient:%d prescription.outcome_seen", lf.patient) {
		t.Fatalf("audit %v", got)
	}
}

func TestNamedDesktopBookingNeedsAnActiveAccount(t *testing.T) {
	lf := newLoopFixture(t)
	book := Book{SlotID: lf.slotAt(t, lf.monday.AddDays(1), 11, 40), PatientID: lf.patient}
	if err := lf.st.SetStaffActive(context.Background(), SystemActor(), "reception", false); err != nil {
		t.Fatal(err)
	}
	lf.refused(t, ReasonStaffNotAllowed, lf.desk, lf.recep, book)
	res := lf.apply(t, lf.desk, lf.doctor, book)
	wantApplied(t, res)
	if got := lf.actions(t, "patient", lf.patient); got[len(got)-1] != "staff:doctor appointment.book" {
		t.Fatalf("audit %v", got)
	}
}

// feedOf reads a device's whole feed as entity → id → state, as JSON so
// feeds compare as text (nil for a row gone or out of view).
func feedOf(t *testing.T, st *Store, dev Device) map[string]map[int64]json.RawMessage {
	t.Helper()
	out := map[string]map[int64]json.RawMessage{}
	for entity, rows := range feedRows(t, st, dev) {
		out[entity] = map[int64]json.RawMessage{}
		for id, state := range rows {
			var js json.RawMessage
			if state != nil {
				var err error
				if js, err = json.Marshal(state); err != nil {
					t.Fatal(err)
				}
			}
			out[entity][id] = js
		}
	}
	return out
}

func TestFeedCarriesTheLoop(t *testing.T) {
	lf := newLoopFixture(t)
	req := lf.order(t, lf.amlo, lf.ramipril)
	wantApplied(t, lf.apply(t, lf.desk, lf.doctor, DecideRepeats{RequestID: req, Items: []ItemDecision{
		{RepeatItemID: lf.amlo, Approve: true}, {RepeatItemID: lf.ramipril, ReasonCode: DeclineOther, Reason: "Dose changed at clinic"}}}))
	wantApplied(t, lf.apply(t, lf.kiosk, 0, AcknowledgeOutcome{PatientID: lf.patient, RequestID: req}))
	wantApplied(t, lf.apply(t, lf.desk, lf.recep, HandOutRepeats{RequestID: req, How: HandedOutPharmacy}))
	wantApplied(t, lf.apply(t, lf.kiosk, 0, AskForHelp{Note: "hearing loop"}))
	wantApplied(t, lf.apply(t, lf.kiosk, 0, ReportProblem{Category: "screen", Description: "Cracked"}))
	wantApplied(t, lf.apply(t, lf.desk, lf.recep, HandleAlert{Entity: EntityHelpRequest, ID: 1, Action: AlertAcknowledged}))
	res := lf.apply(t, lf.kiosk, 0, Book{SlotID: lf.slotAt(t, lf.monday, 9, 30), PatientID: lf.patient})
	wantApplied(t, res)

	desk, kiosk := feedOf(t, lf.st, lf.desk), feedOf(t, lf.st, lf.kiosk)
	for _, e := range []string{EntityHelpRequest, EntityProblemReport} {
		if len(kiosk[e]) != 0 {
			t.Fatalf("a kiosk was sent %s rows (even as deletions): %v", e, kiosk[e])
		}
		if len(desk[e]) != 1 {
			t.Fatalf("desktop has %d %s rows", len(desk[e]), e)
		}
	}
	var help, problem FeedAlert
	if err := json.Unmarshal(desk[EntityHelpRequest][1], &help); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(desk[EntityProblemReport][1], &problem); err != nil {
		t.Fatal(err)
	}
	if help.DeviceID != lf.kiosk.ID || help.DeviceName != lf.kiosk.Name || help.Text != "hearing loop" || help.Status != AlertAcknowledged ||
		help.HandledBy != lf.recep || help.HandledAt.IsZero() || help.RaisedAt.IsZero() {
		t.Fatalf("help request on the desktop %+v", help)
	}
	if problem.Status != AlertOpen || problem.Reporter != "patient" || problem.Category != "screen" || problem.Text != "Cracked" || !problem.HandledAt.IsZero() {
		t.Fatalf("problem report on the desktop %+v", problem)
	}

	var k, d FeedRepeatRequest
	if err := json.Unmarshal(kiosk[EntityRepeatRequest][req], &k); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(desk[EntityRepeatRequest][req], &d); err != nil {
		t.Fatal(err)
	}
	if k.Status != "completed" || k.ReadyBy == "" || !k.OutcomeSeen || k.HandedOut != HandedOutPharmacy || len(k.Items) != 2 ||
		k.Items[0].Decision != "approved" || k.Items[1].Decision != "declined" || k.Items[1].ReasonCode != DeclineOther ||
		k.Items[1].Reason != "Dose changed at clinic" {
		t.Fatalf("kiosk's request %+v", k)
	}
	if k.Note != "" || !k.RequestedAt.IsZero() || k.Channel != "" || !k.HandedOutAt.IsZero() || k.Items[0].DecidedBy != 0 || !k.Items[0].DecidedAt.IsZero() {
		t.Fatalf("a kiosk was sent desktop-only request fields: %+v", k)
	}
	if d.Note != "Going away on Friday" || d.RequestedAt.IsZero() || d.Channel != ChannelKiosk || d.HandedOutAt.IsZero() ||
		d.Items[0].DecidedBy != lf.doctor || d.Items[1].DecidedAt.IsZero() || !d.OutcomeSeen {
		t.Fatalf("desktop's request %+v", d)
	}

	var ka, da FeedAppointment
	b := made[Booked](t, res)
	if err := json.Unmarshal(kiosk[EntityAppointment][b.AppointmentID], &ka); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(desk[EntityAppointment][b.AppointmentID], &da); err != nil {
		t.Fatal(err)
	}
	if !ka.StatusChangedAt.IsZero() || da.StatusChangedAt.IsZero() {
		t.Fatalf("status changed at: kiosk %v, desktop %v", ka.StatusChangedAt, da.StatusChangedAt)
	}

	// The settings carry whether clinicians handle the inbox.
	st, err := lf.st.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st.CliniciansHandleAlerts = true
	if err := lf.st.UpdateSettings(context.Background(), SystemActor(), st); err != nil {
		t.Fatal(err)
	}
	var sd FeedSettings
	if err := json.Unmarshal(feedOf(t, lf.st, lf.kiosk)[EntitySettings][1], &sd); err != nil || !sd.CliniciansHandleAlerts {
		t.Fatalf("settings in the feed %+v %v", sd, err)
	}
}
