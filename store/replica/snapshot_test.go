package replica

import (
	"context"
	"testing"

	gpsync "gpkiosk/sync"
)

// indexCount is how many indexes the replica file has.
func (f *fixture) indexCount(t *testing.T) int {
	t.Helper()
	var n int
	if err := f.r.read.QueryRow("SELECT count(*) FROM sqlite_master WHERE type = 'index'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A snapshot into an empty replica stores its token with each page (so a
// cut-off sync resumes), drops the search indexes until its last page
// builds them again, and a resync part way puts them back too.
func TestSnapshotPagesKeepTheTokenAndDeferIndexes(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleDesktop)
	if err := f.r.ResetForResync(ctx); err != nil {
		t.Fatal(err)
	}
	full := f.indexCount(t)
	page := func(token string, cs ...gpsync.Change) gpsync.ChangesResponse {
		for i := range cs {
			cs[i].Seq = 500
		}
		return gpsync.ChangesResponse{Changes: cs, Cursor: 500, More: token != "", Snapshot: token}
	}
	for round := range 2 {
		if err := f.r.ApplyChanges(ctx, page("500.4.7", change(gpsync.EntityPatient, 7, patient("Ann", true)))); err != nil {
			t.Fatal(err)
		}
		if cursor, token, err := f.r.FeedPosition(ctx); err != nil || cursor != 500 || token != "500.4.7" {
			t.Fatalf("position %d %q %v", cursor, token, err)
		}
		if n := f.indexCount(t); n >= full {
			t.Fatalf("%d indexes during a snapshot, %d before", n, full)
		}
		if round == 0 {
			// The server was restored from a backup part way.
			if err := f.r.ResetForResync(ctx); err != nil {
				t.Fatal(err)
			}
		} else if err := f.r.ApplyChanges(ctx, page("", change(gpsync.EntityPatient, 8, patient("Ben", true)))); err != nil {
			t.Fatal(err)
		}
		if n := f.indexCount(t); n != full {
			t.Fatalf("round %d: %d indexes after, want %d", round, n, full)
		}
	}
	if cursor, token, err := f.r.FeedPosition(ctx); err != nil || cursor != 500 || token != "" {
		t.Fatalf("position after the snapshot %d %q %v", cursor, token, err)
	}
	if n := f.count("patients"); n != 2 {
		t.Fatalf("%d patients, want the snapshot's 2", n)
	}
}
