package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"gpkiosk/store"
	"gpkiosk/store/passhash"
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
