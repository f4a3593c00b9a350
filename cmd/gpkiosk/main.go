// Command gpkiosk is the GP Kiosk app for the waiting-room touchscreen and
// the staff desktop. main only wires things together; the screens live in
// ui and the talking to the practice server in sync/client.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/theme"

	"gpkiosk/assets"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
	"gpkiosk/sync/managedesk"
	"gpkiosk/sync/staffsignin"
	"gpkiosk/ui/kiosk"
	"gpkiosk/ui/manager"
	"gpkiosk/ui/receipt"
	"gpkiosk/ui/report"
	"gpkiosk/ui/setup"
	"gpkiosk/ui/speech"
	"gpkiosk/ui/staff"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
	"gpkiosk/ui/widgets"
)

// appID matches ID in FyneApp.toml; Fyne keys preferences and storage by it.
const appID = "org.gpkiosk.app"

func main() {
	server := flag.String("server", "http://127.0.0.1:8400", "address of the practice server")
	dataDir := flag.String("data", defaultDataDir(), "`folder` for this device's own database")
	enrolCode := flag.String("enrol", "", "set-up `code` from the practice manager, or the whole enrolment string of its QR code (gpkiosk-enrol:v1?...), first start only")
	fullScreen := flag.Bool("fullscreen", true, "kiosk: fill the screen")
	staffIdle := flag.Duration("staff-idle", 5*time.Minute, "staff desktop: sign out after this long unused, until the practice's own setting has synced")
	printerFlag := flag.String("printer", "", "kiosk receipt printer: tcp:HOST[:PORT], cups:QUEUE or device:PATH (none if empty)")
	readAloud := flag.Bool("read-aloud", false, "kiosk: read each screen aloud as it appears, while nobody is signed in, until the practice's own setting has synced (\"Read this to me\" is always offered where the kiosk can speak)")
	volume := flag.Int("volume", speech.DefaultVolume, fmt.Sprintf("kiosk: loudness of reading aloud, 1 to %d", speech.MaxVolume))
	practiceMode := flag.Bool("practice", false, "open a pretend practice for a digital-skills session: nothing is sent anywhere and this device's own data is not opened")
	debugAddr := flag.String("debug-addr", "", "serve Go's profiles (/debug/pprof/) on this loopback `address`, such as 127.0.0.1:6060; off if empty")
	flag.Parse()
	voice := readAloudOptions{byDefault: *readAloud, volume: *volume}

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	slog.SetDefault(log)

	// Must run before the app is created: Fyne reads the locale then.
	if from, changed := useBritishEnglishForCLocale(); changed {
		log.Info("C locale replaced with en_GB.UTF-8", "was", from)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *debugAddr != "" {
		d, err := listenDebug(ctx, *debugAddr)
		if err != nil {
			fmt.Fprintf(os.Stderr, "gpkiosk: %v\n", err)
			os.Exit(2)
		}
		go d.serve(ctx, log)
	}
	var (
		rep *replica.Replica
		en  replica.Enrolment
		err error
	)
	// Practice mode never opens --data and never makes a sync client.
	if !*practiceMode {
		if rep, en, err = openDevice(ctx, *dataDir, *server, *enrolCode, log); err != nil {
			fmt.Fprintf(os.Stderr, "gpkiosk: %v\n", err)
			os.Exit(1)
		}
		defer rep.Close()
	}

	a := app.NewWithID(appID)
	display := uitheme.NewSwitcher(a, uitheme.Settings{})
	icon := fyne.NewStaticResource("icon.png", assets.IconPNG())
	a.SetIcon(icon)
	// Closing the window cancels fetches; a signal closes the app cleanly.
	a.Lifecycle().SetOnStopped(stop)
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()

	w := a.NewWindow("GP Kiosk")
	w.SetIcon(icon)
	w.Resize(fyne.NewSize(1024, 768))

	switch {
	case *practiceMode:
		w.SetPadded(false)
		p := practiceOptions{display: display, printer: openPrinter(*printerFlag), log: log, leave: a.Quit, leaveLabel: text.HelperClose}
		session, end, err := p.open(ctx)
		if err != nil {
			fmt.Fprintf(os.Stderr, "gpkiosk: %v\n", err)
			os.Exit(1)
		}
		defer end()
		w.SetTitle("GP Kiosk: practice (not real)")
		w.SetContent(session.Content())
		w.SetCloseIntercept(session.AskHelper)
		widgets.NewScannerInput(session.Scanned).Attach(w.Canvas())
		w.SetFullScreen(*fullScreen)
		log.Info("practice mode: a pretend practice, nothing is sent anywhere")
	case en.Role != "":
		if focus := openEnrolled(ctx, w, rep, en, display, *printerFlag, voice, *fullScreen, *staffIdle, log); focus != nil {
			// The cursor can only be placed once the window is on screen.
			a.Lifecycle().SetOnStarted(focus)
		}
	default:
		// Not enrolled: the truthful first screen, which takes the set-up
		// code and then opens the enrolled device's screens.
		c, err := client.New(*server, client.WithLogger(log))
		if err != nil {
			fmt.Fprintf(os.Stderr, "gpkiosk: %v\n", err)
			os.Exit(2)
		}
		// A scan while nothing has focus still reaches the screen.
		scanner := widgets.NewScannerInput(nil)
		screen := setup.New(ctx, setup.Config{Source: c, ServerAddress: c.BaseURL(), Log: log,
			Enrol: func(ctx context.Context, e gpsync.Enrolment) error {
				_, err := enrolDevice(ctx, rep, e, log)
				return err
			},
			OnEnrolled: func() {
				scanner.Detach()
				en, err := rep.Enrolment(ctx)
				if err != nil {
					log.Error("read the new enrolment", "err", err)
					return
				}
				if focus := openEnrolled(ctx, w, rep, en, display, *printerFlag, voice, *fullScreen, *staffIdle, log); focus != nil {
					// After this event, once the new content is in the
					// window and can be found there.
					go fyne.Do(focus)
				}
			},
		})
		scanner.OnScan = screen.Submit
		scanner.Attach(w.Canvas())
		w.SetContent(screen.Content())
		a.Lifecycle().SetOnStarted(screen.Focus)
		screen.Start()
	}

	if !*practiceMode {
		log.Info("gpkiosk starting", "server", serverShown(en, *server), "role", en.Role, "pinned", en.CertPin != "")
	}
	w.ShowAndRun()
	log.Info("gpkiosk stopped")
}

// openEnrolled shows an enrolled device's screens: the kiosk or the staff
// desktop, syncing in the background. It returns what places the cursor
// in the desktop's first field once the window is on screen (nil for a
// kiosk).
func openEnrolled(ctx context.Context, w fyne.Window, rep *replica.Replica, en replica.Enrolment, display *uitheme.Switcher,
	printerFlag string, voice readAloudOptions, fullScreen bool, staffIdle time.Duration, log *slog.Logger) (focus func()) {
	switch en.Role {
	case gpsync.RoleKiosk:
		// The kiosk's screens keep their own margins; the window's padding
		// would take height A++ needs (and the geometry test lays screens
		// out unpadded too).
		w.SetPadded(false)
		kioskMemory()
		startKiosk(ctx, w, rep, en, display, openPrinter(printerFlag), voice, log)
		w.SetFullScreen(fullScreen)
	case gpsync.RoleDesktop:
		return startDesktop(ctx, w, rep, en, display, staffIdle, log)
	default:
		log.Error("this device's enrolment names an unknown role", "role", en.Role)
	}
	return nil
}

// kioskMemory has the garbage collector keep the kiosk's heap within half
// again of what is live (Go's default lets it reach twice): a kiosk runs
// all day on a small machine, and its live heap is mostly fonts and the
// last minute's screens, so memory matters more than the little CPU a
// collection costs between a patient's taps.
// An idle kiosk allocates next to nothing, so it collects no more often.
// GOGC, when set, decides instead.
func kioskMemory() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
}

