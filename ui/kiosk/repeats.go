package kiosk

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"gpkiosk/store/replica"
	"gpkiosk/ui/receipt"
	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

// itemName is how a repeat item is shown: "Atorvastatin 20 mg tablets".
func itemName(it replica.RepeatItem) string {
	return strings.TrimSpace(fmt.Sprintf("%s %s %s", it.Name, it.Strength, it.Form))
}

func (k *Kiosk) showRepeats() {
	s, ok := k.signedIn()
	if !ok {
		k.showWelcome()
		return
	}
	if s.patient.NoPrescriptions {
		k.show(k.sorry(text.M(text.LetterNoPrescriptions)))
		return
	}
	items, err := k.cfg.Backend.RepeatItems(k.ctx, s.patient.ID)
	if err != nil {
		k.show(k.sorry(plain(err)))
		return
	}
	requests, err := k.cfg.Backend.Requests(k.ctx, s.patient.ID)
	if err != nil {
		k.show(k.sorry(plain(err)))
		return
	}
	chosen := map[int64]bool{}
	var list []fyne.CanvasObject
	for _, it := range items {
		if !it.Active {
			continue
		}
		label := itemName(it) + "\n" + it.Dosage
		if it.Outstanding {
			b := widgets.NewButtonOf(text.M(text.RepeatsOrdered, itemName(it)), nil)
			b.Disable()
			list = append(list, b)
			continue
		}
		list = append(list, widgets.NewCheckButton(label, func(on bool) {
			chosen[it.ID] = on
			k.touch()
		}))
	}
	if len(list) == 0 {
		list = append(list, para(text.M(text.RepeatsNone)))
	}
	first := true
	for _, rq := range requests {
		if rq.Status != "pending" {
			continue
		}
		if first {
			list = append(list, heading(text.M(text.RepeatsYourOrders)))
			first = false
		}
		list = append(list, widgets.NewColumn(
			para(k.orderSummary(rq)),
			widgets.NewButtonOf(text.M(text.RepeatsCancel), func() { k.confirmCancelOrder(rq) })))
	}
	order := widgets.NewPrimaryButtonOf(text.M(text.RepeatsOrder), func() {
		var ids []int64
		for _, it := range items {
			if chosen[it.ID] {
				ids = append(ids, it.ID)
			}
		}
		if len(ids) == 0 {
			k.order(ids, "") // the store's own words for choosing nothing
			return
		}
		k.showNote(ids)
	})
	pager := widgets.NewPager(list, text.M(text.PagerMore), text.M(text.PagerBack))
	pager.OnPage = k.touch
	k.show(widgets.NewPage(
		objs(heading(text.M(text.RepeatsTitle)), para(text.M(text.RepeatsHint))),
		pager,
		k.taskFooter(order)))
}

// day says a date the way people do: "Wednesday 10 June", in the
// patient's language.
func (k *Kiosk) day(t time.Time) text.Message { return text.Day(t.In(k.cfg.Location)) }

// showNote lets the patient add a short, optional note to the order on a
// text keypad, then send it.
func (k *Kiosk) showNote(ids []int64) {
	limit := 200
	if st, err := k.cfg.Backend.Settings(k.ctx); err == nil {
		limit = st.RepeatNoteMaxChars
	}
	var typed []rune
	note := widgets.NewTextOf(text.M(text.RepeatsNoNote), widgets.TextStrong)
	note.Align = fyne.TextAlignLeading
	count := para(text.Literal(""))
	count.Hide()
	pad := widgets.NewKeypad(widgets.KeypadText)
	update := func() {
		if len(typed) == 0 {
			note.SetMessage(text.M(text.RepeatsNoNote))
		} else {
			note.SetText(string(typed))
		}
		// The count matters only near the limit; until then it would take
		// a line the keys need.
		count.SetMessage(text.M(text.RepeatsNoteCount, strconv.Itoa(len(typed)), strconv.Itoa(limit)))
		if len(typed) >= limit*3/4 {
			count.Show()
		} else {
			count.Hide()
		}
		// A capital to start the note and each sentence, as people write;
		// the Capital key gives one anywhere else (a name, say).
		pad.SetShift(sentenceStart(typed))
		k.touch()
	}
	pad.OnKey = func(r rune) {
		if len(typed) < limit {
			typed = append(typed, r)
		}
		update()
	}
	pad.OnDelete = func() {
		if len(typed) > 0 {
			typed = typed[:len(typed)-1]
		}
		update()
	}
	update()
	send := widgets.NewPrimaryButtonOf(text.M(text.RepeatsSend), func() { k.order(ids, strings.TrimSpace(string(typed))) })
	k.show(widgets.NewPage(
		objs(heading(text.M(text.RepeatsNoteTitle)), para(text.M(text.RepeatsNoteHint)), widgets.NewField(note), count),
		pad,
		objs(widgets.NewRow(widgets.NewButtonOf(text.M(text.RepeatsBack), k.showRepeats), send))))
}

