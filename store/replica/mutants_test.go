package replica

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// A problem report or a call for help may use every one of the letters it
// is allowed, counted as letters, not bytes; one more is refused.
func TestProblemAndHelpTextMayUseExactlyTheLimit(t *testing.T) {
	ctx := context.Background()
	atLimit := strings.Repeat("é", store.MaxProblemChars)
	over := atLimit + "x"
	for name, send := range map[string]func(*Replica, string) (string, error){
		"problem": func(r *Replica, s string) (string, error) { return r.ReportProblem(ctx, "screen", s) },
		"help":    func(r *Replica, s string) (string, error) { return r.AskForHelp(ctx, s) },
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, gpsync.RoleKiosk)
			if _, err := send(f.r, atLimit); err != nil {
				t.Errorf("%d letters: %v, want it queued", store.MaxProblemChars, err)
			}
			_, err := send(f.r, over)
			wantRefusal(t, err, store.ReasonInvalidInput)
			if n := len(f.pending()); n != 1 {
				t.Errorf("outbox holds %d ops, want only the one at the limit", n)
			}
		})
	}
}

// A registration made from a letter shows when the letter runs out; one
// verified without a letter (in person) has no expiry at all, not 1970.
func TestRegistrationExpiryShowsOnlyForALetter(t *testing.T) {
	f := newDesktop(t)
	ctx := context.Background()
	m := f.signIn("reception", "reception-demo")
	verified := testNow.Add(-72 * time.Hour)
	issued, expires := testNow.Add(-24*time.Hour), testNow.Add(29*24*time.Hour)
	f.apply(
		change(gpsync.EntityRegistration, 50, gpsync.RegistrationData{PatientID: alice, AccountID: "acct-letter",
			VerificationMethod: store.VerifyPhotoIDAndAddress, VerifiedAt: verified, ServiceAppointments: true,
			RecordAccess: store.RecordAccessSummary, KioskEnabled: true, LetterIssuedAt: &issued, LetterExpiresAt: &expires}),
		change(gpsync.EntityRegistration, 51, gpsync.RegistrationData{PatientID: una, AccountID: "acct-in-person",
			VerificationMethod: store.VerifyPhotoIDAndAddress, VerifiedAt: verified, ServiceAppointments: true,
			RecordAccess: store.RecordAccessSummary}),
	)
	for _, tt := range []struct {
		patient         int64
		issued, expires time.Time
	}{
		{alice, issued, expires},
		{una, verified, time.Time{}},
	} {
		rec, err := f.r.PatientRecord(ctx, m, tt.patient)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Registrations) != 1 {
			t.Fatalf("patient %d registrations %+v, want one", tt.patient, rec.Registrations)
		}
		g := rec.Registrations[0]
		if !g.IssuedAt.Equal(tt.issued) || !g.ExpiresAt.Equal(tt.expires) || g.ExpiresAt.IsZero() != tt.expires.IsZero() {
			t.Errorf("patient %d: issued %v, expires %v; want issued %v, expires %v", tt.patient, g.IssuedAt, g.ExpiresAt, tt.issued, tt.expires)
		}
	}
}

// A letter printed while the sync confirmed the proxy's link (the server
// has answered, its copy of the proxy has not arrived yet) names the proxy
// by the server's ID, not by the link op.
func TestRegistrationNamesAProxyConfirmedWhileItsLetterPrinted(t *testing.T) {
	f := newDesktop(t)
	ctx := context.Background()
	m := f.signIn("reception", "reception-demo")
	ref, err := f.r.LinkProxy(ctx, m, ProxyInput{PatientID: tom, Name: "Sarah Hughes", DateOfBirth: store.Date{Year: 1985, Month: time.April, Day: 4},
		Relationship: "parent", LegalBasis: store.BasisParentalResponsibility, Appointments: true,
		Verification: store.VerifyPhotoIDAndAddress, SafeguardingConsidered: true, CoercionConsidered: true})
	if err != nil {
		t.Fatal(err)
	}
	prep, err := f.r.PrepareRegistration(ctx, m, RegistrationInput{PatientID: tom, ProxyRef: ref, VerificationMethod: store.VerifyPhotoIDAndAddress,
		CoercionConsidered: true, Appointments: true, RecordAccess: store.RecordAccessNone})
	if err != nil {
		t.Fatal(err)
	}
	link := f.pending()[0]
	f.record(appliedResult(link.ID, gpsync.LinkProxyResult{ProxyID: 70}))
	if err := f.r.IssueRegistration(ctx, m, prep); err != nil {
		t.Fatal(err)
	}
	ops := f.pending()
	var p gpsync.RegisterOnlinePayload
	if len(ops) != 1 || json.Unmarshal(ops[0].Payload, &p) != nil || p.ProxyID != 70 || p.ProxyRef != "" {
		t.Fatalf("registration ops %+v: want one naming proxy 70 and no link op", ops)
	}
}

