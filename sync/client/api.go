package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/go-resty/resty/v2"

	gpsync "gpkiosk/sync"
)

// maxChangesBodyBytes caps one change-feed page. A full page of 1000 rows
// is typically 1–2 MB; this leaves room for large rows without letting a
// broken server fill the device's memory.
const maxChangesBodyBytes = 8 << 20

// Enrol exchanges a one-time enrolment code for a device token. It sends no
// token of its own. A used, unknown or expired code is a *ServerError with
// Code CodeInvalidCode.
func (c *Client) Enrol(ctx context.Context, req gpsync.EnrolRequest) (gpsync.EnrolResponse, error) {
	const op, path = "client.Enrol", gpsync.APIVersion + "/enrol"
	body, err := json.Marshal(req)
	if err != nil {
		return gpsync.EnrolResponse{}, fmt.Errorf("%s: encode request: %w", op, err)
	}
	resp, err := c.send(ctx, op, c.http.R().SetHeader("Content-Type", "application/json").SetBody(body), http.MethodPost, path)
	if err != nil {
		return gpsync.EnrolResponse{}, err
	}
	var out gpsync.EnrolResponse
	if err := decode(op, path, resp, &out); err != nil {
		return gpsync.EnrolResponse{}, err
	}
	if out.DeviceID == "" || out.Token == "" || (out.Role != gpsync.RoleKiosk && out.Role != gpsync.RoleDesktop) {
		return gpsync.EnrolResponse{}, fmt.Errorf("%s: POST %s: %w: missing device ID, token or role", op, path, ErrBadResponse)
	}
	return out, nil
}

// Changes fetches one page of the change feed after cursor after. limit 0
// means gpsync.DefaultPage; more than gpsync.MaxPageSize is clamped. A
// cursor past the server's newest change is a *ServerError with Code
// CodeCursorAhead.
func (c *Client) Changes(ctx context.Context, after int64, limit int) (gpsync.ChangesResponse, error) {
	return c.changes(ctx, "client.Changes", after, limit, 0)
}

// WaitForChanges is Changes as a long-poll: when nothing has changed after
// after, the server holds the request open for up to wait (whole seconds,
// at most gpsync.MaxWaitSeconds) and answers as soon as something does,
// or with an empty page when the wait ends. The request's timeout outlasts
// the wait. A server older than the wait parameter answers at once.
func (c *Client) WaitForChanges(ctx context.Context, after int64, limit int, wait time.Duration) (gpsync.ChangesResponse, error) {
	secs := int(min(max(wait, 0), gpsync.MaxWaitSeconds*time.Second) / time.Second)
	return c.changes(ctx, "client.WaitForChanges", after, limit, secs)
}

// FeedRequest is a page of the feed as Feed asks for it.
type FeedRequest struct {
	After int64
	Limit int // 0: gpsync.DefaultPage
	// Snapshots: this device can take a snapshot (gpsync.FeedSnapshots).
	Snapshots bool
	// Snapshot continues a snapshot: the page before's Snapshot.
	Snapshot string
	// Continued: a later page of one pull (gpsync.FeedContinued).
	Continued bool
}

// Feed fetches one page of the change feed, or of a snapshot. A cursor
// past the server's newest change is a *ServerError with Code
// CodeCursorAhead; one below its compaction floor (with Snapshots) has
// CodeCursorExpired.
func (c *Client) Feed(ctx context.Context, req FeedRequest) (gpsync.ChangesResponse, error) {
	return c.feed(ctx, "client.Feed", req, 0)
}

func (c *Client) changes(ctx context.Context, op string, after int64, limit, waitSecs int) (gpsync.ChangesResponse, error) {
	return c.feed(ctx, op, FeedRequest{After: after, Limit: limit}, waitSecs)
}

