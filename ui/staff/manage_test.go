package staff

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/ui/manager"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
)

// settingsOnly stands in for the practice server's manager API
// (sync/managedesk, tested end to end with the real server by the
// coordinator): it answers the settings and nothing else.
type settingsOnly struct {
	manager.Service // nil: any other call fails the test by panicking
	asked           chan string
	staff           string
}

func (s settingsOnly) Settings(ctx context.Context) (gpsync.ManagedSettings, manager.Freshness, error) {
	s.asked <- s.staff
	return gpsync.ManagedSettings{Settings: gpsync.SettingsData{BookingWindowDays: 28}}, manager.Freshness{FetchedAt: time.Now(), Live: true}, nil
}

func withManager(asked chan string) func(*Config) {
	return func(c *Config) {
		c.Manager = &ManagerConfig{Service: func(m replica.StaffMember) manager.Service {
			return settingsOnly{asked: asked, staff: m.Username}
		}}
	}
}

// press presses a shortcut as the window's menu receives it.
func (h *harness) press(key fyne.KeyName) bool {
	want := (&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierAlt}).ShortcutName()
	for _, m := range h.d.MainMenu().Items {
		for _, it := range m.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == want {
				it.Action()
				return true
			}
		}
	}
	return false
}

// A manager sees the manager's sections, numbered after the desk's own,
// and opens them from the row or by Alt+number, asking the server as
// themselves; reception does not see them and Alt+7 does nothing.
func TestManagerSectionsOnlyForManagers(t *testing.T) {
	mine := []string{text.T(text.NavShortcut, text.T(text.NavSettings), "7"), text.T(text.NavShortcut, text.T(text.NavDevices), "8"),
		text.T(text.NavShortcut, text.T(text.NavStaffAccounts), "9"), text.T(text.NavShortcut, text.T(text.NavAudit), "0"),
		text.T(text.NavShortcut, text.T(text.NavUptake), "U")}

	t.Run("manager", func(t *testing.T) {
		asked := make(chan string, 4)
		h := newHarness(t, time.Minute, withManager(asked))
		h.signInAs(store.StaffManager)
		for _, s := range mine {
			if !h.navHas(s) {
				t.Errorf("the manager does not see %q; the row shows %q", s, h.navLabels())
			}
		}
		if !h.navHas(text.T(text.NavShortcut, text.T(text.NavToday), "4")) {
			t.Errorf("today's list lost its shortcut: %q", h.navLabels())
		}
		if !h.press("7") {
			t.Fatal("no Alt+7 in the menu")
		}
		h.waitFor(text.T(text.ManageBookingWindow))
		if who := <-asked; who != account(store.StaffManager).Username {
			t.Errorf("the server was asked as %q", who)
		}
		h.shortcut(4)
		h.waitFor(text.T(text.DayTitleToday, "Monday 8 June 2026"))
		h.deskButton(text.T(text.NavSettings)).OnTapped()
		h.waitFor(text.T(text.ManageBookingWindow))
		if dir := os.Getenv("MANAGER_SHOTS"); dir != "" {
			for _, size := range []uitheme.TextSize{uitheme.SizeNormal, uitheme.SizeLarger} {
				fyne.CurrentApp().Settings().SetTheme(uitheme.NewWith(uitheme.Settings{Size: size}))
				h.w.Resize(fyne.NewSize(1366, 768))
				h.d.relayout()
				f, err := os.Create(filepath.Join(dir, fmt.Sprintf("desk-settings-%d.png", size)))
				if err != nil {
					t.Fatal(err)
				}
				if err := png.Encode(f, h.w.Canvas().Capture()); err != nil {
					t.Fatal(err)
				}
				f.Close()
			}
		}
	})
	t.Run("reception", func(t *testing.T) {
		h := newHarness(t, time.Minute, withManager(make(chan string, 4)))
		h.signInAs(store.StaffReceptionist)
		for _, s := range mine {
			if h.navHas(s) {
				t.Errorf("reception sees %q", s)
			}
		}
		h.press("7")
		if h.has(text.T(text.ManageSettingsTitle)) {
			t.Error("Alt+7 opened the settings for reception")
		}
	})
	t.Run("no manager service", func(t *testing.T) {
		h := newHarness(t, time.Minute)
		h.signInAs(store.StaffManager)
		if h.navHas(text.T(text.NavSettings)) || h.press("7") {
			t.Errorf("sections offered with nothing to serve them: %q", h.navLabels())
		}
	})
}

// At A++ on a 1366x768 laptop a manager's eleven sections would take four
// rows of buttons and leave the screen a sliver: one chooser takes their
// place, names where they are, and goes where they choose. At A the row
// of buttons is back.
func TestManagerSectionsBecomeAChooserAtLargeText(t *testing.T) {
	asked := make(chan string, 4)
	h := newHarness(t, time.Minute, withManager(asked))
	fyne.CurrentApp().Settings().SetTheme(uitheme.NewWith(uitheme.Settings{Size: uitheme.SizeLarger}))
	h.w.Resize(fyne.NewSize(1366, 768))
	h.signInAs(store.StaffManager)
	h.shortcut(4)
	h.d.relayout()
	if !h.compactNav() {
		t.Fatalf("at A++ the buttons stayed: %q", h.navLabels())
	}
	today := text.T(text.NavShortcut, text.T(text.NavToday), "4")
	if got := h.d.navChooser.Selected; got != today {
		t.Errorf("the chooser names %q, want %q", got, today)
	}
	if len(h.d.navChooser.Options) != len(h.d.navGrid.Objects) {
		t.Errorf("the chooser offers %d sections, the buttons %d", len(h.d.navChooser.Options), len(h.d.navGrid.Objects))
	}
	h.d.navChooser.SetSelected(text.T(text.NavShortcut, text.T(text.NavSettings), "7"))
	h.waitFor(text.T(text.ManageBookingWindow))
	if body := h.d.scroll.Size().Height; body < 768/3 {
		t.Errorf("the screen's body has %v of the window's 768", body)
	}

	fyne.CurrentApp().Settings().SetTheme(uitheme.NewWith(uitheme.Settings{Size: uitheme.SizeNormal}))
	h.d.relayout()
	if h.compactNav() {
		t.Error("at A the chooser stayed in place of the buttons")
	}
}

// compactNav says whether the chooser stands in for the section buttons.
func (h *harness) compactNav() bool { return h.d.nav.Layout.(*navSwitch).compact }