// openPrinter opens the kiosk's receipt printer from --printer, or exits
// with the reason.
func openPrinter(flagValue string) receipt.Printer {
	kind, target, _ := strings.Cut(flagValue, ":")
	printer, err := receipt.Open(receipt.Config{Kind: kind, Target: target})
	if err != nil && !errors.Is(err, receipt.ErrNoPrinter) {
		fmt.Fprintf(os.Stderr, "gpkiosk: --printer: %v\n", err)
		os.Exit(2)
	}
	return printer
}

// serverShown is the server the device talks to: its enrolment's once
// enrolled, --server until then.
func serverShown(en replica.Enrolment, flagValue string) string {
	if en.ServerURL != "" {
		return en.ServerURL
	}
	return flagValue
}

func defaultDataDir() string {
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "gpkiosk")
	}
	return "gpkiosk-data"
}

// openDevice opens this device's replica and, on first start with a code,
// enrols it with the practice server. Without a code an unenrolled device
// returns an empty enrolment and shows the set-up screen.
func openDevice(ctx context.Context, dir, server, code string, log *slog.Logger) (*replica.Replica, replica.Enrolment, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, replica.Enrolment{}, fmt.Errorf("open device data: %w", err)
	}
	rep, err := replica.Open(ctx, filepath.Join(dir, "device.db"))
	if err != nil {
		return nil, replica.Enrolment{}, fmt.Errorf("open device data: %w", err)
	}
	en, err := rep.Enrolment(ctx)
	if err == nil {
		return rep, en, nil
	}
	if !errors.Is(err, replica.ErrNotEnrolled) {
		rep.Close()
		return nil, replica.Enrolment{}, fmt.Errorf("read enrolment: %w", err)
	}
	if code == "" {
		return rep, replica.Enrolment{}, nil
	}
	e, err := gpsync.ReadEnrolment(code, server)
	if err != nil {
		rep.Close()
		return nil, replica.Enrolment{}, fmt.Errorf("--enrol: %w", err)
	}
	if en, err = enrolDevice(ctx, rep, e, log); err != nil {
		rep.Close()
		return nil, replica.Enrolment{}, err
	}
	return rep, en, nil
}

