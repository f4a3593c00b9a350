package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestOpenEmptyFileMigratesAndReopens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if st.SchemaVersion() != LatestSchemaVersion() || st.SchemaVersion() < 1 {
		t.Fatalf("schema version %d, latest %d", st.SchemaVersion(), LatestSchemaVersion())
	}
	if empty, err := st.IsEmpty(ctx); err != nil || !empty {
		t.Fatalf("new database: empty=%v err=%v", empty, err)
	}
	if _, err := st.Practice(ctx); !errors.Is(err, ErrNoPractice) {
		t.Fatalf("practice of an empty database: %v", err)
	}
	if err := st.SetupPractice(ctx, Practice{ODSCode: "Y99999", Name: "Reopen Surgery"}, DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	var journal string
	if err := st.read.QueryRow("PRAGMA journal_mode").Scan(&journal); err != nil || journal != "wal" {
		t.Errorf("journal mode %q, want wal (%v)", journal, err)
	}
	var fk int
	if err := st.write.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign keys %d, want on (%v)", fk, err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer st.Close()
	p, err := st.Practice(ctx)
	if err != nil || p.Name != "Reopen Surgery" {
		t.Fatalf("after reopen: %+v %v", p, err)
	}
	var applied int
	if err := st.read.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&applied); err != nil || applied != LatestSchemaVersion() {
		t.Fatalf("%d migrations recorded: %v", applied, err)
	}
	// A second practice is refused by the schema.
	if err := st.SetupPractice(ctx, Practice{ODSCode: "Y99998", Name: "Second"}, DefaultSettings()); err == nil {
		t.Fatal("a second practice was accepted")
	}
	if _, err := st.write.Exec("PRAGMA foreign_keys"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.write.Exec("INSERT INTO sessions (clinician_id, day, starts_at, ends_at) VALUES (424242, '2026-01-01', 1, 2)"); err == nil {
		t.Fatal("a session for a missing clinician was accepted: foreign keys are off")
	}
}

func TestReadPoolCannotWrite(t *testing.T) {
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "ro.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.read.Exec("DELETE FROM practice"); err == nil {
		t.Fatal("the read pool accepted a write")
	}
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestNewerSchemaIsRefusedAndUntouched(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "future.db")
	// A file from a future version: rollback journal, schema version +5.
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	future := LatestSchemaVersion() + 5
	for _, q := range []string{"CREATE TABLE future_things (id INTEGER PRIMARY KEY)", fmt.Sprintf("PRAGMA user_version = %d", future)} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	before := fileHash(t, path)

	_, err = Open(ctx, path)
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("want ErrSchemaTooNew, got %v", err)
	}
	for _, want := range []string{strconv.Itoa(future), "newer", "not been changed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not mention %q", err, want)
		}
	}
	if fileHash(t, path) != before {
		t.Fatal("the newer database file was altered")
	}
	if _, err := os.Stat(path + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("opening a newer file switched it to WAL")
	}
}

func TestNotADatabaseIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.db")
	junk := bytes.Repeat([]byte("this is not sqlite "), 100)
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "GP Kiosk database") {
		t.Fatalf("want a clear refusal, got %v", err)
	}
	got, _ := os.ReadFile(path)
	if !bytes.Equal(got, junk) {
		t.Fatal("the file was changed")
	}
}

// Slots made across the spring and autumn clock changes keep their London
// wall-clock times, and each is stored once.
func TestSlotsAcrossClockChanges(t *testing.T) {
	ctx := context.Background()
	for _, week := range []struct {
		name   string
		monday string // the clocks change on the Sunday in the middle of the fortnight
	}{{"spring forward 29 March 2026", "2026-03-23"}, {"fall back 25 October 2026", "2026-10-19"}} {
		t.Run(week.name, func(t *testing.T) {
			monday := mustDate(t, week.monday)
			f := newFixture(t, monday.At(7, 0, london(t)), monday, 14)
			rows, err := f.st.read.QueryContext(ctx, "SELECT starts_at, ends_at FROM slots ORDER BY starts_at")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			perDay := map[Date][]string{}
			seen := map[int64]bool{}
			offsets := map[int]bool{}
			for rows.Next() {
				var s, e int64
				if err := rows.Scan(&s, &e); err != nil {
					t.Fatal(err)
				}
				if seen[s] {
					t.Fatalf("two slots at %s", time.Unix(s, 0).In(f.loc))
				}
				seen[s] = true
				start := time.Unix(s, 0).In(f.loc)
				if e-s != 600 {
					t.Errorf("slot at %s lasts %ds", start, e-s)
				}
				_, off := start.Zone()
				offsets[off] = true
				perDay[DateOf(start, f.loc)] = append(perDay[DateOf(start, f.loc)], start.Format("15:04"))
			}
			if len(offsets) != 2 {
				t.Fatalf("expected slots on both sides of the change, offsets %v", offsets)
			}
			var want []string
			for m := 0; m < 180; m += 10 {
				want = append(want, fmt.Sprintf("%02d:%02d", 9+m/60, m%60))
			}
			working := 0
			for d := range 14 {
				if IsWorkingDay(monday.AddDays(d)) {
					working++
				}
			}
			if len(perDay) != working || working < 9 {
				t.Fatalf("slots on %d days, want the %d working days", len(perDay), working)
			}
			for day, times := range perDay {
				if strings.Join(times, " ") != strings.Join(want, " ") {
					t.Errorf("%s: slots at %v, want %v", day, times, want)
				}
			}
		})
	}
}

