package kiosk

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	"gpkiosk/ui/receipt"
	"gpkiosk/ui/text"
)

// Words on the kiosk's screens that tests and other screens refer to.
var (
	TextCheckIn        = text.T(text.CheckIn)
	TextBook           = text.T(text.BookAppointment)
	TextMyAppointments = text.T(text.MyAppointments)
	TextRepeats        = text.T(text.RepeatPrescriptions)
	TextHelp           = text.T(text.NeedHelp)
	TextProblem        = text.T(text.ReportProblem)
)

// Words not yet in the text catalogue.
const (
	TextHelpComing   = "Someone from reception is coming to help you. Please stay here."
	TextBooked       = "You are booked in."
	TextStartAgain   = "Finish and start again"
	TextSeeReception = "Please see reception."
	TextPrintSlip    = "Print a slip"
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
		para("Welcome. What would you like to do?"),
		sized(bigButton(TextCheckIn, k.showCheckIn)),
		sized(bigButton(TextBook, needSignIn(k.showBook))),
		sized(bigButton(TextMyAppointments, needSignIn(k.showAppointments))),
		sized(bigButton(TextRepeats, needSignIn(k.showRepeats))),
		sized(bigButton(TextHelp, k.askForHelp)),
		sized(widget.NewButton(TextProblem, k.showReportProblem)),
	)
	k.setScreen(container.NewCenter(screen))
	k.touch()
}

func (k *Kiosk) askForHelp() {
	_, err := k.cfg.Backend.AskForHelp(k.ctx, "")
	msg := TextHelpComing
	if err != nil {
		k.cfg.Log.Error("ask for help failed", "err", err)
		msg = "Sorry, we could not send your message. " + TextSeeReception
	}
	k.nudge()
	k.show(centred(heading(TextHelp), para(msg), sized(bigButton("Back", k.showWelcome))))
}

func (k *Kiosk) nudge() {
	if k.cfg.Nudge != nil {
		k.cfg.Nudge()
	}
}

