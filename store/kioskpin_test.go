package store

import (
	"context"
	"testing"
	"time"

	"gpkiosk/store/passhash"
)

func TestCheckKioskExitPIN(t *testing.T) {
	for pin, ok := range map[string]bool{
		"246810": true, "90210731": true, "135792468024": true,
		"12345": false, "1234567890123": false, "24681a": false, "": false,
		"111111": false, "123456": false, "654321": false, "890123": false, "210987": false,
	} {
		if err := CheckKioskExitPIN(pin); (err == nil) != ok {
			t.Errorf("CheckKioskExitPIN(%q) = %v, want ok=%v", pin, err, ok)
		}
	}
}

func TestSetKioskExitPINStoresOnlyAVerifierAndFeedsIt(t *testing.T) {
	ctx := context.Background()
	f, _ := bookingFixture(t)
	manager := Actor{Name: "staff:1", Device: "server-cli"}
	wantReason(t, f.st.setKioskExitPIN(ctx, "123456", manager, passhash.Params{MemoryKiB: 64, Passes: 1, Lanes: 1}), ReasonInvalidInput)
	if err := f.st.setKioskExitPIN(ctx, "246810", manager, passhash.Params{MemoryKiB: 64, Passes: 1, Lanes: 1}); err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := f.st.read.QueryRow("SELECT kiosk_exit_pin FROM online_settings").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if ok, err := passhash.Verify(stored, "246810"); !ok || err != nil {
		t.Fatalf("stored %q does not verify: %v", stored, err)
	}
	if n := f.count(t, "SELECT count(*) FROM audit_events WHERE action = 'settings.kiosk_exit_pin'"); n != 1 {
		t.Fatalf("%d audit events", n)
	}
	if n := f.count(t, "SELECT count(*) FROM audit_events WHERE detail LIKE '%246810%'"); n != 0 {
		t.Fatal("the PIN is in the audit log")
	}
	// A kiosk's feed carries the verifier, so it can check the PIN offline.
	code, err := f.st.NewEnrolmentCode(ctx, manager, DeviceKiosk, "waiting room", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dev, _, err := f.st.Enrol(ctx, code, "waiting room")
	if err != nil {
		t.Fatal(err)
	}
	page, err := f.st.Changes(ctx, dev, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var fed string
	for _, c := range page.Changes {
		if c.Entity == EntitySettings {
			fed = c.State.(FeedSettings).KioskExitPIN
		}
	}
	if fed != stored {
		t.Fatalf("kiosk feed has PIN verifier %q, want %q", fed, stored)
	}
}
