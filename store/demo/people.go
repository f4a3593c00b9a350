package demo

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"

	"gpkiosk/store"
)

// nhsSpan is the count of nine-digit starts "999000000".."999999999".
const nhsSpan = 1_000_000

// nhsWalk hands out distinct 999-range NHS numbers in a scattered order: a
// keyed 4-round Feistel permutation of 20-bit values, cycle-walked into
// [0, nhsSpan), visits every nine-digit start exactly once.
type nhsWalk struct {
	keys [4][1 << 10]uint16
	i    uint32
}

func newNHSWalk(r *rand.Rand) *nhsWalk {
	w := &nhsWalk{}
	for k := range w.keys {
		for x := range w.keys[k] {
			w.keys[k][x] = uint16(r.IntN(1 << 10))
		}
	}
	return w
}

func (w *nhsWalk) permute(x uint32) uint32 {
	l, r := x>>10, x&(1<<10-1)
	for k := range w.keys {
		l, r = r, l^uint32(w.keys[k][r])
	}
	return l<<10 | r
}

func (w *nhsWalk) take() (string, error) {
	var buf [9]byte
	for w.i < nhsSpan {
		k := w.permute(w.i)
		w.i++
		for k >= nhsSpan { // ends: the cycle through w.i-1 returns below nhsSpan
			k = w.permute(k)
		}
		nine := fmt.Appendf(buf[:0], "999%06d", k)
		// A start whose check digit would be 10 cannot be an NHS number.
		if n, ok := store.NHSNumberFromNine(string(nine)); ok {
			return string(n), nil
		}
	}
	return "", errors.New("no 999-range NHS numbers left")
}

// agePyramid is the cumulative weight of each age 0..100: the 2021 census
// of England and Wales in five-year bands, thinning out after 90.
func agePyramid() [101]float64 {
	bands := [...]float64{5.4, 5.9, 6.0, 5.6, 5.9, 6.6, 6.9, 6.6, 6.3, 6.3, 6.9, 6.7, 5.8, 5.0, 4.9, 3.6, 2.4, 1.4}
	var cum [101]float64
	total := 0.0
	for age := range 101 {
		var w float64
		if b := age / 5; b < len(bands) {
			w = bands[b] / 5
		} else {
			// 0.9% aged 90 and over, each year about three quarters of the last.
			w = 0.9 * 0.25 * pow(0.75, age-90)
		}
		total += w
		cum[age] = total
	}
	return cum
}

func pow(x float64, n int) float64 {
	p := 1.0
	for range n {
		p *= x
	}
	return p
}

// household is an address that more people may share: a partner, children.
type household struct {
	address, postcode, landline, surname string
	adultAge                             int
}

// people draws names, addresses and phone numbers.
type people struct {
	r        *rand.Rand
	pyramid  [101]float64
	female   [3][]string
	male     [3][]string
	common   []string
	surnames []string
	streets  []street
	units    [][]string // postcode units for each street
	houses   []string
	recent   [64]household // households others may join
	nRecent  int
}

func newPeople(r *rand.Rand) *people {
	p := &people{r: r, pyramid: agePyramid(), common: commonSurnames(), surnames: surnames(),
		streets: streets(), houses: houseNames()}
	for era := range 3 {
		p.female[era], p.male[era] = femaleNames(era), maleNames(era)
	}
	// Postcode units: a sector digit then two letters from those the Royal
	// Mail uses in the inward code.
	const unitLetters = "ABDEFGHJLNPQRSTUWXYZ"
	p.units = make([][]string, len(p.streets))
	for i, s := range p.streets {
		n := 1 + s.houses/25
		for range n + 1 { // one more for the block of flats or care home
			unit := fmt.Sprintf("%s %d%c%c", s.outward, s.sector,
				unitLetters[r.IntN(len(unitLetters))], unitLetters[r.IntN(len(unitLetters))])
			p.units[i] = append(p.units[i], unit)
		}
	}
	return p
}

func (p *people) age() int {
	cum := &p.pyramid
	u := p.r.Float64() * cum[len(cum)-1]
	return sort.SearchFloat64s(cum[:], u)
}

// sex: women outnumber men in old age.
func (p *people) sex(age int) store.Sex {
	femalePerMille := 505
	switch {
	case age >= 90:
		femalePerMille = 680
	case age >= 80:
		femalePerMille = 580
	}
	switch n := p.r.IntN(1000); {
	case n < 2:
		return store.SexOther
	case n < 2+femalePerMille:
		return store.SexFemale
	}
	return store.SexMale
}

