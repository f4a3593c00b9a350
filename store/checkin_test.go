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
	if err != nil || got.AppointmentID != leeAppt || got.ClinicianName != "Dr Test" {
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
