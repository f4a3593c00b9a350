package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// StaffSessionStore is what online staff sign-in needs of the store.
type StaffSessionStore interface {
	StartStaffSession(ctx context.Context, req store.StaffSessionRequest) (store.StaffSession, error)
	EndStaffSession(ctx context.Context, dev store.Device, sessionID string) error
}

// startStaffSession signs a member of staff in online (store.StartStaffSession).
// A wrong password or a switched-off account is 403 (401 stays "this
// device's token is not accepted"), a spent failure budget 429 with
// Retry-After; each has its reason as the code and words the desk shows.
func (h *handlers) startStaffSession(w http.ResponseWriter, r *http.Request) {
	dev := deviceFrom(r.Context())
	if dev.Role != store.DeviceDesktop {
		writeError(w, http.StatusForbidden, "wrong_role", "Staff sign in at a staff desktop.")
		return
	}
	var req gpsync.StaffSessionRequest
	if !decodeBody(w, r, &req) {
		return
	}
	mac, err := gpsync.DecodeProof(req.Proof)
	if err != nil || mac == nil || req.StaffID <= 0 || req.At.IsZero() || !gpsync.SessionIDPattern.MatchString(req.Nonce) {
		writeError(w, http.StatusBadRequest, "bad_request", "The sign-in is not complete: it needs a staff ID, a time, a nonce and a proof.")
		return
	}
	proof := store.Proof{Signed: gpsync.StaffSignInInput(dev.ID, req.StaffID, req.At, req.Nonce), MAC: mac}
	sess, err := h.st.StartStaffSession(r.Context(), store.StaffSessionRequest{Device: dev, StaffID: req.StaffID, At: req.At, Nonce: req.Nonce, Proof: proof})
	var paused *store.SignInPausedError
	if errors.As(err, &paused) {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int((paused.RetryAfter+time.Second-1)/time.Second))))
		writeError(w, http.StatusTooManyRequests, string(store.ReasonSignInPaused), paused.Error())
		return
	}
	if re, ok := store.AsRuleError(err); ok {
		status := http.StatusForbidden
		if re.Reason == store.ReasonInvalidInput {
			status = http.StatusBadRequest
		}
		writeError(w, status, string(re.Reason), re.Message)
		return
	}
	if err != nil {
		h.internal(w, r, "start staff session", err)
		return
	}
	h.log.InfoContext(r.Context(), "staff session started", "device", dev.ID)
	writeJSON(w, http.StatusOK, gpsync.StaffSessionResponse{SessionID: sess.ID, Key: gpsync.EncodeProof(sess.Key[:]), ExpiresAt: sess.ExpiresAt})
}

// endStaffSession signs a member of staff out (DELETE .../sessions/{id}).
// Ending a session proves nothing and takes nothing away from anyone but
// the desktop's own, so the device's token is enough.
func (h *handlers) endStaffSession(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutPrefix(r.URL.Path, gpsync.StaffSessionsPath+"/")
	if !ok || !gpsync.SessionIDPattern.MatchString(id) {
		writeError(w, http.StatusNotFound, "not_found", "There is no such sign-in.")
		return
	}
	if err := h.st.EndStaffSession(r.Context(), deviceFrom(r.Context()), id); err != nil {
		h.internal(w, r, "end staff session", err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
