package demo

import (
	"context"
	"path/filepath"
	"testing"

	"gpkiosk/store"
)

// The default demo carries months of past activity: every month of it has
// registrations by each way of checking identity, bookings and
// cancellations on every channel, check-ins, repeat orders and lessons,
// the kiosk's share grows, and nothing is later than the store's clock.
func TestDemoHistoryFillsTheUptakeFigures(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	opts := DefaultOptions(testStart())
	opts.Patients, opts.Weeks = 1500, 1
	st, _ := generate(t, path, opts)
	now := st.Now()
	months, err := st.Uptake(ctx, store.MonthOf(now, st.Location()).AddMonths(-6), store.MonthOf(now, st.Location()))
	if err != nil {
		t.Fatal(err)
	}
	if len(months) != 7 || months[0].Month != "2025-09" {
		t.Fatalf("months %d from %s", len(months), months[0].Month)
	}
	for _, m := range months[:6] { // the whole months
		for _, ch := range []string{"kiosk", "reception", "online"} {
			if m.Booked[ch] == 0 || m.RepeatsOrdered[ch] == 0 {
				t.Errorf("%s: nothing booked or ordered at %s: %+v", m.Month, ch, m)
			}
		}
		for _, v := range []string{store.VerifyPhotoIDAndAddress, store.VerifyVouching, store.VerifyVouchingWithInfo} {
			if m.NewByVerification[v] == 0 {
				t.Errorf("%s: no new registrations by %s", m.Month, v)
			}
		}
		if m.Cancelled["reception"] == 0 || m.CheckIns == 0 || m.Lessons == 0 || m.LettersPrinted == 0 || m.PatPrescUse == 0 {
			t.Errorf("%s: empty figures: %+v", m.Month, m)
		}
		if pct := 100 * float64(m.TotalPatEnbld) / float64(m.PatientListSize); pct < 10 || pct > 40 {
			t.Errorf("%s: %.1f%% of the list enabled", m.Month, pct)
		}
	}
	first, last := months[0], months[5]
	if last.Booked["kiosk"] <= first.Booked["kiosk"] || last.TotalPatEnbld <= first.TotalPatEnbld || last.PatientListSize < first.PatientListSize {
		t.Errorf("no growth from %+v to %+v", first, last)
	}
	db := readOnly(t, path)
	for _, q := range []string{
		"SELECT count(*) FROM appointments WHERE booked_at > ? OR status_changed_at > ?",
		"SELECT count(*) FROM audit_events WHERE at > ? AND ? > 0",
		"SELECT count(*) FROM online_registrations WHERE verified_at > ? OR letter_issued_at > ?",
		"SELECT count(*) FROM prescription_requests WHERE requested_at > ? AND ? > 0",
		"SELECT count(*) FROM check_ins WHERE checked_in_at > ? AND ? > 0",
		"SELECT count(*) FROM patients WHERE registered_at > ? AND ? > 0",
	} {
		if n := count(t, db, q, now.Unix(), now.Unix()); n != 0 {
			t.Errorf("%d rows in the future: %s", n, q)
		}
	}
	// The demo letters' patients and the first of the list have no history.
	if n := count(t, db, `SELECT count(*) FROM appointments a JOIN online_registrations r ON r.patient_id = a.patient_id
		WHERE r.account_id IN ('DEMO-0001', 'DEMO-0002')`); n != 0 {
		t.Errorf("the demo letters' patients have %d appointments", n)
	}
	if _, err := st.VerifyAuditChain(ctx); err != nil {
		t.Errorf("audit chain: %v", err)
	}
}

// The same options give the same history.
func TestDemoHistoryDeterministic(t *testing.T) {
	hash := func() string {
		path := filepath.Join(t.TempDir(), "demo.db")
		opts := smallOptions()
		opts.HistoryMonths, opts.Today = 3, testStart()
		generate(t, path, opts)
		db := readOnly(t, path)
		var h string
		for _, table := range []string{"appointments", "online_registrations", "prescription_requests", "check_ins", "audit_events"} {
			h += tableHash(t, db, table)
		}
		var lessons string
		if err := db.QueryRow("SELECT group_concat(device_id || lesson || day || count, ',') FROM (SELECT * FROM lesson_counts ORDER BY day, lesson)").Scan(&lessons); err != nil {
			t.Fatal(err)
		}
		h += lessons
		return h
	}
	if a, b := hash(), hash(); a != b {
		t.Error("two runs with the same options made different histories")
	}
}
