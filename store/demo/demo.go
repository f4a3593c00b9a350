// Package demo generates a synthetic practice: clinicians, slot types,
// weeks of sessions and slots, patients in the never-issued 999 NHS number
// range and their repeat medicines. It is for training mode, demos and load
// tests. The output depends only on Options, so the same Options always
// give the same rows (apart from the timestamps the store stamps itself).
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"gpkiosk/store"
)

// MaxPatients bounds Options.Patients well inside the ~909,000 valid NHS
// numbers that start with 999.
const MaxPatients = 500_000

// MaxWeeks bounds Options.Weeks to two years of sessions.
const MaxWeeks = 104

// pcgStream is the second PCG word; fixed so that the seed alone chooses
// the output.
const pcgStream = 0x6770_6b69_6f73_6b31 // "gpkiosk1"

// ErrNotEmpty means the database already holds a practice. Demo data only
// ever goes into a new database, so it can never mix with real records.
var ErrNotEmpty = errors.New("the database already holds a practice; demo data can only go into a new, empty database")

// Options choose the size and shape of the demo practice. The store refuses
// a date of birth after its own today and the youngest demo patients are a
// week old on Start, so Start may be at most a week after the store's clock.
type Options struct {
	Seed     uint64     // the same seed gives the same practice
	Patients int        // list size
	Weeks    int        // weeks of sessions to create from Start
	Start    store.Date // first surgery day; ages and issue dates are reckoned from it
	// Busy fills the staff desktop's queues so they are not empty on first
	// start: repeat requests to decide and hand out, an inbox and today's
	// appointments. Tests that count a practice's requests leave it off.
	Busy bool
	// Today is the day Busy fills the day's list for; zero means Start.
	Today store.Date
	// Practice names the practice; zero means Practice(), the demo's.
	Practice store.Practice
	// HistoryMonths of past activity end yesterday (Today's): registrations,
	// bookings and cancellations by channel, check-ins, repeat orders and
	// lessons, for the manager's uptake figures. 0 for none, as tests
	// that count what they made themselves want. Not with KioskOnly.
	HistoryMonths int
	// KioskOnly leaves out the staff accounts (and so the Busy queues,
	// which are staff work): a practice only a kiosk
	// will use (sync/pretend) is made without their argon2id hashes,
	// which are most of the time it takes.
	KioskOnly bool
}

// KioskExitPIN is the demo practice's PIN for closing a kiosk. It is
// published in the README, so it must never be a real practice's PIN.
const KioskExitPIN = "246810"

// DefaultOptions is a typical small practice list with eight weeks of
// sessions starting on the Monday of the week containing today.
func DefaultOptions(today store.Date) Options {
	monday := today.AddDays(-((int(today.Weekday()) + 6) % 7))
	return Options{Seed: 1, Patients: 3000, Weeks: 8, Start: monday, Busy: true, Today: today, HistoryMonths: 6}
}

func (o Options) validate() error {
	if o.Patients < 0 || o.Patients > MaxPatients {
		return fmt.Errorf("patients must be between 0 and %d, not %d", MaxPatients, o.Patients)
	}
	if o.Weeks < 0 || o.Weeks > MaxWeeks {
		return fmt.Errorf("weeks must be between 0 and %d, not %d", MaxWeeks, o.Weeks)
	}
	if o.HistoryMonths < 0 || o.HistoryMonths > MaxHistoryMonths {
		return fmt.Errorf("months of history must be between 0 and %d, not %d", MaxHistoryMonths, o.HistoryMonths)
	}
	if o.Start.IsZero() {
		return errors.New("no start date given")
	}
	if _, err := store.NewDate(o.Start.Year, o.Start.Month, o.Start.Day); err != nil {
		return fmt.Errorf("start date: %w", err)
	}
	// Over 100-year-olds are born this long before Start; NewDate refuses
	// years before 1850.
	if o.Start.Year < 1960 {
		return fmt.Errorf("start date %s is too early", o.Start)
	}
	return nil
}

// Summary counts what Generate created. It holds no patient data, so it is
// safe to log.
type Summary struct {
	Clinicians  int
	SlotTypes   int
	Sessions    int
	Slots       int
	Patients    int
	RepeatItems int
}

