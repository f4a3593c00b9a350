package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"

	"gpkiosk/store"
)

// Months of past activity, so the manager's uptake dashboard is not empty
// on first start: the list as it grew, online registrations by each way
// of checking identity (a few later revoked), appointments booked and
// cancelled at reception, online and at the kiosk, kiosk check-ins, repeat
// orders and practice-mode lessons. The kiosk's share grows month by month,
// as a practice's would after installing one. Everything is in the past by
// the store's clock, and drawn from its own random stream, so the rest of
// the demo is the same with or without it.

// MaxHistoryMonths bounds Options.HistoryMonths.
const MaxHistoryMonths = 24

// historyStream is the history's own PCG word ("history").
const historyStream = 0x0068_6973_746f_7279

// quietPatients are the first patients of the list, left without history
// so tests that register them for the kiosk find a clear diary.
const quietPatients = 50

// accountAlphabet is the letters a registration's account ID is made of
// (store's code alphabet: no look-alike characters).
const accountAlphabet = "ACDEFGHJKMNPQRTUVWXY34679"

type historyRun struct {
	*generator
	r        *rand.Rand
	first    store.Date // the first day of the history
	last     store.Date // yesterday
	now      time.Time
	months   int
	patients int // the list's size: activity is scaled to it
	accounts map[string]bool
}

// history adds opts.HistoryMonths of past activity, ending yesterday.
func (g *generator) history() error {
	if g.opts.HistoryMonths == 0 {
		return nil
	}
	today := g.opts.Today
	if today.IsZero() {
		today = g.opts.Start
	}
	t := time.Date(today.Year, today.Month-time.Month(g.opts.HistoryMonths), 1, 12, 0, 0, 0, time.UTC)
	first := store.Date{Year: t.Year(), Month: t.Month(), Day: 1}
	h := &historyRun{generator: g, r: rand.New(rand.NewPCG(g.opts.Seed, historyStream)), first: first, last: today.AddDays(-1),
		now: g.l.Now(), months: g.opts.HistoryMonths + 1, patients: g.opts.Patients, accounts: map[string]bool{}}
	if !g.opts.Busy { // the waiting-room kiosk is the busy demo's; history needs it too
		if err := g.l.AddRetiredDevice(DemoKioskDeviceID, store.DeviceKiosk, "Waiting room kiosk (old)", first.At(8, 0, g.loc), h.now); err != nil {
			return fmt.Errorf("demo history: device: %w", err)
		}
	}
	for _, step := range []func() error{h.list, h.registrations, h.appointments, h.repeats, h.lessons} {
		if err := g.checkCtx(); err != nil {
			return err
		}
		if err := step(); err != nil {
			return fmt.Errorf("demo history: %w", err)
		}
	}
	return nil
}

// past reports whether t is before the store's now (the history never
// runs into it, even with a clock earlier than Today).
func (h *historyRun) past(t time.Time) bool { return t.Before(h.now) }

// monthIndex is 0 for the history's first month, rising by one a month.
func (h *historyRun) monthIndex(d store.Date) int {
	return (d.Year-h.first.Year)*12 + int(d.Month) - int(h.first.Month)
}

// share is a percentage that moves from a to b across the history.
func (h *historyRun) share(d store.Date, a, b int) int {
	if h.months <= 1 {
		return b
	}
	return a + (b-a)*h.monthIndex(d)/(h.months-1)
}

// list backdates when each patient joined: most long before the history,
// about one in fifty during it, so the list grows.
func (h *historyRun) list() error {
	days := h.first.DaysUntil(h.last)
	for _, id := range h.allPatients {
		var day store.Date
		if percent(h.r, 2) && days > 0 {
			day = h.first.AddDays(h.r.IntN(days + 1))
		} else {
			day = h.first.AddDays(-1 - h.r.IntN(20*365))
		}
		if at := day.At(10, 0, h.loc); h.past(at) {
			if err := h.l.SetRegisteredAt(id, at); err != nil {
				return err
			}
		}
	}
	return nil
}

// candidates are adults with history: not the first few of the list.
func (h *historyRun) candidates() []repeatPatient {
	var out []repeatPatient
	for i, p := range h.onRepeats {
		if i >= quietPatients && p.adult {
			out = append(out, p)
		}
	}
	return out
}

func (h *historyRun) accountID() string {
	for {
		b := make([]byte, 0, 14)
		for i := range 12 {
			if i > 0 && i%4 == 0 {
				b = append(b, '-')
			}
			b = append(b, accountAlphabet[h.r.IntN(len(accountAlphabet))])
		}
		if s := string(b); !h.accounts[s] {
			h.accounts[s] = true
			return s
		}
	}
}

