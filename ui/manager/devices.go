package manager

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/skip2/go-qrcode"

	gpsync "gpkiosk/sync"
	"gpkiosk/ui/text"
)

// ShowDevices lists the practice's kiosks and desktops.
func (s *Screens) ShowDevices() { s.showDevices("") }

func roleWord(role string) string {
	if role == gpsync.RoleKiosk {
		return text.T(text.ManageKiosk)
	}
	return text.T(text.ManageDesktop)
}

// deviceLine says in words what a device is doing.
func (s *Screens) deviceLine(d gpsync.DeviceInfo) string {
	parts := []string{roleWord(d.Role)}
	if d.ID == s.cfg.ThisDevice {
		parts[0] = text.T(text.ManageThisDesktop)
	}
	if d.RevokedAt != nil {
		parts = append(parts, text.T(text.ManageRevokedOn, s.when(*d.RevokedAt)))
		return strings.Join(parts, " · ")
	}
	if d.LastSeenAt != nil {
		parts = append(parts, text.T(text.ManageLastSeen, s.ago(*d.LastSeenAt)))
	} else {
		parts = append(parts, text.T(text.ManageNeverSeen))
	}
	if d.AppVersion != "" {
		parts = append(parts, text.T(text.ManageVersion, d.AppVersion))
	}
	switch d.OutboxWaiting {
	case 0:
		parts = append(parts, text.T(text.ManageNothingWaiting))
	case 1:
		parts = append(parts, text.T(text.ManageOneWaiting))
	default:
		parts = append(parts, text.T(text.ManageWaiting, strconv.Itoa(d.OutboxWaiting)))
	}
	if d.Role == gpsync.RoleKiosk || d.LeasesHeld > 0 {
		parts = append(parts, text.T(text.ManageLeasesHeld, strconv.Itoa(d.LeasesHeld)))
	}
	return strings.Join(parts, " · ")
}

func (s *Screens) showDevices(done string) {
	sc := s.open(text.ManageDevicesTitle)
	s.async(func() func() {
		ds, f, err := s.cfg.Service.Devices(s.ctx)
		return func() {
			body := []fyne.CanvasObject{heading(text.T(text.ManageDevicesTitle))}
			if err != nil {
				sc.set(append(body, message(s.plain(err), widget.DangerImportance)), nil)
				return
			}
			if l := s.stale(f); l != nil {
				body = append(body, l)
			}
			if len(ds) == 0 {
				body = append(body, para(text.T(text.ManageNoDevices)))
			}
			var changes []*button
			for _, d := range ds {
				body = append(body, widget.NewSeparator(), bold(d.Name))
				line := para(s.deviceLine(d))
				if d.RevokedAt != nil {
					line.Importance = widget.LowImportance
				} else if d.OutboxWaiting > 0 {
					line.Importance = widget.WarningImportance
				}
				body = append(body, line)
				if d.RevokedAt != nil {
					continue
				}
				rename := newButton(text.T(text.ManageRename, d.Name), func() { s.renameDevice(d) })
				changes = append(changes, rename)
				row := container.NewHBox(rename)
				// The server refuses revoking the desktop in use, so it is
				// not offered.
				if d.ID != s.cfg.ThisDevice {
					revoke := newButton(text.T(text.ManageRevoke, d.Name), func() { s.revokeDevice(d) })
					changes = append(changes, revoke)
					row.Add(revoke)
				}
				body = append(body, row)
			}
			add := newButton(text.T(text.ManageAddDevice), s.addDevice)
			add.Importance = widget.HighImportance
			changes = append(changes, add)
			enable(f.Live, changes...)
			sc.set(body, []fyne.CanvasObject{message(done, widget.SuccessImportance), container.NewHBox(add)})
		}
	})
}

// addDevice asks what kind of device and what to call it, then shows its
// set-up code.
func (s *Screens) addDevice() {
	kinds := map[string]string{text.T(text.ManageKioskForPatients): gpsync.RoleKiosk, text.T(text.ManageDesktopForStaff): gpsync.RoleDesktop}
	kind := widget.NewRadioGroup([]string{text.T(text.ManageKioskForPatients), text.T(text.ManageDesktopForStaff)}, nil)
	name := widget.NewEntry()
	name.SetPlaceHolder(text.T(text.ManageDeviceNameHint))
	msg := message("", widget.DangerImportance)
	var makeCode *button
	makeCode = newButton(text.T(text.ManageMakeCode), func() {
		s.cfg.Frame.Touch()
		role, ok := kinds[kind.Selected]
		n := strings.TrimSpace(name.Text)
		switch {
		case !ok:
			say(msg, text.T(text.ManageChooseKind), widget.DangerImportance)
		case n == "":
			say(msg, text.T(text.ManageNameDevice), widget.DangerImportance)
		}
		if !ok || n == "" {
			s.cfg.Frame.Relayout()
			return
		}
		makeCode.Disable()
		say(msg, text.T(text.ManageSending), widget.MediumImportance)
		s.async(func() func() {
			r, err := s.cfg.Service.NewEnrolment(s.ctx, role, n)
			return func() {
				makeCode.Enable()
				if err != nil {
					say(msg, s.plain(err), widget.DangerImportance)
					s.cfg.Frame.Relayout()
					return
				}
				s.showCode(n, r)
			}
		})
	})
	makeCode.Importance = widget.HighImportance
	name.OnSubmitted = func(string) { makeCode.OnTapped() }
	back := newButton(text.T(text.ManageBack), func() { s.showDevices("") })
	s.cfg.Frame.Show(container.NewVBox(heading(text.T(text.ManageAddDevice)),
		bold(text.T(text.ManageWhichKind)), kind,
		bold(text.T(text.ManageDeviceName)), name),
		container.NewVBox(msg, container.NewHBox(makeCode, back)))
	s.cfg.Frame.Focus(name)
}

