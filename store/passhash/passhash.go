// Package passhash turns staff passwords and PINs into argon2id verifiers
// and checks them. Only the verifier is stored or synced, so a device can
// check a PIN offline without holding the PIN.
package passhash

import (
	"crypto/rand"
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
