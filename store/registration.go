package store

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Identity verification methods for online services (domain README,
// "Registering a patient for online services").
const (
	VerifyPhotoIDAndAddress           = "photo_id_and_address"
	VerifyVouching                    = "vouching"
	VerifyVouchingWithInfo            = "vouching_with_information"
	RecordAccessNone                  = "none"
	RecordAccessSummary               = "summary"
	RecordAccessDetailed              = "detailed"
	LetterValidity                    = 14 * 24 * time.Hour // from printing
	AccountIDLength                   = 12                  // characters, without hyphens
	LinkageKeyLength                  = 15
	ReasonVerificationMissing  Reason = "verification_missing"
	ReasonCoercionNotAsked     Reason = "coercion_not_considered"
	ReasonRecordNeedsDocuments Reason = "record_needs_documents"
	ReasonNoServicesChosen     Reason = "no_services_chosen"
	ReasonStaffNotAllowed      Reason = "staff_not_allowed"
	ReasonProxyBasis           Reason = "proxy_basis_not_valid"
	ReasonSafeguardingNotAsked Reason = "safeguarding_not_considered"
)

// VerificationMethods are the ways identity is checked, in the order the
// wizard and the reports list them.
func VerificationMethods() []string {
	return []string{VerifyPhotoIDAndAddress, VerifyVouching, VerifyVouchingWithInfo}
}

// Proxy relationships and legal bases (domain README, "Proxy access").
const (
	BasisPatientConsent         = "patient_consent"
	BasisParentalResponsibility = "parental_responsibility"
	BasisLastingPowerOfAttorney = "lasting_power_of_attorney"
	BasisCourtAppointedDeputy   = "court_appointed_deputy"
	BasisBestInterests          = "best_interests"
	// AgeOfConsent: from 16 a patient with capacity decides for themselves;
	// parental responsibility no longer gives access on its own.
	AgeOfConsent = 16
	// ChildsViewAge: from about 11 a child's own view matters and parental
	// access is reviewed.
	ChildsViewAge = 11
)

// ProxyRelationships and LegalBases are the values the store accepts, in
// the order a form offers them.
var (
	ProxyRelationships = []string{"parent", "carer", "care_home_staff", "attorney", "deputy", "other"}
	LegalBases         = []string{BasisPatientConsent, BasisParentalResponsibility, BasisLastingPowerOfAttorney, BasisCourtAppointedDeputy, BasisBestInterests}
)

// RegistrationRequest is what staff decided while registering a patient
// for online services, with what the rules need to judge it.
type RegistrationRequest struct {
	PatientBorn        Date
	Today              Date
	MinAgeYears        int  // the practice's setting
	ForProxy           bool // a proxy acting for the patient: the patient's age does not matter
	VerificationMethod string
	CoercionConsidered bool
	Appointments       bool
	Prescriptions      bool
	RecordAccess       string
}

// CheckRegistration applies the registration rules: a verification method
// recorded, the coercion question answered, at least one service, no
// detailed record on vouching alone, and the patient old enough unless a
// proxy acts for them.
func CheckRegistration(r RegistrationRequest) error {
	switch r.VerificationMethod {
	case VerifyPhotoIDAndAddress, VerifyVouching, VerifyVouchingWithInfo:
	default:
		return refuse(ReasonVerificationMissing, "Choose how the patient's identity was checked before issuing a registration.")
	}
	if !r.CoercionConsidered {
		return refuse(ReasonCoercionNotAsked, "Ask whether anyone is pressuring the patient to share their access, and record that you asked.")
	}
	switch r.RecordAccess {
	case RecordAccessNone, RecordAccessSummary, RecordAccessDetailed:
	default:
		return refuse(ReasonInvalidInput, "Choose a level of record access.")
	}
	if !r.Appointments && !r.Prescriptions && r.RecordAccess == RecordAccessNone {
		return refuse(ReasonNoServicesChosen, "Choose at least one service.")
	}
	if r.RecordAccess == RecordAccessDetailed && r.VerificationMethod == VerifyVouching {
		return refuse(ReasonRecordNeedsDocuments, "Vouching alone cannot unlock the detailed record. Check photo ID and proof of address, or choose summary access.")
	}
	if !r.ForProxy {
		if age := r.PatientBorn.AgeOn(r.Today); age < r.MinAgeYears {
			return refuse(ReasonUnderMinimumAge, fmt.Sprintf("Patients under %d cannot have their own online services at this practice. A parent or guardian can be given proxy access instead.", r.MinAgeYears))
		}
	}
	return nil
}

// ProxyRequest is a proposed proxy link, with what the rules need.
type ProxyRequest struct {
	PatientBorn            Date
	Today                  Date
	ProxyName              string
	ProxyBorn              Date
	Relationship           string
	LegalBasis             string
	Appointments           bool
	Prescriptions          bool
	Record                 bool
	ProxyVerification      string
	SafeguardingConsidered bool
	CoercionConsidered     bool
}

// CheckProxy applies the proxy-access rules.
func CheckProxy(p ProxyRequest) error {
	if strings.TrimSpace(p.ProxyName) == "" || len(p.ProxyName) > 100 {
		return refuse(ReasonInvalidInput, "Enter the proxy's full name.")
	}
	if !PrintableName(p.ProxyName) {
		return refuse(ReasonInvalidInput, notPrintableMessage)
	}
	if p.ProxyBorn.IsZero() || !p.ProxyBorn.Before(p.Today) {
		return refuse(ReasonInvalidDate, "Enter the proxy's date of birth.")
	}
	if p.ProxyBorn.AgeOn(p.Today) < AgeOfConsent {
		return refuse(ReasonInvalidInput, fmt.Sprintf("A proxy must be %d or over.", AgeOfConsent))
	}
	if !slices.Contains(ProxyRelationships, p.Relationship) {
		return refuse(ReasonInvalidInput, "Choose how the proxy is related to the patient.")
	}
	age := p.PatientBorn.AgeOn(p.Today)
	switch p.LegalBasis {
	case BasisParentalResponsibility:
		if age >= AgeOfConsent {
			return refuse(ReasonProxyBasis, fmt.Sprintf("Parental responsibility does not give access once the patient is %d. Use the patient's consent or another legal basis.", AgeOfConsent))
		}
	case BasisPatientConsent:
		if age < AgeOfConsent {
			return refuse(ReasonProxyBasis, fmt.Sprintf("A patient under %d cannot consent to proxy access on their own here. Use parental responsibility or another legal basis.", AgeOfConsent))
		}
	case BasisLastingPowerOfAttorney, BasisCourtAppointedDeputy, BasisBestInterests:
	default:
		return refuse(ReasonProxyBasis, "Choose the legal basis for proxy access.")
	}
	if !p.Appointments && !p.Prescriptions && !p.Record {
		return refuse(ReasonNoServicesChosen, "Choose at least one service for the proxy.")
	}
	if p.ProxyVerification != VerifyPhotoIDAndAddress && p.ProxyVerification != VerifyVouching {
		return refuse(ReasonVerificationMissing, "Check the proxy's own identity (photo ID and proof of address, or vouching if you know them).")
	}
	if !p.SafeguardingConsidered || !p.CoercionConsidered {
		return refuse(ReasonSafeguardingNotAsked, "Consider safeguarding and coercion for both the patient and the proxy, and record that you did.")
	}
	return nil
}

// RegistrationDetails are the two secrets printed on a letter.
type RegistrationDetails struct {
	AccountID  string // e.g. ACDE-FGHJ-KMNP
	LinkageKey string // e.g. QRTUV-WXY34-67ACD
}

// NewRegistrationDetails makes a random Account ID (12 characters, about
// 55 bits) and Linkage Key (15, about 69 bits) from the alphabet without
// look-alike characters. The account ID is long because a kiosk verifier
// hashes it with a date of birth: it must not be guessable.
func NewRegistrationDetails() (RegistrationDetails, error) {
	account, err := randomGroups(AccountIDLength, 4)
	if err != nil {
		return RegistrationDetails{}, fmt.Errorf("store.NewRegistrationDetails: %w", err)
	}
	key, err := randomGroups(LinkageKeyLength, 5)
	if err != nil {
		return RegistrationDetails{}, fmt.Errorf("store.NewRegistrationDetails: %w", err)
	}
	return RegistrationDetails{AccountID: account, LinkageKey: key}, nil
}

// NormaliseAccountID is the one form of a letter's Account ID that is
// compared, hashed or turned into a kiosk verifier: upper case, with every
// space and hyphen (or other dash) taken out, so "RAYW-7M4V-FRAD",
// "rayw7m4vfrad" and " Rayw 7m4v-frad" are the same ID. Letters are printed
// and stored with their hyphens (ValidAccountID); a kiosk's keys have none.
// Nothing else is changed: look-alike characters are not in the alphabet
// NewRegistrationDetails draws from, so they are not mapped either.
func NormaliseAccountID(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || r == '-' || r == '\u2212' || unicode.Is(unicode.Pd, r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// randomGroups draws n characters from codeAlphabet without modulo bias,
// with a hyphen every group characters.
func randomGroups(n, group int) (string, error) {
	var b strings.Builder
	buf := make([]byte, 1)
	for i := 0; i < n; {
		if _, err := rand.Read(buf); err != nil {
			return "", err
		}
		// 250 is the largest multiple of 25 below 256.
		if buf[0] >= 250 {
			continue
		}
		if i > 0 && i%group == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(codeAlphabet[int(buf[0])%len(codeAlphabet)])
		i++
	}
	return b.String(), nil
}

// HashLinkageKey is how a linkage key is kept: SHA-256 of the key without
// hyphens or spaces, upper case, hex.
func HashLinkageKey(key string) string {
	sum := sha256.Sum256([]byte("gpkiosk-linkage\x1f" + normaliseCode(key)))
	return hex.EncodeToString(sum[:])
}
