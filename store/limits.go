package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Limits on what one device may do (issue 14): a kiosk's detail check-ins
// have a failure budget, and each device's problem reports, help requests
// and lesson counts have quotas. When a device reaches a limit the server
// tells the practice once, with a problem report of its own ("system")
// in the staff desktop's inbox.

// The check-in failure budget. A patient who mistypes tries two or three
// times and then goes to the desk, and a busy quarter hour has only a few
// such patients; ten failures on one kiosk in 15 minutes is someone trying
// details. Detail check-in on that kiosk then pauses for 15 minutes: at
// most 40 guesses an hour instead of 72,000, and each pause is reported.
const (
	CheckInFailureBudget = 10
	CheckInFailureWindow = 15 * time.Minute
	CheckInPause         = 15 * time.Minute
)

// ReasonCheckInPaused: this kiosk's detail check-in is paused after too
// many failures. The patient is told the same as for any failure.
const ReasonCheckInPaused Reason = "checkin_paused"

// QuotaError is a request held back because its device has used its
// quota of that kind for now. It is not a refusal (not a RuleError):
// nothing of the request is done or recorded, so the device keeps it and
// sends it again after RetryAfter, when it is judged afresh. A patient's
// report is late, never lost.
type QuotaError struct {
	Kind RequestKind
	// RetryAfter is when the sliding window next frees one request of
	// this kind (at least a second).
	RetryAfter time.Duration
	// Message is Quota.Held, for the person at the device; Code is its
	// Sentence code (Quota.HeldCode).
	Message string
	Code    string
}

func (e *QuotaError) Error() string {
	return fmt.Sprintf("%s quota used up; try again in %s", e.Kind, e.RetryAfter)
}

// CheckInPausedError is a detail check-in refused because the kiosk's
// failure budget is spent. It says the same as any failed check-in
// (errors.As finds the RuleError), and when the kiosk may try again.
type CheckInPausedError struct {
	RetryAfter time.Duration
}

func (e *CheckInPausedError) Error() string { return e.Unwrap().Error() }

// Unwrap is the "please see reception" refusal the patient is shown.
func (e *CheckInPausedError) Unwrap() error {
	return sentSeeReception.rule(ReasonCheckInPaused)
}

// Quota is how many requests of one kind a device may make: at most
// PerHour in any hour and PerDay in any 24 hours, counted by the server's
// clock when each was applied.
type Quota struct {
	PerHour, PerDay int
	// Noun names the requests in a sentence to the practice ("help
	// requests"); Held is what the device is told while it must wait.
	Noun, Held string
	// HeldCode is Held's Sentence code, for the kiosk to say it in the
	// patient's language.
	HeldCode string
}

// QuotaFor is the one rule for a request kind's quota; ok is false for a
// kind without one (bookings, cancellations and orders are bounded by the
// practice's own rules on what a patient may hold).
//
// The numbers are for a real waiting room. A problem report comes from
// someone noticing a fault, and a fault is reported a few times; 20 in
// an hour is a broken or misused device. A help request is a patient
// stuck; one every two minutes all hour is beyond any honest morning.
// A practice lesson takes more than a minute and a device has one learner
// at a time, so 60 an hour cannot be reached honestly. The daily figures
// are a long surgery day at a good part of those rates.
func QuotaFor(kind RequestKind) (q Quota, ok bool) {
	switch kind {
	case KindReportProblem:
		return Quota{PerHour: 20, PerDay: 60, Noun: "problem reports",
			Held: sentHeldProblems.English, HeldCode: sentHeldProblems.Code}, true
	case KindAskForHelp:
		return Quota{PerHour: 30, PerDay: 150, Noun: "help requests",
			Held: sentHeldHelp.English, HeldCode: sentHeldHelp.Code}, true
	case KindCountLesson:
		return Quota{PerHour: 60, PerDay: 300, Noun: "lesson counts",
			Held: sentHeldLessons.English, HeldCode: sentHeldLessons.Code}, true
	}
	return Quota{}, false
}

