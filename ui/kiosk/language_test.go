package kiosk

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

// chooseLanguage opens the choice of language from the status strip and
// picks l, as a patient taps it.
func (h *harness) chooseLanguage(l text.Language) {
	h.t.Helper()
	h.tapLanguage()
	h.want(h.k.catalogue().T(text.LanguageTitle))
	h.tap(l.Name)
}

// englishLeft lists what the screen shows in English that lang's catalogue
// says otherwise: a half-translated screen.
func (h *harness) englishLeft(lang text.Lang) []string {
	c := text.For(lang)
	english := map[string]bool{}
	for _, k := range text.PatientKeys() {
		// One letter is a key on the keypad as much as a word (the "A"
		// of A/A+/A++ is also the A key for typing an account ID).
		if e := text.English().T(k); e != c.T(k) && !strings.Contains(e, "%") && len([]rune(e)) > 1 {
			english[e] = true
		}
	}
	var out []string
	for _, s := range texts(h.k.Content()) {
		if english[s] {
			out = append(out, s)
		}
	}
	return out
}

// The issue: "the whole booking flow in each language, asserting the
// visible text comes from that language's catalogue".
func TestBookingInEachLanguage(t *testing.T) {
	for _, l := range text.Languages() {
		if l.Tag == text.LangEnglish {
			continue
		}
		t.Run(string(l.Tag), func(t *testing.T) {
			h := newHarness(t, Config{})
			h.chooseLanguage(l)
			c := text.For(l.Tag)
			check := func(step string) {
				t.Helper()
				if left := h.englishLeft(l.Tag); len(left) > 0 {
					t.Fatalf("%s: English left on the %s screen: %q", l.Tag, step, left)
				}
			}
			h.want(c.T(text.CheckIn))
			check("welcome")
			h.tap(c.T(text.BookAppointment))
			h.want(c.T(text.SignInTitle))
			check("sign-in")
			h.k.Scanned(h.account)
			h.want(c.T(text.SignInDOBTitle))
			h.want(c.T(text.DOBDay))
			check("date of birth")
			h.typeDOB(h.dob)
			h.want(c.T(text.BookWhatFor))
			check("what for")
			h.tap("GP appointment") // the practice's own name for it
			h.want(c.T(text.BookChooseTime))
			check("choose a time")
			june := c.T(text.DateJune)
			test.Tap(find(h, "a time in June", func(b *widgets.Button) bool { return strings.Contains(b.Text, june) && b.Kind == widgets.ButtonPrimary }))
			h.want(c.T(text.BookConfirmTitle))
			check("confirm")
			h.tap(c.T(text.BookYes))
			h.waitFor(func() bool { return h.screenHas(c.T(text.Booked)) || h.screenHas(c.T(text.BookedProvisional)) })
			check("booked")
			if h.screenHas("June") || h.screenHas("Monday") {
				t.Errorf("%s: a date in English: %q", l.Tag, texts(h.k.Content()))
			}
		})
	}
}

// "Switching language never loses what the patient has typed on the
// current screen, and never leaves a half-translated screen."
func TestSwitchingLanguageKeepsWhatWasTyped(t *testing.T) {
	h := newHarness(t, Config{})
	h.tap(text.T(text.BookAppointment))
	h.k.Scanned(h.account)
	h.want(text.T(text.SignInDOBTitle))
	entry := h.findDOB()
	for _, r := range "1503" {
		test.Tap(entry.Keypad().Key(string(r)))
	}
	polish, _ := text.LanguageOf(text.LangPolish)
	h.chooseLanguage(polish)
	pl := text.For(text.LangPolish)
	h.want(pl.T(text.SignInDOBTitle))
	if got := h.findDOB().Typed(); got != "1503" {
		t.Fatalf("after switching to Polish the date of birth holds %q, want the 1503 typed", got)
	}
	if h.findDOB() != entry {
		t.Fatal("the date-of-birth entry was built again")
	}
	h.want(pl.T(text.DOBMonth))
	if left := h.englishLeft(text.LangPolish); len(left) > 0 {
		t.Fatalf("English left after switching: %q", left)
	}
	// And back to English, still with the digits.
	english, _ := text.LanguageOf(text.LangEnglish)
	h.chooseLanguage(english)
	h.want(text.T(text.SignInDOBTitle))
	if got := h.findDOB().Typed(); got != "1503" {
		t.Fatalf("back in English the entry holds %q", got)
	}
	// Back from the choice without choosing changes nothing.
	h.tapLanguage()
	h.tap(text.T(text.Back))
	h.want(text.T(text.SignInDOBTitle))
	if got := h.findDOB().Typed(); got != "1503" {
		t.Fatalf("after Back the entry holds %q", got)
	}
}

