package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/demo"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/internal/faultproxy"
)

// desk is the demo practice with a desktop, a kiosk and the demo staff
// accounts (plus one that has been disabled).
type desk struct {
	*practice
	desktop, kiosk gpsync.EnrolResponse
	staff          map[string]int64 // by username
	patients       map[int64]gpsync.PatientData
}

var opCreated = time.Date(2026, 6, 8, 6, 0, 0, 0, time.UTC)

func newDesk(t *testing.T) *desk {
	t.Helper()
	ctx := context.Background()
	d := &desk{practice: newPractice(t, WithRateLimits(1000, 1000, 1000, 1000)), staff: map[string]int64{}, patients: map[int64]gpsync.PatientData{}}
	manager := store.Actor{Name: "manager:test", Device: "test"}
	if _, err := d.st.AddStaff(ctx, manager, store.NewStaff{Username: "leaver", DisplayName: "Left Last Month", Role: store.StaffReceptionist, Password: "gone-away-now"}); err != nil {
		t.Fatal(err)
	}
	if err := d.st.SetStaffActive(ctx, manager, "leaver", false); err != nil {
		t.Fatal(err)
	}
	members, err := d.st.StaffMembers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		d.staff[m.Username] = m.ID
	}
	d.desktop, d.kiosk = d.enrol(t, "desktop"), d.enrol(t, "kiosk")
	for _, c := range d.pullAll(t, d.desktop.Token, 1000) {
		if c.Entity == gpsync.EntityPatient && !c.Deleted {
			var pd gpsync.PatientData
			if err := json.Unmarshal(c.Data, &pd); err != nil {
				t.Fatal(err)
			}
			d.patients[c.ID] = pd
		}
	}
	return d
}

// patientAged finds a patient aged between lo and hi on the test day who
// has no registration yet.
func (d *desk) patientAged(t *testing.T, lo, hi int, not ...int64) (int64, store.Date) {
	t.Helper()
	today := store.Date{Year: 2026, Month: time.June, Day: 8}
next:
	for id := int64(1); id < 500; id++ {
		pd, ok := d.patients[id]
		if !ok || d.accounts[id] != "" {
			continue
		}
		for _, n := range not {
			if n == id {
				continue next
			}
		}
		born, err := store.ParseDate(pd.DateOfBirth)
		if err != nil {
			t.Fatal(err)
		}
		if age := born.AgeOn(today); age >= lo && age <= hi {
			return id, born
		}
	}
	t.Fatalf("no patient aged %d to %d", lo, hi)
	return 0, store.Date{}
}

func (d *desk) born(t *testing.T, id int64) store.Date {
	t.Helper()
	born, err := store.ParseDate(d.patients[id].DateOfBirth)
	if err != nil {
		t.Fatal(err)
	}
	return born
}

func staffOp(t *testing.T, n int, staffID int64, kind string, payload any) gpsync.Op {
	op := newOp(t, n, kind, payload)
	op.StaffID = staffID
	return op
}

// registration is a valid register_online payload with fresh details.
func registration(t *testing.T, patientID int64) gpsync.RegisterOnlinePayload {
	t.Helper()
	det, err := store.NewRegistrationDetails()
	if err != nil {
		t.Fatal(err)
	}
	return gpsync.RegisterOnlinePayload{PatientID: patientID, VerificationMethod: store.VerifyPhotoIDAndAddress, VerifiedAt: opCreated,
		CoercionConsidered: true, ServiceAppointments: true, ServicePrescriptions: true, RecordAccess: store.RecordAccessNone,
		KioskEnabled: true, AccountID: det.AccountID, LinkageKeyHash: store.HashLinkageKey(det.LinkageKey),
		LetterIssuedAt: opCreated, LetterExpiresAt: opCreated.Add(store.LetterValidity)}
}

