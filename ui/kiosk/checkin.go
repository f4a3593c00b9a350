package kiosk

import (
	"context"
	"fmt"
	"time"

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

func (k *Kiosk) showCheckIn() {
	dob := widgets.NewDateOfBirthEntry()
	dob.OnComplete = func(d store.Date) { k.checkInSex(d) }
	dob.OnChange = k.touch
	k.show(widgets.NewPage(
		objs(heading(text.M(text.CheckInDOBTitle)), para(text.M(text.DOBHint))),
		dob,
		objs(widgets.NewButtonOf(text.M(text.Back), k.showWelcome))))
	k.focus(dob)
}

func (k *Kiosk) checkInSex(d store.Date) {
	choose := func(s store.Sex) func() { return func() { k.checkInInitial(d, s) } }
	k.show(widgets.NewPage(
		objs(heading(text.M(text.CheckInSexTitle))),
		widgets.NewList(
			widgets.NewPrimaryButtonOf(text.M(text.CheckInFemale), choose(store.SexFemale)),
			widgets.NewPrimaryButtonOf(text.M(text.CheckInMale), choose(store.SexMale)),
			widgets.NewPrimaryButtonOf(text.M(text.CheckInOther), choose(store.SexOther)),
		),
		objs(widgets.NewButtonOf(text.M(text.Back), k.showWelcome))))
}

func (k *Kiosk) checkInInitial(d store.Date, sex store.Sex) {
	pad := widgets.NewKeypad(widgets.KeypadLetters)
	pad.OnKey = func(r rune) { k.checkIn(d, sex, string(r)) }
	k.show(widgets.NewPage(
		objs(heading(text.M(text.CheckInInitialTitle)), para(text.M(text.CheckInInitialHint))),
		pad,
		objs(widgets.NewButtonOf(text.M(text.Back), k.showWelcome))))
}

func (k *Kiosk) checkIn(d store.Date, sex store.Sex, initial string) {
	k.showCheckInResult(k.checkInAt(gpsync.CheckInRequest{DateOfBirth: d.String(), Sex: string(sex), SurnameInitial: initial}))
}

// checkInWithSlip checks in the appointment whose slip was scanned. Any
// patient signed in here is signed out first: the result is about the
// slip, and must not sit on top of someone else's screens.
func (k *Kiosk) checkInWithSlip(code string) {
	k.forgetPatient()
	k.previousScreen = nil
	k.showCheckInResult(k.checkInAt(gpsync.CheckInRequest{Code: code}))
}

func (k *Kiosk) showCheckInResult(res gpsync.CheckInResponse, err error) {
	var title, message text.Message = text.M(text.Sorry), nil
	switch {
	case err != nil:
		k.cfg.Log.Warn("check-in could not reach the practice server", "err", err)
		message = text.M(text.NotCheckedIn)
	case !res.CheckedIn:
		message = text.Refusal(res.Code, res.Args, res.Message)
	case res.StartsAt.IsZero() || res.Clinician == "":
		// Checked in by date of birth: the server names no time or
		// clinician, since anyone knowing those details could be asking.
		title = k.outcome(text.M(text.CheckedIn))
		message = text.M(text.CheckedInTakeSeat)
	default: // a slip, which the patient holds, may say when and with whom
		title = k.outcome(text.M(text.CheckedIn))
		message = text.M(text.CheckedInDetails, res.StartsAt.In(k.cfg.Location).Format("15:04"), res.Clinician)
	}
	k.showThenWelcome(title, message)
}

func (k *Kiosk) checkInAt(req gpsync.CheckInRequest) (gpsync.CheckInResponse, error) {
	if k.cfg.CheckIn == nil {
		return gpsync.CheckInResponse{}, fmt.Errorf("kiosk check-in: no practice server")
	}
	ctx, cancel := context.WithTimeout(k.ctx, 10*time.Second)
	defer cancel()
	return k.cfg.CheckIn.CheckIn(ctx, req)
}
