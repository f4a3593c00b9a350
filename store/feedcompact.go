package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// The change log gains a row or two for every change, for ever, unless it
// is compacted. Compaction drops a change once the same row has a newer
// change and every device still syncing has pulled past it: a device only
// ever needs a row's newest state, so the log from any position still
// brings every row it must (compacted, it is no longer in commit order
// below the floor, which a replica does not need). A new device starts
// from a snapshot, not from the log.
//
// The floor is the lowest position any device still syncing started its
// last pull from (devices.feed_cursor, noted on the first page of each
// pull). A device revoked, or not heard from for FeedAwayTooLong, no longer
// holds the floor back; should it come back below the floor, a device that
// can take a snapshot is told ErrCursorExpired and starts again from one.
//
// Compaction runs on the first page of a pull, at most once every
// feedCompactEvery, in its own short write transaction; CompactChanges
// runs it at once.

// FeedAwayTooLong is how long a device may go without pulling before it no
// longer holds the change log back.
const FeedAwayTooLong = 30 * 24 * time.Hour

// feedCompactEvery is how often compaction may run.
const feedCompactEvery = time.Minute

// noteFeedCursorEvery: a desktop's position is written when it moves, or
// this long after it was last written, so an idle desktop's long-polls
// are not a write each.
const noteFeedCursorEvery = time.Hour

// noteFeedCursor records that the device's replica holds the log up to
// after (a kiosk's is written with its lease upkeep, maintainLeases).
func (s *Store) noteFeedCursor(ctx context.Context, dev Device, after int64) error {
	var cur, at sql.NullInt64
	if err := s.read.QueryRowContext(ctx, "SELECT feed_cursor, feed_cursor_at FROM devices WHERE id = ?", dev.ID).Scan(&cur, &at); err != nil {
		return fmt.Errorf("store.noteFeedCursor: %w", err)
	}
	now := s.Now()
	if cur.Valid && cur.Int64 == after && at.Valid && now.Sub(time.Unix(at.Int64, 0)) < noteFeedCursorEvery {
		return nil
	}
	return s.inTx(ctx, "store.noteFeedCursor", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE devices SET feed_cursor = ?, feed_cursor_at = ? WHERE id = ?", after, now.Unix(), dev.ID)
		return err
	})
}

// compactIfDue compacts the log if it has not been for feedCompactEvery.
func (s *Store) compactIfDue(ctx context.Context) error {
	var ranAt int64
	if err := s.read.QueryRowContext(ctx, "SELECT ran_at FROM feed_compaction WHERE id = 1").Scan(&ranAt); err != nil {
		return fmt.Errorf("store.compactIfDue: %w", err)
	}
	if s.Now().Sub(time.Unix(ranAt, 0)) < feedCompactEvery {
		return nil
	}
	_, err := s.CompactChanges(ctx)
	return err
}

// FeedCompaction is what compaction did.
type FeedCompaction struct {
	Floor   int64 // changes at or below it keep only each row's newest
	Dropped int64 // changes dropped this time
}

// CompactChanges compacts the change log now (see the top of this file).
func (s *Store) CompactChanges(ctx context.Context) (FeedCompaction, error) {
	const op = "store.CompactChanges"
	var out FeedCompaction
	err := s.inTx(ctx, op, func(tx *sql.Tx) error {
		now := s.Now()
		var head, prevFloor, prevHead int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT max(seq) FROM changes), 0), floor, head FROM feed_compaction WHERE id = 1`).
			Scan(&head, &prevFloor, &prevHead); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		// A device that has not pulled since this was added counts as at 0
		// until it does, unless it has been away too long anyway.
		var lowest sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT min(coalesce(feed_cursor, 0)) FROM devices WHERE revoked_at IS NULL
			AND coalesce(feed_cursor_at, last_seen_at, last_pull_at, enrolled_at) > ?`, now.Add(-FeedAwayTooLong).Unix()).Scan(&lowest); err != nil {
			return fmt.Errorf("%s: floor: %w", op, err)
		}
		floor := head
		if lowest.Valid {
			floor = min(lowest.Int64, head)
		}
		floor = max(floor, prevFloor) // the floor never goes back: what is dropped is gone
		// Rows newly under the floor that have a newer change.
		res, err := tx.ExecContext(ctx, `DELETE FROM changes WHERE seq > ? AND seq <= ? AND EXISTS (SELECT 1 FROM changes n
			WHERE n.entity = changes.entity AND n.entity_id = changes.entity_id AND n.seq > changes.seq)`, prevFloor, floor)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		n, _ := res.RowsAffected()
		out.Dropped += n
		// Rows under the old floor were each their row's newest when it
		// last ran; those of rows changed since then are not.
		if prevFloor == 0 {
			return s.noteCompaction(ctx, tx, &out, floor, head, now)
		}
		rows, err := tx.QueryContext(ctx, "SELECT DISTINCT entity, entity_id FROM changes WHERE seq > ?", prevHead)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		var changed []rowRef
		for rows.Next() {
			var r rowRef
			if err := rows.Scan(&r.entity, &r.id); err != nil {
				rows.Close()
				return fmt.Errorf("%s: %w", op, err)
			}
			changed = append(changed, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		for _, r := range changed {
			res, err := tx.ExecContext(ctx, "DELETE FROM changes WHERE entity = ? AND entity_id = ? AND seq <= ?", r.entity, r.id, prevFloor)
			if err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
			n, _ := res.RowsAffected()
			out.Dropped += n
		}
		return s.noteCompaction(ctx, tx, &out, floor, head, now)
	})
	return out, err
}

func (s *Store) noteCompaction(ctx context.Context, tx *sql.Tx, out *FeedCompaction, floor, head int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, "UPDATE feed_compaction SET floor = ?, head = ?, ran_at = ? WHERE id = 1", floor, head, now.Unix()); err != nil {
		return fmt.Errorf("store.CompactChanges: %w", err)
	}
	out.Floor = floor
	return nil
}
