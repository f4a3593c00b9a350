package replica

import (
	"context"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/server"
)

// A completed lesson is queued as a count_lesson op carrying only the
// lesson and the day, on a kiosk and on a desktop alike; a lesson id of
// the wrong shape or a day that does not exist queues nothing.
func TestCountLessonQueues(t *testing.T) {
	ctx := context.Background()
	for _, role := range []string{gpsync.RoleKiosk, gpsync.RoleDesktop} {
		t.Run(role, func(t *testing.T) {
			f := newFixture(t, role)
			today := store.DateOf(testNow, time.UTC)
			if err := f.r.CountLesson(ctx, "touchscreen", today); err != nil {
				t.Fatal(err)
			}
			if err := f.r.CountLesson(ctx, "nhs-app", today.AddDays(-1)); err != nil {
				t.Fatal(err)
			}
			wantRefusal(t, f.r.CountLesson(ctx, "NHS app", today), store.ReasonInvalidInput)
			wantRefusal(t, f.r.CountLesson(ctx, "", today), store.ReasonInvalidInput)
			wantRefusal(t, f.r.CountLesson(ctx, "book", store.Date{Year: 2026, Month: time.February, Day: 30}), store.ReasonInvalidDate)
			wantRefusal(t, f.r.CountLesson(ctx, "book", store.Date{}), store.ReasonInvalidDate)

			f.reopen() // queued in the database, not in memory
			ops := f.pending()
			if len(ops) != 2 {
				t.Fatalf("outbox %+v", ops)
			}
			for i, want := range []string{`{"lesson":"touchscreen","day":"2026-06-09"}`, `{"lesson":"nhs-app","day":"2026-06-08"}`} {
				o := ops[i]
				if o.Kind != gpsync.OpCountLesson || string(o.Payload) != want || o.StaffID != 0 || !o.CreatedAt.Equal(testNow) || !uuidV4.MatchString(o.ID) {
					t.Fatalf("op %d: %+v %s, want payload %s", i, o, o.Payload, want)
				}
				// What the device sends is what the server decodes.
				if _, err := server.DecodeOp(o); err != nil {
					t.Fatalf("the server would refuse the batch: %v", err)
				}
			}

			// Applied or refused, the op is answered, and a refusal asks
			// nobody's attention: nobody at the device can act on it.
			f.record(appliedResult(ops[0].ID, struct{}{}),
				rejectedResult(ops[1].ID, store.ReasonDayOutOfRange, "A lesson can be counted for a day from 366 days ago to tomorrow."))
			if n, err := f.r.PendingCount(ctx); err != nil || n != 0 {
				t.Fatalf("pending after answers: %d %v", n, err)
			}
			if n, err := f.r.AttentionCount(ctx); err != nil || n != 0 {
				t.Fatalf("attention after a refused count: %d %v", n, err)
			}
		})
	}
}
