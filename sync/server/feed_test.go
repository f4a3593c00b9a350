package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// fakeFeed is a FeedStore answering with one page (or an error) and
// remembering the page size it was asked for.
type fakeFeed struct {
	page  store.FeedPage
	err   error
	limit int
}

func (f *fakeFeed) Feed(_ context.Context, _ store.Device, req store.FeedRequest) (store.FeedPage, error) {
	f.limit = req.Limit
	return f.page, f.err
}

// The store names entities, alert statuses and roles in the wire's own
// words, so they pass through unchanged; and the store's own page bound
// never cuts a page the wire allows.
func TestStoreSpeaksTheWiresNames(t *testing.T) {
	for _, p := range [][2]string{
		{store.EntitySettings, gpsync.EntitySettings}, {store.EntityClinician, gpsync.EntityClinician},
		{store.EntitySlotType, gpsync.EntitySlotType}, {store.EntitySlot, gpsync.EntitySlot}, {store.EntityPatient, gpsync.EntityPatient},
		{store.EntityAppointment, gpsync.EntityAppointment}, {store.EntityRepeatItem, gpsync.EntityRepeatItem},
		{store.EntityRepeatRequest, gpsync.EntityRepeatRequest}, {store.EntityStaff, gpsync.EntityStaff},
		{store.EntityRegistration, gpsync.EntityRegistration}, {store.EntityProxy, gpsync.EntityProxy},
		{store.EntityHelpRequest, gpsync.EntityHelpRequest}, {store.EntityProblemReport, gpsync.EntityProblemReport},
		{store.AlertOpen, gpsync.AlertOpen}, {store.AlertAcknowledged, gpsync.AlertAcknowledged}, {store.AlertResolved, gpsync.AlertResolved},
		{store.DeviceKiosk, gpsync.RoleKiosk}, {store.DeviceDesktop, gpsync.RoleDesktop},
	} {
		if p[0] != p[1] {
			t.Errorf("store says %q, the wire %q", p[0], p[1])
		}
	}
	if store.MaxFeedPage < gpsync.MaxPageSize {
		t.Errorf("the store's pages stop at %d, the wire's at %d", store.MaxFeedPage, gpsync.MaxPageSize)
	}
}

// Each domain state becomes its wire Data: absent times are left out, a
// request with no items has an empty list, a kiosk letter carries no
// expiry, and a row gone from view is a deletion without data.
func TestChangesPageWireShape(t *testing.T) {
	at := time.Date(2026, 6, 8, 6, 30, 0, 0, time.UTC)
	f := &fakeFeed{page: store.FeedPage{Cursor: 9, More: true, Changes: []store.FeedChange{
		{Seq: 1, Entity: store.EntityPatient, ID: 4, State: store.FeedPatient{GivenName: "Alice", IdentityVerified: true,
			KioskLetters: []store.KioskLetter{{Verifier: "abc", ActingFor: true, NoPrescriptions: true}}, NotEligibleSlotTypes: []int64{3}}},
		{Seq: 2, Entity: store.EntitySlot, ID: 5, State: store.FeedSlot{ClinicianID: 1, SlotTypeID: 2, StartsAt: at, EndsAt: at.Add(10 * time.Minute),
			OnlineBookable: true}},
		{Seq: 3, Entity: store.EntityRepeatRequest, ID: 6, State: store.FeedRepeatRequest{PatientID: 4, Status: "pending", ReadyBy: "2026-06-10"}},
		{Seq: 4, Entity: store.EntityRepeatItem, ID: 7, State: store.FeedRepeatItem{PatientID: 4, Name: "Amlodipine",
			ReviewDue: store.Date{Year: 2026, Month: time.December, Day: 1}, LastIssuedAt: time.Unix(0, 0).UTC()}},
		{Seq: 5, Entity: store.EntityHelpRequest, ID: 8, State: store.FeedAlert{DeviceID: "dev_1", DeviceName: "waiting room", RaisedAt: at,
			Status: store.AlertAcknowledged, HandledBy: 2, HandledAt: at.Add(time.Minute)}},
		{Seq: 6, Entity: store.EntityAppointment, ID: 9},
	}}}
	page, err := ChangesPage(context.Background(), f, store.Device{Role: store.DeviceKiosk}, 0, 5000)
	if err != nil {
		t.Fatal(err)
	}
	if f.limit != gpsync.MaxPageSize {
		t.Errorf("the store was asked for %d changes, want the wire's most, %d", f.limit, gpsync.MaxPageSize)
	}
	got, err := json.Marshal(page)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"changes":[` +
		`{"seq":1,"entity":"patient","id":4,"data":{"givenName":"Alice","kioskLetters":[{"verifier":"abc","actingFor":true,"noPrescriptions":true}],` +
		`"notEligibleSlotTypes":[3],"identityVerified":true,"onlineOrderingUnsuitable":false,"onlineBookingSuspended":false}},` +
		`{"seq":2,"entity":"slot","id":5,"data":{"clinicianId":1,"slotTypeId":2,"startsAt":"2026-06-08T06:30:00Z","endsAt":"2026-06-08T06:40:00Z",` +
		`"onlineBookable":true,"receptionOnly":false,"taken":false}},` +
		`{"seq":3,"entity":"repeat_request","id":6,"data":{"patientId":4,"status":"pending","readyBy":"2026-06-10","items":[]}},` +
		`{"seq":4,"entity":"repeat_item","id":7,"data":{"patientId":4,"name":"Amlodipine","strength":"","form":"","dosage":"","active":false,` +
		`"reviewDue":"2026-12-01","outstanding":false,"lastIssuedAt":"1970-01-01T00:00:00Z"}},` +
		`{"seq":5,"entity":"help_request","id":8,"data":{"deviceId":"dev_1","deviceName":"waiting room","text":"","raisedAt":"2026-06-08T06:30:00Z",` +
		`"status":"acknowledged","handledByStaffId":2,"handledAt":"2026-06-08T06:31:00Z"}},` +
		`{"seq":6,"entity":"appointment","id":9,"deleted":true}],"cursor":9,"more":true}`
	if string(got) != want {
		t.Fatalf("wire page\n got %s\nwant %s", got, want)
	}

	// An empty page is an empty list, not null.
	f.page = store.FeedPage{Cursor: 9}
	if page, err = ChangesPage(context.Background(), f, store.Device{}, 9, 1); err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(page); string(got) != `{"changes":[],"cursor":9,"more":false}` {
		t.Fatalf("empty page %s", got)
	}
}

// The store's errors reach the handler as themselves, and a state the wire
// has no form for is an error rather than a silent gap in the feed.
func TestChangesPageErrors(t *testing.T) {
	f := &fakeFeed{err: fmt.Errorf("store.Changes: %w", store.ErrCursorAhead)}
	if _, err := ChangesPage(context.Background(), f, store.Device{}, 99, 10); !errors.Is(err, store.ErrCursorAhead) {
		t.Fatalf("cursor ahead: %v", err)
	}
	f = &fakeFeed{page: store.FeedPage{Changes: []store.FeedChange{{Seq: 1, Entity: "mystery", ID: 1, State: struct{}{}}}}}
	if _, err := ChangesPage(context.Background(), f, store.Device{}, 0, 10); err == nil {
		t.Fatal("a state with no wire form was sent")
	}
}