// A page that brings nothing new keeps the cursor where it is (a long-poll
// that ended with no change answers so); a page behind the stored cursor
// is refused and changes nothing.
func TestAnEmptyPageAtTheSameCursorIsApplied(t *testing.T) {
	f := newFixture(t, gpsync.RoleKiosk)
	ctx := context.Background()
	if err := f.r.ApplyChanges(ctx, gpsync.ChangesResponse{Cursor: f.cursor}); err != nil {
		t.Fatalf("an empty page at cursor %d: %v", f.cursor, err)
	}
	before := f.counts()
	err := f.r.ApplyChanges(ctx, gpsync.ChangesResponse{Cursor: f.cursor - 1,
		Changes: []gpsync.Change{deleted(gpsync.EntitySlot, slotFree)}})
	if err == nil {
		t.Fatalf("a page behind cursor %d was applied", f.cursor)
	}
	if c, _ := f.r.Cursor(ctx); c != f.cursor {
		t.Errorf("cursor %d after a refused page, want %d", c, f.cursor)
	}
	f.unchanged(before, "a page behind the cursor")
}

// When an appointment leaves the feed, the desk forgets the outcome it
// recorded for it and the server has answered: the stand-in has nothing
// left to stand in for.
func TestDeskForgetsAnAnsweredOutcomeWhenItsAppointmentLeaves(t *testing.T) {
	f := newLoopDesk(t)
	ctx := context.Background()
	arrived, err := f.r.RecordOutcome(ctx, nurse, apptUna, store.StatusArrived)
	if err != nil {
		t.Fatal(err)
	}
	f.record(appliedResult(arrived, nil))
	if n := f.count("local_outcomes"); n != 1 {
		t.Fatalf("%d local outcomes before the feed moved, want 1", n)
	}
	f.apply(deleted(gpsync.EntityAppointment, apptUna))
	if n := f.count("local_outcomes"); n != 0 {
		t.Errorf("%d local outcomes kept for an appointment the feed removed", n)
	}
}

// Every slot type the server says a patient may not have is kept, not only
// the first: a kiosk neither offers nor books any of them.
func TestKioskKeepsEverySlotTypeAPatientMayNotHave(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	screening := slot(tomorrow.Add(3 * time.Hour))
	screening.SlotTypeID = typeScreening
	check := slot(tomorrow.Add(3*time.Hour + 20*time.Minute))
	check.SlotTypeID = typeHealthCheck
	nia := patient("Nia", true)
	nia.NotEligibleSlotTypes = []int64{typeScreening, typeHealthCheck}
	dob45 := store.Date{Year: 1981, Month: time.January, Day: 1} // by age, both types would do
	f.apply(
		change(gpsync.EntitySlotType, typeScreening, gpsync.SlotTypeData{Name: "Cervical screening", Minutes: 15, ClinicianRole: "gp",
			OnlineBookable: true, ForSex: "female", MinAgeYears: 25, MaxAgeYears: 64}),
		change(gpsync.EntitySlotType, typeHealthCheck, gpsync.SlotTypeData{Name: "NHS Health Check", Minutes: 20, ClinicianRole: "gp",
			OnlineBookable: true, MinAgeYears: 40, MaxAgeYears: 74}),
		change(gpsync.EntitySlot, slotScreening, screening),
		change(gpsync.EntitySlot, slotHealthCheck, check),
		change(gpsync.EntityPatient, 50, nia),
	)
	got, err := f.r.FreeSlots(ctx, 50, dob45, store.DateOf(testNow, time.UTC), 7)
	if err != nil {
		t.Fatal(err)
	}
	if ids := slotIDs(got); slices.Contains(ids, slotScreening) || slices.Contains(ids, slotHealthCheck) || !slices.Contains(ids, slotFree) {
		t.Errorf("offered %v: want ordinary slots and neither type the server ruled out", ids)
	}
	for _, s := range []int64{slotScreening, slotHealthCheck} {
		_, err := f.r.Book(ctx, 50, s, dob45)
		wantRefusal(t, err, store.ReasonNotEligible)
	}
}