// sentenceStart reports whether the next letter starts a sentence: at the
// start of the note or after a full stop or question mark.
func sentenceStart(before []rune) bool {
	for i := len(before) - 1; i >= 0; i-- {
		if before[i] == ' ' {
			continue
		}
		return before[i] == '.' || before[i] == '?'
	}
	return true
}

func (k *Kiosk) order(ids []int64, note string) {
	s, ok := k.signedIn()
	if !ok {
		k.showWelcome()
		return
	}
	req, err := k.cfg.Backend.OrderRepeats(k.ctx, s.patient.ID, ids, note)
	if err != nil {
		// The store's own words: a flagged patient or an item due for
		// review is sent kindly to reception.
		k.show(widgets.NewPage(objs(heading(text.M(text.RepeatsNotOrdered)), para(plain(err))),
			widgets.NewList(widgets.NewPrimaryButtonOf(text.M(text.RepeatsBack), k.showRepeats)), k.taskFooter()))
		return
	}
	if !k.online || k.cfg.SendNow == nil {
		k.nudge()
		k.showOrdered(s, req, false)
		return
	}
	k.show(widgets.NewPage(objs(heading(text.M(text.RepeatsNoteTitle)), para(text.M(text.RepeatsSending))), nil, nil))
	k.sendThen(func(err error) {
		if err != nil {
			k.cfg.Log.Warn("repeat order not confirmed by the practice server yet", "err", err)
		}
		k.showOrdered(s, req, err == nil)
	})
}

// showOrdered says the order is with the practice, or, when the server has
// not had it yet, that the kiosk will send it.
func (k *Kiosk) showOrdered(s session, req replica.LocalRequest, sent bool) {
	ready := req.ReadyBy.At(12, 0, k.cfg.Location)
	var title text.Message = text.M(text.RepeatsSent)
	if !sent {
		title = text.M(text.RepeatsQueued)
	}
	title = k.outcome(title)
	var actions []fyne.CanvasObject
	slip := para(text.Literal(""))
	if k.cfg.Printer != nil {
		var names []string
		for _, it := range chosenItems(allItems(k, s.patient.ID), req.ItemIDs) {
			names = append(names, itemName(it))
		}
		actions = append(actions, widgets.NewButtonOf(text.M(text.SlipPrint), func() {
			k.touch()
			slip.SetMessage(k.print(receipt.Encode(receipt.PrescriptionSlip(receipt.RepeatRequest{Practice: k.cfg.PracticeName,
				FirstName: s.patient.GivenName, Items: names, ReadyFrom: ready, Words: k.catalogue()}))))
		}))
	} else {
		slip.SetMessage(text.M(text.RepeatsNoPrinter))
	}
	k.show(widgets.NewPage(objs(heading(title), para(text.M(text.RepeatsReady, k.day(ready)))),
		widgets.NewList(append(actions, slip)...), k.taskFooter()))
}

// allItems reads the patient's repeat items for a slip; on a read error the
// slip simply lists none.
func allItems(k *Kiosk, patientID int64) []replica.RepeatItem {
	its, err := k.cfg.Backend.RepeatItems(k.ctx, patientID)
	if err != nil {
		k.cfg.Log.Error("read repeat items for a slip", "err", err)
	}
	return its
}

// chosenItems picks the items with the given IDs, in list order.
func chosenItems(all []replica.RepeatItem, ids []int64) []replica.RepeatItem {
	var out []replica.RepeatItem
	for _, it := range all {
		if slices.Contains(ids, it.ID) {
			out = append(out, it)
		}
	}
	return out
}

// orderSummary says what an order is for and when it should be ready:
// "Amlodipine: ready from Tuesday 1 December".
func (k *Kiosk) orderSummary(rq replica.Request) text.Message {
	var names []string
	for _, it := range rq.Items {
		names = append(names, it.Name)
	}
	return text.M(text.RepeatsPending, strings.Join(names, ", "), k.day(rq.ReadyBy.At(12, 0, k.cfg.Location)))
}

func (k *Kiosk) confirmCancelOrder(rq replica.Request) {
	k.confirmCancelling(text.M(text.RepeatsCancelTitle), k.orderSummary(rq),
		func(patientID int64) error {
			_, err := k.cfg.Backend.CancelRequest(k.ctx, patientID, rq.Ref)
			return err
		}, text.M(text.RepeatsCancelled), k.showRepeats)
}
