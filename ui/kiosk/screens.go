package kiosk

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/receipt"
	"gpkiosk/ui/text"
)

func (k *Kiosk) showWelcome() {
	k.previousScreen = nil
	k.scan = nil
	needSignIn := func(next func()) func() {
		return func() {
			if _, ok := k.signedIn(); ok {
				next()
				return
			}
			k.showSignIn(next)
		}
	}
	screen := container.NewVBox(
		heading(k.cfg.PracticeName),
		para(text.T(text.WelcomePrompt)),
		sized(bigButton(text.T(text.CheckIn), k.showCheckIn)),
		sized(bigButton(text.T(text.BookAppointment), needSignIn(k.showBook))),
		sized(bigButton(text.T(text.MyAppointments), needSignIn(k.showAppointments))),
		sized(bigButton(text.T(text.RepeatPrescriptions), needSignIn(k.showRepeats))),
		sized(bigButton(text.T(text.NeedHelp), k.askForHelp)),
		sized(widget.NewButton(text.T(text.ReportProblem), k.showReportProblem)),
	)
	k.setScreen(container.NewCenter(screen))
	k.touch()
}

func (k *Kiosk) askForHelp() {
	_, err := k.cfg.Backend.AskForHelp(k.ctx, "")
	msg := text.T(text.HelpComing)
	if err != nil {
		k.cfg.Log.Error("ask for help failed", "err", err)
		msg = text.T(text.HelpNotSent)
	}
	k.nudge()
	k.show(centred(heading(text.T(text.NeedHelp)), para(msg), sized(bigButton(text.T(text.Back), k.showWelcome))))
}

func (k *Kiosk) nudge() {
	if k.cfg.Nudge != nil {
		k.cfg.Nudge()
	}
}

// when says a slot's time the way people do: "Tuesday 9 June at 10:30".
func (k *Kiosk) when(t time.Time) string {
	t = t.In(k.cfg.Location)
	return text.T(text.DateAtTime, t.Format("Monday 2 January"), t.Format("15:04"))
}

// bookingChoice narrows the free times: what for, and optionally who with.
type bookingChoice struct {
	slotType  string // "" until chosen
	clinician string // "" for anyone
}

func (k *Kiosk) showBook() { k.showBookFor(bookingChoice{}) }

func (k *Kiosk) showBookFor(choice bookingChoice) {
	s, ok := k.signedIn()
	if !ok {
		k.showWelcome()
		return
	}
	if s.patient.NoAppointments {
		k.show(k.sorry(text.T(text.LetterNoAppointments)))
		return
	}
	today := store.DateOf(k.cfg.Clock(), k.cfg.Location)
	slots, err := k.cfg.Backend.FreeSlots(k.ctx, s.patient.ID, s.dob, today, 60)
	if err != nil {
		k.show(k.sorry(plain(err)))
		return
	}
	if len(slots) == 0 {
		k.show(k.sorry(text.T(text.BookNoTimes)))
		return
	}
	if choice.slotType == "" {
		k.show(k.chooseFrom(text.T(text.BookWhatFor), text.T(text.BookChooseOne, s.patient.GivenName),
			distinct(slots, func(sl replica.Slot) string { return sl.SlotTypeName }),
			func(v string) { k.showBookFor(bookingChoice{slotType: v}) }))
		return
	}
	var matching []replica.Slot
	for _, sl := range slots {
		if sl.SlotTypeName == choice.slotType && (choice.clinician == "" || sl.ClinicianName == choice.clinician) {
			matching = append(matching, sl)
		}
	}
	list := container.NewVBox()
	for _, sl := range matching[:min(len(matching), 8)] {
		label := text.T(text.BookSlot, k.when(sl.StartsAt), sl.ClinicianName)
		list.Add(sized(bigButton(label, func() { k.confirmBooking(sl) })))
	}
	if len(matching) == 0 {
		list.Add(para(text.T(text.BookNoTimesForThis)))
	}
	var clinicians []string
	for _, sl := range slots {
		if sl.SlotTypeName == choice.slotType {
			clinicians = append(clinicians, sl.ClinicianName)
		}
	}
	anyone := text.T(text.BookAnyone)
	who := anyone
	if choice.clinician != "" {
		who = choice.clinician
	}
	pick := widget.NewButton(text.T(text.BookWhoWith, who), func() {
		k.show(k.chooseFrom(text.T(text.BookWhoTitle), text.T(text.BookWhoHint),
			append([]string{anyone}, distinct(nil, nil, clinicians...)...),
			func(v string) {
				if v == anyone {
					v = ""
				}
				k.showBookFor(bookingChoice{slotType: choice.slotType, clinician: v})
			}))
	})
	k.show(container.NewBorder(
		container.NewVBox(heading(text.T(text.BookChooseTime)), para(text.T(text.BookEarliest, choice.slotType)), sized(pick)),
		container.NewVBox(sized(widget.NewButton(text.T(text.BookSomethingElse), k.showBook)), sized(widget.NewButton(text.T(text.StartAgain), k.SignOut))),
		nil, nil,
		container.NewVScroll(container.NewCenter(list))))
}