// Once the feed says a booking made here was cancelled, the kiosk lets go
// of its own copy of it: the appointment is gone from the patient's list
// and no stand-in is kept.
func TestKioskLetsGoOfABookingTheFeedSaysWasCancelled(t *testing.T) {
	f := newFixture(t, gpsync.RoleKiosk)
	b := f.book(alice, slotFree, dobAlice)
	f.record(appliedResult(b.OpID, gpsync.BookResult{AppointmentID: 900}))
	booked := gpsync.AppointmentData{SlotID: slotFree, PatientID: alice, Channel: "kiosk", Status: store.StatusBooked, BookedAt: testNow}
	f.apply(change(gpsync.EntityAppointment, 900, booked))
	if n := f.count("local_appointments"); n != 1 {
		t.Fatalf("%d local appointments while the server's is booked, want the one kept for its Ref", n)
	}
	cancelled := booked
	cancelled.Status = store.StatusCancelled
	f.apply(change(gpsync.EntityAppointment, 900, cancelled))
	for _, a := range f.appointments(alice) {
		if a.Ref.ServerID == 900 || a.Ref.LocalID == b.Ref.LocalID {
			t.Errorf("cancelled appointment still listed: %+v", a)
		}
	}
	if n := f.count("local_appointments"); n != 0 {
		t.Errorf("%d local appointments kept after the server's was cancelled", n)
	}
}

// A desktop refuses a page whose registration or proxy names no patient,
// or whose proxy has a date of birth that is not a date; a proxy with no
// date of birth at all (an old row) is kept.
func TestDesktopRefusesRegistrationsAndProxiesItCannotPlace(t *testing.T) {
	ctx := context.Background()
	reg := gpsync.RegistrationData{PatientID: alice, AccountID: "acct-1", VerificationMethod: store.VerifyPhotoIDAndAddress,
		VerifiedAt: testNow, RecordAccess: store.RecordAccessNone}
	proxy := gpsync.ProxyData{PatientID: tom, ProxyName: "Sarah Hughes", ProxyDateOfBirth: "1985-04-04", Relationship: "parent",
		LegalBasis: store.BasisParentalResponsibility, ServiceAppointments: true, ProxyVerification: store.VerifyPhotoIDAndAddress, CreatedAt: testNow}
	noPatientReg, noPatientProxy, badDOB, noDOB := reg, proxy, proxy, proxy
	noPatientReg.PatientID, noPatientProxy.PatientID, badDOB.ProxyDateOfBirth, noDOB.ProxyDateOfBirth = 0, 0, "1985-02-30", ""
	for _, tt := range []struct {
		name string
		c    gpsync.Change
		ok   bool
	}{
		{"registration", change(gpsync.EntityRegistration, 50, reg), true},
		{"registration for patient 0", change(gpsync.EntityRegistration, 50, noPatientReg), false},
		{"proxy", change(gpsync.EntityProxy, 70, proxy), true},
		{"proxy for patient 0", change(gpsync.EntityProxy, 70, noPatientProxy), false},
		{"proxy born on 30 February", change(gpsync.EntityProxy, 70, badDOB), false},
		{"proxy with no date of birth", change(gpsync.EntityProxy, 70, noDOB), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newDesktop(t)
			err := f.r.ApplyChanges(ctx, gpsync.ChangesResponse{Changes: []gpsync.Change{tt.c}, Cursor: f.cursor + 1})
			if (err == nil) != tt.ok {
				t.Errorf("ApplyChanges = %v, want accepted %v", err, tt.ok)
			}
		})
	}
}

// A proxy the desktop cannot store (its database failing) fails the whole
// page, so the same page is asked for again rather than skipped.
func TestAProxyThatCannotBeStoredFailsThePage(t *testing.T) {
	f := newDesktop(t)
	if _, err := f.r.write.Exec("DROP TABLE proxies"); err != nil {
		t.Fatal(err)
	}
	err := f.r.ApplyChanges(context.Background(), gpsync.ChangesResponse{Cursor: f.cursor + 1, Changes: []gpsync.Change{
		change(gpsync.EntityProxy, 70, gpsync.ProxyData{PatientID: tom, ProxyName: "Sarah Hughes", ProxyDateOfBirth: "1985-04-04",
			Relationship: "parent", LegalBasis: store.BasisParentalResponsibility, CreatedAt: testNow})}})
	if err == nil {
		t.Fatal("a proxy that could not be stored was taken as applied")
	}
	if c, _ := f.r.Cursor(context.Background()); c != f.cursor {
		t.Errorf("cursor moved to %d, want it kept at %d", c, f.cursor)
	}
}

