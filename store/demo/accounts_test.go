package demo

import (
	"path/filepath"
	"testing"

	"gpkiosk/store"
	"gpkiosk/store/passhash"
)

// The demo practice ships one staff account of each role, and the
// published password of each signs in against its stored verifier.
func TestDemoStaffAccountsSignIn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	generate(t, path, smallOptions())
	roles := map[string]bool{}
	hashes := map[string]string{}
	rows, err := readOnly(t, path).Query("SELECT username, role, password_hash FROM staff WHERE active = 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var user, role, hash string
		if err := rows.Scan(&user, &role, &hash); err != nil {
			t.Fatal(err)
		}
		roles[role], hashes[user] = true, hash
	}
	if len(roles) != 3 || !roles[store.StaffReceptionist] || !roles[store.StaffClinician] || !roles[store.StaffManager] {
		t.Fatalf("demo staff roles %v", roles)
	}
	for _, a := range StaffAccounts() {
		if err := store.CheckStaffPassword(a.Password); err != nil {
			t.Errorf("%s: published password breaks the policy: %v", a.Username, err)
		}
		if ok, err := passhash.Verify(hashes[a.Username], a.Password); !ok || err != nil {
			t.Errorf("%s: password does not sign in: %v %v", a.Username, ok, err)
		}
	}
}