// enrolDevice enrols the device with e (pinning the server's certificate
// when e carries a pin) and saves the enrolment, pin included, so every
// client the device makes afterwards (connect) refuses any other
// certificate. A save failure wraps setup.ErrNotSaved.
func enrolDevice(ctx context.Context, rep *replica.Replica, e gpsync.Enrolment, log *slog.Logger) (replica.Enrolment, error) {
	host, _ := os.Hostname()
	en, err := client.EnrolDevice(ctx, e, host, client.WithLogger(log))
	if err != nil {
		return replica.Enrolment{}, fmt.Errorf("enrol with the practice server: %w", err)
	}
	if err := rep.SaveEnrolment(ctx, en); err != nil {
		return replica.Enrolment{}, fmt.Errorf("save enrolment: %w: %w", setup.ErrNotSaved, err)
	}
	return en, nil
}

// practiceName asks the server for the practice's name and ODS code and
// remembers them; offline at start is normal, so it waits briefly and then
// uses what it remembered.
func practiceName(ctx context.Context, c *client.Client, rep *replica.Replica, log *slog.Logger) replica.PracticeName {
	if p, ok := askPractice(ctx, c, rep, log); ok {
		return p
	}
	return rememberedPractice(ctx, rep)
}

// rememberedPractice is the practice's name as this device last heard it,
// read from its replica without asking the server: a kiosk shows its
// window with it at once.
func rememberedPractice(ctx context.Context, rep *replica.Replica) replica.PracticeName {
	if p, ok, err := rep.Practice(ctx); ok && err == nil {
		return p
	}
	return replica.PracticeName{Name: "GP Kiosk"}
}

// askPractice asks the server for the practice's name, waiting at most a
// few seconds, and remembers the answer; false when it could not ask.
func askPractice(ctx context.Context, c *client.Client, rep *replica.Replica, log *slog.Logger) (replica.PracticeName, bool) {
	if c == nil {
		return replica.PracticeName{}, false
	}
	infoCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
	info, err := c.PracticeInfo(infoCtx)
	cancel()
	if err != nil {
		return replica.PracticeName{}, false
	}
	p := replica.PracticeName{Name: info.Name, ODSCode: info.ODSCode, Address: info.Address, Postcode: info.Postcode, Phone: info.Phone}
	if err := rep.SavePractice(ctx, p); err != nil {
		log.Error("remember the practice's name", "err", err)
	}
	return p, true
}

