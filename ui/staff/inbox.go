package staff

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/text"
)

// inboxBackend is what the inbox of help requests and problem reports
// needs of the replica.
type inboxBackend interface {
	Alerts(ctx context.Context, staff replica.StaffMember) ([]replica.Alert, error)
	OpenAlertCount(ctx context.Context) (int, error)
	HandleAlert(ctx context.Context, staff replica.StaffMember, entity string, id int64, action string) (string, error)
}

// alertStatus says where a help request or problem report stands.
func alertStatus(a replica.Alert) string {
	var s string
	switch a.Status {
	case gpsync.AlertAcknowledged:
		s = text.T(text.InboxAcked, a.HandledBy)
	case gpsync.AlertResolved:
		s = text.T(text.InboxResolved, a.HandledBy)
	default:
		s = text.T(text.InboxOpen)
	}
	if a.Waiting {
		s = text.T(text.AtTime, s, text.T(text.WaitingToSend))
	}
	return s
}

// alertActions are what can still be done: a new one can be taken on or
// closed; one being dealt with can be closed.
func alertActions(status string) []string {
	switch status {
	case gpsync.AlertOpen:
		return []string{gpsync.AlertAcknowledged, gpsync.AlertResolved}
	case gpsync.AlertAcknowledged:
		return []string{gpsync.AlertResolved}
	}
	return nil
}

// showInbox lists help requests and problem reports from the practice's
// devices, read again after every sync. msg is what was just done.
func (d *Desk) showInbox(msg string) { d.showList(secInbox, msg, d.inboxBody) }

func (d *Desk) inboxBody(staff replica.StaffMember, msg *widget.Label) fyne.CanvasObject {
	box := container.NewVBox(heading(text.T(text.InboxTitle)))
	alerts, err := d.cfg.Backend.Alerts(d.ctx, staff)
	if err != nil {
		box.Add(note(d.plain(err), widget.DangerImportance))
		return box
	}
	if len(alerts) == 0 {
		box.Add(para(text.T(text.InboxNone)))
	}
	for _, a := range alerts {
		what := text.T(text.InboxHelp, a.DeviceName, d.when(a.RaisedAt))
		if a.Entity == gpsync.EntityProblemReport {
			what = text.T(text.InboxProblem, a.DeviceName, d.when(a.RaisedAt), a.Category)
		}
		box.Add(widget.NewSeparator())
		head := widget.NewLabelWithStyle(what, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		head.Wrapping = fyne.TextWrapWord
		box.Add(head)
		var lines []string
		switch a.Reporter {
		case "patient":
			lines = append(lines, text.T(text.InboxFromPatient))
		case "staff":
			lines = append(lines, text.T(text.InboxFromStaff))
		case "system":
			lines = append(lines, text.T(text.InboxFromSystem))
		}
		if t := strings.TrimSpace(a.Text); t != "" {
			lines = append(lines, t)
		}
		if len(lines) > 0 {
			box.Add(para(strings.Join(lines, "\n")))
		}
		status := widget.NewLabel(alertStatus(a))
		if a.Status == gpsync.AlertOpen {
			status.Importance = widget.WarningImportance
		}
		row := container.NewHBox(status)
		for _, action := range alertActions(a.Status) {
			alert, action := a, action
			label := text.T(text.InboxResolve)
			if action == gpsync.AlertAcknowledged {
				label = text.T(text.InboxAck)
			}
			row.Add(newButton(label, func() {
				d.touch()
				if _, err := d.cfg.Backend.HandleAlert(d.ctx, staff, alert.Entity, alert.ID, action); err != nil {
					say(msg, d.plain(err))
					d.relayout()
					return
				}
				d.nudge()
				msg.Importance = widget.SuccessImportance
				msg.SetText(d.savedNote())
				msg.Show()
				// In place, so the list stays where it was scrolled to.
				d.replace(d.inboxBody(staff, msg), msg)
				d.updateNav()
			}))
		}
		box.Add(row)
	}
	return box
}
