package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Loading a practice accepts what a practice really has at the edges of
// each rule: a kind of appointment for one age, an evening session that
// ends at midnight, vouching with a summary record.
func TestLoaderAcceptsTheEdgesOfItsRules(t *testing.T) {
	ctx := context.Background()
	monday := mustDate(t, "2026-06-08")
	f := newFixture(t, monday.At(8, 0, london(t)), monday, 1)
	patient := f.addPatient(t, "Edge", "999000001", "1960-05-05")
	for name, load := range map[string]func(l *Loader) error{
		"a kind of appointment for 40-year-olds only": func(l *Loader) error {
			_, err := l.AddSlotType(SlotType{Code: "nhs40", Name: "NHS Health Check at 40", Minutes: 20, ClinicianRole: RoleNurse,
				Eligibility: SlotEligibility{MinAge: 40, MaxAge: 40}})
			return err
		},
		"a session from 18:00 to midnight": func(l *Loader) error {
			_, err := l.AddSession(NewSession{ClinicianID: f.gp, Day: monday, StartsAt: monday.At(18, 0, f.loc),
				EndsAt: monday.AddDays(1).At(0, 0, f.loc)})
			return err
		},
		"vouching with a summary record": func(l *Loader) error {
			_, err := l.AddRegistration(NewRegistration{PatientID: patient, VerificationMethod: "vouching", VerifiedAt: f.clock.Now(),
				CoercionConsidered: true, ServiceAppointments: true, RecordAccess: "summary", AccountID: "ACDE-FGHJ-KMNP", LinkageKeyHash: "x"})
			return err
		},
		"photo ID with the detailed record": func(l *Loader) error {
			_, err := l.AddRegistration(NewRegistration{PatientID: patient, VerificationMethod: VerifyPhotoIDAndAddress, VerifiedAt: f.clock.Now(),
				CoercionConsidered: true, ServiceAppointments: true, RecordAccess: "detailed", AccountID: "QRTU-VWXY-3467", LinkageKeyHash: "x"})
			return err
		},
	} {
		if err := f.st.Load(ctx, load); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	err := f.st.Load(ctx, func(l *Loader) error {
		_, err := l.AddRegistration(NewRegistration{PatientID: patient, VerificationMethod: "vouching", VerifiedAt: f.clock.Now(),
			CoercionConsidered: true, ServiceAppointments: true, RecordAccess: "detailed", AccountID: "HJKM-NPQR-TUVW", LinkageKeyHash: "x"})
		return err
	})
	if !strings.Contains(fmt.Sprint(err), "Vouching alone cannot unlock the detailed record") {
		t.Fatalf("vouching with the detailed record: %v", err)
	}
}

// A prescriber's reason may be MaxDeclineReasonChars letters long, and
// not one more.
func TestDeclineReasonAtItsLimit(t *testing.T) {
	long := strings.Repeat("é", MaxDeclineReasonChars)
	if err := CheckItemDecision(ItemDecision{RepeatItemID: 1, ReasonCode: DeclineOther, Reason: long}); err != nil {
		t.Fatalf("%d letters: %v", MaxDeclineReasonChars, err)
	}
	if err := CheckItemDecision(ItemDecision{RepeatItemID: 1, ReasonCode: DeclineOther, Reason: long + "é"}); err == nil {
		t.Fatalf("%d letters accepted", MaxDeclineReasonChars+1)
	}
}

// A prescriber too late to decide is told when the first one did: the
// time today, the day and time before today.
func TestAlreadyDecidedSaysWhen(t *testing.T) {
	lf := newLoopFixture(t)
	req := lf.order(t, lf.amlo, lf.ramipril)
	decide := func(staff, item int64) Outcome {
		return lf.apply(t, lf.desk, staff, DecideRepeats{RequestID: req, Items: []ItemDecision{{RepeatItemID: item, Approve: true}}})
	}
	wantApplied(t, decide(lf.doctor, lf.amlo))
	wantApplied(t, decide(lf.doctor, lf.ramipril))
	today := decide(lf.doctor2, lf.amlo)
	lf.clock.Advance(24 * time.Hour)
	tomorrow := decide(lf.doctor2, lf.ramipril)
	if today.Applied() || !strings.HasSuffix(strings.TrimSuffix(today.Refusal.Message, " Your decision was not recorded."), "at 08:00.") ||
		strings.Contains(today.Refusal.Message, " on ") {
		t.Fatalf("same day: %+v", today)
	}
	if tomorrow.Applied() || !strings.Contains(tomorrow.Refusal.Message, "on 8 June at 08:00.") {
		t.Fatalf("next day: %+v", tomorrow)
	}
}
