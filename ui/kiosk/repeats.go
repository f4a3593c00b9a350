package kiosk

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store/replica"
)

// Repeat-prescription texts.
const (
	TextChooseMedicines = "Choose the medicines you need"
	TextOrderChosen     = "Order the chosen medicines"
	TextOrderSent       = "Your order has been sent to the practice."
	TextAlreadyOrdered  = "already ordered"
	TextYourOrders      = "Orders the practice is dealing with"
	TextCancelOrder     = "Cancel this order"
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
			b := widget.NewButton(label+"\n("+TextAlreadyOrdered+")", nil)
			b.Disable()
			list.Add(sized(b))
			continue
		}
		var b *widget.Button
		b = widget.NewButton("Not chosen: "+label, func() {
			chosen[it.ID] = !chosen[it.ID]
			if chosen[it.ID] {
				b.SetText("Chosen: " + label)
				b.Importance = widget.HighImportance
			} else {
				b.SetText("Not chosen: " + label)
				b.Importance = widget.MediumImportance
			}
			b.Refresh()
			k.touch()
		})
		list.Add(sized(b))
	}
	if len(list.Objects) == 0 {
		list.Add(para("You have no repeat medicines you can order here."))
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
		pending.Add(para(fmt.Sprintf("%s: ready from %s", strings.Join(names, ", "), k.day(rq.ReadyBy.At(12, 0, k.cfg.Location)))))
		pending.Add(sized(widget.NewButton(TextCancelOrder, func() { k.confirmCancelOrder(rq) })))
	}
	if len(pending.Objects) > 0 {
		list.Add(heading(TextYourOrders))
		list.Add(pending)
	}
	order := bigButton(TextOrderChosen, func() {
		var ids []int64
		for _, it := range items {
			if chosen[it.ID] {
				ids = append(ids, it.ID)
			}
		}
		k.order(ids)
	})
	k.show(container.NewBorder(
		container.NewVBox(heading(TextChooseMedicines), para("Tap each medicine you need, then tap the blue button.")),
		container.NewVBox(sized(order), sized(widget.NewButton(TextStartAgain, k.SignOut))), nil, nil,
		container.NewVScroll(container.NewCenter(list))))
}

// day says a date the way people do: "Wednesday 10 June".
func (k *Kiosk) day(t time.Time) string { return t.In(k.cfg.Location).Format("Monday 2 January") }

func (k *Kiosk) order(ids []int64) {
	s, ok := k.signedIn()
	if !ok {
		k.showWelcome()
		return
	}
	req, err := k.cfg.Backend.OrderRepeats(k.ctx, s.patient.ID, ids, "")
	if err != nil {
		// The store's own words: a flagged patient or an item due for
		// review is sent kindly to reception.
		k.show(centred(heading("Not ordered"), para(plain(err)), sized(bigButton("Back to my medicines", k.showRepeats)),
			sized(widget.NewButton(TextStartAgain, k.SignOut))))
		return
	}
	k.nudge()
	k.show(centred(
		heading(TextOrderSent),
		para(fmt.Sprintf("It should be ready to collect from %s. The practice needs a few working days to check it.", k.day(req.ReadyBy.At(12, 0, k.cfg.Location)))),
		sized(bigButton(TextStartAgain, k.SignOut)),
	))
}

func (k *Kiosk) confirmCancelOrder(rq replica.Request) {
	k.show(centred(
		heading("Cancel this order?"),
		sized(bigButton("Yes, cancel it", func() {
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
			k.show(centred(heading("Cancelled"), para("Your order is cancelled."), sized(bigButton(TextStartAgain, k.SignOut))))
		})),
		sized(widget.NewButton("No, keep it", k.showRepeats)),
	))
}
