package store

import (
	"context"
	"testing"
	"time"
)

func TestSlotEligibilityRule(t *testing.T) {
	screening := SlotEligibility{Sex: SexFemale, MinAge: 25, MaxAge: 64}
	for _, c := range []struct {
		sex  Sex
		age  int
		want bool
	}{
		{SexFemale, 24, false}, {SexFemale, 25, true}, {SexFemale, 64, true}, {SexFemale, 65, false},
		{SexMale, 40, false},
		{SexOther, 40, true}, // never refused on a record field alone
	} {
		if got := screening.AllowsSex(c.sex) && screening.AllowsAge(c.age); got != c.want {
			t.Errorf("screening, %s aged %d: %v, want %v", c.sex, c.age, got, c.want)
		}
	}
	anyone := SlotEligibility{}
	if !anyone.AllowsSex(SexMale) || !anyone.AllowsAge(0) || !anyone.AllowsAge(120) {
		t.Error("the zero eligibility refuses someone")
	}
	if (SlotEligibility{MinAge: 40}).AllowsAge(39) || !(SlotEligibility{MinAge: 40}).AllowsAge(99) {
		t.Error("a lower limit alone is wrong")
	}
}

// eligibilityFixture adds a cervical screening slot (female, 25 to 64) at
// 14:00 on day, with its own session.
func eligibilityFixture(t *testing.T) (*fixture, Date, int64, int64) {
	t.Helper()
	f, monday := bookingFixture(t)
	day := monday.AddDays(1)
	var typeID, slotID int64
	err := f.st.Load(context.Background(), func(l *Loader) error {
		var err error
		typeID, err = l.AddSlotType(SlotType{Code: "smear", Name: "Nurse: cervical screening", Minutes: 15, ClinicianRole: RoleGP,
			OnlineBookable: true, Eligibility: SlotEligibility{Sex: SexFemale, MinAge: 25, MaxAge: 64}})
		if err != nil {
			return err
		}
		start := day.At(14, 0, f.loc)
		_, err = l.AddSession(NewSession{ClinicianID: f.gp, Day: day, StartsAt: start, EndsAt: start.Add(15 * time.Minute), Room: "1",
			Slots: []NewSlot{{SlotTypeID: typeID, StartsAt: start, EndsAt: start.Add(15 * time.Minute), OnlineBookable: true}}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slotID = f.slotAt(t, day, 14, 0)
	return f, day, typeID, slotID
}

func TestEligibilityAppliesToSelfServiceBooking(t *testing.T) {
	ctx := context.Background()
	f, day, _, slot := eligibilityFixture(t)
	// Turns 65 the day before the appointment: too old on the day itself.
	old := f.addPatient(t, "Older", "999000001", yearsBefore(day.AddDays(-1), 65).String())
	_, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: slot, PatientID: old, Channel: ChannelKiosk, Actor: kiosk(old)})
	wantReason(t, err, ReasonNotEligible)
	if re, _ := AsRuleError(err); re == nil || re.Message == "" {
		t.Fatalf("refusal without a plain message: %v", err)
	}
	var man int64
	if err := f.st.Load(ctx, func(l *Loader) error {
		nhs, _ := NHSNumberFromNine("999000002")
		var err error
		man, err = l.AddPatient(NewPatient{NHSNumber: string(nhs), GivenName: "Sam", FamilyName: "Male", Sex: SexMale,
			DateOfBirth: mustDate(t, "1980-01-01"), Address: "1 Test Road", Postcode: "ZZ1 1ZZ"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_, err = f.st.BookAppointment(ctx, BookingRequest{SlotID: slot, PatientID: man, Channel: ChannelKiosk, Actor: kiosk(man)})
	wantReason(t, err, ReasonNotEligible)
	if n := f.count(t, "SELECT count(*) FROM appointments"); n != 0 {
		t.Fatalf("%d appointments after refusals", n)
	}
	// Reception may still book outside the group, knowing why.
	if _, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: slot, PatientID: old, Channel: ChannelReception, Actor: Actor{Name: "staff:1"}}); err != nil {
		t.Fatalf("reception booking: %v", err)
	}
	// A woman of 64 on the day may book it herself.
	f2, day2, _, slot2 := eligibilityFixture(t)
	ok := f2.addPatient(t, "Young", "999000003", yearsBefore(day2, 64).String())
	if _, err := f2.st.BookAppointment(ctx, BookingRequest{SlotID: slot2, PatientID: ok, Channel: ChannelKiosk, Actor: kiosk(ok)}); err != nil {
		t.Fatalf("eligible patient refused: %v", err)
	}
}

func TestSlotTypeEligibilityValidated(t *testing.T) {
	f, _ := bookingFixture(t)
	for _, e := range []SlotEligibility{{Sex: "other"}, {MinAge: 60, MaxAge: 20}, {MinAge: -1}} {
		err := f.st.Load(context.Background(), func(l *Loader) error {
			_, err := l.AddSlotType(SlotType{Code: "x", Name: "X", Minutes: 10, ClinicianRole: RoleGP, Eligibility: e})
			return err
		})
		wantReason(t, err, ReasonInvalidInput)
	}
}

// yearsBefore is the same day n years earlier (no 29 February here).
func yearsBefore(d Date, n int) Date { return Date{Year: d.Year - n, Month: d.Month, Day: d.Day} }
