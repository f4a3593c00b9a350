package staff

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
)

// The loop's patient: online ordering unsuitable, two repeat items, one
// overdue for review.
const (
	loopGiven  = "Arthur"
	loopFamily = "Pennington"
)

const loopName = loopGiven + " " + loopFamily

var loopBorn = store.Date{Year: 1951, Month: time.October, Day: 2}

type loopPatient struct {
	id     int64
	items  [2]int64
	nhs    string
	london *time.Location
}

// addLoopPatient adds Arthur to the practice server and syncs him to the
// desk.
func (h *harness) addLoopPatient() loopPatient {
	h.t.Helper()
	ctx := context.Background()
	nhs, ok := store.NHSNumberFromNine("999999982")
	if !ok {
		h.t.Fatal("no valid NHS number for the loop's patient")
	}
	p := loopPatient{nhs: string(nhs)}
	p.london, _ = time.LoadLocation("Europe/London")
	started := deskStart.AddDays(-400).At(9, 0, p.london)
	if err := h.st.Load(ctx, func(l *store.Loader) error {
		id, err := l.AddPatient(store.NewPatient{NHSNumber: p.nhs, GivenName: loopGiven, FamilyName: loopFamily, Sex: store.SexMale,
			DateOfBirth: loopBorn, Address: "9 Weir Road, Meadowbank", Postcode: "MB2 7LP", Phone: "07700 900456", OnlineOrderingUnsuitable: true})
		if err != nil {
			return err
		}
		p.id = id
		p.items[0], err = l.AddRepeat(store.NewRepeat{PatientID: id, Name: "Amlodipine", Strength: "5 mg", Form: "tablets",
			Dosage: "One tablet once a day", Quantity: "28 tablets", Active: true, StartedAt: started,
			LastIssuedAt: deskStart.AddDays(-30).At(10, 0, p.london)})
		if err != nil {
			return err
		}
		p.items[1], err = l.AddRepeat(store.NewRepeat{PatientID: id, Name: "Simvastatin", Strength: "20 mg", Form: "tablets",
			Dosage: "One tablet at night", Quantity: "28 tablets", Active: true, StartedAt: started,
			ReviewDue: store.Date{Year: 2026, Month: time.March, Day: 3}})
		return err
	}); err != nil {
		h.t.Fatal(err)
	}
	h.resync()
	return p
}

