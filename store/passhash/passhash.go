// Package passhash turns staff passwords and PINs into argon2id verifiers
// and checks them. Only the verifier is stored or synced, so a device can
// check a PIN offline without holding the PIN.
package passhash

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's costs. Default follows OWASP's minimum for
// argon2id (19 MiB, 2 passes, 1 lane): slow enough to make guessing a
// stolen verifier expensive, quick enough (tens of milliseconds) for a
// sign-in on a kiosk's small CPU.
type Params struct {
	MemoryKiB uint32
	Passes    uint32
	Lanes     uint8
}

// Default is what new verifiers use. Verify reads the costs from each
// verifier, so raising these later does not lock anyone out.
func Default() Params { return Params{MemoryKiB: 19 * 1024, Passes: 2, Lanes: 1} }

const (
	saltBytes = 16
	keyBytes  = 32
	// maxMemoryKiB stops a tampered verifier from asking Verify for
	// gigabytes.
	maxMemoryKiB = 256 * 1024
	maxPasses    = 10
)

// ErrMalformed: the stored verifier is not one this package wrote.
var ErrMalformed = errors.New("passhash: malformed verifier")

var b64 = base64.RawStdEncoding

// Hash returns an argon2id verifier for secret in the PHC string format
// ($argon2id$v=19$m=...,t=...,p=...$salt$key), with a fresh random salt.
func Hash(secret string, p Params) (string, error) {
	salt := make([]byte, saltBytes)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("passhash.Hash: salt: %w", err)
	}
	key := argon2.IDKey([]byte(secret), salt, p.Passes, p.MemoryKiB, p.Lanes, keyBytes)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Passes, p.Lanes,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether secret matches verifier. A verifier it cannot
// read is ErrMalformed, never a match.
func Verify(verifier, secret string) (bool, error) {
	p, salt, key, err := parse(verifier)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(secret), salt, p.Passes, p.MemoryKiB, p.Lanes, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

func parse(verifier string) (Params, []byte, []byte, error) {
	parts := strings.Split(verifier, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return Params{}, nil, nil, ErrMalformed
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return Params{}, nil, nil, ErrMalformed
	}
	var p Params
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Passes, &p.Lanes); err != nil || n != 3 {
		return Params{}, nil, nil, ErrMalformed
	}
	if p.MemoryKiB < 8*uint32(p.Lanes) || p.MemoryKiB > maxMemoryKiB || p.Passes < 1 || p.Passes > maxPasses || p.Lanes < 1 {
		return Params{}, nil, nil, ErrMalformed
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return Params{}, nil, nil, ErrMalformed
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return Params{}, nil, nil, ErrMalformed
	}
	return p, salt, key, nil
}

// Key is the argon2id key inside verifier: the secret a member of staff's
// requests are signed with. Only the server, which keeps verifiers, and
// a device given the password itself can have it.
func Key(verifier string) ([]byte, error) {
	_, _, key, err := parse(verifier)
	return key, err
}

// checkPrefix marks a check: a verifier's costs and salt with a SHA-256 of
// its key in place of the key, so a device can tell a password is right
// and recover the key from it, without holding the key.
const checkPrefix = "$argon2id-sha256$"

// Check turns a verifier into the check a device may hold.
func Check(verifier string) (string, error) {
	p, salt, key, err := parse(verifier)
	if err != nil {
		return "", err
	}
	if len(key) != keyBytes { // DeriveChecked makes keys of this length
		return "", ErrMalformed
	}
	sum := sha256.Sum256(key)
	return fmt.Sprintf("%sv=%d$m=%d,t=%d,p=%d$%s$%s", checkPrefix, argon2.Version, p.MemoryKiB, p.Passes, p.Lanes,
		b64.EncodeToString(salt), b64.EncodeToString(sum[:])), nil
}

// DeriveChecked works out the key from secret with check's costs and salt,
// and reports whether it is the right one. A check it cannot read is
// ErrMalformed, never a match.
func DeriveChecked(check, secret string) ([]byte, bool, error) {
	rest, ok := strings.CutPrefix(check, checkPrefix)
	if !ok {
		return nil, false, ErrMalformed
	}
	p, salt, sum, err := parse("$argon2id$" + rest)
	if err != nil || len(sum) != sha256.Size {
		return nil, false, ErrMalformed
	}
	key := argon2.IDKey([]byte(secret), salt, p.Passes, p.MemoryKiB, p.Lanes, keyBytes)
	got := sha256.Sum256(key)
	if subtle.ConstantTimeCompare(got[:], sum) != 1 {
		return nil, false, nil
	}
	return key, true, nil
}
