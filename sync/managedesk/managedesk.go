// Package managedesk is the practice manager's desk behind its screens:
// each read asks the practice server and keeps what it answered on the
// desktop, so that with the server out of reach the manager still sees
// the last copy, marked as not live; each change goes to the server, signed
// by the manager's online session, or is refused at once with nothing
// changed. It joins the replica and the sync client, which know nothing of
// each other.
package managedesk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gpkiosk/store"
	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
)

// Freshness says how current a read is: Live when the server answered
// now; otherwise the copy fetched at FetchedAt.
type Freshness struct {
	FetchedAt time.Time
	Live      bool
}

// Reasons of the desk's own refusals.
const (
	ReasonServerUnreachable store.Reason = "server_unreachable"
	ReasonNotSignedIn       store.Reason = "not_signed_in"
)

func errChangeOffline() error {
	return &store.RuleError{Reason: ReasonServerUnreachable, Message: "Changes need the practice server, which cannot be reached now. Nothing was changed."}
}

func errCheckOffline() error {
	return &store.RuleError{Reason: ReasonServerUnreachable, Message: "Checking the audit log needs the practice server, which cannot be reached now. Try again when it can be reached."}
}

func errNoCopy() error {
	return &store.RuleError{Reason: ReasonServerUnreachable, Message: "The practice server cannot be reached, and this desktop has no copy of this yet. Try again when it can be reached."}
}

// Views are the names the desk's copies are kept under.
const (
	viewSettings = "settings"
	viewDevices  = "devices"
	viewStaff    = "staff"
	viewAudit    = "audit"  // the last search only
	viewUptake   = "uptake" // the last report only
)

// Service is the manager's desk. Staff says who is signed in at the desk
// (ok false: nobody).
type Service struct {
	c     *client.Client
	rep   *replica.Replica
	staff func() (replica.StaffMember, bool)
	now   func() time.Time
}

// New returns the desk's service. now is the desktop's clock, for when a
// copy was fetched (time.Now when nil).
func New(c *client.Client, rep *replica.Replica, staff func() (replica.StaffMember, bool), now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{c: c, rep: rep, staff: staff, now: now}
}

// signer is the signed-in member of staff's request signer.
func (s *Service) signer(ctx context.Context) (client.ManageSigner, error) {
	m, ok := s.staff()
	if !ok {
		return nil, &store.RuleError{Reason: ReasonNotSignedIn, Message: "Sign in as the practice manager first."}
	}
	return s.rep.ManageSigner(ctx, m)
}

// read fetches a view live and keeps it, or, when the server cannot be
// reached or the sign-in has no session, gives the kept copy.
func read[T any](ctx context.Context, s *Service, view string, fetch func(context.Context, client.ManageSigner) (T, error)) (T, Freshness, error) {
	var zero T
	sg, err := s.signer(ctx)
	if err == nil {
		var v T
		v, err = fetch(ctx, sg)
		if err == nil {
			at := s.now()
			if err := s.rep.SaveManageView(ctx, view, v, at); err != nil {
				return zero, Freshness{}, fmt.Errorf("managedesk: keep %s: %w", view, err)
			}
			return v, Freshness{FetchedAt: at, Live: true}, nil
		}
		if !client.IsRetryable(err) {
			return zero, Freshness{}, err
		}
	} else if !errors.Is(err, replica.ReasonSignedInOffline) {
		return zero, Freshness{}, err
	}
	var kept T
	at, ok, kerr := s.rep.ManageView(ctx, view, &kept)
	if kerr != nil {
		return zero, Freshness{}, kerr
	}
	if !ok {
		if errors.Is(err, replica.ReasonSignedInOffline) {
			return zero, Freshness{}, err
		}
		return zero, Freshness{}, fmt.Errorf("managedesk: %s: %w (%w)", view, errNoCopy(), err)
	}
	return kept, Freshness{FetchedAt: at}, nil
}

// change sends a change; the server out of reach is a plain refusal.
func change[T any](ctx context.Context, s *Service, send func(context.Context, client.ManageSigner) (T, error)) (T, error) {
	var zero T
	sg, err := s.signer(ctx)
	if err != nil {
		return zero, err
	}
	v, err := send(ctx, sg)
	if client.IsRetryable(err) {
		return zero, fmt.Errorf("managedesk: %w (%w)", errChangeOffline(), err)
	}
	return v, err
}

// Settings is the settings screen's values.
func (s *Service) Settings(ctx context.Context) (gpsync.ManagedSettings, Freshness, error) {
	return read(ctx, s, viewSettings, func(ctx context.Context, sg client.ManageSigner) (gpsync.ManagedSettings, error) {
		return s.c.ManagedSettings(ctx, sg)
	})
}

// SaveSettings saves the settings screen; the copy kept here becomes the
// settings as saved.
func (s *Service) SaveSettings(ctx context.Context, in gpsync.ManagedSettings) error {
	out, err := change(ctx, s, func(ctx context.Context, sg client.ManageSigner) (gpsync.ManagedSettings, error) {
		return s.c.SaveManagedSettings(ctx, sg, in)
	})
	if err != nil {
		return err
	}
	return s.rep.SaveManageView(ctx, viewSettings, out, s.now())
}

// Devices lists the practice's devices.
func (s *Service) Devices(ctx context.Context) ([]gpsync.DeviceInfo, Freshness, error) {
	return read(ctx, s, viewDevices, func(ctx context.Context, sg client.ManageSigner) ([]gpsync.DeviceInfo, error) {
		return s.c.Devices(ctx, sg)
	})
}

