package kiosk

import (
	"context"
	"slices"
	"time"

	"fyne.io/fyne/v2"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/receipt"
	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

func (k *Kiosk) showWelcome() {
	// Each visit starts here, with the practice's settings as they are now.
	k.takeSettings()
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
	list := widgets.NewList(
		widgets.NewPrimaryButtonOf(text.M(text.CheckIn), k.showCheckIn),
		widgets.NewPrimaryButtonOf(text.M(text.BookAppointment), needSignIn(k.showBook)),
		widgets.NewPrimaryButtonOf(text.M(text.MyAppointments), needSignIn(k.showAppointments)),
		widgets.NewPrimaryButtonOf(text.M(text.RepeatPrescriptions), needSignIn(k.showRepeats)),
		widgets.NewButtonOf(text.M(text.ReportProblem), k.showReportProblem),
	)
	list.OnPage = k.touch
	// Help is in the footer, so it shows even when the list pages (A++
	// on a small screen).
	k.setScreen(widgets.NewPage(objs(heading(text.Literal(k.cfg.PracticeName)), para(text.M(text.WelcomePrompt))), list,
		objs(widgets.NewPrimaryButtonOf(text.M(text.NeedHelp), k.askForHelp))), true)
	k.touch()
}

// showMenu is the signed-in patient's own menu: after each task they come
// back here, until they finish or the screen clears itself.
func (k *Kiosk) showMenu() {
	s, ok := k.signedIn()
	if !ok {
		k.showWelcome()
		return
	}
	list := widgets.NewList(
		widgets.NewPrimaryButtonOf(text.M(text.BookAppointment), k.showBook),
		widgets.NewPrimaryButtonOf(text.M(text.MyAppointments), k.showAppointments),
		widgets.NewPrimaryButtonOf(text.M(text.RepeatPrescriptions), k.showRepeats),
		widgets.NewButtonOf(text.M(text.NeedHelp), k.askForHelp),
	)
	list.OnPage = k.touch
	k.show(widgets.NewPage(objs(heading(text.M(text.MenuTitle, s.patient.GivenName)), para(text.M(text.MenuHint))), list,
		objs(widgets.NewPrimaryButtonOf(text.M(text.MenuFinished), k.finish))))
}

// taskFooter ends every signed-in task: back to the patient's menu, or
// finished.
func (k *Kiosk) taskFooter(extra ...fyne.CanvasObject) []fyne.CanvasObject {
	row := append(extra, widgets.NewButtonOf(text.M(text.MenuBackToMenu), k.showMenu), widgets.NewButtonOf(text.M(text.MenuFinished), k.finish))
	return objs(widgets.NewRow(row...))
}

// finish signs the patient out and says so, then returns to the welcome
// screen on its own.
// Their text size and contrast stay for the thank-you, which they are
// still reading, and go back to normal with it.
func (k *Kiosk) finish() {
	k.forgetPatient()
	k.previousScreen = nil
	k.showThenWelcome(text.M(text.FinishedTitle), text.M(text.FinishedMessage))
}

// resultShownFor is how long a result with nothing personal on it (a
// check-in, "you are signed out") stays before the welcome screen returns.
const resultShownFor = 20 * time.Second

// showThenWelcome shows a short result with a Done button and goes back to
// the welcome screen after resultShownFor if nobody taps.
func (k *Kiosk) showThenWelcome(title, message text.Message) {
	k.show(widgets.NewPage(objs(heading(title), para(message)), widgets.NewList(widgets.NewPrimaryButtonOf(text.M(text.Done), k.EndVisit)), nil))
	k.mu.Lock()
	gen := k.gen
	k.mu.Unlock()
	time.AfterFunc(resultShownFor, func() {
		k.cfg.Do(func() {
			if k.current(gen) {
				k.EndVisit()
			}
		})
	})
}

// back is where a screen's Back goes: the patient's menu when signed in,
// else the welcome screen.
func (k *Kiosk) back() {
	if _, ok := k.signedIn(); ok {
		k.showMenu()
		return
	}
	k.showWelcome()
}

// askForHelp calls someone from reception, and only says help is coming
// once the practice server has the request: a kiosk that cannot reach it
// sends the patient to the desk instead.
func (k *Kiosk) askForHelp() {
	done := func(msg text.Message) {
		k.show(widgets.NewPage(objs(heading(text.M(text.NeedHelp)), para(msg)),
			widgets.NewList(widgets.NewPrimaryButtonOf(text.M(text.Back), k.back)), nil))
	}
	if !k.online || k.cfg.SendNow == nil {
		done(text.M(text.HelpOffline))
		return
	}
	opID, err := k.cfg.Backend.AskForHelp(k.ctx, "")
	if err != nil {
		k.cfg.Log.Error("ask for help failed", "err", err)
		done(text.M(text.HelpNotSent))
		return
	}
	k.show(widgets.NewPage(objs(heading(text.M(text.NeedHelp)), para(text.M(text.HelpSending))), nil, nil))
	k.sendThen(func(err error) {
		if err != nil {
			k.cfg.Log.Warn("help request not confirmed by the practice server", "err", err)
			// The patient goes to the desk; a call arriving later would
			// send someone to an empty kiosk.
			if _, werr := k.cfg.Backend.WithdrawHelp(k.ctx, opID); werr != nil {
				k.cfg.Log.Error("withdraw unsent help request", "err", werr)
			}
			done(text.M(text.HelpNotSent))
			return
		}
		// Sent, yet still queued: the practice server holds this kiosk's
		// calls for help to its quota for now. The patient goes to the
		// desk, and the call is taken back as above.
		if still, werr := k.cfg.Backend.WithdrawHelp(k.ctx, opID); werr != nil {
			k.cfg.Log.Error("withdraw held help request", "err", werr)
		} else if still {
			k.cfg.Log.Warn("help request held by the practice server's quota; patient sent to the desk")
			done(text.M(text.HelpNotSent))
			return
		}
		done(text.M(text.HelpComing))
	})
}

// sendThen sends the outbox now, off the UI goroutine, and runs then on
// the UI goroutine with the result, unless the patient has moved on.
func (k *Kiosk) sendThen(then func(error)) {
	k.mu.Lock()
	gen := k.gen
	k.mu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(k.ctx, sendWait)
		defer cancel()
		err := k.cfg.SendNow(ctx)
		k.cfg.Do(func() {
			if k.current(gen) {
				then(err)
			}
		})
	}()
}

