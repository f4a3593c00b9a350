package manager

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/text"
)

// ShowStaff lists the practice's staff accounts.
func (s *Screens) ShowStaff() { s.showStaff("") }

type roleKey struct {
	role string
	key  text.Key
}

// roleKeys are the roles in the order the choice shows them.
func roleKeys() []roleKey {
	return []roleKey{
		{store.StaffReceptionist, text.StaffRoleReceptionist},
		{store.StaffClinician, text.StaffRoleClinician},
		{store.StaffManager, text.StaffRoleManager},
	}
}

func roleName(role string) string {
	for _, r := range roleKeys() {
		if r.role == role {
			return text.T(r.key)
		}
	}
	return role
}

// roleChoice is a choice of role, with role chosen ("" none).
func roleChoice(role string) (*widget.RadioGroup, func() string) {
	var names []string
	for _, r := range roleKeys() {
		names = append(names, text.T(r.key))
	}
	g := widget.NewRadioGroup(names, nil)
	g.Horizontal = true
	if role != "" {
		g.SetSelected(roleName(role))
	}
	return g, func() string {
		for _, r := range roleKeys() {
			if text.T(r.key) == g.Selected {
				return r.role
			}
		}
		return ""
	}
}

func (s *Screens) accountLine(a gpsync.StaffAccount) string {
	parts := []string{text.T(text.ManageUsername, a.Username), roleName(a.Role)}
	if a.Active {
		parts = append(parts, text.T(text.ManageActive))
	} else {
		parts = append(parts, text.T(text.ManageDisabled))
	}
	if a.HasPassword {
		parts = append(parts, text.T(text.ManagePasswordSet))
	} else {
		parts = append(parts, text.T(text.ManageNoPassword))
	}
	return strings.Join(parts, " · ")
}

func (s *Screens) showStaff(done string) {
	sc := s.open(text.ManageStaffTitle)
	s.async(func() func() {
		as, f, err := s.cfg.Service.Staff(s.ctx)
		return func() {
			body := []fyne.CanvasObject{heading(text.T(text.ManageStaffTitle))}
			if err != nil {
				sc.set(append(body, message(s.plain(err), widget.DangerImportance)), nil)
				return
			}
			if l := s.stale(f); l != nil {
				body = append(body, l)
			}
			var changes []*button
			for _, a := range as {
				line := para(s.accountLine(a))
				if !a.Active {
					line.Importance = widget.LowImportance
				} else if !a.HasPassword {
					line.Importance = widget.WarningImportance
				}
				body = append(body, widget.NewSeparator(), bold(a.DisplayName), line)
				var onOff *button
				if a.Active {
					onOff = newButton(text.T(text.ManageDisable), func() { s.disableStaff(a) })
				} else {
					onOff = newButton(text.T(text.ManageEnable), func() { s.enableStaff(a, onOff) })
				}
				reset := newButton(text.T(text.ManageResetPassword), func() { s.resetPassword(a) })
				role := newButton(text.T(text.ManageChangeRole), func() { s.changeRole(a) })
				changes = append(changes, onOff, reset, role)
				body = append(body, container.NewHBox(onOff, reset, role))
			}
			add := newButton(text.T(text.ManageAddStaff), s.addStaff)
			add.Importance = widget.HighImportance
			changes = append(changes, add)
			enable(f.Live, changes...)
			sc.set(body, []fyne.CanvasObject{message(done, widget.SuccessImportance), container.NewHBox(add)})
		}
	})
}

// change sends c and returns to the list saying done, or shows the
// refusal in msg.
func (s *Screens) change(username string, c gpsync.StaffChange, done string, msg *widget.Label, busy ...*button) {
	enable(false, busy...)
	say(msg, text.T(text.ManageSending), widget.MediumImportance)
	s.async(func() func() {
		err := s.cfg.Service.ChangeStaff(s.ctx, username, c)
		return func() {
			enable(true, busy...)
			if err != nil {
				say(msg, s.plain(err), widget.DangerImportance)
				s.cfg.Frame.Relayout()
				return
			}
			s.showStaff(done)
		}
	})
}

func (s *Screens) disableStaff(a gpsync.StaffAccount) {
	off := false
	s.ask(text.T(text.ManageDisableTitle, a.DisplayName), text.T(text.ManageDisableAsk, a.DisplayName), text.T(text.ManageDisableYes, a.DisplayName),
		func() error { return s.cfg.Service.ChangeStaff(s.ctx, a.Username, gpsync.StaffChange{Active: &off}) },
		func() { s.showStaff(text.T(text.ManageDisabledDone, a.DisplayName)) },
		text.T(text.ManageNoGoBack), func() { s.showStaff("") })
}

// enableStaff needs no question: it gives back what was taken away.
func (s *Screens) enableStaff(a gpsync.StaffAccount, b *button) {
	on := true
	msg := message("", widget.DangerImportance)
	b.Disable()
	s.async(func() func() {
		err := s.cfg.Service.ChangeStaff(s.ctx, a.Username, gpsync.StaffChange{Active: &on})
		return func() {
			b.Enable()
			if err != nil {
				say(msg, s.plain(err), widget.DangerImportance)
				s.cfg.Frame.Show(container.NewVBox(heading(text.T(text.ManageStaffTitle)), msg), newButton(text.T(text.ManageBack), func() { s.showStaff("") }))
				return
			}
			s.showStaff(text.T(text.ManageEnabledDone, a.DisplayName))
		}
	})
}

