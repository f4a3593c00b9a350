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
	var lines []string
	var ids []int64
	for _, o := range outcomes {
		lines = append(lines, k.outcomeLines(o)...)
		ids = append(ids, o.RequestID)
	}
	var parts []fyne.CanvasObject
	for _, l := range lines {
		parts = append(parts, para(l))
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

// outcomeLines words one request's outcome, approved items first.
func (k *Kiosk) outcomeLines(o replica.RequestOutcome) []string {
	var approved []string
	var lines []string
	for _, it := range o.Items {
		name := strings.TrimSpace(it.Name + " " + it.Strength)
		if it.Approved {
			approved = append(approved, name)
			continue
		}
		line := text.T(text.OutcomeNotIssued, name) + " " + text.T(declineSentence(it.ReasonCode))
		if r := strings.TrimSpace(it.Reason); r != "" {
			line += " " + text.T(text.OutcomePracticeSays, r)
		}
		lines = append(lines, line)
	}
	if len(approved) > 0 {
		names := strings.Join(approved, ", ")
		var first string
		switch o.HandedOut {
		case gpsync.HandedOutPharmacy:
			first = text.T(text.OutcomePharmacy, names)
		case gpsync.HandedOutCollected:
			first = text.T(text.OutcomeCollected, names)
		default:
			first = text.T(text.OutcomeReady, k.day(o.ReadyBy.At(12, 0, k.cfg.Location)), names)
		}
		lines = append([]string{first}, lines...)
	}
	return lines
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