func (c *Client) feed(ctx context.Context, op string, fr FeedRequest, waitSecs int) (gpsync.ChangesResponse, error) {
	const path = gpsync.APIVersion + "/changes"
	after, limit := fr.After, fr.Limit
	if after < 0 || limit < 0 {
		return gpsync.ChangesResponse{}, fmt.Errorf("%s: after %d, limit %d: must not be negative", op, after, limit)
	}
	if limit == 0 {
		limit = gpsync.DefaultPage
	}
	limit = min(limit, gpsync.MaxPageSize)
	hc := c.http
	if waitSecs > 0 {
		hc = c.waitHTTP
	}
	req := c.authedOn(hc).
		SetQueryParam("after", strconv.FormatInt(after, 10)).
		SetQueryParam("limit", strconv.Itoa(limit)).
		SetResponseBodyLimit(maxChangesBodyBytes)
	if waitSecs > 0 {
		req.SetQueryParam("wait", strconv.Itoa(waitSecs))
	}
	if fr.Snapshots {
		req.SetQueryParam(gpsync.FeedSnapshots, "1")
	}
	if fr.Snapshot != "" {
		req.SetQueryParam(gpsync.FeedSnapshot, fr.Snapshot)
	}
	if fr.Continued {
		req.SetQueryParam(gpsync.FeedContinued, "1")
	}
	resp, err := c.send(ctx, op, req, http.MethodGet, path)
	if err != nil {
		return gpsync.ChangesResponse{}, err
	}
	var page gpsync.ChangesResponse
	if err := decode(op, path, resp, &page); err != nil {
		return gpsync.ChangesResponse{}, err
	}
	if err := checkPage(after, fr.Snapshot, page); err != nil {
		return gpsync.ChangesResponse{}, fmt.Errorf("%s: GET %s: %w: %w", op, path, ErrBadResponse, err)
	}
	return page, nil
}

// checkPage rejects a page that would corrupt the replica or page for ever.
// Changes need not be in seq order: the server sends a row changed twice in
// a page once, at its first place, with its newest seq.
//
// A snapshot's pages (asked for with a snapshot token, or answered with
// one) carry every change at Seq == Cursor, and progress in their token.
func checkPage(after int64, token string, page gpsync.ChangesResponse) error {
	if page.Cursor < after {
		return fmt.Errorf("cursor went back from %d to %d", after, page.Cursor)
	}
	snapshot := token != "" || page.Snapshot != ""
	if page.Snapshot != "" && page.Snapshot == token {
		return fmt.Errorf("snapshot position did not move from %q", token)
	}
	if page.More && page.Cursor == after && !snapshot {
		return fmt.Errorf("more pages promised but the cursor did not move from %d", after)
	}
	for _, ch := range page.Changes {
		if snapshot && ch.Seq != page.Cursor {
			return fmt.Errorf("snapshot change seq %d is not the page's cursor %d", ch.Seq, page.Cursor)
		}
		if !snapshot && (ch.Seq <= after || ch.Seq > page.Cursor) {
			return fmt.Errorf("change seq %d outside (%d, %d]", ch.Seq, after, page.Cursor)
		}
		if ch.Entity == "" {
			return fmt.Errorf("change seq %d has no entity", ch.Seq)
		}
		if !ch.Deleted && len(ch.Data) == 0 {
			return fmt.Errorf("change seq %d has no data", ch.Seq)
		}
	}
	return nil
}

// Push sends ops, oldest first, and returns one result per op in the same
// order. An empty ops sends nothing. A business rejection is a result with
// Status gpsync.OpRejected, not an error.
//
// When the server holds an op's kind to its quota the error is a
// *ServerError with Code CodeQuotaExceeded, Kind that op's kind and
// RetryAfter, and the response has the results of the ops before it
// (fewer than were sent): record those, and keep that op and the rest.
func (c *Client) Push(ctx context.Context, ops []gpsync.Op) (gpsync.PushResponse, error) {
	const op, path = "client.Push", gpsync.APIVersion + "/ops"
	if len(ops) == 0 {
		return gpsync.PushResponse{Results: []gpsync.OpResult{}}, nil
	}
	if len(ops) > gpsync.MaxOpsPerPush {
		return gpsync.PushResponse{}, fmt.Errorf("%s: %d ops: at most %d in one push", op, len(ops), gpsync.MaxOpsPerPush)
	}
	body, err := json.Marshal(gpsync.PushRequest{Ops: ops})
	if err != nil {
		return gpsync.PushResponse{}, fmt.Errorf("%s: encode request: %w", op, err)
	}
	// The server would answer 413; saying so here keeps the bytes local.
	if len(body) > gpsync.MaxBodyBytes {
		return gpsync.PushResponse{}, fmt.Errorf("%s: %d ops are %d bytes, over the %d-byte limit", op, len(ops), len(body), gpsync.MaxBodyBytes)
	}
	resp, err := c.send(ctx, op, c.authed().SetHeader("Content-Type", "application/json").SetBody(body), http.MethodPost, path)
	if err != nil {
		return gpsync.PushResponse{}, err
	}
	var out gpsync.PushResponse
	if err := decode(op, path, resp, &out); err != nil {
		if HasCode(err, CodeQuotaExceeded) {
			return heldPush(op, path, resp, ops, err)
		}
		return gpsync.PushResponse{}, err
	}
	// Results are matched to ops by position when recorded, so a short or
	// reordered answer must not be taken at its word.
	if len(out.Results) != len(ops) {
		return gpsync.PushResponse{}, fmt.Errorf("%s: POST %s: %w: %d results for %d ops", op, path, ErrBadResponse, len(out.Results), len(ops))
	}
	if err := checkResults(ops, out.Results); err != nil {
		return gpsync.PushResponse{}, fmt.Errorf("%s: POST %s: %w", op, path, err)
	}
	return out, nil
}

