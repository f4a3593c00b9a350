package client_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
)

func TestEnrol(t *testing.T) {
	f := newFakeServer(t)
	// A stale token must not ride along on enrolment (the fake refuses it).
	c := newClient(t, f.URL(), client.WithToken("old-token"))

	got, err := c.Enrol(t.Context(), gpsync.EnrolRequest{Code: testEnrolCode, DeviceName: "Waiting room kiosk"})
	if err != nil {
		t.Fatalf("Enrol: %v", err)
	}
	if got.Token != testToken || got.DeviceID != "dev_1" || got.Role != gpsync.RoleKiosk || got.Practice.Name == "" {
		t.Errorf("Enrol = %+v", got)
	}

	_, err = c.Enrol(t.Context(), gpsync.EnrolRequest{Code: "WRONG-CODEX", DeviceName: "Kiosk"})
	if !client.HasCode(err, client.CodeInvalidCode) || client.IsRetryable(err) {
		t.Errorf("Enrol with a bad code: %v, want invalid_code, not retryable", err)
	}
}

func TestChangesNeedsToken(t *testing.T) {
	f := newFakeServer(t)
	f.addChanges(3)

	page, err := newClient(t, f.URL(), client.WithToken(testToken)).Changes(t.Context(), 1, 10)
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	if len(page.Changes) != 2 || page.Changes[0].Seq != 2 || page.Cursor != 3 || page.More {
		t.Errorf("Changes(after 1) = %+v", page)
	}

	_, err = newClient(t, f.URL()).Changes(t.Context(), 0, 10)
	if !client.IsRevoked(err) || !client.HasCode(err, client.CodeUnauthorized) {
		t.Errorf("Changes without a token: %v, want 401 unauthorized", err)
	}
}

// A full feed page is bigger than the 1 MiB cap on other answers; a page
// far bigger than any real one is still refused.
func TestChangesBodyCap(t *testing.T) {
	bigPage := func(bytes int) []byte {
		data, _ := json.Marshal(map[string]string{"pad": strings.Repeat("x", bytes)})
		b, _ := json.Marshal(gpsync.ChangesResponse{Cursor: 1, Changes: []gpsync.Change{{Seq: 1, Entity: gpsync.EntitySlot, ID: 1, Data: data}}})
		return b
	}
	for _, tt := range []struct {
		name  string
		bytes int
		ok    bool
	}{{"2 MB page", 2 << 20, true}, {"9 MiB page", 9 << 20, false}} {
		t.Run(tt.name, func(t *testing.T) {
			body := bigPage(tt.bytes)
			f := newFakeServer(t)
			f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(body)
				return true
			})
			_, err := newClient(t, f.URL(), client.WithToken(testToken)).Changes(t.Context(), 0, 0)
			if tt.ok && err != nil {
				t.Errorf("Changes: %v", err)
			}
			if !tt.ok && !errors.Is(err, client.ErrBadResponse) {
				t.Errorf("Changes: %v, want ErrBadResponse", err)
			}
		})
	}
}

// Pages that would corrupt the replica or page for ever are refused.
func TestChangesBadPages(t *testing.T) {
	pages := map[string]string{
		"cursor goes back":  `{"changes":[],"cursor":3,"more":false}`,
		"more but stuck":    `{"changes":[],"cursor":5,"more":true}`,
		"seq not after":     `{"changes":[{"seq":5,"entity":"slot","id":1,"data":{}}],"cursor":6,"more":false}`,
		"seq past cursor":   `{"changes":[{"seq":9,"entity":"slot","id":1,"data":{}}],"cursor":6,"more":false}`,
		"no data":           `{"changes":[{"seq":6,"entity":"slot","id":1}],"cursor":6,"more":false}`,
		"not JSON":          `<html></html>`,
		"changes not array": `{"changes":{},"cursor":6}`,
	}
	for name, body := range pages {
		t.Run(name, func(t *testing.T) {
			f := newFakeServer(t)
			f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				_, _ = w.Write([]byte(body))
				return true
			})
			_, err := newClient(t, f.URL(), client.WithToken(testToken)).Changes(t.Context(), 5, 10)
			if !errors.Is(err, client.ErrBadResponse) {
				t.Errorf("Changes: %v, want ErrBadResponse", err)
			}
		})
	}
}