// NewEnrolment makes a set-up code for a new device.
func (s *Service) NewEnrolment(ctx context.Context, role, name string) (gpsync.NewEnrolmentResponse, error) {
	return change(ctx, s, func(ctx context.Context, sg client.ManageSigner) (gpsync.NewEnrolmentResponse, error) {
		return s.c.NewEnrolment(ctx, sg, gpsync.NewEnrolmentRequest{Role: role, Name: name})
	})
}

// RenameDevice renames a device.
func (s *Service) RenameDevice(ctx context.Context, deviceID, name string) error {
	_, err := change(ctx, s, func(ctx context.Context, sg client.ManageSigner) (struct{}, error) {
		return struct{}{}, s.c.RenameDevice(ctx, sg, deviceID, name)
	})
	return err
}

// RevokeDevice switches a device off.
func (s *Service) RevokeDevice(ctx context.Context, deviceID string) error {
	_, err := change(ctx, s, func(ctx context.Context, sg client.ManageSigner) (struct{}, error) {
		return struct{}{}, s.c.RevokeDevice(ctx, sg, deviceID)
	})
	return err
}

// Staff lists the practice's staff accounts.
func (s *Service) Staff(ctx context.Context) ([]gpsync.StaffAccount, Freshness, error) {
	return read(ctx, s, viewStaff, func(ctx context.Context, sg client.ManageSigner) ([]gpsync.StaffAccount, error) {
		return s.c.StaffAccounts(ctx, sg)
	})
}

// AddStaff adds a member of staff.
func (s *Service) AddStaff(ctx context.Context, in gpsync.NewStaffRequest) error {
	_, err := change(ctx, s, func(ctx context.Context, sg client.ManageSigner) (gpsync.StaffAccount, error) {
		return s.c.AddStaff(ctx, sg, in)
	})
	return err
}

// ChangeStaff changes a member of staff.
func (s *Service) ChangeStaff(ctx context.Context, username string, in gpsync.StaffChange) error {
	_, err := change(ctx, s, func(ctx context.Context, sg client.ManageSigner) (gpsync.StaffAccount, error) {
		return s.c.ChangeStaff(ctx, sg, username, in)
	})
	return err
}

// auditSearch is the kept copy of the last audit search.
type auditSearch struct {
	Query gpsync.AuditQuery `json:"query"`
	Page  gpsync.AuditPage  `json:"page"`
}

// Audit searches the audit log. Offline, only the last search made here
// can be shown again.
func (s *Service) Audit(ctx context.Context, q gpsync.AuditQuery) (gpsync.AuditPage, Freshness, error) {
	got, fresh, err := read(ctx, s, viewAudit, func(ctx context.Context, sg client.ManageSigner) (auditSearch, error) {
		p, err := s.c.Audit(ctx, sg, q)
		return auditSearch{Query: q, Page: p}, err
	})
	if err != nil {
		return gpsync.AuditPage{}, Freshness{}, err
	}
	if got.Query != q {
		return gpsync.AuditPage{}, Freshness{}, &store.RuleError{Reason: ReasonServerUnreachable,
			Message: "The practice server cannot be reached, so only the last search made here can be shown."}
	}
	return got.Page, fresh, nil
}

// AuditCSV exports the matches of q as CSV. The export is audited by the
// server, so it needs the server.
func (s *Service) AuditCSV(ctx context.Context, q gpsync.AuditQuery) ([]byte, error) {
	sg, err := s.signer(ctx)
	if err != nil {
		return nil, err
	}
	b, err := s.c.AuditCSV(ctx, sg, q)
	if client.IsRetryable(err) {
		return nil, fmt.Errorf("managedesk: %w (%w)", &store.RuleError{Reason: ReasonServerUnreachable,
			Message: "Exporting the audit log needs the practice server, which cannot be reached now. Try again when it can be reached."}, err)
	}
	return b, err
}

// VerifyAudit has the server check the audit log's hash chain. It is a
// check made now, so it needs the server.
func (s *Service) VerifyAudit(ctx context.Context) (gpsync.AuditVerifyResult, error) {
	sg, err := s.signer(ctx)
	if err != nil {
		return gpsync.AuditVerifyResult{}, err
	}
	v, err := s.c.VerifyAudit(ctx, sg)
	if client.IsRetryable(err) {
		return gpsync.AuditVerifyResult{}, fmt.Errorf("managedesk: %w (%w)", errCheckOffline(), err)
	}
	return v, err
}

// uptakeCopy is the kept copy of the last uptake report.
type uptakeCopy struct {
	From   string              `json:"from"`
	To     string              `json:"to"`
	Report gpsync.UptakeReport `json:"report"`
}

// Uptake is the practice's use of online services from one month to
// another (YYYY-MM). Offline, only the last report made here.
func (s *Service) Uptake(ctx context.Context, from, to string) (gpsync.UptakeReport, Freshness, error) {
	got, fresh, err := read(ctx, s, viewUptake, func(ctx context.Context, sg client.ManageSigner) (uptakeCopy, error) {
		r, err := s.c.Uptake(ctx, sg, from, to)
		return uptakeCopy{From: from, To: to, Report: r}, err
	})
	if err != nil {
		return gpsync.UptakeReport{}, Freshness{}, err
	}
	if got.From != from || got.To != to {
		return gpsync.UptakeReport{}, Freshness{}, &store.RuleError{Reason: ReasonServerUnreachable,
			Message: fmt.Sprintf("Only the last figures fetched at this desktop can be shown now: %s to %s.", got.From, got.To)}
	}
	return got.Report, fresh, nil
}
