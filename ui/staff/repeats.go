package staff

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/text"
)

// repeatsBackend is what the prescribers' queue and reception's hand-out
// list need of the replica.
type repeatsBackend interface {
	RepeatQueue(ctx context.Context, staff replica.StaffMember) ([]replica.RepeatRequestEntry, error)
	DecideRepeats(ctx context.Context, staff replica.StaffMember, requestID int64, d []gpsync.ItemDecision) (string, error)
	ReadyToHandOut(ctx context.Context, staff replica.StaffMember) ([]replica.RepeatRequestEntry, error)
	HandOutRepeats(ctx context.Context, staff replica.StaffMember, requestID int64, how string) (string, error)
}

// declineReason is one of the short list of reasons a prescriber picks
// from; the kiosk tells the patient what each means for them.
type declineReason struct {
	code  string
	words text.Key
}

func declineReasons() []declineReason {
	return []declineReason{
		{gpsync.DeclineNeedsReview, text.DeclineNeedsReview},
		{gpsync.DeclineMedicationChanged, text.DeclineChanged},
		{gpsync.DeclineTooEarly, text.DeclineTooEarly},
		{gpsync.DeclineNotOnRepeat, text.DeclineNotOnRepeat},
		{gpsync.DeclineOther, text.DeclineOther},
	}
}

// channelWords says where a request or booking was made.
func channelWords(ch string) string {
	switch ch {
	case "kiosk":
		return text.T(text.ChannelKiosk)
	case "online":
		return text.T(text.ChannelOnline)
	}
	return text.T(text.ChannelReception)
}

// pendingItems are the request's items still waiting for a decision.
func pendingItems(e replica.RepeatRequestEntry) []replica.RepeatRequestEntryItem {
	var out []replica.RepeatRequestEntryItem
	for _, it := range e.Items {
		if it.Decision == "pending" {
			out = append(out, it)
		}
	}
	return out
}

// patientLine names a patient as a queue shows them: enough to be sure
// who it is.
func patientLine(name string, born store.Date, nhs string) string {
	return text.T(text.PatientLine, name, longDate(born), store.NHSNumber(nhs).String())
}

