package demo

import (
	"fmt"
	"time"

	"gpkiosk/store"
)

// slotTypeSpec is a kind of appointment. Names are shown to patients.
type slotTypeSpec struct {
	code    string
	name    string
	minutes int
	role    store.ClinicianRole
	online  bool
	urgent  bool
}

func slotTypeSpecs() []slotTypeSpec {
	return []slotTypeSpec{
		{"gp-routine", "GP appointment (10 minutes)", 10, store.RoleGP, true, false},
		{"gp-urgent", "GP urgent, on the day", 10, store.RoleGP, false, true},
		{"gp-phone", "GP telephone call", 10, store.RoleGP, true, false},
		{"gp-double", "GP double appointment (20 minutes)", 20, store.RoleGP, false, false},
		{"nurse-bp", "Nurse: blood pressure check", 10, store.RoleNurse, true, false},
		{"nurse-smear", "Nurse: cervical screening (smear test)", 15, store.RoleNurse, true, false},
		{"nurse-asthma", "Nurse: asthma review", 20, store.RoleNurse, true, false},
		{"nurse-diabetes", "Nurse: diabetes review", 20, store.RoleNurse, true, false},
		{"nurse-dressing", "Nurse: wound dressing", 15, store.RoleNurse, false, false},
		{"nurse-b12", "Nurse: vitamin B12 injection", 10, store.RoleNurse, true, false},
		{"nurse-child-imms", "Nurse: baby and child vaccinations", 15, store.RoleNurse, false, false},
		{"hca-bloods", "Blood test", 10, store.RoleHCA, true, false},
		{"hca-health-check", "NHS Health Check (ages 40 to 74)", 20, store.RoleHCA, true, false},
		{"hca-ecg", "ECG (heart tracing)", 20, store.RoleHCA, false, false},
		{"pharm-review", "Medication review with the pharmacist", 20, store.RolePharmacist, true, false},
		{"pharm-phone", "Pharmacist telephone call", 10, store.RolePharmacist, true, false},
	}
}

// eligibility is who the national programmes invite: cervical screening
// for women 25 to 64, the NHS Health Check for ages 40 to 74.
func eligibility(code string) store.SlotEligibility {
	switch code {
	case "nurse-smear":
		return store.SlotEligibility{Sex: store.SexFemale, MinAge: 25, MaxAge: 64}
	case "hca-health-check":
		return store.SlotEligibility{MinAge: 40, MaxAge: 74}
	}
	return store.SlotEligibility{}
}

type slotTypeRef struct {
	id      int64
	minutes int
	online  bool
	urgent  bool
}

// mix is how a session's time is shared between slot types.
type mix struct {
	code   string
	weight int
}

// sessionSpec is one session in a clinician's usual week, in wall-clock
// minutes after midnight.
type sessionSpec struct {
	from, to int
	mix      []mix
}

type clinicianSpec struct {
	c    store.Clinician
	room string
	week [7][]sessionSpec // by time.Weekday
}

func hm(h, m int) int { return h*60 + m }

// staff is the practice team and its usual week. About a fifth of GP time
// is urgent on-the-day slots kept for reception.
func staff() []clinicianSpec {
	gpMix := []mix{{"gp-routine", 60}, {"gp-urgent", 20}, {"gp-phone", 17}, {"gp-double", 3}}
	am := sessionSpec{hm(8, 30), hm(12, 0), gpMix}
	pm := sessionSpec{hm(14, 0), hm(17, 30), gpMix}
	gpWeek := func(offDay time.Weekday, offMorning bool) [7][]sessionSpec {
		var w [7][]sessionSpec
		for d := time.Monday; d <= time.Friday; d++ {
			switch {
			case d != offDay:
				w[d] = []sessionSpec{am, pm}
			case offMorning:
				w[d] = []sessionSpec{pm}
			default:
				w[d] = []sessionSpec{am}
			}
		}
		return w
	}

	nurseGeneral := []mix{{"nurse-bp", 25}, {"nurse-smear", 20}, {"nurse-asthma", 12}, {"nurse-diabetes", 13},
		{"nurse-dressing", 15}, {"nurse-b12", 15}}
	nurseAM := sessionSpec{hm(8, 30), hm(12, 30), nurseGeneral}
	var nurse [7][]sessionSpec
	nurse[time.Monday] = []sessionSpec{nurseAM, {hm(13, 30), hm(17, 0), nurseGeneral}}
	nurse[time.Tuesday] = []sessionSpec{nurseAM, {hm(13, 30), hm(17, 0), []mix{{"nurse-smear", 1}}}}
	nurse[time.Wednesday] = []sessionSpec{nurseAM}
	nurse[time.Thursday] = []sessionSpec{nurseAM, {hm(13, 30), hm(16, 30), []mix{{"nurse-child-imms", 1}}}}
	nurse[time.Friday] = []sessionSpec{nurseAM,
		{hm(13, 30), hm(16, 0), []mix{{"nurse-asthma", 1}, {"nurse-diabetes", 1}}}}

	// Fasting blood tests start early, before most people's breakfast.
	hcaAM := sessionSpec{hm(8, 0), hm(12, 0), []mix{{"hca-bloods", 85}, {"hca-health-check", 15}}}
	hcaPM := sessionSpec{hm(13, 30), hm(16, 30), []mix{{"hca-bloods", 50}, {"hca-health-check", 35}, {"hca-ecg", 15}}}
	var hca [7][]sessionSpec
	for d := time.Monday; d <= time.Friday; d++ {
		hca[d] = []sessionSpec{hcaAM}
	}
	for _, d := range []time.Weekday{time.Monday, time.Wednesday, time.Thursday} {
		hca[d] = append(hca[d], hcaPM)
	}

	// The pharmacist works part-time here (the rest across the local
	// primary care network).
	var pharm [7][]sessionSpec
	review := sessionSpec{hm(9, 0), hm(12, 0), []mix{{"pharm-review", 1}}}
	calls := sessionSpec{hm(14, 0), hm(16, 0), []mix{{"pharm-phone", 1}}}
	pharm[time.Monday] = []sessionSpec{review, calls}
	pharm[time.Tuesday] = []sessionSpec{review}
	pharm[time.Thursday] = []sessionSpec{review, calls}

	return []clinicianSpec{
		{store.Clinician{DisplayName: "Dr Amina Okafor", Role: store.RoleGP, OnlineBookable: true}, "Room 1", gpWeek(time.Wednesday, false)},
		{store.Clinician{DisplayName: "Dr Rhys Llewellyn", Role: store.RoleGP, OnlineBookable: true}, "Room 2", gpWeek(time.Thursday, false)},
		// Not bookable online, to exercise the practice's per-clinician switch.
		{store.Clinician{DisplayName: "Dr Priya Chaudhry", Role: store.RoleGP, OnlineBookable: false}, "Room 3", gpWeek(time.Tuesday, true)},
		{store.Clinician{DisplayName: "Siobhan Kelly", Role: store.RoleNurse, OnlineBookable: true}, "Treatment room 1", nurse},
		{store.Clinician{DisplayName: "Tomasz Nowak", Role: store.RoleHCA, OnlineBookable: true}, "Treatment room 2", hca},
		{store.Clinician{DisplayName: "Grace Mensah", Role: store.RolePharmacist, OnlineBookable: true}, "Room 4", pharm},
	}
}

