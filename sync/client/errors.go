package client

import (
	"errors"
	"net/http"
	"time"

	gpsync "gpkiosk/sync"
)

// ErrCertMismatch means the server showed a certificate other than the one
// pinned at enrolment: a replaced server, or someone in between. Nothing
// was sent. Not retried quickly: only the practice manager can fix it.
var ErrCertMismatch = errors.New("the practice server's certificate is not the one this device was set up with")

// ErrUntrustedCert means an https server's certificate failed the normal
// checks (no pin was given): unknown issuer, wrong name or expired.
var ErrUntrustedCert = errors.New("the practice server's certificate is not trusted")

// Error codes from docs/sync-protocol.md that a device acts on; compare
// them with ServerError.Code.
const (
	CodeBadRequest    = "bad_request"
	CodeUnknownOpKind = "unknown_op_kind"
	CodeInvalidCode   = "invalid_code"   // 400 on Enrol: ask for a new code
	CodeUnauthorized  = "unauthorized"   // 401: token unknown; re-enrol
	CodeDeviceRevoked = "device_revoked" // 401: stop syncing, show the message
	CodeWrongRole     = "wrong_role"
	CodeCursorAhead   = "cursor_ahead" // 409: discard the replica, pull from 0
	// CodeCursorExpired (409, asked with snapshots=1): away too long;
	// discard the replica and pull a snapshot from 0.
	CodeCursorExpired = gpsync.CodeCursorExpired
	CodeBadCursor     = "bad_cursor" // 400: a cursor, page size or snapshot token the server will not take
	CodeTooLarge      = "too_large"
	CodeRateLimited   = gpsync.CodeRateLimited   // 429: wait at least Retry-After
	CodeQuotaExceeded = gpsync.CodeQuotaExceeded // 429 on a push: hold ServerError.Kind until Retry-After, send the rest
	CodeInternal      = "internal"
	CodeUnavailable   = "unavailable"
)

// IsRetryable reports whether trying the same request again later may
// succeed: no answer at all, 429, or a 5xx. Other 4xx answers will be the
// same next time.
func IsRetryable(err error) bool {
	if errors.Is(err, ErrUnreachable) {
		return true
	}
	var se *ServerError
	return errors.As(err, &se) && (se.StatusCode == http.StatusTooManyRequests || se.StatusCode >= 500)
}

// RetryAfter is how long a 429 or 503 asked the device to wait, or 0.
func RetryAfter(err error) time.Duration {
	var se *ServerError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	return 0
}

// IsRevoked reports whether the server no longer accepts this device's
// token (401: device_revoked or unauthorized). The device must stop
// syncing until it is enrolled again.
func IsRevoked(err error) bool {
	var se *ServerError
	return errors.As(err, &se) && se.StatusCode == http.StatusUnauthorized
}

// HasCode reports whether err is a ServerError with this protocol code.
func HasCode(err error, code string) bool {
	var se *ServerError
	return errors.As(err, &se) && se.Code == code
}
