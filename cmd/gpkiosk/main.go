// Command gpkiosk is the GP Kiosk app for the waiting-room touchscreen and
// the staff desktop. main only wires things together; the screens live in
// ui and the talking to the practice server in sync/client.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"gpkiosk/assets"
	"gpkiosk/sync/client"
	"gpkiosk/ui/setup"
	uitheme "gpkiosk/ui/theme"
)

// appID matches ID in FyneApp.toml; Fyne keys preferences and storage by it.
const appID = "org.gpkiosk.app"

func main() {
	server := flag.String("server", "http://127.0.0.1:8400", "address of the practice server")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	slog.SetDefault(log)

	// Must run before the app is created: Fyne reads the locale then.
	if from, changed := useBritishEnglishForCLocale(); changed {
		log.Info("C locale replaced with en_GB.UTF-8", "was", from)
	}

	c, err := client.New(*server, client.WithLogger(log))
	if err != nil {
		fmt.Fprintf(os.Stderr, "gpkiosk: %v\n", err)
		os.Exit(2)
	}

	a := app.NewWithID(appID)
	a.Settings().SetTheme(uitheme.New())
	icon := fyne.NewStaticResource("icon.png", assets.IconPNG())
	a.SetIcon(icon)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Closing the window cancels fetches; a signal closes the app cleanly.
	a.Lifecycle().SetOnStopped(stop)
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()

	w := a.NewWindow("GP Kiosk")
	w.SetIcon(icon)
	w.Resize(fyne.NewSize(1024, 768))
	screen := setup.New(ctx, setup.Config{Source: c, ServerAddress: c.BaseURL(), Log: log})
	w.SetContent(screen.Content())
	screen.Start()

	log.Info("gpkiosk starting", "server", c.BaseURL())
	w.ShowAndRun()
	log.Info("gpkiosk stopped")
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