// feed applies a page of changes to the desk's replica as a sync would,
// without moving its cursor, so the server's own changes still come.
func (h *harness) feed(changes ...gpsync.Change) {
	h.t.Helper()
	ctx := context.Background()
	cursor, err := h.rep.Cursor(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	for i := range changes {
		changes[i].Seq = cursor
	}
	if err := h.rep.ApplyChanges(ctx, gpsync.ChangesResponse{Changes: changes, Cursor: cursor}); err != nil {
		h.t.Fatal(err)
	}
}

func data(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// request is a repeat request for Arthur's two items as the change feed
// brings it to a desktop.
func (p loopPatient) request(t *testing.T, id int64, status string, decisions ...string) gpsync.Change {
	asked := deskStart.AddDays(-3).At(10, 2, p.london)
	d := gpsync.RepeatRequestData{PatientID: p.id, Status: status, ReadyBy: deskStart.AddDays(2).String(),
		RequestedAt: &asked, Channel: "kiosk", Note: "Running low, away next week"}
	for i, item := range p.items {
		dec := "pending"
		if i < len(decisions) {
			dec = decisions[i]
		}
		it := gpsync.RepeatRequestItemData{RepeatItemID: item, Decision: dec}
		if dec == "declined" {
			it.ReasonCode = gpsync.DeclineTooEarly
		}
		d.Items = append(d.Items, it)
	}
	return gpsync.Change{Entity: gpsync.EntityRepeatRequest, ID: id, Data: data(t, d)}
}

// alert is a help request or problem report as the feed brings it;
// handler is who handled it, if anyone.
func alert(t *testing.T, entity string, id int64, device, words, status string, at time.Time, handler int64) gpsync.Change {
	a := gpsync.AlertData{DeviceID: "kiosk-1", DeviceName: device, Text: words, RaisedAt: at, Status: status}
	if entity == gpsync.EntityProblemReport {
		a.Reporter, a.Category = "patient", "Printer"
	}
	if status != gpsync.AlertOpen {
		handled := at.Add(time.Minute)
		a.HandledAt = &handled
		a.HandledBy = handler
	}
	return gpsync.Change{Entity: entity, ID: id, Data: data(t, a)}
}

// staffID is the server's ID of the demo's member of staff in role.
func (h *harness) staffID(role string) int64 {
	h.t.Helper()
	all, err := h.st.StaffMembers(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	for _, m := range all {
		if m.Role == role {
			return m.ID
		}
	}
	h.t.Fatalf("no %s on the server", role)
	return 0
}

// shortcut presses Alt+n as the window's menu receives it.
func (h *harness) shortcut(n int) {
	h.t.Helper()
	want := (&desktop.CustomShortcut{KeyName: fyne.KeyName(fmt.Sprint(n)), Modifier: fyne.KeyModifierAlt}).ShortcutName()
	for _, m := range h.d.MainMenu().Items {
		for _, it := range m.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == want {
				it.Action()
				return
			}
		}
	}
	h.t.Fatalf("no menu item for Alt+%d", n)
}

func (h *harness) navLabels() []string {
	var out []string
	for _, o := range h.d.navGrid.Objects {
		if b, ok := o.(*button); ok && b.Visible() {
			out = append(out, b.Text)
		}
	}
	return out
}

func (h *harness) navHas(s string) bool {
	for _, l := range h.navLabels() {
		if strings.HasPrefix(l, s) {
			return true
		}
	}
	return false
}

func payload[T any](h *harness, op gpsync.Op) T {
	h.t.Helper()
	var v T
	if err := json.Unmarshal(op.Payload, &v); err != nil {
		h.t.Fatal(err)
	}
	return v
}

// Each role sees the sections it may act in, and Alt+n opens them.
func TestSectionsFollowTheRole(t *testing.T) {
	for _, c := range []struct {
		role      string
		see, miss []string
	}{
		{store.StaffReceptionist, []string{text.T(text.FindTitle), text.T(text.NavHandOut), text.T(text.NavToday), text.T(text.NavInbox), text.T(text.NavAttention)}, []string{text.T(text.NavRepeats)}},
		{store.StaffClinician, []string{text.T(text.FindTitle), text.T(text.NavRepeats), text.T(text.NavToday), text.T(text.NavAttention)}, []string{text.T(text.NavHandOut), text.T(text.NavInbox)}},
		{store.StaffManager, []string{text.T(text.NavHandOut), text.T(text.NavInbox)}, []string{text.T(text.NavRepeats)}},
	} {
		t.Run(c.role, func(t *testing.T) {
			h := newHarness(t, time.Minute)
			h.signInAs(c.role)
			for _, s := range c.see {
				if !h.navHas(s) {
					t.Errorf("%s does not see %q; the row shows %q", c.role, s, h.navLabels())
				}
			}
			for _, s := range c.miss {
				if h.navHas(s) {
					t.Errorf("%s sees %q", c.role, s)
				}
			}
			if !h.navHas(text.T(text.NavShortcut, text.T(text.NavToday), "4")) {
				t.Errorf("today's list does not show its shortcut: %q", h.navLabels())
			}
			// Enter on a section's button opens it, as Space does.
			h.deskButton(text.T(text.NavToday)).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			h.waitFor(text.T(text.DayTitleToday, "Monday 8 June 2026"))
			h.shortcut(1)
			h.waitFor(text.T(text.FindTitle))
			h.shortcut(4)
			h.waitFor(text.T(text.DayTitleToday, "Monday 8 June 2026"))
			h.shortcut(1)
			h.waitFor(text.T(text.FindTitle))
			// A section the role does not have: Alt+n does nothing.
			if c.role == store.StaffReceptionist {
				h.shortcut(2)
				if h.has(text.T(text.QueueTitle)) {
					t.Error("Alt+2 opened the prescribers' queue for reception")
				}
			}
		})
	}
}

// A prescriber sees the request with everything needed to decide it,
// declines one item with a reason and approves the other; a decline
// without a reason is refused and changes nothing.
func TestPrescriberDecidesARequest(t *testing.T) {
	h := newHarness(t, time.Minute)
	p := h.addLoopPatient()
	h.feed(p.request(t, 90001, "pending"))
	h.signInAs(store.StaffClinician)
	h.shortcut(2)
	h.waitFor(text.T(text.QueueTitle))
	for _, s := range []string{
		patientLine(loopName, loopBorn, p.nhs),
		text.T(text.QueueAsked, "Friday 5 June, 10:02", text.T(text.AgoDays, "3"), text.T(text.ChannelKiosk)),
		text.T(text.QueueUnsuitable),
		text.T(text.QueueNote, "Running low, away next week"),
		text.T(text.QueueItem, "Amlodipine", "5 mg", "One tablet once a day"),
		text.T(text.QueueReviewDue, "3 March 2026"),
		text.T(text.QueueLastIssued, "9 May 2026"),
	} {
		if !h.has(s) {
			t.Errorf("the queue does not show %q; it shows %q", s, h.texts())
		}
	}
	h.tap(text.T(text.QueueDecide))
	h.waitFor(text.T(text.DecideSave))
	radios := func() []*widget.RadioGroup {
		var out []*widget.RadioGroup
		h.walk(func(o fyne.CanvasObject) bool {
			if r, ok := o.(*widget.RadioGroup); ok {
				out = append(out, r)
			}
			return true
		})
		return out
	}
	rs := radios()
	if len(rs) != 2 {
		t.Fatalf("%d choices on the decision screen, want one per item", len(rs))
	}
	h.tap(text.T(text.DecideSave))
	if h.refusal() == "" || len(h.ops(gpsync.OpDecideRepeats)) != 0 {
		t.Fatalf("saving with nothing chosen: refusal %q, %d ops", h.refusal(), len(h.ops(gpsync.OpDecideRepeats)))
	}
	rs[0].SetSelected(text.T(text.DecideApprove))
	rs[1].SetSelected(text.T(text.DecideDecline))
	h.tap(text.T(text.DecideSave))
	if h.refusal() == "" {
		t.Fatal("a decline with no reason: no refusal shown")
	}
	if ops := h.ops(gpsync.OpDecideRepeats); len(ops) != 0 {
		t.Fatalf("a decline with no reason was queued: %s", ops[0].Payload)
	}
	// Other needs the prescriber's words.
	h.pick(text.T(text.DeclineOther))
	say(findOf(h, "refusal", func(l *widget.Label) bool {
		return l.Importance == widget.DangerImportance && l.Visible() && l.Text != ""
	}), "")
	h.tap(text.T(text.DecideSave))
	if h.refusal() == "" {
		t.Fatal("Other with no words: no refusal shown")
	}
	if ops := h.ops(gpsync.OpDecideRepeats); len(ops) != 0 {
		t.Fatalf("Other with no words was queued: %s", ops[0].Payload)
	}
	h.pick(text.T(text.DeclineTooEarly))
	h.tap(text.T(text.DecideSave))
	h.waitFor(text.T(text.DecideSaved, loopName))
	h.waitFor(text.T(text.QueueNone))
	ops := h.ops(gpsync.OpDecideRepeats)
	if len(ops) != 1 || ops[0].StaffID == 0 {
		t.Fatalf("decide ops %+v, want one made by the member of staff", ops)
	}
	got := payload[gpsync.DecideRepeatsPayload](h, ops[0])
	want := gpsync.DecideRepeatsPayload{RequestID: 90001, Items: []gpsync.ItemDecision{
		{RepeatItemID: p.items[0], Approve: true},
		{RepeatItemID: p.items[1], ReasonCode: gpsync.DeclineTooEarly},
	}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("decision %+v, want %+v", got, want)
	}
}

// A request decided elsewhere after the screen opened: the desk says so
// in the store's words and queues nothing.
func TestDecidingARequestAlreadyDecided(t *testing.T) {
	h := newHarness(t, time.Minute)
	p := h.addLoopPatient()
	h.feed(p.request(t, 90002, "pending"))
	h.signInAs(store.StaffClinician)
	h.shortcut(2)
	h.tap(text.T(text.QueueDecide))
	h.waitFor(text.T(text.DecideSave))
	h.feed(p.request(t, 90002, "completed", "approved", "approved"))
	h.tap(text.T(text.DecideApproveAll))
	h.waitUntil("a refusal", func() bool {
		return findOf(h, "footer message", func(l *widget.Label) bool {
			return l.Importance == widget.DangerImportance && l.Visible() && l.Text != ""
		}) != nil
	})
	if ops := h.ops(gpsync.OpDecideRepeats); len(ops) != 0 {
		t.Fatalf("queued a second decision: %s", ops[0].Payload)
	}
}

// Reception hands out an approved request; it leaves the list.
func TestReceptionHandsOutAnApprovedRequest(t *testing.T) {
	h := newHarness(t, time.Minute)
	p := h.addLoopPatient()
	h.feed(p.request(t, 90003, "completed", "approved", "declined"))
	h.signInAs(store.StaffReceptionist)
	h.shortcut(3)
	h.waitFor(text.T(text.HandOutTitle))
	h.waitFor(text.T(text.HandOutApproved, "Amlodipine 5 mg"))
	h.waitFor(text.T(text.HandOutDeclined, "Simvastatin 20 mg"))
	h.tap(text.T(text.HandOutPharmacy))
	h.waitFor(text.T(text.HandOutNone))
	ops := h.ops(gpsync.OpHandOutRepeats)
	if len(ops) != 1 {
		t.Fatalf("%d hand-out ops, want 1", len(ops))
	}
	if got := payload[gpsync.HandOutRepeatsPayload](h, ops[0]); got.RequestID != 90003 || got.How != gpsync.HandedOutPharmacy {
		t.Errorf("hand-out %+v", got)
	}
}

// "It is being sent" said while the desk thought it was online turns
// into "when this computer is back online" once a sync finds the server
// gone, so the footer never claims a send that is not happening.
func TestSavedNoteFollowsTheConnection(t *testing.T) {
	h := newHarness(t, time.Minute)
	p := h.addLoopPatient()
	h.feed(p.request(t, 90003, "completed", "approved", "declined"))
	h.signInAs(store.StaffReceptionist)
	h.d.SetOnline(true, 0)
	h.shortcut(3)
	h.tap(text.T(text.HandOutPharmacy))
	h.waitFor(text.T(text.HandOutDonePharm, loopName) + " " + text.T(text.SavedSending))
	h.d.SetOnline(false, 1)
	h.waitFor(text.T(text.HandOutDonePharm, loopName) + " " + text.T(text.SavedWaiting))
	h.waitFor(text.T(text.StaffPendingOne))
	h.d.SetOnline(true, 0) // back, and the hand-out answered
	h.waitFor(text.T(text.HandOutDonePharm, loopName) + " " + text.T(text.SavedSent))
}

// bookToday books Arthur on the server into today's first free time at
// or after 10:00 and syncs it to the desk.
func (h *harness) bookToday(p loopPatient) store.Appointment {
	h.t.Helper()
	ctx := context.Background()
	slots, err := h.st.FreeSlots(ctx, p.id, store.ChannelReception, deskStart, 1)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, sl := range slots {
		if sl.StartsAt.In(p.london).Hour() >= 10 {
			a, err := h.st.BookAppointment(ctx, store.BookingRequest{SlotID: sl.ID, PatientID: p.id, Channel: store.ChannelKiosk, Actor: store.SystemActor()})
			if err != nil {
				h.t.Fatal(err)
			}
			h.resync()
			return a
		}
	}
	h.t.Fatal("no free time today from 10:00")
	return store.Appointment{}
}

// A check-in that a sync brings turns the row to Arrived on the open
// list, in place; Seen and a confirmed did-not-attend are queued.
func TestTodaysListFollowsTheSync(t *testing.T) {
	h := newHarness(t, time.Minute)
	p := h.addLoopPatient()
	a := h.bookToday(p)
	h.signInAs(store.StaffReceptionist)
	h.shortcut(4)
	name := loopName
	h.waitFor(name)
	h.waitFor(text.T(text.DayBooked))
	// The keyboard is on Seen when the sync comes: it stays there.
	h.w.Canvas().Focus(h.deskButton(text.T(text.DaySeen)))
	if err := h.st.RecordOutcome(context.Background(), store.SystemActor(), a.ID, store.StatusArrived); err != nil {
		t.Fatal(err)
	}
	h.resync()
	h.d.SetOnline(true, 0) // the runner's report after the sync
	h.waitFor(text.T(text.DayArrived))
	if f, ok := h.w.Canvas().Focused().(*button); !ok || f != h.deskButton(text.T(text.DaySeen)) {
		t.Errorf("after the sync the keyboard is on %v, want Seen", h.w.Canvas().Focused())
	}
	// Arrived: only Seen is offered.
	for _, b := range []string{text.T(text.DayDNA)} {
		if findButton(h, b) != nil {
			t.Errorf("an arrived patient is offered %q", b)
		}
	}
	h.tap(text.T(text.DaySeen))
	h.waitFor(text.T(text.DayRecorded, name, text.T(text.DaySeen)))
	ops := h.ops(gpsync.OpRecordOutcome)
	if len(ops) != 1 {
		t.Fatalf("%d outcome ops, want 1", len(ops))
	}
	if got := payload[gpsync.RecordOutcomePayload](h, ops[0]); got.AppointmentID != a.ID || got.Status != store.StatusSeen {
		t.Errorf("outcome %+v", got)
	}
}

// refusal is the refusal on screen, if any.
func (h *harness) refusal() string {
	var found string
	h.walk(func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && l.Importance == widget.DangerImportance && l.Text != "" {
			found = l.Text
			return false
		}
		return true
	})
	return found
}

// deskButton is the desk button labelled label, as laid out on screen.
func (h *harness) deskButton(label string) *button {
	h.t.Helper()
	return findOf(h, "button "+label, func(b *button) bool { return strings.HasPrefix(b.Text, label) })
}

func findButton(h *harness, label string) *widget.Button {
	var found *widget.Button
	h.walk(func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == label {
			found = b
			return false
		}
		return true
	})
	return found
}

