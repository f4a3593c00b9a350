package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// MaxLeaseIdleMinutes bounds the LeaseIdleMinutes setting: a week.
const MaxLeaseIdleMinutes = 7 * 24 * 60

// maintainLeases runs on the first page of a device's pull (not on every
// page: a first sync is many pages). It records the cursor the pull
// started from (noteFeedCursor), which compaction may pass. Any device's pull returns the
// leases of kiosks that have gone quiet (returnIdleLeases); a kiosk's own
// pull also hands back its leases that have ended and tops up its leases
// for each bookable day.
//
// A lease ends LeaseReturnMinutes before its slot, but it is only handed
// back once the kiosk has completed a sync that began after the end: a
// sync pushes before it pulls, so by then every booking the kiosk made
// while it held the lease has reached the server. That is what makes an
// offline booking of a leased slot firm.
func (s *Store) maintainLeases(ctx context.Context, dev Device, after int64) error {
	if dev.Role != DeviceKiosk {
		if err := s.noteFeedCursor(ctx, dev, after); err != nil {
			return err
		}
		return s.returnIdleLeasesOnPull(ctx, dev)
	}
	return s.inTx(ctx, "store.maintainLeases", func(tx *sql.Tx) error {
		now := s.Now()
		var prevPull sql.NullInt64
		var revoked sql.NullInt64
		if err := tx.QueryRowContext(ctx, "SELECT last_pull_at, revoked_at FROM devices WHERE id = ?", dev.ID).Scan(&prevPull, &revoked); err != nil {
			return fmt.Errorf("store.maintainLeases: %w", err)
		}
		if revoked.Valid {
			return ErrDeviceRevoked
		}
		if prevPull.Valid {
			if _, err := tx.ExecContext(ctx, "DELETE FROM slot_leases WHERE device_id = ? AND ends_at <= ?", dev.ID, prevPull.Int64); err != nil {
				return fmt.Errorf("store.maintainLeases: hand back: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE devices SET last_pull_at = ?, feed_cursor = ?, feed_cursor_at = ? WHERE id = ?",
			now.Unix(), after, now.Unix(), dev.ID); err != nil {
			return fmt.Errorf("store.maintainLeases: %w", err)
		}
		st, err := loadSettings(ctx, tx)
		if err != nil {
			return fmt.Errorf("store.maintainLeases: %w", err)
		}
		if _, err := returnIdleLeases(ctx, tx, now, st, dev.ID); err != nil {
			return fmt.Errorf("store.maintainLeases: %w", err)
		}
		return s.grantLeases(ctx, tx, now, dev.ID, st)
	})
}

// idleSince is the last pull before which a kiosk counts as gone quiet;
// ok is false when the practice keeps leases until the kiosk returns.
func idleSince(now time.Time, st Settings) (cutoff int64, ok bool) {
	if st.LeaseIdleMinutes <= 0 {
		return 0, false
	}
	return now.Add(-time.Duration(st.LeaseIdleMinutes) * time.Minute).Unix(), true
}

// returnIdleLeases hands back to everyone the leases of every kiosk but
// except that has not pulled for LeaseIdleMinutes. A kiosk records a pull
// only after pushing (a sync pushes first), so a kiosk offline for less
// than that keeps its leases and its offline bookings of them stay firm;
// one offline for longer loses that promise, which is the price of not
// letting a kiosk that never returns hold slots nobody can book. The
// device asking (except) is never idle: it is here. It reports how many
// leases went back.
func returnIdleLeases(ctx context.Context, tx *sql.Tx, now time.Time, st Settings, except string) (int64, error) {
	cutoff, ok := idleSince(now, st)
	if !ok {
		return 0, nil
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM slot_leases WHERE device_id <> ? AND device_id IN
		(SELECT id FROM devices WHERE coalesce(last_pull_at, 0) <= ?)`, except, cutoff)
	if err != nil {
		return 0, fmt.Errorf("return idle leases: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// returnIdleLeasesOnPull is a desktop's part in maintainLeases: it looks
// first, so a pull opens a write transaction only when a lease is due back.
func (s *Store) returnIdleLeasesOnPull(ctx context.Context, dev Device) error {
	st, err := loadSettings(ctx, s.read)
	if err != nil {
		return fmt.Errorf("store.maintainLeases: %w", err)
	}
	cutoff, ok := idleSince(s.Now(), st)
	if !ok {
		return nil
	}
	var due bool
	if err := s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM slot_leases l JOIN devices d ON d.id = l.device_id
		WHERE l.device_id <> ? AND coalesce(d.last_pull_at, 0) <= ?)`, dev.ID, cutoff).Scan(&due); err != nil {
		return fmt.Errorf("store.maintainLeases: %w", err)
	}
	if !due {
		return nil
	}
	return s.inTx(ctx, "store.maintainLeases", func(tx *sql.Tx) error {
		st, err := loadSettings(ctx, tx)
		if err != nil {
			return fmt.Errorf("store.maintainLeases: %w", err)
		}
		_, err = returnIdleLeases(ctx, tx, s.Now(), st, dev.ID)
		return err
	})
}

// grantLeases gives the kiosk up to KioskLeasesPerDay free, released,
// online-bookable slots on each day of the booking window, earliest first.
func (s *Store) grantLeases(ctx context.Context, tx *sql.Tx, now time.Time, deviceID string, st Settings) error {
	if st.KioskLeasesPerDay == 0 {
		return nil
	}
	returnBefore := int64(st.LeaseReturnMinutes * 60)
	notice := int64(st.MinNoticeMinutes * 60)
	// Only days open for booking now: the furthest day's slots are not
	// held before its release time (Settings.LastBookableDay).
	last := st.LastBookableDay(now, s.loc)
	for day := DateOf(now, s.loc); !day.After(last); day = day.AddDays(1) {
		lo, hi := day.At(0, 0, s.loc).Unix(), day.AddDays(1).At(0, 0, s.loc).Unix()
		var held int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM slot_leases l JOIN slots sl ON sl.id = l.slot_id
			WHERE l.device_id = ? AND sl.starts_at >= ? AND sl.starts_at < ?`, deviceID, lo, hi).Scan(&held); err != nil {
			return fmt.Errorf("grant leases: %w", err)
		}
		need := st.KioskLeasesPerDay - held
		if need <= 0 {
			continue
		}
		// Only a slot the kiosk could book for someone now, and whose lease
		// would last a while, is worth holding.
		_, err := tx.ExecContext(ctx, `INSERT INTO slot_leases (slot_id, device_id, granted_at, ends_at)
			SELECT sl.id, ?, ?, sl.starts_at - ? FROM slots sl
			JOIN sessions se ON se.id = sl.session_id JOIN clinicians c ON c.id = se.clinician_id
			JOIN slot_types t ON t.id = sl.slot_type_id
			WHERE sl.starts_at >= ? AND sl.starts_at < ? AND sl.starts_at - ? > ? AND sl.starts_at - ? > ?
			  AND sl.online_bookable = 1 AND sl.channel = 'any' AND c.online_bookable = 1 AND t.online_bookable = 1
			  AND (sl.release_at IS NULL OR sl.release_at <= ?)
			  AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = sl.id AND a.status <> 'cancelled')
			  AND NOT EXISTS (SELECT 1 FROM slot_leases l WHERE l.slot_id = sl.id)
			ORDER BY sl.starts_at, sl.id LIMIT ?`,
			deviceID, now.Unix(), returnBefore, lo, hi, returnBefore, now.Unix(), notice, now.Unix(), now.Unix(), need)
		if err != nil {
			return fmt.Errorf("grant leases: %w", err)
		}
	}
	return nil
}

// Lease is a slot held for a kiosk.
type Lease struct {
	SlotID   int64
	DeviceID string
	EndsAt   time.Time
}

// Leases lists every lease, for reception's "held by the kiosk" view.
func (s *Store) Leases(ctx context.Context) ([]Lease, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT slot_id, device_id, ends_at FROM slot_leases ORDER BY slot_id")
	if err != nil {
		return nil, fmt.Errorf("store.Leases: %w", err)
	}
	defer rows.Close()
	var out []Lease
	for rows.Next() {
		var l Lease
		var ends int64
		if err := rows.Scan(&l.SlotID, &l.DeviceID, &ends); err != nil {
			return nil, fmt.Errorf("store.Leases: %w", err)
		}
		l.EndsAt = time.Unix(ends, 0).UTC()
		out = append(out, l)
	}
	return out, rows.Err()
}
