package letter

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/user"
	"strings"

	"github.com/go-resty/resty/v2"
)

// A minimal IPP/1.1 client (RFC 8010/8011) for the two questions lpstat
// cannot answer reliably: did this job complete, or was it cancelled or
// aborted (lpstat lists all three as "completed"), and why is the printer
// stopped. It talks to the same scheduler lp does (lpstat -H).

const (
	ippGetJobAttributes     = 0x0009
	ippGetPrinterAttributes = 0x000B

	tagOperation = 0x01
	tagEnd       = 0x03
	tagInteger   = 0x21
	tagBoolean   = 0x22
	tagEnum      = 0x23
	tagURI       = 0x45
	tagCharset   = 0x47
	tagLanguage  = 0x48
	tagKeyword   = 0x44
	tagName      = 0x42

	statusNotFound = 0x0406

	// job-state values (RFC 8011 5.3.7).
	jobPending    = 3
	jobHeld       = 4
	jobProcessing = 5
	jobStopped    = 6
	jobCanceled   = 7
	jobAborted    = 8
	jobCompleted  = 9

	printerStopped = 5 // printer-state
)

var errIPPNotFound = errors.New("not found")

type ippAttr struct {
	name   string
	tag    byte
	values [][]byte
}

// ippAttrs are the attributes of one response, by name (first group that
// has them).
type ippAttrs map[string]ippAttr

func (a ippAttrs) int(name string) (int, bool) {
	at, ok := a[name]
	if !ok || len(at.values) == 0 || len(at.values[0]) != 4 {
		return 0, false
	}
	return int(int32(binary.BigEndian.Uint32(at.values[0]))), true
}

func (a ippAttrs) bool(name string) (bool, bool) {
	at, ok := a[name]
	if !ok || len(at.values) == 0 || len(at.values[0]) != 1 {
		return false, false
	}
	return at.values[0][0] != 0, true
}

func (a ippAttrs) strings(name string) []string {
	var out []string
	for _, v := range a[name].values {
		out = append(out, string(v))
	}
	return out
}

func (a ippAttrs) string(name string) string {
	if v := a.strings(name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// ippClient posts IPP requests to a CUPS scheduler.
type ippClient struct {
	http *resty.Client
	user string
}

// newIPPClient connects to server as lpstat -H prints it: a socket path
// such as /run/cups/cups.sock, or host:port.
func newIPPClient(server string) *ippClient {
	var d net.Dialer
	tr := &http.Transport{DisableKeepAlives: true}
	if strings.HasPrefix(server, "/") {
		tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			return d.DialContext(ctx, "unix", server)
		}
	} else {
		if _, _, err := net.SplitHostPort(server); err != nil {
			server = net.JoinHostPort(server, "631")
		}
		tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			return d.DialContext(ctx, "tcp", server)
		}
	}
	name := "anonymous"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return &ippClient{http: resty.NewWithClient(&http.Client{Transport: tr}).SetBaseURL("http://localhost").
		SetResponseBodyLimit(1 << 20), user: name}
}

func (c *ippClient) close() { c.http.GetClient().CloseIdleConnections() }

// job asks for one job's state and reasons.
func (c *ippClient) job(ctx context.Context, id int) (ippAttrs, error) {
	var b ippRequest
	b.start(ippGetJobAttributes)
	b.attr(tagURI, "job-uri", fmt.Sprintf("ipp://localhost/jobs/%d", id))
	b.attr(tagName, "requesting-user-name", c.user)
	b.attr(tagKeyword, "requested-attributes", "job-state", "job-state-reasons", "job-printer-state-message")
	return c.do(ctx, "/jobs/", b.end())
}

// printer asks for a queue's state, reasons, message and whether it
// accepts jobs.
func (c *ippClient) printer(ctx context.Context, queue string) (ippAttrs, error) {
	var b ippRequest
	b.start(ippGetPrinterAttributes)
	b.attr(tagURI, "printer-uri", "ipp://localhost/printers/"+queue)
	b.attr(tagName, "requesting-user-name", c.user)
	b.attr(tagKeyword, "requested-attributes", "printer-state", "printer-state-reasons", "printer-state-message", "printer-is-accepting-jobs")
	return c.do(ctx, "/printers/"+queue, b.end())
}

func (c *ippClient) do(ctx context.Context, path string, body []byte) (ippAttrs, error) {
	resp, err := c.http.R().SetContext(ctx).SetHeader("Content-Type", "application/ipp").SetBody(body).Post(path)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode() != http.StatusOK {
		return nil, fmt.Errorf("CUPS answered HTTP %s", resp.Status())
	}
	return parseIPPResponse(resp.Body())
}

type ippRequest struct{ buf bytes.Buffer }

func (r *ippRequest) start(op uint16) {
	r.buf.Write([]byte{1, 1}) // IPP/1.1
	_ = binary.Write(&r.buf, binary.BigEndian, op)
	_ = binary.Write(&r.buf, binary.BigEndian, uint32(1)) // request-id
	r.buf.WriteByte(tagOperation)
	r.attr(tagCharset, "attributes-charset", "utf-8")
	r.attr(tagLanguage, "attributes-natural-language", "en")
}

// attr writes a string-valued attribute; extra values follow with an
// empty name, as IPP encodes sets.
func (r *ippRequest) attr(tag byte, name string, values ...string) {
	for i, v := range values {
		r.buf.WriteByte(tag)
		if i > 0 {
			name = ""
		}
		_ = binary.Write(&r.buf, binary.BigEndian, uint16(len(name)))
		r.buf.WriteString(name)
		_ = binary.Write(&r.buf, binary.BigEndian, uint16(len(v)))
		r.buf.WriteString(v)
	}
}

func (r *ippRequest) end() []byte {
	r.buf.WriteByte(tagEnd)
	return r.buf.Bytes()
}

var errIPPShort = errors.New("IPP response cut short")

// parseIPPResponse reads the status and the attributes. Every value is
// length-prefixed, so unknown value tags (collections included) are kept
// as raw bytes without understanding them.
func parseIPPResponse(data []byte) (ippAttrs, error) {
	if len(data) < 8 {
		return nil, errIPPShort
	}
	status := binary.BigEndian.Uint16(data[2:4])
	if status == statusNotFound {
		return nil, errIPPNotFound
	}
	if status >= 0x0400 {
		return nil, fmt.Errorf("CUPS refused the request (IPP status 0x%04x)", status)
	}
	attrs := ippAttrs{}
	var last string
	for i := 8; ; {
		if i >= len(data) {
			return nil, errIPPShort
		}
		tag := data[i]
		i++
		if tag == tagEnd {
			return attrs, nil
		}
		if tag < 0x10 { // a group delimiter
			last = ""
			continue
		}
		if i+2 > len(data) {
			return nil, errIPPShort
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		i += 2
		if i+n+2 > len(data) {
			return nil, errIPPShort
		}
		name := string(data[i : i+n])
		i += n
		vn := int(binary.BigEndian.Uint16(data[i:]))
		i += 2
		if i+vn > len(data) {
			return nil, errIPPShort
		}
		value := data[i : i+vn]
		i += vn
		if name == "" {
			name = last
		} else {
			last = name
			if _, seen := attrs[name]; seen {
				// Later groups repeating a name do not override the first.
				last = ""
				continue
			}
			attrs[name] = ippAttr{name: name, tag: tag}
		}
		if name == "" {
			continue
		}
		a := attrs[name]
		a.values = append(a.values, value)
		attrs[name] = a
	}
}
