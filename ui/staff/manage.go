package staff

import (
	"io"

	"fyne.io/fyne/v2"

	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/manager"
	"gpkiosk/ui/widgets"
)

// ManagerConfig gives the practice manager's screens (ui/manager) what
// they need beyond the desk's own: the server, on behalf of the manager
// signed in, and the uptake report's writers.
type ManagerConfig struct {
	// Service is the practice server for the member of staff signed in
	// (sync/managedesk signs each request with their session).
	Service func(staff replica.StaffMember) manager.Service
	// MonthCSV and ReportPDF write the uptake figures (ui/report); nil
	// hides their buttons.
	MonthCSV  func(w io.Writer, practice, ods string, m gpsync.UptakeMonth) error
	ReportPDF func(r gpsync.UptakeReport) ([]byte, error)
	// Fields are the settings form's fields; nil is manager.DefaultFields.
	Fields []manager.Field
	// ThisDevice is this desktop's device ID.
	ThisDevice string
}

// deskFrame puts the manager's screens in the desk's body and footer.
type deskFrame struct{ d *Desk }

func (f deskFrame) Show(body, footer fyne.CanvasObject) { f.d.showWith(body, footer) }
func (f deskFrame) Relayout()                           { f.d.relayout() }
func (f deskFrame) Touch()                              { f.d.touch() }
func (f deskFrame) Focus(o fyne.Focusable)              { f.d.focus(o) }
func (f deskFrame) ScrollTo(o fyne.CanvasObject)        { widgets.ScrollToShow(f.d.scroll, o) }

// showManage opens one of the manager's sections.
func (d *Desk) showManage(s section) {
	staff, ok := d.signedIn()
	if !ok || d.cfg.Manager == nil {
		d.SignOut("")
		return
	}
	d.setSection(s)
	m := d.cfg.Manager
	screens := manager.New(d.ctx, manager.Config{Service: m.Service(staff), Frame: deskFrame{d}, Clock: d.cfg.Clock,
		Location: d.cfg.Location, Log: d.cfg.Log, Do: d.cfg.Do, SaveDir: d.saveDir(),
		MonthCSV: m.MonthCSV, ReportPDF: m.ReportPDF, Fields: m.Fields, ThisDevice: m.ThisDevice})
	switch s {
	case secSettings:
		screens.ShowSettings()
	case secDevices:
		screens.ShowDevices()
	case secStaffAccounts:
		screens.ShowStaff()
	case secAudit:
		screens.ShowAudit()
	case secUptake:
		screens.ShowUptake()
	}
}
