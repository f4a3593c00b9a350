package kiosk

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

// CheckInService checks a patient in at the practice server. Arrival is
// only true when it happens, so it is never queued: without the server the
// kiosk sends the patient to reception.
type CheckInService interface {
	CheckIn(ctx context.Context, req gpsync.CheckInRequest) (gpsync.CheckInResponse, error)
}

// resultShownFor is how long a check-in result stays before the welcome
// screen returns, so the next person never sees it.
const resultShownFor = 20 * time.Second

func (k *Kiosk) showCheckIn() {
	dob := widgets.NewDateOfBirthEntry()
	dob.OnComplete = func(d store.Date) { k.checkInSex(d) }
	k.show(container.NewBorder(
		container.NewVBox(heading(text.T(text.CheckInDOBTitle)), para(text.T(text.DOBHint))),
		sized(widget.NewButton(text.T(text.Back), k.showWelcome)), nil, nil,
		container.NewCenter(dob)))
	k.focus(dob)
}

func (k *Kiosk) checkInSex(d store.Date) {
	choose := func(s store.Sex) func() { return func() { k.checkInInitial(d, s) } }
	k.show(centred(
		heading(text.T(text.CheckInSexTitle)),
		sized(bigButton(text.T(text.CheckInFemale), choose(store.SexFemale))),
		sized(bigButton(text.T(text.CheckInMale), choose(store.SexMale))),
		sized(bigButton(text.T(text.CheckInOther), choose(store.SexOther))),
		sized(widget.NewButton(text.T(text.Back), k.showWelcome)),
	))
}

func (k *Kiosk) checkInInitial(d store.Date, sex store.Sex) {
	pad := widgets.NewKeypad(widgets.KeypadLetters)
	pad.OnKey = func(r rune) { k.checkIn(d, sex, string(r)) }
	k.show(container.NewBorder(
		container.NewVBox(heading(text.T(text.CheckInInitialTitle)), para(text.T(text.CheckInInitialHint))),
		sized(widget.NewButton(text.T(text.Back), k.showWelcome)), nil, nil,
		container.NewCenter(pad)))
}

func (k *Kiosk) checkIn(d store.Date, sex store.Sex, initial string) {
	k.showCheckInResult(k.checkInAt(gpsync.CheckInRequest{DateOfBirth: d.String(), Sex: string(sex), SurnameInitial: initial}))
}

// checkInWithSlip checks in the appointment whose slip was scanned. Any
// patient signed in here is signed out first: the result is about the
// slip, and must not sit on top of someone else's screens.
func (k *Kiosk) checkInWithSlip(code string) {
	k.mu.Lock()
	k.session = nil
	k.mu.Unlock()
	k.previousScreen = nil
	k.showCheckInResult(k.checkInAt(gpsync.CheckInRequest{Code: code}))
}

func (k *Kiosk) showCheckInResult(res gpsync.CheckInResponse, err error) {
	title, message := text.T(text.Sorry), ""
	switch {
	case err != nil:
		k.cfg.Log.Warn("check-in could not reach the practice server", "err", err)
		message = text.T(text.NotCheckedIn)
	case !res.CheckedIn:
		message = res.Message
	default:
		title = text.T(text.CheckedIn)
		message = text.T(text.CheckedInDetails, res.StartsAt.In(k.cfg.Location).Format("15:04"), res.Clinician)
	}
	k.show(centred(heading(title), para(message), sized(bigButton(text.T(text.Done), k.showWelcome))))
	k.mu.Lock()
	gen := k.gen
	k.mu.Unlock()
	time.AfterFunc(resultShownFor, func() {
		k.cfg.Do(func() {
			if k.current(gen) {
				k.showWelcome()
			}
		})
	})
}

func (k *Kiosk) checkInAt(req gpsync.CheckInRequest) (gpsync.CheckInResponse, error) {
	if k.cfg.CheckIn == nil {
		return gpsync.CheckInResponse{}, fmt.Errorf("kiosk check-in: no practice server")
	}
	ctx, cancel := context.WithTimeout(k.ctx, 10*time.Second)
	defer cancel()
	return k.cfg.CheckIn.CheckIn(ctx, req)
}
