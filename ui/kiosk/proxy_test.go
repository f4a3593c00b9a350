package kiosk

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"gpkiosk/store"
	"gpkiosk/store/passhash"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/server"
	"gpkiosk/ui/text"
)

// A carer with their own letter signs in with their own date of birth,
// sees whose account they are using on every screen, and is told kindly
// that their letter does not cover prescriptions.
func TestProxyActsForThePatient(t *testing.T) {
	h := newHarness(t, Config{})
	ctx := context.Background()
	staffID, err := h.st.AddStaff(ctx, store.SystemActor(), store.NewStaff{Username: "rita", DisplayName: "Rita", Role: store.StaffReceptionist, Password: "front-desk-2026"})
	if err != nil {
		t.Fatal(err)
	}
	patientID := h.demoPatientID(t)
	code, err := h.st.NewEnrolmentCode(ctx, store.SystemActor(), store.DeviceDesktop, "front desk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	desk, _, err := h.st.Enrol(ctx, code, "front desk")
	if err != nil {
		t.Fatal(err)
	}
	// Rita's ops prove she made them, as her desktop would sign them.
	check, err := h.st.StaffSignInCheck(ctx, "rita")
	if err != nil {
		t.Fatal(err)
	}
	key, ok, err := passhash.DeriveChecked(check, "front-desk-2026")
	if err != nil || !ok {
		t.Fatalf("rita's sign-in check: %v", err)
	}
	apply := func(kind string, payload any) gpsync.OpResult {
		t.Helper()
		body, _ := json.Marshal(payload)
		op := gpsync.Op{ID: uuid.NewString(), Kind: kind, CreatedAt: time.Unix(h.now.Load(), 0), Payload: body, StaffID: staffID}
		signed, err := gpsync.SigningInput(desk.ID, op)
		if err != nil {
			t.Fatal(err)
		}
		op.Proof = gpsync.EncodeProof(store.Sign(key, signed))
		res, err := server.ApplyOp(ctx, h.st, desk, op)
		if err != nil || res.Status != gpsync.OpApplied {
			t.Fatalf("%s: %+v %v", kind, res, err)
		}
		return res
	}
	carerBorn := store.Date{Year: 1968, Month: time.August, Day: 20}
	var link gpsync.LinkProxyResult
	res := apply(gpsync.OpLinkProxy, gpsync.LinkProxyPayload{PatientID: patientID, ProxyName: "Carol Carer", ProxyDateOfBirth: carerBorn.String(),
		Relationship: "carer", LegalBasis: store.BasisPatientConsent, ServiceAppointments: true, ProxyVerification: store.VerifyPhotoIDAndAddress,
		VerifiedAt: time.Unix(h.now.Load(), 0), SafeguardingConsidered: true, CoercionConsidered: true})
	if err := json.Unmarshal(res.Result, &link); err != nil {
		t.Fatal(err)
	}
	details, err := store.NewRegistrationDetails()
	if err != nil {
		t.Fatal(err)
	}
	issued := time.Unix(h.now.Load(), 0).UTC()
	apply(gpsync.OpRegisterOnline, gpsync.RegisterOnlinePayload{PatientID: patientID, ProxyID: link.ProxyID, VerificationMethod: store.VerifyPhotoIDAndAddress,
		VerifiedAt: issued, CoercionConsidered: true, ServiceAppointments: true, RecordAccess: store.RecordAccessNone, KioskEnabled: true,
		AccountID: details.AccountID, LinkageKeyHash: store.HashLinkageKey(details.LinkageKey), LetterIssuedAt: issued, LetterExpiresAt: issued.Add(store.LetterValidity)})
	if err := h.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}

	signInAsCarer := func() {
		t.Helper()
		h.k.Scanned(gpsync.Letter{ODS: "", AccountID: details.AccountID, LinkageKey: details.LinkageKey}.String())
		h.want(text.T(text.SignInDOBTitle))
		h.typeDOB(carerBorn)
	}
	h.tap(text.T(text.RepeatPrescriptions))
	signInAsCarer()
	h.want(text.T(text.ActingFor, h.name))
	h.want(text.T(text.LetterNoPrescriptions))
	h.finish()
	h.want(text.T(text.BookAppointment))
	if h.screenHas(text.T(text.ActingFor, h.name)) {
		t.Fatal("the banner stayed after signing out")
	}
	h.tap(text.T(text.BookAppointment))
	signInAsCarer()
	h.want(text.T(text.ActingFor, h.name))
	h.want(text.T(text.BookWhatFor))
}

// demoPatientID is the patient of the demo letter the harness signs in
// with, as the kiosk's replica knows them.
func (h *harness) demoPatientID(t *testing.T) int64 {
	t.Helper()
	p, err := h.rep.SignIn(context.Background(), h.account, h.dob)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}