func (k *Kiosk) nudge() {
	if k.cfg.Nudge != nil {
		k.cfg.Nudge()
	}
}

// when says a slot's time the way people do: "Tuesday 9 June at 10:30",
// in the patient's language.
func (k *Kiosk) when(t time.Time) text.Message { return text.DayAt(t.In(k.cfg.Location)) }

// bookingChoice narrows the free times: what for, optionally who with and
// which day.
type bookingChoice struct {
	slotType  string     // "" until chosen
	clinician string     // "" for anyone
	day       store.Date // zero for the earliest days
}

// bookingDays is how far ahead the kiosk looks for free times.
const bookingDays = 60

func (k *Kiosk) showBook() { k.showBookFor(bookingChoice{}) }

func (k *Kiosk) showBookFor(choice bookingChoice) {
	s, ok := k.signedIn()
	if !ok {
		k.showWelcome()
		return
	}
	if s.patient.NoAppointments {
		k.show(k.sorry(text.M(text.LetterNoAppointments)))
		return
	}
	today := store.DateOf(k.cfg.Clock(), k.cfg.Location)
	slots, err := k.cfg.Backend.FreeSlots(k.ctx, s.patient.ID, s.dob, today, bookingDays)
	if err != nil {
		k.show(k.sorry(plain(err)))
		return
	}
	if len(slots) == 0 {
		k.show(k.sorry(text.M(text.BookNoTimes)))
		return
	}
	if choice.slotType == "" {
		// In the same order every visit, so a patient can learn where
		// their kind of appointment is.
		types := distinct(slots, func(sl replica.Slot) string { return sl.SlotTypeName })
		slices.Sort(types)
		k.show(k.chooseFrom(text.M(text.BookWhatFor), text.M(text.BookChooseOne, s.patient.GivenName), literalOptions(types),
			func(v string) { k.showBookFor(bookingChoice{slotType: v}) }))
		return
	}
	// One copy of this kind's slots, shared by every button: Fyne keeps
	// a screen's renderers, and so the screen, for a minute after it goes,
	// and a copy of a slot in each button's closure plus the list of every
	// kind's were most of what a booking flow kept (docs/benchmarks.md).
	ofType := slices.Clone(slices.DeleteFunc(slots, func(sl replica.Slot) bool { return sl.SlotTypeName != choice.slotType }))
	var times []fyne.CanvasObject
	for i, sl := range ofType {
		if choice.clinician != "" && sl.ClinicianName != choice.clinician {
			continue
		}
		if !choice.day.IsZero() && store.DateOf(sl.StartsAt, k.cfg.Location) != choice.day {
			continue
		}
		times = append(times, widgets.NewPrimaryButtonOf(text.M(text.BookSlot, k.when(sl.StartsAt), sl.ClinicianName), func() { k.confirmBooking(ofType[i]) }))
	}
	if len(times) == 0 {
		times = append(times, para(text.M(text.BookNoTimesForThis)))
	}
	var who text.Message = text.M(text.BookAnyone)
	if choice.clinician != "" {
		who = text.Literal(choice.clinician)
	}
	pickWho := widgets.NewButtonOf(text.M(text.BookWhoWith, who), func() {
		clinicians := distinct(ofType, func(sl replica.Slot) string { return sl.ClinicianName })
		slices.Sort(clinicians)
		// "Anyone" chooses no clinician (value "").
		options := append([]option{{label: text.M(text.BookAnyone)}}, literalOptions(clinicians)...)
		k.show(k.chooseFrom(text.M(text.BookWhoTitle), text.M(text.BookWhoHint), options,
			func(v string) { k.showBookFor(bookingChoice{slotType: choice.slotType, clinician: v}) }))
	})
	pickDay := widgets.NewButtonOf(text.M(text.BookAnotherDay), func() { k.showDays(choice, ofType) })
	hint := text.M(text.BookEarliest, choice.slotType)
	if !choice.day.IsZero() {
		hint = text.M(text.BookTimesOn, choice.slotType, k.day(choice.day.At(12, 0, k.cfg.Location)))
	}
	list := widgets.NewPager(times, text.M(text.BookLaterTimes), text.M(text.BookEarlierTimes))
	list.OnPage = k.touch
	k.show(widgets.NewPage(
		objs(heading(text.M(text.BookChooseTime)), para(hint), widgets.NewRow(pickWho, pickDay)),
		list,
		k.taskFooter()))
}

