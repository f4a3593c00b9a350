package replica

import (
	"context"
	"testing"
	"time"

	gpsync "gpkiosk/sync"
)

// A request is ready to hand out only once no item on it waits for a
// prescriber: one item approved and another still pending is not ready,
// whether the server or this desk approved the first.
func TestPartlyDecidedRequestIsNotReadyToHandOut(t *testing.T) {
	ctx := context.Background()
	f := newLoopDesk(t)
	f.apply(change(gpsync.EntityRepeatRequest, requestAlice, gpsync.RepeatRequestData{PatientID: alice, Status: "pending", ReadyBy: "2026-06-11",
		RequestedAt: ptr(testNow.Add(-3 * time.Hour)), Items: []gpsync.RepeatRequestItemData{{RepeatItemID: itemStatin, Decision: "approved"},
			{RepeatItemID: itemMetformin, Decision: "pending"}}}))
	if ready, err := f.r.ReadyToHandOut(ctx, reception); err != nil || len(ready) != 0 {
		t.Fatalf("a request with an item pending listed as ready: %+v %v", ready, err)
	}
	// The prescriber here declines the last item: now it is ready.
	if _, err := f.r.DecideRepeats(ctx, nurse, requestAlice, []gpsync.ItemDecision{{RepeatItemID: itemMetformin,
		ReasonCode: gpsync.DeclineTooEarly}}); err != nil {
		t.Fatal(err)
	}
	if ready, err := f.r.ReadyToHandOut(ctx, reception); err != nil || len(ready) != 1 || ready[0].RequestID != requestAlice {
		t.Fatalf("fully decided here, ready list %+v %v", ready, err)
	}
}
