package kiosk

import (
	"testing"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/text"
)

// The store's refusals are said in the patient's language, from that
// language's catalogue by the refusal's code: a wrong date of birth at
// sign-in (refused by the kiosk's own replica) and a refused check-in
// (refused by the practice server, carried by code over the wire).
func TestRefusalsInThePatientsLanguage(t *testing.T) {
	notRecognised := text.RefusalKey(store.SentenceNotRecognised.Code)
	seeReception := text.RefusalKey("see_reception")
	pl := text.For(text.LangPolish)
	if !pl.Translated(notRecognised) || !pl.Translated(seeReception) {
		t.Fatal("the Polish catalogue lacks the refusals")
	}
	signInWrongly := func(h *harness, c text.Catalog) {
		t.Helper()
		h.tap(c.T(text.BookAppointment))
		h.k.Scanned(h.account)
		h.want(c.T(text.SignInDOBTitle))
		wrong := h.dob
		wrong.Year--
		h.typeDOB(wrong)
	}

	t.Run("Polish", func(t *testing.T) {
		h := newHarness(t, Config{})
		polish, _ := text.LanguageOf(text.LangPolish)
		h.chooseLanguage(polish)
		signInWrongly(h, pl)
		h.want(pl.T(notRecognised))
		if h.screenHas(store.SentenceNotRecognised.English) {
			t.Errorf("the refusal is still in English: %q", texts(h.k.Content()))
		}
		// A refusal the server sends back, by its code.
		h.k.showCheckInResult(gpsync.CheckInResponse{Message: store.Sentences()["see_reception"], Code: "see_reception"}, nil)
		h.want(pl.T(seeReception))
		// A refusal without a code this kiosk knows (an older server)
		// shows the server's English rather than nothing.
		h.k.showCheckInResult(gpsync.CheckInResponse{Message: "Something the server said."}, nil)
		h.want("Something the server said.")
	})

	t.Run("English", func(t *testing.T) {
		h := newHarness(t, Config{})
		english, _ := text.LanguageOf(text.LangEnglish)
		h.chooseLanguage(english)
		signInWrongly(h, text.English())
		h.want(store.SentenceNotRecognised.English)
		if h.screenHas(pl.T(notRecognised)) {
			t.Errorf("Polish shown to an English reader: %q", texts(h.k.Content()))
		}
	})
}
