// Package staffsignin signs a member of staff in at a desktop: against the
// desktop's own sign-in check, so it works offline, and then, when the
// practice server can be reached, against the server, whose session key
// signs their ops from then on (docs/security.md, "A stolen staff
// desktop"). It joins the replica and the sync client, which know nothing
// of each other.
package staffsignin

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
)

// Replica is the desktop's replica as signing in needs it.
type Replica interface {
	StaffSignIn(ctx context.Context, username, password string) (replica.StaffMember, error)
	StaffSessionRequest(ctx context.Context, m replica.StaffMember) (gpsync.StaffSessionRequest, error)
}

// Server is the practice server as signing in and out needs it
// (*client.Client).
type Server interface {
	StartStaffSession(ctx context.Context, req gpsync.StaffSessionRequest) (gpsync.StaffSessionResponse, error)
	EndStaffSession(ctx context.Context, sessionID string) error
}

// DefaultWait is how long a sign-in waits for the server before going on
// offline: long enough for a slow network, short enough that a receptionist
// with the network down is not left looking at "Checking".
const DefaultWait = 5 * time.Second

// Online signs staff in and out with the replica and the server.
type Online struct {
	Replica Replica
	Server  Server
	Log     *slog.Logger
	Wait    time.Duration // DefaultWait when 0
}

// StaffSignIn checks the password on this desktop, then with the server.
// The server's refusal (the password was changed, the account switched
// off, too many failures from this desktop, this desktop switched off) is
// the answer. If the server cannot be asked (unreachable, slow, broken, its
// certificate not the pinned one, this computer's clock wrong) the member
// of staff is signed in offline: their ops are signed with their password's
// key and still prove who made them.
func (o Online) StaffSignIn(ctx context.Context, username, password string) (replica.StaffMember, error) {
	m, err := o.Replica.StaffSignIn(ctx, username, password)
	if err != nil {
		return replica.StaffMember{}, err
	}
	req, err := o.Replica.StaffSessionRequest(ctx, m)
	if err != nil {
		o.Log.WarnContext(ctx, "staff signed in offline: no sign-in request", "err", err)
		return m, nil
	}
	wait := o.Wait
	if wait <= 0 {
		wait = DefaultWait
	}
	askCtx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	sess, err := o.Server.StartStaffSession(askCtx, req)
	if refusal := refusalOf(err); refusal != nil {
		o.Log.InfoContext(ctx, "staff sign-in refused by the practice server", "reason", string(refusal.Reason))
		return replica.StaffMember{}, refusal
	}
	if err != nil {
		o.Log.WarnContext(ctx, "staff signed in offline: practice server not reached", "err", err)
		return m, nil
	}
	online, err := m.WithSession(sess)
	if err != nil {
		o.Log.WarnContext(ctx, "staff signed in offline", "err", err)
		return m, nil
	}
	return online, nil
}

// StaffSignOut ends the member of staff's online session on the server, if
// they have one. The desk has already forgotten them, so a failure here
// only means the server ends the session at its expiry instead.
func (o Online) StaffSignOut(ctx context.Context, m replica.StaffMember) {
	id, _ := m.Session()
	if id == "" {
		return
	}
	wait := o.Wait
	if wait <= 0 {
		wait = DefaultWait
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	if err := o.Server.EndStaffSession(ctx, id); err != nil {
		o.Log.WarnContext(ctx, "staff sign-out not sent to the practice server", "err", err)
	}
}

// refusalOf is the server's answer to a sign-in as a refusal to show, or
// nil when the server was not reached or did not decide (then the desktop
// signs in offline). A device switched off is a refusal too: nothing done
// on it would ever be accepted.
func refusalOf(err error) *store.RuleError {
	var se *client.ServerError
	if !errors.As(err, &se) || se.Code == "" {
		return nil
	}
	switch {
	case se.StatusCode == http.StatusUnauthorized,
		se.Code == string(store.ReasonNotProven), se.Code == string(store.ReasonStaffAccountOff),
		se.Code == string(store.ReasonSignInPaused), se.Code == string(store.ReasonStaffNotAllowed):
		return &store.RuleError{Reason: store.Reason(se.Code), Message: se.Message}
	}
	return nil
}