// registrations: about one adult in seven registered before the history,
// then a few dozen a month, more as the kiosk settles in; now and then a
// patient asks for access to end.
func (h *historyRun) registrations() error {
	adults := h.candidates()
	h.r.Shuffle(len(adults), func(i, j int) { adults[i], adults[j] = adults[j], adults[i] })
	next := 0
	register := func(p repeatPatient, at time.Time) (int64, error) {
		method := []string{store.VerifyPhotoIDAndAddress, store.VerifyVouching, store.VerifyVouchingWithInfo}[pickWeighted(h.r, []int{55, 30, 15})]
		record := store.RecordAccessNone
		switch {
		case method == store.VerifyPhotoIDAndAddress && percent(h.r, 35), method == store.VerifyVouchingWithInfo && percent(h.r, 20):
			record = store.RecordAccessDetailed
		case percent(h.r, 30):
			record = store.RecordAccessSummary
		}
		appts, presc := percent(h.r, 90), len(p.items) > 0 && !p.unsuitable && percent(h.r, 85)
		if !appts && !presc && record == store.RecordAccessNone {
			appts = true
		}
		account := h.accountID()
		key := sha256.Sum256([]byte("demo history " + account)) // stands in for a Linkage Key nobody holds
		letter := at.Add(time.Duration(5+h.r.IntN(20)) * time.Minute)
		return h.l.AddRegistration(store.NewRegistration{PatientID: p.id, VerificationMethod: method, VerifiedByStaffID: h.staff["reception"],
			VerifiedAt: at, CoercionConsidered: true, ServiceAppointments: appts, ServicePrescriptions: presc, RecordAccess: record,
			AccountID: account, LinkageKeyHash: hex.EncodeToString(key[:]), LetterIssuedAt: letter, LetterExpiresAt: letter.Add(store.LetterValidity)})
	}
	var live []int64
	before := len(adults) / 7
	for ; next < before; next++ {
		at := h.workingTime(h.first.AddDays(-1 - h.r.IntN(3*365)))
		id, err := register(adults[next], at)
		if err != nil {
			return err
		}
		live = append(live, id)
	}
	for d := h.first; !h.last.Before(d); d = d.AddDays(1) {
		if !store.IsWorkingDay(d) {
			continue
		}
		// 1 to 3 a day at first, 2 to 4 by the end (for 3,000 patients).
		n := h.perDay(h.r.IntN(3) + 1 + h.share(d, 0, 1))
		for range n {
			if next >= len(adults) {
				break
			}
			at := h.workingTime(d)
			if !h.past(at) {
				continue
			}
			id, err := register(adults[next], at)
			if err != nil {
				return err
			}
			next++
			live = append(live, id)
		}
		for range h.perDay(1) {
			if !percent(h.r, 5) || len(live) == 0 {
				continue
			}
			i := h.r.IntN(len(live))
			if at := h.workingTime(d); h.past(at) {
				if err := h.l.RevokeRegistration(live[i], at, "patient asked"); err != nil {
					return err
				}
				live = append(live[:i], live[i+1:]...)
			}
		}
	}
	return nil
}

// perDay scales n, a day's count for a 3,000-patient practice, to the
// list, rounding at random so a small list still sees some.
func (h *historyRun) perDay(n int) int {
	scaled := n * h.patients
	out := scaled / 3000
	if h.r.IntN(3000) < scaled%3000 {
		out++
	}
	return out
}

// workingTime is a time in surgery hours on day d.
func (h *historyRun) workingTime(d store.Date) time.Time {
	return d.At(8, 30, h.loc).Add(time.Duration(h.r.IntN(9*60)) * time.Minute)
}

