package server

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// FeedStore is what the change feed needs from the practice's database:
// the rows a device may see, already scoped by the store's rules.
type FeedStore interface {
	Feed(ctx context.Context, dev store.Device, req store.FeedRequest) (store.FeedPage, error)
}

// ChangesPage is one page of GET /v1/changes in wire form, for a device
// that takes no snapshots (FeedPage).
func ChangesPage(ctx context.Context, st FeedStore, dev store.Device, after int64, limit int) (gpsync.ChangesResponse, error) {
	return FeedPage(ctx, st, dev, store.FeedRequest{After: after, Limit: limit})
}

// FeedPage is one page of GET /v1/changes in wire form. What the device
// may see is the store's to decide; this only encodes it, so the practice
// server and the pretend practice send the same bytes.
func FeedPage(ctx context.Context, st FeedStore, dev store.Device, req store.FeedRequest) (gpsync.ChangesResponse, error) {
	req.Limit = min(req.Limit, gpsync.MaxPageSize)
	page, err := st.Feed(ctx, dev, req)
	if err != nil {
		return gpsync.ChangesResponse{}, fmt.Errorf("server.FeedPage: %w", err)
	}
	out := gpsync.ChangesResponse{Changes: make([]gpsync.Change, 0, len(page.Changes)), Cursor: page.Cursor, More: page.More,
		Snapshot: page.Snapshot}
	for _, c := range page.Changes {
		w := gpsync.Change{Seq: c.Seq, Entity: c.Entity, ID: c.ID}
		if c.State == nil {
			w.Deleted = true
		} else if w.Data, err = wireData(c.State); err != nil {
			return gpsync.ChangesResponse{}, fmt.Errorf("server.FeedPage: %s %d: %w", c.Entity, c.ID, err)
		}
		out.Changes = append(out.Changes, w)
	}
	return out, nil
}