// Results are matched to ops by position, so a short or reordered answer
// is an error, never recorded against the wrong op.
func TestPushChecksResults(t *testing.T) {
	ops := []gpsync.Op{
		{ID: "a", Kind: gpsync.OpAskForHelp, CreatedAt: time.Now().UTC(), Payload: json.RawMessage(`{"note":""}`)},
		{ID: "b", Kind: gpsync.OpAskForHelp, CreatedAt: time.Now().UTC(), Payload: json.RawMessage(`{"note":""}`)},
	}
	answers := map[string]string{
		"too few":        `{"results":[{"id":"a","status":"applied"}]}`,
		"wrong order":    `{"results":[{"id":"b","status":"applied"},{"id":"a","status":"applied"}]}`,
		"unknown status": `{"results":[{"id":"a","status":"applied"},{"id":"b","status":"maybe"}]}`,
	}
	for name, body := range answers {
		t.Run(name, func(t *testing.T) {
			f := newFakeServer(t)
			f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				_, _ = w.Write([]byte(body))
				return true
			})
			_, err := newClient(t, f.URL(), client.WithToken(testToken)).Push(t.Context(), ops)
			if !errors.Is(err, client.ErrBadResponse) {
				t.Errorf("Push: %v, want ErrBadResponse", err)
			}
		})
	}

	t.Run("good answer", func(t *testing.T) {
		f := newFakeServer(t)
		f.rejectIDs["b"] = true
		got, err := newClient(t, f.URL(), client.WithToken(testToken)).Push(t.Context(), ops)
		if err != nil {
			t.Fatalf("Push: %v", err)
		}
		if got.Results[0].Status != gpsync.OpApplied || got.Results[1].Status != gpsync.OpRejected || got.Results[1].Reason != "slot_taken" {
			t.Errorf("Push results = %+v", got.Results)
		}
	})

	t.Run("too many ops", func(t *testing.T) {
		f := newFakeServer(t)
		_, err := newClient(t, f.URL(), client.WithToken(testToken)).Push(t.Context(), make([]gpsync.Op, gpsync.MaxOpsPerPush+1))
		if err == nil {
			t.Fatal("Push of 101 ops succeeded")
		}
		if n, _, _, _ := f.snapshot(); n != 0 {
			t.Errorf("server got %d requests, want none", n)
		}
	})
}

func TestErrorHelpers(t *testing.T) {
	f := newFakeServer(t)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		switch r.URL.Query().Get("after") {
		case "1":
			w.Header().Set("Retry-After", "7")
			writeError(w, http.StatusTooManyRequests, "rate_limited", "Too many requests.")
		case "2":
			w.Header().Set("Retry-After", "3")
			writeError(w, http.StatusServiceUnavailable, "unavailable", "Shutting down.")
		case "3":
			writeError(w, http.StatusUnauthorized, "device_revoked", "This device has been switched off by the practice.")
		case "4":
			writeError(w, http.StatusConflict, "cursor_ahead", "Sync again from the start.")
		case "5":
			w.Header().Set("Retry-After", "99999999")
			writeError(w, http.StatusTooManyRequests, "rate_limited", "Too many requests.")
		default:
			writeError(w, http.StatusBadRequest, "bad_cursor", "Bad cursor.")
		}
		return true
	})
	c := newClient(t, f.URL(), client.WithToken(testToken))
	call := func(after int64) error {
		_, err := c.Changes(t.Context(), after, 10)
		return err
	}
	tests := []struct {
		name       string
		err        error
		retryable  bool
		retryAfter time.Duration
		revoked    bool
		code       string
	}{
		{"429", call(1), true, 7 * time.Second, false, client.CodeRateLimited},
		{"503", call(2), true, 3 * time.Second, false, client.CodeUnavailable},
		{"401 revoked", call(3), false, 0, true, client.CodeDeviceRevoked},
		{"409 cursor ahead", call(4), false, 0, false, client.CodeCursorAhead},
		{"429 absurd Retry-After is capped", call(5), true, time.Hour, false, client.CodeRateLimited},
		{"400", call(0), false, 0, false, "bad_cursor"},
		{"unreachable", client.ErrUnreachable, true, 0, false, ""},
		{"bad response", client.ErrBadResponse, false, 0, false, ""},
		{"500 from a proxy", &client.ServerError{StatusCode: 500}, true, 0, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := client.IsRetryable(tt.err); got != tt.retryable {
				t.Errorf("IsRetryable(%v) = %v", tt.err, got)
			}
			if got := client.RetryAfter(tt.err); got != tt.retryAfter {
				t.Errorf("RetryAfter(%v) = %v, want %v", tt.err, got, tt.retryAfter)
			}
			if got := client.IsRevoked(tt.err); got != tt.revoked {
				t.Errorf("IsRevoked(%v) = %v", tt.err, got)
			}
			if tt.code != "" && !client.HasCode(tt.err, tt.code) {
				t.Errorf("HasCode(%v, %q) = false", tt.err, tt.code)
			}
		})
	}
}

// A redirect could carry the token elsewhere; it comes back as an answer.
func TestRedirectNotFollowed(t *testing.T) {
	other := newFakeServer(t)
	f := newFakeServer(t)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		http.Redirect(w, r, other.URL()+r.URL.Path, http.StatusFound)
		return true
	})
	_, err := newClient(t, f.URL(), client.WithToken(testToken)).Changes(t.Context(), 0, 10)
	var se *client.ServerError
	if !errors.As(err, &se) || se.StatusCode != http.StatusFound {
		t.Errorf("Changes: %v, want a 302 ServerError", err)
	}
	if n, _, _, _ := other.snapshot(); n != 0 {
		t.Errorf("redirect target got %d requests", n)
	}
}
