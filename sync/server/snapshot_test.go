package server

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"testing"

	gpsync "gpkiosk/sync"
)

// Issue 17: a device pulling from 0 gets a snapshot of what it may hold,
// not the whole change log.

// snapshotPull pulls a snapshot and then the log to its end, as a device
// that takes snapshots does, and returns the changes and the pages.
func (p *practice) snapshotPull(t *testing.T, token string, limit int) ([]gpsync.Change, int) {
	t.Helper()
	var all []gpsync.Change
	cursor, snap, pages := int64(0), "", 0
	for {
		q := url.Values{"after": {fmt.Sprint(cursor)}, "limit": {fmt.Sprint(limit)}, gpsync.FeedSnapshots: {"1"}}
		if snap != "" {
			q.Set(gpsync.FeedSnapshot, snap)
		}
		if pages > 0 {
			q.Set(gpsync.FeedContinued, "1")
		}
		r := p.do(t, "GET", "/v1/changes?"+q.Encode(), token, nil)
		if r.status != 200 {
			t.Fatalf("page %d: %d %s", pages, r.status, r.body)
		}
		var page gpsync.ChangesResponse
		if err := json.Unmarshal(r.body, &page); err != nil {
			t.Fatal(err)
		}
		if len(page.Changes) > limit {
			t.Fatalf("page of %d changes, limit %d", len(page.Changes), limit)
		}
		all = append(all, page.Changes...)
		cursor, snap = page.Cursor, page.Snapshot
		pages++
		if !page.More && snap == "" {
			return all, pages
		}
	}
}

// newest is each row's newest state after applying changes in order; a
// deletion removes the row.
func newest(changes []gpsync.Change) map[string]map[int64]string {
	out := map[string]map[int64]string{}
	for _, c := range changes {
		if out[c.Entity] == nil {
			out[c.Entity] = map[int64]string{}
		}
		if c.Deleted {
			delete(out[c.Entity], c.ID)
			continue
		}
		out[c.Entity][c.ID] = string(c.Data)
	}
	for e, rows := range out {
		if len(rows) == 0 {
			delete(out, e)
		}
	}
	return out
}

// A kiosk's and a desktop's snapshot hold exactly what replaying the whole
// log leaves them with, without a single deletion or anything a kiosk may
// not hold, parents before children.
func TestSnapshotHoldsWhatTheLogLeaves(t *testing.T) {
	p := newPractice(t, WithRateLimits(1e6, 1e6, 1e6, 1e6))
	for _, role := range []string{"kiosk", "desktop"} {
		t.Run(role, func(t *testing.T) {
			d := p.enrol(t, role)
			replayed := newest(p.pullAll(t, d.Token, 100))
			snap, pages := p.snapshotPull(t, d.Token, 100)
			if pages < 3 {
				t.Fatalf("the snapshot came in %d pages; the test needs several", pages)
			}
			rank := map[string]int{}
			for i, e := range []string{gpsync.EntitySettings, gpsync.EntityClinician, gpsync.EntitySlotType, gpsync.EntitySlot, gpsync.EntityPatient,
				gpsync.EntityAppointment, gpsync.EntityRepeatItem, gpsync.EntityRepeatRequest, gpsync.EntityStaff, gpsync.EntityRegistration,
				gpsync.EntityProxy, gpsync.EntityHelpRequest, gpsync.EntityProblemReport} {
				rank[e] = i
			}
			last := -1
			for _, c := range snap {
				if c.Deleted {
					t.Fatalf("a snapshot sent a deletion: %s %d", c.Entity, c.ID)
				}
				if rank[c.Entity] < last {
					t.Fatalf("%s %d came after a later entity type", c.Entity, c.ID)
				}
				last = rank[c.Entity]
				if role == "kiosk" && (c.Entity == gpsync.EntityStaff || c.Entity == gpsync.EntityRegistration) {
					t.Fatalf("a kiosk's snapshot has a %s", c.Entity)
				}
			}
			got := newest(snap)
			if !reflect.DeepEqual(got, replayed) {
				for e := range replayed {
					if !reflect.DeepEqual(got[e], replayed[e]) {
						t.Errorf("%s: snapshot %d rows, log %d rows", e, len(got[e]), len(replayed[e]))
					}
				}
				t.Fatal("the snapshot and the log disagree")
			}
			if role == "kiosk" {
				for _, id := range p.kioskPts {
					if _, ok := got[gpsync.EntityPatient][id]; !ok {
						t.Errorf("patient %d, registered for the kiosk, is not in its snapshot", id)
					}
				}
				if n := len(got[gpsync.EntityPatient]); n >= 60 {
					t.Fatalf("a kiosk's snapshot has %d of the practice's 120 patients", n)
				}
			}
		})
	}
}

