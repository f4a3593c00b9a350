package replica

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// testClock is a settable clock shared by a test and its replica.
type testClock struct{ unix atomic.Int64 }

func (c *testClock) Now() time.Time          { return time.Unix(c.unix.Load(), 0).UTC() }
func (c *testClock) Set(t time.Time)         { c.unix.Store(t.Unix()) }
func (c *testClock) Advance(d time.Duration) { c.unix.Add(int64(d / time.Second)) }

// Now is Tuesday 9 June 2026, 09:00 in London (08:00 UTC).
var (
	testNow  = time.Date(2026, 6, 9, 8, 0, 0, 0, time.UTC)
	tomorrow = time.Date(2026, 6, 10, 8, 0, 0, 0, time.UTC) // 09:00 London
)

const (
	selfKiosk   = "dev_kiosk"
	selfDesktop = "dev_desk"
	otherDevice = "dev_other"

	alice = int64(1) // adult, identity verified, holds appointment 400
	tom   = int64(2) // 11 years old
	una   = int64(3) // adult, identity not verified (may hold 1)
	olga  = int64(4) // not suitable for online ordering

	// Slots: see baseChanges.
	slotLeasedLive    = int64(100)
	slotLeasedExpired = int64(101)
	slotHeldByOther   = int64(102)
	slotTaken         = int64(103)
	slotFree          = int64(104)
	slotFree2         = int64(105)
	slotAliceHolds    = int64(106)
	slotTooSoon       = int64(107)
	slotNotOnline     = int64(108)
	slotReceptionOnly = int64(109)
	slotBeyondWindow  = int64(110)
	slotOtherExpired  = int64(111)

	itemStatin     = int64(200) // alice, active
	itemStopped    = int64(201) // alice, no longer active
	itemSalbutamol = int64(202) // alice, outstanding in request 300
	itemMetformin  = int64(203) // alice, active
	itemOlga       = int64(204) // olga, active

	requestPending = int64(300) // alice, pending, item 202
	apptAlice      = int64(400) // alice on slot 106
)

var (
	dobAlice = store.Date{Year: 1980, Month: time.May, Day: 1}
	dobTom   = store.Date{Year: 2015, Month: time.January, Day: 1}
	dobUna   = store.Date{Year: 1990, Month: time.March, Day: 3}
	dobOlga  = store.Date{Year: 1950, Month: time.July, Day: 7}
)

type fixture struct {
	t      testing.TB
	r      *Replica
	path   string
	clock  *testClock
	device string
	cursor int64
}

func newFixture(t testing.TB, role string) *fixture {
	t.Helper()
	f := &fixture{t: t, path: filepath.Join(t.TempDir(), "replica.db"), clock: &testClock{}, device: selfKiosk}
	if role == gpsync.RoleDesktop {
		f.device = selfDesktop
	}
	f.clock.Set(testNow)
	f.open()
	if err := f.r.SaveEnrolment(context.Background(), Enrolment{DeviceID: f.device, Role: role, Token: "tok",
		ServerURL: "https://practice.test:8400", CertPin: "sha256:00"}); err != nil {
		t.Fatal(err)
	}
	f.apply(baseChanges()...)
	return f
}

func (f *fixture) open() {
	f.t.Helper()
	r, err := Open(context.Background(), f.path, WithClock(f.clock.Now))
	if err != nil {
		f.t.Fatal(err)
	}
	f.r = r
	f.t.Cleanup(func() { r.Close() })
}

func (f *fixture) reopen() {
	f.t.Helper()
	if err := f.r.Close(); err != nil {
		f.t.Fatal(err)
	}
	f.open()
}

// apply applies changes as one page with the next cursor.
func (f *fixture) apply(changes ...gpsync.Change) {
	f.t.Helper()
	f.cursor += int64(len(changes)) + 1
	if err := f.r.ApplyChanges(context.Background(), gpsync.ChangesResponse{Changes: changes, Cursor: f.cursor}); err != nil {
		f.t.Fatal(err)
	}
}

func change(entity string, id int64, data any) gpsync.Change {
	b, err := json.Marshal(data)
	if err != nil {
		panic(err)
	}
	return gpsync.Change{Entity: entity, ID: id, Data: b}
}

func deleted(entity string, id int64) gpsync.Change {
	return gpsync.Change{Entity: entity, ID: id, Deleted: true}
}

func ptr[T any](v T) *T { return &v }

func slot(starts time.Time) gpsync.SlotData {
	return gpsync.SlotData{ClinicianID: 1, SlotTypeID: 10, StartsAt: starts, EndsAt: starts.Add(10 * time.Minute), OnlineBookable: true}
}

