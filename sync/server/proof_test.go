package server

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// signWith gives op a proof under key, as a device that held key would.
func signWith(t *testing.T, key []byte, deviceID string, op gpsync.Op) gpsync.Op {
	t.Helper()
	signed, err := gpsync.SigningInput(deviceID, op)
	if err != nil {
		t.Fatal(err)
	}
	op.Proof = gpsync.EncodeProof(store.Sign(key, signed))
	return op
}

// Finding 3 of the security test: with a receptionist's desktop token, an
// op claiming the manager's ID registered a patient in the manager's name.
// Now an op in someone's name needs their key, which only their password
// gives.
func TestADesktopTokenCannotActAsAnyone(t *testing.T) {
	d := newDesk(t)
	adult, _ := d.patientAged(t, 30, 60)
	manager, reception := d.staff["manager"], d.staff["reception"]
	dev := d.desktop.DeviceID

	claimed := staffOp(t, 1, manager, gpsync.OpRegisterOnline, registration(t, adult))
	wantRejected(t, "the manager's ID with no proof", d.pushUnproven(t, d.desktop.Token, claimed)[0], "not_proven")
	asReception := signWith(t, d.staffKey(t, d.desktop.Token, reception), dev, staffOp(t, 2, manager, gpsync.OpRegisterOnline, registration(t, adult)))
	wantRejected(t, "the manager's ID signed with the receptionist's key", d.pushUnproven(t, d.desktop.Token, asReception)[0], "not_proven")

	// A proof is for one op from one device: changed, or sent from another
	// desktop, it proves nothing.
	good := signWith(t, d.staffKey(t, d.desktop.Token, manager), dev, staffOp(t, 3, manager, gpsync.OpRegisterOnline, registration(t, adult)))
	tampered := good
	var changed gpsync.RegisterOnlinePayload
	if err := json.Unmarshal(good.Payload, &changed); err != nil {
		t.Fatal(err)
	}
	changed.KioskEnabled = !changed.KioskEnabled
	tampered.Payload, _ = json.Marshal(changed)
	wantRejected(t, "a changed payload", d.pushUnproven(t, d.desktop.Token, tampered)[0], "not_proven")
	other := d.enrol(t, "desktop")
	wantRejected(t, "another desktop's proof", d.pushUnproven(t, other.Token, good)[0], "not_proven")
	if a := d.auditActions(t, adult); len(a["registration.issue"]) != 0 {
		t.Fatalf("registered in someone else's name: %+v", a["registration.issue"])
	}
	// The manager's own op, signed with the key from their password, is done
	// and audited as theirs.
	wantApplied(t, "the manager's own", d.pushUnproven(t, d.desktop.Token, good)[0], nil)
	if a := d.auditActions(t, adult); len(a["registration.issue"]) != 1 || a["registration.issue"][0].Actor.Name != "staff:manager" {
		t.Fatalf("audit %+v", a["registration.issue"])
	}
	// A desktop token alone books for nobody.
	book := newOp(t, 4, gpsync.OpBook, gpsync.BookPayload{SlotID: freeKioskSlot(t, d.practice, adult), PatientID: adult})
	wantRejected(t, "a desktop booking in nobody's name", d.push(t, d.desktop.Token, book)[0], "staff_not_allowed")
}

// Finding 4: a kiosk token booked for, and cancelled a reception booking
// of, a kiosk-registered patient with no letter and no date of birth. Now
// each op needs the key from that patient's letter and date of birth; what
// a kiosk holds (the letter's verifier) is not it.
func TestAKioskTokenCannotActForAnyPatient(t *testing.T) {
	p := newPractice(t)
	k := p.enrol(t, "kiosk")
	desk := p.enrol(t, "desktop")
	patient := p.kioskPts[0]
	slot := freeKioskSlot(t, p, patient)
	book := newOp(t, 1, gpsync.OpBook, gpsync.BookPayload{SlotID: slot, PatientID: patient})
	wantRejected(t, "a booking with no proof", p.pushUnproven(t, k.Token, book)[0], "not_proven")

	born := p.born(t, patient)
	verifier := store.KioskVerifier(p.accounts[patient], born)
	wantRejected(t, "signed with the verifier a stolen kiosk holds", p.pushUnproven(t, k.Token, signWith(t, []byte(verifier), k.DeviceID, book))[0], "not_proven")
	wrongDOB := store.PatientKey(p.accounts[patient], born.AddDays(1))
	wantRejected(t, "signed with the wrong date of birth", p.pushUnproven(t, k.Token, signWith(t, wrongDOB[:], k.DeviceID, book))[0], "not_proven")

	var reception gpsync.BookResult
	wantApplied(t, "reception books", p.push(t, desk.Token, staffOp(t, 2, p.staffID(t, "reception"), gpsync.OpBook,
		gpsync.BookPayload{SlotID: freeKioskSlot(t, p, patient, slot), PatientID: patient}))[0], &reception)
	cancel := newOp(t, 3, gpsync.OpCancelAppointment, gpsync.CancelAppointmentPayload{AppointmentID: reception.AppointmentID, PatientID: patient})
	wantRejected(t, "a kiosk cancelling with no proof", p.pushUnproven(t, k.Token, cancel)[0], "not_proven")
	if appts, _ := p.st.Appointments(context.Background(), patient, store.StatusBooked); len(appts) != 1 {
		t.Fatalf("after the unproven ops: %d booked, want reception's one", len(appts))
	}
	// The patient themselves, with their letter and date of birth.
	key := store.PatientKey(p.accounts[patient], born)
	// The unproven tries above recorded nothing, so the op's ID still works.
	wantApplied(t, "the patient's own booking", p.pushUnproven(t, k.Token, signWith(t, key[:], k.DeviceID, book))[0], nil)
}

// A proxy's letter proves only what the proxy link gives: a parent with
// appointments only cannot order the child's repeat prescriptions at a
// kiosk, even through the raw API.
func TestProxyLimitsHoldAtTheServer(t *testing.T) {
	d := newDesk(t)
	child, _ := d.patientAged(t, 3, 10)
	reception := d.staff["reception"]
	link := staffOp(t, 1, reception, gpsync.OpLinkProxy, parentLink(child)) // appointments only
	reg := registration(t, child)
	reg.ProxyRef = link.ID
	reg.KioskEnabled = true
	for _, r := range d.push(t, d.desktop.Token, link, staffOp(t, 2, reception, gpsync.OpRegisterOnline, reg)) {
		wantApplied(t, r.ID, r, nil)
	}
	proxyKey := store.PatientKey(reg.AccountID, store.Date{Year: 1985, Month: time.April, Day: 20})
	order := newOp(t, 3, gpsync.OpOrderRepeats, gpsync.OrderRepeatsPayload{PatientID: child, ItemIDs: []int64{1}})
	wantRejected(t, "a proxy ordering without the service", d.pushUnproven(t, d.kiosk.Token, signWith(t, proxyKey[:], d.kiosk.DeviceID, order))[0], "not_eligible")
	childKey := store.PatientKey(reg.AccountID, d.born(t, child))
	wantRejected(t, "the proxy's letter with the child's date of birth", d.pushUnproven(t, d.kiosk.Token,
		signWith(t, childKey[:], d.kiosk.DeviceID, newOp(t, 4, gpsync.OpOrderRepeats, gpsync.OrderRepeatsPayload{PatientID: child, ItemIDs: []int64{1}})))[0], "not_proven")
}
