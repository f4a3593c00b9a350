package kiosk

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store/replica"
	"gpkiosk/ui/text"
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
		k.order(ids)
	})
	k.show(container.NewBorder(
		container.NewVBox(heading(text.T(text.RepeatsTitle)), para(text.T(text.RepeatsHint))),
		container.NewVBox(sized(order), sized(widget.NewButton(text.T(text.StartAgain), k.SignOut))), nil, nil,
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
		k.show(centred(heading(text.T(text.RepeatsNotOrdered)), para(plain(err)), sized(bigButton(text.T(text.RepeatsBack), k.showRepeats)),
			sized(widget.NewButton(text.T(text.StartAgain), k.SignOut))))
		return
	}
	k.nudge()
	k.show(centred(
		heading(text.T(text.RepeatsSent)),
		para(text.T(text.RepeatsReady, k.day(req.ReadyBy.At(12, 0, k.cfg.Location)))),
		sized(bigButton(text.T(text.StartAgain), k.SignOut)),
	))
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
