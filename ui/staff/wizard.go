package staff

import (
	"os"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	"gpkiosk/ui/text"
)

// printTitle names the CUPS job. Anyone on the computer can list print
// jobs, so it names nobody.
const printTitle = "GP registration letter"

// wizard is one registration in progress: the patient's own, or a proxy's
// (proxy set). Nothing is stored until the letter has been produced.
type wizard struct {
	d       *Desk
	rec     replica.PatientRecord
	proxy   *replica.Proxy
	reissue bool
	// linked is the proxy form just saved for this proxy: its identity
	// check and its safeguarding and pressure questions are not asked
	// again, and its services are the starting choice.
	linked   *replica.ProxyInput
	checker  string // who checked identity on the proxy form
	in       replica.RegistrationInput
	coercion string // "", "no" or "yes"
	prepared replica.PreparedRegistration
}

// startWizard registers the patient (proxy nil) or a proxy. linked, when
// the proxy form for this proxy was saved a moment ago, carries over what
// it recorded.
func (d *Desk) startWizard(rec replica.PatientRecord, proxy *replica.Proxy, linked *replica.ProxyInput) {
	w := &wizard{d: d, rec: rec, proxy: proxy,
		in: replica.RegistrationInput{PatientID: rec.ID, Appointments: true, Prescriptions: true, RecordAccess: store.RecordAccessNone, KioskEnabled: true}}
	for _, g := range rec.Registrations {
		if !g.Revoked && ((proxy == nil && g.ProxyName == "") || (proxy != nil && g.ProxyName == proxy.Name)) {
			w.reissue = true
		}
	}
	if proxy != nil {
		w.in.ProxyRef = proxy.Ref
		w.in.Prescriptions = proxy.Prescriptions
		w.in.Appointments = proxy.Appointments
	}
	if proxy != nil && linked != nil && linked.Verification != "" && linked.CoercionConsidered {
		staff, _ := d.signedIn()
		w.linked, w.checker = linked, staff.DisplayName
		w.in.VerificationMethod = linked.Verification
		w.in.CoercionConsidered = true
		w.coercion = "no"
		if linked.Record {
			w.in.RecordAccess = store.RecordAccessSummary
		}
		w.stepServices()
		return
	}
	w.stepIdentity()
}

// steps is how many steps this wizard has; step numbers the named one.
// After the proxy form the identity and pressure steps are not shown.
func (w *wizard) steps() int {
	if w.linked != nil {
		return 2
	}
	return 4
}

func (w *wizard) step(n int) int {
	if w.linked != nil {
		return n - 2
	}
	return n
}

// frame is a wizard step: title, "Step n of m" and the step's content,
// which scroll; below them, always in view, its message line and Cancel /
// Back / the step's own buttons / Next. It returns the buttons.
func (w *wizard) frame(step int, content fyne.CanvasObject, message *widget.Label, back, next func(), own ...*widget.Button) []*widget.Button {
	title := text.T(text.WizardTitle, w.rec.GivenName+" "+w.rec.FamilyName)
	if w.proxy != nil {
		title = text.T(text.WizardProxyTitle, w.proxy.Name, w.rec.GivenName+" "+w.rec.FamilyName)
	}
	nav := []*widget.Button{widget.NewButton(text.T(text.WizardCancel), func() { w.d.showRecord(w.rec.ID, "") })}
	if back != nil {
		nav = append(nav, widget.NewButton(text.T(text.WizardBack), back))
	}
	nav = append(nav, own...)
	if next != nil {
		b := widget.NewButton(text.T(text.WizardNext), next)
		b.Importance = widget.HighImportance
		nav = append(nav, b)
	}
	row := container.NewHBox()
	for _, b := range nav {
		row.Add(b)
	}
	w.d.showWith(container.NewVBox(heading(title), widget.NewLabel(text.T(text.WizardStep, strconv.Itoa(w.step(step)), strconv.Itoa(w.steps()))),
		widget.NewSeparator(), content), container.NewVBox(message, row))
	return nav
}

// newMessage is a step's message line, above its buttons. It takes no room
// until there is something to say.
func newMessage() *widget.Label {
	m := para("")
	m.Importance = widget.DangerImportance
	m.Hide()
	return m
}