// wireData is a row's state as the JSON of its gpsync Data type.
func wireData(state any) (json.RawMessage, error) {
	var data any
	switch s := state.(type) {
	case store.FeedSettings:
		data = gpsync.SettingsData{BookingWindowDays: s.BookingWindowDays, MinNoticeMinutes: s.MinNoticeMinutes,
			MaxHeldAppointments: s.MaxHeldAppointments, MaxHeldUnverified: s.MaxHeldUnverified, MinAgeYears: s.MinAgeYears,
			CancelCutoffMinutes: s.CancelCutoffMinutes, DNASuspendCount: s.DNASuspendCount, DNALookbackDays: s.DNALookbackDays,
			CheckInBeforeMinutes: s.CheckInBeforeMinutes, CheckInAfterMinutes: s.CheckInAfterMinutes,
			RepeatProcessingDays: s.RepeatProcessingDays, RepeatNoteMaxChars: s.RepeatNoteMaxChars,
			CliniciansHandleAlerts: s.CliniciansHandleAlerts, KioskExitPIN: s.KioskExitPIN,
			DailyReleaseMinutes: s.DailyReleaseMinutes, KioskIdleSeconds: s.KioskIdleSeconds,
			KioskIdleWarningSeconds: s.KioskIdleWarningSeconds, StaffIdleMinutes: s.StaffIdleMinutes, ReadAloudDefault: s.ReadAloudDefault}
	case store.Clinician:
		data = gpsync.ClinicianData{DisplayName: s.DisplayName, Role: string(s.Role), OnlineBookable: s.OnlineBookable}
	case store.SlotType:
		data = gpsync.SlotTypeData{Name: s.Name, Minutes: s.Minutes, ClinicianRole: string(s.ClinicianRole), OnlineBookable: s.OnlineBookable,
			Urgent: s.Urgent, ForSex: string(s.Eligibility.Sex), MinAgeYears: s.Eligibility.MinAge, MaxAgeYears: s.Eligibility.MaxAge}
	case store.FeedSlot:
		data = gpsync.SlotData{ClinicianID: s.ClinicianID, SlotTypeID: s.SlotTypeID, StartsAt: s.StartsAt, EndsAt: s.EndsAt,
			OnlineBookable: s.OnlineBookable, ReceptionOnly: s.ReceptionOnly, ReleaseAt: instant(s.ReleaseAt), Taken: s.Taken,
			LeasedTo: s.LeasedTo, LeaseEndsAt: instant(s.LeaseEndsAt)}
	case store.FeedPatient:
		d := gpsync.PatientData{GivenName: s.GivenName, NotEligibleSlotTypes: s.NotEligibleSlotTypes, IdentityVerified: s.IdentityVerified,
			OnlineOrderingUnsuitable: s.OnlineOrderingUnsuitable, OnlineBookingSuspended: s.OnlineBookingSuspended,
			NHSNumber: string(s.NHSNumber), FamilyName: s.FamilyName, Sex: string(s.Sex), DateOfBirth: s.DateOfBirth, Address: s.Address,
			Postcode: s.Postcode, Phone: s.Phone}
		if len(s.KioskLetters) > 0 {
			d.KioskLetters = make([]gpsync.KioskLetter, len(s.KioskLetters))
			for i, l := range s.KioskLetters {
				d.KioskLetters[i] = gpsync.KioskLetter{Verifier: l.Verifier, Revoked: l.Revoked, ActingFor: l.ActingFor,
					NoAppointments: l.NoAppointments, NoPrescriptions: l.NoPrescriptions}
			}
		}
		data = d
	case store.FeedAppointment:
		data = gpsync.AppointmentData{SlotID: s.SlotID, PatientID: s.PatientID, Channel: string(s.Channel), Status: s.Status,
			BookedAt: s.BookedAt, StatusChangedAt: instant(s.StatusChangedAt)}
	case store.FeedRepeatItem:
		d := gpsync.RepeatItemData{PatientID: s.PatientID, Name: s.Name, Strength: s.Strength, Form: s.Form, Dosage: s.Dosage,
			Active: s.Active, Outstanding: s.Outstanding, LastIssuedAt: instant(s.LastIssuedAt)}
		if !s.ReviewDue.IsZero() {
			d.ReviewDue = s.ReviewDue.String()
		}
		data = d
	case store.FeedRepeatRequest:
		// Items is always a list on the wire, empty rather than null.
		items := make([]gpsync.RepeatRequestItemData, len(s.Items))
		for i, it := range s.Items {
			items[i] = gpsync.RepeatRequestItemData{RepeatItemID: it.RepeatItemID, Decision: it.Decision, ReasonCode: it.ReasonCode,
				Reason: it.Reason, DecidedBy: it.DecidedBy, DecidedAt: instant(it.DecidedAt)}
		}
		data = gpsync.RepeatRequestData{PatientID: s.PatientID, Status: s.Status, ReadyBy: s.ReadyBy, Items: items, HandedOut: s.HandedOut,
			OutcomeSeen: s.OutcomeSeen, RequestedAt: instant(s.RequestedAt), Channel: string(s.Channel), Note: s.Note,
			HandedOutAt: instant(s.HandedOutAt)}
	case store.FeedStaff:
		data = gpsync.StaffData{Username: s.Username, DisplayName: s.DisplayName, Role: s.Role, SignInCheck: s.SignInCheck, Active: s.Active}
	case store.FeedRegistration:
		data = gpsync.RegistrationData{PatientID: s.PatientID, ProxyID: s.ProxyID, AccountID: s.AccountID,
			VerificationMethod: s.VerificationMethod, VerifiedByStaffID: s.VerifiedByStaffID, VerifiedAt: s.VerifiedAt,
			ServiceAppointments: s.ServiceAppointments, ServicePrescriptions: s.ServicePrescriptions, RecordAccess: s.RecordAccess,
			KioskEnabled: s.KioskEnabled, LetterIssuedAt: instant(s.LetterIssuedAt), LetterExpiresAt: instant(s.LetterExpiresAt),
			Revoked: s.Revoked}
	case store.FeedProxy:
		data = gpsync.ProxyData{PatientID: s.PatientID, ProxyPatientID: s.ProxyPatientID, ProxyName: s.ProxyName,
			ProxyDateOfBirth: s.ProxyDateOfBirth, Relationship: s.Relationship, LegalBasis: s.LegalBasis,
			ServiceAppointments: s.ServiceAppointments, ServicePrescriptions: s.ServicePrescriptions, ServiceRecord: s.ServiceRecord,
			ProxyVerification: s.ProxyVerification, VerifiedByStaffID: s.VerifiedByStaffID, CreatedAt: s.CreatedAt, Ended: s.Ended}
	case store.FeedAlert:
		data = gpsync.AlertData{DeviceID: s.DeviceID, DeviceName: s.DeviceName, Reporter: s.Reporter, Category: s.Category, Text: s.Text,
			RaisedAt: s.RaisedAt, Status: s.Status, HandledBy: s.HandledBy, HandledAt: instant(s.HandledAt)}
	default:
		return nil, fmt.Errorf("no wire form for %T", state)
	}
	return json.Marshal(data)
}

// instant is a time for an optional wire field: the zero time is absent.
func instant(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
