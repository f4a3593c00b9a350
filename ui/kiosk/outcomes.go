package kiosk

import (
	"strings"

	"fyne.io/fyne/v2"

	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/receipt"
	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

// showOutcomes tells a patient, when they sign in, what the practice
// decided on their repeat orders since they were last here: ready from
// which day, or what was not given, why, and what to do next. It is shown
// until they tap "I have read this"; someone who walks away sees it again
// next time.
func (k *Kiosk) showOutcomes(patientID int64, next func()) {
	outcomes, err := k.cfg.Backend.UnseenOutcomes(k.ctx, patientID)
	if err != nil {
		k.cfg.Log.Error("reading repeat order outcomes failed", "err", err)
	}
	if len(outcomes) == 0 {
		next()
		return
	}
	var news []outcomeNews
	var lines []text.Message // the same words for the slip
	var ids []int64
	for _, o := range outcomes {
		news = append(news, k.outcomeNews(o)...)
		ids = append(ids, o.RequestID)
	}
	var parts []fyne.CanvasObject
	for i, n := range news {
		if i > 0 {
			parts = append(parts, para(text.Literal(""))) // a line's gap between pieces of news
		}
		parts = append(parts, widgets.NewTextOf(n.what, widgets.TextStrong))
		lines = append(lines, n.what)
		if n.detail != nil {
			parts = append(parts, para(n.detail))
			lines = append(lines, n.detail)
		}
	}
	if k.cfg.Printer != nil {
		slip := para(text.Literal(""))
		first := ""
		if s, ok := k.signedIn(); ok {
			first = s.patient.GivenName
		}
		parts = append(parts, widgets.NewButtonOf(text.M(text.SlipPrint), func() {
			k.touch()
			slip.SetMessage(k.print(receipt.Encode(receipt.OutcomeSlip(receipt.Outcome{Practice: k.cfg.PracticeName, FirstName: first, Lines: k.sayAll(lines), Words: k.catalogue()}))))
		}), slip)
	}
	parts = append(parts, widgets.NewPrimaryButtonOf(text.M(text.OutcomeReadIt), func() {
		if err := k.cfg.Backend.MarkOutcomesSeen(k.ctx, patientID, ids); err != nil {
			k.cfg.Log.Error("marking repeat order outcomes seen failed", "err", err)
		}
		k.nudge()
		next()
	}))
	list := widgets.NewList(parts...)
	list.OnPage = k.touch
	k.show(widgets.NewPage(objs(heading(text.M(text.OutcomeTitle))), list, nil))
}

// outcomeNews is one piece of news: what (in bold) and what it means.
type outcomeNews struct{ what, detail text.Message }

// outcomeNews words one request's outcome, approved items first.
func (k *Kiosk) outcomeNews(o replica.RequestOutcome) []outcomeNews {
	var approved []string
	var declined []outcomeNews
	for _, it := range o.Items {
		name := strings.TrimSpace(it.Name + " " + it.Strength)
		if it.Approved {
			approved = append(approved, name)
			continue
		}
		n := outcomeNews{what: text.M(text.OutcomeNotIssued, name), detail: text.M(declineSentence(it.ReasonCode))}
		if r := strings.TrimSpace(it.Reason); r != "" {
			n.detail = text.Join{Parts: []text.Message{n.detail, text.M(text.OutcomePracticeSays, r)}, Sep: " "}
		}
		declined = append(declined, n)
	}
	if len(approved) == 0 {
		return declined
	}
	names := text.Literal(strings.Join(approved, ", "))
	var first outcomeNews
	switch o.HandedOut {
	case gpsync.HandedOutPharmacy:
		first = outcomeNews{what: text.M(text.OutcomePharmacy), detail: names}
	case gpsync.HandedOutCollected:
		first = outcomeNews{what: text.M(text.OutcomeCollected), detail: names}
	default:
		first = outcomeNews{what: text.M(text.OutcomeReady, k.day(o.ReadyBy.At(12, 0, k.cfg.Location))), detail: names}
	}
	return append([]outcomeNews{first}, declined...)
}

// declineSentence says what a decline reason means for the patient and
// what to do next.
func declineSentence(code string) text.Key {
	switch code {
	case gpsync.DeclineNeedsReview:
		return text.OutcomeNeedsReview
	case gpsync.DeclineMedicationChanged:
		return text.OutcomeMedicationChanged
	case gpsync.DeclineTooEarly:
		return text.OutcomeTooEarly
	case gpsync.DeclineNotOnRepeat:
		return text.OutcomeNotOnRepeat
	}
	return text.OutcomeOther
}
