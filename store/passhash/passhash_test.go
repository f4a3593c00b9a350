package passhash

import (
	"errors"
	"strings"
	"testing"
)

// cheap keeps the tests quick under -race; the format and checks are the
// same whatever the costs.
var cheap = Params{MemoryKiB: 64, Passes: 1, Lanes: 1}

func TestHashThenVerify(t *testing.T) {
	v, err := Hash("246810", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(v, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("verifier %q is not PHC argon2id", v)
	}
	if strings.Contains(v, "246810") {
		t.Fatal("verifier contains the secret")
	}
	for secret, want := range map[string]bool{"246810": true, "246811": false, "": false, "2468100": false} {
		got, err := Verify(v, secret)
		if err != nil || got != want {
			t.Errorf("Verify(%q) = %v, %v; want %v", secret, got, err, want)
		}
	}
}

func TestSameSecretDifferentSalt(t *testing.T) {
	a, _ := Hash("1234", cheap)
	b, _ := Hash("1234", cheap)
	if a == b {
		t.Fatal("two verifiers of one secret are equal: the salt is not random")
	}
}

func TestDefaultCostsVerify(t *testing.T) {
	v, err := Hash("correct horse", Default())
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := Verify(v, "correct horse"); !ok || err != nil {
		t.Fatalf("Verify = %v, %v", ok, err)
	}
	if !strings.Contains(v, "m=19456,t=2,p=1") {
		t.Fatalf("default costs not in verifier %q", v)
	}
}

func TestMalformedVerifiersNeverMatch(t *testing.T) {
	good, _ := Hash("1234", cheap)
	parts := strings.Split(good, "$")
	for name, v := range map[string]string{
		"empty":        "",
		"plain text":   "1234",
		"bcrypt":       "$2a$10$abcdefghijklmnopqrstuu",
		"argon2i":      strings.Replace(good, "argon2id", "argon2i", 1),
		"old version":  strings.Replace(good, "v=19", "v=16", 1),
		"huge memory":  strings.Replace(good, "m=64", "m=99999999", 1),
		"zero passes":  strings.Replace(good, "t=1", "t=0", 1),
		"bad salt":     strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$"),
		"short key":    strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"),
		"missing part": strings.Join(parts[:5], "$"),
	} {
		ok, err := Verify(v, "1234")
		if ok || !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: Verify = %v, %v; want false, ErrMalformed", name, ok, err)
		}
	}
}

func BenchmarkVerifyDefault(b *testing.B) {
	v, _ := Hash("246810", Default())
	for b.Loop() {
		if ok, _ := Verify(v, "246810"); !ok {
			b.Fatal("no match")
		}
	}
}
