package staff

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	"gpkiosk/ui/text"
)

// relationshipOptions and basisOptions pair the store's values with words,
// in the store's order.
func relationshipOptions() [][2]string {
	names := map[string]text.Key{"parent": text.ProxyRelParent, "carer": text.ProxyRelCarer, "care_home_staff": text.ProxyRelCareHome,
		"attorney": text.ProxyRelAttorney, "deputy": text.ProxyRelDeputy, "other": text.ProxyRelOther}
	var out [][2]string
	for _, r := range store.ProxyRelationships {
		out = append(out, [2]string{r, text.T(names[r])})
	}
	return out
}

func basisOptions() [][2]string {
	names := map[string]text.Key{store.BasisPatientConsent: text.ProxyBasisConsent, store.BasisParentalResponsibility: text.ProxyBasisParental,
		store.BasisLastingPowerOfAttorney: text.ProxyBasisLPA, store.BasisCourtAppointedDeputy: text.ProxyBasisDeputy,
		store.BasisBestInterests: text.ProxyBasisBest}
	var out [][2]string
	for _, b := range store.LegalBases {
		out = append(out, [2]string{b, text.T(names[b])})
	}
	return out
}

func relationshipName(r string) string {
	for _, o := range relationshipOptions() {
		if o[0] == r {
			return o[1]
		}
	}
	return r
}

// selectOf is a drop-down showing words for the store's values.
type selectOf struct {
	sel    *widget.Select
	values map[string]string
}

func newSelect(options [][2]string, changed func()) *selectOf {
	s := &selectOf{values: map[string]string{}}
	var labels []string
	for _, o := range options {
		labels = append(labels, o[1])
		s.values[o[1]] = o[0]
	}
	s.sel = widget.NewSelect(labels, func(string) { changed() })
	return s
}

func (s *selectOf) value() string { return s.values[s.sel.Selected] }

func (d *Desk) showProxyForm(rec replica.PatientRecord) {
	name := widget.NewEntry()
	name.SetPlaceHolder(text.T(text.ProxyName))
	dob := widget.NewEntry()
	dob.SetPlaceHolder(text.T(text.FindDOBHint))
	touch := func() { d.touch() }
	name.OnChanged = func(string) { touch() }
	dob.OnChanged = func(string) { touch() }
	rel := newSelect(relationshipOptions(), touch)
	basis := newSelect(basisOptions(), touch)
	appts := widget.NewCheck(text.T(text.WizardAppointments), func(bool) { touch() })
	presc := widget.NewCheck(text.T(text.WizardPrescriptions), func(bool) { touch() })
	record := widget.NewCheck(text.T(text.ProxyRecord), func(bool) { touch() })
	idCheck := newChoice([][2]string{{store.VerifyPhotoIDAndAddress, text.T(text.ProxyIDPhoto)}, {store.VerifyVouching, text.T(text.ProxyIDVouch)}}, "",
		func(string) { touch() })
	safeguarding := widget.NewCheck(text.T(text.ProxySafeguarding), func(bool) { touch() })
	coercion := widget.NewCheck(text.T(text.ProxyCoercion), func(bool) { touch() })
	message := newMessage()
	form := container.NewVBox(heading(text.T(text.ProxyTitle, rec.GivenName+" "+rec.FamilyName)))
	if age := rec.DateOfBirth.AgeOn(d.today()); age >= store.ChildsViewAge && age < store.AgeOfConsent {
		note := para(text.T(text.ProxyChildNote, rec.GivenName, strconv.Itoa(age)))
		note.Importance = widget.WarningImportance
		form.Add(note)
	}
	save := widget.NewButton(text.T(text.ProxySave), func() {
		staff, ok := d.signedIn()
		if !ok {
			d.SignOut("")
			return
		}
		in := replica.ProxyInput{PatientID: rec.ID, Name: strings.TrimSpace(name.Text), Relationship: rel.value(), LegalBasis: basis.value(),
			Appointments: appts.Checked, Prescriptions: presc.Checked, Record: record.Checked, Verification: idCheck.value(),
			SafeguardingConsidered: safeguarding.Checked, CoercionConsidered: coercion.Checked}
		born, ok := optionalDate(dob.Text)
		if !ok {
			d.say(message, text.T(text.FindBadDOB))
			return
		}
		in.DateOfBirth = born // none: the store asks for it
		ref, err := d.cfg.Backend.LinkProxy(d.ctx, staff, in)
		if err != nil {
			d.say(message, d.plain(err))
			return
		}
		d.nudge()
		d.proxySaved(rec.ID, ref, in)
	})
	save.Importance = widget.HighImportance
	// Two columns, so that most of the form fits a front-desk screen
	// without scrolling.
	pair := func(left, right *fyne.Container) fyne.CanvasObject {
		return container.NewGridWithColumns(2, left, right)
	}
	col := container.NewVBox
	form.Objects = append(form.Objects,
		pair(col(para(text.T(text.ProxyName)), name), col(para(text.T(text.ProxyDOB)), dob)),
		pair(col(para(text.T(text.ProxyRelationship)), rel.sel), col(para(text.T(text.ProxyBasis)), basis.sel)),
		pair(col(para(text.T(text.ProxyServices)), appts, presc, record), col(para(text.T(text.ProxyIDCheck)), idCheck.group)),
		safeguarding, coercion,
	)
	// The refusal, if any, shows next to Save, which stays in view.
	d.showWith(form, container.NewVBox(message,
		container.NewHBox(widget.NewButton(text.T(text.WizardCancel), func() { d.showRecord(rec.ID, "") }), save)))
	d.focus(name)
}

// proxySaved confirms the link and offers the proxy's letter at once,
// carrying over what the form recorded.
func (d *Desk) proxySaved(patientID int64, ref string, in replica.ProxyInput) {
	staff, ok := d.signedIn()
	if !ok {
		d.SignOut("")
		return
	}
	rec, err := d.cfg.Backend.PatientRecord(d.ctx, staff, patientID)
	if err != nil {
		d.show(container.NewVBox(para(d.plain(err)), widget.NewButton(text.T(text.FindAnother), d.showFind)))
		return
	}
	var proxy *replica.Proxy
	for i := range rec.Proxies {
		if rec.Proxies[i].Ref == ref {
			proxy = &rec.Proxies[i]
		}
	}
	done := para(text.T(text.ProxySaved, in.Name, rec.GivenName))
	done.Importance = widget.SuccessImportance
	buttons := container.NewHBox()
	if proxy != nil {
		letter := widget.NewButton(text.T(text.ProxyPrintLetter), func() { d.startWizard(rec, proxy, &in) })
		letter.Importance = widget.HighImportance
		buttons.Add(letter)
	}
	buttons.Add(widget.NewButton(text.T(text.WizardDone), func() { d.showRecord(patientID, "") }))
	d.showWith(done, buttons)
}