// chooseFrom is a screen of big buttons, one for each option.
func (k *Kiosk) chooseFrom(title, hint string, options []string, chosen func(string)) fyne.CanvasObject {
	list := container.NewVBox()
	for _, o := range options {
		list.Add(sized(bigButton(o, func() { chosen(o) })))
	}
	return container.NewBorder(container.NewVBox(heading(title), para(hint)), sized(widget.NewButton(text.T(text.StartAgain), k.SignOut)),
		nil, nil, container.NewVScroll(container.NewCenter(list)))
}

// distinct lists values in first-seen order without repeats: of key over
// slots, then of extra.
func distinct(slots []replica.Slot, key func(replica.Slot) string, extra ...string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(v string) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for _, sl := range slots {
		add(key(sl))
	}
	for _, v := range extra {
		add(v)
	}
	return out
}

func (k *Kiosk) confirmBooking(sl replica.Slot) {
	k.show(centred(
		heading(text.T(text.BookConfirmTitle)),
		para(text.T(text.BookConfirmDetails, k.when(sl.StartsAt), sl.ClinicianName, sl.SlotTypeName)),
		sized(bigButton(text.T(text.BookYes), func() { k.book(sl) })),
		sized(widget.NewButton(text.T(text.BookNo), k.showBook)),
	))
}

func (k *Kiosk) book(sl replica.Slot) {
	s, ok := k.signedIn()
	if !ok {
		k.showWelcome()
		return
	}
	b, err := k.cfg.Backend.Book(k.ctx, s.patient.ID, sl.ID, s.dob)
	if err != nil {
		k.show(centred(heading(text.T(text.BookNotBooked)), para(plain(err)), sized(bigButton(text.T(text.BookChooseAnother), k.showBook)),
			sized(widget.NewButton(text.T(text.StartAgain), k.SignOut))))
		return
	}
	k.nudge()
	firmness := text.T(text.BookConfirmed)
	if b.State == replica.StateProvisional {
		firmness = text.T(text.BookNotConfirmedYet)
	}
	slip := para("")
	parts := []fyne.CanvasObject{
		heading(text.T(text.Booked)),
		para(text.T(text.BookSlot, k.when(sl.StartsAt), sl.ClinicianName)),
		para(firmness),
	}
	if k.cfg.Printer != nil {
		parts = append(parts, sized(widget.NewButton(text.T(text.SlipPrint), func() { slip.SetText(k.printSlip(s, b)) })))
	} else {
		slip.SetText(text.T(text.SlipNoPrinter))
	}
	k.show(centred(append(parts, slip, sized(bigButton(text.T(text.StartAgain), k.SignOut)))...))
}

// printSlip prints the appointment on the receipt printer and says how it
// went. The slip carries the first name only.
func (k *Kiosk) printSlip(s session, b replica.LocalBooking) string {
	k.touch()
	var checkIn string
	if b.CheckInCode != "" {
		checkIn = gpsync.CheckInCodePrefix + b.CheckInCode
	}
	data := receipt.Encode(receipt.AppointmentSlip(receipt.Appointment{Practice: k.cfg.PracticeName, FirstName: s.patient.GivenName,
		Clinician: b.Slot.ClinicianName, When: b.Slot.StartsAt.In(k.cfg.Location), CheckIn: checkIn}))
	return k.print(data)
}