func leased(s gpsync.SlotData, to string, ends time.Time) gpsync.SlotData {
	s.LeasedTo, s.LeaseEndsAt = to, &ends
	return s
}

func settingsData() gpsync.SettingsData {
	s := store.DefaultSettings()
	return gpsync.SettingsData{BookingWindowDays: s.BookingWindowDays, MinNoticeMinutes: s.MinNoticeMinutes,
		MaxHeldAppointments: s.MaxHeldAppointments, MaxHeldUnverified: s.MaxHeldUnverified, MinAgeYears: s.MinAgeYears,
		CancelCutoffMinutes: s.CancelCutoffMinutes, DNASuspendCount: s.DNASuspendCount, DNALookbackDays: s.DNALookbackDays,
		CheckInBeforeMinutes: s.CheckInBeforeMinutes, CheckInAfterMinutes: s.CheckInAfterMinutes,
		RepeatProcessingDays: s.RepeatProcessingDays, RepeatNoteMaxChars: s.RepeatNoteMaxChars}
}

func patient(name string, verified bool, verifiers ...string) gpsync.PatientData {
	return gpsync.PatientData{GivenName: name, IdentityVerified: verified, KioskLetters: letters(verifiers...)}
}

// baseChanges is a small practice as a kiosk's feed would send it.
func baseChanges() []gpsync.Change {
	taken := slot(tomorrow.Add(30 * time.Minute))
	taken.Taken = true
	aliceSlot := slot(testNow.Add(90 * time.Minute)) // today, inside the cancellation cut-off
	aliceSlot.Taken = true
	notOnline := slot(tomorrow.Add(time.Hour))
	notOnline.ClinicianID, notOnline.SlotTypeID = 2, 11
	receptionOnly := slot(tomorrow.Add(70 * time.Minute))
	receptionOnly.ReceptionOnly = true
	olgaP := patient("Olga", true)
	olgaP.OnlineOrderingUnsuitable = true
	return []gpsync.Change{
		change(gpsync.EntitySettings, 1, settingsData()),
		change(gpsync.EntityClinician, 1, gpsync.ClinicianData{DisplayName: "Dr Amy Patel", Role: "gp", OnlineBookable: true}),
		change(gpsync.EntityClinician, 2, gpsync.ClinicianData{DisplayName: "Nurse Ben Okafor", Role: "nurse", OnlineBookable: true}),
		change(gpsync.EntitySlotType, 10, gpsync.SlotTypeData{Name: "Routine appointment", Minutes: 10, ClinicianRole: "gp", OnlineBookable: true}),
		change(gpsync.EntitySlotType, 11, gpsync.SlotTypeData{Name: "Urgent", Minutes: 10, ClinicianRole: "nurse", Urgent: true}),
		change(gpsync.EntitySlot, slotLeasedLive, leased(slot(tomorrow), selfKiosk, tomorrow.Add(-2*time.Hour))),
		change(gpsync.EntitySlot, slotLeasedExpired, leased(slot(tomorrow.Add(10*time.Minute)), selfKiosk, testNow.Add(-time.Hour))),
		change(gpsync.EntitySlot, slotHeldByOther, leased(slot(tomorrow.Add(20*time.Minute)), otherDevice, tomorrow.Add(-2*time.Hour))),
		change(gpsync.EntitySlot, slotTaken, taken),
		change(gpsync.EntitySlot, slotFree, slot(tomorrow.Add(40*time.Minute))),
		change(gpsync.EntitySlot, slotFree2, slot(tomorrow.Add(50*time.Minute))),
		change(gpsync.EntitySlot, slotAliceHolds, aliceSlot),
		change(gpsync.EntitySlot, slotTooSoon, slot(testNow.Add(30*time.Minute))),
		change(gpsync.EntitySlot, slotNotOnline, notOnline),
		change(gpsync.EntitySlot, slotReceptionOnly, receptionOnly),
		change(gpsync.EntitySlot, slotBeyondWindow, slot(testNow.AddDate(0, 2, 0))),
		change(gpsync.EntitySlot, slotOtherExpired, leased(slot(tomorrow.Add(80*time.Minute)), otherDevice, testNow.Add(-time.Minute))),
		change(gpsync.EntityPatient, alice, patient("Alice", true, KioskVerifier("acct-alice", dobAlice))),
		change(gpsync.EntityPatient, tom, patient("Tom", true, KioskVerifier("acct-tom", dobTom))),
		change(gpsync.EntityPatient, una, patient("Una", false)),
		change(gpsync.EntityPatient, olga, olgaP),
		change(gpsync.EntityAppointment, apptAlice, gpsync.AppointmentData{SlotID: slotAliceHolds, PatientID: alice,
			Channel: "online", Status: store.StatusBooked, BookedAt: testNow.Add(-48 * time.Hour)}),
		change(gpsync.EntityRepeatItem, itemStatin, gpsync.RepeatItemData{PatientID: alice, Name: "Atorvastatin", Strength: "20 mg", Form: "tablets", Dosage: "one at night", Active: true}),
		change(gpsync.EntityRepeatItem, itemStopped, gpsync.RepeatItemData{PatientID: alice, Name: "Ramipril", Strength: "5 mg", Form: "capsules", Dosage: "one daily"}),
		change(gpsync.EntityRepeatItem, itemSalbutamol, gpsync.RepeatItemData{PatientID: alice, Name: "Salbutamol", Strength: "100 mcg", Form: "inhaler", Dosage: "as needed", Active: true, Outstanding: true}),
		change(gpsync.EntityRepeatItem, itemMetformin, gpsync.RepeatItemData{PatientID: alice, Name: "Metformin", Strength: "500 mg", Form: "tablets", Dosage: "twice daily", Active: true}),
		change(gpsync.EntityRepeatItem, itemOlga, gpsync.RepeatItemData{PatientID: olga, Name: "Amlodipine", Strength: "5 mg", Form: "tablets", Dosage: "one daily", Active: true}),
		change(gpsync.EntityRepeatRequest, requestPending, gpsync.RepeatRequestData{PatientID: alice, Status: "pending", ReadyBy: "2026-06-11",
			Items: []gpsync.RepeatRequestItemData{{RepeatItemID: itemSalbutamol, Decision: "pending"}}}),
	}
}

