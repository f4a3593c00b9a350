// Package client talks to the practice server over HTTP for a kiosk or staff
// desktop. It turns transport failures and the server's error bodies into
// Go errors the UI can tell apart without knowing anything about HTTP.
package client

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
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

// ServerError is a non-2xx answer (redirects are not followed, so a 3xx
// lands here too). Code and Message come from the server's gpsync.Error
// body when it sent one; Message is meant to be shown.
type ServerError struct {
	StatusCode int
	Code       string
	Message    string
	// RetryAfter is the server's Retry-After on a 429 or 503, else 0.
	RetryAfter time.Duration
	// Kind is, with CodeQuotaExceeded, the op kind the server holds.
	Kind string
}

func (e *ServerError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("practice server answered %d: %s", e.StatusCode, e.Message)
	}
	return fmt.Sprintf("practice server answered %d %s: %s", e.StatusCode, e.Code, e.Message)
}

// Client is safe for concurrent use.
type Client struct {
	baseURL  string
	http     *resty.Client
	waitHTTP *resty.Client // long-polls: a timeout longer than the server's wait
	log      *slog.Logger
	token    string
}

type config struct {
	timeout    time.Duration
	log        *slog.Logger
	token      string
	pin        string
	appVersion string
	outbox     func() int
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

// WithToken sends "Authorization: Bearer token" on every request that needs
// a device (Changes, Push); the token comes from Enrol.
func WithToken(token string) Option {
	return func(c *config) { c.token = token }
}

// WithPinnedCert makes the client accept only the server certificate whose
// DER encoding has this SHA-256, written "sha256:<64 hex digits>" as in the
// enrolment string. Names and issuers are not checked, so a practice's
// self-signed certificate works; any other certificate is refused before a
// byte of any request is sent. It needs an https:// address.
func WithPinnedCert(pin string) Option {
	return func(c *config) { c.pin = pin }
}

// WithAppVersion sends the app's version with every request
// (gpsync.HeaderAppVersion), for the practice manager's device list.
func WithAppVersion(v string) Option {
	return func(c *config) { c.appVersion = v }
}

// WithOutbox sends, with every request, how many ops wait in the device's
// outbox (gpsync.HeaderOutbox), as count says at the time.
func WithOutbox(count func() int) Option {
	return func(c *config) { c.outbox = count }
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
	if strings.ContainsAny(cfg.token, "\r\n") || strings.ContainsAny(cfg.appVersion, "\r\n") {
		return nil, fmt.Errorf("%s: device token contains a line break", op)
	}
	// A device token is as good as a password: it never crosses a network
	// in clear, only this machine's loopback.
	if cfg.token != "" && u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%s: server address %q: a device token is only sent over https:// off this machine", op, baseURL)
	}
	var tlsConf *tls.Config
	if cfg.pin != "" {
		want, err := parsePin(cfg.pin)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		if u.Scheme != "https" {
			return nil, fmt.Errorf("%s: server address %q: a pinned certificate needs an https:// address", op, baseURL)
		}
		tlsConf = pinnedTLS(want)
	}
	base := strings.TrimRight(u.String(), "/")
	hc := configure(resty.New(), base).SetTimeout(cfg.timeout)
	if tlsConf != nil {
		// resty reports a failure to set it only to its (discarded) logger;
		// a pin that silently did not apply must not go unnoticed.
		hc.SetTLSClientConfig(tlsConf)
		if tr, err := hc.Transport(); err != nil || tr.TLSClientConfig != tlsConf {
			return nil, fmt.Errorf("%s: could not apply the certificate pin", op)
		}
	}
	// A long-poll of the change feed is held open by the server for up to
	// gpsync.MaxWaitSeconds, so it gets that on top of the usual timeout;
	// it shares the connections (and so the certificate pin).
	wc := configure(resty.NewWithClient(&http.Client{Transport: hc.GetClient().Transport}), base).
		SetTimeout(cfg.timeout + gpsync.MaxWaitSeconds*time.Second)
	for _, rc := range []*resty.Client{hc, wc} {
		rc.OnBeforeRequest(cfg.report)
	}
	return &Client{baseURL: base, http: hc, waitHTTP: wc, log: cfg.log, token: cfg.token}, nil
}

// report adds what the device says about itself to a request.
func (cfg config) report(_ *resty.Client, r *resty.Request) error {
	if cfg.appVersion != "" {
		r.SetHeader(gpsync.HeaderAppVersion, cfg.appVersion)
	}
	if cfg.outbox != nil {
		r.SetHeader(gpsync.HeaderOutbox, strconv.Itoa(max(0, cfg.outbox())))
	}
	return nil
}

// configure gives a resty client the settings every request shares.
func configure(c *resty.Client, base string) *resty.Client {
	return c.SetBaseURL(base).
		SetResponseBodyLimit(maxBodyBytes).
		SetHeader("Accept", "application/json").
		// The protocol never redirects; following one could carry the
		// bearer token somewhere else, so a 3xx is returned as an answer.
		SetRedirectPolicy(resty.RedirectPolicyFunc(func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		})).
		// We report errors ourselves, wrapped; resty's own logger would
		// print them a second time on stderr.
		SetLogger(discardLogger{})
}