// appointments: three clinicians' mornings and afternoons on each working day, most
// slots booked, some days ahead; a few cancelled or missed; arrivals
// checked in at the kiosk more and more.
func (h *historyRun) appointments() error {
	people := h.candidates()
	if len(people) == 0 {
		return nil
	}
	team := []struct{ clinician, kind string }{{"Dr Amina Okafor", "gp-routine"}, {"Dr Rhys Llewellyn", "gp-routine"}, {"Siobhan Kelly", "nurse-bp"}}
	for d := h.first; !h.last.Before(d); d = d.AddDays(1) {
		if !store.IsWorkingDay(d) {
			continue
		}
		if err := h.checkCtx(); err != nil {
			return err
		}
		for i := range max(1, h.perDay(2*len(team))) { // mornings and afternoons
			c := team[i%len(team)]
			ty := h.types[c.kind]
			from := 9
			if i%2 == 1 {
				from = 14
			}
			sess := store.NewSession{ClinicianID: h.clinicians[c.clinician], Day: d, StartsAt: d.At(from, 0, h.loc), EndsAt: d.At(from+3, 0, h.loc),
				Room: fmt.Sprintf("Room %d", 1+i/2)}
			for m := 0; m+ty.minutes <= 180; m += ty.minutes {
				start := d.At(from, 0, h.loc).Add(time.Duration(m) * time.Minute)
				sess.Slots = append(sess.Slots, store.NewSlot{SlotTypeID: ty.id, StartsAt: start, EndsAt: start.Add(time.Duration(ty.minutes) * time.Minute), OnlineBookable: true})
			}
			if _, err := h.l.AddSession(sess); err != nil {
				return err
			}
		}
		slots, err := h.l.SlotsOn(d)
		if err != nil {
			return err
		}
		for _, s := range slots {
			if !percent(h.r, 60) || len(people) == 0 || !h.past(s.StartsAt) {
				continue
			}
			if err := h.appointment(d, s, people[h.r.IntN(len(people))]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (h *historyRun) appointment(d store.Date, s store.LoadedSlot, p repeatPatient) error {
	kiosk, online := h.share(d, 3, 14), h.share(d, 22, 27)
	ch := []store.Channel{store.ChannelKiosk, store.ChannelOnline, store.ChannelReception}[pickWeighted(h.r, []int{kiosk, online, 100 - kiosk - online})]
	booked := s.StartsAt.Add(-time.Duration(1+h.r.IntN(14*24)) * time.Hour)
	a := store.NewAppointment{SlotID: s.ID, PatientID: p.id, Channel: ch, Status: store.StatusSeen, BookedAt: booked,
		StatusChangedAt: s.StartsAt.Add(10 * time.Minute)}
	cancel := percent(h.r, 10)
	switch {
	case cancel:
		a.Status, a.StatusChangedAt = store.StatusBooked, booked
	case percent(h.r, 4):
		a.Status = store.StatusDidNotAttend
	}
	id, err := h.l.AddAppointment(a)
	if err != nil {
		return err
	}
	if cancel {
		by := ch
		if percent(h.r, 25) {
			by = store.ChannelReception
		}
		at := booked.Add(time.Duration(h.r.Int64N(int64(s.StartsAt.Sub(booked) - time.Hour + 1))))
		return h.l.CancelLoaded(id, by, at)
	}
	if a.Status == store.StatusSeen && percent(h.r, h.share(d, 8, 45)) {
		return h.l.CheckInLoaded(id, DemoKioskDeviceID, s.StartsAt.Add(-time.Duration(2+h.r.IntN(10))*time.Minute))
	}
	return nil
}

// repeats: some patients on repeat medicines order each working day, more
// of them themselves as time goes on.
func (h *historyRun) repeats() error {
	var onRepeats []repeatPatient
	for _, p := range h.candidates() {
		if len(p.orderable(h.first)) > 0 {
			onRepeats = append(onRepeats, p)
		}
	}
	if len(onRepeats) == 0 {
		return nil
	}
	for d := h.first; !h.last.Before(d); d = d.AddDays(1) {
		if !store.IsWorkingDay(d) {
			continue
		}
		for range h.perDay(30 + h.r.IntN(25)) {
			p := onRepeats[h.r.IntN(len(onRepeats))]
			kiosk, online := h.share(d, 4, 15), h.share(d, 33, 40)
			ch := []store.Channel{store.ChannelKiosk, store.ChannelOnline, store.ChannelReception}[pickWeighted(h.r, []int{kiosk, online, 100 - kiosk - online})]
			if p.unsuitable {
				ch = store.ChannelReception
			}
			items := p.orderable(h.first)
			items = items[:1+h.r.IntN(len(items))]
			at := h.workingTime(d)
			if !h.past(at) {
				continue
			}
			if _, err := h.l.AddPastRepeatRequest(p.id, ch, items, at); err != nil {
				return err
			}
		}
	}
	return nil
}

// lessons: the digital-skills sessions, a couple of mornings a week.
func (h *historyRun) lessons() error {
	lessons := []string{"touchscreen", "sign-in", "book", "cancel", "repeat", "check-in", "nhs-app"}
	for d := h.first; !h.last.Before(d); d = d.AddDays(1) {
		if (d.Weekday() != time.Tuesday && d.Weekday() != time.Thursday) || !store.IsWorkingDay(d) {
			continue
		}
		for _, lesson := range lessons {
			if n := h.r.IntN(3 + h.share(d, 0, 3)); n > 0 {
				if err := h.l.AddLessonCount(DemoKioskDeviceID, lesson, d, n); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