// Did not attend asks first; "No" queues nothing, "Yes" queues it.
func TestDidNotAttendAsksFirst(t *testing.T) {
	h := newHarness(t, time.Minute)
	p := h.addLoopPatient()
	a := h.bookToday(p)
	h.signInAs(store.StaffReceptionist)
	h.shortcut(4)
	h.tap(text.T(text.DayDNA))
	h.waitFor(text.T(text.DayDNAWhy))
	h.tap(text.T(text.DayNoGoBack))
	if h.has(text.T(text.DayDNAWhy)) || len(h.ops(gpsync.OpRecordOutcome)) != 0 {
		t.Fatal("No did not put the list back untouched")
	}
	h.tap(text.T(text.DayDNA))
	h.tap(text.T(text.DayDNAYes))
	h.waitFor(text.T(text.DayDNA) + ", " + text.T(text.WaitingToSend))
	ops := h.ops(gpsync.OpRecordOutcome)
	if len(ops) != 1 {
		t.Fatalf("%d outcome ops, want 1", len(ops))
	}
	if got := payload[gpsync.RecordOutcomePayload](h, ops[0]); got.AppointmentID != a.ID || got.Status != store.StatusDidNotAttend {
		t.Errorf("outcome %+v", got)
	}
}

// The inbox's count follows the alerts the sync brings and those handled
// here; one handled elsewhere first is refused, naming who.
func TestInboxCountFollowsAlerts(t *testing.T) {
	h := newHarness(t, time.Minute)
	loc, _ := time.LoadLocation("Europe/London")
	at := deskStart.At(8, 50, loc)
	h.signInAs(store.StaffReceptionist)
	if !h.navHas(text.T(text.NavShortcut, text.T(text.NavInbox), "5")) {
		t.Fatalf("an empty inbox: %q", h.navLabels())
	}
	manager := h.staffID(store.StaffManager)
	h.feed(alert(t, gpsync.EntityHelpRequest, 7001, "Waiting room kiosk", "I cannot read the screen", gpsync.AlertOpen, at, 0),
		alert(t, gpsync.EntityProblemReport, 7002, "Waiting room kiosk", "The slip came out blank", gpsync.AlertOpen, at.Add(time.Minute), 0),
		alert(t, gpsync.EntityHelpRequest, 7003, "Upstairs kiosk", "Done already", gpsync.AlertResolved, at, manager))
	h.d.SetOnline(true, 0)
	if !h.navHas(text.T(text.NavInboxCount, "2")) {
		t.Fatalf("two open alerts: the row shows %q", h.navLabels())
	}
	h.shortcut(5)
	h.waitFor(text.T(text.InboxHelp, "Waiting room kiosk", "Monday 8 June, 08:50"))
	h.waitFor("I cannot read the screen")
	h.waitFor(text.T(text.InboxFromPatient))
	h.tap(text.T(text.InboxAck))
	h.waitUntil("the count to fall", func() bool { return h.navHas(text.T(text.NavInboxCount, "1")) })
	ops := h.ops(gpsync.OpHandleAlert)
	if len(ops) != 1 {
		t.Fatalf("%d alert ops, want 1", len(ops))
	}
	if got := payload[gpsync.HandleAlertPayload](h, ops[0]); got.Action != gpsync.AlertAcknowledged {
		t.Errorf("handled %+v", got)
	}
	// The problem report is resolved on another desk; this desk has the
	// change but has not redrawn, so it still offers Acknowledge.
	h.feed(alert(t, gpsync.EntityProblemReport, 7002, "Waiting room kiosk", "The slip came out blank", gpsync.AlertResolved, at.Add(time.Minute), manager))
	h.tap(text.T(text.InboxAck))
	h.waitFor(account(store.StaffManager).DisplayName)
	if n := len(h.ops(gpsync.OpHandleAlert)); n != 1 {
		t.Fatalf("%d alert ops after a refusal, want still 1", n)
	}
}

