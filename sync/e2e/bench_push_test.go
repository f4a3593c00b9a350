package e2e

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
)

// pusher is a device that pushes straight to the server on loopback (no
// fault proxy), so a push's time is the server's and the network's.
type pusher struct {
	d     *device
	c     *client.Client
	staff replica.StaffMember // signed in on a desktop
	sent  int                 // ops this device has pushed
	views int                 // record views queued, for viewed(i)
}

func (e *env) newPusher(tb testing.TB, role string) *pusher {
	tb.Helper()
	en := e.enrol(tb, role)
	path := filepath.Join(e.dir, en.DeviceID+".db")
	rep, err := replica.Open(context.Background(), path, replica.WithClock(e.clock))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { rep.Close() })
	if err := rep.SaveEnrolment(context.Background(), en); err != nil {
		tb.Fatal(err)
	}
	p := &pusher{d: &device{id: en.DeviceID, path: path, rep: rep, runner: e.runner(tb, rep, en)}}
	syncUntilDrained(tb, p.d)
	if p.c, err = client.New(e.srv.URL, client.WithToken(en.Token), client.WithTimeout(time.Minute),
		client.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))); err != nil {
		tb.Fatal(err)
	}
	if role == gpsync.RoleDesktop {
		p.staff = signInDemoStaff(tb, p.d, "reception")
	}
	return p
}

// queueViews has the desktop's member of staff open n records.
func (p *pusher) queueViews(tb testing.TB, n int) {
	tb.Helper()
	for range n {
		queueView(tb, p.d.rep, p.staff, p.views)
		p.views++
	}
}

// push sends up to one push's worth of the device's queued ops and
// records the answers; every op must be applied. It returns how many ops
// went and how long the server took to answer.
func (p *pusher) push(tb testing.TB) (int, time.Duration) {
	tb.Helper()
	ctx := context.Background()
	ops, err := p.d.rep.PendingOps(ctx, gpsync.MaxOpsPerPush)
	if err != nil {
		tb.Error(err)
		return 0, 0
	}
	start := time.Now()
	resp, err := p.c.Push(ctx, ops)
	took := time.Since(start)
	if err != nil {
		tb.Error(err)
		return 0, 0
	}
	for _, r := range resp.Results {
		if r.Status != gpsync.OpApplied {
			tb.Errorf("op %s refused: %s %s", r.ID, r.Reason, r.Message)
		}
	}
	if err := p.d.rep.RecordResults(ctx, resp.Results); err != nil {
		tb.Error(err)
	}
	p.sent += len(ops)
	return len(ops), took
}

// drain pushes until nothing is queued, and returns the ops sent.
func (p *pusher) drain(tb testing.TB) int {
	total := 0
	for {
		n, _ := p.push(tb)
		if n == 0 || tb.Failed() {
			return total
		}
		total += n
	}
}

// kioskOpsEach keeps a kiosk inside its hourly lesson-count quota (60):
// past it, the bench enrols a fresh kiosk (untimed).
const kioskOpsEach = 50

// kioskCount queues one lesson count, the kiosk's own op (a patient's
// would need a new patient each time: bookings are limited per patient).
func (e *env) kioskCount(tb testing.TB, p *pusher) {
	tb.Helper()
	if err := p.d.rep.CountLesson(context.Background(), "book", store.DateOf(e.clock(), time.UTC)); err != nil {
		tb.Fatal(err)
	}
}

// fresh replaces kiosks that have used their quota.
func (e *env) fresh(tb testing.TB, kiosks []*pusher, need int) {
	tb.Helper()
	for i, k := range kiosks {
		if k.sent+need > kioskOpsEach {
			kiosks[i] = e.newPusher(tb, gpsync.RoleKiosk)
		}
	}
}