// heldPush reads a 429 quota_exceeded answer to a push (held, from
// decode): the results of the ops before the held one, checked as a whole
// answer's are, and the held op's kind, which must be that op's.
func heldPush(op, path string, resp *resty.Response, ops []gpsync.Op, held error) (gpsync.PushResponse, error) {
	var body gpsync.Error
	if err := json.Unmarshal(resp.Body(), &body); err != nil {
		return gpsync.PushResponse{}, fmt.Errorf("%s: POST %s: %w: decode quota answer: %w", op, path, ErrBadResponse, err)
	}
	n := len(body.Results)
	if n >= len(ops) || body.Kind != ops[n].Kind {
		return gpsync.PushResponse{}, fmt.Errorf("%s: POST %s: %w: quota answer with %d results and kind %q for %d ops",
			op, path, ErrBadResponse, n, body.Kind, len(ops))
	}
	if err := checkResults(ops, body.Results); err != nil {
		return gpsync.PushResponse{}, fmt.Errorf("%s: POST %s: %w", op, path, err)
	}
	return gpsync.PushResponse{Results: body.Results}, held
}

// checkResults checks that results are for ops, in order from the first,
// each with a status the protocol knows.
func checkResults(ops []gpsync.Op, results []gpsync.OpResult) error {
	for i, r := range results {
		if r.ID != ops[i].ID {
			return fmt.Errorf("%w: result %d is for op %q, want %q", ErrBadResponse, i, r.ID, ops[i].ID)
		}
		if r.Status != gpsync.OpApplied && r.Status != gpsync.OpRejected {
			return fmt.Errorf("%w: result %d has status %q", ErrBadResponse, i, r.Status)
		}
	}
	return nil
}

// authed starts a request that carries the device token, if there is one.
func (c *Client) authed() *resty.Request { return c.authedOn(c.http) }

// authedOn is authed on one of the client's two resty clients.
func (c *Client) authedOn(hc *resty.Client) *resty.Request {
	r := hc.R()
	if c.token != "" {
		r.SetAuthToken(c.token)
	}
	return r
}

// CheckIn asks the server to check a patient in now. A patient the server
// cannot match is a normal answer (CheckedIn false, with a message).
func (c *Client) CheckIn(ctx context.Context, req gpsync.CheckInRequest) (gpsync.CheckInResponse, error) {
	const op, path = "client.CheckIn", gpsync.APIVersion + "/checkin"
	body, err := json.Marshal(req)
	if err != nil {
		return gpsync.CheckInResponse{}, fmt.Errorf("%s: encode request: %w", op, err)
	}
	resp, err := c.send(ctx, op, c.authed().SetHeader("Content-Type", "application/json").SetBody(body), http.MethodPost, path)
	if err != nil {
		return gpsync.CheckInResponse{}, err
	}
	var out gpsync.CheckInResponse
	if err := decode(op, path, resp, &out); err != nil {
		return gpsync.CheckInResponse{}, err
	}
	if !out.CheckedIn && out.Message == "" {
		return gpsync.CheckInResponse{}, fmt.Errorf("%s: POST %s: %w: a refusal without a message", op, path, ErrBadResponse)
	}
	return out, nil
}