// schedule adds the slot types, the clinicians and their sessions.
func (g *generator) schedule() error {
	g.types = map[string]slotTypeRef{}
	for _, t := range slotTypeSpecs() {
		id, err := g.l.AddSlotType(store.SlotType{Code: t.code, Name: t.name, Minutes: t.minutes,
			ClinicianRole: t.role, OnlineBookable: t.online, Urgent: t.urgent, Eligibility: eligibility(t.code)})
		if err != nil {
			return fmt.Errorf("slot type %s: %w", t.code, err)
		}
		g.types[t.code] = slotTypeRef{id: id, minutes: t.minutes, online: t.online, urgent: t.urgent}
		g.sum.SlotTypes++
	}
	team := staff()
	ids := make([]int64, len(team))
	g.clinicians = map[string]int64{}
	for i, c := range team {
		id, err := g.l.AddClinician(c.c)
		if err != nil {
			return fmt.Errorf("clinician %d: %w", i+1, err)
		}
		ids[i] = id
		g.clinicians[c.c.DisplayName] = id
		g.sum.Clinicians++
	}
	for d := range g.opts.Weeks * 7 {
		if err := g.checkCtx(); err != nil {
			return err
		}
		day := g.opts.Start.AddDays(d)
		if !store.IsWorkingDay(day) {
			continue
		}
		for i, c := range team {
			for _, spec := range c.week[day.Weekday()] {
				sess := store.NewSession{ClinicianID: ids[i], Day: day, Room: c.room,
					StartsAt: g.at(day, spec.from), EndsAt: g.at(day, spec.to)}
				sess.Slots = g.slots(day, spec)
				if _, err := g.l.AddSession(sess); err != nil {
					return fmt.Errorf("session on %s: %w", day, err)
				}
				g.sum.Sessions++
				g.sum.Slots += len(sess.Slots)
			}
		}
	}
	return nil
}

// at is wall-clock minutes after midnight on day. Building every time from
// the day's own wall clock (never by adding durations across days) keeps
// slots in place when the clocks change.
func (g *generator) at(day store.Date, minutes int) time.Time {
	return day.At(minutes/60, minutes%60, g.loc)
}

// slots fills a session back to back with slot types drawn from its mix.
func (g *generator) slots(day store.Date, spec sessionSpec) []store.NewSlot {
	var out []store.NewSlot
	gp := isGPType(spec)
	fits := make([]mix, 0, len(spec.mix))
	weights := make([]int, 0, len(spec.mix))
	for t := spec.from; ; {
		fits, weights = fits[:0], weights[:0]
		for _, m := range spec.mix {
			if t+g.types[m.code].minutes <= spec.to {
				fits = append(fits, m)
				weights = append(weights, m.weight)
			}
		}
		if len(fits) == 0 {
			return out
		}
		ty := g.types[fits[pickWeighted(g.r, weights)].code]
		sl := store.NewSlot{SlotTypeID: ty.id, StartsAt: g.at(day, t), EndsAt: g.at(day, t+ty.minutes),
			OnlineBookable: ty.online}
		switch {
		case ty.urgent:
			// On-the-day slots open when the phones do, and only to reception.
			sl.ReceptionOnly = true
			sl.ReleaseAt = day.At(8, 0, g.loc)
		case ty.online && gp:
			// Some routine GP slots are embargoed so that people who cannot
			// plan ahead still find appointments.
			switch n := g.r.IntN(100); {
			case n < 15:
				sl.ReleaseAt = day.At(8, 0, g.loc)
			case n < 25:
				sl.ReleaseAt = previousWorkingDay(day).At(7, 0, g.loc)
			}
		}
		out = append(out, sl)
		t += ty.minutes
	}
}

func isGPType(spec sessionSpec) bool {
	for _, m := range spec.mix {
		if m.code == "gp-routine" {
			return true
		}
	}
	return false
}

func previousWorkingDay(d store.Date) store.Date {
	for {
		d = d.AddDays(-1)
		if store.IsWorkingDay(d) {
			return d
		}
	}
}