// say puts s on a message line, showing it, or hides the line for "",
// and lays the window out again for the footer's new height.
func (d *Desk) say(l *widget.Label, s string) {
	l.SetText(s)
	if s == "" {
		l.Hide()
	} else {
		l.Show()
	}
	d.relayout()
}

// choice is a radio group whose options show words but stand for values.
type choice struct {
	group  *widget.RadioGroup
	values map[string]string
}

func newChoice(options [][2]string, selected string, changed func(value string)) *choice {
	c := &choice{values: map[string]string{}}
	var labels []string
	for _, o := range options {
		labels = append(labels, o[1])
		c.values[o[1]] = o[0]
	}
	c.group = widget.NewRadioGroup(labels, func(label string) {
		if changed != nil {
			changed(c.values[label])
		}
	})
	for _, o := range options {
		if o[0] == selected && selected != "" {
			c.group.SetSelected(o[1])
		}
	}
	return c
}

func (c *choice) value() string { return c.values[c.group.Selected] }

func (w *wizard) stepIdentity() {
	staff, _ := w.d.signedIn()
	message := newMessage()
	questions := container.NewVBox(para(text.T(text.WizardQuestionsHint)),
		widget.NewLabel("• "+text.T(text.WizardQuestion1)), widget.NewLabel("• "+text.T(text.WizardQuestion2)),
		widget.NewLabel("• "+text.T(text.WizardQuestion3)))
	questions.Hide()
	methods := newChoice([][2]string{
		{store.VerifyPhotoIDAndAddress, text.T(text.WizardIDPhoto)},
		{store.VerifyVouching, text.T(text.WizardIDVouch)},
		{store.VerifyVouchingWithInfo, text.T(text.WizardIDVouchInfo)},
	}, w.in.VerificationMethod, func(v string) {
		w.d.touch()
		if v == store.VerifyVouchingWithInfo {
			questions.Show()
		} else {
			questions.Hide()
		}
		w.d.relayout()
	})
	if w.in.VerificationMethod == store.VerifyVouchingWithInfo {
		questions.Show()
	}
	content := container.NewVBox(widget.NewLabel(text.T(text.WizardIDQuestion)), methods.group, questions,
		para(text.T(text.WizardIDCheckedBy, staff.DisplayName)))
	w.frame(1, content, message, nil, func() {
		if methods.value() == "" {
			w.d.say(message, text.T(text.WizardIDChoose))
			return
		}
		w.in.VerificationMethod = methods.value()
		w.stepCoercion()
	})
}

func (w *wizard) stepCoercion() {
	message := newMessage()
	answer := newChoice([][2]string{{"no", text.T(text.WizardCoercionNo)}, {"yes", text.T(text.WizardCoercionYes)}}, w.coercion,
		func(string) { w.d.touch() })
	w.frame(2, container.NewVBox(para(text.T(text.WizardCoercionAsk)), answer.group), message, w.stepIdentity, func() {
		switch answer.value() {
		case "":
			w.d.say(message, text.T(text.WizardCoercionNeed))
		case "yes":
			// Nothing is issued; the record shows no change.
			stop := para(text.T(text.WizardCoercionStop))
			stop.Importance = widget.WarningImportance
			w.d.show(container.NewVBox(heading(text.T(text.WizardCoercionYes)), stop,
				widget.NewButton(text.T(text.WizardDone), func() { w.d.showRecord(w.rec.ID, "") })))
		default:
			w.coercion = "no"
			w.in.CoercionConsidered = true
			w.stepServices()
		}
	})
}

