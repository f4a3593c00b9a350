package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// SyncStore is what the device endpoints need from the practice's database.
type SyncStore interface {
	Enrol(ctx context.Context, code, deviceName string) (store.Device, string, error)
	Authenticate(ctx context.Context, token string) (store.Device, error)
	FeedStore
	WaitForChange(ctx context.Context, after int64, wait time.Duration) (bool, error)
	OpStore
	CheckIn(ctx context.Context, req store.CheckInRequest) (store.CheckedIn, error)
	CheckInByCode(ctx context.Context, code, deviceID string) (store.CheckedIn, error)
	StaffSessionStore
}

type deviceKey struct{}

func deviceFrom(ctx context.Context) store.Device {
	d, _ := ctx.Value(deviceKey{}).(store.Device)
	return d
}

// authenticated admits a request only with the bearer token of an enrolled,
// unrevoked device, and rate-limits each device.
func (h *handlers) authenticated(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			writeError(w, http.StatusUnauthorized, "unauthorized", "This device is not set up with the practice. Please ask the practice manager.")
			return
		}
		dev, err := h.st.Authenticate(r.Context(), token)
		switch {
		case errors.Is(err, store.ErrDeviceRevoked):
			writeError(w, http.StatusUnauthorized, "device_revoked", "This device has been switched off by the practice. Please ask the practice manager.")
			return
		case errors.Is(err, store.ErrUnknownDevice):
			writeError(w, http.StatusUnauthorized, "unauthorized", "This device is not set up with the practice. Please ask the practice manager.")
			return
		case err != nil:
			h.internal(w, r, "authenticate", err)
			return
		}
		if wait, ok := h.limitFor(r).allow("device:"+dev.ID, h.clock()); !ok {
			tooMany(w, wait)
			return
		}
		h.noteDevice(r, dev)
		next(w, r.WithContext(context.WithValue(r.Context(), deviceKey{}, dev)))
	}
}

// limitFor is the request budget a request draws on: the later pages of
// one pull (a snapshot's, or continued=1) have their own, larger budget,
// so a first sync of many pages is not held up by the limit meant for a
// device gone wrong; it is still a limit, per device.
func (h *handlers) limitFor(r *http.Request) *limiter {
	if r.URL.Path == gpsync.APIVersion+"/changes" {
		q := r.URL.Query()
		if q.Get(gpsync.FeedSnapshot) != "" || q.Get(gpsync.FeedContinued) == "1" {
			return h.pageLimit
		}
	}
	return h.deviceLimit
}

func tooMany(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Round(time.Second)/time.Second))))
	writeError(w, http.StatusTooManyRequests, gpsync.CodeRateLimited, "Too many requests. Please wait a moment.")
}

// retryAfterSeconds is a quota's wait in whole seconds, rounded up: a
// device that came back a fraction early would only be held again.
func retryAfterSeconds(wait time.Duration) int {
	return max(1, int((wait+time.Second-1)/time.Second))
}

// decodeBody reads a JSON body of at most MaxBodyBytes into v, refusing
// unknown fields, wrong types and trailing data. It writes the error answer
// itself and reports whether the caller may go on.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "The request body must be JSON.")
		return false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, gpsync.MaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("The request is larger than %d bytes.", gpsync.MaxBodyBytes))
		return false
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", "The request body could not be read.")
		return false
	}
	return decodeJSON(w, body, v)
}

// plainJSONError describes a decoding failure without echoing the body.
func plainJSONError(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("malformed JSON at byte %d.", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q has the wrong type.", typ.Field)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "it ends too soon."
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ") + "."
	}
	return "it does not match the protocol."
}

func (h *handlers) enrol(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if wait, ok := h.enrolLimit.allow("addr:"+host, h.clock()); !ok {
		tooMany(w, wait)
		return
	}
	var req gpsync.EnrolRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if len(req.DeviceName) > 4*gpsync.MaxDeviceName {
		writeError(w, http.StatusBadRequest, "bad_request", "The device name is too long.")
		return
	}
	dev, token, err := h.st.Enrol(r.Context(), req.Code, req.DeviceName)
	if errors.Is(err, store.ErrInvalidEnrolmentCode) {
		writeError(w, http.StatusBadRequest, "invalid_code", "That set-up code is not valid. It may be mistyped, already used or out of date. Please ask the practice manager for a new one.")
		return
	}
	if re, ok := store.AsRuleError(err); ok {
		writeError(w, http.StatusBadRequest, "bad_request", re.Message)
		return
	}
	if err != nil {
		h.internal(w, r, "enrol", err)
		return
	}
	info, err := h.practiceInfo(r.Context())
	if err != nil {
		h.internal(w, r, "enrol: practice", err)
		return
	}
	h.log.InfoContext(r.Context(), "device enrolled", "device", dev.ID, "role", dev.Role)
	writeJSON(w, http.StatusOK, gpsync.EnrolResponse{DeviceID: dev.ID, Role: dev.Role, Token: token, Practice: info})
}