// showDays lists the days with free times of the chosen kind (and
// clinician), so a patient can book on a day that suits them.
func (k *Kiosk) showDays(choice bookingChoice, ofType []replica.Slot) {
	var days []store.Date
	count := map[store.Date]int{}
	for _, sl := range ofType {
		if choice.clinician != "" && sl.ClinicianName != choice.clinician {
			continue
		}
		d := store.DateOf(sl.StartsAt, k.cfg.Location)
		if count[d] == 0 {
			days = append(days, d)
		}
		count[d]++
	}
	var buttons []fyne.CanvasObject
	for _, d := range days {
		buttons = append(buttons, widgets.NewPrimaryButtonOf(k.day(d.At(12, 0, k.cfg.Location)), func() {
			k.showBookFor(bookingChoice{slotType: choice.slotType, clinician: choice.clinician, day: d})
		}))
	}
	list := widgets.NewPager(buttons, text.M(text.BookLaterDays), text.M(text.BookEarliestDays))
	list.OnPage = k.touch
	k.show(widgets.NewPage(objs(heading(text.M(text.BookDayTitle)), para(text.M(text.BookDayHint, choice.slotType))), list,
		k.taskFooter(widgets.NewButtonOf(text.M(text.Back), func() { k.showBookFor(bookingChoice{slotType: choice.slotType, clinician: choice.clinician}) }))))
}

// option is one choice on a chooseFrom screen: the words on its button
// and the value chosen.
type option struct {
	label text.Message
	value string
}

// literalOptions are choices named as they are (the practice's own names
// for appointment types and clinicians, which no catalogue translates).
func literalOptions(values []string) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{label: text.Literal(v), value: v}
	}
	return out
}

// chooseFrom is a screen of big buttons, one for each option, a page at a
// time when they do not all fit.
func (k *Kiosk) chooseFrom(title, hint text.Message, options []option, chosen func(string)) fyne.CanvasObject {
	var buttons []fyne.CanvasObject
	for _, o := range options {
		buttons = append(buttons, widgets.NewPrimaryButtonOf(o.label, func() { chosen(o.value) }))
	}
	list := widgets.NewList(buttons...)
	list.OnPage = k.touch
	return widgets.NewPage(objs(heading(title), para(hint)), list, k.taskFooter())
}

