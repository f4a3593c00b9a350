package replica

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

func TestOpenMigratesAndReopens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "replica.db")
	r, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var journal string
	var fk, version, appID int
	if err := r.read.QueryRow("PRAGMA journal_mode").Scan(&journal); err != nil || journal != "wal" {
		t.Errorf("journal mode %q, want wal (%v)", journal, err)
	}
	if err := r.write.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign keys %d, want on (%v)", fk, err)
	}
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.read.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != len(ms) || version < 2 {
		t.Errorf("user_version %d, want %d (%v)", version, len(ms), err)
	}
	if err := r.read.QueryRow("PRAGMA application_id").Scan(&appID); err != nil || appID != applicationID {
		t.Errorf("application_id %#x (%v)", appID, err)
	}
	if _, err := r.read.Exec("DELETE FROM outbox"); err == nil {
		t.Error("the read pool could write")
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v (%v), want 0600: it holds the device token", fi.Mode().Perm(), err)
	}
	if _, err := r.Enrolment(ctx); !errors.Is(err, ErrNotEnrolled) {
		t.Fatalf("enrolment of a new replica: %v", err)
	}
	if c, err := r.Cursor(ctx); err != nil || c != 0 {
		t.Fatalf("cursor %d, %v", c, err)
	}
	if err := r.SaveEnrolment(ctx, Enrolment{DeviceID: "dev_1", Role: "manager", Token: "t", ServerURL: "http://x"}); err == nil {
		t.Fatal("an unknown role was saved")
	}
	want := Enrolment{DeviceID: "dev_1", Role: gpsync.RoleKiosk, Token: "t", ServerURL: "https://x:8400", CertPin: "sha256:ab"}
	if err := r.SaveEnrolment(ctx, want); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer r.Close()
	if got, err := r.Enrolment(ctx); err != nil || got != want {
		t.Fatalf("enrolment after reopen %+v, %v", got, err)
	}
}

func TestNewerSchemaRefusedAndFileUntouched(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "replica.db")
	r, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.write.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, path); !errors.Is(err, store.ErrSchemaTooNew) {
		t.Fatalf("opening a newer schema: %v", err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatal("the refused file was changed")
	}
}

func TestOtherDatabaseRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "practice.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE patients (id INTEGER PRIMARY KEY); PRAGMA user_version = 1"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, path); !errors.Is(err, ErrNotReplica) {
		t.Fatalf("opening the practice database as a replica: %v", err)
	}
	text := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(text, []byte("not a database at all, just some words"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, text); err == nil {
		t.Fatal("a text file opened as a replica")
	}
}

