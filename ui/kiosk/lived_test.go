package kiosk

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
	"gpkiosk/ui/widgets"
)

// The tests in this file are what an 80-year-old met at the kiosk (issue
// 10), each a behaviour a person would notice.

// The letter prints its Account ID with hyphens; the on-screen keys have
// none. Typed without them, the ID signs in.
func TestAccountIDTypedOnTheKeysWithoutHyphens(t *testing.T) {
	h := newHarness(t, Config{})
	h.tap(text.T(text.BookAppointment))
	h.want(text.T(text.SignInTitle))
	pad := h.findKeypad()
	typed := strings.ReplaceAll(h.account, "-", "")
	for _, r := range typed {
		key := pad.Key(string(r))
		if key == nil {
			t.Fatalf("no %q key for the Account ID", r)
		}
		test.Tap(key)
	}
	h.want(grouped(typed)) // shown in fours, as the letter groups it
	h.tap(text.T(text.Next))
	h.want(text.T(text.SignInDOBTitle))
	h.typeDOB(h.dob)
	h.want(text.T(text.BookWhatFor))
}

// Every screen but the welcome screen, before sign-in or after, warns and
// then clears when left alone: nothing typed, no patient, normal text size
// and contrast for the next person.
func TestEveryScreenClearsWhenLeftAlone(t *testing.T) {
	h := newHarness(t, Config{IdleTimeout: 40 * time.Millisecond, WarnFor: 40 * time.Millisecond})
	f := newGeometryFixture(h)
	for _, sc := range kioskScreens() {
		if sc.name == "welcome" {
			continue
		}
		t.Run(sc.name, func(t *testing.T) {
			h.k.EndVisit()
			h.drain()
			h.k.cfg.Display.Set(uitheme.Settings{Size: uitheme.SizeLarger, HighContrast: true})
			sc.open(h, f)
			h.waitFor(func() bool {
				_, signedIn := h.k.signedIn()
				return !signedIn && h.screenHas(text.T(text.WelcomePrompt))
			})
			if st := h.k.cfg.Display.Current(); st != (uitheme.Settings{}) {
				t.Errorf("display left at %+v for the next person", st)
			}
		})
	}
}

// A half-typed date of birth at check-in is gone when the next person
// comes: the warning first, then the welcome screen.
func TestHalfTypedCheckInClears(t *testing.T) {
	h := newHarness(t, Config{IdleTimeout: 60 * time.Millisecond, WarnFor: 60 * time.Millisecond})
	h.tap(text.T(text.CheckIn))
	for _, d := range "1503" {
		test.Tap(h.findDOB().Keypad().Key(string(d)))
	}
	h.waitFor(func() bool { return h.screenHas(text.T(text.IdleTitle)) })
	h.want(text.T(text.IdleCountdown, "0")[:10]) // "It will clear in …"
	h.waitFor(func() bool { return h.screenHas(text.T(text.WelcomePrompt)) })
	h.tap(text.T(text.CheckIn))
	if got, err := h.findDOB().Date(); err == nil || strings.Contains(strings.Join(texts(h.k.Content()), " "), "15") {
		t.Fatalf("the last person's digits are back: %v %v", got, texts(h.k.Content()))
	}
}

// A text size chosen on the welcome screen and left there goes back to
// normal for the next person.
func TestDisplayChosenOnTheWelcomeScreenAndLeft(t *testing.T) {
	h := newHarness(t, Config{IdleTimeout: 40 * time.Millisecond, WarnFor: 40 * time.Millisecond})
	h.tap(text.T(text.TextSizeLarger))
	h.waitFor(func() bool { return h.k.cfg.Display.Current() == (uitheme.Settings{}) })
	h.want(text.T(text.WelcomePrompt))
}

// WCAG 2.2 asks for at least 20 seconds to answer a time-out warning.
func TestIdleWarningGivesTimeToAnswer(t *testing.T) {
	h := newHarness(t, Config{})
	if h.k.cfg.WarnFor < 20*time.Second {
		t.Fatalf("the warning shows for %v", h.k.cfg.WarnFor)
	}
}

