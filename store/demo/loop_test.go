package demo

import (
	"path/filepath"
	"testing"
)

// The demo's queues are not empty: the staff desktop has requests to
// decide and hand out, an inbox and a day's list from the first start.
func TestDemoQueuesAreNotEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	opts := smallOptions()
	opts.Busy, opts.Today = true, testStart().AddDays(1) // a Tuesday: the day's list is today's, not the week's first
	generate(t, path, opts)
	db := readOnly(t, path)
	count := func(what, q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return n
	}
	for what, c := range map[string]struct {
		q    string
		want int
	}{
		"pending requests": {"SELECT count(*) FROM prescription_requests WHERE status = 'pending'", 4},
		"with a note":      {"SELECT count(*) FROM prescription_requests WHERE status = 'pending' AND note <> ''", 2},
		"due for review": {`SELECT count(*) FROM prescription_request_items i JOIN repeat_medications rm ON rm.id = i.repeat_medication_id
			WHERE i.decision = 'pending' AND rm.review_due IS NOT NULL AND rm.review_due <= '2026-03-24'`, 1},
		"ordering unsuitable": {`SELECT count(*) FROM prescription_requests r JOIN patients p ON p.id = r.patient_id
			WHERE r.status = 'pending' AND p.online_ordering_unsuitable = 1`, 1},
		"ready to hand out": {`SELECT count(*) FROM prescription_requests r WHERE r.status = 'completed' AND r.handed_out = ''
			AND EXISTS (SELECT 1 FROM prescription_request_items i JOIN staff s ON s.id = i.decided_by_staff_id
			            WHERE i.request_id = r.id AND i.decision = 'approved' AND s.username = 'doctor')`, 1},
		"open help requests": {"SELECT count(*) FROM help_requests WHERE status = 'open' AND device_id = ?", 2},
		"problem reports":    {"SELECT count(*) FROM problem_reports WHERE status = 'open' AND device_id = ?", 1},
		"doctor is a GP": {`SELECT count(*) FROM staff s JOIN clinicians c ON c.id = s.clinician_id
			WHERE s.username = 'doctor' AND s.role = 'clinician' AND c.role = 'gp'`, 1},
	} {
		var args []any
		if what == "open help requests" || what == "problem reports" {
			args = append(args, DemoKioskDeviceID)
		}
		if n := count(what, c.q, args...); n < c.want || (what == "open help requests" && n != c.want) {
			t.Errorf("%s: %d, want %d", what, n, c.want)
		}
	}
	// Today's list: every clinician working today has booked and arrived
	// patients.
	rows, err := db.Query(`SELECT se.clinician_id, sum(a.status = 'booked'), sum(a.status = 'arrived') FROM sessions se
		JOIN slots sl ON sl.session_id = se.id LEFT JOIN appointments a ON a.slot_id = sl.id
		WHERE se.day = '2026-03-24' GROUP BY se.clinician_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	working := 0
	for rows.Next() {
		var clinician int64
		var booked, arrived int
		if err := rows.Scan(&clinician, &booked, &arrived); err != nil {
			t.Fatal(err)
		}
		working++
		if booked == 0 || arrived == 0 {
			t.Errorf("clinician %d: %d booked and %d arrived today", clinician, booked, arrived)
		}
	}
	if working == 0 {
		t.Fatal("nobody works on the demo's first day")
	}
}

// Without Busy the demo has no requests, inbox or day's list, so tests
// that count what they made themselves are not thrown by it.
func TestDemoQuietUnlessBusy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	generate(t, path, smallOptions())
	db := readOnly(t, path)
	for _, q := range []string{"SELECT count(*) FROM prescription_requests", "SELECT count(*) FROM help_requests",
		"SELECT count(*) FROM problem_reports", "SELECT count(*) FROM appointments"} {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s: %d in a demo that is not busy", q, n)
		}
	}
}