// BenchmarkPushTogether is 20 kiosks and 5 desktops pushing at once (each
// kiosk a run of one-op pushes, each desktop 500 record views in pushes of
// 100) against one desktop pushing its 500 alone, measured in the same
// run: ops a second together over alone, which is near 1 when the server
// loses nothing to contention.
func BenchmarkPushTogether(b *testing.B) {
	const desktops, kiosks, viewsEach, kioskPushes = 5, 20, 500, 10
	e := newEnv(b, 3000)
	alone := e.newPusher(b, gpsync.RoleDesktop)
	var aloneOps int
	var aloneTime time.Duration
	desks := make([]*pusher, desktops)
	for i := range desks {
		desks[i] = e.newPusher(b, gpsync.RoleDesktop)
	}
	ks := make([]*pusher, kiosks)
	for i := range ks {
		ks[i] = e.newPusher(b, gpsync.RoleKiosk)
	}
	ops := 0
	for b.Loop() {
		b.StopTimer()
		// The baseline, in turn with the measured pushes so that both see
		// the same machine.
		alone.queueViews(b, viewsEach)
		start := time.Now()
		aloneOps += alone.drain(b)
		aloneTime += time.Since(start)
		e.fresh(b, ks, kioskPushes)
		for _, d := range desks {
			d.queueViews(b, viewsEach)
		}
		b.StartTimer()
		var wg sync.WaitGroup
		counts := make([]int, desktops+kiosks)
		for i, d := range desks {
			wg.Go(func() { counts[i] = d.drain(b) })
		}
		for i, k := range ks {
			wg.Go(func() {
				for range kioskPushes {
					e.kioskCount(b, k)
					n, _ := k.push(b)
					counts[desktops+i] += n
				}
			})
		}
		wg.Wait()
		for _, n := range counts {
			ops += n
		}
	}
	together := float64(ops) / b.Elapsed().Seconds()
	single := float64(aloneOps) / aloneTime.Seconds()
	b.ReportMetric(single, "alone-ops/s")
	b.ReportMetric(together, "together-ops/s")
	b.ReportMetric(together/single, "together/alone")
}

// BenchmarkKioskPushUnderLoad is a kiosk's one-op push while 5 desktops
// push 100-op batches without pause, against the same kiosk push with
// nothing else happening, measured in the same run: p50 and p99 of each,
// over 200 pushes an iteration.
func BenchmarkKioskPushUnderLoad(b *testing.B) {
	const desktops, samples = 5, 200
	e := newEnv(b, 3000)
	kiosks := []*pusher{e.newPusher(b, gpsync.RoleKiosk)}
	var paused atomic.Bool // while a fresh kiosk is enrolled, untimed
	kioskPush := func() time.Duration {
		if kiosks[0].sent+1 > kioskOpsEach {
			b.StopTimer()
			paused.Store(true)
			e.fresh(b, kiosks, 1)
			paused.Store(false)
			b.StartTimer()
		}
		e.kioskCount(b, kiosks[0])
		_, took := kiosks[0].push(b)
		return took
	}
	var alone []time.Duration
	for range samples {
		alone = append(alone, kioskPush())
	}
	desks := make([]*pusher, desktops)
	for i := range desks {
		desks[i] = e.newPusher(b, gpsync.RoleDesktop)
		// Queued before, so the desktops' time goes on pushing.
		desks[i].queueViews(b, 3000)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, d := range desks {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if paused.Load() {
					time.Sleep(time.Millisecond)
					continue
				}
				if n, _ := d.push(b); n == 0 {
					d.queueViews(b, 500)
				}
			}
		})
	}
	var loaded []time.Duration
	for b.Loop() {
		for range samples {
			loaded = append(loaded, kioskPush())
		}
	}
	close(stop)
	wg.Wait()
	ms := func(ds []time.Duration, q float64) float64 {
		slices.Sort(ds)
		return float64(ds[min(len(ds)-1, int(q*float64(len(ds))))].Microseconds()) / 1000
	}
	b.ReportMetric(ms(alone, 0.5), "alone-p50-ms")
	b.ReportMetric(ms(alone, 0.99), "alone-p99-ms")
	b.ReportMetric(ms(loaded, 0.5), "loaded-p50-ms")
	b.ReportMetric(ms(loaded, 0.99), "loaded-p99-ms")
}
