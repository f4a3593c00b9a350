// Package sync holds the wire types shared by the practice server
// (sync/server) and the devices (sync/client). It imports nothing from
// either end so both can depend on it.
package sync

// APIVersion is the path prefix of every versioned endpoint. A breaking
// change to any body gets a new prefix; the old one keeps working until no
// enrolled device uses it.
const APIVersion = "/v1"

// PracticeInfo is the public description of the practice, served to any
// device (enrolled or not) so that an unenrolled device can show which
// practice it is talking to.
type PracticeInfo struct {
	Name     string `json:"name"`
	ODSCode  string `json:"odsCode"`
	Address  string `json:"address"`
	Postcode string `json:"postcode"`
	Phone    string `json:"phone"`
	// SchemaVersion is the server's database schema version, for support.
	SchemaVersion int `json:"schemaVersion"`
}

// Health is the body of GET /healthz.
type Health struct {
	Status        string `json:"status"` // "ok" or "unavailable"
	SchemaVersion int    `json:"schemaVersion"`
}

// Error is the body of every 4xx and 5xx answer: a stable machine-readable
// code and a plain-English message a device may show.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Kind and Results come only with CodeQuotaExceeded, the 429 answer to
	// a push that reached an op whose kind the device has used its quota
	// of: Kind is that op's kind, held until Retry-After, and Results are
	// the results of the ops before it, in order (that op and the ones
	// after it were not looked at).
	Kind    string     `json:"kind,omitempty"`
	Results []OpResult `json:"results,omitempty"`
}

// Codes of Error a device acts on beyond its status.
const (
	// CodeRateLimited (429): too many requests; wait at least Retry-After
	// before sending anything.
	CodeRateLimited = "rate_limited"
	// CodeQuotaExceeded (429, POST /v1/ops only): ops of Error.Kind are
	// held until Retry-After; keep them and send the others.
	CodeQuotaExceeded = "quota_exceeded"
)