// print sends a slip to the printer and says how it went.
func (k *Kiosk) print(data []byte) string {
	if err := k.cfg.Printer.Print(k.ctx, data); err != nil {
		k.cfg.Log.Error("slip printing failed", "err", err)
		return text.T(text.SlipFailed)
	}
	return text.T(text.SlipPrinting)
}

func (k *Kiosk) showAppointments() {
	s, ok := k.signedIn()
	if !ok {
		k.showWelcome()
		return
	}
	if s.patient.NoAppointments {
		k.show(k.sorry(text.T(text.LetterNoAppointments)))
		return
	}
	appts, err := k.cfg.Backend.Appointments(k.ctx, s.patient.ID)
	if err != nil {
		k.show(k.sorry(plain(err)))
		return
	}
	list := container.NewVBox()
	if len(appts) == 0 {
		list.Add(para(text.T(text.AppointmentsNone)))
	}
	for _, a := range appts {
		item := text.AppointmentsItem
		if a.State == replica.StateProvisional {
			item = text.AppointmentsItemNotYet
		}
		list.Add(para(text.T(item, k.when(a.StartsAt), a.ClinicianName)))
		list.Add(sized(widget.NewButton(text.T(text.AppointmentsCancel), func() { k.confirmCancel(a) })))
	}
	k.show(container.NewBorder(heading(text.T(text.MyAppointments)), sized(bigButton(text.T(text.StartAgain), k.SignOut)), nil, nil,
		container.NewVScroll(list)))
}

func (k *Kiosk) confirmCancel(a replica.Appointment) {
	k.show(centred(
		heading(text.T(text.AppointmentsCancelTitle)),
		para(text.T(text.AppointmentsItem, k.when(a.StartsAt), a.ClinicianName)),
		sized(bigButton(text.T(text.YesCancelIt), func() {
			s, ok := k.signedIn()
			if !ok {
				k.showWelcome()
				return
			}
			if _, err := k.cfg.Backend.CancelAppointment(k.ctx, s.patient.ID, a.Ref); err != nil {
				k.show(k.sorry(plain(err)))
				return
			}
			k.nudge()
			k.show(centred(heading(text.T(text.Cancelled)), para(text.T(text.AppointmentsCancelled)), sized(bigButton(text.T(text.StartAgain), k.SignOut))))
		})),
		sized(widget.NewButton(text.T(text.NoKeepIt), k.showAppointments)),
	))
}

func (k *Kiosk) sorry(msg string) fyne.CanvasObject {
	return centred(heading(text.T(text.Sorry)), para(msg), sized(bigButton(text.T(text.StartAgain), k.SignOut)))
}

// problemChoices are what a patient can report without typing.
func problemChoices() []text.Key {
	return []text.Key{
		text.ProblemScreen,
		text.ProblemHardToRead,
		text.ProblemPrinter,
		text.ProblemScanner,
		text.ProblemOther,
	}
}

func (k *Kiosk) showReportProblem() {
	choices := problemChoices()
	labels := make([]string, len(choices))
	for i, c := range choices {
		labels[i] = text.T(c)
	}
	k.show(k.chooseFrom(text.T(text.ReportProblem), text.T(text.ProblemPrompt), labels, func(label string) {
		// The practice reads reports in English, whatever the screen showed.
		description := label
		if i := slices.Index(labels, label); i >= 0 {
			description = text.English().T(choices[i])
		}
		msg := text.T(text.ProblemSent)
		if _, err := k.cfg.Backend.ReportProblem(k.ctx, "kiosk", description); err != nil {
			k.cfg.Log.Error("problem report failed", "err", err)
			msg = text.T(text.ProblemNotSent)
		}
		k.nudge()
		k.show(centred(heading(text.T(text.ReportProblem)), para(msg), sized(bigButton(text.T(text.Back), k.showWelcome))))
	}))
}
