package demo

import (
	"fmt"

	"gpkiosk/store"
)

// medicine is a common UK primary-care repeat item, with a real strength,
// form and usual adult dose. Patients get at most one item of each class,
// so nobody is on two statins or two proton pump inhibitors.
type medicine struct {
	name, strength, form, dosage, quantity string
	class                                  string
	weight                                 int // how common among adults on repeats
	minAge, maxAge                         int // maxAge 0: no upper limit
	sex                                    store.Sex
}

func medicines() []medicine {
	return []medicine{
		{"Amlodipine", "5 mg", "tablets", "One tablet once a day", "28 tablets", "ccb", 30, 30, 0, ""},
		{"Amlodipine", "10 mg", "tablets", "One tablet once a day", "28 tablets", "ccb", 12, 30, 0, ""},
		{"Ramipril", "2.5 mg", "capsules", "One capsule once a day", "28 capsules", "acei", 15, 30, 0, ""},
		{"Ramipril", "5 mg", "capsules", "One capsule once a day", "28 capsules", "acei", 12, 30, 0, ""},
		{"Lisinopril", "10 mg", "tablets", "One tablet once a day", "28 tablets", "acei", 10, 30, 0, ""},
		{"Losartan", "50 mg", "tablets", "One tablet once a day", "28 tablets", "arb", 10, 30, 0, ""},
		{"Candesartan", "8 mg", "tablets", "One tablet once a day", "28 tablets", "arb", 6, 30, 0, ""},
		{"Bisoprolol", "2.5 mg", "tablets", "One tablet once a day", "28 tablets", "beta-blocker", 14, 40, 0, ""},
		{"Bisoprolol", "5 mg", "tablets", "One tablet once a day", "28 tablets", "beta-blocker", 6, 40, 0, ""},
		{"Propranolol", "10 mg", "tablets", "One tablet up to three times a day when needed", "84 tablets", "beta-blocker", 3, 18, 0, ""},
		{"Indapamide", "2.5 mg", "tablets", "One tablet in the morning", "28 tablets", "thiazide", 8, 40, 0, ""},
		{"Bendroflumethiazide", "2.5 mg", "tablets", "One tablet in the morning", "28 tablets", "thiazide", 5, 40, 0, ""},
		{"Furosemide", "40 mg", "tablets", "One tablet in the morning", "28 tablets", "loop-diuretic", 6, 50, 0, ""},
		{"Doxazosin", "4 mg", "tablets", "One tablet once a day", "28 tablets", "alpha-blocker", 4, 40, 0, ""},
		{"Atorvastatin", "20 mg", "tablets", "One tablet at night", "28 tablets", "statin", 30, 35, 0, ""},
		{"Atorvastatin", "40 mg", "tablets", "One tablet at night", "28 tablets", "statin", 15, 35, 0, ""},
		{"Simvastatin", "40 mg", "tablets", "One tablet at night", "28 tablets", "statin", 8, 35, 0, ""},
		{"Apixaban", "5 mg", "tablets", "One tablet twice a day", "56 tablets", "anticoagulant", 8, 55, 0, ""},
		{"Edoxaban", "60 mg", "tablets", "One tablet once a day", "28 tablets", "anticoagulant", 4, 55, 0, ""},
		{"Clopidogrel", "75 mg", "tablets", "One tablet once a day", "28 tablets", "antiplatelet", 7, 45, 0, ""},
		{"Aspirin", "75 mg", "dispersible tablets", "One tablet once a day", "28 tablets", "antiplatelet", 7, 45, 0, ""},
		{"Glyceryl trinitrate", "400 micrograms/dose", "sublingual spray", "One or two sprays under the tongue when needed for chest pain", "1 spray", "nitrate", 3, 50, 0, ""},
		{"Metformin", "500 mg", "tablets", "One tablet twice a day with meals", "56 tablets", "metformin", 20, 25, 0, ""},
		{"Metformin", "500 mg", "modified-release tablets", "Two tablets once a day with the evening meal", "56 tablets", "metformin", 6, 25, 0, ""},
		{"Gliclazide", "80 mg", "tablets", "One tablet twice a day with meals", "56 tablets", "sulfonylurea", 5, 35, 0, ""},
		{"Sitagliptin", "100 mg", "tablets", "One tablet once a day", "28 tablets", "dpp4", 5, 35, 0, ""},
		{"Empagliflozin", "10 mg", "tablets", "One tablet once a day", "28 tablets", "sglt2", 5, 35, 0, ""},
		{"Levothyroxine", "50 microgram", "tablets", "One tablet in the morning before breakfast", "28 tablets", "thyroid", 8, 18, 0, ""},
		{"Levothyroxine", "100 microgram", "tablets", "One tablet in the morning before breakfast", "28 tablets", "thyroid", 8, 18, 0, ""},
		{"Omeprazole", "20 mg", "gastro-resistant capsules", "One capsule once a day", "28 capsules", "ppi", 25, 18, 0, ""},
		{"Lansoprazole", "30 mg", "gastro-resistant capsules", "One capsule once a day", "28 capsules", "ppi", 12, 18, 0, ""},
		{"Macrogol compound (Laxido)", "13.8 g", "oral powder sachets", "One to three sachets a day, each stirred into water", "30 sachets", "laxative", 4, 18, 0, ""},
		{"Sertraline", "50 mg", "tablets", "One tablet once a day", "28 tablets", "ssri", 14, 18, 0, ""},
		{"Citalopram", "20 mg", "tablets", "One tablet once a day", "28 tablets", "ssri", 10, 18, 0, ""},
		{"Fluoxetine", "20 mg", "capsules", "One capsule once a day", "30 capsules", "ssri", 6, 18, 0, ""},
		{"Mirtazapine", "15 mg", "tablets", "One tablet at night", "28 tablets", "mirtazapine", 5, 18, 0, ""},
		{"Amitriptyline", "10 mg", "tablets", "One tablet at night", "28 tablets", "tricyclic", 6, 18, 0, ""},
		{"Salbutamol", "100 micrograms/dose", "inhaler", "Two puffs when needed", "1 inhaler", "reliever", 22, 2, 0, ""},
		{"Beclometasone (Clenil Modulite)", "100 micrograms/dose", "inhaler", "Two puffs twice a day", "1 inhaler", "inhaled-steroid", 10, 5, 0, ""},
		{"Beclometasone with formoterol (Fostair)", "100/6 micrograms/dose", "inhaler", "Two puffs twice a day", "1 inhaler", "inhaled-steroid", 8, 18, 0, ""},
		{"Tiotropium (Spiriva Respimat)", "2.5 micrograms/dose", "inhaler", "Two puffs once a day", "1 inhaler", "lama", 4, 40, 0, ""},
		{"Montelukast", "10 mg", "tablets", "One tablet at night", "28 tablets", "montelukast", 3, 15, 0, ""},
		{"Alendronic acid", "70 mg", "tablets", "One tablet once a week, first thing in the morning with a full glass of water", "4 tablets", "bisphosphonate", 8, 55, 0, store.SexFemale},
		{"Calcium and colecalciferol (Adcal-D3)", "1.5 g/400 unit", "chewable tablets", "One tablet twice a day", "56 tablets", "calcium", 6, 55, 0, ""},
		{"Colecalciferol", "800 unit", "capsules", "One capsule once a day", "30 capsules", "vitamin-d", 5, 18, 0, ""},
		{"Paracetamol", "500 mg", "tablets", "Two tablets up to four times a day when needed", "100 tablets", "paracetamol", 8, 16, 0, ""},
		{"Co-codamol", "30 mg/500 mg", "tablets", "One or two tablets up to four times a day when needed", "100 tablets", "paracetamol", 4, 18, 0, ""},
		{"Naproxen", "500 mg", "tablets", "One tablet twice a day with food", "56 tablets", "nsaid", 4, 18, 0, ""},
		{"Gabapentin", "300 mg", "capsules", "One capsule three times a day", "84 capsules", "gabapentinoid", 4, 18, 0, ""},
		{"Pregabalin", "75 mg", "capsules", "One capsule twice a day", "56 capsules", "gabapentinoid", 3, 18, 0, ""},
		{"Tamsulosin", "400 microgram", "modified-release capsules", "One capsule once a day", "30 capsules", "alpha-blocker", 8, 50, 0, store.SexMale},
		{"Finasteride", "5 mg", "tablets", "One tablet once a day", "28 tablets", "5ari", 4, 55, 0, store.SexMale},
		{"Solifenacin", "5 mg", "tablets", "One tablet once a day", "30 tablets", "antimuscarinic", 3, 50, 0, ""},
		{"Desogestrel", "75 microgram", "tablets", "One tablet once a day at the same time each day", "84 tablets", "contraceptive", 8, 16, 49, store.SexFemale},
		{"Levonorgestrel with ethinylestradiol (Microgynon 30)", "150 microgram/30 microgram", "tablets", "One tablet once a day for 21 days, then 7 days without tablets", "63 tablets", "contraceptive", 6, 16, 45, store.SexFemale},
		{"Cetirizine", "10 mg", "tablets", "One tablet once a day", "30 tablets", "antihistamine", 4, 12, 0, ""},
		{"Beclometasone", "50 micrograms/dose", "nasal spray", "Two sprays into each nostril twice a day", "1 spray", "nasal-steroid", 3, 12, 0, ""},
		{"Emollient (Zerobase)", "liquid paraffin 11%", "cream", "Apply to dry skin as often as needed", "500 g", "emollient", 5, 0, 0, ""},
		{"Folic acid", "5 mg", "tablets", "One tablet once a day", "28 tablets", "folate", 3, 18, 0, ""},
		{"Ferrous fumarate", "210 mg", "tablets", "One tablet twice a day", "56 tablets", "iron", 3, 18, 0, ""},
	}
}

