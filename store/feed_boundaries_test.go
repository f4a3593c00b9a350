package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

// registerForKiosk gives patientID a kiosk letter with account and returns
// the registration's ID.
func (f *fixture) registerForKiosk(t *testing.T, patientID int64, account string) int64 {
	t.Helper()
	var id int64
	err := f.st.Load(context.Background(), func(l *Loader) error {
		var err error
		id, err = l.AddRegistration(NewRegistration{PatientID: patientID, VerificationMethod: VerifyPhotoIDAndAddress,
			VerifiedAt: f.clock.Now(), CoercionConsidered: true, ServiceAppointments: true, ServicePrescriptions: true,
			RecordAccess: RecordAccessNone, KioskEnabled: true, AccountID: account, LinkageKeyHash: strings.Repeat("a", 64)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// A slot or appointment that starts this very minute is past for a
// kiosk: nobody can book it or be reminded of it any more. One that starts
// ten minutes later is not.
func TestKioskFeedDropsWhatStartsNow(t *testing.T) {
	ctx := context.Background()
	f, monday := bookingFixture(t) // 08:00 on Monday
	patient := f.addPatient(t, "Soon", "999000001", "1960-05-05")
	f.registerForKiosk(t, patient, "ACDE-FGHJ-KMNP")
	tuesday := monday.AddDays(1)
	now, later := f.slotAt(t, tuesday, 9, 0), f.slotAt(t, tuesday, 9, 10)
	booked, err := f.st.BookAppointment(ctx, BookingRequest{SlotID: now, PatientID: patient, Channel: ChannelReception, Actor: SystemActor()})
	if err != nil {
		t.Fatal(err)
	}
	kiosk := enrolTestDevice(t, f.st, DeviceKiosk)
	f.clock.Set(tuesday.At(9, 0, f.loc))
	rows := feedRows(t, f.st, kiosk)
	if rows[EntitySlot][now] != nil || rows[EntityAppointment][booked.ID] != nil {
		t.Fatalf("at 09:00 a kiosk holds the 09:00 slot %#v and appointment %#v", rows[EntitySlot][now], rows[EntityAppointment][booked.ID])
	}
	if _, ok := rows[EntitySlot][later].(FeedSlot); !ok {
		t.Fatalf("at 09:00 the 09:10 slot is %#v", rows[EntitySlot][later])
	}
}

// A reception-only slot says so to every device, so no screen offers it
// for self-service; other slots do not.
func TestFeedMarksReceptionOnlySlots(t *testing.T) {
	f, monday := bookingFixture(t)
	tuesday := monday.AddDays(1)
	reserved, open := f.slotAt(t, tuesday, 9, 0), f.slotAt(t, tuesday, 9, 10)
	if _, err := f.st.write.Exec("UPDATE slots SET channel = 'reception', online_bookable = 0 WHERE id = ?", reserved); err != nil {
		t.Fatal(err)
	}
	for _, dev := range []Device{enrolTestDevice(t, f.st, DeviceDesktop), enrolTestDevice(t, f.st, DeviceKiosk)} {
		rows := feedRows(t, f.st, dev)
		r, _ := rows[EntitySlot][reserved].(FeedSlot)
		o, _ := rows[EntitySlot][open].(FeedSlot)
		if !r.ReceptionOnly || o.ReceptionOnly || !o.OnlineBookable {
			t.Fatalf("%s: reception-only slot %+v, open slot %+v", dev.Role, r, o)
		}
	}
}

// A kiosk remembers a replaced letter for 90 days, so it can tell someone
// holding it that it has been replaced; after that the letter is gone.
func TestKioskRemembersReplacedLettersFor90Days(t *testing.T) {
	f, _ := bookingFixture(t)
	recent := f.addPatient(t, "Recent", "999000001", "1960-05-05")
	old := f.addPatient(t, "Old", "999000002", "1961-06-06")
	for p, days := range map[int64]int{recent: 89, old: 91} {
		reg := f.registerForKiosk(t, p, map[int64]string{recent: "ACDE-FGHJ-KMNP", old: "QRTU-VWXY-3467"}[p])
		f.registerForKiosk(t, p, map[int64]string{recent: "ACDE-FGHJ-KMNQ", old: "QRTU-VWXY-3469"}[p]) // the new letter
		if _, err := f.st.write.Exec("UPDATE online_registrations SET revoked_at = ?, revoked_reason = 'reissued' WHERE id = ?",
			f.clock.Now().AddDate(0, 0, -days).Unix(), reg); err != nil {
			t.Fatal(err)
		}
	}
	kiosk := enrolTestDevice(t, f.st, DeviceKiosk)
	rows := feedRows(t, f.st, kiosk)
	r, _ := rows[EntityPatient][recent].(FeedPatient)
	o, _ := rows[EntityPatient][old].(FeedPatient)
	if len(r.KioskLetters) != 2 || !r.KioskLetters[0].Revoked || r.KioskLetters[1].Revoked {
		t.Fatalf("replaced 89 days ago: letters %+v, want the old one (revoked) and the new one", r.KioskLetters)
	}
	if len(o.KioskLetters) != 1 || o.KioskLetters[0].Revoked {
		t.Fatalf("replaced 91 days ago: letters %+v, want only the new one", o.KioskLetters)
	}
}

// A proxy signs in at the kiosk with their own date of birth: their
// letter reaches the kiosk marked as acting for the patient.
func TestKioskGetsAProxysLetterWithTheProxysBirthday(t *testing.T) {
	lf := newLoopFixture(t)
	child := lf.addPatient(t, "Child", "999000003", "2018-01-09")
	link := lf.apply(t, lf.desk, lf.recep, LinkProxy{PatientID: child, ProxyName: "Sam Parent", ProxyDateOfBirth: "1985-04-20",
		Relationship: "parent", LegalBasis: "parental_responsibility", ServiceAppointments: true, ServicePrescriptions: true,
		ProxyVerification: VerifyPhotoIDAndAddress, SafeguardingConsidered: true, CoercionConsidered: true})
	now := lf.clock.Now()
	made[Registered](t, lf.apply(t, lf.desk, lf.recep, RegisterOnline{PatientID: child, ProxyID: made[ProxyLinked](t, link).ProxyID,
		VerificationMethod: VerifyPhotoIDAndAddress, VerifiedAt: now, CoercionConsidered: true, ServiceAppointments: true,
		ServicePrescriptions: true, RecordAccess: RecordAccessNone, KioskEnabled: true, AccountID: "HJKM-NPQR-TUVW",
		LinkageKeyHash: strings.Repeat("b", 64), LetterIssuedAt: now, LetterExpiresAt: now.Add(LetterValidity)}))
	rows := feedRows(t, lf.st, lf.kiosk)
	p, _ := rows[EntityPatient][child].(FeedPatient)
	if len(p.KioskLetters) != 1 || !p.KioskLetters[0].ActingFor ||
		p.KioskLetters[0].Verifier != KioskVerifier("HJKM-NPQR-TUVW", mustDate(t, "1985-04-20")) {
		t.Fatalf("the proxy's letter on the kiosk: %+v", p.KioskLetters)
	}
}

// A kiosk holds no lease on a slot the practice's notice already rules
// out, even when the notice is longer than the time a lease is handed
// back before its slot.
func TestNoLeaseWithinTheMinimumNotice(t *testing.T) {
	ctx := context.Background()
	f, monday := bookingFixture(t) // 08:00 on Monday
	st, err := f.st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.MinNoticeMinutes, st.LeaseReturnMinutes, st.KioskLeasesPerDay = 240, 60, 50
	if err := f.st.UpdateSettings(ctx, SystemActor(), st); err != nil {
		t.Fatal(err)
	}
	kiosk := enrolTestDevice(t, f.st, DeviceKiosk)
	feedRows(t, f.st, kiosk)
	leases, err := f.st.Leases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	earliest := time.Time{}
	for _, l := range leases {
		var starts int64
		if err := f.st.read.QueryRow("SELECT starts_at FROM slots WHERE id = ?", l.SlotID).Scan(&starts); err != nil {
			t.Fatal(err)
		}
		if at := time.Unix(starts, 0); earliest.IsZero() || at.Before(earliest) {
			earliest = at
		}
	}
	if cutoff := monday.At(12, 0, f.loc); earliest.IsZero() || !earliest.After(cutoff) {
		t.Fatalf("earliest lease at %s, want after %s (4 hours' notice from 08:00)", earliest, cutoff)
	}
}

// A kiosk holds no patient's sex, so the feed tells it which kinds of
// appointment a patient's recorded sex rules out, and only those.
func TestKioskKnowsWhichSlotTypesAPatientsSexRulesOut(t *testing.T) {
	ctx := context.Background()
	f, _ := bookingFixture(t)
	var screening int64
	err := f.st.Load(ctx, func(l *Loader) error {
		var err error
		screening, err = l.AddSlotType(SlotType{Code: "smear", Name: "Nurse: cervical screening", Minutes: 15, ClinicianRole: RoleNurse,
			OnlineBookable: true, Eligibility: SlotEligibility{Sex: SexFemale}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	woman := f.addPatient(t, "Woman", "999000001", "1960-05-05")
	man := f.addPatient(t, "Man", "999000002", "1961-06-06")
	if _, err := f.st.write.Exec("UPDATE patients SET sex = 'male' WHERE id = ?", man); err != nil {
		t.Fatal(err)
	}
	f.registerForKiosk(t, woman, "ACDE-FGHJ-KMNP")
	f.registerForKiosk(t, man, "QRTU-VWXY-3467")
	rows := feedRows(t, f.st, enrolTestDevice(t, f.st, DeviceKiosk))
	w, _ := rows[EntityPatient][woman].(FeedPatient)
	m, _ := rows[EntityPatient][man].(FeedPatient)
	if len(w.NotEligibleSlotTypes) != 0 || len(m.NotEligibleSlotTypes) != 1 || m.NotEligibleSlotTypes[0] != screening {
		t.Fatalf("ruled out: for her %v, for him %v, want nothing and [%d]", w.NotEligibleSlotTypes, m.NotEligibleSlotTypes, screening)
	}
}