// The later pages of a pull draw on their own budget: a first sync of
// many pages is not held up by the limit meant for a device gone wrong,
// and that budget is a limit too, which does not lend to other requests.
func TestSnapshotPagesHaveTheirOwnBoundedBudget(t *testing.T) {
	// The clock stands still: no budget refills during the test.
	p := newPractice(t, WithRateLimits(1, 5, 1, 5), WithPageLimit(1, 40))
	d := p.enrol(t, "desktop")
	get := func(q url.Values) reply { return p.do(t, "GET", "/v1/changes?"+q.Encode(), d.Token, nil) }
	r := get(url.Values{"after": {"0"}, "limit": {"1"}, gpsync.FeedSnapshots: {"1"}})
	if r.status != 200 {
		t.Fatalf("first page: %d %s", r.status, r.body)
	}
	var page gpsync.ChangesResponse
	if err := json.Unmarshal(r.body, &page); err != nil || page.Snapshot == "" {
		t.Fatalf("first page of a one-row snapshot page: %+v %v", page, err)
	}
	for i := range 40 {
		r = get(url.Values{"after": {fmt.Sprint(page.Cursor)}, "limit": {"1"}, gpsync.FeedSnapshots: {"1"}, gpsync.FeedSnapshot: {page.Snapshot}})
		if r.status != 200 {
			t.Fatalf("snapshot page %d, well past the device limit's burst of 5: %d %s", i+2, r.status, r.body)
		}
		if err := json.Unmarshal(r.body, &page); err != nil || page.Snapshot == "" {
			t.Fatalf("page %d: %+v %v", i+2, page, err)
		}
	}
	r = get(url.Values{"after": {fmt.Sprint(page.Cursor)}, "limit": {"1"}, gpsync.FeedSnapshots: {"1"}, gpsync.FeedSnapshot: {page.Snapshot}})
	if r.status != 429 || r.code(t) != gpsync.CodeRateLimited {
		t.Fatalf("page 42, past the page budget's burst of 40: %d %s", r.status, r.body)
	}
	// continued=1 draws on the same page budget, now spent.
	if r = get(url.Values{"after": {"0"}, "limit": {"1"}, gpsync.FeedContinued: {"1"}}); r.status != 429 {
		t.Fatalf("a continued page with the page budget spent: %d", r.status)
	}
	// The device's own budget is untouched by all that: four more of its
	// burst of five, then the limit.
	for i := range 4 {
		if r = get(url.Values{"after": {"0"}, "limit": {"1"}}); r.status != 200 {
			t.Fatalf("ordinary request %d: %d %s", i+2, r.status, r.body)
		}
	}
	if r = get(url.Values{"after": {"0"}, "limit": {"1"}}); r.status != 429 {
		t.Fatalf("sixth ordinary request: %d", r.status)
	}
}

// A snapshot token the server would not have sent is refused in plain
// words, and one from a later server than this (restored from a backup) is
// cursor_ahead, so the device starts again.
func TestBadSnapshotTokensAreRefused(t *testing.T) {
	p := newPractice(t, WithRateLimits(1e6, 1e6, 1e6, 1e6))
	d := p.enrol(t, "kiosk")
	r := p.do(t, "GET", "/v1/changes?after=0&limit=5&snapshots=1", d.Token, nil)
	var page gpsync.ChangesResponse
	if err := json.Unmarshal(r.body, &page); err != nil || page.Snapshot == "" {
		t.Fatalf("first page: %d %s", r.status, r.body)
	}
	for _, tc := range []struct {
		after       int64
		token, code string
		status      int
	}{
		{page.Cursor, "rubbish", "bad_cursor", 400},
		{page.Cursor, "1.2", "bad_cursor", 400},
		{page.Cursor, fmt.Sprintf("%d.99.0", page.Cursor), "bad_cursor", 400},
		{page.Cursor, fmt.Sprintf("%d.-1.0", page.Cursor), "bad_cursor", 400},
		{page.Cursor, fmt.Sprintf("%d.1.-5", page.Cursor), "bad_cursor", 400},
		{page.Cursor, fmt.Sprintf("0%d.1.0", page.Cursor), "bad_cursor", 400},
		{page.Cursor + 1, page.Snapshot, "bad_cursor", 400}, // does not match after
		{page.Cursor, string(make([]byte, 100)), "bad_cursor", 400},
		{page.Cursor + 50, fmt.Sprintf("%d.1.0", page.Cursor+50), "cursor_ahead", 409},
	} {
		q := url.Values{"after": {fmt.Sprint(tc.after)}, "limit": {"5"}, gpsync.FeedSnapshots: {"1"}, gpsync.FeedSnapshot: {tc.token}}
		r := p.do(t, "GET", "/v1/changes?"+q.Encode(), d.Token, nil)
		if r.status != tc.status || r.code(t) != tc.code {
			t.Errorf("token %q after %d: %d %s, want %d %s", tc.token, tc.after, r.status, r.body, tc.status, tc.code)
		}
	}
	// The good token still works after all that.
	q := url.Values{"after": {fmt.Sprint(page.Cursor)}, "limit": {"5"}, gpsync.FeedSnapshots: {"1"}, gpsync.FeedSnapshot: {page.Snapshot}}
	if r := p.do(t, "GET", "/v1/changes?"+q.Encode(), d.Token, nil); r.status != 200 {
		t.Fatalf("the good token: %d %s", r.status, r.body)
	}
}
