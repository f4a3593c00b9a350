package demo

import (
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
}

// StaffAccounts are the demo practice's staff accounts, one of each role.
func StaffAccounts() []StaffAccount {
	return []StaffAccount{
		{Username: "reception", DisplayName: "Rita Patel", Role: store.StaffReceptionist, Password: "reception-demo"},
		{Username: "nurse", DisplayName: "Nina Evans", Role: store.StaffClinician, Password: "nurse-demo-1"},
		{Username: "manager", DisplayName: "Mark Owen", Role: store.StaffManager, Password: "manager-demo"},
	}
}

func addStaffAccounts(l *store.Loader) error {
	for _, a := range StaffAccounts() {
		if _, err := l.AddStaff(store.NewStaff{Username: a.Username, DisplayName: a.DisplayName, Role: a.Role, Password: a.Password}); err != nil {
			return fmt.Errorf("demo staff %s: %w", a.Username, err)
		}
	}
	return nil
}