// appVersion is the app's version: FyneApp.toml's when packaged, else the
// module's from the build, else "dev".
func appVersion() string {
	if app := fyne.CurrentApp(); app != nil {
		if v := app.Metadata().Version; v != "" {
			return v
		}
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// connect makes the enrolled device's client and sync runner; both are nil
// when the saved server address is unusable, and the device works offline.
func connect(rep *replica.Replica, en replica.Enrolment, log *slog.Logger) (*client.Client, *client.Runner) {
	// Every request says what this device runs and what it still has to
	// send, for the practice manager's device list.
	outbox := func() int {
		n, err := rep.PendingCount(context.Background())
		if err != nil {
			return 0
		}
		return n
	}
	c, err := client.ForDevice(en, client.WithLogger(log), client.WithAppVersion(appVersion()), client.WithOutbox(outbox))
	if err != nil {
		log.Error("device cannot talk to the practice server", "err", err)
		return nil, nil
	}
	return c, client.NewRunner(c, rep, client.RunnerOptions{Logger: log})
}

// startKiosk syncs the replica in the background and shows the kiosk.
// readAloudOptions are the practice's choices for reading screens aloud
// on this kiosk.
type readAloudOptions struct {
	byDefault bool
	volume    int
}

// newSpeaker makes the kiosk's speaker; once it is known, ended is told
// (on the UI goroutine) each time speaking ends, so the button changes
// back. The speaker checks once here whether this kiosk can speak.
func newSpeaker(ctx context.Context, o readAloudOptions, log *slog.Logger, ended func() func()) *speech.Espeak {
	return speech.New(ctx, speech.Config{Volume: o.volume, Log: log, OnEnd: func() {
		if f := ended(); f != nil {
			fyne.Do(f)
		}
	}})
}

func startKiosk(ctx context.Context, w fyne.Window, rep *replica.Replica, en replica.Enrolment, display *uitheme.Switcher, printer receipt.Printer, voice readAloudOptions, log *slog.Logger) {
	// Only staff may close the kiosk: until its screens are up a close is
	// ignored, then it asks for the practice's PIN (practiceMode.close).
	w.SetCloseIntercept(func() {})
	// The window opens at once, empty in the theme's background, while
	// this goroutine does what the first screen waits on: the fonts it is
	// measured in (most of building it), the check whether the kiosk can
	// speak (a child process) and the replica's reads. The screens are
	// then built on the UI goroutine. Before issue 17 all of this, and a
	// request to the server, came before the window (docs/benchmarks.md).
	go func() {
		c, runner := connect(rep, en, log)
		// The name the replica remembers; the server's answer, if it
		// differs, replaces it once it comes.
		practice := rememberedPractice(ctx, rep)
		loc, err := time.LoadLocation("Europe/London")
		if err != nil {
			loc = time.UTC
		}
		var k *kiosk.Kiosk // set on the UI goroutine, and read only there
		speaker := newSpeaker(ctx, voice, log, func() func() {
			return func() {
				if k != nil {
					k.SpeechEnded()
				}
			}
		})
		loadFonts()
		fyne.Do(func() {
			k = showKiosk(ctx, w, rep, c, runner, practice, loc, display, printer, speaker, voice, log)
		})
	}()
}

// loadFonts loads the faces the welcome screen is drawn in (regular and
// bold), so building it does not wait for them. Fyne caches them for the
// app; measuring text is safe off the UI goroutine.
func loadFonts() {
	for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
		fyne.MeasureText("GP Kiosk", theme.TextSize(), style)
	}
}

// showKiosk builds the kiosk's screens into w and starts its sync. Call on
// the UI goroutine.
func showKiosk(ctx context.Context, w fyne.Window, rep *replica.Replica, c *client.Client, runner *client.Runner, practice replica.PracticeName,
	loc *time.Location, display *uitheme.Switcher, printer receipt.Printer, speaker *speech.Espeak, voice readAloudOptions, log *slog.Logger) *kiosk.Kiosk {
	var checkIn kiosk.CheckInService
	if c != nil { // a nil *Client in the interface would not read as nil
		checkIn = c
	}
	cfg := kiosk.Config{Backend: rep, PracticeName: practice.Name, PracticeODS: practice.ODSCode, Location: loc, Log: log, Display: display, Printer: printer, CheckIn: checkIn,
		Quit: fyne.CurrentApp().Quit, Speaker: speaker, ReadAloudByDefault: voice.byDefault,
		// The practice's idle times and read-aloud choice, once synced,
		// take over from the defaults and --read-aloud at the next visit.
		Settings: rep,
	}
	if runner != nil {
		cfg.Nudge = runner.Nudge
		cfg.SendNow = runner.SyncNow
	}
	practiceMode := &kioskPractice{ctx: ctx, w: w, rep: rep, opts: practiceOptions{display: display, printer: printer, log: log, nudge: cfg.Nudge}}
	cfg.StartPractice = practiceMode.start
	k := kiosk.New(ctx, cfg)
	practiceMode.real = k
	w.SetContent(k.Content())
	w.SetCloseIntercept(practiceMode.close)
	widgets.NewScannerInput(practiceMode.scanned).Attach(w.Canvas())
	if runner == nil {
		k.SetOnline(false)
		return k
	}
	go func() {
		if p, ok := askPractice(ctx, c, rep, log); ok {
			fyne.Do(func() { k.SetPractice(p.Name, p.ODSCode) })
		}
	}()
	runner.Subscribe(func(st client.Status) {
		fyne.Do(func() {
			k.SetOnline(st.Online)
			k.Synced()
		})
	})
	go func() {
		if err := runner.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("sync stopped", "err", err)
		}
	}()
	return k
}

