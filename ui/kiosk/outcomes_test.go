package kiosk

import (
	"context"
	"strings"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/ui/text"
)

// orderedAndDecided orders two of the demo patient's repeat items at this
// kiosk, has the demo GP approve the first and decline the second as
// needing a review (with words of their own), and syncs the kiosk. It
// returns the two items' names.
func (h *harness) orderedAndDecided(t testing.TB) (approved, declined string) {
	t.Helper()
	ctx := context.Background()
	patient := h.signInQuietly().patient.ID
	items, err := h.rep.RepeatItems(ctx, patient)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	var names []string
	for _, it := range items {
		if it.Active && !it.Outstanding && (it.ReviewDue.IsZero() || it.ReviewDue.After(store.Date{Year: 2026, Month: time.June, Day: 8})) {
			ids, names = append(ids, it.ID), append(names, it.Name)
		}
	}
	if len(ids) < 2 {
		t.Fatalf("the demo patient has %d items to order; the test needs 2", len(ids))
	}
	req, err := h.rep.OrderRepeats(ctx, patient, ids[:2], "")
	if err != nil {
		t.Fatal(err)
	}
	h.k.EndVisit()
	if err := h.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	reqs, err := h.rep.Requests(ctx, patient)
	if err != nil {
		t.Fatal(err)
	}
	// Once the feed has the server's row, it stands for the local one.
	var serverID int64
	for _, r := range reqs {
		if r.Status == "pending" && len(r.Items) == 2 && r.Items[0].RepeatItemID == ids[0] {
			serverID = r.Ref.ServerID
		}
	}
	if serverID == 0 {
		t.Fatalf("the order %+v did not reach the practice: %+v", req, reqs)
	}
	var doctor int64
	staff, err := h.st.StaffMembers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range staff {
		if m.Role == store.StaffClinician && m.Username == "doctor" {
			doctor = m.ID
		}
	}
	if err := h.st.Load(ctx, func(l *store.Loader) error {
		return l.DecideRepeats(doctor, store.DecideRepeats{RequestID: serverID, Items: []store.ItemDecision{
			{RepeatItemID: ids[0], Approve: true},
			{RepeatItemID: ids[1], ReasonCode: store.DeclineNeedsReview, Reason: "We need to check your blood pressure."},
		}})
	}); err != nil {
		t.Fatal(err)
	}
	if err := h.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	return names[0], names[1]
}

// A patient who ordered two medicines is told, the next time they sign
// in, in words, which is ready and from when, and which was not given, why
// and what to do; once they say they have read it, no kiosk tells them
// again.
func TestTheNextSignInTellsTheOrderOutcomeOnce(t *testing.T) {
	h := newHarness(t, Config{})
	approved, declined := h.orderedAndDecided(t)

	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.want(text.T(text.OutcomeTitle))
	all := strings.Join(texts(h.win.Content()), "\n")
	for _, want := range []string{approved, declined, text.T(text.OutcomeNeedsReview), "We need to check your blood pressure."} {
		if !strings.Contains(all, want) {
			t.Errorf("the outcome screen does not say %q:\n%s", want, all)
		}
	}
	// Ordered on Monday 8 June; the practice takes two working days.
	if !strings.Contains(all, text.T(text.OutcomeReady, "Wednesday 10 June")) {
		t.Errorf("the outcome screen does not say when the approved medicine is ready:\n%s", all)
	}
	h.tap(text.T(text.OutcomeReadIt))
	h.want(text.T(text.BookWhatFor)) // then on to what they came for
	h.finish()

	// Told once: not at this kiosk's next sign-in, and not at a kiosk
	// that learns of it from the server.
	if err := h.runner.SyncNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.want(text.T(text.BookWhatFor))
	if h.screenHas(text.T(text.OutcomeTitle)) {
		t.Error("the outcome was shown a second time")
	}
}

// Someone who walks away before tapping "I have read this" is told again
// next time: nothing counts as seen until they say so.
func TestOutcomeLeftUnreadIsToldAgain(t *testing.T) {
	h := newHarness(t, Config{IdleTimeout: 40 * time.Millisecond, WarnFor: 40 * time.Millisecond})
	h.orderedAndDecided(t)
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.want(text.T(text.OutcomeTitle))
	h.waitFor(func() bool { return h.screenHas(text.T(text.WelcomePrompt)) })
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.want(text.T(text.OutcomeTitle))
}

// The slip carries the same words as the screen, first name only.
func TestOutcomeSlip(t *testing.T) {
	h, slips := newPrintingHarness(t)
	approved, declined := h.orderedAndDecided(t)
	h.tap(text.T(text.BookAppointment))
	h.signIn()
	h.want(text.T(text.OutcomeTitle))
	h.tap(text.T(text.SlipPrint))
	slip := h.printedSlip(slips)
	all := strings.Join(slip.Text(), "\n")
	for _, want := range []string{text.T(text.SlipYourOutcome), approved, declined, text.T(text.SlipHello, h.name)} {
		if !strings.Contains(all, want) {
			t.Errorf("the slip does not say %q:\n%s", want, all)
		}
	}
}
