package staff

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/letter/lettertest"
	"gpkiosk/ui/text"
)

// bookAtDesk books the open patient into the first free time the desk
// offers today or tomorrow, and returns the check-in code its book op
// carries to the server.
func (h *harness) bookAtDesk() string {
	h.t.Helper()
	h.tap(text.T(text.DeskBookButton))
	h.waitFor(text.T(text.DeskBookFreeOn, "Monday 8 June 2026"))
	slot := func() *widget.Button {
		var slot *widget.Button
		h.walk(func(o fyne.CanvasObject) bool {
			if b, ok := o.(*widget.Button); ok && b.Alignment == widget.ButtonAlignLeading && strings.Contains(b.Text, " with ") {
				slot = b
				return false
			}
			return true
		})
		return slot
	}
	s := slot()
	if s == nil {
		h.tap(text.T(text.DayNext))
		s = slot()
	}
	if s == nil {
		h.t.Fatalf("no free time offered: %q", h.texts())
	}
	s.OnTapped()
	h.waitFor(text.T(text.DeskBookYes))
	h.tap(text.T(text.DeskBookYes))
	h.waitFor(text.T(text.RecordRegistrations))
	if !h.has("Booked: ") && !h.has("Not confirmed yet: ") {
		h.t.Fatalf("after booking the record shows %q", h.texts())
	}
	ops := h.ops(gpsync.OpBook)
	if len(ops) != 1 || ops[0].StaffID == 0 {
		h.t.Fatalf("book ops %+v, want one by the member of staff", ops)
	}
	code := payload[gpsync.BookPayload](h, ops[0]).CheckInCode
	if code == "" {
		h.t.Fatal("the book op carries no check-in code")
	}
	return code
}

// printersListed waits until the letter screen has asked for the
// printers, and says whether there are any.
func (h *harness) printersListed() bool {
	h.t.Helper()
	listed := false
	h.waitUntil("the printer list", func() bool {
		if h.has(text.T(text.WizardNoPrinters)) {
			return true
		}
		sel := findOf(h, "printer list", func(s *widget.Select) bool { return s.PlaceHolder == text.T(text.WizardFindPrinters) })
		listed = len(sel.Options) > 0
		return listed
	})
	return listed
}

// saveLetter saves the letter on screen as name in the save folder and
// returns it, once the record says it was saved.
func (h *harness) saveLetter(name string) []byte {
	h.t.Helper()
	path := filepath.Join(h.saveDir, name)
	h.typeInto("", path)
	h.tap(text.T(text.WizardSave))
	h.waitFor(text.T(text.ApptLetterSaved, path, loopName))
	data, err := os.ReadFile(path)
	if err != nil {
		h.t.Fatal(err)
	}
	return data
}

// member signs the role's demo account in on the replica, for reading it
// as the desk does.
func (h *harness) member(role string) replica.StaffMember {
	h.t.Helper()
	a := account(role)
	m, err := h.rep.StaffSignIn(context.Background(), a.Username, a.Password)
	if err != nil {
		h.t.Fatal(err)
	}
	return m
}

