package server

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// A rejected op's result carries its sentence's code and values over
// HTTP, beside the English message, and a replay of the op answers with
// them again; a refused check-in does the same. The kiosk says them in
// the patient's language by the code.
func TestRejectedOpCarriesSentenceCodeAndArgs(t *testing.T) {
	ctx := context.Background()
	p := newPractice(t)
	k := p.enrol(t, "kiosk")
	patient := p.kioskPts[0]
	var item int64
	if err := p.st.Load(ctx, func(l *store.Loader) error {
		var err error
		item, err = l.AddRepeat(store.NewRepeat{PatientID: patient, Name: "Testomycin", Strength: "10 mg", Form: "tablets",
			Dosage: "One a day", Quantity: "28", Active: false, StartedAt: time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	slot := freeKioskSlot(t, p, patient)
	ops := []gpsync.Op{
		newOp(t, 1, gpsync.OpBook, gpsync.BookPayload{SlotID: slot, PatientID: patient}),
		newOp(t, 2, gpsync.OpBook, gpsync.BookPayload{SlotID: slot, PatientID: p.kioskPts[1]}),
		newOp(t, 3, gpsync.OpOrderRepeats, gpsync.OrderRepeatsPayload{PatientID: patient, ItemIDs: []int64{item}}),
	}
	check := func(when string, res []gpsync.OpResult) {
		t.Helper()
		if r := res[1]; r.Status != gpsync.OpRejected || r.Code != "slot_taken" || r.Args != nil || r.Message != store.Sentences()["slot_taken"] {
			t.Errorf("%s: taken slot answered %+v, want code slot_taken and its sentence", when, r)
		}
		r := res[2]
		if r.Status != gpsync.OpRejected || r.Code != "item_not_active" || len(r.Args) != 1 || !strings.Contains(r.Args[0], "Testomycin") {
			t.Fatalf("%s: stopped medicine answered %+v, want code item_not_active with its name", when, r)
		}
		if want := fmt.Sprintf(store.Sentences()["item_not_active"], r.Args[0]); r.Message != want {
			t.Errorf("%s: message %q, want %q", when, r.Message, want)
		}
	}
	first := p.push(t, k.Token, ops...)
	check("first answer", first)
	again := p.push(t, k.Token, ops...)
	check("replay", again)
	if !slices.Equal(first[2].Args, again[2].Args) {
		t.Errorf("replay args %q, first %q", again[2].Args, first[2].Args)
	}
	// On the wire: the fields are named as the protocol says.
	r := p.do(t, "POST", "/v1/ops", k.Token, gpsync.PushRequest{Ops: p.sign(t, k.Token, ops[2:])})
	if !bytes.Contains(r.body, []byte(`"code":"item_not_active","args":["Testomycin`)) {
		t.Errorf("wire answer %s lacks code and args", r.body)
	}

	got, body := p.checkIn(t, k.Token, gpsync.CheckInRequest{DateOfBirth: "1950-01-01", Sex: "female", SurnameInitial: "Q"})
	if got.CheckedIn || got.Code != "see_reception" || got.Message != store.Sentences()["see_reception"] || !strings.Contains(body, `"code":"see_reception"`) {
		t.Errorf("refused check-in %s, want code see_reception", body)
	}
	got, body = p.checkIn(t, k.Token, gpsync.CheckInRequest{DateOfBirth: "1950-02-30", Sex: "female", SurnameInitial: "Q"})
	if got.CheckedIn || got.Code != "date_not_real" {
		t.Errorf("check-in with a date that does not exist %s, want code date_not_real", body)
	}
}