// A kiosk killed mid-session: its files are copied as they are, without
// Close or a checkpoint, and the copy opened as a new process would.
func TestCrashLosesNothing(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	b := f.book(alice, slotFree, dobAlice)
	if _, err := f.r.OrderRepeats(ctx, alice, []int64{itemStatin}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.r.AskForHelp(ctx, "wheelchair"); err != nil {
		t.Fatal(err)
	}
	wantOps := f.pending()
	wantCounts := f.counts()

	crashed := filepath.Join(t.TempDir(), "crashed.db")
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(f.path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(crashed+suffix, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Open(ctx, crashed, WithClock(f.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f2 := &fixture{t: t, r: r, clock: f.clock, device: f.device}
	if got := f2.counts(); !maps.Equal(got, wantCounts) {
		t.Fatalf("after the crash %v, before %v", got, wantCounts)
	}
	if got := f2.pending(); !slices.EqualFunc(got, wantOps, opsEqual) {
		t.Fatalf("outbox after the crash %v, before %v", got, wantOps)
	}
	as := f2.appointments(alice)
	if !slices.ContainsFunc(as, func(a Appointment) bool { return a.Ref == b.Ref && a.State == StateProvisional }) {
		t.Fatalf("the booking made before the crash is gone: %+v", as)
	}
	if c, err := r.Cursor(ctx); err != nil || c != f.cursor {
		t.Fatalf("cursor %d (%v), want %d", c, err, f.cursor)
	}
}

func TestOutboxOrderSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	var want []string
	want = append(want, f.book(alice, slotFree, dobAlice).OpID)
	id, err := f.r.ReportProblem(ctx, "screen", "The screen flickers.")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, id)
	req, err := f.r.OrderRepeats(ctx, alice, []int64{itemStatin, itemMetformin}, "")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, req.OpID)
	want = append(want, f.book(una, slotFree2, dobUna).OpID)
	f.clock.Advance(-time.Hour) // a clock set back must not reorder the outbox
	id, err = f.r.AskForHelp(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, id)

	f.reopen()
	var got []string
	for _, op := range f.pending() {
		got = append(got, op.ID)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("outbox after reopen %v, want %v", got, want)
	}
	if n, err := f.r.PendingCount(ctx); err != nil || n != len(want) {
		t.Fatalf("pending count %d (%v)", n, err)
	}
	// limit takes the oldest.
	ops, err := f.r.PendingOps(ctx, 2)
	if err != nil || len(ops) != 2 || ops[0].ID != want[0] || ops[1].ID != want[1] {
		t.Fatalf("first two: %v %v", ops, err)
	}
}

func opsEqual(a, b gpsync.Op) bool {
	return a.ID == b.ID && a.Kind == b.Kind && a.CreatedAt.Equal(b.CreatedAt) && bytes.Equal(a.Payload, b.Payload)
}

// A kiosk upgraded from schema 5 held verifiers hashed over the account ID
// as printed (v1), which no typed form can match now. The upgrade drops
// them and pulls everything again, and the next pull's verifiers sign the
// letter in typed without its hyphens.
func TestUpgradeDropsOldVerifiersAndPullsAgain(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	const printed = "RAYW-7M4V-FRAD"
	v1 := sha256.Sum256([]byte("gpkiosk-kiosk-v1\x1f" + printed + "\x1f" + dobUna.String()))
	// Put the file back as schema 5 left it: without 0007's tables and
	// columns, with an expires_at column, a v1 verifier, and a cursor part
	// way through the feed.
	for _, q := range []string{
		"DROP VIEW desk_request_items", "DROP VIEW desk_alerts", "DROP TABLE alerts", "DROP TABLE local_decisions", "DROP TABLE local_handouts", "DROP TABLE local_outcomes",
		"DROP TABLE local_alert_actions", "DROP TABLE local_outcomes_seen",
		"ALTER TABLE settings DROP COLUMN clinicians_handle_alerts", "ALTER TABLE appointments DROP COLUMN status_changed_at",
		"ALTER TABLE repeat_requests DROP COLUMN handed_out", "ALTER TABLE repeat_requests DROP COLUMN outcome_seen",
		"ALTER TABLE repeat_requests DROP COLUMN requested_at", "ALTER TABLE repeat_requests DROP COLUMN channel",
		"ALTER TABLE repeat_requests DROP COLUMN note", "ALTER TABLE repeat_requests DROP COLUMN handed_out_at",
		"ALTER TABLE repeat_request_items DROP COLUMN reason_code", "ALTER TABLE repeat_request_items DROP COLUMN decided_by",
		"ALTER TABLE repeat_request_items DROP COLUMN decided_at", "ALTER TABLE outbox DROP COLUMN proof", "ALTER TABLE outbox DROP COLUMN session",
		"ALTER TABLE attention DROP COLUMN code", "ALTER TABLE attention DROP COLUMN args",
		"ALTER TABLE settings DROP COLUMN daily_release_minutes", "ALTER TABLE settings DROP COLUMN kiosk_idle_seconds",
		"ALTER TABLE settings DROP COLUMN kiosk_idle_warning_seconds", "ALTER TABLE settings DROP COLUMN staff_idle_minutes",
		"ALTER TABLE settings DROP COLUMN read_aloud_default", "ALTER TABLE sync_state DROP COLUMN snapshot", "DROP TABLE deferred_indexes",
		"ALTER TABLE kiosk_verifiers ADD COLUMN expires_at INTEGER",
		fmt.Sprintf("INSERT INTO kiosk_verifiers (verifier, patient_id, expires_at) VALUES ('%s', %d, %d)", hex.EncodeToString(v1[:]), una, testNow.Add(-time.Hour).Unix()),
		"UPDATE sync_state SET cursor = 4242 WHERE id = 1",
		"PRAGMA user_version = 5",
	} {
		if _, err := f.r.write.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	f.reopen()
	if c, err := f.r.Cursor(ctx); err != nil || c != 0 {
		t.Fatalf("cursor after the upgrade %d (%v), want 0: everything is pulled again", c, err)
	}
	if n := f.count("kiosk_verifiers"); n != 0 {
		t.Fatalf("%d verifiers kept from before the upgrade", n)
	}
	f.cursor = 0
	f.apply(change(gpsync.EntityPatient, una, patient("Una", false, store.KioskVerifier(printed, dobUna))))
	if p, err := f.r.SignIn(ctx, "RAYW7M4VFRAD", dobUna); err != nil || p.ID != una {
		t.Fatalf("after the pull: %+v %v", p, err)
	}
}
