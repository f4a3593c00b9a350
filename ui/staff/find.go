package staff

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

// optionalDate reads a typed date that may be left blank (no date).
func optionalDate(s string) (store.Date, bool) {
	if strings.TrimSpace(s) == "" {
		return store.Date{}, true
	}
	return widgets.ParseUKDate(s)
}

// longDate is a date as a letter or a person says it: 15 March 1946.
func longDate(d store.Date) string {
	return fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year)
}

func (d *Desk) today() store.Date { return store.DateOf(d.cfg.Clock(), d.cfg.Location) }

func (d *Desk) showFind() {
	staff, ok := d.signedIn()
	if !ok {
		d.SignOut("")
		return
	}
	d.setSection(secFind)
	nhs := widget.NewEntry()
	nhs.SetPlaceHolder(text.T(text.FindNHSNumber))
	surname := widget.NewEntry()
	surname.SetPlaceHolder(text.T(text.FindSurname))
	dob := widget.NewEntry()
	dob.SetPlaceHolder(text.T(text.FindDOBHint))
	message := widget.NewLabel("")
	message.Wrapping = fyne.TextWrapWord
	message.Importance = widget.DangerImportance
	results := container.NewVBox()
	search := func() {
		d.touch()
		results.RemoveAll()
		message.Importance = widget.DangerImportance
		q := replica.PatientQuery{NHSNumber: nhs.Text, FamilyName: surname.Text}
		if strings.TrimSpace(nhs.Text) == "" {
			born, ok := optionalDate(dob.Text)
			if !ok {
				message.SetText(text.T(text.FindBadDOB))
				return
			}
			q.DateOfBirth = born
		}
		found, err := d.cfg.Backend.SearchPatients(d.ctx, staff, q)
		if err != nil {
			message.SetText(d.plain(err))
			return
		}
		if len(found) == 0 {
			message.SetText(text.T(text.FindNone))
			return
		}
		message.Importance = widget.MediumImportance
		message.SetText(text.T(text.FindResultsCount, strconv.Itoa(len(found))))
		for _, p := range found {
			label := text.T(text.FindResult, p.GivenName, p.FamilyName, longDate(p.DateOfBirth), store.NHSNumber(p.NHSNumber).String(), p.Postcode)
			b := widget.NewButton(label, func() { d.showRecord(p.ID, "") })
			b.Alignment = widget.ButtonAlignLeading
			results.Add(b)
		}
		d.relayout()
	}
	for _, e := range []*widget.Entry{nhs, surname, dob} {
		e.OnSubmitted = func(string) { search() }
		e.OnChanged = func(string) { d.touch() }
	}
	button := widget.NewButton(text.T(text.FindButton), search)
	button.Importance = widget.HighImportance
	// One row of fields, so the results show without scrolling on a small
	// front-desk screen.
	d.show(container.NewVBox(
		heading(text.T(text.FindTitle)),
		container.NewGridWithColumns(3,
			container.NewVBox(widget.NewLabel(text.T(text.FindNHSNumber)), nhs),
			container.NewVBox(widget.NewLabel(text.T(text.FindOr)+" "+strings.ToLower(text.T(text.FindSurname))), surname),
			container.NewVBox(widget.NewLabel(text.T(text.FindDOB)), dob)),
		button, message, results,
	))
	d.focus(nhs)
}

func heading(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}