func (h *handlers) changes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	after, limit := int64(0), gpsync.DefaultPage
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "bad_cursor", "The sync position must be a whole number, 0 or more.")
			return
		}
		after = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "bad_cursor", "The page size must be a whole number, 1 or more.")
			return
		}
		limit = min(n, gpsync.MaxPageSize)
	}
	wait := 0
	if v := q.Get("wait"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > gpsync.MaxWaitSeconds {
			writeError(w, http.StatusBadRequest, "bad_request", fmt.Sprintf("The wait must be a whole number of seconds from 0 to %d.", gpsync.MaxWaitSeconds))
			return
		}
		wait = n
	}
	// A long-poll: hold the request until there is a change after the
	// cursor, so an idle device hears of one within moments without
	// asking again and again. The page is read afresh after the wait.
	if wait > 0 {
		if _, err := h.st.WaitForChange(r.Context(), after, time.Duration(wait)*time.Second); err != nil {
			if r.Context().Err() != nil {
				return // the device went away
			}
			h.internal(w, r, "changes: wait", err)
			return
		}
	}
	req := store.FeedRequest{After: after, Limit: limit, Snapshots: q.Get(gpsync.FeedSnapshots) == "1",
		Snapshot: q.Get(gpsync.FeedSnapshot), Continued: q.Get(gpsync.FeedContinued) == "1"}
	if len(req.Snapshot) > 64 {
		writeError(w, http.StatusBadRequest, "bad_cursor", "The snapshot position is not valid. The device will start its download again.")
		return
	}
	page, err := FeedPage(r.Context(), h.st, deviceFrom(r.Context()), req)
	if re, ok := store.AsRuleError(err); ok {
		writeError(w, http.StatusBadRequest, "bad_cursor", re.Message)
		return
	}
	switch {
	case errors.Is(err, store.ErrCursorAhead):
		writeError(w, http.StatusConflict, "cursor_ahead", "This device is ahead of the practice server, which has been restored from a backup. The device will download everything again.")
		return
	case errors.Is(err, store.ErrCursorExpired):
		writeError(w, http.StatusConflict, gpsync.CodeCursorExpired, "This device has been away from the practice server too long to catch up. It will download everything again.")
		return
	case errors.Is(err, store.ErrDeviceRevoked):
		writeError(w, http.StatusUnauthorized, "device_revoked", "This device has been switched off by the practice. Please ask the practice manager.")
		return
	case err != nil:
		h.internal(w, r, "changes", err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *handlers) ops(w http.ResponseWriter, r *http.Request) {
	var req gpsync.PushRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if len(req.Ops) > gpsync.MaxOpsPerPush {
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("Send at most %d actions at once.", gpsync.MaxOpsPerPush))
		return
	}
	// Check the whole batch first: a bad op must not leave the ones before
	// it applied and the ones after it waiting behind a permanent error.
	seen := map[string]bool{}
	for _, op := range req.Ops {
		_, err := DecodeOp(op)
		if errors.Is(err, ErrUnknownOpKind) {
			writeError(w, http.StatusBadRequest, "unknown_op_kind", fmt.Sprintf("This server does not know the action %q. Nothing was applied.", op.Kind))
			return
		}
		if err != nil || seen[OpKey(op.ID)] {
			writeError(w, http.StatusBadRequest, "bad_request", "An action in the request is not valid. Nothing was applied.")
			return
		}
		seen[OpKey(op.ID)] = true
	}
	dev := deviceFrom(r.Context())
	results, err := ApplyOps(r.Context(), h.st, dev, req.Ops)
	resp := gpsync.PushResponse{Results: results}
	if resp.Results == nil {
		resp.Results = []gpsync.OpResult{}
	}
	var held *store.QuotaError
	if errors.As(err, &held) {
		// Ops are applied in order, so the batch stops at the held op; the
		// results before it go back so the device need not send those
		// again, and it keeps the rest.
		kind := req.Ops[len(results)].Kind
		h.log.InfoContext(r.Context(), "op kind held to its quota", "device", dev.ID, "kind", kind,
			"applied_before", len(results), "unanswered", len(req.Ops)-len(results), "retry_after", held.RetryAfter)
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(held.RetryAfter)))
		writeJSON(w, http.StatusTooManyRequests, gpsync.Error{Code: gpsync.CodeQuotaExceeded, Message: held.Message,
			Kind: kind, Results: resp.Results})
		return
	}
	if err != nil {
		// The ops answered before the error are stored; the device retries
		// the batch and gets their stored results back.
		h.internal(w, r, "apply ops", err)
		return
	}
	h.log.InfoContext(r.Context(), "ops applied", "device", dev.ID, "count", len(resp.Results))
	writeJSON(w, http.StatusOK, resp)
}

