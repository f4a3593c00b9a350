package store

import (
	"context"
	"testing"
	"time"
)

// A device's clock is believed from DeviceTimeBackHours back to
// DeviceTimeAheadMinutes ahead, both ends included.
func TestJudgedAtEdges(t *testing.T) {
	st := DefaultSettings()
	now := time.Date(2026, 6, 8, 9, 0, 0, 0, time.UTC)
	back, ahead := now.Add(-72*time.Hour), now.Add(5*time.Minute)
	for _, c := range []struct{ said, judged time.Time }{
		{now, now},
		{back, back},
		{back.Add(-time.Second), back},
		{now.AddDate(-30, 0, 0), back},
		{ahead, ahead},
		{ahead.Add(time.Second), ahead},
		{now.AddDate(10, 0, 0), ahead},
	} {
		if got := st.JudgedAt(c.said, now); !got.Equal(c.judged) {
			t.Errorf("said %v: judged %v, want %v", c.said, got, c.judged)
		}
	}
}

// A key recorded before fingerprints were kept (an upgraded server) is
// still answered as a replay; a key recorded with one is refused for
// another action of the same kind.
func TestKeysRecordedWithoutAFingerprintStillReplay(t *testing.T) {
	lf := newLoopFixture(t)
	ask := func(fp string) Outcome {
		out, err := lf.st.Apply(context.Background(), Request{Key: "00000000-0000-4000-8000-00000000aaaa", Device: lf.kiosk,
			MadeAt: lf.clock.Now(), Command: AskForHelp{Note: "help"}, Fingerprint: fp})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := made[Created](t, ask("one"))
	if again := made[Created](t, ask("one")); again != first {
		t.Fatalf("replay made %+v, first %+v", again, first)
	}
	if out := ask("two"); out.Applied() || out.Refusal.Reason != ReasonKeyTaken {
		t.Fatalf("the key for another action: %+v", out)
	}
	if _, err := lf.st.write.Exec("UPDATE applied_ops SET payload_hash = '' WHERE op_id = '00000000-0000-4000-8000-00000000aaaa'"); err != nil {
		t.Fatal(err)
	}
	if again := made[Created](t, ask("two")); again != first {
		t.Fatalf("a key recorded before fingerprints: %+v, first %+v", again, first)
	}
}