// birthDate is a date of birth giving exactly age on start. Newborns are
// registered at least a week old.
func (p *people) birthDate(start store.Date, age int) store.Date {
	yearsBefore := func(n int) store.Date {
		return store.Date{Year: start.Year - n, Month: start.Month, Day: start.Day}.AddDays(0) // 29 Feb -> 1 Mar
	}
	lo, hi := yearsBefore(age+1).AddDays(1), yearsBefore(age)
	if age == 0 {
		hi = start.AddDays(-7)
	}
	return randomDay(p.r, lo, hi)
}

func (p *people) givenName(sex store.Sex, born int) string {
	era := 2
	switch {
	case born < 1965:
		era = 0
	case born < 1990:
		era = 1
	}
	if sex == store.SexOther {
		sex = store.SexFemale
		if p.r.IntN(2) == 0 {
			sex = store.SexMale
		}
	}
	names := p.male[era]
	if sex == store.SexFemale {
		names = p.female[era]
	}
	return names[p.r.IntN(len(names))]
}

func (p *people) surname() string {
	if percent(p.r, 30) {
		return p.common[p.r.IntN(len(p.common))]
	}
	return p.surnames[p.r.IntN(len(p.surnames))]
}

// Ofcom keeps 07700 900000-900999 and 01632 960000-960999 for drama, so
// these numbers can never ring a real person.
func (p *people) mobile() string   { return "07700 900" + threeDigits(p.r.IntN(1000)) }
func (p *people) landline() string { return "01632 960" + threeDigits(p.r.IntN(1000)) }

func threeDigits(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}

// newHousehold makes an address in the town or the village.
func (p *people) newHousehold(surname string, age int) household {
	i := p.r.IntN(len(p.streets))
	s := p.streets[i]
	units := p.units[i]
	h := household{surname: surname, adultAge: age, landline: p.landline()}
	switch {
	case s.careHome != "" && age >= 80 && percent(p.r, 60):
		h.address = fmt.Sprintf("Room %d, %s, 41 %s, %s", 1+p.r.IntN(40), s.careHome, s.name, s.town)
		h.postcode = units[len(units)-1]
	case s.block != "" && percent(p.r, 40):
		h.address = fmt.Sprintf("Flat %d, %s, %s, %s", 1+p.r.IntN(48), s.block, s.name, s.town)
		h.postcode = units[len(units)-1]
	case s.village && percent(p.r, 30):
		h.address = fmt.Sprintf("%s, %s, %s", p.houses[p.r.IntN(len(p.houses))], s.name, s.town)
		h.postcode = units[0]
	default:
		n := 1 + p.r.IntN(s.houses)
		h.address = fmt.Sprintf("%d %s, %s", n, s.name, s.town)
		h.postcode = units[(n-1)/25]
	}
	return h
}

// joinable finds a recent household someone of this age might live in:
// a partner of similar age, or a child of a parent 18 to 45 years older.
func (p *people) joinable(age int) (household, bool) {
	n := min(p.nRecent, len(p.recent))
	if n == 0 {
		return household{}, false
	}
	if age >= 18 {
		if !percent(p.r, 35) {
			return household{}, false
		}
		h := p.recent[p.r.IntN(n)]
		return h, h.adultAge-age <= 12 && age-h.adultAge <= 12
	}
	for range 4 {
		h := p.recent[p.r.IntN(n)]
		if d := h.adultAge - age; d >= 18 && d <= 45 {
			return h, true
		}
	}
	return household{}, false
}

// person draws one patient's details (not the NHS number).
func (p *people) person(start store.Date) (store.NewPatient, int) {
	age := p.age()
	sex := p.sex(age)
	dob := p.birthDate(start, age)
	np := store.NewPatient{GivenName: p.givenName(sex, dob.Year), Sex: sex, DateOfBirth: dob}

	h, joined := p.joinable(age)
	switch {
	case joined && (age < 18 && percent(p.r, 90) || age >= 18 && percent(p.r, 65)):
		np.FamilyName = h.surname
	default:
		np.FamilyName = p.surname()
	}
	if !joined {
		h = p.newHousehold(np.FamilyName, age)
		if age >= 18 && age < 80 {
			p.recent[p.nRecent%len(p.recent)] = h
			p.nRecent++
		}
	}
	np.Address, np.Postcode = h.address, h.postcode

	landlinePct := 22
	if age >= 75 {
		landlinePct = 55
	}
	switch n := p.r.IntN(100); {
	case n < landlinePct:
		np.Phone = h.landline
	case n < 93:
		np.Phone = p.mobile()
	}
	return np, age
}
