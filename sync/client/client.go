// Package client talks to the practice server over HTTP for a kiosk or staff
// desktop. It turns transport failures and the server's error bodies into
// Go errors the UI can tell apart without knowing anything about HTTP.
package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	gpsync "gpkiosk/sync"
)

// DefaultTimeout bounds a whole request, connect to last byte. On a surgery
// LAN an answer takes milliseconds; waiting longer only keeps a patient
// looking at "Connecting…".
const DefaultTimeout = 10 * time.Second

// maxBodyBytes caps what we read from the server; the bodies we ask for so
// far are a few hundred bytes, so anything near this is a fault.
const maxBodyBytes = 1 << 20

// ErrUnreachable means no answer came back from the practice server: the
// connection was refused, the name did not resolve, or it timed out. The UI
// shows "Cannot reach the practice server" for it.
var ErrUnreachable = errors.New("cannot reach the practice server")

// ErrBadResponse means the server answered but the body was not what the
// protocol promises (malformed JSON, wrong shape, too large).
var ErrBadResponse = errors.New("unexpected answer from the practice server")

// ServerError is a 4xx or 5xx answer. Code and Message come from the
// server's gpsync.Error body when it sent one; Message is meant to be shown.
type ServerError struct {
	StatusCode int
	Code       string
	Message    string
}

func (e *ServerError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("practice server answered %d: %s", e.StatusCode, e.Message)
	}
	return fmt.Sprintf("practice server answered %d %s: %s", e.StatusCode, e.Code, e.Message)
}

// Client is safe for concurrent use.
type Client struct {
	baseURL string
	http    *resty.Client
	log     *slog.Logger
}

type config struct {
	timeout time.Duration
	log     *slog.Logger
}

// Option changes how New builds a Client.
type Option func(*config)

// WithTimeout sets the per-request timeout (default DefaultTimeout).
func WithTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// WithLogger sets where the client logs (default slog.Default()). It logs
// only paths, status codes and durations, never bodies.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.log = l }
}

// New returns a client for the practice server at baseURL, for example
// "http://127.0.0.1:8400". It checks the address but does not connect.
func New(baseURL string, opts ...Option) (*Client, error) {
	const op = "client.New"
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("%s: server address %q: %w", op, baseURL, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%s: server address %q: want http://host:port or https://host:port", op, baseURL)
	}
	cfg := config{timeout: DefaultTimeout, log: slog.Default()}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.timeout <= 0 {
		return nil, fmt.Errorf("%s: timeout must be positive, got %v", op, cfg.timeout)
	}
	base := strings.TrimRight(u.String(), "/")
	hc := resty.New().
		SetBaseURL(base).
		SetTimeout(cfg.timeout).
		SetResponseBodyLimit(maxBodyBytes).
		SetHeader("Accept", "application/json").
		// We report errors ourselves, wrapped; resty's own logger would
		// print them a second time on stderr.
		SetLogger(discardLogger{})
	return &Client{baseURL: base, http: hc, log: cfg.log}, nil
}

// BaseURL is the server address the client was made with, for showing to
// people ("Cannot reach the practice server at …").
func (c *Client) BaseURL() string { return c.baseURL }

// PracticeInfo fetches the public description of the practice.
func (c *Client) PracticeInfo(ctx context.Context) (gpsync.PracticeInfo, error) {
	const op, path = "client.PracticeInfo", gpsync.APIVersion + "/practice"
	var info gpsync.PracticeInfo
	resp, err := c.get(ctx, op, path)
	if err != nil {
		return gpsync.PracticeInfo{}, err
	}
	if err := decode(op, path, resp, &info); err != nil {
		return gpsync.PracticeInfo{}, err
	}
	if info.Name == "" {
		return gpsync.PracticeInfo{}, fmt.Errorf("%s: GET %s: %w: practice has no name", op, path, ErrBadResponse)
	}
	return info, nil
}

// Health asks whether the server can serve requests. A server that is up
// but cannot use its database answers 503 with a Health body whose Status
// is "unavailable": that is an answer to the question, so it comes back
// without an error.
func (c *Client) Health(ctx context.Context) (gpsync.Health, error) {
	const op, path = "client.Health", "/healthz"
	var h gpsync.Health
	resp, err := c.get(ctx, op, path)
	if err != nil {
		return gpsync.Health{}, err
	}
	if resp.StatusCode() == http.StatusServiceUnavailable {
		if json.Unmarshal(resp.Body(), &h) == nil && h.Status != "" {
			return h, nil
		}
	}
	if err := decode(op, path, resp, &h); err != nil {
		return gpsync.Health{}, err
	}
	if h.Status == "" {
		return gpsync.Health{}, fmt.Errorf("%s: GET %s: %w: no status", op, path, ErrBadResponse)
	}
	return h, nil
}

// get sends GET path and sorts transport failures into ErrUnreachable, the
// caller's own cancellation, and oversized answers.
func (c *Client) get(ctx context.Context, op, path string) (*resty.Response, error) {
	start := time.Now()
	resp, err := c.http.R().SetContext(ctx).Get(path)
	if err != nil {
		c.log.DebugContext(ctx, "practice server request failed", "op", op, "path", path, "duration", time.Since(start), "err", err)
		switch {
		case ctx.Err() != nil:
			// The caller gave up (screen closed, app quitting); that is
			// not the server's fault.
			return nil, fmt.Errorf("%s: GET %s: %w", op, path, ctx.Err())
		case errors.Is(err, resty.ErrResponseBodyTooLarge):
			return nil, fmt.Errorf("%s: GET %s: %w: %w", op, path, ErrBadResponse, err)
		default:
			return nil, fmt.Errorf("%s: GET %s: %w: %w", op, path, ErrUnreachable, err)
		}
	}
	c.log.DebugContext(ctx, "practice server request", "op", op, "path", path, "status", resp.StatusCode(), "duration", time.Since(start))
	return resp, nil
}

// decode turns a non-2xx answer into a *ServerError and decodes a 2xx body
// into out. We decode ourselves rather than through resty's SetResult so
// that a body that is not JSON, or JSON of the wrong shape, is an error
// instead of a zero value. Unknown fields are allowed so a newer server can
// add fields without breaking older devices.
func decode(op, path string, resp *resty.Response, out any) error {
	if !resp.IsSuccess() {
		return fmt.Errorf("%s: GET %s: %w", op, path, serverError(resp))
	}
	if err := json.Unmarshal(resp.Body(), out); err != nil {
		return fmt.Errorf("%s: GET %s: %w: decode body: %w", op, path, ErrBadResponse, err)
	}
	return nil
}

// serverError builds a ServerError from a non-2xx answer. A proxy or a
// crashed server may send HTML instead of a gpsync.Error; the status code
// alone still tells the UI what kind of failure it is.
func serverError(resp *resty.Response) *ServerError {
	se := &ServerError{StatusCode: resp.StatusCode()}
	var body gpsync.Error
	if err := json.Unmarshal(resp.Body(), &body); err == nil && body.Code != "" {
		se.Code = body.Code
		se.Message = body.Message
	}
	if se.Message == "" {
		se.Message = http.StatusText(se.StatusCode)
	}
	return se
}

// discardLogger satisfies resty.Logger and drops everything.
type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}
