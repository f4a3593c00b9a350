package kiosk

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

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
		k.show(k.sorry(text.T(text.LetterNoPrescriptions)))
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
	list := container.NewVBox()
	for _, it := range items {
		if !it.Active {
			continue
		}
		label := itemName(it) + "\n" + it.Dosage
		if it.Outstanding {
			b := widget.NewButton(text.T(text.RepeatsOrdered, label), nil)
			b.Disable()
			list.Add(sized(b))
			continue
		}
		var b *widget.Button
		b = widget.NewButton(text.T(text.RepeatsNotChosen, label), func() {
			chosen[it.ID] = !chosen[it.ID]
			if chosen[it.ID] {
				b.SetText(text.T(text.RepeatsChosen, label))
				b.Importance = widget.HighImportance
			} else {
				b.SetText(text.T(text.RepeatsNotChosen, label))
				b.Importance = widget.MediumImportance
			}
			b.Refresh()
			k.touch()
		})
		list.Add(sized(b))
	}
	if len(list.Objects) == 0 {
		list.Add(para(text.T(text.RepeatsNone)))
	}
	pending := container.NewVBox()
	for _, rq := range requests {
		if rq.Status != "pending" {
			continue
		}
		var names []string
		for _, it := range rq.Items {
			names = append(names, it.Name)
		}
		pending.Add(para(text.T(text.RepeatsPending, strings.Join(names, ", "), k.day(rq.ReadyBy.At(12, 0, k.cfg.Location)))))
		pending.Add(sized(widget.NewButton(text.T(text.RepeatsCancel), func() { k.confirmCancelOrder(rq) })))
	}
	if len(pending.Objects) > 0 {
		list.Add(heading(text.T(text.RepeatsYourOrders)))
		list.Add(pending)
	}
	order := bigButton(text.T(text.RepeatsOrder), func() {
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
	k.show(container.NewBorder(
		container.NewVBox(heading(text.T(text.RepeatsTitle)), para(text.T(text.RepeatsHint))),
		container.NewVBox(sized(order), sized(widget.NewButton(text.T(text.StartAgain), k.SignOut))), nil, nil,
		container.NewVScroll(container.NewCenter(list))))
}

// day says a date the way people do: "Wednesday 10 June".
func (k *Kiosk) day(t time.Time) string { return t.In(k.cfg.Location).Format("Monday 2 January") }

// showNote lets the patient add a short, optional note to the order on a
// letters keypad, then send it.
func (k *Kiosk) showNote(ids []int64) {
	limit := 200
	if st, err := k.cfg.Backend.Settings(k.ctx); err == nil {
		limit = st.RepeatNoteMaxChars
	}
	var typed []rune
	note := para(text.T(text.RepeatsNoNote))
	count := para("")
	update := func() {
		if len(typed) == 0 {
			note.SetText(text.T(text.RepeatsNoNote))
		} else {
			note.SetText(string(typed))
		}
		count.SetText(text.T(text.RepeatsNoteCount, strconv.Itoa(len(typed)), strconv.Itoa(limit)))
		k.touch()
	}
	pad := widgets.NewKeypad(widgets.KeypadText)
	pad.OnKey = func(r rune) {
		if len(typed) < limit {
			typed = append(typed, sentenceCase(typed, r))
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
	send := bigButton(text.T(text.RepeatsSend), func() { k.order(ids, strings.TrimSpace(string(typed))) })
	k.show(container.NewBorder(
		container.NewVBox(heading(text.T(text.RepeatsNoteTitle)), para(text.T(text.RepeatsNoteHint)), note, count),
		container.NewVBox(sized(send), sized(widget.NewButton(text.T(text.RepeatsBack), k.showRepeats))), nil, nil,
		container.NewCenter(pad)))
}

// sentenceCase turns the keypad's capitals into ordinary writing: a capital
// to start the note and after a full stop or question mark, small letters
// elsewhere. Staff read these notes; a note in capitals reads as shouting.
func sentenceCase(before []rune, r rune) rune {
	start := true
	for i := len(before) - 1; i >= 0; i-- {
		if before[i] == ' ' {
			continue
		}
		start = before[i] == '.' || before[i] == '?'
		break
	}
	if start {
		return unicode.ToUpper(r)
	}
	return unicode.ToLower(r)
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
		k.show(centred(heading(text.T(text.RepeatsNotOrdered)), para(plain(err)), sized(bigButton(text.T(text.RepeatsBack), k.showRepeats)),
			sized(widget.NewButton(text.T(text.StartAgain), k.SignOut))))
		return
	}
	k.nudge()
	ready := req.ReadyBy.At(12, 0, k.cfg.Location)
	parts := []fyne.CanvasObject{heading(text.T(text.RepeatsSent)), para(text.T(text.RepeatsReady, k.day(ready)))}
	slip := para("")
	if k.cfg.Printer != nil {
		var names []string
		for _, it := range chosenItems(allItems(k, s.patient.ID), req.ItemIDs) {
			names = append(names, itemName(it))
		}
		parts = append(parts, sized(widget.NewButton(text.T(text.SlipPrint), func() {
			k.touch()
			slip.SetText(k.print(receipt.Encode(receipt.PrescriptionSlip(receipt.RepeatRequest{Practice: k.cfg.PracticeName,
				FirstName: s.patient.GivenName, Items: names, ReadyFrom: ready}))))
		})))
	} else {
		slip.SetText(text.T(text.SlipNoPrinter))
	}
	k.show(centred(append(parts, slip, sized(bigButton(text.T(text.StartAgain), k.SignOut)))...))
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

func (k *Kiosk) confirmCancelOrder(rq replica.Request) {
	k.show(centred(
		heading(text.T(text.RepeatsCancelTitle)),
		sized(bigButton(text.T(text.YesCancelIt), func() {
			s, ok := k.signedIn()
			if !ok {
				k.showWelcome()
				return
			}
			if _, err := k.cfg.Backend.CancelRequest(k.ctx, s.patient.ID, rq.Ref); err != nil {
				k.show(k.sorry(plain(err)))
				return
			}
			k.nudge()
			k.show(centred(heading(text.T(text.Cancelled)), para(text.T(text.RepeatsCancelled)), sized(bigButton(text.T(text.StartAgain), k.SignOut))))
		})),
		sized(widget.NewButton(text.T(text.NoKeepIt), k.showRepeats)),
	))
}