func parentLink(patientID int64) gpsync.LinkProxyPayload {
	return gpsync.LinkProxyPayload{PatientID: patientID, ProxyName: "Sam Parent", ProxyDateOfBirth: "1985-04-20", Relationship: "parent",
		LegalBasis: store.BasisParentalResponsibility, ServiceAppointments: true, ProxyVerification: store.VerifyPhotoIDAndAddress,
		VerifiedAt: opCreated, SafeguardingConsidered: true, CoercionConsidered: true}
}

func wantRejected(t *testing.T, what string, r gpsync.OpResult, reason string) {
	t.Helper()
	if r.Status != gpsync.OpRejected || r.Reason != reason || r.Message == "" {
		t.Errorf("%s: %+v, want rejected %s with a message", what, r, reason)
	}
}

func wantApplied(t *testing.T, what string, r gpsync.OpResult, into any) {
	t.Helper()
	if r.Status != gpsync.OpApplied {
		t.Fatalf("%s: %+v", what, r)
	}
	if into != nil {
		if err := json.Unmarshal(r.Result, into); err != nil {
			t.Fatalf("%s result %s: %v", what, r.Result, err)
		}
	}
}

// kioskLetters is what a kiosk holds for a patient after a full pull.
func (d *desk) kioskLetters(t *testing.T, patientID int64) []gpsync.KioskLetter {
	t.Helper()
	var letters []gpsync.KioskLetter
	for _, c := range d.pullAll(t, d.kiosk.Token, 1000) {
		if c.Entity == gpsync.EntityPatient && c.ID == patientID {
			letters = nil
			if !c.Deleted {
				var pd gpsync.PatientData
				if err := json.Unmarshal(c.Data, &pd); err != nil {
					t.Fatal(err)
				}
				letters = pd.KioskLetters
			}
		}
	}
	return letters
}

func (d *desk) auditActions(t *testing.T, patientID int64) map[string][]store.AuditEvent {
	t.Helper()
	events, err := d.st.AuditEvents(context.Background(), "patient", patientID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]store.AuditEvent{}
	for _, e := range events {
		out[e.Action] = append(out[e.Action], e)
	}
	return out
}

