package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
)

func demoPractice() gpsync.PracticeInfo {
	return gpsync.PracticeInfo{
		Name:          "Riverside Medical Practice",
		ODSCode:       "Y99999",
		Address:       "1 High Street, Anytown",
		Postcode:      "AN1 1AA",
		Phone:         "01632 960000",
		SchemaVersion: 1,
	}
}

// practiceServer stands in for sync/server until it exists: the two
// documented endpoints and nothing else, on a real 127.0.0.1 listener.
// practice answers GET /v1/practice.
func practiceServer(t *testing.T, practice http.HandlerFunc) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, gpsync.Health{Status: "ok", SchemaVersion: 1})
	})
	mux.HandleFunc("GET "+gpsync.APIVersion+"/practice", practice)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func newClient(t *testing.T, baseURL string, opts ...client.Option) *client.Client {
	t.Helper()
	c, err := client.New(baseURL, opts...)
	if err != nil {
		t.Fatalf("client.New(%q): %v", baseURL, err)
	}
	return c
}

func TestPracticeInfoAndHealth(t *testing.T) {
	srv := practiceServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, demoPractice())
	})
	c := newClient(t, srv.URL+"/") // a trailing slash is a common way to type it

	got, err := c.PracticeInfo(t.Context())
	if err != nil {
		t.Fatalf("PracticeInfo: %v", err)
	}
	if want := demoPractice(); got != want {
		t.Errorf("PracticeInfo = %+v, want %+v", got, want)
	}

	h, err := c.Health(t.Context())
	if err != nil {
		t.Fatalf("Health: %v", err)
	}
	if h.Status != "ok" || h.SchemaVersion != 1 {
		t.Errorf("Health = %+v, want status ok, schema 1", h)
	}
}

// A server that is up but cannot use its database says so in a 503 Health
// body; the caller gets that answer, not a network error.
func TestHealthUnavailableIsAnAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusServiceUnavailable, gpsync.Health{Status: "unavailable", SchemaVersion: 1})
	}))
	t.Cleanup(srv.Close)

	h, err := newClient(t, srv.URL).Health(t.Context())
	if err != nil {
		t.Fatalf("Health: %v", err)
	}
	if h.Status != "unavailable" {
		t.Errorf("Health status = %q, want unavailable", h.Status)
	}
}

// A server error body must reach the caller intact, so a screen can show the
// server's plain-English message, and must not look like a network outage.
func TestServerErrorBody(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		body        string
		wantCode    string
		wantMessage string
	}{
		{"4xx with error body", http.StatusForbidden, `{"code":"device_not_enrolled","message":"This device is not set up yet."}`,
			"device_not_enrolled", "This device is not set up yet."},
		{"5xx with error body", http.StatusServiceUnavailable, `{"code":"unavailable","message":"The practice server is starting up."}`,
			"unavailable", "The practice server is starting up."},
		// A proxy in front of the server answers with HTML; the status
		// still has to come through as a server error.
		{"5xx from a proxy", http.StatusBadGateway, `<html><body>Bad Gateway</body></html>`,
			"", "Bad Gateway"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := practiceServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			_, err := newClient(t, srv.URL).PracticeInfo(t.Context())

			var se *client.ServerError
			if !errors.As(err, &se) {
				t.Fatalf("PracticeInfo error = %v, want a *client.ServerError", err)
			}
			if se.StatusCode != tt.status || se.Code != tt.wantCode || se.Message != tt.wantMessage {
				t.Errorf("ServerError = %+v, want status %d code %q message %q", se, tt.status, tt.wantCode, tt.wantMessage)
			}
			if errors.Is(err, client.ErrUnreachable) {
				t.Errorf("server answered, but error says unreachable: %v", err)
			}
		})
	}
}

// A 200 whose body is not the promised JSON must be an error, never an
// empty practice shown as if it were real.
func TestMalformedBody(t *testing.T) {
	bodies := map[string]string{
		"truncated JSON": `{"name":"Riverside Med`,
		"HTML":           `<html>hello</html>`,
		"wrong type":     `{"name": 42}`,
		"empty":          ``,
		"no name":        `{"odsCode":"Y99999"}`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			srv := practiceServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(body))
			})
			info, err := newClient(t, srv.URL).PracticeInfo(t.Context())
			if !errors.Is(err, client.ErrBadResponse) {
				t.Fatalf("PracticeInfo = %+v, %v; want ErrBadResponse", info, err)
			}
			if info != (gpsync.PracticeInfo{}) {
				t.Errorf("PracticeInfo returned %+v alongside an error", info)
			}
		})
	}
}

func TestRefusedConnectionIsUnreachable(t *testing.T) {
	// Take a free port and close it so nothing is listening there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	c := newClient(t, "http://"+addr)
	if _, err := c.PracticeInfo(t.Context()); !errors.Is(err, client.ErrUnreachable) {
		t.Errorf("PracticeInfo error = %v, want ErrUnreachable", err)
	}
	if _, err := c.Health(t.Context()); !errors.Is(err, client.ErrUnreachable) {
		t.Errorf("Health error = %v, want ErrUnreachable", err)
	}
}

// A server that accepts the connection but never answers must not leave the
// kiosk saying "Connecting…" for ever.
func TestSilentServerTimesOutAsUnreachable(t *testing.T) {
	srv := practiceServer(t, func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	c := newClient(t, srv.URL, client.WithTimeout(200*time.Millisecond))

	start := time.Now()
	_, err := c.PracticeInfo(t.Context())
	if !errors.Is(err, client.ErrUnreachable) {
		t.Errorf("PracticeInfo error = %v, want ErrUnreachable", err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("gave up after %v, want about the 200ms timeout", waited)
	}
}

// When the caller cancels (the screen is closed), that is not an outage.
func TestCancelledIsNotUnreachable(t *testing.T) {
	srv := practiceServer(t, func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)

	_, err := newClient(t, srv.URL).PracticeInfo(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("PracticeInfo error = %v, want context.Canceled", err)
	}
	if errors.Is(err, client.ErrUnreachable) {
		t.Errorf("cancelled request reported as unreachable: %v", err)
	}
}

func TestNewRejectsBadAddress(t *testing.T) {
	for _, addr := range []string{"", "127.0.0.1:8400", "ftp://example.org", "http://", "http://bad host/"} {
		if _, err := client.New(addr); err == nil {
			t.Errorf("New(%q) succeeded, want an error", addr)
		}
	}
}

func TestTokenNeverSentInClearOffLoopback(t *testing.T) {
	if _, err := client.New("http://192.0.2.10:8400", client.WithToken("secret")); err == nil {
		t.Fatal("a token over plain HTTP to another machine was allowed")
	}
	for _, ok := range []string{"http://127.0.0.1:8400", "http://localhost:8400", "http://[::1]:8400", "https://192.0.2.10:8400"} {
		if _, err := client.New(ok, client.WithToken("secret")); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}