// pdfWords is what pdftotext reads from the letter, spaces collapsed.
func pdfWords(t *testing.T, pdf []byte) string {
	t.Helper()
	lettertest.NeedTools(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// Reception books Arthur at the desk, then prints his appointment letter
// on the practice's printer: its QR code checks in the booking just made,
// as the kiosk's slip would.
func TestAppointmentLetterPrintsTheBookingsCheckInCode(t *testing.T) {
	env := lettertest.NeedCUPS(t)
	h := newHarness(t, time.Minute)
	h.addLoopPatient()
	h.signInAs(store.StaffReceptionist)
	h.openPatient(loopGiven, loopFamily, loopBorn)
	code := h.bookAtDesk()
	h.tap(text.T(text.ApptsLetter))
	h.waitFor(text.T(text.ApptLetterTitle, loopName))
	if h.has(text.T(text.ApptLetterNoCode)) {
		t.Error("the letter for a booking just made says it has no check-in code")
	}
	printed := lettertest.Prints(t, apptPrintTitle)
	h.pickPrinter(env.Queue)
	h.tap(text.T(text.WizardPrint))
	if printing := text.T(text.WizardPrintingOn, env.Queue); !h.has(printing) {
		t.Fatalf("after Print the screen shows %q, want %q at once", h.texts(), printing)
	}
	h.waitFor(text.T(text.ApptLetterPrinted, env.Queue, loopName))
	h.waitFor(text.T(text.ApptsTitle)) // back on the record
	if codes := printed(context.Background()); !slices.Contains(codes, gpsync.CheckInCodePrefix+code) {
		t.Fatalf("the printed letter's QR code reads %q, want %q", codes, gpsync.CheckInCodePrefix+code)
	}
}

// Without a printer the letter is saved as a PDF: it says when, with whom
// and what, and nothing of the patient but his name.
func TestAppointmentLetterSavedAsPDF(t *testing.T) {
	h := newHarness(t, time.Minute)
	p := h.addLoopPatient()
	h.signInAs(store.StaffReceptionist)
	h.openPatient(loopGiven, loopFamily, loopBorn)
	code := h.bookAtDesk()
	notYet := h.has("Not confirmed yet: ")
	h.tap(text.T(text.ApptsLetter))
	h.waitFor(text.T(text.ApptLetterTitle, loopName))
	data := h.saveLetter("arthur.pdf")
	if got, want := lettertest.DecodePDF(t, data), gpsync.CheckInCodePrefix+code; got != want {
		t.Fatalf("the saved letter's QR code reads %q, want %q", got, want)
	}
	words := pdfWords(t, data)
	appts, err := h.rep.AppointmentsFor(context.Background(), h.member(store.StaffReceptionist), p.id)
	if err != nil || len(appts) != 1 {
		t.Fatalf("appointments %+v, %v", appts, err)
	}
	a := appts[0]
	london := h.d.cfg.Location
	for _, want := range []string{
		"Meadowbank", "Dear " + loopName + ",", "Your appointment",
		"When: " + a.StartsAt.In(london).Format("Monday 2 January 2006 at 15:04"),
		"With: " + a.ClinicianName,
		"Appointment: " + a.SlotTypeName,
		"Scan this code at the kiosk when you arrive to check in, or tell reception.",
		"If you cannot come, please tell us as soon as you can",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("the letter does not say %q; it says:\n%s", want, words)
		}
	}
	for _, never := range []string{"Weir Road", "MB2 7LP", "1951", "07700", code} {
		if strings.Contains(words, never) {
			t.Errorf("the letter says %q:\n%s", never, words)
		}
	}
	if got := strings.Contains(words, "Not confirmed yet"); got != notYet {
		t.Errorf("the desk said not confirmed yet: %v; the letter: %v", notYet, got)
	}
}

// An appointment booked before (here, on the server) gets a letter too,
// without a check-in QR code: the desk does not keep booking codes. Staff
// are told before printing.
func TestAppointmentLetterForAnEarlierBookingHasNoCode(t *testing.T) {
	h := newHarness(t, time.Minute)
	p := h.addLoopPatient()
	booked := h.bookToday(p)
	h.signInAs(store.StaffReceptionist)
	h.openPatient(loopGiven, loopFamily, loopBorn)
	h.tap(text.T(text.ApptsLetter))
	h.waitFor(text.T(text.ApptLetterTitle, loopName))
	h.waitFor(text.T(text.ApptLetterNoCode))
	data := h.saveLetter("earlier.pdf")
	words := pdfWords(t, data)
	when := "When: " + booked.Slot.StartsAt.In(h.d.cfg.Location).Format("Monday 2 January 2006 at 15:04")
	for _, want := range []string{when, "When you arrive, check in at the kiosk or tell reception."} {
		if !strings.Contains(words, want) {
			t.Errorf("the letter does not say %q; it says:\n%s", want, words)
		}
	}
	for _, never := range []string{"Scan this code", "Check-in code", "Not confirmed yet"} {
		if strings.Contains(words, never) {
			t.Errorf("the letter says %q:\n%s", never, words)
		}
	}
}

// A letter that cannot be saved says why and that the appointment is
// still booked; nothing about the booking changes.
func TestAppointmentLetterNotSavedKeepsTheBooking(t *testing.T) {
	h := newHarness(t, time.Minute)
	h.addLoopPatient()
	h.signInAs(store.StaffReceptionist)
	h.openPatient(loopGiven, loopFamily, loopBorn)
	h.bookAtDesk()
	before := h.ops(gpsync.OpBook)
	h.tap(text.T(text.ApptsLetter))
	h.waitFor(text.T(text.ApptLetterTitle, loopName))
	h.typeInto("", filepath.Join(h.saveDir, "no-such-folder", "letter.pdf"))
	h.tap(text.T(text.WizardSave))
	h.waitFor(text.T(text.ApptLetterStillSet))
	if !h.has("The letter could not be saved there.") {
		t.Errorf("the refusal does not say why: %q", h.texts())
	}
	if b := h.button(text.T(text.ApptLetterBack)); b.Disabled() {
		t.Error("Back stays greyed out after the refusal")
	}
	if after := h.ops(gpsync.OpBook); len(after) != 1 || after[0].ID != before[0].ID {
		t.Errorf("book ops %+v, want the one booking unchanged", after)
	}
	if n := len(h.ops(gpsync.OpCancelAppointment)); n != 0 {
		t.Errorf("%d cancellations queued", n)
	}
	h.tap(text.T(text.ApptLetterBack))
	h.waitFor(text.T(text.ApptsLetter))
}

// Without the practice's address the letter cannot be made: staff are told
// plainly, offered no Print or Save, and the booking stands.
func TestAppointmentLetterWithoutThePracticeAddress(t *testing.T) {
	h := newHarness(t, time.Minute)
	h.addLoopPatient()
	ctx := context.Background()
	pr, _, err := h.rep.Practice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pr.Address = ""
	if err := h.rep.SavePractice(ctx, pr); err != nil {
		t.Fatal(err)
	}
	h.signInAs(store.StaffReceptionist)
	h.openPatient(loopGiven, loopFamily, loopBorn)
	h.bookAtDesk()
	h.tap(text.T(text.ApptsLetter))
	h.waitFor("Some details for the letter are missing. The practice address is empty.")
	for _, label := range []string{text.T(text.WizardPrint), text.T(text.WizardSave)} {
		if h.has(label) {
			t.Errorf("%q is offered for a letter that cannot be made", label)
		}
	}
	h.tap(text.T(text.ApptLetterBack))
	h.waitFor(text.T(text.ApptsLetter))
	if n := len(h.ops(gpsync.OpBook)); n != 1 {
		t.Errorf("%d book ops, want 1", n)
	}
}