// Rows is the number of rows Generate inserted (the practice and its
// settings not counted).
func (s Summary) Rows() int {
	return s.Clinicians + s.SlotTypes + s.Sessions + s.Slots + s.Patients + s.RepeatItems
}

func (s Summary) String() string {
	return fmt.Sprintf("%d clinicians, %d slot types, %d sessions, %d slots, %d patients, %d repeat items",
		s.Clinicians, s.SlotTypes, s.Sessions, s.Slots, s.Patients, s.RepeatItems)
}

// Practice is the demo practice. It is fictional: the ODS code, postcode
// area "MB" and town do not exist, and the phone number is in Ofcom's
// 01632 960xxx range kept for drama.
func Practice() store.Practice {
	return store.Practice{
		ODSCode:  "Y99999",
		Name:     "Meadowbank Surgery (demo practice)",
		Address:  "Meadowbank Health Centre, 1 Church Street, Meadowbank",
		Postcode: "MB1 1AD",
		Phone:    "01632 960000",
	}
}

// Generate fills an empty store with a demo practice. It refuses a store
// that already has a practice. Everything after the practice itself is
// written in one transaction, so an error or a cancelled ctx leaves no
// clinicians, sessions or patients behind.
func Generate(ctx context.Context, st *store.Store, opts Options) (Summary, error) {
	const op = "demo.Generate"
	if err := opts.validate(); err != nil {
		return Summary{}, fmt.Errorf("%s: %w", op, err)
	}
	empty, err := st.IsEmpty(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("%s: %w", op, err)
	}
	if !empty {
		return Summary{}, fmt.Errorf("%s: %w", op, ErrNotEmpty)
	}
	var sum Summary
	// The practice and all its data are one transaction: a cancelled or
	// failed run leaves the database empty, ready to try again.
	err = st.Load(ctx, func(l *store.Loader) error {
		pr := opts.Practice
		if pr.Name == "" {
			pr = Practice()
		}
		if err := l.SetupPractice(pr, store.DefaultSettings()); err != nil {
			return err
		}
		if err := l.SetKioskExitPIN(KioskExitPIN); err != nil {
			return err
		}
		g := &generator{
			ctx:  ctx,
			l:    l,
			r:    rand.New(rand.NewPCG(opts.Seed, pcgStream)),
			loc:  st.Location(),
			opts: opts,
		}
		if err := g.run(); err != nil {
			return err
		}
		sum = g.sum
		return nil
	})
	if err != nil {
		return Summary{}, fmt.Errorf("%s: %w", op, err)
	}
	return sum, nil
}

// generator holds one run's state; nothing is shared between runs.
type generator struct {
	ctx  context.Context
	l    *store.Loader
	r    *rand.Rand
	loc  *time.Location
	opts Options
	sum  Summary

	types  map[string]slotTypeRef // by code
	people *people
	meds   []medicine

	clinicians  map[string]int64 // by display name
	staff       map[string]int64 // by username
	onRepeats   []repeatPatient  // some patients with repeat items, for the queues
	allPatients []int64          // every patient, in the order added
}

func (g *generator) run() error {
	if err := g.schedule(); err != nil {
		return err
	}
	var err error
	if g.opts.KioskOnly {
		return g.patients()
	}
	if g.staff, err = addStaffAccounts(g.l, g.clinicians); err != nil {
		return err
	}
	if err := g.patients(); err != nil {
		return err
	}
	if g.opts.Busy {
		if err := g.loop(); err != nil {
			return err
		}
	}
	return g.history()
}

// checkCtx stops a long run promptly when the caller gives up.
func (g *generator) checkCtx() error {
	if err := g.ctx.Err(); err != nil {
		return fmt.Errorf("stopped: %w", err)
	}
	return nil
}

// pickWeighted returns an index into weights, chosen in proportion.
func pickWeighted(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// percent is true p times in a hundred.
func percent(r *rand.Rand, p int) bool { return r.IntN(100) < p }

// randomDay is a day in [lo, hi], inclusive.
func randomDay(r *rand.Rand, lo, hi store.Date) store.Date {
	n := lo.DaysUntil(hi)
	if n <= 0 {
		return lo
	}
	return lo.AddDays(r.IntN(n + 1))
}