// A refused action of this member of staff shows under needs attention,
// in the server's words, and Dismiss clears it and the count.
func TestNeedsAttentionListsMyRefusedActions(t *testing.T) {
	h := newHarness(t, time.Minute)
	p := h.addLoopPatient()
	h.feed(p.request(t, 90004, "pending"))
	h.signInAs(store.StaffClinician)
	h.shortcut(2)
	h.tap(text.T(text.QueueDecide))
	h.tap(text.T(text.DecideApproveAll))
	h.waitFor(text.T(text.QueueNone))
	ops := h.ops(gpsync.OpDecideRepeats)
	if len(ops) != 1 {
		t.Fatalf("%d decide ops", len(ops))
	}
	said := "Nina Evans decided this request at 09:01. Nothing of yours was recorded."
	if err := h.rep.RecordResults(context.Background(), []gpsync.OpResult{{ID: ops[0].ID, Status: "rejected", Reason: string(store.ReasonAlreadyDecided), Message: said}}); err != nil {
		t.Fatal(err)
	}
	h.d.SetOnline(true, 0)
	if !h.navHas(text.T(text.NavAttentionCount, "1")) {
		t.Fatalf("one refusal: the row shows %q", h.navLabels())
	}
	h.shortcut(6)
	h.waitFor(said)
	h.waitFor(text.T(text.RefusedNextDecide))
	h.tap(text.T(text.RefusedDismiss))
	h.waitFor(text.T(text.RefusedNone))
	if !h.navHas(text.T(text.NavShortcut, text.T(text.NavAttention), "6")) {
		t.Errorf("after Dismiss the row shows %q", h.navLabels())
	}
}

