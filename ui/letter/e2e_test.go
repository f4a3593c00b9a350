package letter_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/demo"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
	"gpkiosk/sync/server"
	"gpkiosk/ui/letter"
	"gpkiosk/ui/letter/lettertest"
)

// device is an enrolled replica with its runner.
type device struct {
	rep    *replica.Replica
	runner *client.Runner
}

func enrolDevice(t *testing.T, st *store.Store, url, role string) device {
	t.Helper()
	ctx := context.Background()
	code, err := st.NewEnrolmentCode(ctx, store.SystemActor(), role, role, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := client.New(url)
	en, err := c.Enrol(ctx, gpsync.EnrolRequest{Code: code})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := replica.Open(ctx, filepath.Join(t.TempDir(), role+".db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rep.Close() })
	if err := rep.SaveEnrolment(ctx, replica.Enrolment{DeviceID: en.DeviceID, Role: en.Role, Token: en.Token, ServerURL: url}); err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	authed, _ := client.New(url, client.WithToken(en.Token), client.WithLogger(quiet))
	d := device{rep: rep, runner: client.NewRunner(authed, rep, client.RunnerOptions{})}
	if err := d.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	return d
}

// The whole journey of a letter: a receptionist reissues Margaret's
// registration on the desktop, the letter is printed through real CUPS,
// the printed page is scanned by an independent decoder, and the kiosk
// signs her in with what the scanner read; her old letter is refused.
func TestPrintedLetterSignsThePatientInAtTheKiosk(t *testing.T) {
	lettertest.NeedCUPS(t)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "practice.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Generate(ctx, st, demo.Options{Seed: 1, Patients: 50, Weeks: 1, Start: store.DateOf(time.Now(), time.UTC)}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	desk := enrolDevice(t, st, srv.URL, store.DeviceDesktop)
	kiosk := enrolDevice(t, st, srv.URL, store.DeviceKiosk)
	pr, err := st.Practice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.rep.SavePractice(ctx, replica.PracticeName{Name: pr.Name, ODSCode: pr.ODSCode, Address: pr.Address, Postcode: pr.Postcode, Phone: pr.Phone}); err != nil {
		t.Fatal(err)
	}

	var account demo.StaffAccount
	for _, a := range demo.StaffAccounts() {
		if a.Role == store.StaffReceptionist {
			account = a
		}
	}
	staff, err := desk.rep.StaffSignIn(ctx, account.Username, account.Password)
	if err != nil {
		t.Fatal(err)
	}
	margaret := demo.Letters()[0]
	found, err := desk.rep.SearchPatients(ctx, staff, replica.PatientQuery{FamilyName: margaret.FamilyName, DateOfBirth: margaret.DateOfBirth})
	if err != nil || len(found) != 1 {
		t.Fatalf("finding Margaret: %+v, %v", found, err)
	}
	prep, err := desk.rep.PrepareRegistration(ctx, staff, replica.RegistrationInput{PatientID: found[0].ID,
		VerificationMethod: store.VerifyPhotoIDAndAddress, CoercionConsidered: true, Appointments: true, Prescriptions: true,
		RecordAccess: store.RecordAccessNone, KioskEnabled: true})
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := letter.Render(letter.Details{PracticeName: prep.Practice.Name, PracticeAddress: prep.Practice.Address,
		PracticePostcode: prep.Practice.Postcode, PracticePhone: prep.Practice.Phone, ODS: prep.Practice.ODSCode,
		PatientName: prep.Addressee, AccountID: prep.Details.AccountID, LinkageKey: prep.Details.LinkageKey,
		IssuedAt: prep.IssuedAt, ExpiresAt: prep.ExpiresAt})
	if err != nil {
		t.Fatal(err)
	}
	scanned := lettertest.PrintAndDecode(t, ctx, pdf)
	if scanned != prep.QRPayload() {
		t.Fatalf("the printed QR code reads %q, want what was issued, %q", scanned, prep.QRPayload())
	}
	if err := desk.rep.IssueRegistration(ctx, staff, prep); err != nil {
		t.Fatal(err)
	}
	if err := desk.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := desk.rep.PendingCount(ctx); n != 0 {
		t.Fatalf("%d ops still pending after sync", n)
	}
	if att, _ := desk.rep.Attention(ctx); len(att) != 0 {
		t.Fatalf("the server refused the registration: %+v", att)
	}
	if err := kiosk.runner.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	l, err := gpsync.ParseLetter(scanned)
	if err != nil {
		t.Fatal(err)
	}
	if l.ODS != pr.ODSCode {
		t.Errorf("the letter names practice %q, want %q", l.ODS, pr.ODSCode)
	}
	p, err := kiosk.rep.SignIn(ctx, l.AccountID, margaret.DateOfBirth)
	if err != nil || p.GivenName != margaret.GivenName {
		t.Fatalf("kiosk sign-in with the printed letter: %+v, %v", p, err)
	}
	if _, err := kiosk.rep.SignIn(ctx, margaret.AccountID, margaret.DateOfBirth); !errors.Is(err, store.ReasonLetterReplaced) {
		t.Fatalf("kiosk sign-in with the old letter: %v, want letter_replaced", err)
	}
}
