package staff

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/text"
)

// attentionBackend is what the list of refused actions needs of the
// replica.
type attentionBackend interface {
	AttentionForStaff(ctx context.Context, staff replica.StaffMember) ([]replica.AttentionItem, error)
	DismissAttention(ctx context.Context, opID string) error
}

// refusedWhat names the kind of action the server refused, and what to
// do about it.
func refusedWhat(kind string) (what, next string) {
	next = text.T(text.RefusedNextOther)
	switch kind {
	case gpsync.OpDecideRepeats:
		return text.T(text.RefusedDecide), text.T(text.RefusedNextDecide)
	case gpsync.OpHandOutRepeats:
		return text.T(text.RefusedHandOut), next
	case gpsync.OpRecordOutcome:
		return text.T(text.RefusedOutcome), next
	case gpsync.OpHandleAlert:
		return text.T(text.RefusedAlert), next
	case gpsync.OpBook:
		return text.T(text.RefusedBook), text.T(text.RefusedNextBook)
	case gpsync.OpCancelAppointment:
		return text.T(text.RefusedCancel), text.T(text.RefusedNextBook)
	case gpsync.OpRegisterOnline:
		return text.T(text.RefusedRegister), next
	case gpsync.OpLinkProxy:
		return text.T(text.RefusedProxy), next
	}
	return text.T(text.RefusedOp), next
}

// showAttention lists this member of staff's actions the server refused,
// in the server's words, each with what to do and Dismiss.
func (d *Desk) showAttention(msg string) { d.showList(secAttention, msg, d.attentionBody) }

func (d *Desk) attentionBody(staff replica.StaffMember, msg *widget.Label) fyne.CanvasObject {
	box := container.NewVBox(heading(text.T(text.RefusedTitle)))
	items, err := d.cfg.Backend.AttentionForStaff(d.ctx, staff)
	if err != nil {
		box.Add(note(d.plain(err), widget.DangerImportance))
		return box
	}
	if len(items) == 0 {
		box.Add(para(text.T(text.RefusedNone)))
		return box
	}
	box.Add(para(text.T(text.RefusedIntro)))
	for _, it := range items {
		what, next := refusedWhat(it.Kind)
		box.Add(widget.NewSeparator())
		box.Add(widget.NewLabelWithStyle(text.T(text.RefusedLine, what, d.when(it.At)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		said := para(it.Message)
		said.Importance = widget.DangerImportance
		box.Add(said)
		item := it
		dismiss := newButton(text.T(text.RefusedDismiss), func() {
			d.touch()
			if err := d.cfg.Backend.DismissAttention(d.ctx, item.OpID); err != nil {
				say(msg, d.plain(err))
				d.relayout()
				return
			}
			d.replace(d.attentionBody(staff, msg), msg)
			d.updateNav()
		})
		box.Add(container.NewBorder(nil, nil, nil, dismiss, para(next)))
	}
	return box
}