// Reception books Arthur at the desk and cancels it, with the kiosk's
// words for a booking not yet confirmed.
func TestReceptionBooksAndCancelsAtTheDesk(t *testing.T) {
	h := newHarness(t, time.Minute)
	h.addLoopPatient()
	h.signInAs(store.StaffReceptionist)
	h.openPatient(loopGiven, loopFamily, loopBorn)
	h.waitFor(text.T(text.ApptsNone))
	h.bookAtDesk()
	h.tap(text.T(text.ApptsCancel))
	h.tap(text.T(text.ApptsCancelYes))
	h.waitFor("Cancelled: ")
	h.waitFor(text.T(text.ApptsNone))
}

// fitsUnderMenu fails when the desk needs more height than the window
// leaves under the Go to menu bar (about 80 px at A++ in a real window;
// the test window has none), so Fyne would push the foot of the desk, the
// display switches, off the screen.
func (h *harness) fitsUnderMenu(what string, size fyne.Size) {
	h.t.Helper()
	menuBar := 2.4 * fyne.CurrentApp().Settings().Theme().Size(theme.SizeNameText)
	if min := h.d.Content().MinSize(); min.Height > size.Height-menuBar {
		h.t.Errorf("%s needs %v of height; the window leaves %v under its menu bar", what, min.Height, size.Height-menuBar)
	}
}