// checkQuota holds back (QuotaError) a request of a kind whose quota the
// device has used up. The request that uses the last of an allowance
// tells the practice, at most once a day per device and kind; if that
// request is itself refused by its own rules, the report goes with it
// (the caller rolls the request back), and the next one that reaches the
// limit tells instead.
func (s *Store) checkQuota(ctx context.Context, tx *sql.Tx, dev Device, kind RequestKind) error {
	q, ok := QuotaFor(kind)
	if !ok {
		return nil
	}
	now := s.Now()
	var hour, day int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(applied_at > ?), 0), count(*) FROM applied_ops
		WHERE device_id = ? AND kind = ? AND status = 'applied' AND applied_at > ?`,
		now.Add(-time.Hour).Unix(), dev.ID, string(kind), now.Add(-24*time.Hour).Unix()).Scan(&hour, &day); err != nil {
		return fmt.Errorf("check quota: %w", err)
	}
	if hour >= q.PerHour || day >= q.PerDay {
		// Both windows must have room, so the wait is the longer of the
		// two; held requests are not recorded, so they never lengthen it.
		var wait time.Duration
		for _, w := range []struct {
			n, limit int
			span     time.Duration
		}{{hour, q.PerHour, time.Hour}, {day, q.PerDay, 24 * time.Hour}} {
			if w.n < w.limit {
				continue
			}
			d, err := quotaFrees(ctx, tx, dev.ID, kind, now, w.span, w.n-w.limit)
			if err != nil {
				return fmt.Errorf("check quota: %w", err)
			}
			wait = max(wait, d)
		}
		return &QuotaError{Kind: kind, RetryAfter: max(wait, time.Second), Message: q.Held, Code: q.HeldCode}
	}
	if hour+1 < q.PerHour && day+1 < q.PerDay {
		return nil
	}
	limit, per := q.PerHour, "an hour"
	if day+1 >= q.PerDay {
		limit, per = q.PerDay, "a day"
	}
	name, err := deviceName(ctx, tx, dev.ID)
	if err != nil {
		return fmt.Errorf("check quota: %w", err)
	}
	return s.reportLimit(ctx, tx, dev.ID, string(kind), now, now, "Device limit reached", fmt.Sprintf(
		"%s has sent %d %s, the most one device may send in %s. Any more wait on the device until its allowance frees, "+
			"so none is lost. Check the device; if it has been misused, switch it off (practice-server revoke).",
		name, limit, q.Noun, per))
}

// quotaFrees is how long until a window of span counts one fewer applied
// request of kind from the device than now: when the (over+1)th oldest
// request in it leaves (over is how many it holds beyond the limit, 0
// unless the limits were lowered).
func quotaFrees(ctx context.Context, tx *sql.Tx, deviceID string, kind RequestKind, now time.Time, span time.Duration, over int) (time.Duration, error) {
	var at int64
	err := tx.QueryRowContext(ctx, `SELECT applied_at FROM applied_ops WHERE device_id = ? AND kind = ? AND status = 'applied'
		AND applied_at > ? ORDER BY applied_at LIMIT 1 OFFSET ?`, deviceID, string(kind), now.Add(-span).Unix(), over).Scan(&at)
	if err != nil {
		return 0, fmt.Errorf("when the quota frees: %w", err)
	}
	// A request counts while applied_at > now-span in whole seconds.
	return time.Unix(at, 0).Add(span).Sub(now), nil
}

// reportLimit records that a device reached a limit (what: "checkin" or an
// op kind) and tells the practice with a problem report, unless it was
// told about the same device and limit in the last 24 hours.
func (s *Store) reportLimit(ctx context.Context, tx *sql.Tx, deviceID, what string, now, until time.Time, category, description string) error {
	var last int64
	err := tx.QueryRowContext(ctx, "SELECT reached_at FROM device_limits WHERE device_id = ? AND what = ?", deviceID, what).Scan(&last)
	told := err == nil && last > now.Add(-24*time.Hour).Unix()
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("report limit: %w", err)
	}
	reachedAt := now.Unix()
	if told {
		reachedAt = last
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO device_limits (device_id, what, reached_at, until) VALUES (?, ?, ?, ?)
		ON CONFLICT (device_id, what) DO UPDATE SET reached_at = excluded.reached_at, until = excluded.until`,
		deviceID, what, reachedAt, until.Unix()); err != nil {
		return fmt.Errorf("report limit: %w", err)
	}
	if told {
		return nil
	}
	return s.systemReport(ctx, tx, deviceID, now, category, description)
}