// showCode shows the set-up code in large characters and the QR code the
// new device scans, with when it stops working.
func (s *Screens) showCode(name string, r gpsync.NewEnrolmentResponse) {
	code := widget.NewLabelWithStyle(r.Code, fyne.TextAlignCenter, fyne.TextStyle{Bold: true, Monospace: true})
	code.SizeName = theme.SizeNameHeadingText
	words := container.NewVBox(heading(text.T(text.ManageCodeFor, name)), para(text.T(text.ManageCodeHow)), code)
	exp := para(text.T(text.ManageCodeExpires, r.ExpiresAt.In(s.cfg.Location).Format("15:04"), r.ExpiresAt.In(s.cfg.Location).Format("02/01/2006")))
	exp.Importance = widget.WarningImportance
	words.Add(exp)
	payload := r.Enrolment
	if payload == "" {
		payload = r.Code
	}
	// The QR code sits beside the words, not under them, so the whole of
	// it is on screen for the new device's scanner without scrolling.
	var body fyne.CanvasObject = words
	if qr, err := qrcode.New(payload, qrcode.Medium); err == nil {
		img := canvas.NewImageFromImage(qr.Image(512))
		img.FillMode = canvas.ImageFillContain
		img.ScaleMode = canvas.ImageScalePixels
		side := min(12*theme.TextSize(), 260)
		img.SetMinSize(fyne.NewSize(side, side))
		// Its own white margin keeps it dark on light, as scanners want,
		// in the high-contrast theme too.
		body = container.NewBorder(nil, nil, nil, container.NewVBox(img), words)
	} else {
		s.cfg.Log.Error("manager desk: set-up QR code", "err", err)
	}
	done := newButton(text.T(text.ManageBackToDevices), func() { s.showDevices("") })
	done.Importance = widget.HighImportance
	s.cfg.Frame.Show(body, container.NewHBox(done))
	s.cfg.Frame.Focus(done)
}

func (s *Screens) renameDevice(d gpsync.DeviceInfo) {
	name := widget.NewEntry()
	name.SetText(d.Name)
	msg := message("", widget.DangerImportance)
	next := newButton(text.T(text.ManageNext), func() {
		n := strings.TrimSpace(name.Text)
		if n == "" {
			say(msg, text.T(text.ManageNameDevice), widget.DangerImportance)
			s.cfg.Frame.Relayout()
			return
		}
		s.ask(text.T(text.ManageRenameTitle, d.Name), text.T(text.ManageRenameAsk, d.Name, n), text.T(text.ManageRenameYes),
			func() error { return s.cfg.Service.RenameDevice(s.ctx, d.ID, n) },
			func() { s.showDevices(text.T(text.ManageRenamed, n)) },
			text.T(text.ManageNoGoBack), func() { s.showDevices("") })
	})
	next.Importance = widget.HighImportance
	name.OnSubmitted = func(string) { next.OnTapped() }
	back := newButton(text.T(text.ManageBack), func() { s.showDevices("") })
	s.cfg.Frame.Show(container.NewVBox(heading(text.T(text.ManageRenameTitle, d.Name)), bold(text.T(text.ManageDeviceName)), name),
		container.NewVBox(msg, container.NewHBox(next, back)))
	s.cfg.Frame.Focus(name)
}

func (s *Screens) revokeDevice(d gpsync.DeviceInfo) {
	s.ask(text.T(text.ManageRevokeTitle, d.Name), text.T(text.ManageRevokeAsk, d.Name), text.T(text.ManageRevokeYes, d.Name),
		func() error { return s.cfg.Service.RevokeDevice(s.ctx, d.ID) },
		func() { s.showDevices(text.T(text.ManageRevoked, d.Name)) },
		text.T(text.ManageNoGoBack), func() { s.showDevices("") })
}
