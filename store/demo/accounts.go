package demo

import (
	"context"
	"fmt"

	"gpkiosk/store"
)

// StaffAccount is a demo member of staff. The passwords are published in
// the README so anyone can try the staff desktop; they must never be a real
// practice's.
type StaffAccount struct {
	Username    string
	DisplayName string
	Role        string
	Password    string
	// Clinician is the bookable clinician a clinician's account is, by
	// display name ("" for none).
	Clinician string
}

// StaffAccounts are the demo practice's staff accounts, one of each role.
func StaffAccounts() []StaffAccount {
	return []StaffAccount{
		{Username: "reception", DisplayName: "Rita Patel", Role: store.StaffReceptionist, Password: "reception-demo"},
		{Username: "nurse", DisplayName: "Nina Evans", Role: store.StaffClinician, Password: "nurse-demo-1"},
		// A GP, so repeat prescriptions can be decided at the desktop.
		{Username: "doctor", DisplayName: "Dr Amina Okafor", Role: store.StaffClinician, Password: "doctor-demo-1", Clinician: "Dr Amina Okafor"},
		{Username: "manager", DisplayName: "Mark Owen", Role: store.StaffManager, Password: "manager-demo"},
	}
}

// addStaffAccounts adds the accounts, linking clinicians to their rows
// (clinicians by display name), and returns their IDs by username.
func addStaffAccounts(l *store.Loader, clinicians map[string]int64) (map[string]int64, error) {
	ids := map[string]int64{}
	for _, a := range StaffAccounts() {
		id, err := l.AddStaff(store.NewStaff{Username: a.Username, DisplayName: a.DisplayName, Role: a.Role, Password: a.Password,
			ClinicianID: clinicians[a.Clinician]})
		if err != nil {
			return nil, fmt.Errorf("demo staff %s: %w", a.Username, err)
		}
		ids[a.Username] = id
	}
	return ids, nil
}

// RefreshStaffPasswords sets the published password again on each demo
// account that desktops cannot sign in with: one made before staff
// passwords had to meet the 12-character rule, which is sent to no
// desktop. It returns how many it set. It acts only on the demo practice
// (ODS code Y99999), never on a real practice's accounts that share a
// username.
func RefreshStaffPasswords(ctx context.Context, st *store.Store) (int, error) {
	p, err := st.Practice(ctx)
	if err != nil {
		return 0, fmt.Errorf("demo.RefreshStaffPasswords: %w", err)
	}
	if p.ODSCode != Practice().ODSCode {
		return 0, fmt.Errorf("demo.RefreshStaffPasswords: %s is not the demo practice", p.ODSCode)
	}
	n := 0
	for _, a := range StaffAccounts() {
		check, err := st.StaffSignInCheck(ctx, a.Username)
		if err != nil {
			return n, fmt.Errorf("demo.RefreshStaffPasswords: %s: %w", a.Username, err)
		}
		if check != "" {
			continue
		}
		if err := st.SetStaffPassword(ctx, store.SystemActor(), a.Username, a.Password); err != nil {
			return n, fmt.Errorf("demo.RefreshStaffPasswords: %s: %w", a.Username, err)
		}
		n++
	}
	return n, nil
}