func TestDates(t *testing.T) {
	for _, bad := range []string{"2023-02-29", "2026-13-01", "2026-04-31", "2026-00-10", "26-01-01", "", "2026-1-1", "yesterday"} {
		if _, err := ParseDate(bad); !errors.Is(err, ReasonInvalidDate) {
			t.Errorf("ParseDate(%q) = %v, want invalid date", bad, err)
		}
	}
	if _, err := NewDate(2024, time.February, 29); err != nil {
		t.Errorf("29 Feb 2024 exists: %v", err)
	}
	if _, err := NewDate(2026, time.February, 29); !errors.Is(err, ReasonInvalidDate) {
		t.Error("29 Feb 2026 accepted")
	}
	ages := []struct {
		dob, on string
		want    int
	}{
		{"2010-06-10", "2026-06-10", 16},
		{"2010-06-11", "2026-06-10", 15},
		{"2008-02-29", "2024-02-29", 16},
		{"2008-02-29", "2025-02-28", 16}, // not yet 17: a leapling comes of age on 1 March
		{"2008-02-29", "2025-03-01", 17},
		{"1926-01-01", "2026-01-01", 100},
	}
	for _, a := range ages {
		if got := mustDate(t, a.dob).AgeOn(mustDate(t, a.on)); got != a.want {
			t.Errorf("born %s, on %s: age %d, want %d", a.dob, a.on, got, a.want)
		}
	}
	// Surgery day of an instant: 23:30 UTC on 31 May is 00:30 BST on 1 June.
	loc := london(t)
	if got := DateOf(time.Date(2026, 5, 31, 23, 30, 0, 0, time.UTC), loc).String(); got != "2026-06-01" {
		t.Errorf("surgery day %s, want 2026-06-01", got)
	}
	if got := mustDate(t, "2026-10-24").DaysUntil(mustDate(t, "2026-10-26")); got != 2 {
		t.Errorf("days across the autumn change: %d", got)
	}
}

// The crash test re-runs this test binary as a child that books and
// cancels appointments in a loop until it is killed with SIGKILL.
const crashChildEnv = "GPKIOSK_STORE_CRASH_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(crashChildEnv); path != "" {
		os.Exit(crashChild(path))
	}
	os.Exit(m.Run())
}

func crashChild(path string) int {
	ctx := context.Background()
	monday := Date{2026, time.June, 8}
	st, err := Open(ctx, path, WithClock(func() time.Time { return monday.At(7, 0, londonZone()) }))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var slots, patients []int64
	for q, dst := range map[string]*[]int64{"SELECT id FROM slots": &slots, "SELECT id FROM patients": &patients} {
		rows, err := st.read.Query(q)
		if err != nil {
			return 2
		}
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			*dst = append(*dst, id)
		}
		rows.Close()
	}
	fmt.Println("ready")
	for i := 0; ; i++ {
		p := patients[i%len(patients)]
		appt, err := st.BookAppointment(ctx, BookingRequest{SlotID: slots[i%len(slots)], PatientID: p, Channel: ChannelReception, Actor: Actor{Name: "staff:1", Device: "crash"}})
		if err == nil && i%3 == 0 {
			st.CancelAppointment(ctx, CancelRequest{AppointmentID: appt.ID, Channel: ChannelReception, Actor: Actor{Name: "staff:1", Device: "crash"}})
		}
	}
}

func TestKilledMidWriteLeavesConsistentDatabase(t *testing.T) {
	ctx := context.Background()
	monday := mustDate(t, "2026-06-08")
	f := newFixture(t, monday.At(7, 0, london(t)), monday, 5)
	for i, nine := range syntheticNines(20) {
		f.addPatient(t, fmt.Sprintf("C%d", i), nine, "1960-01-01")
	}
	path := f.path
	f.st.Close()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for run := range 8 {
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 6)
		if _, err := out.Read(buf); err != nil || string(buf) != "ready\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("run %d: child did not start: %q %v", run, buf, err)
		}
		time.Sleep(time.Duration(20+rng.IntN(200)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()

		st, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("run %d: reopen after SIGKILL: %v", run, err)
		}
		if err := st.IntegrityCheck(ctx); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if _, err := st.VerifyAuditChain(ctx); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		// Every booking and cancellation committed with its audit event, or
		// neither did.
		var books, cancels, bookEvents, cancelEvents, doubled int
		q := []struct {
			sql string
			dst *int
		}{
			{"SELECT count(*) FROM appointments", &books},
			{"SELECT count(*) FROM appointments WHERE status = 'cancelled'", &cancels},
			{"SELECT count(*) FROM audit_events WHERE action = 'appointment.book'", &bookEvents},
			{"SELECT count(*) FROM audit_events WHERE action = 'appointment.cancel'", &cancelEvents},
			{"SELECT count(*) FROM (SELECT slot_id FROM appointments WHERE status <> 'cancelled' GROUP BY slot_id HAVING count(*) > 1)", &doubled},
		}
		for _, c := range q {
			if err := st.read.QueryRow(c.sql).Scan(c.dst); err != nil {
				t.Fatal(err)
			}
		}
		if books != bookEvents || cancels != cancelEvents || doubled != 0 {
			t.Fatalf("run %d: %d bookings/%d events, %d cancellations/%d events, %d double-booked slots",
				run, books, bookEvents, cancels, cancelEvents, doubled)
		}
		if run == 7 && books == 0 {
			t.Fatal("the child never committed a booking; the test proved nothing")
		}
		st.Close()
	}
}
