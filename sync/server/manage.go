package server

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"gpkiosk/store"
	gpsync "gpkiosk/sync"
)

// ManageStore is what the practice manager's API needs of the store.
type ManageStore interface {
	CheckManagerRequest(ctx context.Context, req store.ManagerRequest) (store.Manager, error)
	RecordDeviceReport(ctx context.Context, deviceID, appVersion string, outbox int) error
	ManagedSettings(ctx context.Context) (store.ManagedSettings, error)
	SaveManagedSettings(ctx context.Context, actor store.Actor, c store.ManagedSettingsChange) error
	DeviceStatuses(ctx context.Context) ([]store.DeviceStatus, error)
	NewEnrolmentCode(ctx context.Context, actor store.Actor, role, name string, validFor time.Duration) (string, error)
	RenameDevice(ctx context.Context, actor store.Actor, deviceID, name string) error
	RevokeDevice(ctx context.Context, actor store.Actor, deviceID string) error
	StaffMembers(ctx context.Context) ([]store.StaffMember, error)
	AddStaff(ctx context.Context, actor store.Actor, n store.NewStaff) (int64, error)
	ChangeStaff(ctx context.Context, actor store.Actor, username string, c store.StaffChange) error
	SearchAudit(ctx context.Context, f store.AuditFilter) ([]store.AuditEvent, bool, error)
	CheckAuditChain(ctx context.Context) (store.AuditCheck, error)
	RecordAuditExport(ctx context.Context, actor store.Actor, f store.AuditFilter, events int) error
	Uptake(ctx context.Context, from, to store.Month) ([]store.UptakeMonth, error)
}

// EnrolmentCodeLife is how long a set-up code made at the manager's desk
// stays valid, as with practice-server enrol.
const EnrolmentCodeLife = 24 * time.Hour

// WithEnrolmentAddress tells the server the address devices reach it at
// and its certificate's pin ("" for none), so a set-up code made at the
// manager's desk comes with the string a new device scans.
func WithEnrolmentAddress(publicURL, certPin string) Option {
	return func(h *handlers) { h.publicURL, h.certPin = publicURL, certPin }
}

// managerCall is a proven manager request: the desktop, the manager and
// the request's body (already read, as the proof covers it).
type managerCall struct {
	Device   store.Device
	StaffID  int64
	Username string
	Actor    store.Actor
	Body     []byte
}

type manageFunc func(w http.ResponseWriter, r *http.Request, call managerCall)

// manageRoutes registers the practice manager's API.
func (h *handlers) manageRoutes(mux *http.ServeMux) {
	mux.HandleFunc(gpsync.ManageSettingsPath, h.manage(map[string]manageFunc{http.MethodGet: h.getSettings, http.MethodPut: h.putSettings}))
	mux.HandleFunc(gpsync.ManageDevicesPath, h.manage(map[string]manageFunc{http.MethodGet: h.listDevices, http.MethodPost: h.newEnrolment}))
	mux.HandleFunc(gpsync.ManageDevicesPath+"/{id}", h.manage(map[string]manageFunc{http.MethodPatch: h.renameDevice, http.MethodDelete: h.revokeDevice}))
	mux.HandleFunc(gpsync.ManageStaffPath, h.manage(map[string]manageFunc{http.MethodGet: h.listStaff, http.MethodPost: h.addStaff}))
	mux.HandleFunc(gpsync.ManageStaffPath+"/{username}", h.manage(map[string]manageFunc{http.MethodPatch: h.changeStaff}))
	mux.HandleFunc(gpsync.ManageAuditPath, h.manage(map[string]manageFunc{http.MethodGet: h.searchAudit}))
	mux.HandleFunc(gpsync.ManageAuditVerifyPath, h.manage(map[string]manageFunc{http.MethodPost: h.verifyAudit}))
	mux.HandleFunc(gpsync.ManageUptakePath, h.manage(map[string]manageFunc{http.MethodGet: h.uptake}))
}

// manage answers the methods in fns, each for a proven manager only.
func (h *handlers) manage(fns map[string]manageFunc) http.HandlerFunc {
	var allow []string
	for m := range fns {
		allow = append(allow, m)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		fn, ok := fns[r.Method]
		if !ok {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "This address does not answer "+r.Method+" requests.")
			return
		}
		h.authenticated(h.asManager(fn))(w, r)
	}
}

