package store

import (
	"context"
	"testing"
	"time"
)

func TestCheckIn(t *testing.T) {
	ctx := context.Background()
	f, monday := bookingFixture(t)
	// "Pat <label>": surname initial is the label's first letter.
	kim := f.addPatient(t, "Kim", "999000001", "1950-04-04")
	kay := f.addPatient(t, "Kay", "999000002", "1950-04-04") // same birthday, sex and initial as Kim
	lee := f.addPatient(t, "Lee", "999000003", "1960-01-01")
	staff := Actor{Name: "staff:1", Device: "desk"}
	book := func(p int64, hh, mm int) int64 {
		a, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: f.slotAt(t, monday, hh, mm), PatientID: p, Channel: ChannelReception, Actor: staff})
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	leeAppt := book(lee, 10, 0)
	book(kim, 10, 10)
	book(kay, 10, 20)
	lees := CheckInRequest{DateOfBirth: mustDate(t, "1960-01-01"), Sex: SexFemale, SurnameInitial: "l", DeviceID: "kiosk-1"}

	f.clock.Set(monday.At(9, 29, f.loc)) // 31 minutes early
	_, err := f.st.CheckIn(ctx, lees)
	wantReason(t, err, ReasonNotFound)

	f.clock.Set(monday.At(9, 45, f.loc))
	got, err := f.st.CheckIn(ctx, lees)
	// By details, the answer names no time or clinician.
	if err != nil || got.AppointmentID != leeAppt || got.ClinicianName != "" || !got.StartsAt.IsZero() {
		t.Fatalf("check in: %+v %v", got, err)
	}
	if n := f.count(t, "SELECT count(*) FROM appointments WHERE id = ? AND status = 'arrived'", leeAppt); n != 1 {
		t.Fatal("appointment not marked arrived")
	}
	// Twice: the appointment is no longer waiting.
	_, err = f.st.CheckIn(ctx, lees)
	wantReason(t, err, ReasonNotFound)

	// Two people match: nobody is checked in, and the message says nothing
	// about why.
	_, err = f.st.CheckIn(ctx, CheckInRequest{DateOfBirth: mustDate(t, "1950-04-04"), Sex: SexFemale, SurnameInitial: "K"})
	wantReason(t, err, ReasonNotFound)
	if n := f.count(t, "SELECT count(*) FROM appointments WHERE status = 'arrived'"); n != 1 {
		t.Fatalf("%d arrived, want only Lee", n)
	}
	// Wrong sex or initial: see reception.
	_, err = f.st.CheckIn(ctx, CheckInRequest{DateOfBirth: mustDate(t, "1950-04-04"), Sex: SexMale, SurnameInitial: "K"})
	wantReason(t, err, ReasonNotFound)
	// Bad input.
	_, err = f.st.CheckIn(ctx, CheckInRequest{DateOfBirth: mustDate(t, "1950-04-04"), Sex: SexFemale, SurnameInitial: "7"})
	wantReason(t, err, ReasonInvalidInput)
	_, err = f.st.CheckIn(ctx, CheckInRequest{DateOfBirth: Date{1950, time.February, 30}, Sex: SexFemale, SurnameInitial: "K"})
	wantReason(t, err, ReasonInvalidDate)
	// The window's far edge: 10 minutes late is in, 11 is out.
	mo := f.addPatient(t, "Mo", "999000004", "1970-07-07")
	book(mo, 10, 30)
	mos := CheckInRequest{DateOfBirth: mustDate(t, "1970-07-07"), Sex: SexFemale, SurnameInitial: "M"}
	f.clock.Set(monday.At(10, 41, f.loc))
	_, err = f.st.CheckIn(ctx, mos)
	wantReason(t, err, ReasonNotFound)
	f.clock.Set(monday.At(10, 40, f.loc))
	if _, err := f.st.CheckIn(ctx, mos); err != nil {
		t.Fatalf("10 minutes late: %v", err)
	}
}

func TestCheckInByCodeFromSlip(t *testing.T) {
	ctx := context.Background()
	f, monday := bookingFixture(t)
	alice := f.addPatient(t, "Alice", "999000001", "1960-05-05")
	code, err := NewCheckInCode()
	if err != nil || !ValidCheckInCode(code) {
		t.Fatalf("new code %q: %v", code, err)
	}
	other, _ := NewCheckInCode()
	if other == code {
		t.Fatal("two codes are the same")
	}
	appt, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: f.slotAt(t, monday, 10, 0), PatientID: alice, Channel: ChannelKiosk,
		Actor: kiosk(alice), CheckInCode: code})
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, "SELECT count(*) FROM appointments WHERE checkin_code_hash = ?", code); n != 0 {
		t.Fatal("the code itself is stored; only its hash should be")
	}
	f.clock.Set(monday.At(9, 29, f.loc)) // before the window
	_, err = f.st.CheckInByCode(ctx, code, "kiosk-1")
	wantReason(t, err, ReasonNotFound)
	f.clock.Set(monday.At(9, 50, f.loc))
	for _, bad := range []string{"", "garbage", other, code[:25], code + "A", "gpkiosk-checkin:v1:" + code} {
		_, err := f.st.CheckInByCode(ctx, bad, "kiosk-1")
		wantReason(t, err, ReasonNotFound)
	}
	got, err := f.st.CheckInByCode(ctx, code, "kiosk-1")
	if err != nil || got.AppointmentID != appt.ID || !got.StartsAt.Equal(monday.At(10, 0, f.loc)) {
		t.Fatalf("check in by code: %+v %v", got, err)
	}
	if n := f.count(t, "SELECT count(*) FROM check_ins WHERE appointment_id = ?", appt.ID); n != 1 {
		t.Fatalf("%d check-in rows", n)
	}
	// A second scan: already arrived.
	_, err = f.st.CheckInByCode(ctx, code, "kiosk-1")
	wantReason(t, err, ReasonNotFound)

	// A malformed code on a booking is refused and books nothing; a code
	// already used is refused, not reported as the slot being taken.
	_, err = f.st.BookAppointment(ctx, BookingRequest{SlotID: f.slotAt(t, monday, 11, 0), PatientID: alice, Channel: ChannelKiosk, Actor: kiosk(alice), CheckInCode: "nope"})
	wantReason(t, err, ReasonInvalidInput)
	_, err = f.st.BookAppointment(ctx, BookingRequest{SlotID: f.slotAt(t, monday, 11, 0), PatientID: alice, Channel: ChannelKiosk, Actor: kiosk(alice), CheckInCode: code})
	wantReason(t, err, ReasonInvalidInput)
	if n := f.count(t, "SELECT count(*) FROM appointments"); n != 1 {
		t.Fatalf("%d appointments, want 1", n)
	}
}
