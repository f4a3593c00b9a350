package client

import (
	"encoding/json"
	"testing"

	gpsync "gpkiosk/sync"
)

// A snapshot's pages are checked by their own rules: every change at the
// page's cursor, and the token moving on; a page that breaks them would
// corrupt the replica or page for ever, so it is refused.
func TestCheckPageSnapshotRules(t *testing.T) {
	row := func(seq int64) gpsync.Change {
		return gpsync.Change{Seq: seq, Entity: gpsync.EntitySlot, ID: 1, Data: json.RawMessage(`{}`)}
	}
	for _, tc := range []struct {
		name  string
		after int64
		token string
		page  gpsync.ChangesResponse
		ok    bool
	}{
		{"first snapshot page", 0, "", gpsync.ChangesResponse{Changes: []gpsync.Change{row(90)}, Cursor: 90, More: true, Snapshot: "90.3.1"}, true},
		{"later snapshot page", 90, "90.3.1", gpsync.ChangesResponse{Changes: []gpsync.Change{row(90)}, Cursor: 90, More: true, Snapshot: "90.3.2"}, true},
		{"last snapshot page", 90, "90.3.2", gpsync.ChangesResponse{Changes: []gpsync.Change{row(90)}, Cursor: 90}, true},
		{"token did not move", 90, "90.3.1", gpsync.ChangesResponse{Changes: []gpsync.Change{row(90)}, Cursor: 90, More: true, Snapshot: "90.3.1"}, false},
		{"change off the cursor", 90, "90.3.1", gpsync.ChangesResponse{Changes: []gpsync.Change{row(91)}, Cursor: 90, More: true, Snapshot: "90.3.2"}, false},
		{"cursor went back", 90, "90.3.1", gpsync.ChangesResponse{Cursor: 80, More: true, Snapshot: "80.3.2"}, false},
		{"log page, cursor stuck", 90, "", gpsync.ChangesResponse{Cursor: 90, More: true}, false},
		{"log page", 90, "", gpsync.ChangesResponse{Changes: []gpsync.Change{row(95)}, Cursor: 97}, true},
	} {
		if err := checkPage(tc.after, tc.token, tc.page); (err == nil) != tc.ok {
			t.Errorf("%s: %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}
