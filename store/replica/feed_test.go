package replica

import (
	"context"
	"database/sql"
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

func TestApplyChangesUpsertUpdateDelete(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	if c, err := f.r.Cursor(ctx); err != nil || c != f.cursor {
		t.Fatalf("cursor %d (%v), want %d", c, err, f.cursor)
	}
	if n := f.count("slots"); n != 12 {
		t.Fatalf("%d slots", n)
	}
	// The same row twice in a page: the later state wins.
	free := slot(tomorrow.Add(40 * time.Minute))
	taken := free
	taken.Taken = true
	f.apply(
		change(gpsync.EntitySlot, slotFree, taken),
		change(gpsync.EntityClinician, 1, gpsync.ClinicianData{DisplayName: "Dr Amy Patel-Jones", Role: "gp", OnlineBookable: true}),
		change(gpsync.EntitySlot, 999, free),
		change(gpsync.EntitySlot, 999, slot(tomorrow.Add(3*time.Hour))),
		deleted(gpsync.EntitySlot, slotFree2),
		deleted(gpsync.EntityAppointment, apptAlice),
		change(gpsync.EntityPatient, alice, patient("Alicia", true, "abc")),
	)
	var isTaken bool
	var starts int64
	if err := f.r.read.QueryRow("SELECT taken FROM slots WHERE id = ?", slotFree).Scan(&isTaken); err != nil || !isTaken {
		t.Errorf("slot update: taken=%v %v", isTaken, err)
	}
	if err := f.r.read.QueryRow("SELECT starts_at FROM slots WHERE id = 999").Scan(&starts); err != nil || starts != tomorrow.Add(3*time.Hour).Unix() {
		t.Errorf("slot inserted then updated in one page: %v %v", starts, err)
	}
	if n := f.count("slots"); n != 12 {
		t.Errorf("%d slots after one insert and one delete", n)
	}
	if n := f.count("appointments"); n != 0 {
		t.Errorf("deleted appointment still there")
	}
	if as := f.appointments(alice); len(as) != 0 {
		t.Errorf("appointments after delete: %+v", as)
	}
	var name string
	if err := f.r.read.QueryRow("SELECT display_name FROM clinicians WHERE id = 1").Scan(&name); err != nil || name != "Dr Amy Patel-Jones" {
		t.Errorf("clinician update: %q %v", name, err)
	}
	// Verifiers are replaced, not added to.
	if _, err := f.r.PatientByKioskVerifier(ctx, KioskVerifier("acct-alice", dobAlice)); err == nil {
		t.Error("an old verifier still signs in")
	}
	if p, err := f.r.PatientByKioskVerifier(ctx, "ABC"); err != nil || p.ID != alice || p.GivenName != "Alicia" {
		t.Errorf("new verifier: %+v %v", p, err)
	}
	// Deleting a patient takes their verifiers.
	f.apply(deleted(gpsync.EntityPatient, alice))
	if n := f.count("kiosk_verifiers WHERE patient_id = 1"); n != 0 {
		t.Errorf("%d verifiers of a deleted patient", n)
	}
	// A request's items are replaced with it.
	f.apply(change(gpsync.EntityRepeatRequest, requestPending, gpsync.RepeatRequestData{PatientID: alice, Status: "completed",
		ReadyBy: "2026-06-11", Items: []gpsync.RepeatRequestItemData{{RepeatItemID: itemSalbutamol, Decision: "declined", Reason: "See the nurse first."}}}))
	var decision, reason string
	if err := f.r.read.QueryRow("SELECT decision, reason FROM repeat_request_items WHERE request_id = ?", requestPending).Scan(&decision, &reason); err != nil ||
		decision != "declined" || reason != "See the nurse first." {
		t.Errorf("request item: %q %q %v", decision, reason, err)
	}
}

func TestBadPageChangesNothing(t *testing.T) {
	ctx := context.Background()
	good := change(gpsync.EntitySlot, 999, slot(tomorrow.Add(3*time.Hour)))
	for name, bad := range map[string]gpsync.Change{
		"data that does not decode": {Entity: gpsync.EntitySlot, ID: 998, Data: json.RawMessage(`{"startsAt": "yesterday"}`)},
		"wrong type":                {Entity: gpsync.EntityPatient, ID: 7, Data: json.RawMessage(`{"givenName": 12}`)},
		"no data":                   {Entity: gpsync.EntityClinician, ID: 7},
		"unknown entity":            change("invoice", 1, map[string]int{"total": 12}),
		"impossible date":           change(gpsync.EntityRepeatRequest, 301, gpsync.RepeatRequestData{PatientID: alice, Status: "pending", ReadyBy: "2026-02-30"}),
		"settings not id 1":         change(gpsync.EntitySettings, 2, settingsData()),
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, gpsync.RoleKiosk)
			before := f.counts()
			cursor, _ := f.r.Cursor(ctx)
			err := f.r.ApplyChanges(ctx, gpsync.ChangesResponse{Changes: []gpsync.Change{good, bad}, Cursor: cursor + 10})
			if err == nil {
				t.Fatal("a bad page was applied")
			}
			if !strings.Contains(err.Error(), "replica.ApplyChanges") {
				t.Errorf("error %q does not say where", err)
			}
			if after := f.counts(); !maps.Equal(before, after) {
				t.Errorf("rows changed: %v -> %v", before, after)
			}
			if c, _ := f.r.Cursor(ctx); c != cursor {
				t.Errorf("cursor moved to %d", c)
			}
		})
	}
	t.Run("cursor going back", func(t *testing.T) {
		f := newFixture(t, gpsync.RoleKiosk)
		if err := f.r.ApplyChanges(ctx, gpsync.ChangesResponse{Changes: []gpsync.Change{good}, Cursor: 1}); err == nil {
			t.Fatal("a page behind the cursor was applied")
		}
		if f.count("slots WHERE id = 999") != 0 {
			t.Fatal("its change was kept")
		}
	})
}

