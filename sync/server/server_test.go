package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	gpsync "gpkiosk/sync"

	"gpkiosk/store"
)

func newServer(t *testing.T, withPractice bool) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if withPractice {
		p := store.Practice{ODSCode: "Y99999", Name: "Meadowbank Surgery", Address: "1 High Street, Meadowbank", Postcode: "ZZ1 1ZZ", Phone: "01632 960000"}
		if err := st.SetupPractice(ctx, p, store.DefaultSettings()); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(New(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	return srv
}

func getJSON(t *testing.T, url string, wantStatus int, into any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s: status %d, want %d", url, resp.StatusCode, wantStatus)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("GET %s: content type %q", url, ct)
	}
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatalf("GET %s: body: %v", url, err)
	}
}

func TestHealthAndPractice(t *testing.T) {
	srv := newServer(t, true)
	var h gpsync.Health
	getJSON(t, srv.URL+"/healthz", http.StatusOK, &h)
	if h.Status != "ok" || h.SchemaVersion != store.LatestSchemaVersion() {
		t.Fatalf("health %+v", h)
	}
	var p gpsync.PracticeInfo
	getJSON(t, srv.URL+gpsync.APIVersion+"/practice", http.StatusOK, &p)
	if p.Name != "Meadowbank Surgery" || p.ODSCode != "Y99999" || p.Phone != "01632 960000" {
		t.Fatalf("practice %+v", p)
	}
}

func TestErrorsAreJSONWithCodes(t *testing.T) {
	empty := newServer(t, false)
	var e gpsync.Error
	getJSON(t, empty.URL+gpsync.APIVersion+"/practice", http.StatusServiceUnavailable, &e)
	if e.Code != "no_practice" || e.Message == "" {
		t.Fatalf("empty server: %+v", e)
	}
	getJSON(t, empty.URL+"/v1/no-such-thing", http.StatusNotFound, &e)
	if e.Code != "not_found" {
		t.Fatalf("unknown path: %+v", e)
	}
}

func TestWrongMethodIsRefused(t *testing.T) {
	srv := newServer(t, true)
	resp, err := http.Post(srv.URL+gpsync.APIVersion+"/practice", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST to a GET endpoint: %d", resp.StatusCode)
	}
}