// passwordPair is a new password typed twice; check says why it will not
// do, or "".
func passwordPair() (fyne.CanvasObject, func() (string, string), *widget.Entry) {
	pw, again := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	pw.SetPlaceHolder(text.T(text.ManagePasswordNew))
	again.SetPlaceHolder(text.T(text.ManagePasswordAgain))
	check := func() (string, string) {
		switch {
		case pw.Text == "":
			return "", text.T(text.ManagePasswordNeeded)
		case pw.Text != again.Text:
			return "", text.T(text.ManagePasswordsDiffer)
		}
		return pw.Text, ""
	}
	return container.NewVBox(bold(text.T(text.ManagePasswordNew)), pw, bold(text.T(text.ManagePasswordAgain)), again), check, pw
}

func (s *Screens) addStaff() {
	user, name := widget.NewEntry(), widget.NewEntry()
	user.SetPlaceHolder(text.T(text.ManageUsernameHint))
	name.SetPlaceHolder(text.T(text.ManageFullNameHint))
	role, chosen := roleChoice("")
	pw, check, _ := passwordPair()
	msg := message("", widget.DangerImportance)
	var add, back *button
	add = newButton(text.T(text.ManageAddStaffYes), func() {
		s.cfg.Frame.Touch()
		password, why := check()
		switch {
		case strings.TrimSpace(user.Text) == "":
			why = text.T(text.ManageUsernameNeeded)
		case strings.TrimSpace(name.Text) == "":
			why = text.T(text.ManageNameNeeded)
		case chosen() == "":
			why = text.T(text.ManageRoleNeeded)
		}
		if why != "" {
			say(msg, why, widget.DangerImportance)
			s.cfg.Frame.Relayout()
			return
		}
		r := gpsync.NewStaffRequest{Username: strings.TrimSpace(user.Text), DisplayName: strings.TrimSpace(name.Text), Role: chosen(), Password: password}
		enable(false, add, back)
		say(msg, text.T(text.ManageSending), widget.MediumImportance)
		s.async(func() func() {
			err := s.cfg.Service.AddStaff(s.ctx, r)
			return func() {
				enable(true, add, back)
				if err != nil {
					say(msg, s.plain(err), widget.DangerImportance)
					s.cfg.Frame.Relayout()
					return
				}
				s.showStaff(text.T(text.ManageAdded, r.DisplayName))
			}
		})
	})
	add.Importance = widget.HighImportance
	back = newButton(text.T(text.ManageBack), func() { s.showStaff("") })
	s.cfg.Frame.Show(container.NewVBox(heading(text.T(text.ManageAddStaff)),
		container.NewGridWithColumns(2,
			container.NewVBox(bold(text.T(text.ManageUsernameLabel)), user),
			container.NewVBox(bold(text.T(text.ManageFullName)), name)),
		bold(text.T(text.ManageRole)), role, pw),
		container.NewVBox(msg, container.NewHBox(add, back)))
	s.cfg.Frame.Focus(user)
}

func (s *Screens) resetPassword(a gpsync.StaffAccount) {
	pw, check, first := passwordPair()
	msg := message("", widget.DangerImportance)
	var save, back *button
	save = newButton(text.T(text.ManageResetYes), func() {
		s.cfg.Frame.Touch()
		password, why := check()
		if why != "" {
			say(msg, why, widget.DangerImportance)
			s.cfg.Frame.Relayout()
			return
		}
		s.change(a.Username, gpsync.StaffChange{Password: &password}, text.T(text.ManageResetDone, a.DisplayName), msg, save, back)
	})
	save.Importance = widget.HighImportance
	back = newButton(text.T(text.ManageBack), func() { s.showStaff("") })
	s.cfg.Frame.Show(container.NewVBox(heading(text.T(text.ManageResetTitle, a.DisplayName)), para(text.T(text.ManageResetHelp)), pw),
		container.NewVBox(msg, container.NewHBox(save, back)))
	s.cfg.Frame.Focus(first)
}

func (s *Screens) changeRole(a gpsync.StaffAccount) {
	role, chosen := roleChoice(a.Role)
	msg := message("", widget.DangerImportance)
	next := newButton(text.T(text.ManageNext), func() {
		r := chosen()
		if r == "" || r == a.Role {
			say(msg, text.T(text.ManageRoleSame, a.DisplayName, roleName(a.Role)), widget.DangerImportance)
			s.cfg.Frame.Relayout()
			return
		}
		s.ask(text.T(text.ManageRoleTitle, a.DisplayName), text.T(text.ManageRoleAsk, a.DisplayName, roleName(a.Role), roleName(r)), text.T(text.ManageRoleYes),
			func() error { return s.cfg.Service.ChangeStaff(s.ctx, a.Username, gpsync.StaffChange{Role: &r}) },
			func() { s.showStaff(text.T(text.ManageRoleDone, a.DisplayName, roleName(r))) },
			text.T(text.ManageNoGoBack), func() { s.showStaff("") })
	})
	next.Importance = widget.HighImportance
	back := newButton(text.T(text.ManageBack), func() { s.showStaff("") })
	s.cfg.Frame.Show(container.NewVBox(heading(text.T(text.ManageRoleTitle, a.DisplayName)), role),
		container.NewVBox(msg, container.NewHBox(next, back)))
}
