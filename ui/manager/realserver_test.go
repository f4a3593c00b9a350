package manager_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
	"gpkiosk/sync/managedesk"
	"gpkiosk/sync/server"
	"gpkiosk/sync/staffsignin"
	"gpkiosk/ui/manager"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
)

// The screens over the real thing, as gpkiosk wires them: a practice
// server on a real SQLite file, an enrolled desktop with its replica, the
// manager signed in online, and sync/managedesk signing each request. A
// booking window of 0 is refused by the server in its own words, beside
// the field, and changes nothing; 21 is saved and audited as the manager;
// the audit log checks out.
func TestManagerScreensOverTheRealServer(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 8, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "practice.db"), store.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SetupPractice(ctx, store.Practice{ODSCode: "Y99999", Name: "Desk Surgery"}, store.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddStaff(ctx, store.SystemActor(), store.NewStaff{Username: "boss", DisplayName: "The Boss", Role: store.StaffManager, Password: "manage-the-place"}); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(server.New(st, log, server.WithClock(clock)))
	t.Cleanup(srv.Close)
	code, err := st.NewEnrolmentCode(ctx, store.SystemActor(), store.DeviceDesktop, "Manager's office", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	anon, err := client.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	en, err := anon.Enrol(ctx, gpsync.EnrolRequest{Code: code})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := replica.Open(ctx, filepath.Join(dir, "desk.db"), replica.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rep.Close() })
	enrolment := replica.Enrolment{DeviceID: en.DeviceID, Role: en.Role, Token: en.Token, ServerURL: srv.URL}
	if err := rep.SaveEnrolment(ctx, enrolment); err != nil {
		t.Fatal(err)
	}
	c, err := client.ForDevice(enrolment, client.WithTimeout(5*time.Second), client.WithLogger(log))
	if err != nil {
		t.Fatal(err)
	}
	if err := client.NewRunner(c, rep, client.RunnerOptions{Clock: clock, Logger: log}).SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	boss, err := staffsignin.Online{Replica: rep, Server: c, Log: log, Wait: 5 * time.Second}.StaffSignIn(ctx, "boss", "manage-the-place")
	if err != nil {
		t.Fatal(err)
	}

	h := &harness{t: t, ui: make(chan func(), 64), saveDir: t.TempDir(), now: now}
	a := test.NewTempApp(t)
	h.sw = uitheme.NewSwitcher(a, uitheme.Settings{})
	h.f = newFrame()
	h.s = manager.New(ctx, manager.Config{
		Service: managedesk.New(c, rep, func() (replica.StaffMember, bool) { return boss, true }, clock),
		Frame:   h.f, Clock: clock, Log: log, Do: func(f func()) { h.ui <- f }, SaveDir: h.saveDir, ThisDevice: en.DeviceID})
	h.w = test.NewTempWindow(t, h.f.all)
	h.w.Resize(deskSize)

	h.s.ShowSettings()
	h.waitFor(txt(text.ManageBookingWindow))
	h.typeAfter(txt(text.ManageBookingWindow), "0")
	h.tap(txt(text.ManageSave))
	want := "The booking window must be between 1 and 365 days."
	h.waitFor(txt(text.ManageBookingWindow) + ": " + want)
	if got := h.problemAfter(txt(text.ManageBookingWindow)); got != want {
		t.Errorf("beside the booking window: %q, want the server's %q", got, want)
	}
	if saved, _ := st.Settings(ctx); saved.BookingWindowDays != store.DefaultSettings().BookingWindowDays {
		t.Fatalf("a refused save changed the window to %d", saved.BookingWindowDays)
	}

	h.typeAfter(txt(text.ManageBookingWindow), "21")
	h.tap(txt(text.ManageSave))
	h.waitFor(txt(text.ManageSaved))
	if saved, _ := st.Settings(ctx); saved.BookingWindowDays != 21 {
		t.Fatalf("the server holds a window of %d days, want 21", saved.BookingWindowDays)
	}
	events, more, err := st.SearchAudit(ctx, store.AuditFilter{Action: "settings.update"})
	if err != nil || more || len(events) != 1 || events[0].Actor.Name != "staff:boss" || events[0].Actor.Device != en.DeviceID {
		t.Fatalf("settings audit %+v %v", events, err)
	}

	// The desktop in use is named so, and not offered for revoking (the
	// server would refuse).
	h.s.ShowDevices()
	h.waitFor("Manager's office")
	if !h.has(txt(text.ManageThisDesktop)) || len(h.buttons(txt(text.ManageRevoke, "Manager's office"))) != 0 {
		t.Errorf("this desktop offered for revoking; screen shows %q", h.texts())
	}

	h.s.ShowAudit()
	h.settle()
	h.tap(txt(text.ManageVerify))
	h.waitFor("The audit log is intact")
}
