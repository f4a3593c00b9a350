package replica

import (
	"context"
	"testing"

	gpsync "gpkiosk/sync"
)

func TestPracticeNameOutlivesARestart(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, gpsync.RoleKiosk)
	if _, ok, err := f.r.Practice(ctx); ok || err != nil {
		t.Fatalf("before any: ok=%v err=%v", ok, err)
	}
	if err := f.r.SavePractice(ctx, PracticeName{}); err == nil {
		t.Fatal("saved a practice with no name")
	}
	for _, name := range []string{"Old Name Surgery", "Meadowbank Surgery"} {
		if err := f.r.SavePractice(ctx, PracticeName{Name: name, ODSCode: "Y99999"}); err != nil {
			t.Fatal(err)
		}
	}
	f.reopen()
	p, ok, err := f.r.Practice(ctx)
	if !ok || err != nil || p != (PracticeName{Name: "Meadowbank Surgery", ODSCode: "Y99999"}) {
		t.Fatalf("after restart: %+v %v %v", p, ok, err)
	}
}
