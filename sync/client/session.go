package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	gpsync "gpkiosk/sync"
)

// StartStaffSession signs a member of staff in online. A refusal (wrong
// password, account switched off, sign-in paused) is a *ServerError with
// the reason as its Code and the words to show as its Message.
func (c *Client) StartStaffSession(ctx context.Context, req gpsync.StaffSessionRequest) (gpsync.StaffSessionResponse, error) {
	const op, path = "client.StartStaffSession", gpsync.StaffSessionsPath
	body, err := json.Marshal(req)
	if err != nil {
		return gpsync.StaffSessionResponse{}, fmt.Errorf("%s: encode request: %w", op, err)
	}
	resp, err := c.send(ctx, op, c.authed().SetHeader("Content-Type", "application/json").SetBody(body), http.MethodPost, path)
	if err != nil {
		return gpsync.StaffSessionResponse{}, err
	}
	var out gpsync.StaffSessionResponse
	if err := decode(op, path, resp, &out); err != nil {
		return gpsync.StaffSessionResponse{}, err
	}
	if key, err := gpsync.DecodeProof(out.Key); err != nil || key == nil || !gpsync.SessionIDPattern.MatchString(out.SessionID) || out.ExpiresAt.IsZero() {
		return gpsync.StaffSessionResponse{}, fmt.Errorf("%s: POST %s: %w: the session has no usable ID, key or expiry", op, path, ErrBadResponse)
	}
	return out, nil
}

// EndStaffSession signs a member of staff out on the server.
func (c *Client) EndStaffSession(ctx context.Context, sessionID string) error {
	const op = "client.EndStaffSession"
	if !gpsync.SessionIDPattern.MatchString(sessionID) {
		return fmt.Errorf("%s: %q is not a session ID", op, sessionID)
	}
	path := gpsync.StaffSessionsPath + "/" + sessionID
	resp, err := c.send(ctx, op, c.authed(), http.MethodDelete, path)
	if err != nil {
		return err
	}
	if !resp.IsSuccess() {
		return fmt.Errorf("%s: DELETE %s: %w", op, path, serverError(resp))
	}
	return nil
}
