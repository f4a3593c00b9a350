package sync

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// signingDomain starts every op's signing input, so a MAC made for an op
// is never valid as anything else.
const signingDomain = "gpkiosk-op-v1"

// SigningInput is the exact text an op's Proof covers: the device it is
// sent from, its ID (lower case), kind, time (UTC, RFC 3339 with
// nanoseconds), staff ID and compacted payload, separated by U+001F. The
// device makes it when the op is made; the server makes it again from
// what arrives. Any change to any of them breaks the proof.
func SigningInput(deviceID string, op Op) ([]byte, error) {
	var b bytes.Buffer
	for _, part := range []string{signingDomain, deviceID, strings.ToLower(op.ID), op.Kind,
		op.CreatedAt.UTC().Format(time.RFC3339Nano), strconv.FormatInt(op.StaffID, 10)} {
		b.WriteString(part)
		b.WriteByte(0x1f)
	}
	if err := json.Compact(&b, op.Payload); err != nil {
		return nil, fmt.Errorf("op signing input: payload: %w", err)
	}
	return b.Bytes(), nil
}

// EncodeProof is how a MAC travels in Op.Proof.
func EncodeProof(mac []byte) string { return base64.RawURLEncoding.EncodeToString(mac) }

// DecodeProof reads an op's Proof; "" is no proof.
func DecodeProof(proof string) ([]byte, error) {
	if proof == "" {
		return nil, nil
	}
	mac, err := base64.RawURLEncoding.DecodeString(proof)
	if err != nil || len(mac) != sha256.Size {
		return nil, fmt.Errorf("op proof is not 43 characters of base64url")
	}
	return mac, nil
}
