package kiosk

import (
	"context"
	"testing"

	gpsync "gpkiosk/sync"
)

// Every way a visit ends forgets the patient's key: nothing queued after
// it can be made in their name.
func TestEndingAVisitForgetsThePatientsKey(t *testing.T) {
	ctx := context.Background()
	for name, end := range map[string]func(h *harness){
		"sign out":         func(h *harness) { h.k.SignOut() },
		"finish":           func(h *harness) { h.k.finish() },
		"staff PIN":        func(h *harness) { h.k.AskStaffPIN() },
		"slip check-in":    func(h *harness) { h.k.checkInWithSlip("7QR6XF4KFPLWJWRACZGQ327DGA") },
		"still signed in?": nil,
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, Config{})
			s := h.signInQuietly()
			if end != nil {
				end(h)
			}
			if _, err := h.rep.AskForHelp(ctx, ""); err != nil { // an op of the device's own, never signed
				t.Fatal(err)
			}
			items, err := h.rep.RepeatItems(ctx, s.patient.ID)
			if err != nil || len(items) == 0 {
				t.Fatalf("repeat items: %d %v", len(items), err)
			}
			if _, err := h.rep.OrderRepeats(ctx, s.patient.ID, []int64{items[0].ID}, ""); err != nil {
				t.Fatal(err)
			}
			ops, err := h.rep.PendingOps(ctx, gpsync.MaxOpsPerPush)
			if err != nil || len(ops) == 0 {
				t.Fatalf("pending: %+v %v", ops, err)
			}
			last := ops[len(ops)-1]
			if signed := last.Proof != ""; signed != (end == nil) {
				t.Fatalf("after %s the order is signed %v, want %v", name, signed, end == nil)
			}
		})
	}
}