// itemBox is one requested item: what it is and when it was last issued,
// and the flag a prescriber must not miss, in words and in the warning
// colour. Lines share a label so a queue reads as a list, not a poster.
func (d *Desk) itemBox(it replica.RepeatRequestEntryItem) *fyne.Container {
	line := text.T(text.QueueItem, it.Name, it.Strength, it.Dosage)
	if !it.LastIssuedAt.IsZero() {
		line += ". " + text.T(text.QueueLastIssued, longDate(store.DateOf(it.LastIssuedAt, d.cfg.Location)))
	}
	box := container.NewVBox(widget.NewLabelWithStyle(line, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	box.Objects[0].(*widget.Label).Wrapping = fyne.TextWrapWord
	if it.ReviewOverdue {
		box.Add(note(text.T(text.QueueReviewDue, longDate(it.ReviewDue)), widget.WarningImportance))
	}
	return box
}

// requestHeader is who asked, when and how, and what they wrote.
func (d *Desk) requestHeader(e replica.RepeatRequestEntry) *fyne.Container {
	lines := []string{text.T(text.QueueAsked, d.when(e.RequestedAt), d.ago(e.RequestedAt), channelWords(e.Channel))}
	if n := strings.TrimSpace(e.Note); n != "" {
		lines = append(lines, text.T(text.QueueNote, n))
	}
	box := container.NewVBox(heading(patientLine(e.PatientName, e.DateOfBirth, e.NHSNumber)), para(strings.Join(lines, "\n")))
	if e.OrderingUnsuitable {
		box.Add(note(text.T(text.QueueUnsuitable), widget.WarningImportance))
	}
	return box
}

// showRepeats is the prescribers' queue, oldest first, with msg (what was
// just saved) in the footer. It is read again after every sync.
func (d *Desk) showRepeats(msg string) { d.showList(secRepeats, msg, d.repeatsBody) }

func (d *Desk) repeatsBody(staff replica.StaffMember, _ *widget.Label) fyne.CanvasObject {
	box := container.NewVBox(heading(text.T(text.QueueTitle)))
	queue, err := d.cfg.Backend.RepeatQueue(d.ctx, staff)
	if err != nil {
		box.Add(note(d.plain(err), widget.DangerImportance))
		return box
	}
	shown := 0
	for _, e := range queue {
		if len(pendingItems(e)) == 0 {
			continue // decided here; waiting only for the server
		}
		shown++
		box.Add(widget.NewSeparator())
		box.Add(d.requestHeader(e))
		for _, it := range e.Items {
			box.Add(d.itemBox(it))
		}
		entry := e
		row := container.NewHBox(newButton(text.T(text.QueueDecide), func() { d.showDecide(entry) }))
		if e.Waiting {
			row.Add(widget.NewLabel(text.T(text.WaitingToSend)))
		}
		box.Add(row)
	}
	if shown == 0 {
		box.Add(para(text.T(text.QueueNone)))
	}
	return box
}

// itemChoice is one item's decision as the prescriber is making it.
type itemChoice struct {
	item    replica.RepeatRequestEntryItem
	verdict *widget.RadioGroup
	reason  *widget.Select
	words   *widget.Entry
}

// decision is what was chosen; ok is false when nothing was.
func (c itemChoice) decision() (gpsync.ItemDecision, bool) {
	d := gpsync.ItemDecision{RepeatItemID: c.item.RepeatItemID}
	switch c.verdict.Selected {
	case text.T(text.DecideApprove):
		d.Approve = true
	case text.T(text.DecideDecline):
		for _, r := range declineReasons() {
			if c.reason.Selected == text.T(r.words) {
				d.ReasonCode = r.code
			}
		}
		d.Reason = strings.TrimSpace(c.words.Text)
	default:
		return d, false
	}
	return d, true
}

// showDecide opens one request: approve or decline each item, declines
// with a reason from the short list. The store's rules decide what is
// acceptable; a refusal is shown and nothing is saved.
func (d *Desk) showDecide(e replica.RepeatRequestEntry) {
	staff, ok := d.signedIn()
	if !ok {
		d.SignOut("")
		return
	}
	var reasons []string
	for _, r := range declineReasons() {
		reasons = append(reasons, text.T(r.words))
	}
	// The request's own heading names the patient; a second title above
	// it would only push the choices below the fold at 768 px.
	body := container.NewVBox(d.requestHeader(e))
	var choices []itemChoice
	for _, it := range pendingItems(e) {
		c := itemChoice{item: it, reason: widget.NewSelect(reasons, nil), words: widget.NewEntry()}
		c.reason.PlaceHolder = text.T(text.DecideWhy)
		c.words.SetPlaceHolder(text.T(text.DecideWords))
		why := container.NewVBox(c.reason, c.words) // the choice's placeholder asks "Why?"
		why.Hide()
		c.verdict = widget.NewRadioGroup([]string{text.T(text.DecideApprove), text.T(text.DecideDecline)}, func(s string) {
			d.touch()
			if s == text.T(text.DecideDecline) {
				why.Show()
			} else {
				why.Hide()
			}
			d.relayout()
		})
		c.verdict.Horizontal = true
		choices = append(choices, c)
		body.Add(widget.NewSeparator())
		body.Add(d.itemBox(it))
		body.Add(c.verdict)
		body.Add(why)
	}
	msg := note("", widget.DangerImportance)
	save := func() {
		d.touch()
		var ds []gpsync.ItemDecision
		for _, c := range choices {
			if dec, ok := c.decision(); ok {
				ds = append(ds, dec)
			}
		}
		if _, err := d.cfg.Backend.DecideRepeats(d.ctx, staff, e.RequestID, ds); err != nil {
			say(msg, d.plain(err))
			d.relayout()
			return
		}
		d.nudge()
		d.showRepeats(text.T(text.DecideSaved, e.PatientName) + " " + d.savedNote())
	}
	approveAll := newButton(text.T(text.DecideApproveAll), func() {
		for _, c := range choices {
			c.verdict.SetSelected(text.T(text.DecideApprove))
		}
		save()
	})
	saveButton := newButton(text.T(text.DecideSave), save)
	saveButton.Importance = widget.HighImportance
	back := newButton(text.T(text.BackToList), func() { d.showRepeats("") })
	foot := container.NewVBox(msg, para(text.T(text.DecideLeftPending)), container.NewHBox(saveButton, approveAll, back))
	d.showWith(body, foot)
}

// showHandOut is reception's list of approved requests not yet handed
// out, read again after every sync.
func (d *Desk) showHandOut(msg string) { d.showList(secHandOut, msg, d.handOutBody) }

func (d *Desk) handOutBody(staff replica.StaffMember, msg *widget.Label) fyne.CanvasObject {
	box := container.NewVBox(heading(text.T(text.HandOutTitle)))
	ready, err := d.cfg.Backend.ReadyToHandOut(d.ctx, staff)
	if err != nil {
		box.Add(note(d.plain(err), widget.DangerImportance))
		return box
	}
	shown := 0
	for _, e := range ready {
		if e.HandedOut != "" {
			continue // handed out here; waiting only for the server
		}
		shown++
		var approved, declined []string
		for _, it := range e.Items {
			name := strings.TrimSpace(it.Name + " " + it.Strength)
			switch it.Decision {
			case "approved":
				approved = append(approved, name)
			case "declined":
				declined = append(declined, name)
			}
		}
		var lines []string
		if !e.ReadyBy.IsZero() {
			lines = append(lines, text.T(text.HandOutReady, longDate(e.ReadyBy)))
		}
		if len(approved) > 0 {
			lines = append(lines, text.T(text.HandOutApproved, strings.Join(approved, ", ")))
		}
		if len(declined) > 0 {
			lines = append(lines, text.T(text.HandOutDeclined, strings.Join(declined, ", ")))
		}
		box.Add(widget.NewSeparator())
		box.Add(heading(patientLine(e.PatientName, e.DateOfBirth, e.NHSNumber)))
		box.Add(para(strings.Join(lines, "\n")))
		entry := e
		handOut := func(how string, done text.Key) func() {
			return func() {
				d.touch()
				if _, err := d.cfg.Backend.HandOutRepeats(d.ctx, staff, entry.RequestID, how); err != nil {
					say(msg, d.plain(err))
					d.relayout()
					return
				}
				d.nudge()
				d.showHandOut(text.T(done, entry.PatientName) + " " + d.savedNote())
			}
		}
		box.Add(container.NewHBox(
			newButton(text.T(text.HandOutCollected), handOut(gpsync.HandedOutCollected, text.HandOutDoneCollect)),
			newButton(text.T(text.HandOutPharmacy), handOut(gpsync.HandedOutPharmacy, text.HandOutDonePharm)),
		))
	}
	if shown == 0 {
		box.Add(para(text.T(text.HandOutNone)))
	}
	return box
}
