package replica

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// BenchmarkSearchPatients measures a desktop's patient search, including
// queuing its audit op, at 3,000 and 30,000 patients. The baseline is
// reading one patient by row ID in the same replica: the least a search
// could cost.
func BenchmarkSearchPatients(b *testing.B) {
	for _, n := range []int{3000, 30000} {
		f := newFixture(b, gpsync.RoleDesktop)
		ctx := context.Background()
		surnames := []string{"Hughes", "Evans", "Patel", "Jones", "Smith", "Williams", "Brown", "Taylor", "Khan", "Davies"}
		var last PatientSummary
		const page = 1000
		for start := 0; start < n; start += page {
			var changes []gpsync.Change
			for i := start; i < start+page && i < n; i++ {
				nhs, ok := store.NHSNumberFromNine(fmt.Sprintf("999%06d", i))
				if !ok {
					continue
				}
				dob := store.Date{Year: 1930 + i%80, Month: time.Month(1 + i%12), Day: 1 + i%28}
				p := gpsync.PatientData{GivenName: fmt.Sprintf("Given%d", i), FamilyName: surnames[i%len(surnames)],
					DateOfBirth: dob.String(), NHSNumber: string(nhs), Postcode: "MB1 4QT"}
				changes = append(changes, change(gpsync.EntityPatient, int64(1000+i), p))
				last = PatientSummary{ID: int64(1000 + i), NHSNumber: string(nhs), FamilyName: p.FamilyName, DateOfBirth: dob}
			}
			f.apply(changes...)
		}
		f.apply(change(gpsync.EntityStaff, staffReception, gpsync.StaffData{Username: "reception", Role: "receptionist",
			SignInCheck: cheapCheck(b, "reception-demo"), Active: true}))
		m, err := f.r.StaffSignIn(ctx, "reception", "reception-demo")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("patients=%d/baseline_read_by_id", n), func(b *testing.B) {
			for b.Loop() {
				var name string
				if err := f.r.read.QueryRowContext(ctx, "SELECT family_name FROM patients WHERE id = ?", last.ID).Scan(&name); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("patients=%d/nhs_number", n), func(b *testing.B) {
			for b.Loop() {
				if got, err := f.r.SearchPatients(ctx, m, PatientQuery{NHSNumber: last.NHSNumber}); err != nil || len(got) != 1 {
					b.Fatalf("%v %v", got, err)
				}
			}
		})
		b.Run(fmt.Sprintf("patients=%d/surname_and_dob", n), func(b *testing.B) {
			for b.Loop() {
				if got, err := f.r.SearchPatients(ctx, m, PatientQuery{FamilyName: last.FamilyName, DateOfBirth: last.DateOfBirth}); err != nil || len(got) == 0 {
					b.Fatalf("%v %v", got, err)
				}
			}
		})
	}
}