// The language is the patient's for this visit: the idle wipe puts the
// next person back in English.
func TestLanguageResetsWhenTheVisitEnds(t *testing.T) {
	h := newHarness(t, Config{IdleTimeout: 150 * time.Millisecond, WarnFor: 150 * time.Millisecond})
	welsh, _ := text.LanguageOf(text.LangWelsh)
	h.chooseLanguage(welsh)
	cy := text.For(text.LangWelsh)
	h.tap(cy.T(text.BookAppointment))
	h.want(cy.T(text.SignInTitle))
	h.waitFor(func() bool { return h.screenHas(cy.T(text.IdleTitle)) })
	h.waitFor(func() bool { return h.screenHas(text.T(text.CheckIn)) })
	if got := h.k.cfg.Display.Current().Lang; got != "" {
		t.Fatalf("after the idle wipe the language is %q, want English", got)
	}
	if left := h.englishLeft(text.LangWelsh); len(left) == 0 {
		t.Fatal("the welcome screen after the wipe is not in English")
	}
	if h.screenHas(cy.T(text.CheckIn)) {
		t.Fatal("Welsh left on the welcome screen after the wipe")
	}
}

// tapLanguage taps the status strip's language button, which names the
// language in use.
func (h *harness) tapLanguage() {
	h.t.Helper()
	l, _ := text.LanguageOf(h.k.catalogue().Lang())
	h.tap(l.Name)
}

// The slip is printed in the patient's language: as text where the
// printer's code page has its letters (Portuguese), as a picture where it
// does not (Punjabi), with the check-in code either way.
func TestSlipInThePatientsLanguage(t *testing.T) {
	for _, tag := range []text.Lang{text.LangPortuguese, text.LangPunjabi} {
		t.Run(string(tag), func(t *testing.T) {
			h, slips := newPrintingHarness(t)
			l, _ := text.LanguageOf(tag)
			h.chooseLanguage(l)
			c := text.For(tag)
			h.tap(c.T(text.BookAppointment))
			h.k.Scanned(h.account)
			h.typeDOB(h.dob)
			h.tap("GP appointment")
			june := c.T(text.DateJune)
			test.Tap(find(h, "a time in June", func(b *widgets.Button) bool { return strings.Contains(b.Text, june) && b.Kind == widgets.ButtonPrimary }))
			h.tap(c.T(text.BookYes))
			h.waitFor(func() bool { return h.screenHas(c.T(text.Booked)) || h.screenHas(c.T(text.BookedProvisional)) })
			h.tap(c.T(text.SlipPrint))
			slip := h.printedSlip(slips)
			if len(slip.QRCodes) != 1 {
				t.Errorf("%d check-in codes on the slip, want 1", len(slip.QRCodes))
			}
			all := strings.Join(slip.Text(), "\n")
			switch tag {
			case text.LangPortuguese:
				for _, want := range []string{c.T(text.SlipYourAppointment), june} {
					if !strings.Contains(all, want) {
						t.Errorf("the slip does not say %q:\n%s", want, all)
					}
				}
				if len(slip.Rasters) != 0 {
					t.Error("a Portuguese slip, which the code page can print, was sent as a picture")
				}
			case text.LangPunjabi:
				if len(slip.Rasters) == 0 || strings.TrimSpace(all) != "" {
					t.Errorf("a Punjabi slip came as text %q and %d picture bands; want a picture only", all, len(slip.Rasters))
				}
			}
		})
	}
}