// A kiosk keeps only what a kiosk may hold, even if a server sent more; a
// desktop keeps reception's fields.
func TestKioskStoresOnlyKioskFields(t *testing.T) {
	full := gpsync.PatientData{GivenName: "Priya", KioskLetters: letters("v1"), IdentityVerified: true,
		NHSNumber: "9990000018", FamilyName: "Shah", Sex: "female", DateOfBirth: "1985-02-03",
		Address: "1 High Street", Postcode: "AB1 2CD", Phone: "01632 960000"}
	desktopCols := "coalesce(nhs_number, family_name, sex, date_of_birth, address, postcode, phone)"
	for _, role := range []string{gpsync.RoleKiosk, gpsync.RoleDesktop} {
		f := newFixture(t, role)
		f.apply(change(gpsync.EntityPatient, 50, full), change(gpsync.EntityRepeatItem, 500, gpsync.RepeatItemData{PatientID: 50,
			Name: "Sertraline", Active: true, LastIssuedAt: ptr(testNow.Add(-24 * time.Hour))}))
		if n := f.count("repeat_items WHERE last_issued_at IS NOT NULL"); (n == 1) != (role == gpsync.RoleDesktop) {
			t.Errorf("%s: %d items with a last issue date", role, n)
		}
		var extra sql.NullString
		var given string
		if err := f.r.read.QueryRow("SELECT given_name, "+desktopCols+" FROM patients WHERE id = 50").Scan(&given, &extra); err != nil {
			t.Fatal(err)
		}
		if given != "Priya" {
			t.Errorf("%s: given name %q", role, given)
		}
		if role == gpsync.RoleKiosk && extra.Valid {
			t.Errorf("a kiosk stored desktop-only data: %q", extra.String)
		}
		if role == gpsync.RoleDesktop {
			var nhs, family, dob string
			if err := f.r.read.QueryRow("SELECT nhs_number, family_name, date_of_birth FROM patients WHERE id = 50").Scan(&nhs, &family, &dob); err != nil ||
				nhs != full.NHSNumber || family != "Shah" || dob != "1985-02-03" {
				t.Errorf("desktop patient: %q %q %q %v", nhs, family, dob, err)
			}
		}
	}
}

func TestPatientByKioskVerifier(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	p, err := f.r.PatientByKioskVerifier(ctx, KioskVerifier("acct-alice", dobAlice))
	if err != nil || p.ID != alice || p.GivenName != "Alice" || !p.IdentityVerified {
		t.Fatalf("%+v %v", p, err)
	}
	_, err = f.r.PatientByKioskVerifier(ctx, KioskVerifier("acct-alice", store.Date{Year: 1980, Month: 5, Day: 2}))
	wantRefusal(t, err, store.ReasonNotFound)
}
