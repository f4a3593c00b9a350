package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	gpsync "gpkiosk/sync"
)

// ManageSigner signs a practice manager's request (sync/manage.go): it
// gives the headers that say which manager, in which online session, sent
// exactly this method, path with query, and body.
type ManageSigner interface {
	SignManage(method, pathAndQuery string, body []byte) (http.Header, error)
}

// RefusedError is a 422 from the manager API: the change was not made,
// and Refusal says why in a sentence for the manager.
type RefusedError struct {
	body gpsync.ManageRefusal
}

func (e *RefusedError) Error() string { return e.body.Message }

// Refusal is the server's refusal: its code, sentence and fields.
func (e *RefusedError) Refusal() gpsync.ManageRefusal { return e.body }

// NotAllowedError is a 403 from the manager API: the member of staff may
// not do this, or their sign-in has ended. Message is the sentence to show.
type NotAllowedError struct {
	Code    string
	Message string
}

func (e *NotAllowedError) Error() string { return e.Message }

// maxCSVBytes bounds an audit export: years of a practice's log.
const maxCSVBytes = 256 << 20

// ManagedSettings reads the settings screen's values.
func (c *Client) ManagedSettings(ctx context.Context, s ManageSigner) (gpsync.ManagedSettings, error) {
	var out gpsync.ManagedSettings
	err := c.manage(ctx, "client.ManagedSettings", s, http.MethodGet, gpsync.ManageSettingsPath, nil, nil, &out)
	return out, err
}

// SaveManagedSettings saves the settings screen whole and returns them as
// saved.
func (c *Client) SaveManagedSettings(ctx context.Context, s ManageSigner, in gpsync.ManagedSettings) (gpsync.ManagedSettings, error) {
	var out gpsync.ManagedSettings
	err := c.manage(ctx, "client.SaveManagedSettings", s, http.MethodPut, gpsync.ManageSettingsPath, nil, in, &out)
	return out, err
}

// Devices lists the practice's devices.
func (c *Client) Devices(ctx context.Context, s ManageSigner) ([]gpsync.DeviceInfo, error) {
	var out []gpsync.DeviceInfo
	err := c.manage(ctx, "client.Devices", s, http.MethodGet, gpsync.ManageDevicesPath, nil, nil, &out)
	return out, err
}

// NewEnrolment makes a set-up code for a new device.
func (c *Client) NewEnrolment(ctx context.Context, s ManageSigner, in gpsync.NewEnrolmentRequest) (gpsync.NewEnrolmentResponse, error) {
	var out gpsync.NewEnrolmentResponse
	err := c.manage(ctx, "client.NewEnrolment", s, http.MethodPost, gpsync.ManageDevicesPath, nil, in, &out)
	return out, err
}

// RenameDevice renames a device.
func (c *Client) RenameDevice(ctx context.Context, s ManageSigner, deviceID, name string) error {
	return c.manage(ctx, "client.RenameDevice", s, http.MethodPatch, gpsync.ManageDevicesPath+"/"+url.PathEscape(deviceID), nil,
		gpsync.RenameDeviceRequest{Name: name}, nil)
}

// RevokeDevice switches a device off.
func (c *Client) RevokeDevice(ctx context.Context, s ManageSigner, deviceID string) error {
	return c.manage(ctx, "client.RevokeDevice", s, http.MethodDelete, gpsync.ManageDevicesPath+"/"+url.PathEscape(deviceID), nil, nil, nil)
}

// StaffAccounts lists the practice's staff accounts.
func (c *Client) StaffAccounts(ctx context.Context, s ManageSigner) ([]gpsync.StaffAccount, error) {
	var out []gpsync.StaffAccount
	err := c.manage(ctx, "client.StaffAccounts", s, http.MethodGet, gpsync.ManageStaffPath, nil, nil, &out)
	return out, err
}

// AddStaff adds a member of staff and returns their account.
func (c *Client) AddStaff(ctx context.Context, s ManageSigner, in gpsync.NewStaffRequest) (gpsync.StaffAccount, error) {
	var out gpsync.StaffAccount
	err := c.manage(ctx, "client.AddStaff", s, http.MethodPost, gpsync.ManageStaffPath, nil, in, &out)
	return out, err
}