// count is the number of rows in table.
func (f *fixture) count(table string) int {
	f.t.Helper()
	var n int
	if err := f.r.read.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

var allTables = []string{"outbox", "local_appointments", "local_requests", "local_request_items", "local_cancels", "attention",
	"settings", "clinicians", "slot_types", "slots", "patients", "kiosk_verifiers", "appointments", "repeat_items",
	"repeat_requests", "repeat_request_items"}

func (f *fixture) counts() map[string]int {
	f.t.Helper()
	m := map[string]int{}
	for _, t := range allTables {
		m[t] = f.count(t)
	}
	return m
}

func (f *fixture) pending() []gpsync.Op {
	f.t.Helper()
	ops, err := f.r.PendingOps(context.Background(), 100)
	if err != nil {
		f.t.Fatal(err)
	}
	return ops
}

func (f *fixture) appointments(patientID int64) []Appointment {
	f.t.Helper()
	as, err := f.r.Appointments(context.Background(), patientID)
	if err != nil {
		f.t.Fatal(err)
	}
	return as
}

func (f *fixture) book(patientID, slotID int64, dob store.Date) LocalBooking {
	f.t.Helper()
	b, err := f.r.Book(context.Background(), patientID, slotID, dob)
	if err != nil {
		f.t.Fatalf("book slot %d for patient %d: %v", slotID, patientID, err)
	}
	return b
}

func (f *fixture) record(results ...gpsync.OpResult) {
	f.t.Helper()
	if err := f.r.RecordResults(context.Background(), results); err != nil {
		f.t.Fatal(err)
	}
}

func appliedResult(opID string, result any) gpsync.OpResult {
	b, _ := json.Marshal(result)
	return gpsync.OpResult{ID: opID, Status: gpsync.OpApplied, Result: b}
}

func rejectedResult(opID string, reason store.Reason, message string) gpsync.OpResult {
	return gpsync.OpResult{ID: opID, Status: gpsync.OpRejected, Reason: string(reason), Message: message}
}

func wantRefusal(t *testing.T, err error, want store.Reason) {
	t.Helper()
	re, ok := store.AsRuleError(err)
	if !ok {
		t.Fatalf("got %v, want a refusal %s", err, want)
	}
	if !errors.Is(err, want) {
		t.Fatalf("refused %s (%q), want %s", re.Reason, re.Message, want)
	}
}

func slotIDs(ss []Slot) []int64 {
	var ids []int64
	for _, s := range ss {
		ids = append(ids, s.ID)
	}
	return ids
}

// letters makes current, unexpiring kiosk letters from verifiers.
func letters(verifiers ...string) []gpsync.KioskLetter {
	var out []gpsync.KioskLetter
	for _, v := range verifiers {
		out = append(out, gpsync.KioskLetter{Verifier: v})
	}
	return out
}
