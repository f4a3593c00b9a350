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
	// CodeCursorExpired (409, GET /v1/changes with snapshots=1 only): the
	// device's cursor is below the change log's compaction floor (it was
	// away too long); drop the replica (keep the outbox) and pull a
	// snapshot from 0.
	CodeCursorExpired = "cursor_expired"
)

// Query parameters of GET /v1/changes beyond after, limit and wait, added
// in issue 17; a server that predates them ignores them, and a device that
// sends none gets the change log as before.
const (
	// FeedSnapshots=1 says the device can take a snapshot: from after=0
	// it is sent only the current rows it may hold, in parent-before-child
	// order, over pages carrying ChangesResponse.Snapshot, and then the
	// log from the snapshot's cursor; every change of a snapshot page has
	// Seq equal to the page's Cursor. Below the compaction floor it gets
	// CodeCursorExpired.
	FeedSnapshots = "snapshots"
	// FeedSnapshot continues a snapshot: ChangesResponse.Snapshot of the
	// page before, with after its Cursor.
	FeedSnapshot = "snapshot"
	// FeedContinued=1 marks the second and later pages of one pull: the
	// server does its upkeep on the first page only, and these pages draw
	// on a larger per-device request budget than other requests.
	FeedContinued = "continued"
)