// ChangeStaff changes a member of staff and returns their account now.
func (c *Client) ChangeStaff(ctx context.Context, s ManageSigner, username string, in gpsync.StaffChange) (gpsync.StaffAccount, error) {
	var out gpsync.StaffAccount
	err := c.manage(ctx, "client.ChangeStaff", s, http.MethodPatch, gpsync.ManageStaffPath+"/"+url.PathEscape(username), nil, in, &out)
	return out, err
}

// AuditValues is an AuditQuery as URL parameters.
func AuditValues(q gpsync.AuditQuery) url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"patient": q.PatientNHSNumber, "staff": q.StaffUsername, "device": q.DeviceID,
		"action": q.Action, "from": q.From, "to": q.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if q.Before > 0 {
		v.Set("before", strconv.FormatInt(q.Before, 10))
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	return v
}

// Audit searches the audit log: one page, newest first.
func (c *Client) Audit(ctx context.Context, s ManageSigner, q gpsync.AuditQuery) (gpsync.AuditPage, error) {
	var out gpsync.AuditPage
	err := c.manage(ctx, "client.Audit", s, http.MethodGet, gpsync.ManageAuditPath, AuditValues(q), nil, &out)
	return out, err
}

// AuditCSV exports every match of q as CSV (Before and Limit are ignored).
func (c *Client) AuditCSV(ctx context.Context, s ManageSigner, q gpsync.AuditQuery) ([]byte, error) {
	v := AuditValues(q)
	v.Del("before")
	v.Del("limit")
	v.Set("format", "csv")
	var out []byte
	err := c.manage(ctx, "client.AuditCSV", s, http.MethodGet, gpsync.ManageAuditPath, v, nil, &out)
	return out, err
}

// VerifyAudit asks the server to check the audit log's hash chain.
func (c *Client) VerifyAudit(ctx context.Context, s ManageSigner) (gpsync.AuditVerifyResult, error) {
	var out gpsync.AuditVerifyResult
	err := c.manage(ctx, "client.VerifyAudit", s, http.MethodPost, gpsync.ManageAuditVerifyPath, nil, nil, &out)
	return out, err
}

// Uptake is the practice's use of online services from one month to
// another (YYYY-MM, inclusive).
func (c *Client) Uptake(ctx context.Context, s ManageSigner, from, to string) (gpsync.UptakeReport, error) {
	var out gpsync.UptakeReport
	err := c.manage(ctx, "client.Uptake", s, http.MethodGet, gpsync.ManageUptakePath, url.Values{"from": {from}, "to": {to}}, nil, &out)
	return out, err
}

// manage sends one signed manager request. in, when not nil, is the JSON
// body; out receives a JSON answer, or the raw body when it is *[]byte.
// A 422 is a *RefusedError and a 403 a *NotAllowedError.
func (c *Client) manage(ctx context.Context, op string, s ManageSigner, method, path string, query url.Values, in, out any) error {
	var body []byte
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s: encode request: %w", op, err)
		}
		body = b
	}
	// resty sorts the query as url.Values.Encode does, so this is what
	// the server sees.
	signed := path
	if len(query) > 0 {
		signed += "?" + query.Encode()
	}
	h, err := s.SignManage(method, signed, body)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	req := c.authed().SetHeaderMultiValues(h).SetQueryParamsFromValues(query)
	if body != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(body)
	}
	if _, raw := out.(*[]byte); raw {
		req.SetHeader("Accept", "text/csv").SetResponseBodyLimit(maxCSVBytes)
	}
	resp, err := c.send(ctx, op, req, method, path)
	if err != nil {
		return err
	}
	switch resp.StatusCode() {
	case http.StatusUnprocessableEntity:
		var r gpsync.ManageRefusal
		if json.Unmarshal(resp.Body(), &r) == nil && r.Message != "" {
			return fmt.Errorf("%s: %s %s: %w", op, method, path, &RefusedError{body: r})
		}
	case http.StatusForbidden:
		se := serverError(resp)
		return fmt.Errorf("%s: %s %s: %w", op, method, path, &NotAllowedError{Code: se.Code, Message: se.Message})
	}
	if !resp.IsSuccess() {
		return fmt.Errorf("%s: %s %s: %w", op, method, path, serverError(resp))
	}
	switch o := out.(type) {
	case nil:
		return nil
	case *[]byte:
		*o = resp.Body()
		return nil
	}
	return decode(op, path, resp, out)
}