// systemReport is a problem report from the practice server itself about
// a device, for the staff desktop's inbox. It names no patient.
func (s *Store) systemReport(ctx context.Context, tx *sql.Tx, deviceID string, now time.Time, category, description string) error {
	res, err := tx.ExecContext(ctx, "INSERT INTO problem_reports (reported_at, reporter, device_id, category, description) VALUES (?, 'system', ?, ?, ?)",
		now.Unix(), deviceID, category, description)
	if err != nil {
		return fmt.Errorf("system report: %w", err)
	}
	id, _ := res.LastInsertId()
	return appendAudit(ctx, tx, now, SystemActor(), "problem.report", "problem", id, "device="+deviceID)
}

// deviceName is how a sentence to the practice names a device: the name
// the practice manager gave it, else its role, else its ID.
func deviceName(ctx context.Context, tx *sql.Tx, deviceID string) (string, error) {
	var name, role string
	err := tx.QueryRowContext(ctx, "SELECT name, role FROM devices WHERE id = ?", deviceID).Scan(&name, &role)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "Device " + deviceID, nil
	case err != nil:
		return "", fmt.Errorf("device name: %w", err)
	case name != "":
		return fmt.Sprintf("%q", name), nil
	}
	return "The " + role, nil
}

// checkInPaused says how much longer the kiosk's detail check-in is
// paused (0: it is not).
func checkInPaused(ctx context.Context, tx *sql.Tx, deviceID string, now time.Time) (time.Duration, error) {
	return limitUntil(ctx, tx, deviceID, "checkin", now)
}

// checkInFailed records a detail check-in that matched nobody and, when it
// spends the kiosk's budget, pauses detail check-in there and tells the
// practice once. It returns how long detail check-in is now paused (0: not).
func (s *Store) checkInFailed(ctx context.Context, tx *sql.Tx, deviceID string, now time.Time) (time.Duration, error) {
	windowStart := now.Add(-CheckInFailureWindow).Unix()
	if _, err := tx.ExecContext(ctx, "DELETE FROM checkin_failures WHERE device_id = ? AND failed_at <= ?", deviceID, windowStart); err != nil {
		return 0, fmt.Errorf("check-in budget: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO checkin_failures (device_id, failed_at) VALUES (?, ?)", deviceID, now.Unix()); err != nil {
		return 0, fmt.Errorf("check-in budget: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM checkin_failures WHERE device_id = ?", deviceID).Scan(&n); err != nil {
		return 0, fmt.Errorf("check-in budget: %w", err)
	}
	if n < CheckInFailureBudget {
		return 0, nil
	}
	// The budget is spent: pause, and start the next budget afresh when
	// the pause ends.
	until := now.Add(CheckInPause)
	if _, err := tx.ExecContext(ctx, "DELETE FROM checkin_failures WHERE device_id = ?", deviceID); err != nil {
		return 0, fmt.Errorf("check-in budget: %w", err)
	}
	name, err := deviceName(ctx, tx, deviceID)
	if err != nil {
		return 0, fmt.Errorf("check-in budget: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO device_limits (device_id, what, reached_at, until) VALUES (?, 'checkin', ?, ?)
		ON CONFLICT (device_id, what) DO UPDATE SET reached_at = excluded.reached_at, until = excluded.until`,
		deviceID, now.Unix(), until.Unix()); err != nil {
		return 0, fmt.Errorf("check-in budget: %w", err)
	}
	err = s.systemReport(ctx, tx, deviceID, now, "Check-in paused", fmt.Sprintf(
		"%s had %d check-ins by date of birth that matched no appointment within %d minutes, so check-in by date of birth "+
			"is paused there until %s. Someone may be trying people's details to find out who has an appointment. "+
			"Patients can still check in with their appointment slip, or at the desk.",
		name, CheckInFailureBudget, int(CheckInFailureWindow/time.Minute), until.In(s.loc).Format("15:04")))
	if err != nil {
		return 0, fmt.Errorf("check-in budget: %w", err)
	}
	return CheckInPause, nil
}

// limitUntil says how much longer a device's limit (what) holds (0: it
// does not).
func limitUntil(ctx context.Context, tx *sql.Tx, deviceID, what string, now time.Time) (time.Duration, error) {
	var until int64
	err := tx.QueryRowContext(ctx, "SELECT until FROM device_limits WHERE device_id = ? AND what = ?", deviceID, what).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && until <= now.Unix()) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("device limit %s: %w", what, err)
	}
	return time.Duration(until-now.Unix()) * time.Second, nil
}
