package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"gpkiosk/store"
)

// Letter is a demo patient registered for the kiosk, with a fixed account
// ID and date of birth so the README can tell anyone how to try the kiosk
// without a scanner or a printed letter.
type Letter struct {
	GivenName   string
	FamilyName  string
	Sex         store.Sex
	DateOfBirth store.Date
	AccountID   string
	// FullyVerified: photo ID and proof of address; otherwise vouching
	// alone, so the practice allows one appointment at a time.
	FullyVerified bool
}

// Letters are the demo practice's kiosk letters.
func Letters() []Letter {
	return []Letter{
		{GivenName: "Margaret", FamilyName: "Hughes", Sex: store.SexFemale, DateOfBirth: store.Date{Year: 1946, Month: time.March, Day: 15},
			AccountID: "DEMO-0001", FullyVerified: true},
		{GivenName: "Arthur", FamilyName: "Lewis", Sex: store.SexMale, DateOfBirth: store.Date{Year: 1941, Month: time.November, Day: 2},
			AccountID: "DEMO-0002"},
	}
}

// letters adds the demo letters' patients, with a few repeat items each,
// taking NHS numbers from the same walk so none is used twice.
func (g *generator) letters(nhs *nhsWalk) error {
	registered := g.opts.Start.At(9, 0, g.loc).AddDate(0, 0, -30)
	for i, lt := range Letters() {
		num, err := nhs.take()
		if err != nil {
			return err
		}
		id, err := g.l.AddPatient(store.NewPatient{NHSNumber: num, GivenName: lt.GivenName, FamilyName: lt.FamilyName, Sex: lt.Sex,
			DateOfBirth: lt.DateOfBirth, Address: fmt.Sprintf("%d Mill Lane, Meadowbank", 3+i*2), Postcode: "MB1 4QT",
			Phone: fmt.Sprintf("07700 9009%02d", i)})
		if err != nil {
			return fmt.Errorf("demo letter %s: %w", lt.AccountID, err)
		}
		g.sum.Patients++
		g.allPatients = append(g.allPatients, id)
		for _, m := range g.letterMedicines() {
			rep := store.NewRepeat{PatientID: id, Name: m.name, Strength: m.strength, Form: m.form, Dosage: m.dosage,
				Quantity: m.quantity, Active: true, StartedAt: registered.AddDate(-1, 0, 0), LastIssuedAt: registered.AddDate(0, 0, 2)}
			if _, err := g.l.AddRepeat(rep); err != nil {
				return fmt.Errorf("demo letter %s: repeat item: %w", lt.AccountID, err)
			}
			g.sum.RepeatItems++
		}
		method := "vouching"
		if lt.FullyVerified {
			method = "photo_id_and_address"
		}
		// Demo letters are never linked to the NHS App; the hash stands in
		// for a linkage key nobody holds.
		key := sha256.Sum256([]byte("demo letter " + lt.AccountID))
		if _, err := g.l.AddRegistration(store.NewRegistration{PatientID: id, VerificationMethod: method, VerifiedAt: registered,
			CoercionConsidered: true, ServiceAppointments: true, ServicePrescriptions: true, RecordAccess: "none",
			KioskEnabled: true, AccountID: lt.AccountID, LinkageKeyHash: hex.EncodeToString(key[:])}); err != nil {
			return fmt.Errorf("demo letter %s: %w", lt.AccountID, err)
		}
	}
	return nil
}

// letterMedicines is a common trio: a blood-pressure tablet, an ACE
// inhibitor and a statin.
func (g *generator) letterMedicines() []medicine {
	var out []medicine
	for _, class := range []string{"ccb", "acei", "statin"} {
		for _, m := range g.meds {
			if m.class == class {
				out = append(out, m)
				break
			}
		}
	}
	return out
}