func (m medicine) suits(age int, sex store.Sex) bool {
	return age >= m.minAge && (m.maxAge == 0 || age <= m.maxAge) && (m.sex == "" || m.sex == sex)
}

// repeatCount is how many repeat items someone has: about a third of the
// list has any, more with age, rarely children.
func (g *generator) repeatCount(age int) int {
	r := g.r
	switch {
	case age < 16:
		if !percent(r, 5) {
			return 0
		}
		return 1 + r.IntN(2)
	case age < 40:
		if !percent(r, 18) {
			return 0
		}
		return 1 + r.IntN(2)
	case age < 60:
		if !percent(r, 38) {
			return 0
		}
		return 1 + r.IntN(3)
	case age < 75:
		if !percent(r, 62) {
			return 0
		}
		return 1 + r.IntN(5)
	default:
		if !percent(r, 82) {
			return 0
		}
		return 2 + r.IntN(5)
	}
}

// repeats draws a patient's repeat items (PatientID left for the caller).
func (g *generator) repeats(age int, sex store.Sex, dob store.Date) []store.NewRepeat {
	n := g.repeatCount(age)
	if n == 0 {
		return nil
	}
	start := g.opts.Start
	// Issued in the two months before Start, never before the patient was born.
	issueFrom := start.AddDays(-60)
	if born := dob.AddDays(1); issueFrom.Before(born) {
		issueFrom = born
	}
	issueTo := start.AddDays(-1)
	if issueTo.Before(issueFrom) {
		return nil
	}
	var eligible []medicine
	var weights []int
	for _, m := range g.meds {
		if m.suits(age, sex) {
			eligible = append(eligible, m)
			weights = append(weights, m.weight)
		}
	}
	if len(eligible) == 0 {
		return nil
	}
	classes := map[string]bool{}
	var out []store.NewRepeat
	for tries := 0; len(out) < n && tries < 4*n; tries++ {
		m := eligible[pickWeighted(g.r, weights)]
		if classes[m.class] {
			continue
		}
		classes[m.class] = true
		issued := randomDay(g.r, issueFrom, issueTo)
		for range 3 { // prescriptions are signed on working days
			if store.IsWorkingDay(issued) {
				break
			}
			issued = randomDay(g.r, issueFrom, issueTo)
		}
		startFrom := start.AddDays(-3650)
		if startFrom.Before(dob) {
			startFrom = dob
		}
		started := randomDay(g.r, startFrom, issued)
		rep := store.NewRepeat{
			Name: m.name, Strength: m.strength, Form: m.form, Dosage: m.dosage, Quantity: m.quantity,
			Active:       !percent(g.r, 7),
			LastIssuedAt: issued.At(9+g.r.IntN(8), g.r.IntN(12)*5, g.loc),
			StartedAt:    started.At(9+g.r.IntN(8), g.r.IntN(12)*5, g.loc),
		}
		if rep.StartedAt.After(rep.LastIssuedAt) {
			rep.StartedAt = rep.LastIssuedAt
		}
		// Most items have a yearly review; some are overdue or due soon,
		// which sends the request to reception.
		switch n := g.r.IntN(100); {
		case n < 10:
			rep.ReviewDue = start.AddDays(-1 - g.r.IntN(90))
		case n < 25:
			rep.ReviewDue = start.AddDays(g.r.IntN(31))
		case n < 85:
			rep.ReviewDue = start.AddDays(31 + g.r.IntN(335))
		}
		out = append(out, rep)
	}
	return out
}