// Once the server's copy of a registration issued here arrives, the desk
// drops its own stand-in for it.
func TestDeskDropsItsRegistrationOnceTheServersArrives(t *testing.T) {
	f := newDesktop(t)
	ctx := context.Background()
	m := f.signIn("reception", "reception-demo")
	prep, err := f.r.PrepareRegistration(ctx, m, selfRegistration(alice))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.r.IssueRegistration(ctx, m, prep); err != nil {
		t.Fatal(err)
	}
	f.record(appliedResult(f.pending()[0].ID, gpsync.RegisterOnlineResult{RegistrationID: 50}))
	issued, expires := prep.IssuedAt, prep.ExpiresAt
	f.apply(change(gpsync.EntityRegistration, 50, gpsync.RegistrationData{PatientID: alice, AccountID: prep.Details.AccountID,
		VerificationMethod: store.VerifyPhotoIDAndAddress, VerifiedAt: issued, ServiceAppointments: true, ServicePrescriptions: true,
		RecordAccess: store.RecordAccessSummary, KioskEnabled: true, LetterIssuedAt: &issued, LetterExpiresAt: &expires}))
	if n := f.count("local_registrations"); n != 0 {
		t.Errorf("%d local registrations kept after the server's arrived", n)
	}
}

// Marking an outcome on a booking the server has not confirmed says so,
// rather than that the appointment does not exist.
func TestOutcomeOnAnUnconfirmedBookingSaysItIsNotConfirmed(t *testing.T) {
	f := newLoopDesk(t)
	_, err := f.r.RecordOutcome(context.Background(), nurse, 0, store.StatusArrived)
	wantRefusal(t, err, store.ReasonNotFound)
	if re, _ := store.AsRuleError(err); !strings.Contains(re.Message, "not been confirmed") {
		t.Errorf("refused with %q, want it to say the booking is not confirmed yet", re.Message)
	}
}

