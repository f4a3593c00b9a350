package manager

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

// thousands writes n as people read it: 12,345.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// saveFile writes data to a file only this user can read (audit entries
// name staff and, by number, patients), or says in a sentence why not.
func (s *Screens) saveFile(path string, data []byte) (said string, ok bool) {
	if err := os.WriteFile(path, data, 0o600); err != nil {
		s.cfg.Log.Warn("manager desk: save failed", "err", err)
		return text.T(text.ManageNotSaved, filepath.Dir(path)), false
	}
	return text.T(text.ManageSavedTo, path), true
}

// saveDir is where files are saved: the desk passes its own choice.
func (s *Screens) saveDir() string {
	if s.cfg.SaveDir != "" {
		return s.cfg.SaveDir
	}
	return "."
}

// auditFilters are the search's fields.
type auditFilters struct {
	nhs, staff, action, from, to *widget.Entry
	device                       *widget.Select
	devices                      map[string]string // ID by the name shown
}

// query reads the filters, or says why one is wrong.
func (a *auditFilters) query() (gpsync.AuditQuery, string) {
	q := gpsync.AuditQuery{StaffUsername: strings.TrimSpace(a.staff.Text), Action: strings.TrimSpace(a.action.Text)}
	if t := strings.TrimSpace(a.nhs.Text); t != "" {
		n, err := store.ParseNHSNumber(t)
		if err != nil {
			if re, ok := store.AsRuleError(err); ok {
				return q, re.Message
			}
			return q, text.T(text.ManageBadNHS)
		}
		q.PatientNHSNumber = string(n)
	}
	q.DeviceID = a.devices[a.device.Selected]
	var from, to store.Date
	for _, d := range []struct {
		e   *widget.Entry
		out *string
		at  *store.Date
	}{{a.from, &q.From, &from}, {a.to, &q.To, &to}} {
		t := strings.TrimSpace(d.e.Text)
		if t == "" {
			continue
		}
		day, ok := widgets.ParseUKDate(t)
		if !ok {
			return q, text.T(text.ManageBadDate, t)
		}
		*d.at = day
		*d.out = fmt.Sprintf("%04d-%02d-%02d", day.Year, day.Month, day.Day)
	}
	if q.From != "" && q.To != "" && q.From > q.To {
		return q, text.T(text.ManageDatesBackwards)
	}
	return q, ""
}

