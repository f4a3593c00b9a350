package replica

import (
	"sync"
	"time"

	"gpkiosk/store"
)

// signer is who an op is made by and the key that proves it: a member of
// staff signed in at a desktop, a patient signed in at a kiosk, or nobody
// (the device's own report, call for help or lesson count: no key).
type signer struct {
	staffID int64
	key     []byte
	// session names the online staff session whose key this is ("" for a
	// password's or a patient's key); until is when it ends.
	session string
	until   time.Time
}

func (m StaffMember) signer() signer {
	if m.key == ([32]byte{}) {
		return signer{staffID: m.ID}
	}
	return signer{staffID: m.ID, key: m.key[:], session: m.session, until: m.sessionUntil}
}

// patientSessionLength bounds how long a patient's key is kept after they
// sign in, should the kiosk never say the session ended: longer than any
// kiosk visit, with its idle warnings.
const patientSessionLength = 30 * time.Minute

// patientSession is the one patient signed in at this kiosk and the key
// their ops are signed with. It lives in memory only: the key comes from
// the letter and the date of birth typed, and neither is stored.
type patientSession struct {
	mu        sync.Mutex
	patientID int64
	key       [32]byte
	until     time.Time
}

func (s *patientSession) start(patientID int64, key [32]byte, until time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.patientID, s.key, s.until = patientID, key, until
}

func (s *patientSession) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.patientID, s.key, s.until = 0, [32]byte{}, time.Time{}
}

// signerFor is the signer of an op for patientID made now: the session's
// key if that patient is signed in, or none (the server will refuse the
// op as not proven).
func (s *patientSession) signerFor(patientID int64, now time.Time) signer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if patientID == 0 || s.patientID != patientID || !now.Before(s.until) {
		return signer{}
	}
	key := s.key
	return signer{key: key[:]}
}

// EndPatientSession forgets the patient signed in at this kiosk and their
// key: the kiosk calls it when a visit ends (signing out, or the idle
// wipe). Ops already queued keep their proofs.
func (r *Replica) EndPatientSession() { r.session.end() }

// patientSigner is what a kiosk's op for patientID is signed with.
func (r *Replica) patientSigner(patientID int64) signer {
	return r.session.signerFor(patientID, r.clock())
}

// patientKey is the key for a letter's account ID and date of birth.
func patientKey(accountID string, dob store.Date) [32]byte { return store.PatientKey(accountID, dob) }
