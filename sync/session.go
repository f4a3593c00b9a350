package sync

import (
	"bytes"
	"regexp"
	"strconv"
	"time"
)

// StaffSessionsPath is where a desktop signs a member of staff in online
// (POST) and out (DELETE StaffSessionsPath + "/" + session ID).
const StaffSessionsPath = APIVersion + "/staff/sessions"

// StaffSessionRequest signs a member of staff in online. Proof is the MAC
// (EncodeProof) of StaffSignInInput under the key of the password they
// typed, which the desktop works out from its sign-in check; the password
// itself never travels. Nonce is fresh random base64url, used once.
type StaffSessionRequest struct {
	StaffID int64     `json:"staffId"`
	At      time.Time `json:"at"`
	Nonce   string    `json:"nonce"`
	Proof   string    `json:"proof"`
}

// StaffSessionResponse is a started session. Key (base64url, 32 bytes)
// signs the member of staff's ops, each naming SessionID in Op.Session,
// until they sign out or ExpiresAt.
type StaffSessionResponse struct {
	SessionID string    `json:"sessionId"`
	Key       string    `json:"key"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// staffSignInDomain starts a sign-in's signing input, so a sign-in's MAC
// is never valid as an op's, nor the other way round.
const staffSignInDomain = "gpkiosk-staff-sign-in-v1"

// StaffSignInInput is the exact text a sign-in's Proof covers: the device,
// the member of staff, the time (UTC, RFC 3339 with nanoseconds) and the
// nonce, separated by U+001F.
func StaffSignInInput(deviceID string, staffID int64, at time.Time, nonce string) []byte {
	var b bytes.Buffer
	for _, part := range []string{staffSignInDomain, deviceID, strconv.FormatInt(staffID, 10), at.UTC().Format(time.RFC3339Nano), nonce} {
		b.WriteString(part)
		b.WriteByte(0x1f)
	}
	return b.Bytes()
}

// SessionIDPattern is the shape of a session ID and of a nonce: base64url,
// 16 to 64 characters.
var SessionIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)