func (w *wizard) stepServices() {
	message := newMessage()
	appts := widget.NewCheck(text.T(text.WizardAppointments), func(bool) { w.d.touch() })
	appts.SetChecked(w.in.Appointments)
	presc := widget.NewCheck(text.T(text.WizardPrescriptions), func(bool) { w.d.touch() })
	presc.SetChecked(w.in.Prescriptions)
	record := newChoice([][2]string{
		{store.RecordAccessNone, text.T(text.WizardRecordNone)},
		{store.RecordAccessSummary, text.T(text.WizardRecordSummary)},
		{store.RecordAccessDetailed, text.T(text.WizardRecordFull)},
	}, w.in.RecordAccess, func(string) { w.d.touch() })
	record.group.Horizontal = true
	kiosk := widget.NewCheck(text.T(text.WizardKiosk), func(bool) { w.d.touch() })
	kiosk.SetChecked(w.in.KioskEnabled)
	content := container.NewVBox()
	back := w.stepCoercion
	if w.linked != nil {
		back = nil
		content.Add(para(text.T(text.WizardCarried, w.checker, text.VerificationMethod(w.linked.Verification))))
	}
	content.Objects = append(content.Objects, widget.NewLabel(text.T(text.WizardServices)), appts, presc,
		widget.NewLabel(text.T(text.WizardRecordAccess)), record.group)
	if w.in.VerificationMethod == store.VerifyVouching {
		content.Add(para(text.T(text.WizardRecordVouch)))
	}
	content.Add(kiosk)
	w.frame(3, content, message, back, func() {
		w.in.Appointments, w.in.Prescriptions, w.in.KioskEnabled = appts.Checked, presc.Checked, kiosk.Checked
		w.in.RecordAccess = record.value()
		if w.in.RecordAccess == "" {
			w.in.RecordAccess = store.RecordAccessNone
		}
		staff, ok := w.d.signedIn()
		if !ok {
			w.d.SignOut("")
			return
		}
		p, err := w.d.cfg.Backend.PrepareRegistration(w.d.ctx, staff, w.in)
		if err != nil {
			w.d.say(message, w.d.plain(err))
			return
		}
		w.prepared = p
		w.stepLetter()
	})
}

func (w *wizard) stepLetter() {
	message := newMessage()
	content := container.NewVBox(para(text.T(text.WizardLetterFor, w.prepared.Addressee)))
	if w.proxy != nil {
		content.Add(widget.NewLabel(text.T(text.WizardActingFor, w.prepared.ActingFor)))
	}
	if w.reissue {
		warn := para(text.T(text.WizardReissueWarn))
		warn.Importance = widget.WarningImportance
		content.Add(warn)
	}
	pdf, err := w.d.cfg.Letters.Render(w.prepared)
	if err != nil {
		w.d.say(message, w.d.cfg.Letters.Message(err))
		w.frame(4, content, message, w.stepServices, nil)
		return
	}
	// The registration is issued only once its letter has printed or
	// saved.
	out := w.d.newLetterOut(letterJob{pdf: pdf, title: printTitle, file: "registration-letter",
		printed: func(printer string) string { return text.T(text.WizardPrinted, printer, w.prepared.Addressee) },
		saved:   func(path string) string { return text.T(text.WizardSaved, path, w.prepared.Addressee) },
		failed:  text.T(text.WizardNotIssued), done: w.issue}, message)
	content.Add(out.content)
	out.hold(w.frame(4, content, message, w.stepServices, nil, out.save, out.print))
}

// issue records the registration once its letter exists.
func (w *wizard) issue(done string) {
	staff, ok := w.d.signedIn()
	if !ok {
		w.d.SignOut("")
		return
	}
	if err := w.d.cfg.Backend.IssueRegistration(w.d.ctx, staff, w.prepared); err != nil {
		w.d.show(container.NewVBox(para(w.d.plain(err)), widget.NewButton(text.T(text.WizardDone), func() { w.d.showRecord(w.rec.ID, "") })))
		return
	}
	note := done
	if !w.prepared.ExpiresAt.IsZero() {
		note += " " + text.T(text.WizardUseBy, longDate(store.DateOf(w.prepared.ExpiresAt, w.d.cfg.Location)))
	}
	w.d.nudge()
	if w.reissue {
		note += " " + text.T(text.WizardOldStops)
	}
	w.d.showRecord(w.rec.ID, note)
}

func (d *Desk) saveDir() string {
	if d.cfg.SaveDir != "" {
		return d.cfg.SaveDir
	}
	if home, err := os.UserHomeDir(); err == nil {
		return home
	}
	return "."
}
