package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"gpkiosk/store"
	"gpkiosk/store/passhash"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
)

// account is the account ID on a kiosk patient's letter.
func account(patientID int64) string { return fmt.Sprintf("E2E-%06d", patientID) }

// signIn signs a kiosk patient in as they would at the kiosk, with their
// letter and date of birth, so the ops that follow carry their proof. The
// kiosk must have pulled their letter.
func (e *env) signIn(t testing.TB, kiosk *device, patientID int64) {
	t.Helper()
	if _, err := kiosk.rep.SignIn(context.Background(), account(patientID), e.dobs[patientID]); err != nil {
		t.Fatalf("sign in patient %d: %v", patientID, err)
	}
}

// signAsStaff gives op the proof a desktop would make for a member of
// staff: the key from their password and the sign-in check in the
// desktop's file.
func signAsStaff(t testing.TB, desk *device, username, password string, op gpsync.Op) gpsync.Op {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+desk.path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow("SELECT id, password_hash FROM staff WHERE username = ?", username).Scan(&op.StaffID, &check); err != nil {
		t.Fatal(err)
	}
	key, ok, err := passhash.DeriveChecked(check, password)
	if err != nil || !ok {
		t.Fatalf("%s's check: %v", username, err)
	}
	signed, err := gpsync.SigningInput(desk.id, op)
	if err != nil {
		t.Fatal(err)
	}
	op.Proof = gpsync.EncodeProof(store.Sign(key, signed))
	return op
}

// viewed is the patient the i-th queued view opens: the practice's first
// 100 patients in turn.
func viewed(i int) int64 { return int64(i%100) + 1 }

// queueView has a member of staff at a desktop open the i-th patient's
// record, which queues one record_view op. These tests queue hundreds of
// ops; a record view is the desk's everyday work and has no quota, where a
// device's problem reports and calls for help do.
func queueView(t testing.TB, rep *replica.Replica, staff replica.StaffMember, i int) {
	t.Helper()
	if _, err := rep.PatientRecord(context.Background(), staff, viewed(i)); err != nil {
		t.Fatalf("view %d: %v", i, err)
	}
}

// checkViewsInOrder proves nothing queued was lost, applied twice or
// reordered: the server audited n views, of viewed(0) to viewed(n-1), in
// that order.
func checkViewsInOrder(t testing.TB, db *sql.DB, n int) {
	t.Helper()
	rows, err := db.Query("SELECT subject_id FROM audit_events WHERE action = 'patient.view' ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		if i < n && id != viewed(i) {
			t.Fatalf("view %d opened patient %d, want %d: out of order", i, id, viewed(i))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if i != n {
		t.Fatalf("%d views audited on the server, want %d", i, n)
	}
}
