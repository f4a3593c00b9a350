package setup_test

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
	"gpkiosk/ui/setup"
	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
)

const practiceName = "Riverside Medical Practice"

// practiceHandler mimics the practice server's GET /v1/practice. release,
// if not nil, holds each answer back until it is closed.
func practiceHandler(release <-chan struct{}) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+gpsync.APIVersion+"/practice", func(w http.ResponseWriter, r *http.Request) {
		if release != nil {
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(gpsync.PracticeInfo{Name: practiceName, ODSCode: "Y99999", SchemaVersion: 1})
	})
	return mux
}

// harness is one set-up screen in a headless window, talking through the
// real client to whatever is listening at addr.
type harness struct {
	t      *testing.T
	addr   string
	win    fyne.Window
	states chan setup.State
}

func start(t *testing.T, addr string) *harness {
	t.Helper()
	test.NewTempApp(t).Settings().SetTheme(uitheme.New())
	c, err := client.New("http://"+addr, client.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, addr: "http://" + addr, states: make(chan setup.State, 16)}
	s := setup.New(t.Context(), setup.Config{
		Source:        c,
		ServerAddress: h.addr,
		OnState:       func(st setup.State) { h.states <- st },
	})
	h.win = test.NewTempWindow(t, s.Content())
	h.win.Resize(fyne.NewSize(1024, 768))
	s.Start()
	return h
}

// waitFor waits until the screen reports state want. Receiving the state
// from the channel also orders our reads of the widgets after the fetch
// goroutine's writes, which keeps the race detector honest.
func (h *harness) waitFor(want setup.State) {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case got := <-h.states:
			if got == want {
				return
			}
		case <-deadline:
			h.t.Fatalf("screen never showed %q; it shows %q", want, h.visibleText())
		}
	}
}

// visibleText is every label and button caption a person could see, in
// screen order.
func (h *harness) visibleText() []string {
	var texts []string
	walkVisible(h.win.Content(), func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			texts = append(texts, w.Text)
		case *widget.Button:
			texts = append(texts, w.Text)
		}
	})
	return texts
}

func (h *harness) button(label string) *widget.Button {
	var found *widget.Button
	walkVisible(h.win.Content(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == label {
			found = b
		}
	})
	return found
}

func (h *harness) assertShows(want ...string) {
	h.t.Helper()
	got := h.visibleText()
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, w) }) {
			h.t.Errorf("screen does not show %q; it shows %q", w, got)
		}
	}
}

func (h *harness) assertHides(unwanted ...string) {
	h.t.Helper()
	got := h.visibleText()
	for _, u := range unwanted {
		if slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, u) }) {
			h.t.Errorf("screen shows %q but should not; it shows %q", u, got)
		}
	}
}

func walkVisible(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	fn(o)
	if c, ok := o.(*fyne.Container); ok {
		for _, child := range c.Objects {
			walkVisible(child, fn)
		}
	}
}

// freeAddr returns a 127.0.0.1 address nothing is listening on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestShowsPracticeNameAndNotSetUp(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(practiceHandler(release))
	t.Cleanup(srv.Close)

	h := start(t, srv.Listener.Addr().String())

	// While the server has not answered, the screen says what it is doing
	// and offers nothing to press.
	h.assertShows(text.T(text.SetupConnecting))
	h.assertHides(practiceName, text.T(text.SetupNotSetUp), text.T(text.SetupTryAgain))

	close(release)
	h.waitFor(setup.StateNotSetUp)
	h.assertShows(practiceName, text.T(text.SetupNotSetUp), "practice manager")
	h.assertHides(text.T(text.SetupConnecting), text.T(text.SetupUnreachable), text.T(text.SetupTryAgain))
}

func TestUnreachableThenTryAgain(t *testing.T) {
	addr := freeAddr(t)
	h := start(t, addr)

	h.waitFor(setup.StateUnreachable)
	h.assertShows(text.T(text.SetupUnreachable), h.addr, text.T(text.SetupTryAgain))
	h.assertHides(practiceName, text.T(text.SetupNotSetUp), text.T(text.SetupConnecting))

	retry := h.button(text.T(text.SetupTryAgain))
	if retry == nil {
		t.Fatal("no Try again button on screen")
	}
	if got := retry.Size().Height; got < setup.MinButtonHeight {
		t.Errorf("Try again button is %vpx high, want at least %dpx for a finger", got, setup.MinButtonHeight)
	}

	// The server comes back on the same address.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen again on %s: %v", addr, err)
	}
	srv := httptest.NewUnstartedServer(practiceHandler(nil))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)

	test.Tap(retry)
	h.waitFor(setup.StateNotSetUp)
	h.assertShows(practiceName, text.T(text.SetupNotSetUp))
	h.assertHides(text.T(text.SetupUnreachable), text.T(text.SetupTryAgain))
}

// The server's own plain-English message is what people should read, with
// a way to try again once staff have fixed it.
func TestServerErrorShowsItsMessage(t *testing.T) {
	const msg = "The practice server is being updated. Please try again in a few minutes."
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_ = json.NewEncoder(w).Encode(gpsync.Error{Code: "unavailable", Message: msg})
	}))
	t.Cleanup(srv.Close)

	h := start(t, srv.Listener.Addr().String())
	h.waitFor(setup.StateServerFault)
	h.assertShows(text.T(text.SetupServerFault), msg, text.T(text.SetupTryAgain))
	h.assertHides(text.T(text.SetupUnreachable), text.T(text.SetupNotSetUp))
}
