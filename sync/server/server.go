// Package server is the practice server's HTTP face: net/http handlers
// over store. It holds no state of its own beyond what it is given.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	gpsync "gpkiosk/sync"

	"gpkiosk/store"
)

// Store is what the handlers need from the practice's database.
type Store interface {
	Ping(ctx context.Context) error
	Practice(ctx context.Context) (store.Practice, error)
	SchemaVersion() int
	SyncStore
	ManageStore
}

// Option adjusts the server, for tests.
type Option func(*handlers)

// WithRateLimits sets the per-device and per-address (enrolment) request
// rates, in requests a second with the given bursts.
func WithRateLimits(devicePerSec, deviceBurst, enrolPerSec, enrolBurst float64) Option {
	return func(h *handlers) {
		h.deviceLimit = newLimiter(devicePerSec, deviceBurst)
		h.enrolLimit = newLimiter(enrolPerSec, enrolBurst)
	}
}

// WithPageLimit sets the per-device rate, in requests a second with the
// given burst, of the later pages of a pull (limitFor).
func WithPageLimit(perSec, burst float64) Option {
	return func(h *handlers) { h.pageLimit = newLimiter(perSec, burst) }
}

// WithClock replaces time.Now for rate limiting.
func WithClock(now func() time.Time) Option { return func(h *handlers) { h.clock = now } }

// New returns the server's handler. Every request is logged with its
// method, path (no query string: it may one day carry identifiers), status
// and duration, never a body.
func New(st Store, log *slog.Logger, opts ...Option) http.Handler {
	mux := http.NewServeMux()
	h := &handlers{st: st, log: log, clock: time.Now,
		// A kiosk syncs every few seconds at most; 20/s with a burst of 60
		// only stops a device gone wrong. Enrolment codes are guessable only
		// by brute force, so an address gets 10 tries a minute.
		deviceLimit: newLimiter(20, 60), enrolLimit: newLimiter(10.0/60, 10),
		// The later pages of a pull: a desktop's first sync of 100,000
		// patients is about 400 pages of 500 rows in several seconds; 50/s
		// with a burst of 300 lets it through without a wait and still
		// bounds a device that asks for pages it does not need.
		pageLimit: newLimiter(50, 300)}
	for _, o := range opts {
		o(h)
	}
	mux.HandleFunc("/healthz", only(http.MethodGet, h.health))
	mux.HandleFunc(gpsync.APIVersion+"/practice", only(http.MethodGet, h.practice))
	mux.HandleFunc(gpsync.APIVersion+"/enrol", only(http.MethodPost, h.enrol))
	mux.HandleFunc(gpsync.APIVersion+"/changes", only(http.MethodGet, h.authenticated(h.changes)))
	mux.HandleFunc(gpsync.APIVersion+"/ops", only(http.MethodPost, h.authenticated(h.ops)))
	mux.HandleFunc(gpsync.APIVersion+"/checkin", only(http.MethodPost, h.authenticated(h.checkIn)))
	mux.HandleFunc(gpsync.StaffSessionsPath, only(http.MethodPost, h.authenticated(h.startStaffSession)))
	mux.HandleFunc(gpsync.StaffSessionsPath+"/", only(http.MethodDelete, h.authenticated(h.endStaffSession)))
	h.manageRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "There is nothing at this address.")
	})
	return logRequests(log, mux)
}

// only answers other methods with a JSON 405, the same shape as every error.
func only(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
			w.Header().Set("Allow", method)
			writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "This address only answers "+method+" requests.")
			return
		}
		h(w, r)
	}
}

type handlers struct {
	st          Store
	log         *slog.Logger
	clock       func() time.Time
	deviceLimit *limiter
	pageLimit   *limiter // later pages of a pull (limitFor)
	enrolLimit  *limiter
	// The address and certificate pin a new device is given (WithEnrolmentAddress).
	publicURL, certPin string
	reports            deviceReports
}

func (h *handlers) health(w http.ResponseWriter, r *http.Request) {
	if err := h.st.Ping(r.Context()); err != nil {
		h.log.ErrorContext(r.Context(), "health check failed", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, gpsync.Health{Status: "unavailable", SchemaVersion: h.st.SchemaVersion()})
		return
	}
	writeJSON(w, http.StatusOK, gpsync.Health{Status: "ok", SchemaVersion: h.st.SchemaVersion()})
}

func (h *handlers) practice(w http.ResponseWriter, r *http.Request) {
	info, err := h.practiceInfo(r.Context())
	if errors.Is(err, store.ErrNoPractice) {
		writeError(w, http.StatusServiceUnavailable, "no_practice", "This practice server has not been set up with a practice yet.")
		return
	}
	if err != nil {
		h.log.ErrorContext(r.Context(), "read practice failed", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "The practice server had a problem. Please try again.")
		return
	}
	writeJSON(w, http.StatusOK, info)
}

func (h *handlers) practiceInfo(ctx context.Context) (gpsync.PracticeInfo, error) {
	p, err := h.st.Practice(ctx)
	if err != nil {
		return gpsync.PracticeInfo{}, err
	}
	return gpsync.PracticeInfo{Name: p.Name, ODSCode: p.ODSCode, Address: p.Address, Postcode: p.Postcode, Phone: p.Phone,
		SchemaVersion: h.st.SchemaVersion()}, nil
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body) // the client has gone if this fails
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, gpsync.Error{Code: code, Message: message})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		log.InfoContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration_ms", time.Since(start).Milliseconds())
	})
}
