package demo

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/passhash"
)

// testStart is a Monday whose next three weeks hold the spring clock
// change (Sunday 29 March 2026), Good Friday (3 April) and Easter Monday
// (6 April).
func testStart() store.Date { return store.Date{Year: 2026, Month: time.March, Day: 23} }

func london(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// openStore opens a new database file whose clock stands still at 07:30
// on opts.Start, so store-stamped times are the same in every run.
func openStore(t testing.TB, path string, start store.Date) *store.Store {
	t.Helper()
	now := start.At(7, 30, london(t))
	st, err := store.Open(context.Background(), path, store.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// readOnly opens the file the way an inspector would, beside the store.
func readOnly(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t testing.TB, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func smallOptions() Options {
	return Options{Seed: 7, Patients: 300, Weeks: 3, Start: testStart()}
}

func generate(t testing.TB, path string, opts Options) (*store.Store, Summary) {
	t.Helper()
	st := openStore(t, path, opts.Start)
	sum, err := Generate(context.Background(), st, opts)
	if err != nil {
		t.Fatal(err)
	}
	return st, sum
}

// dataTables are the tables Generate fills through the Loader.
func dataTables() []string {
	return []string{"clinicians", "slot_types", "sessions", "slots", "patients", "repeat_medications"}
}

func TestGenerateCountsAndRows(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	opts := smallOptions()
	st, sum := generate(t, path, opts)
	db := readOnly(t, path)

	if sum.Patients != opts.Patients || sum.Clinicians != 6 || sum.SlotTypes == 0 || sum.Sessions == 0 ||
		sum.Slots == 0 || sum.RepeatItems == 0 {
		t.Fatalf("summary %+v", sum)
	}
	want := map[string]int{"clinicians": sum.Clinicians, "slot_types": sum.SlotTypes, "sessions": sum.Sessions,
		"slots": sum.Slots, "patients": sum.Patients, "repeat_medications": sum.RepeatItems}
	for table, n := range want {
		if got := count(t, db, "SELECT count(*) FROM "+table); got != n {
			t.Errorf("%s: %d rows, summary says %d", table, got, n)
		}
	}
	if sum.Rows() != sum.Clinicians+sum.SlotTypes+sum.Sessions+sum.Slots+sum.Patients+sum.RepeatItems {
		t.Errorf("Rows() = %d", sum.Rows())
	}

	if empty, err := st.IsEmpty(ctx); err != nil || empty {
		t.Fatalf("IsEmpty = %v, %v after generating", empty, err)
	}
	p, err := st.Practice(ctx)
	if err != nil || p != Practice() || !strings.Contains(p.Name, "demo") {
		t.Errorf("practice %+v, %v", p, err)
	}
	if s, err := st.Settings(ctx); err != nil || s != store.DefaultSettings() {
		t.Errorf("settings %+v, %v", s, err)
	}
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	if _, err := st.VerifyAuditChain(ctx); err != nil {
		t.Error(err)
	}
	// The GP not bookable online: her slots exist but are never offered online.
	if n := count(t, db, `SELECT count(*) FROM slots sl JOIN sessions se ON se.id = sl.session_id
		JOIN clinicians c ON c.id = se.clinician_id WHERE c.online_bookable = 0`); n == 0 {
		t.Error("no slots for the clinician who is not bookable online")
	}
}

func TestGenerateSlots(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	opts := smallOptions()
	generate(t, path, opts)
	db := readOnly(t, path)
	loc := london(t)

	rows, err := db.Query(`SELECT se.day, sl.starts_at, sl.ends_at, sl.online_bookable, sl.release_at, sl.channel,
		st.urgent, st.clinician_role, st.minutes FROM slots sl JOIN sessions se ON se.id = sl.session_id
		JOIN slot_types st ON st.id = sl.slot_type_id ORDER BY sl.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var gpSlots, urgent, embargoed int
	days := map[store.Date]bool{}
	for rows.Next() {
		var dayText, channel, role string
		var starts, ends int64
		var online, isUrgent bool
		var release sql.NullInt64
		var minutes int
		if err := rows.Scan(&dayText, &starts, &ends, &online, &release, &channel, &isUrgent, &role, &minutes); err != nil {
			t.Fatal(err)
		}
		day, err := store.ParseDate(dayText)
		if err != nil {
			t.Fatal(err)
		}
		days[day] = true
		s, e := time.Unix(starts, 0).In(loc), time.Unix(ends, 0).In(loc)
		if store.DateOf(s, loc) != day || store.DateOf(e, loc) != day {
			t.Fatalf("slot %s-%s is not on its session's day %s", s, e, day)
		}
		if !store.IsWorkingDay(day) {
			t.Fatalf("slot on %s, which is not a working day", day)
		}
		for _, wall := range []time.Time{s, e} {
			if wall.Minute()%5 != 0 || wall.Second() != 0 {
				t.Fatalf("slot time %s is not on a 5-minute boundary", wall)
			}
		}
		if m := s.Hour()*60 + s.Minute(); m < 8*60 {
			t.Fatalf("slot starts at %s, before 08:00", s)
		}
		if m := e.Hour()*60 + e.Minute(); m > 18*60+30 {
			t.Fatalf("slot ends at %s, after 18:30", e)
		}
		if e.Sub(s) != time.Duration(minutes)*time.Minute {
			t.Fatalf("slot %s-%s does not last its type's %d minutes", s, e, minutes)
		}
		if isUrgent && (channel != "reception" || online) {
			t.Fatalf("urgent slot at %s is offered beyond reception", s)
		}
		if release.Valid {
			embargoed++
			r := time.Unix(release.Int64, 0).In(loc)
			if !r.Before(s) || r.Minute() != 0 || (r.Hour() != 7 && r.Hour() != 8) || !store.IsWorkingDay(store.DateOf(r, loc)) {
				t.Fatalf("slot at %s released at %s", s, r)
			}
		}
		if role == string(store.RoleGP) {
			gpSlots++
			if isUrgent {
				urgent++
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if share := float64(urgent) / float64(gpSlots); share < 0.12 || share > 0.28 {
		t.Errorf("%d of %d GP slots urgent (%.0f%%), want about 20%%", urgent, gpSlots, 100*share)
	}
	if embargoed == 0 {
		t.Error("no slot is embargoed")
	}
	// Three weeks from Monday 23 March 2026: 15 weekdays less Good Friday
	// and Easter Monday.
	if len(days) != 13 {
		t.Errorf("sessions on %d days, want 13", len(days))
	}
	after := store.Date{Year: 2026, Month: time.March, Day: 30} // first surgery day of summer time
	if !days[after] || days[store.Date{Year: 2026, Month: time.April, Day: 3}] || days[store.Date{Year: 2026, Month: time.April, Day: 6}] {
		t.Error("wrong days around the clock change and Good Friday")
	}
	var first int64
	if err := db.QueryRow("SELECT min(starts_at) FROM sessions WHERE day = ?", after.String()).Scan(&first); err != nil {
		t.Fatal(err)
	}
	if got := time.Unix(first, 0).In(loc).Format("15:04"); got != "08:00" {
		t.Errorf("first session after the clock change starts at %s, want 08:00", got)
	}
}

func TestGenerateSlotsWorkWithBookingRules(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	st, _ := generate(t, path, smallOptions())
	db := readOnly(t, path)
	var adult int64
	if err := db.QueryRow("SELECT id FROM patients WHERE date_of_birth < '1990-01-01' ORDER BY id LIMIT 1").Scan(&adult); err != nil {
		t.Fatal(err)
	}
	online, err := st.FreeSlots(ctx, adult, store.ChannelOnline, testStart(), 7)
	if err != nil {
		t.Fatal(err)
	}
	reception, err := st.FreeSlots(ctx, adult, store.ChannelReception, testStart(), 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(online) == 0 || len(reception) <= len(online) {
		t.Fatalf("%d slots online, %d at reception", len(online), len(reception))
	}
	for _, sl := range online {
		if sl.ClinicianName == "Dr Priya Chaudhry" || sl.SlotTypeName == "GP urgent, on the day" {
			t.Fatalf("offered online: %s with %s", sl.SlotTypeName, sl.ClinicianName)
		}
	}
}

func TestGeneratePatients(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	opts := smallOptions()
	generate(t, path, opts)
	db := readOnly(t, path)
	postcodeRE := regexp.MustCompile(`^MB[1-9] [0-9][A-Z]{2}$`)
	phoneRE := regexp.MustCompile(`^(07700 900[0-9]{3}|01632 960[0-9]{3})?$`)

	rows, err := db.Query("SELECT id, nhs_number, given_name, family_name, sex, date_of_birth, address, postcode, phone, online_ordering_unsuitable FROM patients")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	ageOf := map[int64]int{}
	var children, old, unsuitable int
	for rows.Next() {
		var id int64
		var nhs, given, family, sex, dobText, address, postcode, phone string
		var unsuit bool
		if err := rows.Scan(&id, &nhs, &given, &family, &sex, &dobText, &address, &postcode, &phone, &unsuit); err != nil {
			t.Fatal(err)
		}
		n, err := store.ParseNHSNumber(nhs)
		if err != nil || !n.Synthetic() || !strings.HasPrefix(nhs, "999") {
			t.Fatalf("NHS number %q: %v", nhs, err)
		}
		if seen[nhs] {
			t.Fatalf("NHS number %s given twice", nhs)
		}
		seen[nhs] = true
		dob, err := store.ParseDate(dobText)
		if err != nil {
			t.Fatal(err)
		}
		age := dob.AgeOn(opts.Start)
		if age < 0 || age > 100 {
			t.Fatalf("age %d", age)
		}
		ageOf[id] = age
		switch {
		case age < 16:
			children++
		case age >= 85:
			old++
		}
		if given == "" || family == "" || !slices.Contains([]string{"female", "male", "other"}, sex) {
			t.Fatalf("patient %d: %q %q %q", id, given, family, sex)
		}
		if !postcodeRE.MatchString(postcode) || !phoneRE.MatchString(phone) {
			t.Fatalf("patient %d: postcode %q phone %q", id, postcode, phone)
		}
		if !strings.HasSuffix(address, ", Meadowbank") && !strings.HasSuffix(address, ", Netherford") {
			t.Fatalf("patient %d: address %q", id, address)
		}
		if unsuit {
			unsuitable++
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(seen) != opts.Patients {
		t.Fatalf("%d patients", len(seen))
	}
	// A UK list: about a sixth children, a few per cent 85 or over.
	if children < opts.Patients/10 || children > opts.Patients/4 || old == 0 || old > opts.Patients/15 {
		t.Errorf("%d children and %d aged 85+ in %d", children, old, opts.Patients)
	}
	if unsuitable == 0 || unsuitable > opts.Patients/10 {
		t.Errorf("%d of %d flagged unsuitable for online ordering", unsuitable, opts.Patients)
	}

	loc := london(t)
	startAt := opts.Start.At(0, 0, loc)
	// Items the demo's GP has approved were issued when the demo was made.
	rows, err = db.Query(`SELECT patient_id, name, status, review_due, last_issued_at, started_at FROM repeat_medications
		WHERE id NOT IN (SELECT repeat_medication_id FROM prescription_request_items WHERE decision = 'approved')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	items := map[int64][]string{}
	var stopped, overdue int
	for rows.Next() {
		var pid, started int64
		var name, status string
		var review sql.NullString
		var issued sql.NullInt64
		if err := rows.Scan(&pid, &name, &status, &review, &issued, &started); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(items[pid], name) {
			t.Fatalf("patient %d has %s twice", pid, name)
		}
		items[pid] = append(items[pid], name)
		if status == "stopped" {
			stopped++
		}
		if !issued.Valid {
			t.Fatal("repeat item never issued")
		}
		at := time.Unix(issued.Int64, 0)
		if !at.Before(startAt) || startAt.Sub(at) > 61*24*time.Hour || started > issued.Int64 {
			t.Fatalf("issued %s, started %s, start %s", at, time.Unix(started, 0), startAt)
		}
		if review.Valid {
			d, err := store.ParseDate(review.String)
			if err != nil {
				t.Fatal(err)
			}
			if d.Before(opts.Start) {
				overdue++
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if share := float64(len(items)) / float64(opts.Patients); share < 0.2 || share > 0.45 {
		t.Errorf("%.0f%% of patients have repeats, want about a third", 100*share)
	}
	var childrenOnRepeats int
	for pid, names := range items {
		if len(names) > 6 {
			t.Errorf("patient %d has %d items", pid, len(names))
		}
		if ageOf[pid] < 16 {
			childrenOnRepeats++
		}
	}
	if childrenOnRepeats > children/5 {
		t.Errorf("%d of %d children on repeats", childrenOnRepeats, children)
	}
	if stopped == 0 || overdue == 0 {
		t.Errorf("%d stopped, %d overdue for review", stopped, overdue)
	}
}

// tableHash hashes a table's rows in id order, leaving out columns the store
// stamps from its clock.
func tableHash(t testing.TB, db *sql.DB, table string, skip ...string) string {
	t.Helper()
	rows, err := db.Query("SELECT * FROM " + table + " ORDER BY rowid")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, c := range cols {
			if !slices.Contains(skip, c) {
				fmt.Fprintf(h, "%s=%v\x1f", c, vals[i])
			}
		}
		h.Write([]byte{'\n'})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// generatedHash covers everything Generate chose, but not store timestamps.
func generatedHash(t testing.TB, path string) string {
	t.Helper()
	db := readOnly(t, path)
	var b strings.Builder
	b.WriteString(tableHash(t, db, "practice", "created_at"))
	for _, table := range dataTables() {
		b.WriteString(tableHash(t, db, table, "registered_at"))
	}
	return b.String()
}

func TestGenerateDeterministic(t *testing.T) {
	dir := t.TempDir()
	opts := smallOptions()
	a, b, c := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "c.db")
	generate(t, a, opts)
	generate(t, b, opts)
	if generatedHash(t, a) != generatedHash(t, b) {
		t.Fatal("the same options gave different rows")
	}
	other := opts
	other.Seed++
	generate(t, c, other)
	pa, pc := tableHash(t, readOnly(t, a), "patients", "registered_at"), tableHash(t, readOnly(t, c), "patients", "registered_at")
	if pa == pc {
		t.Fatal("a different seed gave the same patients")
	}
}

// snapshot hashes every table, store timestamps included: nothing at all
// may change.
func snapshot(t testing.TB, path string) string {
	t.Helper()
	db := readOnly(t, path)
	var b strings.Builder
	for _, table := range append(dataTables(), "practice", "online_settings", "audit_events") {
		b.WriteString(tableHash(t, db, table))
	}
	return b.String()
}

func TestGenerateRefusesNonEmptyStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	path := filepath.Join(dir, "demo.db")
	st, _ := generate(t, path, smallOptions())
	before := snapshot(t, path)
	if _, err := Generate(ctx, st, smallOptions()); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("second run: %v, want ErrNotEmpty", err)
	}
	if snapshot(t, path) != before {
		t.Fatal("a refused run changed the database")
	}

	// A real practice with no clinicians yet is just as off limits.
	path = filepath.Join(dir, "real.db")
	st = openStore(t, path, testStart())
	real := store.Practice{ODSCode: "Y99998", Name: "Another Surgery", Address: "2 High Street", Postcode: "MB1 2AB", Phone: "01632 960001"}
	if err := st.SetupPractice(ctx, real, store.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	before = snapshot(t, path)
	if _, err := Generate(ctx, st, smallOptions()); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("run on a practice: %v, want ErrNotEmpty", err)
	}
	if snapshot(t, path) != before {
		t.Fatal("a refused run changed the database")
	}
}

func assertNoData(t *testing.T, path string) {
	t.Helper()
	db := readOnly(t, path)
	for _, table := range dataTables() {
		if n := count(t, db, "SELECT count(*) FROM "+table); n != 0 {
			t.Errorf("%s has %d rows after a cancelled run", table, n)
		}
	}
}

func TestGenerateCancelledBeforeStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	st := openStore(t, path, testStart())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, st, smallOptions()); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if empty, err := st.IsEmpty(context.Background()); err != nil || !empty {
		t.Fatalf("IsEmpty = %v, %v", empty, err)
	}
	assertNoData(t, path)
}

// countingCtx cancels itself at its n-th use, so a test can stop a run part
// way through without relying on timing.
type countingCtx struct {
	context.Context
	cancel context.CancelFunc
	left   atomic.Int64
	used   atomic.Int64
}

func newCountingCtx(n int64) *countingCtx {
	ctx, cancel := context.WithCancel(context.Background())
	c := &countingCtx{Context: ctx, cancel: cancel}
	c.left.Store(n)
	return c
}

func (c *countingCtx) tick() {
	c.used.Add(1)
	if c.left.Add(-1) == 0 {
		c.cancel()
	}
}

func (c *countingCtx) Done() <-chan struct{} { c.tick(); return c.Context.Done() }
func (c *countingCtx) Err() error            { c.tick(); return c.Context.Err() }

func TestGenerateCancelledPartWay(t *testing.T) {
	dir := t.TempDir()
	opts := smallOptions()

	// Count how often a whole run consults its context, then stop a second
	// run half way, well inside the bulk load.
	probe := newCountingCtx(-1)
	st := openStore(t, filepath.Join(dir, "probe.db"), opts.Start)
	if _, err := Generate(probe, st, opts); err != nil {
		t.Fatal(err)
	}
	uses := probe.used.Load()

	path := filepath.Join(dir, "demo.db")
	st = openStore(t, path, opts.Start)
	ctx := newCountingCtx(uses / 2)
	if _, err := Generate(ctx, st, opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	assertNoData(t, path)
	// The practice itself is part of the same transaction, so the server
	// can simply try again on its next start.
	if empty, err := st.IsEmpty(context.Background()); err != nil || !empty {
		t.Fatalf("after a run cancelled part way: IsEmpty = %v, %v", empty, err)
	}
	if _, err := Generate(context.Background(), st, opts); err != nil {
		t.Fatalf("a second run after a cancelled one: %v", err)
	}
}

func TestOptions(t *testing.T) {
	for today, monday := range map[store.Date]store.Date{
		{Year: 2026, Month: time.March, Day: 23}:  {Year: 2026, Month: time.March, Day: 23}, // Monday
		{Year: 2026, Month: time.March, Day: 29}:  {Year: 2026, Month: time.March, Day: 23}, // Sunday
		{Year: 2026, Month: time.January, Day: 1}: {Year: 2025, Month: time.December, Day: 29},
	} {
		o := DefaultOptions(today)
		if o.Start != monday || o.Seed != 1 || o.Patients != 3000 || o.Weeks != 8 {
			t.Errorf("DefaultOptions(%s) = %+v", today, o)
		}
	}

	path := filepath.Join(t.TempDir(), "demo.db")
	st := openStore(t, path, testStart())
	for _, bad := range []Options{
		{Seed: 1, Patients: -1, Weeks: 1, Start: testStart()},
		{Seed: 1, Patients: MaxPatients + 1, Weeks: 1, Start: testStart()},
		{Seed: 1, Patients: 10, Weeks: MaxWeeks + 1, Start: testStart()},
		{Seed: 1, Patients: 10, Weeks: 1},
		{Seed: 1, Patients: 10, Weeks: 1, Start: store.Date{Year: 2026, Month: time.February, Day: 30}},
	} {
		if _, err := Generate(context.Background(), st, bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if empty, err := st.IsEmpty(context.Background()); err != nil || !empty {
		t.Fatalf("refused options changed the store: IsEmpty = %v, %v", empty, err)
	}
}

func TestGenerateLargeList(t *testing.T) {
	if testing.Short() {
		t.Skip("30,000 patients takes a few seconds")
	}
	path := filepath.Join(t.TempDir(), "demo.db")
	opts := Options{Seed: 3, Patients: 30000, Weeks: 8, Start: testStart()}
	_, sum := generate(t, path, opts)
	db := readOnly(t, path)
	if sum.Patients != opts.Patients || count(t, db, "SELECT count(DISTINCT nhs_number) FROM patients") != opts.Patients {
		t.Fatalf("summary %+v", sum)
	}
	if got := count(t, db, "SELECT count(*) FROM repeat_medications"); got != sum.RepeatItems {
		t.Fatalf("%d repeat items, summary says %d", got, sum.RepeatItems)
	}
}

// The walk is a permutation: every nine-digit start comes up exactly once.
func TestNHSWalkVisitsEveryStartOnce(t *testing.T) {
	w := newNHSWalk(rand.New(rand.NewPCG(1, 2)))
	seen := make([]bool, nhsSpan)
	for i := range uint32(nhsSpan) {
		k := w.permute(i)
		for k >= nhsSpan {
			k = w.permute(k)
		}
		if seen[k] {
			t.Fatalf("start %06d visited twice", k)
		}
		seen[k] = true
	}
	n := 0
	for {
		if _, err := w.take(); err != nil {
			break
		}
		n++
	}
	// About ten in eleven starts have a valid check digit.
	if n < 900_000 || n > 920_000 {
		t.Fatalf("%d numbers from the whole range", n)
	}
}

// A demo practice made before the 12-character rule (its accounts' passwords
// recorded under the old policy, so no desktop is sent a check) gets its
// published passwords set again; a real practice is never touched.
func TestRefreshStaffPasswords(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.db")
	st := openStore(t, path, testStart())
	if _, err := Generate(ctx, st, smallOptions()); err != nil {
		t.Fatal(err)
	}
	if n, err := RefreshStaffPasswords(ctx, st); err != nil || n != 0 {
		t.Fatalf("a new demo practice: %d set, %v; want none", n, err)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE staff SET password_policy = 1"); err != nil {
		t.Fatal(err)
	}
	if check, _ := st.StaffSignInCheck(ctx, "reception"); check != "" {
		t.Fatal("an old-policy password still has a sign-in check")
	}
	if n, err := RefreshStaffPasswords(ctx, st); err != nil || n != len(StaffAccounts()) {
		t.Fatalf("an old demo practice: %d set, %v; want %d", n, err, len(StaffAccounts()))
	}
	check, err := st.StaffSignInCheck(ctx, "reception")
	if err != nil || check == "" {
		t.Fatalf("reception's check after the refresh: %q %v", check, err)
	}
	if _, ok, err := passhash.DeriveChecked(check, "reception-demo"); err != nil || !ok {
		t.Fatalf("the published password does not sign in: %v", err)
	}

	real := openStore(t, filepath.Join(dir, "real.db"), testStart())
	if err := real.SetupPractice(ctx, store.Practice{ODSCode: "Y99998", Name: "Another Surgery", Address: "2 High Street",
		Postcode: "MB1 2AB", Phone: "01632 960001"}, store.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	if _, err := RefreshStaffPasswords(ctx, real); err == nil {
		t.Fatal("a real practice's accounts were refreshed")
	}
}
