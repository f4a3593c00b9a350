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
	var lines []string // the same words for the slip
	var ids []int64
	for _, o := range outcomes {
		news = append(news, k.outcomeNews(o)...)
		ids = append(ids, o.RequestID)
	}
	var parts []fyne.CanvasObject
	for i, n := range news {
		if i > 0 {
			parts = append(parts, para("")) // a line's gap between pieces of news
		}
		parts = append(parts, widgets.NewText(n.what, widgets.TextStrong))
		lines = append(lines, n.what)
		if n.detail != "" {
			parts = append(parts, para(n.detail))
			lines = append(lines, n.detail)
		}
	}
	if k.cfg.Printer != nil {
		slip := para("")
		first := ""
		if s, ok := k.signedIn(); ok {
			first = s.patient.GivenName
		}
		parts = append(parts, widgets.NewButton(text.T(text.SlipPrint), func() {
			k.touch()
			slip.SetText(k.print(receipt.Encode(receipt.OutcomeSlip(receipt.Outcome{Practice: k.cfg.PracticeName, FirstName: first, Lines: lines}))))
		}), slip)
	}
	parts = append(parts, widgets.NewPrimaryButton(text.T(text.OutcomeReadIt), func() {
		if err := k.cfg.Backend.MarkOutcomesSeen(k.ctx, patientID, ids); err != nil {
			k.cfg.Log.Error("marking repeat order outcomes seen failed", "err", err)
		}
		k.nudge()
		next()
	}))
	list := widgets.NewList(parts...)
	list.OnPage = k.touch
	k.show(widgets.NewPage(objs(heading(text.T(text.OutcomeTitle))), list, nil))
}

// outcomeNews is one piece of news: what (in bold) and what it means.
type outcomeNews struct{ what, detail string }

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
		n := outcomeNews{what: text.T(text.OutcomeNotIssued, name), detail: text.T(declineSentence(it.ReasonCode))}
		if r := strings.TrimSpace(it.Reason); r != "" {
			n.detail += " " + text.T(text.OutcomePracticeSays, r)
		}
		declined = append(declined, n)
	}
	if len(approved) == 0 {
		return declined
	}
	names := strings.Join(approved, ", ")
	var first outcomeNews
	switch o.HandedOut {
	case gpsync.HandedOutPharmacy:
		first = outcomeNews{what: text.T(text.OutcomePharmacy), detail: names}
	case gpsync.HandedOutCollected:
		first = outcomeNews{what: text.T(text.OutcomeCollected), detail: names}
	default:
		first = outcomeNews{what: text.T(text.OutcomeReady, k.day(o.ReadyBy.At(12, 0, k.cfg.Location))), detail: names}
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