// Offline, "I need help" says to go to the desk and sends nothing that
// would reach reception after the patient has gone.
func TestHelpOfflineSaysGoToTheDesk(t *testing.T) {
	h := newHarness(t, Config{})
	h.k.SetOnline(false)
	h.tap(text.T(text.NeedHelp))
	h.want(text.T(text.HelpOffline))
	if h.screenHas(text.T(text.HelpComing)) {
		t.Fatal("promised help while offline")
	}
	if n, err := h.rep.PendingCount(context.Background()); err != nil || n != 0 {
		t.Fatalf("%d help requests queued (%v)", n, err)
	}
}

// Online, but the server does not answer: not "help is coming".
func TestHelpNotConfirmedSaysGoToTheDesk(t *testing.T) {
	h := newHarness(t, Config{SendNow: func(context.Context) error { return errors.New("connection refused") }})
	h.tap(text.T(text.NeedHelp))
	h.waitFor(func() bool { return h.screenHas(text.T(text.HelpNotSent)) })
	if h.screenHas(text.T(text.HelpComing)) {
		t.Fatal("promised help the server never had")
	}
	// Reception does not get the call later, when nobody is waiting.
	if err := h.runner.SyncNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if applied, _, _ := h.st.OpCount(context.Background()); applied != 0 {
		t.Fatalf("%d ops reached the server after the patient was sent to the desk", applied)
	}
}

// Offline, a repeat order is kept and sent later, and the screen says
// so rather than "sent to the practice".
func TestRepeatOrderOfflineSaysItWillBeSent(t *testing.T) {
	h := newHarness(t, Config{})
	h.k.SetOnline(false)
	h.tap(text.T(text.RepeatPrescriptions))
	h.signIn()
	h.tick("Amlodipine")
	h.tap(text.T(text.RepeatsOrder))
	h.tap(text.T(text.RepeatsSend))
	h.want(text.T(text.RepeatsQueued))
	if h.screenHas(text.T(text.RepeatsSent)) {
		t.Fatal("said sent while offline")
	}
	if n, err := h.rep.PendingCount(context.Background()); err != nil || n != 1 {
		t.Fatalf("%d orders waiting to be sent (%v), want 1", n, err)
	}
}

// The server cannot be reached while booking: the booking is kept and the
// screen says plainly it is not confirmed yet.
func TestBookingSaysNotConfirmedWhenTheServerDoesNotAnswer(t *testing.T) {
	h := newHarness(t, Config{})
	h.srv.Close()
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.chooseGPOn("Tuesday 9 June")
	h.bookYes()
	h.want("Not confirmed yet")
	if h.screenHas(text.T(text.BookConfirmed)) {
		t.Fatal("said confirmed without the server")
	}
}

// The earliest times are inside the cancellation cut-off: the kiosk says
// so before booking, and My appointments says to tell reception rather
// than offering a Cancel that will be refused.
func TestTooSoonToCancelIsSaidUpFront(t *testing.T) {
	h := newHarness(t, Config{})
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.tap("GP appointment")
	h.tap("Monday 8 June") // within two hours of 07:30
	h.want(text.T(text.BookNoCancelHere))
	h.bookYes()
	h.tap(text.T(text.MenuBackToMenu))
	h.tap(text.T(text.MyAppointments))
	h.want(text.T(text.AppointmentsTooLate))
	if h.screenHas(text.T(text.AppointmentsCancel)) {
		t.Fatal("offered to cancel what the rules will refuse")
	}
	// A time next week can be cancelled, and says nothing about it.
	h.tap(text.T(text.MenuBackToMenu))
	h.tap(text.T(text.BookAppointment))
	h.chooseGPOn("Monday 15 June")
	if h.screenHas(text.T(text.BookNoCancelHere)) {
		t.Fatal("a time next week said it cannot be cancelled")
	}
}

// One sign-in, several tasks: after each, the patient's own menu, until
// "I have finished".
func TestOneSignInForSeveralTasks(t *testing.T) {
	h := newHarness(t, Config{})
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.chooseGPOn("Tuesday 9 June")
	h.bookYes()
	h.tap(text.T(text.MenuBackToMenu))
	h.want(text.T(text.MenuTitle, h.name))
	h.tap(text.T(text.MyAppointments))
	h.want("Tuesday 9 June") // no second sign-in
	h.tap(text.T(text.MenuBackToMenu))
	h.tap(text.T(text.RepeatPrescriptions))
	h.want(text.T(text.RepeatsTitle))
	h.finish()
	h.tap(text.T(text.MyAppointments))
	h.want(text.T(text.SignInTitle)) // the next person signs in again
}

