package store

import (
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