// distinct lists key's values over slots in first-seen order without
// repeats.
func distinct(slots []replica.Slot, key func(replica.Slot) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, sl := range slots {
		if v := key(sl); !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// cancellable says whether the patient may still cancel an appointment
// at t themselves, by the store's rule as the replica reports it.
func (k *Kiosk) cancellable(cancelUntil time.Time) bool {
	return !cancelUntil.IsZero() && !k.cfg.Clock().After(cancelUntil)
}

func (k *Kiosk) confirmBooking(sl replica.Slot) {
	header := objs(heading(text.M(text.BookConfirmTitle)), widgets.NewTextOf(text.M(text.BookConfirmDetails, k.when(sl.StartsAt), sl.ClinicianName, sl.SlotTypeName), widgets.TextStrong))
	if !k.cancellable(sl.CancelUntil) {
		// Said before booking, not discovered when trying to cancel.
		header = append(header, para(text.M(text.BookNoCancelHere)))
	}
	k.show(widgets.NewPage(header, widgets.NewList(
		widgets.NewPrimaryButtonOf(text.M(text.BookYes), func() { k.book(sl) }),
		widgets.NewButtonOf(text.M(text.BookNo), func() { k.showBookFor(bookingChoice{slotType: sl.SlotTypeName}) }),
	), nil))
}

// book makes the booking on the replica, then, online, sends it at once
// and says "booked" only when the practice server has confirmed it.
func (k *Kiosk) book(sl replica.Slot) {
	s, ok := k.signedIn()
	if !ok {
		k.showWelcome()
		return
	}
	b, err := k.cfg.Backend.Book(k.ctx, s.patient.ID, sl.ID, s.dob)
	if err != nil {
		k.show(widgets.NewPage(objs(heading(text.M(text.BookNotBooked)), para(plain(err))),
			widgets.NewList(widgets.NewPrimaryButtonOf(text.M(text.BookChooseAnother), k.showBook)), k.taskFooter()))
		return
	}
	if !k.online || k.cfg.SendNow == nil {
		k.nudge()
		k.showBooked(s, b, b.State)
		return
	}
	k.show(widgets.NewPage(objs(heading(text.M(text.BookConfirmTitle)), para(text.M(text.BookSending))), nil, nil))
	k.sendThen(func(err error) {
		if err != nil {
			k.cfg.Log.Warn("booking not confirmed by the practice server yet", "err", err)
			k.showBooked(s, b, b.State)
			return
		}
		k.showBooked(s, b, k.bookingState(s, sl))
	})
}

// bookingState reads what the replica now knows of the booking of sl
// after a sync: confirmed, still waiting, or gone (the server refused it,
// and an item needing attention says why).
func (k *Kiosk) bookingState(s session, sl replica.Slot) replica.State {
	appts, err := k.cfg.Backend.Appointments(k.ctx, s.patient.ID)
	if err != nil {
		k.cfg.Log.Error("read appointments after booking", "err", err)
		return replica.StateProvisional
	}
	for _, a := range appts {
		if a.SlotID == sl.ID {
			return a.State
		}
	}
	return ""
}

func (k *Kiosk) showBooked(s session, b replica.LocalBooking, state replica.State) {
	if state == "" {
		// Refused after all (someone else took the time first): say so
		// now, with the practice's reason, rather than at the next visit.
		k.showAttention(s.patient.ID, k.showBook)
		return
	}
	var title, firmness text.Message = text.M(text.Booked), text.M(text.BookConfirmed)
	if state == replica.StateProvisional {
		// Not "you are booked in" until the practice has it.
		title, firmness = text.M(text.BookedProvisional), text.M(text.BookNotConfirmedYet)
	}
	title = k.outcome(title)
	slip := para(text.Literal(""))
	var actions []fyne.CanvasObject
	if k.cfg.Printer != nil {
		actions = append(actions, widgets.NewButtonOf(text.M(text.SlipPrint), func() { slip.SetMessage(k.printSlip(s, b)) }))
	} else {
		slip.SetMessage(text.M(text.SlipNoPrinter))
	}
	actions = append(actions, slip)
	k.show(widgets.NewPage(objs(heading(title), widgets.NewTextOf(text.M(text.BookSlot, k.when(b.Slot.StartsAt), b.Slot.ClinicianName), widgets.TextStrong), para(firmness)),
		widgets.NewList(actions...), k.taskFooter()))
}

// printSlip prints the appointment on the receipt printer and says how it
// went. The slip carries the first name only.
func (k *Kiosk) printSlip(s session, b replica.LocalBooking) text.Message {
	k.touch()
	var checkIn string
	if b.CheckInCode != "" {
		checkIn = gpsync.CheckInCodePrefix + b.CheckInCode
	}
	data := receipt.Encode(receipt.AppointmentSlip(receipt.Appointment{Practice: k.cfg.PracticeName, FirstName: s.patient.GivenName,
		Clinician: b.Slot.ClinicianName, When: b.Slot.StartsAt.In(k.cfg.Location), CheckIn: checkIn, Words: k.catalogue()}))
	return k.print(data)
}

// print sends a slip to the printer and says how it went.
func (k *Kiosk) print(data []byte) text.Message {
	if err := k.cfg.Printer.Print(k.ctx, data); err != nil {
		k.cfg.Log.Error("slip printing failed", "err", err)
		return text.M(text.SlipFailed)
	}
	return text.M(text.SlipPrinting)
}

func (k *Kiosk) showAppointments() {
	s, ok := k.signedIn()
	if !ok {
		k.showWelcome()
		return
	}
	if s.patient.NoAppointments {
		k.show(k.sorry(text.M(text.LetterNoAppointments)))
		return
	}
	appts, err := k.cfg.Backend.Appointments(k.ctx, s.patient.ID)
	if err != nil {
		k.show(k.sorry(plain(err)))
		return
	}
	var items []fyne.CanvasObject
	if len(appts) == 0 {
		items = append(items, para(text.M(text.AppointmentsNone)))
	}
	for _, a := range appts {
		item := text.AppointmentsItem
		if a.State == replica.StateProvisional {
			item = text.AppointmentsItemNotYet
		}
		what := widgets.NewTextOf(text.M(item, k.when(a.StartsAt), a.ClinicianName), widgets.TextStrong)
		var action fyne.CanvasObject = para(text.M(text.AppointmentsTooLate))
		if k.cancellable(a.CancelUntil) {
			action = widgets.NewButtonOf(text.M(text.AppointmentsCancel), func() { k.confirmCancel(a) })
		}
		items = append(items, widgets.NewColumn(what, action))
	}
	list := widgets.NewPager(items, text.M(text.PagerMore), text.M(text.PagerBack))
	list.OnPage = k.touch
	k.show(widgets.NewPage(objs(heading(text.M(text.MyAppointments))), list, k.taskFooter()))
}

func (k *Kiosk) confirmCancel(a replica.Appointment) {
	k.confirmCancelling(text.M(text.AppointmentsCancelTitle), text.M(text.AppointmentsItem, k.when(a.StartsAt), a.ClinicianName),
		func(patientID int64) error {
			_, err := k.cfg.Backend.CancelAppointment(k.ctx, patientID, a.Ref)
			return err
		}, text.M(text.AppointmentsCancelled), k.showAppointments)
}

// confirmCancelling asks "Yes, cancel it" / "No, keep it" about what, and
// cancels it for the signed-in patient with cancel.
func (k *Kiosk) confirmCancelling(title, what text.Message, cancel func(patientID int64) error, done text.Message, keep func()) {
	k.show(widgets.NewPage(
		objs(heading(title), widgets.NewTextOf(what, widgets.TextStrong)),
		widgets.NewList(
			widgets.NewPrimaryButtonOf(text.M(text.YesCancelIt), func() {
				s, ok := k.signedIn()
				if !ok {
					k.showWelcome()
					return
				}
				if err := cancel(s.patient.ID); err != nil {
					k.show(k.sorry(plain(err)))
					return
				}
				k.nudge()
				k.show(widgets.NewPage(objs(heading(text.M(text.Cancelled)), para(done)), nil, k.taskFooter()))
			}),
			widgets.NewButtonOf(text.M(text.NoKeepIt), keep),
		), nil))
}

// sorry is a refusal with the way back.
func (k *Kiosk) sorry(msg text.Message) fyne.CanvasObject {
	if _, ok := k.signedIn(); ok {
		return widgets.NewPage(objs(heading(text.M(text.Sorry)), para(msg)), nil, k.taskFooter())
	}
	return widgets.NewPage(objs(heading(text.M(text.Sorry)), para(msg)), widgets.NewList(widgets.NewPrimaryButtonOf(text.M(text.Back), k.EndVisit)), nil)
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
	var buttons []fyne.CanvasObject
	for _, c := range choices {
		buttons = append(buttons, widgets.NewPrimaryButtonOf(text.M(c), func() { k.reportProblem(c) }))
	}
	list := widgets.NewList(buttons...)
	list.OnPage = k.touch
	k.show(widgets.NewPage(objs(heading(text.M(text.ReportProblem)), para(text.M(text.ProblemPrompt))), list,
		objs(widgets.NewButtonOf(text.M(text.Back), k.back))))
}

func (k *Kiosk) reportProblem(c text.Key) {
	// The practice reads reports in English, whatever the screen showed.
	msg := text.M(text.ProblemSent)
	if _, err := k.cfg.Backend.ReportProblem(k.ctx, "kiosk", text.English().T(c)); err != nil {
		k.cfg.Log.Error("problem report failed", "err", err)
		msg = text.M(text.ProblemNotSent)
	}
	k.nudge()
	k.show(widgets.NewPage(objs(heading(text.M(text.ReportProblem)), para(msg)), widgets.NewList(widgets.NewPrimaryButtonOf(text.M(text.Back), k.back)), nil))
}