// startDesktop syncs the replica in the background and shows the staff
// desktop; it returns what places the cursor in its first field.
func startDesktop(ctx context.Context, w fyne.Window, rep *replica.Replica, en replica.Enrolment, display *uitheme.Switcher, idle time.Duration, log *slog.Logger) (focus func()) {
	c, runner := connect(rep, en, log)
	practice := practiceName(ctx, c, rep, log)
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		loc = time.UTC
	}
	cfg := staff.Config{Backend: rep, Letters: staff.NewLetters(), PracticeName: practice.Name,
		IdleTimeout: idle, Settings: rep, Location: loc, Log: log, Display: display,
	}
	if runner != nil {
		cfg.Nudge = runner.Nudge
	}
	if c != nil { // staff sign in with the practice server too when it can be reached
		cfg.SignIn = staffsignin.Online{Replica: rep, Server: c, Log: log}
		// The manager's screens ask the server as the manager signed in,
		// and show what this desktop last fetched when it cannot be reached.
		cfg.Manager = &staff.ManagerConfig{
			Service: func(m replica.StaffMember) manager.Service {
				return managedesk.New(c, rep, func() (replica.StaffMember, bool) { return m, true }, time.Now)
			},
			MonthCSV: report.MonthCSV, ReportPDF: report.PDF, ThisDevice: en.DeviceID,
		}
	}
	cfg.StartPractice = func() { openDeskPractice(ctx, w, rep, cfg.Nudge, display, log) }
	desk := staff.New(ctx, cfg)
	w.SetTitle("GP Kiosk: " + practice.Name)
	w.SetContent(desk.Content())
	// Alt+1 to Alt+6 switch sections: Fyne offers a key to the main
	// menu's shortcuts before the field being typed in.
	w.SetMainMenu(desk.MainMenu())
	// Fyne places the content under the menu bar only when the window is
	// resized or its menu set, so after a larger text size the taller bar
	// would push the foot of the desk (the display switches) off the
	// window: setting the menu again lays it out anew.
	display.OnChange(func(uitheme.Settings) { w.SetMainMenu(desk.MainMenu()) })
	if runner == nil {
		desk.SetOnline(false, 0)
		return desk.FocusFirst
	}
	runner.Subscribe(func(st client.Status) {
		fyne.Do(func() { desk.SetOnline(st.Online, st.Pending) })
	})
	go func() {
		if err := runner.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("sync stopped", "err", err)
		}
	}()
	return desk.FocusFirst
}

// useBritishEnglishForCLocale sets LANG=en_GB.UTF-8 when the locale that
// decides the language is unset or C/POSIX (typical of systemd units,
// containers and Xvfb sessions). Fyne logs an error for "C.UTF-8", and the
// kiosk is for UK surgeries anyway. It returns the locale it found and
// whether it changed anything.
func useBritishEnglishForCLocale() (string, bool) {
	isC := func(v string) bool {
		return v == "" || v == "C" || v == "POSIX" || strings.HasPrefix(v, "C.")
	}
	// The same precedence gettext and Fyne use: the first one set wins.
	var effective string
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(name); v != "" {
			effective = v
			break
		}
	}
	if !isC(effective) {
		return effective, false
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES"} {
		if v, ok := os.LookupEnv(name); ok && isC(v) {
			os.Unsetenv(name)
		}
	}
	os.Setenv("LANG", "en_GB.UTF-8")
	return effective, true
}
