package manager

import (
	"context"
	"time"

	gpsync "gpkiosk/sync"
)

// Source is a Service whose reads say their freshness in a type of its
// own with the same fields (sync/managedesk's Freshness), so the screens
// need not import the package that talks to the server.
type Source[F ~struct {
	FetchedAt time.Time
	Live      bool
}] interface {
	Settings(ctx context.Context) (gpsync.ManagedSettings, F, error)
	SaveSettings(ctx context.Context, s gpsync.ManagedSettings) error
	Devices(ctx context.Context) ([]gpsync.DeviceInfo, F, error)
	NewEnrolment(ctx context.Context, role, name string) (gpsync.NewEnrolmentResponse, error)
	RenameDevice(ctx context.Context, id, name string) error
	RevokeDevice(ctx context.Context, id string) error
	Staff(ctx context.Context) ([]gpsync.StaffAccount, F, error)
	AddStaff(ctx context.Context, r gpsync.NewStaffRequest) error
	ChangeStaff(ctx context.Context, username string, c gpsync.StaffChange) error
	Audit(ctx context.Context, q gpsync.AuditQuery) (gpsync.AuditPage, F, error)
	AuditCSV(ctx context.Context, q gpsync.AuditQuery) ([]byte, error)
	VerifyAudit(ctx context.Context) (gpsync.AuditVerifyResult, error)
	Uptake(ctx context.Context, from, to string) (gpsync.UptakeReport, F, error)
}

// Adapt makes a Source a Service: manager.Adapt(managedesk.New(...)).
func Adapt[F ~struct {
	FetchedAt time.Time
	Live      bool
}](src Source[F]) Service {
	return adapted[F]{src}
}

type adapted[F ~struct {
	FetchedAt time.Time
	Live      bool
}] struct{ src Source[F] }

func (a adapted[F]) Settings(ctx context.Context) (gpsync.ManagedSettings, Freshness, error) {
	v, f, err := a.src.Settings(ctx)
	return v, Freshness(f), err
}

func (a adapted[F]) SaveSettings(ctx context.Context, s gpsync.ManagedSettings) error {
	return a.src.SaveSettings(ctx, s)
}

func (a adapted[F]) Devices(ctx context.Context) ([]gpsync.DeviceInfo, Freshness, error) {
	v, f, err := a.src.Devices(ctx)
	return v, Freshness(f), err
}

func (a adapted[F]) NewEnrolment(ctx context.Context, role, name string) (gpsync.NewEnrolmentResponse, error) {
	return a.src.NewEnrolment(ctx, role, name)
}

func (a adapted[F]) RenameDevice(ctx context.Context, id, name string) error {
	return a.src.RenameDevice(ctx, id, name)
}

func (a adapted[F]) RevokeDevice(ctx context.Context, id string) error {
	return a.src.RevokeDevice(ctx, id)
}

func (a adapted[F]) Staff(ctx context.Context) ([]gpsync.StaffAccount, Freshness, error) {
	v, f, err := a.src.Staff(ctx)
	return v, Freshness(f), err
}

func (a adapted[F]) AddStaff(ctx context.Context, r gpsync.NewStaffRequest) error {
	return a.src.AddStaff(ctx, r)
}

func (a adapted[F]) ChangeStaff(ctx context.Context, username string, c gpsync.StaffChange) error {
	return a.src.ChangeStaff(ctx, username, c)
}

func (a adapted[F]) Audit(ctx context.Context, q gpsync.AuditQuery) (gpsync.AuditPage, Freshness, error) {
	v, f, err := a.src.Audit(ctx, q)
	return v, Freshness(f), err
}

func (a adapted[F]) AuditCSV(ctx context.Context, q gpsync.AuditQuery) ([]byte, error) {
	return a.src.AuditCSV(ctx, q)
}

func (a adapted[F]) VerifyAudit(ctx context.Context) (gpsync.AuditVerifyResult, error) {
	return a.src.VerifyAudit(ctx)
}

func (a adapted[F]) Uptake(ctx context.Context, from, to string) (gpsync.UptakeReport, Freshness, error) {
	v, f, err := a.src.Uptake(ctx, from, to)
	return v, Freshness(f), err
}