func (d *desk) verifyAudit(t *testing.T) {
	t.Helper()
	if _, err := d.st.VerifyAuditChain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Only an active member of staff whose role allows it, at a desktop, can
// link a proxy, register a patient or record a view; the refusal is a
// normal answer that does not stop the ops after it.
func TestDeskOpsNeedAllowedStaff(t *testing.T) {
	d := newDesk(t)
	adult, _ := d.patientAged(t, 30, 60)
	child, _ := d.patientAged(t, 3, 10)
	reception := d.staff["reception"]
	view := gpsync.RecordViewPayload{PatientIDs: []int64{adult}, What: gpsync.ViewRecord}

	kiosk := d.push(t, d.kiosk.Token,
		staffOp(t, 1, reception, gpsync.OpRegisterOnline, registration(t, adult)),
		staffOp(t, 2, reception, gpsync.OpLinkProxy, parentLink(child)),
		staffOp(t, 3, reception, gpsync.OpRecordView, view))
	for i, r := range kiosk {
		wantRejected(t, "kiosk op "+string(rune('1'+i)), r, "staff_not_allowed")
	}
	res := d.push(t, d.desktop.Token,
		staffOp(t, 10, 0, gpsync.OpRegisterOnline, registration(t, adult)),
		staffOp(t, 11, d.staff["leaver"], gpsync.OpRegisterOnline, registration(t, adult)),
		staffOp(t, 12, 9999, gpsync.OpRecordView, view),
		staffOp(t, 13, d.staff["nurse"], gpsync.OpRegisterOnline, registration(t, adult)),
		staffOp(t, 14, d.staff["nurse"], gpsync.OpLinkProxy, parentLink(child)),
		staffOp(t, 15, d.staff["leaver"], gpsync.OpBook, gpsync.BookPayload{SlotID: freeKioskSlot(t, d.practice, adult), PatientID: adult}),
		staffOp(t, 16, d.staff["nurse"], gpsync.OpRecordView, view))
	for i, what := range []string{"no staff", "disabled staff", "unknown staff", "clinician registering", "clinician linking a proxy", "disabled staff booking"} {
		wantRejected(t, what, res[i], "staff_not_allowed")
	}
	wantApplied(t, "clinician recording a view", res[6], nil)
	if appts, _ := d.st.Appointments(context.Background(), adult, store.StatusBooked); len(appts) != 0 {
		t.Fatalf("a disabled account booked %d appointments", len(appts))
	}
	a := d.auditActions(t, adult)
	if len(a["registration.issue"]) != 0 || len(a["patient.view"]) != 1 || a["patient.view"][0].Actor.Name != "staff:nurse" {
		t.Fatalf("audit after refusals: %+v", a)
	}
	d.verifyAudit(t)
}

// A receptionist registers a kiosk patient again: the old letter stops
// working (the kiosk is told it was replaced), the new one works, and the
// whole story is in the audit log under the receptionist's name.
func TestRegisterOnlineReissueRevokesOldLetter(t *testing.T) {
	d := newDesk(t)
	patient := d.kioskPts[0]
	born := d.born(t, patient)
	oldVerifier := store.KioskVerifier(d.accounts[patient], born)
	before := d.kioskLetters(t, patient)
	if len(before) != 1 || before[0].Verifier != oldVerifier || before[0].Revoked {
		t.Fatalf("letters before %+v", before)
	}

	reg := registration(t, patient)
	reg.ServicePrescriptions = false
	var out gpsync.RegisterOnlineResult
	wantApplied(t, "reissue", d.push(t, d.desktop.Token, staffOp(t, 1, d.staff["reception"], gpsync.OpRegisterOnline, reg))[0], &out)
	if out.RegistrationID == 0 {
		t.Fatal("no registration ID")
	}
	after := d.kioskLetters(t, patient)
	if len(after) != 2 {
		t.Fatalf("letters after reissue %+v", after)
	}
	if after[0].Verifier != oldVerifier || !after[0].Revoked {
		t.Fatalf("old letter %+v, want revoked", after[0])
	}
	want := store.KioskVerifier(reg.AccountID, born)
	if n := after[1]; n.Verifier != want || n.Revoked || n.ActingFor || n.NoAppointments || !n.NoPrescriptions {
		t.Fatalf("new letter %+v", n)
	}

	// The same account ID again is refused: no two people share a letter.
	again := reg
	again.LetterIssuedAt = opCreated.Add(10 * time.Minute)
	again.LetterExpiresAt = again.LetterIssuedAt.Add(store.LetterValidity)
	wantRejected(t, "account ID reused", d.push(t, d.desktop.Token, staffOp(t, 2, d.staff["manager"], gpsync.OpRegisterOnline, again))[0], "account_id_taken")

	a := d.auditActions(t, patient)
	if len(a["registration.issue"]) != 1 || len(a["registration.revoke"]) != 1 {
		t.Fatalf("audit %+v", a)
	}
	for _, e := range append(a["registration.issue"], a["registration.revoke"]...) {
		if e.Actor.Name != "staff:reception" || e.Actor.Device != d.desktop.DeviceID {
			t.Fatalf("audit actor %+v", e.Actor)
		}
	}
	d.verifyAudit(t)
}

// The registration rules, applied by the server to ops made offline.
func TestRegisterOnlineRefusals(t *testing.T) {
	d := newDesk(t)
	adult, _ := d.patientAged(t, 30, 60)
	child, _ := d.patientAged(t, 3, 10)
	reception := d.staff["reception"]
	cases := []struct {
		name   string
		edit   func(*gpsync.RegisterOnlinePayload)
		reason string
	}{
		{"under minimum age", func(p *gpsync.RegisterOnlinePayload) { p.PatientID = child }, "under_minimum_age"},
		{"vouching and detailed record", func(p *gpsync.RegisterOnlinePayload) {
			p.VerificationMethod, p.RecordAccess = store.VerifyVouching, store.RecordAccessDetailed
		}, "record_needs_documents"},
		{"coercion not asked", func(p *gpsync.RegisterOnlinePayload) { p.CoercionConsidered = false }, "coercion_not_considered"},
		{"no verification", func(p *gpsync.RegisterOnlinePayload) { p.VerificationMethod = "" }, "verification_missing"},
		{"no services", func(p *gpsync.RegisterOnlinePayload) {
			p.ServiceAppointments, p.ServicePrescriptions = false, false
		}, "no_services_chosen"},
		{"account ID not ours", func(p *gpsync.RegisterOnlinePayload) { p.AccountID = "DEMO-0001" }, "invalid_input"},
		{"linkage key not hashed", func(p *gpsync.RegisterOnlinePayload) { p.LinkageKeyHash = "QRTUV-WXY34-67ACD" }, "invalid_input"},
		{"letter valid too long", func(p *gpsync.RegisterOnlinePayload) { p.LetterExpiresAt = p.LetterIssuedAt.AddDate(0, 0, 30) }, "invalid_input"},
		{"no such patient", func(p *gpsync.RegisterOnlinePayload) { p.PatientID = 99999 }, "not_found"},
		{"no such proxy", func(p *gpsync.RegisterOnlinePayload) { p.ProxyRef = "00000000-0000-4000-8000-999999999999" }, "not_found"},
	}
	for i, c := range cases {
		p := registration(t, adult)
		c.edit(&p)
		wantRejected(t, c.name, d.push(t, d.desktop.Token, staffOp(t, 100+i, reception, gpsync.OpRegisterOnline, p))[0], c.reason)
	}
	// A minute of slack on the expiry is allowed (the desktop's clock moved).
	p := registration(t, adult)
	p.LetterExpiresAt = p.LetterExpiresAt.Add(30 * time.Second)
	wantApplied(t, "expiry 30 s late", d.push(t, d.desktop.Token, staffOp(t, 200, reception, gpsync.OpRegisterOnline, p))[0], nil)
	if a := d.auditActions(t, child); len(a["registration.issue"]) != 0 {
		t.Fatalf("a refused registration was audited as issued: %+v", a)
	}
}

// A receptionist links a parent to a child and registers the parent in
// one batch made offline (the registration names the link by its op ID).
// The kiosk is given the parent's letter, checked against the parent's
// own date of birth, marked "acting for", with only the services the link
// allows; a desktop gets the proxy, the registration and staff; a kiosk
// gets none of them.
func TestProxyLinkedAndRegisteredInOneBatch(t *testing.T) {
	d := newDesk(t)
	child, _ := d.patientAged(t, 3, 10)
	reception := d.staff["reception"]
	link := staffOp(t, 1, reception, gpsync.OpLinkProxy, parentLink(child))
	reg := registration(t, child)
	reg.ProxyRef = link.ID
	res := d.push(t, d.desktop.Token, link, staffOp(t, 2, reception, gpsync.OpRegisterOnline, reg))
	var linked gpsync.LinkProxyResult
	var registered gpsync.RegisterOnlineResult
	wantApplied(t, "link", res[0], &linked)
	wantApplied(t, "register proxy", res[1], &registered)

	letters := d.kioskLetters(t, child)
	proxyBorn := store.Date{Year: 1985, Month: time.April, Day: 20}
	if len(letters) != 1 {
		t.Fatalf("kiosk letters %+v", letters)
	}
	if l := letters[0]; l.Verifier != store.KioskVerifier(reg.AccountID, proxyBorn) || !l.ActingFor || l.Revoked ||
		l.NoAppointments || !l.NoPrescriptions {
		t.Fatalf("proxy letter %+v (the link gives appointments only)", l)
	}

	desk := d.pullAll(t, d.desktop.Token, 1000)
	var proxy *gpsync.ProxyData
	var regData *gpsync.RegistrationData
	hashes := 0
	for _, c := range desk {
		switch {
		case c.Entity == gpsync.EntityProxy && c.ID == linked.ProxyID:
			proxy = &gpsync.ProxyData{}
			json.Unmarshal(c.Data, proxy)
		case c.Entity == gpsync.EntityRegistration && c.ID == registered.RegistrationID:
			regData = &gpsync.RegistrationData{}
			json.Unmarshal(c.Data, regData)
		case c.Entity == gpsync.EntityStaff:
			var s gpsync.StaffData
			json.Unmarshal(c.Data, &s)
			if strings.HasPrefix(s.SignInCheck, "$argon2id-sha256$") {
				hashes++
			}
			if bytes.Contains(c.Data, []byte("$argon2id$")) {
				t.Fatalf("a staff verifier (the key to their ops) reached a desktop: %s", c.Data)
			}
		}
		if bytes.Contains(c.Data, []byte(reg.LinkageKeyHash)) {
			t.Fatalf("the linkage key's hash left the server: %s %d", c.Entity, c.ID)
		}
	}
	if proxy == nil || proxy.PatientID != child || proxy.ProxyDateOfBirth != "1985-04-20" || proxy.LegalBasis != store.BasisParentalResponsibility ||
		proxy.VerifiedByStaffID != reception || proxy.Ended {
		t.Fatalf("desktop's proxy %+v", proxy)
	}
	if regData == nil || regData.ProxyID != linked.ProxyID || regData.AccountID != reg.AccountID || regData.VerifiedByStaffID != reception || regData.Revoked {
		t.Fatalf("desktop's registration %+v", regData)
	}
	if hashes != len(demo.StaffAccounts())+1 {
		t.Fatalf("%d staff sign-in checks on the desktop", hashes)
	}
	for _, c := range d.pullAll(t, d.kiosk.Token, 1000) {
		if c.Entity == gpsync.EntityStaff || c.Entity == gpsync.EntityRegistration || c.Entity == gpsync.EntityProxy {
			t.Fatalf("kiosk was sent %s %d", c.Entity, c.ID)
		}
	}

	// Registering the parent again replaces only the parent's letter.
	again := registration(t, child)
	again.ProxyID = linked.ProxyID
	wantApplied(t, "reissue proxy letter", d.push(t, d.desktop.Token, staffOp(t, 3, reception, gpsync.OpRegisterOnline, again))[0], nil)
	if l := d.kioskLetters(t, child); len(l) != 2 || !l[0].Revoked || l[1].Revoked || !l[1].ActingFor {
		t.Fatalf("letters after the parent's reissue %+v", l)
	}

	a := d.auditActions(t, child)
	if len(a["proxy.link"]) != 1 || len(a["registration.issue"]) != 2 || len(a["registration.revoke"]) != 1 {
		t.Fatalf("audit %+v", a)
	}
	d.verifyAudit(t)
}

func TestLinkProxyRefusals(t *testing.T) {
	d := newDesk(t)
	child, _ := d.patientAged(t, 3, 10)
	adult, _ := d.patientAged(t, 30, 60)
	cases := []struct {
		name   string
		edit   func(*gpsync.LinkProxyPayload)
		reason string
	}{
		{"parental responsibility for an adult", func(p *gpsync.LinkProxyPayload) { p.PatientID = adult }, "proxy_basis_not_valid"},
		{"a child consenting", func(p *gpsync.LinkProxyPayload) { p.LegalBasis = store.BasisPatientConsent }, "proxy_basis_not_valid"},
		{"coercion not considered", func(p *gpsync.LinkProxyPayload) { p.CoercionConsidered = false }, "safeguarding_not_considered"},
		{"safeguarding not considered", func(p *gpsync.LinkProxyPayload) { p.SafeguardingConsidered = false }, "safeguarding_not_considered"},
		{"proxy a child", func(p *gpsync.LinkProxyPayload) { p.ProxyDateOfBirth = "2015-01-01" }, "invalid_input"},
		{"no date of birth", func(p *gpsync.LinkProxyPayload) { p.ProxyDateOfBirth = "" }, "invalid_date"},
		{"no services", func(p *gpsync.LinkProxyPayload) { p.ServiceAppointments = false }, "no_services_chosen"},
		{"own proxy", func(p *gpsync.LinkProxyPayload) { p.ProxyPatientID = child }, "invalid_input"},
		{"no such patient", func(p *gpsync.LinkProxyPayload) { p.PatientID = 99999 }, "not_found"},
		// Finding 10 of the security test: control and invisible characters.
		{"NUL in the name", func(p *gpsync.LinkProxyPayload) { p.ProxyName = "Sam\x00Parent" }, "invalid_input"},
		{"unit separator in the name", func(p *gpsync.LinkProxyPayload) { p.ProxyName = "Sam\x1fParent" }, "invalid_input"},
		{"right-to-left override in the name", func(p *gpsync.LinkProxyPayload) { p.ProxyName = "Sam \u202etneraP" }, "invalid_input"},
		{"zero-width space in the name", func(p *gpsync.LinkProxyPayload) { p.ProxyName = "Sam\u200bParent" }, "invalid_input"},
	}
	for i, c := range cases {
		p := parentLink(child)
		c.edit(&p)
		wantRejected(t, c.name, d.push(t, d.desktop.Token, staffOp(t, 100+i, d.staff["manager"], gpsync.OpLinkProxy, p))[0], c.reason)
	}
	if a := d.auditActions(t, child); len(a["proxy.link"]) != 0 {
		t.Fatalf("refused links audited: %+v", a)
	}
}

func TestRecordViewAuditsEachPatient(t *testing.T) {
	d := newDesk(t)
	a1, _ := d.patientAged(t, 30, 60)
	a2, _ := d.patientAged(t, 30, 60, a1)
	nurse := d.staff["nurse"]
	res := d.push(t, d.desktop.Token,
		staffOp(t, 1, nurse, gpsync.OpRecordView, gpsync.RecordViewPayload{PatientIDs: []int64{a1, a2, a1}, What: gpsync.ViewSearch}),
		staffOp(t, 2, nurse, gpsync.OpRecordView, gpsync.RecordViewPayload{PatientIDs: []int64{a2}, What: gpsync.ViewRecord}),
		staffOp(t, 3, nurse, gpsync.OpRecordView, gpsync.RecordViewPayload{PatientIDs: nil, What: gpsync.ViewSearch}),
		staffOp(t, 4, nurse, gpsync.OpRecordView, gpsync.RecordViewPayload{PatientIDs: make([]int64, 101), What: gpsync.ViewSearch}),
		staffOp(t, 5, nurse, gpsync.OpRecordView, gpsync.RecordViewPayload{PatientIDs: []int64{a1}, What: "browse"}),
		staffOp(t, 6, nurse, gpsync.OpRecordView, gpsync.RecordViewPayload{PatientIDs: []int64{a1, 99999}, What: gpsync.ViewRecord}))
	wantApplied(t, "search", res[0], nil)
	wantApplied(t, "record", res[1], nil)
	wantRejected(t, "nobody", res[2], "invalid_input")
	wantRejected(t, "101 patients", res[3], "invalid_input")
	wantRejected(t, "unknown kind", res[4], "invalid_input")
	wantRejected(t, "unknown patient", res[5], "not_found")
	v1, v2 := d.auditActions(t, a1)["patient.view"], d.auditActions(t, a2)["patient.view"]
	if len(v1) != 1 || v1[0].Detail != "what=search" || v1[0].Actor.Name != "staff:nurse" {
		t.Fatalf("first patient's views %+v", v1)
	}
	if len(v2) != 2 || v2[0].Detail != "what=search" || v2[1].Detail != "what=record" {
		t.Fatalf("second patient's views %+v", v2)
	}
	d.verifyAudit(t)
}

// A payload that does not match the protocol is a 400 for the whole batch.
func TestMalformedDeskPayloadIs400(t *testing.T) {
	d := newDesk(t)
	adult, _ := d.patientAged(t, 30, 60)
	good := staffOp(t, 1, d.staff["reception"], gpsync.OpRecordView, gpsync.RecordViewPayload{PatientIDs: []int64{adult}, What: gpsync.ViewRecord})
	for name, payload := range map[string]string{
		"unknown field": `{"patientId":1,"accountId":"x","linkageKey":"secret"}`,
		"wrong type":    `{"patientIds":"all","what":"search"}`,
		"not an object": `[1,2,3]`,
	} {
		bad := good
		bad.ID = "00000000-0000-4000-8000-000000000002"
		bad.Kind = gpsync.OpRegisterOnline
		if name == "wrong type" {
			bad.Kind = gpsync.OpRecordView
		}
		bad.Payload = json.RawMessage(payload)
		r := d.do(t, "POST", "/v1/ops", d.desktop.Token, gpsync.PushRequest{Ops: []gpsync.Op{good, bad}})
		if r.status != 400 || r.code(t) != "bad_request" {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	if a := d.auditActions(t, adult); len(a["patient.view"]) != 0 {
		t.Fatal("an op of a refused batch was applied")
	}
}

// The desktop sends a registration, the answer is lost on the way back,
// and it sends the batch again (twice): one registration, one account,
// and the same answer each time.
func TestRegistrationPushedAgainAfterLostResponseIsNotDuplicated(t *testing.T) {
	d := newDesk(t)
	adult, _ := d.patientAged(t, 30, 60)
	fp, err := faultproxy.New(d.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fp.Close() })
	reg := registration(t, adult)
	batch, err := json.Marshal(gpsync.PushRequest{Ops: d.sign(t, d.desktop.Token, []gpsync.Op{staffOp(t, 1, d.staff["reception"], gpsync.OpRegisterOnline, reg)})})
	if err != nil {
		t.Fatal(err)
	}
	send := func() (*http.Response, error) {
		req, err := http.NewRequest("POST", fp.URL()+"/v1/ops", bytes.NewReader(batch))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+d.desktop.Token)
		return (&http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	}
	fp.ResetAfter(1) // the connection dies one byte into the answer
	if resp, err := send(); err == nil {
		b := new(bytes.Buffer)
		_, rerr := b.ReadFrom(resp.Body)
		resp.Body.Close()
		if rerr == nil {
			t.Fatalf("the answer arrived whole: %d %s", resp.StatusCode, b)
		}
	}
	fp.ResetAfter(0)
	var results []string
	for range 2 {
		resp, err := send()
		if err != nil {
			t.Fatal(err)
		}
		var out gpsync.PushResponse
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
			t.Fatalf("retry: %d %v", resp.StatusCode, err)
		}
		resp.Body.Close()
		wantApplied(t, "retry", out.Results[0], nil)
		results = append(results, string(out.Results[0].Result))
	}
	if results[0] != results[1] {
		t.Fatalf("replays answered differently: %v", results)
	}
	a := d.auditActions(t, adult)
	if len(a["registration.issue"]) != 1 {
		t.Fatalf("%d registrations issued", len(a["registration.issue"]))
	}
	letters := d.kioskLetters(t, adult)
	if len(letters) != 1 || letters[0].Verifier != store.KioskVerifier(reg.AccountID, d.born(t, adult)) {
		t.Fatalf("kiosk letters %+v", letters)
	}
	d.verifyAudit(t)
}