// Asking for pending ops with no limit (or a negative one) gives a push's
// worth, not none; a limit above a push's worth gives a push's worth.
func TestPendingOpsWithoutALimitGivesAPushsWorth(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	for i := range gpsync.MaxOpsPerPush + 1 {
		if _, err := f.r.AskForHelp(ctx, fmt.Sprintf("call %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	for _, limit := range []int{0, -1, gpsync.MaxOpsPerPush, gpsync.MaxOpsPerPush + 1} {
		ops, err := f.r.PendingOps(ctx, limit)
		if err != nil || len(ops) != gpsync.MaxOpsPerPush {
			t.Errorf("PendingOps(%d) = %d ops, %v; want %d", limit, len(ops), err, gpsync.MaxOpsPerPush)
		}
	}
}

// A repeat request made here keeps its stand-in while the server's copy is
// pending (a Ref holding its LocalID still finds it) and lets go of it once
// the server's is dealt with.
func TestKioskKeepsItsRequestWhilePendingAndLetsGoWhenDone(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	req, err := f.r.OrderRepeats(ctx, alice, []int64{itemStatin}, "")
	if err != nil {
		t.Fatal(err)
	}
	f.record(appliedResult(req.OpID, gpsync.OrderRepeatsResult{RequestID: 901}))
	pending := gpsync.RepeatRequestData{PatientID: alice, Status: "pending", ReadyBy: "2026-06-12",
		Items: []gpsync.RepeatRequestItemData{{RepeatItemID: itemStatin, Decision: "pending"}}}
	f.apply(change(gpsync.EntityRepeatRequest, 901, pending))
	if n := f.count("local_requests"); n != 1 {
		t.Fatalf("%d local requests while the server's is pending, want the one kept for its Ref", n)
	}
	done := pending
	done.Status = "completed"
	done.Items = []gpsync.RepeatRequestItemData{{RepeatItemID: itemStatin, Decision: "approved"}}
	f.apply(change(gpsync.EntityRepeatRequest, 901, done))
	if n := f.count("local_requests"); n != 0 {
		t.Errorf("%d local requests kept after the server's was completed", n)
	}
}

// An answer that says an op was applied but gives no ID for what it made
// (zero) cannot be linked, so it is refused and the op stays queued.
func TestAppliedWithoutAnIDIsRefused(t *testing.T) {
	ctx := context.Background()
	for name, make := range map[string]func(f *fixture) (opID string, result any){
		"booking": func(f *fixture) (string, any) {
			return f.book(alice, slotFree, dobAlice).OpID, gpsync.BookResult{AppointmentID: 0}
		},
		"repeat request": func(f *fixture) (string, any) {
			req, err := f.r.OrderRepeats(ctx, alice, []int64{itemStatin}, "")
			if err != nil {
				t.Fatal(err)
			}
			return req.OpID, gpsync.OrderRepeatsResult{RequestID: 0, ReadyBy: "2026-06-12"}
		},
		"proxy link": func(f *fixture) (string, any) {
			ref, err := f.r.LinkProxy(ctx, f.signIn("reception", "reception-demo"), ProxyInput{PatientID: tom, Name: "Sarah Hughes",
				DateOfBirth: store.Date{Year: 1985, Month: time.April, Day: 4}, Relationship: "parent", LegalBasis: store.BasisParentalResponsibility,
				Appointments: true, Verification: store.VerifyPhotoIDAndAddress, SafeguardingConsidered: true, CoercionConsidered: true})
			if err != nil {
				t.Fatal(err)
			}
			return strings.TrimPrefix(ref, "op:"), gpsync.LinkProxyResult{ProxyID: 0}
		},
		"registration": func(f *fixture) (string, any) {
			m := f.signIn("reception", "reception-demo")
			prep, err := f.r.PrepareRegistration(ctx, m, selfRegistration(alice))
			if err != nil {
				t.Fatal(err)
			}
			if err := f.r.IssueRegistration(ctx, m, prep); err != nil {
				t.Fatal(err)
			}
			return f.pending()[0].ID, gpsync.RegisterOnlineResult{RegistrationID: 0}
		},
	} {
		t.Run(name, func(t *testing.T) {
			f := newDesktop(t)
			opID, result := make(f)
			if err := f.r.RecordResults(ctx, []gpsync.OpResult{appliedResult(opID, result)}); err == nil {
				t.Errorf("an applied %s with ID 0 was recorded", name)
			}
			if ops := f.pending(); len(ops) != 1 || ops[0].ID != opID {
				t.Errorf("outbox %+v, want the %s still queued", ops, name)
			}
		})
	}
}

// A decision the server applied may come back with no result at all; it
// is recorded like any other answer.
func TestDecisionAnsweredWithNoResultIsRecorded(t *testing.T) {
	f := newLoopDesk(t)
	ctx := context.Background()
	opID, err := f.r.DecideRepeats(ctx, nurse, requestAlice, []gpsync.ItemDecision{{RepeatItemID: itemStatin, Approve: true},
		{RepeatItemID: itemMetformin, Approve: true}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.r.RecordResults(ctx, []gpsync.OpResult{{ID: opID, Status: gpsync.OpApplied}}); err != nil {
		t.Fatalf("a decision applied with no result: %v", err)
	}
	if n := len(f.pending()); n != 0 {
		t.Errorf("%d ops still queued, want the decision answered", n)
	}
}

// An account ID may be as long as 64 characters (hyphens and spaces not
// counted); one longer is not looked up.
func TestSignInTakesAnAccountIDOfUpTo64Characters(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	long := strings.Repeat("AB12", 16)
	f.apply(change(gpsync.EntityPatient, 60, patient("Lana", true, KioskVerifier(long, dobUna))), change(gpsync.EntityPatient, 61, patient("Otto", true, KioskVerifier(long+"C", dobUna))))
	if p, err := f.r.SignIn(ctx, "  "+long[:32]+"-"+long[32:], dobUna); err != nil || p.ID != 60 {
		t.Errorf("sign in with a 64-character account ID = %+v, %v; want Lana", p, err)
	}
	_, err := f.r.SignIn(ctx, long+"C", dobUna)
	wantRefusal(t, err, store.ReasonNotFound)
}

// A kiosk offers every time up to the last day of the booking window and
// none after it: what it offers is exactly what Book would take.
func TestKioskOffersTheWholeBookingWindow(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	window := store.DefaultSettings().BookingWindowDays
	todayHere := store.DateOf(testNow, f.r.loc)
	var changes []gpsync.Change
	for i, d := range []int{window - 1, window, window + 1} {
		changes = append(changes, change(gpsync.EntitySlot, int64(9100+i), slot(todayHere.AddDays(d).At(10, 0, f.r.loc))),
			change(gpsync.EntityPatient, int64(70+i), patient(fmt.Sprintf("Patient %d", i), true)))
	}
	f.apply(changes...)
	got, err := f.r.FreeSlots(ctx, alice, dobAlice, todayHere, window+5)
	if err != nil {
		t.Fatal(err)
	}
	offered := slotIDs(got)
	for i, d := range []int{window - 1, window, window + 1} {
		id := int64(9100 + i)
		_, err := f.r.Book(ctx, int64(70+i), id, dobAlice)
		if wantOffered := d <= window; slices.Contains(offered, id) != wantOffered || (err == nil) != wantOffered {
			t.Errorf("day %d of a %d-day window: offered %v, Book %v; want offered and bookable %v", d, window, slices.Contains(offered, id), err, wantOffered)
		}
	}
}

// An empty file where the replica should be (a device switched off while
// it was being created) is made into a replica, not refused as some other
// program's database.
func TestAnEmptyFileBecomesAReplica(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "replica.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open on an empty file: %v", err)
	}
	defer r.Close()
	if c, err := r.Cursor(ctx); err != nil || c != 0 {
		t.Errorf("Cursor = %d, %v; want a fresh replica at 0", c, err)
	}
}

// The report to reception says whether sign-in paused because one letter
// was tried too often or because many letters were tried at this kiosk.
func TestSignInPauseReportSaysOneLetterOrSeveral(t *testing.T) {
	ctx := context.Background()
	report := func(f *fixture) string {
		t.Helper()
		for _, op := range f.pending() {
			if op.Kind == gpsync.OpReportProblem {
				var p gpsync.ReportProblemPayload
				if err := json.Unmarshal(op.Payload, &p); err != nil {
					t.Fatal(err)
				}
				return p.Description
			}
		}
		t.Fatal("no report to reception")
		return ""
	}
	one := newFixture(t, gpsync.RoleKiosk)
	for range maxFailuresPerPatient {
		_, _ = one.r.SignIn(ctx, "acct-alice", store.Date{Year: 1980, Month: time.May, Day: 2})
	}
	if d := report(one); !strings.Contains(d, "(one letter)") {
		t.Errorf("one letter tried too often reported as %q", d)
	}
	many := newFixture(t, gpsync.RoleKiosk)
	for i := range maxFailuresPerKiosk {
		_, _ = many.r.SignIn(ctx, fmt.Sprintf("guess-%d", i), dobAlice)
	}
	if d := report(many); !strings.Contains(d, "(several letters)") {
		t.Errorf("many letters tried reported as %q", d)
	}
}

// Close lets go of the file for reading as well as writing: nothing can be
// read through a closed replica.
func TestClosedReplicaReadsNothing(t *testing.T) {
	ctx := context.Background()
	r, err := Open(ctx, filepath.Join(t.TempDir(), "replica.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if c, err := r.Cursor(ctx); err == nil {
		t.Errorf("Cursor after Close = %d, want an error", c)
	}
	if err := r.SaveInProcessEnrolment(ctx, "dev_1", gpsync.RoleKiosk); err == nil {
		t.Error("a write after Close succeeded")
	}
}

// A device in the practice's own process is named by a device ID and a
// role and nothing else; without a device ID it is refused.
func TestInProcessEnrolmentNeedsADeviceID(t *testing.T) {
	ctx := context.Background()
	r, err := Open(ctx, filepath.Join(t.TempDir(), "replica.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.SaveInProcessEnrolment(ctx, "", gpsync.RoleKiosk); err == nil {
		t.Error("an in-process enrolment without a device ID was saved")
	}
	if err := r.SaveInProcessEnrolment(ctx, "dev_pretend", gpsync.RoleDesktop); err != nil {
		t.Fatalf("SaveInProcessEnrolment: %v", err)
	}
	if e, err := r.Enrolment(ctx); err != nil || e != (Enrolment{DeviceID: "dev_pretend", Role: gpsync.RoleDesktop}) {
		t.Errorf("Enrolment = %+v, %v; want dev_pretend, a desktop, no token or server", e, err)
	}
}
