package demo

import (
	"fmt"
	"slices"
	"time"

	"gpkiosk/store"
)

// The demo practice's queues, so the staff desktop has something to show
// on first start: repeat requests waiting for a prescriber and one ready
// to hand out, help requests and a problem report from the waiting-room
// kiosk, and today's appointments for every clinician, some arrived.

// DemoKioskDeviceID names the device the demo's help requests and problem
// report came from: the practice's earlier waiting-room kiosk, since
// retired, so the inbox shows a name and nothing can sign in as it.
const DemoKioskDeviceID = "waiting-room-kiosk"

type repeatRef struct {
	id        int64
	active    bool
	reviewDue store.Date
}

type repeatPatient struct {
	id         int64
	unsuitable bool
	adult      bool
	items      []repeatRef
}

func (p repeatPatient) orderable(today store.Date) []int64 {
	var out []int64
	for _, it := range p.items {
		if it.active && (it.reviewDue.IsZero() || today.Before(it.reviewDue)) {
			out = append(out, it.id)
		}
	}
	return out
}

func (p repeatPatient) reviewDueItem(today store.Date) (int64, bool) {
	for _, it := range p.items {
		if it.active && !it.reviewDue.IsZero() && !today.Before(it.reviewDue) {
			return it.id, true
		}
	}
	return 0, false
}

// loop fills the queues. Patients are taken from the end of the list, so
// the first patients (which tests register for the kiosk) keep a clear
// diary and repeat list.
func (g *generator) loop() error {
	today := g.opts.Today
	if today.IsZero() {
		today = g.opts.Start
	}
	used := map[int64]bool{}
	pick := func(ok func(repeatPatient) bool) (repeatPatient, bool) {
		for i := len(g.onRepeats) - 1; i >= 0; i-- {
			if p := g.onRepeats[i]; !used[p.id] && ok(p) {
				used[p.id] = true
				return p, true
			}
		}
		return repeatPatient{}, false
	}
	order := func(p repeatPatient, ch store.Channel, note string, items []int64) (int64, error) {
		id, err := g.l.RequestRepeats(store.RepeatRequest{PatientID: p.id, ItemIDs: items, Channel: ch, Note: note,
			Actor: store.Actor{Name: fmt.Sprintf("patient:%d", p.id), Device: DemoKioskDeviceID}})
		if err != nil {
			return 0, fmt.Errorf("demo repeat request: %w", err)
		}
		return id, nil
	}
	orderable := func(n int) func(repeatPatient) bool {
		return func(p repeatPatient) bool { return !p.unsuitable && len(p.orderable(today)) >= n }
	}

	if p, ok := pick(orderable(2)); ok {
		if _, err := order(p, store.ChannelKiosk, "I am going on holiday on Friday. Could I collect these by Thursday, please?", p.orderable(today)[:2]); err != nil {
			return err
		}
	}
	if p, ok := pick(orderable(1)); ok {
		if _, err := order(p, store.ChannelOnline, "", p.orderable(today)[:1]); err != nil {
			return err
		}
	}
	// Due for review: only reception may order it, and the prescriber sees
	// the flag.
	if p, ok := pick(func(p repeatPatient) bool { _, due := p.reviewDueItem(today); return due }); ok {
		item, _ := p.reviewDueItem(today)
		if _, err := order(p, store.ChannelReception, "", append([]int64{item}, p.orderable(today)[:min(1, len(p.orderable(today)))]...)); err != nil {
			return err
		}
	}
	// Ordering unsuitable online: reception ordered it for them.
	if p, ok := pick(func(p repeatPatient) bool { return p.unsuitable && len(p.orderable(today)) > 0 }); ok {
		if _, err := order(p, store.ChannelReception, "Asked at the desk.", p.orderable(today)[:1]); err != nil {
			return err
		}
	}
	// Decided by the GP, waiting to be collected.
	if p, ok := pick(orderable(1)); ok {
		items := p.orderable(today)[:1]
		id, err := order(p, store.ChannelKiosk, "", items)
		if err != nil {
			return err
		}
		if err := g.l.DecideRepeats(g.staff["doctor"], store.DecideRepeats{RequestID: id,
			Items: []store.ItemDecision{{RepeatItemID: items[0], Approve: true}}}); err != nil {
			return fmt.Errorf("demo decision: %w", err)
		}
	}

	now := g.l.Now()
	if err := g.l.AddRetiredDevice(DemoKioskDeviceID, store.DeviceKiosk, "Waiting room kiosk (old)", now.AddDate(0, -6, 0), now); err != nil {
		return fmt.Errorf("demo device: %w", err)
	}
	if _, err := g.l.AddHelpRequest(DemoKioskDeviceID, "I can't read the screen without my glasses.", now.Add(-12*time.Minute)); err != nil {
		return fmt.Errorf("demo help request: %w", err)
	}
	if _, err := g.l.AddHelpRequest(DemoKioskDeviceID, "", now.Add(-3*time.Minute)); err != nil {
		return fmt.Errorf("demo help request: %w", err)
	}
	if _, err := g.l.AddProblemReport(DemoKioskDeviceID, "patient", "printer", "The slip came out blank.", now.Add(-40*time.Minute)); err != nil {
		return fmt.Errorf("demo problem report: %w", err)
	}
	return g.todaysList(today, func() (repeatPatient, bool) { return pick(func(p repeatPatient) bool { return p.adult }) })
}

// todaysList books a few of today's slots for every clinician working
// today, every other one arrived.
func (g *generator) todaysList(today store.Date, next func() (repeatPatient, bool)) error {
	slots, err := g.l.SlotsOn(today)
	if err != nil {
		return err
	}
	now := g.l.Now()
	perClinician := map[int64]int{}
	for _, s := range slots {
		if s.Urgent || perClinician[s.ClinicianID] >= 6 || slices.Contains([]int{1, 3}, int(s.StartsAt.Unix()/60)%5) {
			continue
		}
		p, ok := next()
		if !ok {
			return nil
		}
		a := store.NewAppointment{SlotID: s.ID, PatientID: p.id, Channel: store.ChannelReception, Status: store.StatusBooked,
			BookedAt: now.AddDate(0, 0, -7)}
		if perClinician[s.ClinicianID]%2 == 1 {
			// Arrived a few minutes early, as people do; never in the future.
			arrived := s.StartsAt.Add(-4 * time.Minute)
			if arrived.After(now) {
				arrived = now
			}
			a.Status, a.StatusChangedAt = store.StatusArrived, arrived
		}
		if _, err := g.l.AddAppointment(a); err != nil {
			return fmt.Errorf("demo appointment: %w", err)
		}
		perClinician[s.ClinicianID]++
	}
	return nil
}