const (
	codeManagerOnly = string(store.ReasonManagerOnly)
	sayManagerOnly  = "Only the practice manager can do this."
	codeNotSigned   = "not_signed"
	saySignInAgain  = "Your sign-in has ended; sign in again."
)

// asManager admits a request only from a desktop, signed (sync/manage.go)
// by an active manager's live online session. 401 stays "this device's
// token is not accepted"; everything about the member of staff is 403.
func (h *handlers) asManager(next func(w http.ResponseWriter, r *http.Request, call managerCall)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		dev := deviceFrom(r.Context())
		if dev.Role != store.DeviceDesktop {
			writeError(w, http.StatusForbidden, codeManagerOnly, sayManagerOnly)
			return
		}
		staffID, err := strconv.ParseInt(r.Header.Get(gpsync.HeaderStaffID), 10, 64)
		sessionID, at, nonce := r.Header.Get(gpsync.HeaderStaffSession), r.Header.Get(gpsync.HeaderSignedAt), r.Header.Get(gpsync.HeaderNonce)
		signedAt, atErr := time.Parse(time.RFC3339Nano, at)
		mac, macErr := gpsync.DecodeProof(r.Header.Get(gpsync.HeaderProof))
		if err != nil || staffID <= 0 || !gpsync.SessionIDPattern.MatchString(sessionID) || atErr != nil ||
			!gpsync.SessionIDPattern.MatchString(nonce) || macErr != nil || mac == nil {
			writeError(w, http.StatusForbidden, codeNotSigned, "Only the practice manager can do this, signed in at a desktop that can reach the practice server. Sign in again.")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, gpsync.MaxBodyBytes))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("The request is larger than %d bytes.", gpsync.MaxBodyBytes))
			return
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, "bad_request", "The request body could not be read.")
			return
		}
		signed := gpsync.ManageRequestInput(dev.ID, staffID, sessionID, r.Method, signedPath(r.URL), at, nonce, body)
		m, err := h.st.CheckManagerRequest(r.Context(), store.ManagerRequest{Device: dev, StaffID: staffID, SessionID: sessionID,
			At: signedAt, Nonce: nonce, Proof: store.Proof{Signed: signed, MAC: mac}})
		if re, ok := store.AsRuleError(err); ok {
			h.log.InfoContext(r.Context(), "manager request refused", "device", dev.ID, "reason", string(re.Reason))
			writeError(w, http.StatusForbidden, string(re.Reason), re.Message)
			return
		}
		if err != nil {
			h.internal(w, r, "check manager request", err)
			return
		}
		next(w, r, managerCall{Device: dev, StaffID: m.ID, Username: m.Username, Actor: m.Actor, Body: body})
	}
}

