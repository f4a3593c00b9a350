package kiosk

import (
	"regexp"
	"strings"

	"fyne.io/fyne/v2"

	"gpkiosk/store"
	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

// accountIDPattern is what an account ID may look like: letters, digits
// and hyphens. Anything else from the scanner is not one of our letters.
var accountIDPattern = regexp.MustCompile(`^[A-Z0-9-]{4,40}$`)

// readScan turns a scanned or typed code into an account ID. A letter's
// QR code is a gpkiosk-letter:v1 string (docs/letter-qr.md) carrying the
// practice's ODS code and the account ID; a typed code is the account ID
// itself. ods is "" when the code does not say.
func readScan(code string) (id, ods string, ok bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if rest, isLetter := strings.CutPrefix(code, "GPKIOSK-LETTER:V1?"); isLetter {
		code = ""
		for _, part := range strings.Split(rest, "&") {
			if v, ok := strings.CutPrefix(part, "ACCOUNT="); ok {
				code = v
			}
			if v, ok := strings.CutPrefix(part, "ODS="); ok {
				ods = v
			}
		}
	}
	return code, ods, accountIDPattern.MatchString(code)
}

// grouped shows a typed account ID in fours, as the letter prints it, so
// the patient can compare the two at a glance.
func grouped(id string) string {
	var b strings.Builder
	for i, r := range strings.ReplaceAll(id, "-", "") {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// showSignIn asks for the letter's account ID, then the date of birth, and
// runs next once the patient is signed in.
func (k *Kiosk) showSignIn(next func()) {
	typed := widgets.NewText("", widgets.TextTyped)
	// A refusal takes the place of the instructions, which it repeats, so
	// the keys keep their room on a short screen.
	hint := para(text.M(text.SignInHow))
	message := warning(text.Literal(""))
	message.Hide()
	refuse := func(msg text.Message) {
		message.SetMessage(msg)
		message.Show()
		hint.Hide()
	}
	account := ""
	setAccount := func(s string) {
		account = s
		typed.SetText(grouped(s))
		k.touch()
	}
	pad := widgets.NewKeypad(widgets.KeypadAccountID)
	pad.OnKey = func(r rune) {
		if len(account) < 40 {
			setAccount(account + string(r))
		}
	}
	pad.OnDelete = func() {
		if account != "" {
			setAccount(account[:len(account)-1])
		}
	}
	pad.OnClear = func() { setAccount("") }
	proceed := func(code string) {
		id, ods, ok := readScan(code)
		if !ok {
			refuse(text.M(text.SignInNotOurs))
			return
		}
		if ods != "" && k.cfg.PracticeODS != "" && !strings.EqualFold(ods, k.cfg.PracticeODS) {
			refuse(text.M(text.SignInOtherPractice))
			return
		}
		k.showDateOfBirth(id, next)
	}
	k.show(widgets.NewPage(
		objs(heading(text.M(text.SignInTitle)), hint, message, widgets.NewField(typed)),
		pad,
		objs(widgets.NewRow(widgets.NewButtonOf(text.M(text.Back), k.back), widgets.NewPrimaryButtonOf(text.M(text.Next), func() { proceed(account) })))))
	k.scan = proceed
}

func (k *Kiosk) showDateOfBirth(accountID string, next func()) {
	dob := widgets.NewDateOfBirthEntry()
	dob.OnComplete = func(d store.Date) {
		p, err := k.cfg.Backend.SignIn(k.ctx, accountID, d)
		if err != nil {
			// Under the boxes, where the eye is, and beside the keys on a
			// short screen rather than taking their height.
			dob.Refuse(plain(err))
			k.touch()
			return
		}
		k.mu.Lock()
		k.session = &session{patient: p, dob: d}
		k.mu.Unlock()
		k.showAttention(p.ID, func() { k.showOutcomes(p.ID, next) })
	}
	dob.OnChange = k.touch
	k.show(widgets.NewPage(
		objs(heading(text.M(text.SignInDOBTitle)), para(text.M(text.DOBHint))),
		dob,
		objs(widgets.NewButtonOf(text.M(text.Back), k.showWelcome))))
	k.focus(dob)
}

// showAttention tells a patient, when they sign in, about anything they did
// here that the practice could not accept (a time booked offline that
// someone else got first), before going on to what they came for.
func (k *Kiosk) showAttention(patientID int64, next func()) {
	items, err := k.cfg.Backend.AttentionFor(k.ctx, patientID)
	if err != nil {
		k.cfg.Log.Error("reading items needing attention failed", "err", err)
	}
	if len(items) == 0 {
		next()
		return
	}
	var parts []fyne.CanvasObject
	for _, it := range items {
		parts = append(parts, para(text.Refusal(it.Code, it.Args, it.Message)))
	}
	parts = append(parts, widgets.NewPrimaryButtonOf(text.M(text.AttentionSeenIt), func() {
		for _, it := range items {
			if err := k.cfg.Backend.DismissAttention(k.ctx, it.OpID); err != nil {
				k.cfg.Log.Error("dismissing an item needing attention failed", "err", err)
			}
		}
		next()
	}))
	list := widgets.NewList(parts...)
	list.OnPage = k.touch
	k.show(widgets.NewPage(objs(heading(text.M(text.AttentionTitle))), list, nil))
}