// The new screens fit the front desk's screens at A and A++ and in high
// contrast: no screen needs a wider window, and the section row stays in
// view.
func TestLoopScreensFitSmallScreens(t *testing.T) {
	for _, size := range []fyne.Size{frontDesk, fyne.NewSize(1024, 768)} {
		for _, th := range []uitheme.Settings{{Size: uitheme.SizeNormal}, {Size: uitheme.SizeLarger}, {Size: uitheme.SizeLarger, HighContrast: true}} {
			t.Run(fmt.Sprintf("%vx%v %.1f contrast %v", size.Width, size.Height, th.Size.Scale(), th.HighContrast), func(t *testing.T) {
				h := newHarness(t, time.Minute)
				p := h.addLoopPatient()
				h.bookToday(p)
				h.feed(p.request(t, 90005, "pending"), p.request(t, 90006, "completed", "approved", "declined"))
				fyne.CurrentApp().Settings().SetTheme(uitheme.NewWith(th))
				h.w.Resize(size)
				for _, role := range []string{store.StaffClinician, store.StaffReceptionist} {
					h.signInAs(role)
					for n := 1; n <= 6; n++ {
						h.shortcut(n)
						if min := h.d.Content().MinSize(); min.Width > size.Width {
							t.Errorf("%s, section %d needs a window %v wide", role, n, min.Width)
						}
						h.fitsUnderMenu(fmt.Sprintf("%s, section %d", role, n), size)
						if h.compactNav() { // too many rows of buttons for this window
							h.inView("the sections' chooser", h.d.navChooser)
						} else {
							for _, o := range h.d.navGrid.Objects {
								h.inView("section "+o.(*button).Text, o)
							}
						}
					}
					if role == store.StaffReceptionist {
						h.shortcut(1)
						h.openPatient(loopGiven, loopFamily, loopBorn)
						// The record's footer (Register, proxy access, find
						// another) predates this screen's size check: at A++
						// it needs 1366.
						if min := h.d.Content().MinSize(); min.Width > max(size.Width, frontDesk.Width) {
							t.Errorf("the record needs a window %v wide", min.Width)
						}
						h.fitsUnderMenu("the record", size)
						h.tap(text.T(text.ApptsLetter))
						h.waitFor(text.T(text.ApptLetterTitle, loopName))
						if h.printersListed() {
							h.inView("Print letter", h.button(text.T(text.WizardPrint)))
						}
						h.inView("Save as PDF", h.button(text.T(text.WizardSave)))
						h.inView("Back", h.button(text.T(text.ApptLetterBack)))
						if min := h.d.Content().MinSize(); min.Width > size.Width {
							t.Errorf("the appointment letter needs a window %v wide", min.Width)
						}
						h.tap(text.T(text.ApptLetterBack))
						h.tap(text.T(text.DeskBookButton))
						h.waitFor(text.T(text.DeskBookFreeOn, "Monday 8 June 2026"))
						h.inView("Next day", h.deskButton(text.T(text.DayNext)))
					}
					if role == store.StaffClinician {
						h.shortcut(2)
						h.tap(text.T(text.QueueDecide))
						h.waitFor(text.T(text.DecideSave))
						h.inView("Save decision", h.deskButton(text.T(text.DecideSave)))
						h.fitsUnderMenu("the decision", size)
						if min := h.d.Content().MinSize(); min.Width > size.Width {
							t.Errorf("the decision needs a window %v wide", min.Width)
						}
					}
					h.d.SignOut("")
				}
			})
		}
	}
}

// At A++ on the front desk's screen the sign-in form is taller than it
// is at A: Sign in must still lie inside what the body scrolls over, not
// below a fixed-size box where no scrolling reaches it.
func TestSignInReachableAtLargestText(t *testing.T) {
	h := newHarness(t, time.Minute)
	fyne.CurrentApp().Settings().SetTheme(uitheme.NewWith(uitheme.Settings{Size: uitheme.SizeLarger}))
	h.w.Resize(frontDesk)
	h.d.SignOut("")
	sc := h.body()
	sc.Refresh()
	b := findButton(h, text.T(text.StaffSignIn))
	if b == nil {
		t.Fatal("no Sign in button")
	}
	drv := fyne.CurrentApp().Driver()
	bottom := drv.AbsolutePositionForObject(b).Y + b.Size().Height - drv.AbsolutePositionForObject(sc.Content).Y
	if bottom > sc.Content.Size().Height+0.5 {
		t.Fatalf("Sign in ends %v down the form, below the %v the body scrolls over", bottom, sc.Content.Size().Height)
	}
}
