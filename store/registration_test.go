package store

import (
	"errors"
	"regexp"
	"testing"
	"time"
)

func TestCheckRegistration(t *testing.T) {
	today := Date{Year: 2026, Month: time.November, Day: 22}
	adult := Date{Year: 1960, Month: time.May, Day: 1}
	ok := RegistrationRequest{PatientBorn: adult, Today: today, MinAgeYears: 16, VerificationMethod: VerifyPhotoIDAndAddress,
		CoercionConsidered: true, Appointments: true, Prescriptions: true, RecordAccess: RecordAccessDetailed}
	if err := CheckRegistration(ok); err != nil {
		t.Fatalf("a complete registration was refused: %v", err)
	}
	cases := []struct {
		name   string
		change func(*RegistrationRequest)
		want   Reason
	}{
		{"no verification", func(r *RegistrationRequest) { r.VerificationMethod = "" }, ReasonVerificationMissing},
		{"coercion not asked", func(r *RegistrationRequest) { r.CoercionConsidered = false }, ReasonCoercionNotAsked},
		{"nothing chosen", func(r *RegistrationRequest) {
			r.Appointments, r.Prescriptions, r.RecordAccess = false, false, RecordAccessNone
		}, ReasonNoServicesChosen},
		{"vouching and detailed record", func(r *RegistrationRequest) { r.VerificationMethod = VerifyVouching }, ReasonRecordNeedsDocuments},
		{"15 years and 364 days", func(r *RegistrationRequest) { r.PatientBorn = Date{Year: 2010, Month: time.November, Day: 23} }, ReasonUnderMinimumAge},
	}
	for _, c := range cases {
		r := ok
		c.change(&r)
		if err := CheckRegistration(r); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %s", c.name, err, c.want)
		}
	}
	child := ok
	child.PatientBorn, child.ForProxy = Date{Year: 2020, Month: time.January, Day: 1}, true
	if err := CheckRegistration(child); err != nil {
		t.Errorf("a proxy's registration for a child was refused: %v", err)
	}
	vouchSummary := ok
	vouchSummary.VerificationMethod, vouchSummary.RecordAccess = VerifyVouching, RecordAccessSummary
	if err := CheckRegistration(vouchSummary); err != nil {
		t.Errorf("vouching with summary access was refused: %v", err)
	}
}

func TestCheckProxy(t *testing.T) {
	today := Date{Year: 2026, Month: time.November, Day: 22}
	child := Date{Year: 2019, Month: time.June, Day: 3}
	ok := ProxyRequest{PatientBorn: child, Today: today, ProxyName: "Sarah Jones", ProxyBorn: Date{Year: 1988, Month: time.July, Day: 9},
		Relationship: "parent", LegalBasis: BasisParentalResponsibility, Appointments: true, ProxyVerification: VerifyPhotoIDAndAddress,
		SafeguardingConsidered: true, CoercionConsidered: true}
	if err := CheckProxy(ok); err != nil {
		t.Fatalf("a parent for a young child was refused: %v", err)
	}
	cases := []struct {
		name   string
		change func(*ProxyRequest)
		want   Reason
	}{
		{"no name", func(p *ProxyRequest) { p.ProxyName = " " }, ReasonInvalidInput},
		{"proxy is a child", func(p *ProxyRequest) { p.ProxyBorn = Date{Year: 2012, Month: time.January, Day: 1} }, ReasonInvalidInput},
		{"parental responsibility at 16", func(p *ProxyRequest) { p.PatientBorn = Date{Year: 2010, Month: time.November, Day: 22} }, ReasonProxyBasis},
		{"child consenting", func(p *ProxyRequest) { p.LegalBasis = BasisPatientConsent }, ReasonProxyBasis},
		{"no services", func(p *ProxyRequest) { p.Appointments = false }, ReasonNoServicesChosen},
		{"proxy not verified", func(p *ProxyRequest) { p.ProxyVerification = "" }, ReasonVerificationMissing},
		{"safeguarding", func(p *ProxyRequest) { p.SafeguardingConsidered = false }, ReasonSafeguardingNotAsked},
		{"coercion", func(p *ProxyRequest) { p.CoercionConsidered = false }, ReasonSafeguardingNotAsked},
	}
	for _, c := range cases {
		p := ok
		c.change(&p)
		if err := CheckProxy(p); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %s", c.name, err, c.want)
		}
	}
}

func TestRegistrationDetailsAreRandomAndReadable(t *testing.T) {
	account := regexp.MustCompile(`^[ACDEFGHJKMNPQRTUVWXY34679]{4}(-[ACDEFGHJKMNPQRTUVWXY34679]{4}){2}$`)
	key := regexp.MustCompile(`^[ACDEFGHJKMNPQRTUVWXY34679]{5}(-[ACDEFGHJKMNPQRTUVWXY34679]{5}){2}$`)
	seen := map[string]bool{}
	for range 200 {
		d, err := NewRegistrationDetails()
		if err != nil {
			t.Fatal(err)
		}
		if !account.MatchString(d.AccountID) || !key.MatchString(d.LinkageKey) {
			t.Fatalf("details %+v are not in the printed format", d)
		}
		if seen[d.AccountID] || seen[d.LinkageKey] {
			t.Fatalf("a detail repeated within 200 draws: %+v", d)
		}
		seen[d.AccountID], seen[d.LinkageKey] = true, true
	}
	if HashLinkageKey("qrtuv-wxy34-67acd") != HashLinkageKey("QRTUVWXY3467ACD") {
		t.Error("a linkage key typed in lower case or without hyphens hashes differently")
	}
}

// An Account ID is the same ID however it is typed; the kiosk verifier is
// made from that one form, so a letter typed on keys without a hyphen
// matches the verifier the server made from the printed ID.
func TestNormaliseAccountID(t *testing.T) {
	for in, want := range map[string]string{
		"RAYW-7M4V-FRAD":           "RAYW7M4VFRAD",
		"RAYW7M4VFRAD":             "RAYW7M4VFRAD",
		"rayw-7m4v-frad":           "RAYW7M4VFRAD",
		" Rayw 7m4v\tfrad\n":       "RAYW7M4VFRAD",
		"RAYW\u20117M4V\u2013FRAD": "RAYW7M4VFRAD", // non-breaking hyphen, en dash
		"demo-0001":                "DEMO0001",     // look-alikes are kept as they are
		"":                         "",
		" - ":                      "",
	} {
		if got := NormaliseAccountID(in); got != want {
			t.Errorf("NormaliseAccountID(%q) = %q, want %q", in, got, want)
		}
	}
	born := Date{Year: 1946, Month: time.March, Day: 15}
	for range 50 {
		d, err := NewRegistrationDetails()
		if err != nil {
			t.Fatal(err)
		}
		n := NormaliseAccountID(d.AccountID)
		if len(n) != AccountIDLength || NormaliseAccountID(n) != n {
			t.Fatalf("%q normalises to %q", d.AccountID, n)
		}
		if KioskVerifier(n, born) != KioskVerifier(d.AccountID, born) {
			t.Fatalf("%q typed without hyphens makes another verifier", d.AccountID)
		}
	}
}