// parsePin reads "sha256:<hex>" into the 32 bytes it names.
func parsePin(pin string) ([]byte, error) {
	hexSum, ok := strings.CutPrefix(pin, "sha256:")
	if !ok {
		return nil, fmt.Errorf("certificate pin %q: want sha256:<64 hex digits>", pin)
	}
	sum, err := hex.DecodeString(hexSum)
	if err != nil || len(sum) != sha256.Size {
		return nil, fmt.Errorf("certificate pin %q: want sha256:<64 hex digits>", pin)
	}
	return sum, nil
}

// pinnedTLS trusts exactly one leaf certificate. Chain and name checks are
// switched off because the pin replaces them: it is stronger than either
// for a practice server with a self-signed certificate. VerifyConnection
// also runs on resumed sessions, so a resumption cannot skip the pin.
func pinnedTLS(want []byte) *tls.Config {
	return &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // replaced by the pin check in VerifyConnection
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return ErrCertMismatch
			}
			got := sha256.Sum256(cs.PeerCertificates[0].Raw)
			if subtle.ConstantTimeCompare(got[:], want) != 1 {
				return fmt.Errorf("%w (server presented sha256:%x)", ErrCertMismatch, got)
			}
			return nil
		},
	}
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

// get sends GET path; see send.
func (c *Client) get(ctx context.Context, op, path string) (*resty.Response, error) {
	return c.send(ctx, op, c.http.R(), http.MethodGet, path)
}

// send sends req and sorts transport failures into ErrUnreachable, a
// refused certificate, the caller's own cancellation, and oversized
// answers. path is logged, so it must not carry a query string.
func (c *Client) send(ctx context.Context, op string, req *resty.Request, method, path string) (*resty.Response, error) {
	start := time.Now()
	resp, err := req.SetContext(ctx).Execute(method, path)
	if err != nil {
		// net/http names the whole URL in a transport error, and a query
		// can carry an NHS number (the manager's audit search): keep it
		// out of the error and so out of every log line.
		var ue *url.Error
		if errors.As(err, &ue) {
			if u, perr := url.Parse(ue.URL); perr == nil && u.RawQuery != "" {
				u.RawQuery = ""
				ue.URL = u.String()
			}
		}
		c.log.DebugContext(ctx, "practice server request failed", "op", op, "method", method, "path", path, "duration", time.Since(start), "err", err)
		var unknownCA x509.UnknownAuthorityError
		var hostErr x509.HostnameError
		var certErr *tls.CertificateVerificationError
		switch {
		case ctx.Err() != nil:
			// The caller gave up (screen closed, app quitting); that is
			// not the server's fault.
			return nil, fmt.Errorf("%s: %s %s: %w", op, method, path, ctx.Err())
		case errors.Is(err, resty.ErrResponseBodyTooLarge):
			return nil, fmt.Errorf("%s: %s %s: %w: %w", op, method, path, ErrBadResponse, err)
		case errors.Is(err, ErrCertMismatch):
			return nil, fmt.Errorf("%s: %s %s: %w", op, method, path, err)
		case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr):
			return nil, fmt.Errorf("%s: %s %s: %w: %w", op, method, path, ErrUntrustedCert, err)
		default:
			return nil, fmt.Errorf("%s: %s %s: %w: %w", op, method, path, ErrUnreachable, err)
		}
	}
	c.log.DebugContext(ctx, "practice server request", "op", op, "method", method, "path", path, "status", resp.StatusCode(), "duration", time.Since(start))
	return resp, nil
}

// decode turns a non-2xx answer into a *ServerError and decodes a 2xx body
// into out. We decode ourselves rather than through resty's SetResult so
// that a body that is not JSON, or JSON of the wrong shape, is an error
// instead of a zero value. Unknown fields are allowed so a newer server can
// add fields without breaking older devices.
func decode(op, path string, resp *resty.Response, out any) error {
	method := resp.Request.Method
	if !resp.IsSuccess() {
		return fmt.Errorf("%s: %s %s: %w", op, method, path, serverError(resp))
	}
	if err := json.Unmarshal(resp.Body(), out); err != nil {
		return fmt.Errorf("%s: %s %s: %w: decode body: %w", op, method, path, ErrBadResponse, err)
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
		se.Kind = body.Kind
	}
	if se.Message == "" {
		se.Message = http.StatusText(se.StatusCode)
	}
	if se.StatusCode == http.StatusTooManyRequests || se.StatusCode == http.StatusServiceUnavailable {
		se.RetryAfter = parseRetryAfter(resp.Header().Get("Retry-After"))
	}
	return se
}

// maxRetryAfter bounds how long a Retry-After can silence a device: a
// misconfigured proxy must not stop a kiosk syncing for a day.
const maxRetryAfter = time.Hour

// parseRetryAfter reads the delay-seconds form, the only one the protocol
// uses; anything else is ignored and ordinary backoff applies.
func parseRetryAfter(v string) time.Duration {
	secs, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || secs <= 0 {
		return 0
	}
	if secs > int64(maxRetryAfter/time.Second) {
		return maxRetryAfter
	}
	return time.Duration(secs) * time.Second
}

// discardLogger satisfies resty.Logger and drops everything.
type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
