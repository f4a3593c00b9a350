package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	gpsync "gpkiosk/sync"
)

// A kiosk's replica file, read column by column, holds no surname,
// address, postcode, date of birth or clear NHS number of any patient.
func TestKioskReplicaHoldsNoPersonalDetails(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, 300)
	k := e.newDevice(t, gpsync.RoleKiosk)
	syncUntilDrained(t, k)
	// Some activity, so appointments and requests are in the replica too.
	p := e.kioskPts[0]
	free, err := k.rep.FreeSlots(ctx, p, e.dobs[p], surgeryStart, 7)
	if err != nil || len(free) == 0 {
		t.Fatalf("free slots: %d %v", len(free), err)
	}
	e.signIn(t, k, p)
	if _, err := k.rep.Book(ctx, p, free[0].ID, e.dobs[p]); err != nil {
		t.Fatal(err)
	}
	syncUntilDrained(t, k)

	// Everything personal the server holds.
	secrets := map[string]string{}
	rows, err := e.db(t).Query("SELECT nhs_number, family_name, address, postcode, date_of_birth, phone FROM patients")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var nhs, family, address, postcode, dob, phone string
		if err := rows.Scan(&nhs, &family, &address, &postcode, &dob, &phone); err != nil {
			t.Fatal(err)
		}
		for kind, v := range map[string]string{"NHS number": nhs, "surname": family, "address": address, "postcode": postcode, "date of birth": dob, "phone": phone} {
			if v != "" {
				secrets[strings.ToLower(v)] = kind
			}
		}
	}
	rows.Close()

	clinicians := map[string]bool{}
	crows, err := e.db(t).Query("SELECT display_name FROM clinicians")
	if err != nil {
		t.Fatal(err)
	}
	for crows.Next() {
		var n string
		crows.Scan(&n)
		clinicians[n] = true
	}
	crows.Close()

	db, err := sql.Open("sqlite", "file:"+k.path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'table'")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		tables.Scan(&n)
		names = append(names, n)
	}
	tables.Close()
	cells := 0
	for _, table := range names {
		rows, err := db.Query(fmt.Sprintf("SELECT * FROM %q", table))
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				var s string
				switch x := v.(type) {
				case string:
					s = x
				case []byte:
					s = string(x)
				case int64:
					s = fmt.Sprint(x)
				default:
					continue
				}
				cells++
				if clinicians[s] {
					// Staff names are public; a clinician may share a
					// surname with a patient.
					continue
				}
				low := strings.ToLower(s)
				for secret, kind := range secrets {
					// Short surnames could match inside ordinary words, so
					// match whole values, and substrings for the long ones.
					if low == secret || (len(secret) >= 6 && strings.Contains(low, secret)) {
						t.Fatalf("kiosk replica %s.%s holds a %s: %q", table, cols[i], kind, s)
					}
				}
			}
		}
		rows.Close()
	}
	if cells < 1000 {
		t.Fatalf("only %d cells scanned: the replica is too empty for this test to mean anything", cells)
	}
}
