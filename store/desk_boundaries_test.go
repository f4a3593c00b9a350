package store

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A letter's Linkage Key lasts LetterValidity from printing, give or take
// a minute for the desktop's clock; a minute and a second out is refused.
func TestRegistrationLetterValidityEdges(t *testing.T) {
	lf := newLoopFixture(t)
	now := lf.clock.Now()
	accounts := []string{"ACDE-FGHJ-KMNP", "QRTU-VWXY-3467", "HJKM-NPQR-TUVW", "CDEF-GHJK-MNPQ"}
	for i, c := range []struct {
		lasts time.Duration
		ok    bool
	}{
		{LetterValidity + letterValiditySlack, true},
		{LetterValidity - letterValiditySlack, true},
		{LetterValidity + letterValiditySlack + time.Second, false},
		{LetterValidity - letterValiditySlack - time.Second, false},
	} {
		out := lf.apply(t, lf.desk, lf.recep, RegisterOnline{PatientID: lf.patient, VerificationMethod: VerifyPhotoIDAndAddress,
			VerifiedAt: now, CoercionConsidered: true, ServiceAppointments: true, RecordAccess: RecordAccessNone,
			AccountID: accounts[i], LinkageKeyHash: strings.Repeat("c", 64), LetterIssuedAt: now, LetterExpiresAt: now.Add(c.lasts)})
		if out.Applied() != c.ok {
			t.Errorf("a letter lasting %v: %+v, want applied %v", c.lasts, out, c.ok)
		}
	}
}

// A registration for a proxy names the proxy once, by the op that linked
// it or by its ID, and only a proxy of that same patient; a proxy named by
// reference alone registers as a proxy (a child's own registration would be
// refused for age).
func TestRegistrationNamesOneLiveProxyOfThePatient(t *testing.T) {
	lf := newLoopFixture(t)
	child := lf.addPatient(t, "Child", "999000003", "2018-01-09")
	other := lf.addPatient(t, "Other", "999000004", "2019-03-02")
	link := func(patient int64) int64 {
		return made[ProxyLinked](t, lf.apply(t, lf.desk, lf.recep, LinkProxy{PatientID: patient, ProxyName: "Sam Parent",
			ProxyDateOfBirth: "1985-04-20", Relationship: "parent", LegalBasis: "parental_responsibility", ServiceAppointments: true,
			ProxyVerification: VerifyPhotoIDAndAddress, SafeguardingConsidered: true, CoercionConsidered: true})).ProxyID
	}
	childsProxy := link(child)
	linkedBy := fmt.Sprintf("00000000-0000-4000-8000-%012d", lf.opN)
	othersProxy := link(other)
	now := lf.clock.Now()
	register := func(account string, ref string, id int64) RegisterOnline {
		return RegisterOnline{PatientID: child, ProxyRef: ref, ProxyID: id, VerificationMethod: VerifyPhotoIDAndAddress,
			VerifiedAt: now, CoercionConsidered: true, ServiceAppointments: true, RecordAccess: RecordAccessNone, AccountID: account,
			LinkageKeyHash: strings.Repeat("d", 64), LetterIssuedAt: now, LetterExpiresAt: now.Add(LetterValidity)}
	}
	if msg := lf.refused(t, ReasonInvalidInput, lf.desk, lf.recep, register("ACDE-FGHJ-KMNP", linkedBy, childsProxy)); !strings.Contains(msg, "one proxy") {
		t.Errorf("a proxy named twice: %q", msg)
	}
	lf.refused(t, ReasonNotFound, lf.desk, lf.recep, register("ACDE-FGHJ-KMNP", "", othersProxy))
	lf.refused(t, ReasonNotFound, lf.desk, lf.recep, register("ACDE-FGHJ-KMNP", "00000000-0000-4000-8000-999999999999", 0))
	lf.refused(t, ReasonUnderMinimumAge, lf.desk, lf.recep, register("ACDE-FGHJ-KMNP", "", 0))
	made[Registered](t, lf.apply(t, lf.desk, lf.recep, register("QRTU-VWXY-3467", linkedBy, 0)))
	made[Registered](t, lf.apply(t, lf.desk, lf.recep, register("HJKM-NPQR-TUVW", "", childsProxy)))
}