func (h *handlers) internal(w http.ResponseWriter, r *http.Request, op string, err error) {
	if errors.Is(err, context.Canceled) {
		return // the device went away
	}
	h.log.ErrorContext(r.Context(), "request failed", "op", op, "err", err)
	writeError(w, http.StatusServiceUnavailable, "unavailable", "The practice server had a problem. It will be tried again.")
}

// limiter is a token bucket per key: rate tokens a second, up to burst.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate, burst float64) *limiter {
	return &limiter{rate: rate, burst: burst, buckets: map[string]*bucket{}}
}

// allow takes a token for key, or says how long until one is free.
func (l *limiter) allow(key string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) > 10000 { // forget idle keys rather than grow without bound
			for k, old := range l.buckets {
				if now.Sub(old.last) > time.Minute {
					delete(l.buckets, k)
				}
			}
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) / l.rate * float64(time.Second)), false
	}
	b.tokens--
	return 0, true
}

func (h *handlers) checkIn(w http.ResponseWriter, r *http.Request) {
	dev := deviceFrom(r.Context())
	if dev.Role != store.DeviceKiosk {
		writeError(w, http.StatusForbidden, "wrong_role", "Only a kiosk checks patients in.")
		return
	}
	var req gpsync.CheckInRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if req.Code != "" && (req.DateOfBirth != "" || req.Sex != "" || req.SurnameInitial != "") {
		writeError(w, http.StatusBadRequest, "bad_request", "Send either a slip's code or the patient's details, not both.")
		return
	}
	res, err := AnswerCheckIn(r.Context(), h.st, dev.ID, req)
	if err != nil {
		h.internal(w, r, "check in", err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// CheckInStore is what answering a check-in needs of the store.
type CheckInStore interface {
	CheckIn(ctx context.Context, req store.CheckInRequest) (store.CheckedIn, error)
	CheckInByCode(ctx context.Context, code, deviceID string) (store.CheckedIn, error)
}

// AnswerCheckIn checks a patient in for the kiosk deviceID, by slip code
// or by their details, and words the answer: a refusal is a normal answer
// with the store's sentence; only a fault of the store is an error. A
// check-in by details names no time or clinician, and once the kiosk's
// failure budget is spent it answers with DetailsPaused (store.CheckIn). The
// HTTP handler and the in-process pretend practice (store/pretend) both
// answer through it.
func AnswerCheckIn(ctx context.Context, st CheckInStore, deviceID string, req gpsync.CheckInRequest) (gpsync.CheckInResponse, error) {
	var got store.CheckedIn
	var err error
	if req.Code != "" {
		got, err = st.CheckInByCode(ctx, req.Code, deviceID)
	} else {
		dob, perr := store.ParseDate(req.DateOfBirth)
		if re, ok := store.AsRuleError(perr); ok {
			return gpsync.CheckInResponse{Message: re.Message, Code: re.Code, Args: re.Args}, nil
		}
		if perr != nil {
			return gpsync.CheckInResponse{Message: perr.Error()}, nil
		}
		got, err = st.CheckIn(ctx, store.CheckInRequest{DateOfBirth: dob, Sex: store.Sex(req.Sex), SurnameInitial: req.SurnameInitial, DeviceID: deviceID})
	}
	var paused *store.CheckInPausedError
	if errors.As(err, &paused) {
		re, _ := store.AsRuleError(paused)
		return gpsync.CheckInResponse{Message: re.Message, Code: re.Code, Args: re.Args, DetailsPaused: true,
			RetryAfterSeconds: max(1, int((paused.RetryAfter+time.Second-1)/time.Second))}, nil
	}
	if re, ok := store.AsRuleError(err); ok {
		return gpsync.CheckInResponse{Message: re.Message, Code: re.Code, Args: re.Args}, nil
	}
	if err != nil {
		return gpsync.CheckInResponse{}, fmt.Errorf("server.AnswerCheckIn: %w", err)
	}
	// A check-in by details comes back without time or clinician (the
	// store's rule): it confirms the arrival and names nobody's plans.
	return gpsync.CheckInResponse{CheckedIn: true, StartsAt: got.StartsAt, Clinician: got.ClinicianName}, nil
}

// decodeJSON reads a request's JSON body into v, refusing
// unknown fields and trailing data with a 400 that says what was wrong.
func decodeJSON(w http.ResponseWriter, body []byte, v any) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", "The request body is not valid: "+plainJSONError(err))
		return false
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "bad_request", "The request body has extra data after the JSON.")
		return false
	}
	return true
}
