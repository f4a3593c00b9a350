// Package pretend is a practice made up on the device itself, for
// assisted digital-skills sessions (issue 12): a small invented practice in
// its own folder, whose kiosk replica is kept in step in-process. It has
// no sync client, no server address and no device token, so nothing done
// in it can reach a real practice, and it never opens the device's real
// replica.
package pretend

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/demo"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/server"
)

// Details are the pretend practice's: plainly not real.
func Details() store.Practice {
	return store.Practice{ODSCode: "Y00000", Name: "Practice Surgery (not real)",
		Address: "1 Pretend Street, Nowhere", Postcode: "ZZ99 9ZZ", Phone: "01632 960999"}
}

// Size of the pretend practice: enough for every lesson, small enough to
// make in a moment.
const (
	patients = 60
	weeks    = 2
)

// Practice is a pretend practice and the kiosk replica that shows it.
type Practice struct {
	mu    sync.Mutex // one sync at a time, as a runner would
	dir   string
	clock func() time.Time
	st    *store.Store
	rep   *replica.Replica
	dev   store.Device
	used  bool // something was done since it was made
}

// Open makes a fresh pretend practice in dir (which it owns: anything
// there is replaced) and a kiosk replica of it, synced and ready.
func Open(ctx context.Context, dir string, clock func() time.Time) (*Practice, error) {
	if clock == nil {
		clock = time.Now
	}
	p := &Practice{dir: dir, clock: clock}
	if err := p.make(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("pretend.Open: %w", err)
	}
	return p, nil
}

func (p *Practice) make(ctx context.Context) error {
	p.used = false
	for _, f := range []string{"practice.db", "kiosk.db"} {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(filepath.Join(p.dir, f+suffix)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("clear the pretend practice: %w", err)
			}
		}
	}
	st, err := store.Open(ctx, filepath.Join(p.dir, "practice.db"), store.WithClock(p.clock))
	if err != nil {
		return err
	}
	p.st = st
	today := store.DateOf(p.clock(), st.Location())
	opts := demo.DefaultOptions(today)
	opts.Patients, opts.Weeks, opts.Busy, opts.Practice, opts.KioskOnly = patients, weeks, false, Details(), true
	if _, err := demo.Generate(ctx, st, opts); err != nil {
		return fmt.Errorf("make the pretend practice: %w", err)
	}
	// The kiosk is a device of the pretend practice only: its enrolment
	// exists so the pretend practice's own rules (leases, the audit log)
	// know which device acted. The token is thrown away.
	actor := store.Actor{Name: "pretend", Device: "pretend"}
	code, err := st.NewEnrolmentCode(ctx, actor, store.DeviceKiosk, "Practice kiosk", time.Hour)
	if err != nil {
		return err
	}
	if p.dev, _, err = st.Enrol(ctx, code, "Practice kiosk"); err != nil {
		return err
	}
	rep, err := replica.Open(ctx, filepath.Join(p.dir, "kiosk.db"), replica.WithClock(p.clock))
	if err != nil {
		return err
	}
	p.rep = rep
	if err := rep.SaveInProcessEnrolment(ctx, p.dev.ID, gpsync.RoleKiosk); err != nil {
		return err
	}
	return p.SyncNow(ctx)
}

// Replica is the kiosk's view of the pretend practice, for the kiosk's
// screens.
func (p *Practice) Replica() *replica.Replica { return p.rep }

// SyncNow does in-process what a sync does over the network: the
// replica's queued actions are applied to the pretend practice in order,
// their answers recorded, and the practice's changes pulled back. A kind
// the pretend kiosk has used its quota of is held as the practice server
// holds it: its ops stay queued, for a later SyncNow, and the others go.
func (p *Practice) SyncNow(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var held []string
	for {
		ops, err := p.rep.PendingOps(ctx, gpsync.MaxOpsPerPush, held...)
		if err != nil {
			return fmt.Errorf("pretend.SyncNow: %w", err)
		}
		if len(ops) == 0 {
			break
		}
		p.used = true
		results, err := server.ApplyOps(ctx, p.st, p.dev, ops)
		var quota *store.QuotaError
		if errors.As(err, &quota) {
			held = append(held, ops[len(results)].Kind)
		} else if err != nil {
			return fmt.Errorf("pretend.SyncNow: %w", err)
		}
		if err := p.rep.RecordResults(ctx, results); err != nil {
			return fmt.Errorf("pretend.SyncNow: %w", err)
		}
	}
	for {
		cursor, err := p.rep.Cursor(ctx)
		if err != nil {
			return fmt.Errorf("pretend.SyncNow: %w", err)
		}
		page, err := server.ChangesPage(ctx, p.st, p.dev, cursor, gpsync.MaxPageSize)
		if err != nil {
			return fmt.Errorf("pretend.SyncNow: %w", err)
		}
		if err := p.rep.ApplyChanges(ctx, page); err != nil {
			return fmt.Errorf("pretend.SyncNow: %w", err)
		}
		if !page.More {
			return nil
		}
	}
}

// CheckIn checks a pretend patient in, as the practice server would.
func (p *Practice) CheckIn(ctx context.Context, req gpsync.CheckInRequest) (gpsync.CheckInResponse, error) {
	p.mu.Lock()
	p.used = true
	p.mu.Unlock()
	return server.AnswerCheckIn(ctx, p.st, p.dev.ID, req)
}

// Used reports whether anything was done on the pretend practice since it
// was made: practice mode resets a used practice when the kiosk is left
// idle, and leaves an untouched one alone.
func (p *Practice) Used() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.used
}

// Learner is the pretend letter the lessons use.
func Learner() demo.Letter { return demo.Letters()[0] }

// ArrivalSlotType is the kind of appointment the lessons book and check in
// for.
const ArrivalSlotType = "GP appointment (10 minutes)"

// ArrangeArrival gives the lessons' pretend patient an appointment a few
// minutes from now, so checking in can be practised at any hour. Late in
// the evening it starts just before midnight, still inside the check-in
// window.
func (p *Practice) ArrangeArrival(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	loc := p.st.Location()
	now := p.clock().In(loc)
	start := now.Truncate(time.Minute).Add(5 * time.Minute)
	if store.DateOf(start.Add(5*time.Minute-time.Second), loc) != store.DateOf(now, loc) {
		start = store.DateOf(now, loc).AddDays(1).At(0, 0, loc).Add(-5 * time.Minute)
	}
	l := Learner()
	err := p.st.Load(ctx, func(ld *store.Loader) error {
		_, err := ld.ArrivalToday(l.GivenName, l.FamilyName, l.DateOfBirth, ArrivalSlotType, start)
		return err
	})
	if err != nil {
		return fmt.Errorf("pretend.ArrangeArrival: %w", err)
	}
	return nil
}

// Reset throws everything done in the pretend practice away and makes it
// afresh, as it was at the start.
func (p *Practice) Reset(ctx context.Context) error {
	p.Close()
	if err := p.make(ctx); err != nil {
		return fmt.Errorf("pretend.Reset: %w", err)
	}
	return nil
}

// Close closes the pretend practice's files; the folder stays.
func (p *Practice) Close() error {
	var errs []error
	if p.rep != nil {
		errs = append(errs, p.rep.Close())
		p.rep = nil
	}
	if p.st != nil {
		errs = append(errs, p.st.Close())
		p.st = nil
	}
	return errors.Join(errs...)
}