// Times can be chosen by day, not only the earliest few.
func TestChooseAnotherDay(t *testing.T) {
	h := newHarness(t, Config{})
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.tap("GP appointment")
	h.tap(text.T(text.BookAnotherDay))
	h.want(text.T(text.BookDayTitle))
	h.tap("Wednesday 10 June")
	h.want(text.T(text.BookTimesOn, "GP appointment (10 minutes)", "Wednesday 10 June"))
	pager := find[*widgets.Pager](h, "list of times", nil)
	for {
		for _, s := range texts(pager) {
			if strings.Contains(s, " at ") && !strings.Contains(s, "Wednesday 10 June") {
				t.Fatalf("a time on another day: %q", s)
			}
		}
		if pager.MoreButton().Disabled() || !pager.MoreButton().Visible() {
			break
		}
		test.Tap(pager.MoreButton())
	}
}

// The kinds of appointment come in the same (alphabetical) order every
// visit, so a patient can learn where theirs is.
func TestAppointmentKindsInAFixedOrder(t *testing.T) {
	h := newHarness(t, Config{})
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	var kinds []string
	for _, b := range findAll[*widgets.Button](h) {
		if b.Kind == widgets.ButtonPrimary {
			kinds = append(kinds, b.Text)
		}
	}
	if len(kinds) < 2 || !slices.IsSorted(kinds) {
		t.Fatalf("kinds of appointment %q, want them sorted", kinds)
	}
}

// Text size and contrast chosen by one patient are put back when they
// finish.
func TestDisplayChoicesDoNotCarryOver(t *testing.T) {
	h := newHarness(t, Config{})
	h.tap(text.T(text.TextSizeLarger))
	h.tap(text.T(text.HighContrast))
	h.tap(text.T(text.MyAppointments))
	h.signIn()
	if st := h.k.cfg.Display.Current(); st.Size != uitheme.SizeLarger || !st.HighContrast {
		t.Fatalf("display %+v during the visit", st)
	}
	h.finish()
	if st := h.k.cfg.Display.Current(); st != (uitheme.Settings{}) {
		t.Fatalf("display left at %+v for the next person", st)
	}
}

// Plain words: a question ends as one, medicines are ticked rather than
// labelled "Not chosen", and nothing refers to a colour.
func TestWordsAPatientReads(t *testing.T) {
	if q := text.T(text.CheckInSexTitle); !strings.HasSuffix(q, "?") {
		t.Errorf("check-in asks %q", q)
	}
	for _, k := range text.Keys() {
		s := strings.ToLower(text.T(k))
		if strings.Contains(s, "not chosen") || strings.Contains(s, "blue button") {
			t.Errorf("%s: %q", k, s)
		}
	}
	h := newHarness(t, Config{})
	h.tap(text.T(text.RepeatPrescriptions))
	h.signIn()
	h.tick("Amlodipine")
	for _, s := range texts(h.k.Content()) {
		if strings.Contains(s, "hosen") {
			t.Fatalf("a medicine says %q; the tick shows it", s)
		}
	}
}

// chooseGPOn picks the first GP time on day through Show another day,
// leaving the confirmation screen showing.
func (h *harness) chooseGPOn(day string) {
	h.t.Helper()
	h.tap("GP appointment")
	h.tap(text.T(text.BookAnotherDay))
	h.tap(day) // the day
	h.tap(day) // its first time
	h.want(text.T(text.BookConfirmTitle))
}

// findAll is every visible object of type T on the current screen.
func findAll[T any](h *harness) []T {
	var out []T
	var walk func(o any)
	walk = func(o any) {
		co, ok := o.(interface{ Visible() bool })
		if !ok || !co.Visible() {
			return
		}
		if x, is := o.(T); is {
			out = append(out, x)
		}
		for _, c := range children(o) {
			walk(c)
		}
	}
	walk(h.k.Content())
	return out
}