// when says a slot's time the way people do: "Tuesday 9 June at 10:30".
func (k *Kiosk) when(t time.Time) string {
	return t.In(k.cfg.Location).Format("Monday 2 January at 15:04")
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
	today := store.DateOf(k.cfg.Clock(), k.cfg.Location)
	slots, err := k.cfg.Backend.FreeSlots(k.ctx, s.patient.ID, s.dob, today, 60)
	if err != nil {
		k.show(k.sorry(plain(err)))
		return
	}
	if len(slots) == 0 {
		k.show(k.sorry("There are no times you can book here at the moment. " + TextSeeReception))
		return
	}
	if choice.slotType == "" {
		k.show(k.chooseFrom("What is the appointment for?", s.patient.GivenName+", choose one.",
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
		label := fmt.Sprintf("%s\nwith %s", k.when(sl.StartsAt), sl.ClinicianName)
		list.Add(sized(bigButton(label, func() { k.confirmBooking(sl) })))
	}
	if len(matching) == 0 {
		list.Add(para("There are no times for this at the moment. " + TextSeeReception))
	}
	var clinicians []string
	for _, sl := range slots {
		if sl.SlotTypeName == choice.slotType {
			clinicians = append(clinicians, sl.ClinicianName)
		}
	}
	who := "Anyone"
	if choice.clinician != "" {
		who = choice.clinician
	}
	pick := widget.NewButton("Who with: "+who+" (tap to change)", func() {
		k.show(k.chooseFrom("Who would you like to see?", "Choose \"Anyone\" for the earliest times.",
			append([]string{"Anyone"}, distinct(nil, nil, clinicians...)...),
			func(v string) {
				if v == "Anyone" {
					v = ""
				}
				k.showBookFor(bookingChoice{slotType: choice.slotType, clinician: v})
			}))
	})
	k.show(container.NewBorder(
		container.NewVBox(heading("Choose a time"), para(choice.slotType+": the earliest times you can book."), sized(pick)),
		container.NewVBox(sized(widget.NewButton("Choose something else", k.showBook)), sized(widget.NewButton(TextStartAgain, k.SignOut))),
		nil, nil,
		container.NewVScroll(container.NewCenter(list))))
}

// chooseFrom is a screen of big buttons, one for each option.
func (k *Kiosk) chooseFrom(title, hint string, options []string, chosen func(string)) fyne.CanvasObject {
	list := container.NewVBox()
	for _, o := range options {
		list.Add(sized(bigButton(o, func() { chosen(o) })))
	}
	return container.NewBorder(container.NewVBox(heading(title), para(hint)), sized(widget.NewButton(TextStartAgain, k.SignOut)),
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
		heading("Book this appointment?"),
		para(fmt.Sprintf("%s\nwith %s\n%s", k.when(sl.StartsAt), sl.ClinicianName, sl.SlotTypeName)),
		sized(bigButton("Yes, book it", func() { k.book(sl) })),
		sized(widget.NewButton("No, choose another time", k.showBook)),
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
		k.show(centred(heading("Not booked"), para(plain(err)), sized(bigButton("Choose another time", k.showBook)),
			sized(widget.NewButton(TextStartAgain, k.SignOut))))
		return
	}
	k.nudge()
	firmness := "This appointment is confirmed."
	if b.State == replica.StateProvisional {
		firmness = "This kiosk is working offline, so the appointment is not confirmed yet. It will be sent when the connection returns. If there is a problem, reception will tell you."
	}
	slip := para("")
	parts := []fyne.CanvasObject{
		heading(TextBooked),
		para(fmt.Sprintf("%s\nwith %s", k.when(sl.StartsAt), sl.ClinicianName)),
		para(firmness),
	}
	if k.cfg.Printer != nil {
		parts = append(parts, sized(widget.NewButton(TextPrintSlip, func() { slip.SetText(k.printSlip(s, sl)) })))
	} else {
		slip.SetText("There is no printer here. Please make a note of the day and time.")
	}
	k.show(centred(append(parts, slip, sized(bigButton(TextStartAgain, k.SignOut)))...))
}

// printSlip prints the appointment on the receipt printer and says how it
// went. The slip carries the first name only.
func (k *Kiosk) printSlip(s session, sl replica.Slot) string {
	k.touch()
	data := receipt.Encode(receipt.AppointmentSlip(receipt.Appointment{Practice: k.cfg.PracticeName, FirstName: s.patient.GivenName,
		Clinician: sl.ClinicianName, When: sl.StartsAt.In(k.cfg.Location)}))
	if err := k.cfg.Printer.Print(k.ctx, data); err != nil {
		k.cfg.Log.Error("slip printing failed", "err", err)
		return "Sorry, the printer is not working. Please make a note of the day and time."
	}
	return "Your slip is printing. Please take it from the printer."
}

func (k *Kiosk) showAppointments() {
	s, ok := k.signedIn()
	if !ok {
		k.showWelcome()
		return
	}
	appts, err := k.cfg.Backend.Appointments(k.ctx, s.patient.ID)
	if err != nil {
		k.show(k.sorry(plain(err)))
		return
	}
	list := container.NewVBox()
	if len(appts) == 0 {
		list.Add(para("You have no appointments booked."))
	}
	for _, a := range appts {
		state := ""
		if a.State == replica.StateProvisional {
			state = " (not confirmed yet)"
		}
		list.Add(para(fmt.Sprintf("%s with %s%s", k.when(a.StartsAt), a.ClinicianName, state)))
		list.Add(sized(widget.NewButton("Cancel this appointment", func() { k.confirmCancel(a) })))
	}
	k.show(container.NewBorder(heading(TextMyAppointments), sized(bigButton(TextStartAgain, k.SignOut)), nil, nil,
		container.NewVScroll(list)))
}

func (k *Kiosk) confirmCancel(a replica.Appointment) {
	k.show(centred(
		heading("Cancel this appointment?"),
		para(fmt.Sprintf("%s with %s", k.when(a.StartsAt), a.ClinicianName)),
		sized(bigButton("Yes, cancel it", func() {
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
			k.show(centred(heading("Cancelled"), para("Your appointment is cancelled."), sized(bigButton(TextStartAgain, k.SignOut))))
		})),
		sized(widget.NewButton("No, keep it", k.showAppointments)),
	))
}

func (k *Kiosk) sorry(msg string) fyne.CanvasObject {
	return centred(heading("Sorry"), para(msg), sized(bigButton(TextStartAgain, k.SignOut)))
}

// problemChoices are what a patient can report without typing.
func problemChoices() []string {
	return []string{
		"The screen did not do what I expected",
		"The screen is hard to read",
		"The printer did not work",
		"The scanner did not read my letter",
		"Something else",
	}
}

func (k *Kiosk) showReportProblem() {
	k.show(k.chooseFrom(TextProblem, "What went wrong? Tap one. We will look into it.", problemChoices(), func(choice string) {
		msg := "Thank you. We have told the practice."
		if _, err := k.cfg.Backend.ReportProblem(k.ctx, "kiosk", choice); err != nil {
			k.cfg.Log.Error("problem report failed", "err", err)
			msg = "Sorry, we could not send that. " + TextSeeReception
		}
		k.nudge()
		k.show(centred(heading(TextProblem), para(msg), sized(bigButton("Back", k.showWelcome))))
	}))
}