// patients registers the list, each with their repeat items.
func (g *generator) patients() error {
	g.meds = medicines()
	g.people = newPeople(g.r)
	nhs := newNHSWalk(g.r)
	// The demo letters' patients count towards the list size.
	for i := range max(0, g.opts.Patients-len(Letters())) {
		if i%256 == 0 {
			if err := g.checkCtx(); err != nil {
				return err
			}
		}
		p, age := g.people.person(g.opts.Start)
		num, err := nhs.take()
		if err != nil {
			return err
		}
		p.NHSNumber = num
		reps := g.repeats(age, p.Sex, p.DateOfBirth)
		// A clinician judges online ordering unsuitable for a few, mostly
		// people on several repeat medicines.
		p.OnlineOrderingUnsuitable = percent(g.r, 1) || len(reps) > 0 && percent(g.r, 5)
		id, err := g.l.AddPatient(p)
		if err != nil {
			return fmt.Errorf("patient %d: %w", i+1, err)
		}
		g.sum.Patients++
		g.allPatients = append(g.allPatients, id)
		rp := repeatPatient{id: id, unsuitable: p.OnlineOrderingUnsuitable, adult: age >= 18}
		for _, rep := range reps {
			rep.PatientID = id
			itemID, err := g.l.AddRepeat(rep)
			if err != nil {
				return fmt.Errorf("patient %d: repeat item: %w", i+1, err)
			}
			g.sum.RepeatItems++
			rp.items = append(rp.items, repeatRef{id: itemID, active: rep.Active, reviewDue: rep.ReviewDue})
		}
		if len(rp.items) > 0 || rp.adult {
			g.onRepeats = append(g.onRepeats, rp)
		}
	}
	return g.letters(nhs)
}