// signedPath is the path and query a manager request's proof covers, as
// they came on the wire.
func signedPath(u *url.URL) string {
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// manageFailed answers a store error: a refusal is 422 with a
// ManageRefusal (404 when the thing named is not there); anything else is
// the server's own problem.
func (h *handlers) manageFailed(w http.ResponseWriter, r *http.Request, op string, err error) {
	re, ok := store.AsRuleError(err)
	switch {
	case ok && re.Reason == store.ReasonNotFound:
		writeError(w, http.StatusNotFound, string(re.Reason), re.Message)
	case ok:
		ref := gpsync.ManageRefusal{Code: string(re.Reason), Message: re.Message}
		var fr *store.FieldRefusal
		var ps store.SettingsProblems
		switch {
		case errors.As(err, &fr):
			ref.Fields = []gpsync.FieldProblem{{Field: wireField(fr.Field), Message: re.Message}}
		case errors.As(err, &ps):
			for _, p := range ps {
				ref.Fields = append(ref.Fields, gpsync.FieldProblem{Field: wireField(p.Field), Message: p.Message})
			}
		}
		writeJSON(w, http.StatusUnprocessableEntity, ref)
	default:
		h.internal(w, r, op, err)
	}
}

// wireField names a field of a store change (its Go name, with indexes)
// as the request's JSON does: "SlotTypeAges.2.MinAge" is
// "slotTypeAges.2.minAgeYears", "BookingWindowDays" is
// "settings.bookingWindowDays".
func wireField(goName string) string {
	if parts := strings.Split(goName, "."); len(parts) == 3 && parts[0] == "SlotTypeAges" {
		sub := map[string]string{"MinAge": "minAgeYears", "MaxAge": "maxAgeYears", "SlotTypeID": "slotTypeId"}[parts[2]]
		return "slotTypeAges." + parts[1] + "." + sub
	}
	if tag, ok := jsonName(reflect.TypeFor[gpsync.ManagedSettings](), goName); ok {
		return tag
	}
	if tag, ok := jsonName(reflect.TypeFor[gpsync.SettingsData](), goName); ok {
		return "settings." + tag
	}
	if goName == "" {
		return ""
	}
	return strings.ToLower(goName[:1]) + goName[1:] // Password, Role, Name
}

func jsonName(t reflect.Type, field string) (string, bool) {
	f, ok := t.FieldByName(field)
	if !ok {
		return "", false
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name, name != "" && name != "-"
}

func refuseManaged(w http.ResponseWriter, message string) {
	writeJSON(w, http.StatusUnprocessableEntity, gpsync.ManageRefusal{Code: string(store.ReasonInvalidInput), Message: message})
}

// managedFromStore and settingsFromManaged are the one place the wire's
// settings meet the store's: a new setting is added to both.
func managedFromStore(m store.ManagedSettings) gpsync.ManagedSettings {
	st := m.Settings
	out := gpsync.ManagedSettings{
		Settings: gpsync.SettingsData{
			BookingWindowDays: st.BookingWindowDays, MinNoticeMinutes: st.MinNoticeMinutes,
			MaxHeldAppointments: st.MaxHeldAppointments, MaxHeldUnverified: st.MaxHeldUnverified,
			MinAgeYears: st.MinAgeYears, CancelCutoffMinutes: st.CancelCutoffMinutes,
			DNASuspendCount: st.DNASuspendCount, DNALookbackDays: st.DNALookbackDays,
			CheckInBeforeMinutes: st.CheckInBeforeMinutes, CheckInAfterMinutes: st.CheckInAfterMinutes,
			RepeatProcessingDays: st.RepeatProcessingDays, RepeatNoteMaxChars: st.RepeatNoteMaxChars,
			CliniciansHandleAlerts: st.CliniciansHandleAlerts,
			DailyReleaseMinutes:    st.DailyReleaseMinutes, KioskIdleSeconds: st.KioskIdleSeconds,
			KioskIdleWarningSeconds: st.KioskIdleWarningSeconds, StaffIdleMinutes: st.StaffIdleMinutes,
			ReadAloudDefault: st.ReadAloudDefault,
		},
		KioskLeasesPerDay: st.KioskLeasesPerDay, LeaseReturnMinutes: st.LeaseReturnMinutes, LeaseIdleMinutes: st.LeaseIdleMinutes,
		KioskExitPINSet: m.KioskExitPINSet, UpdatedAt: m.UpdatedAt, SlotTypeAges: []gpsync.SlotTypeAge{},
	}
	for _, a := range m.SlotTypeAges {
		out.SlotTypeAges = append(out.SlotTypeAges, gpsync.SlotTypeAge{SlotTypeID: a.SlotTypeID, Name: a.Name, MinAgeYears: a.MinAge, MaxAgeYears: a.MaxAge})
	}
	return out
}

// settingsFromManaged is the change a saved settings screen asks for.
// base supplies the settings the screen does not edit (how far a device's
// clock is believed), which stay as they are.
func settingsFromManaged(base store.Settings, m gpsync.ManagedSettings) store.ManagedSettingsChange {
	st, in := base, m.Settings
	st.BookingWindowDays, st.MinNoticeMinutes = in.BookingWindowDays, in.MinNoticeMinutes
	st.MaxHeldAppointments, st.MaxHeldUnverified = in.MaxHeldAppointments, in.MaxHeldUnverified
	st.MinAgeYears, st.CancelCutoffMinutes = in.MinAgeYears, in.CancelCutoffMinutes
	st.DNASuspendCount, st.DNALookbackDays = in.DNASuspendCount, in.DNALookbackDays
	st.CheckInBeforeMinutes, st.CheckInAfterMinutes = in.CheckInBeforeMinutes, in.CheckInAfterMinutes
	st.RepeatProcessingDays, st.RepeatNoteMaxChars = in.RepeatProcessingDays, in.RepeatNoteMaxChars
	st.CliniciansHandleAlerts = in.CliniciansHandleAlerts
	st.DailyReleaseMinutes, st.ReadAloudDefault = in.DailyReleaseMinutes, in.ReadAloudDefault
	st.KioskIdleSeconds, st.KioskIdleWarningSeconds = in.KioskIdleSeconds, in.KioskIdleWarningSeconds
	st.StaffIdleMinutes = in.StaffIdleMinutes
	st.KioskLeasesPerDay, st.LeaseReturnMinutes, st.LeaseIdleMinutes = m.KioskLeasesPerDay, m.LeaseReturnMinutes, m.LeaseIdleMinutes
	c := store.ManagedSettingsChange{Settings: st, NewKioskExitPIN: m.NewKioskExitPIN}
	for _, a := range m.SlotTypeAges {
		c.SlotTypeAges = append(c.SlotTypeAges, store.SlotTypeAge{SlotTypeID: a.SlotTypeID, Name: a.Name, MinAge: a.MinAgeYears, MaxAge: a.MaxAgeYears})
	}
	return c
}

func (h *handlers) getSettings(w http.ResponseWriter, r *http.Request, _ managerCall) {
	m, err := h.st.ManagedSettings(r.Context())
	if err != nil {
		h.internal(w, r, "read managed settings", err)
		return
	}
	writeJSON(w, http.StatusOK, managedFromStore(m))
}

func (h *handlers) putSettings(w http.ResponseWriter, r *http.Request, call managerCall) {
	var in gpsync.ManagedSettings
	if !decodeJSON(w, call.Body, &in) {
		return
	}
	cur, err := h.st.ManagedSettings(r.Context())
	if err != nil {
		h.internal(w, r, "read managed settings", err)
		return
	}
	if err := h.st.SaveManagedSettings(r.Context(), call.Actor, settingsFromManaged(cur.Settings, in)); err != nil {
		h.manageFailed(w, r, "save managed settings", err)
		return
	}
	h.getSettings(w, r, call)
}

func (h *handlers) listDevices(w http.ResponseWriter, r *http.Request, _ managerCall) {
	ds, err := h.st.DeviceStatuses(r.Context())
	if err != nil {
		h.internal(w, r, "list devices", err)
		return
	}
	out := []gpsync.DeviceInfo{}
	for _, d := range ds {
		out = append(out, gpsync.DeviceInfo{ID: d.ID, Name: d.Name, Role: d.Role, EnrolledAt: d.EnrolledAt, LastSeenAt: instant(d.LastSeenAt),
			AppVersion: d.AppVersion, OutboxWaiting: d.OutboxWaiting, LeasesHeld: d.LeasesHeld, RevokedAt: instant(d.RevokedAt)})
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *handlers) newEnrolment(w http.ResponseWriter, r *http.Request, call managerCall) {
	var in gpsync.NewEnrolmentRequest
	if !decodeJSON(w, call.Body, &in) {
		return
	}
	code, err := h.st.NewEnrolmentCode(r.Context(), call.Actor, in.Role, in.Name, EnrolmentCodeLife)
	if err != nil {
		h.manageFailed(w, r, "new enrolment code", err)
		return
	}
	out := gpsync.NewEnrolmentResponse{Code: code, ExpiresAt: h.clock().Add(EnrolmentCodeLife).UTC().Truncate(time.Second)}
	if h.publicURL != "" {
		out.Enrolment = gpsync.Enrolment{Server: h.publicURL, Code: code, Pin: h.certPin}.String()
	}
	writeJSON(w, http.StatusCreated, out)
}

func (h *handlers) renameDevice(w http.ResponseWriter, r *http.Request, call managerCall) {
	var in gpsync.RenameDeviceRequest
	if !decodeJSON(w, call.Body, &in) {
		return
	}
	if err := h.st.RenameDevice(r.Context(), call.Actor, r.PathValue("id"), in.Name); err != nil {
		h.manageFailed(w, r, "rename device", err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handlers) revokeDevice(w http.ResponseWriter, r *http.Request, call managerCall) {
	id := r.PathValue("id")
	if id == call.Device.ID {
		refuseManaged(w, "This is the computer you are using, so it cannot switch itself off. Revoke it from another staff desktop.")
		return
	}
	if err := h.st.RevokeDevice(r.Context(), call.Actor, id); err != nil {
		h.manageFailed(w, r, "revoke device", err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func staffAccount(m store.StaffMember) gpsync.StaffAccount {
	return gpsync.StaffAccount{Username: m.Username, DisplayName: m.DisplayName, Role: m.Role, Active: m.Active, HasPassword: m.HasPassword, CreatedAt: m.CreatedAt}
}

func (h *handlers) listStaff(w http.ResponseWriter, r *http.Request, _ managerCall) {
	ms, err := h.st.StaffMembers(r.Context())
	if err != nil {
		h.internal(w, r, "list staff", err)
		return
	}
	out := []gpsync.StaffAccount{}
	for _, m := range ms {
		out = append(out, staffAccount(m))
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *handlers) addStaff(w http.ResponseWriter, r *http.Request, call managerCall) {
	var in gpsync.NewStaffRequest
	if !decodeJSON(w, call.Body, &in) {
		return
	}
	if _, err := h.st.AddStaff(r.Context(), call.Actor, store.NewStaff{Username: in.Username, DisplayName: in.DisplayName, Role: in.Role, Password: in.Password}); err != nil {
		h.manageFailed(w, r, "add staff", err)
		return
	}
	h.writeStaff(w, r, in.Username, http.StatusCreated)
}

func (h *handlers) changeStaff(w http.ResponseWriter, r *http.Request, call managerCall) {
	var in gpsync.StaffChange
	if !decodeJSON(w, call.Body, &in) {
		return
	}
	username := r.PathValue("username")
	if err := h.st.ChangeStaff(r.Context(), call.Actor, username, store.StaffChange{Active: in.Active, Role: in.Role, Password: in.Password}); err != nil {
		h.manageFailed(w, r, "change staff", err)
		return
	}
	h.writeStaff(w, r, username, http.StatusOK)
}

// writeStaff answers with one member of staff's account as it is now.
func (h *handlers) writeStaff(w http.ResponseWriter, r *http.Request, username string, status int) {
	ms, err := h.st.StaffMembers(r.Context())
	if err != nil {
		h.internal(w, r, "list staff", err)
		return
	}
	for _, m := range ms {
		if m.Username == username {
			writeJSON(w, status, staffAccount(m))
			return
		}
	}
	writeError(w, http.StatusNotFound, string(store.ReasonNotFound), "No member of staff has that username.")
}

// auditFilter reads an AuditQuery's URL parameters.
func auditFilter(q url.Values) (store.AuditFilter, string) {
	f := store.AuditFilter{PatientNHSNumber: q.Get("patient"), StaffUsername: q.Get("staff"), DeviceID: q.Get("device"), Action: q.Get("action")}
	for _, d := range []struct {
		name string
		into *store.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(d.name); v != "" {
			day, err := store.ParseDate(v)
			if err != nil {
				return f, "Give the search's days as dates that exist, such as 2026-06-08."
			}
			*d.into = day
		}
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return f, "The page to go on from is not a number the audit log has."
		}
		f.Before = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return f, "The page size must be a whole number from 1 to 1000."
		}
		f.Limit = n
	}
	return f, ""
}

func auditEntry(e store.AuditEvent) gpsync.AuditEntry {
	return gpsync.AuditEntry{Seq: e.Seq, At: e.At, Actor: e.Actor.Name, Device: e.Actor.Device, Action: e.Action,
		SubjectKind: e.SubjectKind, SubjectID: e.SubjectID, Detail: e.Detail}
}

func (h *handlers) searchAudit(w http.ResponseWriter, r *http.Request, call managerCall) {
	q := r.URL.Query()
	f, problem := auditFilter(q)
	if problem != "" {
		refuseManaged(w, problem)
		return
	}
	if q.Get("format") == "csv" {
		h.auditCSV(w, r, call, f)
		return
	}
	events, more, err := h.st.SearchAudit(r.Context(), f)
	if err != nil {
		h.manageFailed(w, r, "search audit", err)
		return
	}
	page := gpsync.AuditPage{Entries: []gpsync.AuditEntry{}, More: more}
	for _, e := range events {
		page.Entries = append(page.Entries, auditEntry(e))
	}
	writeJSON(w, http.StatusOK, page)
}

// auditCSV streams every match as RFC 4180 CSV, a page at a time, and
// audits the export once it is sent.
func (h *handlers) auditCSV(w http.ResponseWriter, r *http.Request, call managerCall, f store.AuditFilter) {
	f.Limit = 1000
	events, more, err := h.st.SearchAudit(r.Context(), f)
	if err != nil {
		h.manageFailed(w, r, "export audit", err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="audit.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"seq", "at", "actor", "device", "action", "subject_kind", "subject_id", "detail"})
	n := 0
	for {
		for _, e := range events {
			_ = cw.Write(csvSafe([]string{strconv.FormatInt(e.Seq, 10), e.At.Format(time.RFC3339), e.Actor.Name, e.Actor.Device,
				e.Action, e.SubjectKind, strconv.FormatInt(e.SubjectID, 10), e.Detail}))
			f.Before = e.Seq
		}
		n += len(events)
		if !more {
			break
		}
		if events, more, err = h.st.SearchAudit(r.Context(), f); err != nil {
			// The header is sent: all that can be done is stop short.
			h.log.ErrorContext(r.Context(), "audit export stopped", "err", err)
			return
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		h.log.InfoContext(r.Context(), "audit export not delivered", "err", err)
		return
	}
	if err := h.st.RecordAuditExport(context.WithoutCancel(r.Context()), call.Actor, f, n); err != nil {
		h.log.ErrorContext(r.Context(), "audit the audit export", "err", err)
	}
}

// csvSafe stops a spreadsheet taking a cell for a formula: a cell that
// starts with = + - @ (or a tab or carriage return) gets a leading '.
func csvSafe(cells []string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}

func (h *handlers) verifyAudit(w http.ResponseWriter, r *http.Request, _ managerCall) {
	c, err := h.st.CheckAuditChain(r.Context())
	if err != nil {
		h.internal(w, r, "verify audit", err)
		return
	}
	writeJSON(w, http.StatusOK, gpsync.AuditVerifyResult{Holds: c.Holds, Checked: c.Checked, BrokenAt: c.BrokenAt, At: h.clock().UTC()})
}

// deviceReports remembers what each device last reported, so the store is
// written only when it changed or a minute has passed.
type deviceReports struct {
	mu   sync.Mutex
	last map[string]deviceReport
}

type deviceReport struct {
	version string
	outbox  int
	at      time.Time
}

// noteDevice records the app version and outbox count a device sent with
// a request (and that it was seen). A failure is logged, never the
// request's.
func (h *handlers) noteDevice(r *http.Request, dev store.Device) {
	rep := deviceReport{version: r.Header.Get(gpsync.HeaderAppVersion), at: h.clock()}
	if n, err := strconv.Atoi(r.Header.Get(gpsync.HeaderOutbox)); err == nil && n >= 0 {
		rep.outbox = n
	}
	h.reports.mu.Lock()
	if h.reports.last == nil {
		h.reports.last = map[string]deviceReport{}
	}
	prev, ok := h.reports.last[dev.ID]
	due := !ok || prev.version != rep.version || prev.outbox != rep.outbox || rep.at.Sub(prev.at) >= store.DeviceReportInterval()
	if due {
		h.reports.last[dev.ID] = rep
	}
	h.reports.mu.Unlock()
	if !due {
		return
	}
	if err := h.st.RecordDeviceReport(r.Context(), dev.ID, rep.version, rep.outbox); err != nil {
		h.log.ErrorContext(r.Context(), "record device report", "device", dev.ID, "err", err)
		h.reports.mu.Lock()
		delete(h.reports.last, dev.ID) // try again with the next request
		h.reports.mu.Unlock()
	}
}