// ShowAudit opens the search of the audit log.
func (s *Screens) ShowAudit() {
	f := &auditFilters{nhs: widget.NewEntry(), staff: widget.NewEntry(), action: widget.NewEntry(), from: widget.NewEntry(), to: widget.NewEntry(),
		devices: map[string]string{}}
	f.nhs.SetPlaceHolder(text.T(text.ManageAuditNHS))
	f.staff.SetPlaceHolder(text.T(text.ManageAuditStaff))
	f.action.SetPlaceHolder(text.T(text.ManageAuditActionHint))
	f.from.SetPlaceHolder(text.T(text.ManageDateHint))
	f.to.SetPlaceHolder(text.T(text.ManageDateHint))
	anyDevice := text.T(text.ManageAnyDevice)
	f.device = widget.NewSelect([]string{anyDevice}, nil)
	f.device.SetSelected(anyDevice)
	names := map[string]string{} // device names by ID, for the table

	stale := container.NewVBox()
	results := container.NewVBox()
	msg := message("", widget.DangerImportance)
	verdict := message("", widget.SuccessImportance)
	var last gpsync.AuditQuery // the search on screen, for Older and the CSV
	var older, search, verify, export *button
	older = newButton(text.T(text.ManageOlder), nil)
	older.Hide()

	cell := func(s string) fyne.CanvasObject { return para(s) }
	var rows *fyne.Container
	show := func(q gpsync.AuditQuery, more bool) {
		s.cfg.Frame.Touch()
		say(msg, text.T(text.ManageLoading), widget.MediumImportance)
		search.Disable()
		s.async(func() func() {
			page, fr, err := s.cfg.Service.Audit(s.ctx, q)
			return func() {
				search.Enable()
				if err != nil {
					say(msg, s.plain(err), widget.DangerImportance)
					s.cfg.Frame.Relayout()
					return
				}
				say(msg, "", widget.MediumImportance)
				stale.RemoveAll()
				if l := s.stale(fr); l != nil {
					stale.Add(l)
				}
				if !more {
					results.RemoveAll()
					rows = container.New(&table{weights: []float32{3, 2.5, 2.5, 3, 3}})
					for _, h := range []text.Key{text.ManageColWhen, text.ManageColWho, text.ManageColDevice, text.ManageColAction, text.ManageColSubject} {
						rows.Add(bold(text.T(h)))
					}
					if len(page.Entries) == 0 {
						results.Add(para(text.T(text.ManageAuditNone)))
					} else {
						results.Add(rows)
					}
				}
				for _, e := range page.Entries {
					device := e.Device
					if n, ok := names[e.Device]; ok {
						device = n
					}
					subject := e.SubjectKind
					if e.SubjectID != 0 {
						subject += " " + strconv.FormatInt(e.SubjectID, 10)
					}
					rows.Add(cell(s.when(e.At)))
					rows.Add(cell(strings.TrimPrefix(e.Actor, "staff:")))
					rows.Add(cell(device))
					rows.Add(cell(e.Action))
					rows.Add(cell(subject))
					last.Before = e.Seq
				}
				if page.More && len(page.Entries) > 0 {
					older.Show()
				} else {
					older.Hide()
				}
				results.Refresh()
				s.cfg.Frame.Relayout()
				if !more {
					// A new search's results come into view at once; the
					// filters are a scroll away above them.
					s.cfg.Frame.ScrollTo(results)
				}
			}
		})
	}
	search = newButton(text.T(text.ManageSearch), func() {
		q, why := f.query()
		if why != "" {
			say(msg, why, widget.DangerImportance)
			s.cfg.Frame.Relayout()
			return
		}
		last = q
		show(q, false)
	})
	search.Importance = widget.HighImportance
	older.OnTapped = func() { show(last, true) }
	for _, e := range []*widget.Entry{f.nhs, f.staff, f.action, f.from, f.to} {
		e.OnSubmitted = func(string) { search.OnTapped() }
	}

	verify = newButton(text.T(text.ManageVerify), func() {
		s.cfg.Frame.Touch()
		verify.Disable()
		say(verdict, text.T(text.ManageChecking), widget.MediumImportance)
		s.async(func() func() {
			r, err := s.cfg.Service.VerifyAudit(s.ctx)
			return func() {
				verify.Enable()
				switch {
				case err != nil:
					say(verdict, s.plain(err), widget.DangerImportance)
				case r.Holds:
					say(verdict, text.T(text.ManageIntact, thousands(int64(r.Checked))), widget.SuccessImportance)
				default:
					say(verdict, text.T(text.ManageAltered, thousands(r.BrokenAt)), widget.DangerImportance)
				}
				s.cfg.Frame.Relayout()
			}
		})
	})
	export = newButton(text.T(text.ManageExportCSV), func() {
		s.cfg.Frame.Touch()
		q, why := f.query()
		if why != "" {
			say(msg, why, widget.DangerImportance)
			s.cfg.Frame.Relayout()
			return
		}
		export.Disable()
		path := filepath.Join(s.saveDir(), "audit-"+s.cfg.Clock().In(s.cfg.Location).Format("2006-01-02-150405")+".csv")
		say(msg, text.T(text.ManageSaving), widget.MediumImportance)
		s.async(func() func() {
			data, err := s.cfg.Service.AuditCSV(s.ctx, q)
			said, ok := s.saveIf(err, path, data)
			return func() {
				export.Enable()
				s.saidSaved(msg, said, ok)
			}
		})
	})

	field := func(label text.Key, o fyne.CanvasObject) fyne.CanvasObject {
		return container.NewVBox(bold(text.T(label)), o)
	}
	body := container.NewVBox(heading(text.T(text.ManageAuditTitle)), stale,
		container.New(&columns{minWidth: 18}, // two rows of three at A, so the fields line up
			field(text.ManageAuditNHS, f.nhs), field(text.ManageAuditStaff, f.staff), field(text.ManageAuditDevice, f.device),
			field(text.ManageAuditAction, f.action), field(text.ManageAuditFrom, f.from), field(text.ManageAuditTo, f.to)),
		results)
	// Search stays in the footer, in view at A++ however long the filters.
	s.cfg.Frame.Show(body, container.NewVBox(msg, verdict, container.NewHBox(search, older, verify, export)))
	s.cfg.Frame.Focus(f.nhs)

	// The device list, so the manager picks a name rather than an ID.
	s.async(func() func() {
		ds, _, err := s.cfg.Service.Devices(s.ctx)
		return func() {
			if err != nil {
				s.cfg.Log.Warn("manager desk: device names for the audit search", "err", err)
				return
			}
			opts := []string{anyDevice}
			for _, d := range ds {
				names[d.ID] = d.Name
				label := d.Name
				if _, dup := f.devices[label]; dup {
					label = d.Name + " (" + d.ID + ")"
				}
				f.devices[label] = d.ID
				opts = append(opts, label)
			}
			f.device.SetOptions(opts)
		}
	})
}