func para(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// registrationState says in words what became of a registration. The
// date on a letter is its Linkage Key's, for linking the NHS App; the
// letter keeps working at the kiosk after it. A registration without one
// (made before letters were printed here) says nothing of a date.
func (d *Desk) registrationState(g replica.Registration) string {
	switch {
	case g.Revoked:
		return text.T(text.RecordReplaced)
	case g.Pending && d.online:
		return text.T(text.RecordSending)
	case g.Pending:
		return text.T(text.RecordWaiting)
	case g.ExpiresAt.IsZero():
		return text.T(text.RecordActive)
	case !d.cfg.Clock().Before(g.ExpiresAt):
		return text.T(text.RecordExpired, longDate(store.DateOf(g.ExpiresAt, d.cfg.Location)))
	}
	return text.T(text.RecordActiveUntil, longDate(store.DateOf(g.ExpiresAt, d.cfg.Location)))
}

func services(appts, presc bool, record string, kiosk bool) string {
	var out []string
	if appts {
		out = append(out, text.T(text.RecordServicesAppts))
	}
	if presc {
		out = append(out, text.T(text.RecordServicesPresc))
	}
	if record != "" && record != store.RecordAccessNone {
		out = append(out, text.T(text.RecordServicesRecord)+" ("+recordLevel(record)+")")
	}
	if kiosk {
		out = append(out, text.T(text.RecordServicesKiosk))
	}
	return strings.Join(out, ", ")
}

func recordLevel(level string) string {
	switch level {
	case store.RecordAccessSummary:
		return text.T(text.WizardRecordSummary)
	case store.RecordAccessDetailed:
		return text.T(text.WizardRecordFull)
	}
	return text.T(text.WizardRecordNone)
}

// showRecord opens one patient, with note (if any) at the top. After each
// sync the record is read again in place, so a registration the server
// has confirmed stops saying it is being sent.
func (d *Desk) showRecord(patientID int64, note string) {
	staff, ok := d.signedIn()
	if !ok {
		d.SignOut("")
		return
	}
	d.setSection(secFind)
	rec, err := d.cfg.Backend.PatientRecord(d.ctx, staff, patientID)
	if err != nil {
		d.showWith(para(d.plain(err)), widget.NewButton(text.T(text.FindAnother), d.showFind))
		return
	}
	d.showWith(d.recordScreen(staff, rec, note))
	d.refresh = func() {
		staff, ok := d.signedIn()
		if !ok {
			return
		}
		rec, err := d.cfg.Backend.RefreshRecord(d.ctx, staff, patientID)
		if err != nil {
			d.cfg.Log.Warn("staff desk: record refresh failed", "err", err)
			return
		}
		d.replace(d.recordScreen(staff, rec, note))
	}
}

// mayHaveOwnAccess says whether the patient is old enough for online
// services of their own (unknown, before the first sync: yes, and the
// wizard's check still applies).
func (d *Desk) mayHaveOwnAccess(rec replica.PatientRecord) bool {
	return rec.MinAgeYears == 0 || rec.DateOfBirth.AgeOn(d.today()) >= rec.MinAgeYears
}

// recordScreen is the record's body and its footer of actions.
func (d *Desk) recordScreen(staff replica.StaffMember, rec replica.PatientRecord, note string) (fyne.CanvasObject, fyne.CanvasObject) {
	box := container.NewVBox()
	if note != "" {
		n := para(note)
		n.Importance = widget.SuccessImportance
		box.Add(n)
	}
	age := rec.DateOfBirth.AgeOn(d.today())
	box.Add(heading(rec.GivenName + " " + rec.FamilyName))
	box.Add(widget.NewLabel(text.T(text.RecordBorn, longDate(rec.DateOfBirth), strconv.Itoa(age))))
	box.Add(widget.NewLabel(text.T(text.RecordNHSNumber, store.NHSNumber(rec.NHSNumber).String())))
	box.Add(para(text.T(text.RecordAddress, rec.Address, rec.Postcode)))
	box.Add(widget.NewSeparator())
	box.Add(heading(text.T(text.RecordRegistrations)))
	hasOwn := false
	if len(rec.Registrations) == 0 {
		box.Add(para(text.T(text.RecordNoRegistrations)))
	}
	for _, g := range rec.Registrations {
		who := text.T(text.RecordOwnLetter)
		if g.ProxyName != "" {
			who = text.T(text.RecordProxyLetter, g.ProxyName)
		} else {
			hasOwn = true
		}
		box.Add(para(who + ": " + d.registrationState(g) + ". " + services(g.Appointments, g.Prescriptions, g.RecordAccess, g.KioskEnabled)))
	}
	box.Add(widget.NewSeparator())
	box.Add(heading(text.T(text.RecordProxies)))
	if len(rec.Proxies) == 0 {
		box.Add(para(text.T(text.RecordNoProxies)))
	}
	may := staff.MayRegister()
	for _, p := range rec.Proxies {
		line := para(text.T(text.RecordProxyLine, p.Name, relationshipName(p.Relationship), proxyServices(p)))
		if !may {
			box.Add(line)
			continue
		}
		proxy := p
		box.Add(container.NewBorder(nil, nil, nil, widget.NewButton(text.T(text.RecordProxyRegister, p.Name), func() { d.startWizard(rec, &proxy, nil) }), line))
	}

	box.Add(widget.NewSeparator())
	box.Add(d.appointmentsSection(staff, rec))

	foot := container.NewVBox()
	actions := container.NewHBox()
	if may {
		proxyAccess := widget.NewButton(text.T(text.RecordProxyAccess), func() { d.showProxyForm(rec) })
		if d.mayHaveOwnAccess(rec) {
			label := text.T(text.RecordRegister)
			if hasOwn {
				label = text.T(text.RecordNewLetter)
			}
			register := widget.NewButton(label, func() { d.startWizard(rec, nil, nil) })
			register.Importance = widget.HighImportance
			actions.Add(register)
		} else {
			// Not offered at all: the wizard would only refuse at its end.
			why := para(text.T(text.RecordTooYoung, rec.GivenName, strconv.Itoa(age), strconv.Itoa(rec.MinAgeYears)))
			why.Importance = widget.WarningImportance
			foot.Add(why)
			proxyAccess.Importance = widget.HighImportance
		}
		actions.Add(proxyAccess)
	} else {
		foot.Add(para(text.T(text.RecordViewOnly)))
	}
	actions.Add(widget.NewButton(text.T(text.FindAnother), d.showFind))
	foot.Add(actions)
	return box, foot
}

// proxyServices lists what a proxy may do.
func proxyServices(p replica.Proxy) string {
	s := services(p.Appointments, p.Prescriptions, "", false)
	if p.Record {
		s = strings.TrimPrefix(s+", "+text.T(text.RecordServicesRecord), ", ")
	}
	return s
}
