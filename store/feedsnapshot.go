package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// A snapshot is how a device starts from nothing: only the rows it may
// hold now, in parent-before-child order, rather than the whole change
// log (which would replay every booking and cancellation, and send a
// deletion for each row it never had).
//
// Its first page reads the newest change (head) in the same read
// transaction as its rows; later pages are read later, so every row is
// sent as it was at head or newer. The device then follows the log from
// head, which brings anything changed since, so nothing committed while
// the snapshot was read is lost: a row changed after head comes again, a
// row gone after head comes as a deletion.

// snapshotPos is where a snapshot has got to: its head, the entity it is
// sending (an index into feedEntityOrder) and the last ID sent of it. On
// the wire it is "head.entity.last" (FeedPage.Snapshot).
type snapshotPos struct {
	head   int64
	entity int
	last   int64
}

func (p snapshotPos) String() string {
	return strconv.FormatInt(p.head, 10) + "." + strconv.Itoa(p.entity) + "." + strconv.FormatInt(p.last, 10)
}

// parseSnapshotPos reads a device's snapshot token, refusing anything
// this server would not have sent.
func parseSnapshotPos(token string) (snapshotPos, error) {
	bad := refuse(ReasonInvalidInput, "The snapshot position is not valid. The device will start its download again.")
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return snapshotPos{}, bad
	}
	var p snapshotPos
	var err error
	if p.head, err = strconv.ParseInt(parts[0], 10, 64); err != nil || p.head < 0 {
		return snapshotPos{}, bad
	}
	if p.entity, err = strconv.Atoi(parts[1]); err != nil || p.entity < 0 || p.entity >= len(feedEntityOrder()) {
		return snapshotPos{}, bad
	}
	if p.last, err = strconv.ParseInt(parts[2], 10, 64); err != nil || p.last < 0 {
		return snapshotPos{}, bad
	}
	if p.String() != token { // one spelling only: no signs, no leading zeros
		return snapshotPos{}, bad
	}
	return p, nil
}

// snapshotPage is up to limit current rows from p on, each with Seq and
// the page's Cursor at the snapshot's head. Page.Snapshot is the token
// for the next page, or "" when this page ends the snapshot; then More
// says whether the log has changes after head already.
func (v *feedView) snapshotPage(ctx context.Context, p snapshotPos, limit int) (FeedPage, error) {
	order := feedEntityOrder()
	page := FeedPage{Cursor: p.head}
	for p.entity < len(order) && len(page.Changes) < limit {
		entity := order[p.entity]
		if v.kiosk() && deskOnlyEntity(entity) {
			p.entity, p.last = p.entity+1, 0
			continue
		}
		want := limit - len(page.Changes)
		ids, err := v.snapshotIDs(ctx, entity, p.last, want)
		if err != nil {
			return FeedPage{}, fmt.Errorf("%s: %w", entity, err)
		}
		if len(ids) > 0 {
			states, err := v.load(ctx, entity, ids)
			if err != nil {
				return FeedPage{}, fmt.Errorf("%s: %w", entity, err)
			}
			for _, id := range ids {
				if st, ok := states[id]; ok { // no deletions: the device never had what is not here
					page.Changes = append(page.Changes, FeedChange{Seq: p.head, Entity: entity, ID: id, State: st})
				}
			}
			p.last = ids[len(ids)-1]
		}
		if len(ids) < want {
			p.entity, p.last = p.entity+1, 0
		}
	}
	if p.entity < len(order) {
		page.Snapshot, page.More = p.String(), true
		return page, nil
	}
	if err := v.tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM changes WHERE seq > ?)", p.head).Scan(&page.More); err != nil {
		return FeedPage{}, err
	}
	return page, nil
}

// snapshotIDs are the next IDs of entity after last, in order. For a
// kiosk they leave out what it could never hold (past slots, patients it
// may not hold, other appointments than future bookings); load has the
// last word on each row.
func (v *feedView) snapshotIDs(ctx context.Context, entity string, last int64, limit int) ([]int64, error) {
	var query string
	args := []any{last}
	kiosk := v.kiosk()
	// A kiosk's rows of patients: only patients with a kiosk-enabled,
	// unrevoked registration can be held (a cheap first cut of the rule).
	const kioskPatient = " AND patient_id IN (SELECT patient_id FROM online_registrations WHERE kiosk_enabled = 1 AND revoked_at IS NULL)"
	switch {
	case entity == EntitySettings:
		query = "SELECT id FROM online_settings WHERE id > ?"
	case entity == EntityClinician:
		query = "SELECT id FROM clinicians WHERE id > ?"
	case entity == EntitySlotType:
		query = "SELECT id FROM slot_types WHERE id > ?"
	case entity == EntitySlot && kiosk:
		query, args = "SELECT id FROM slots WHERE id > ? AND starts_at > ?", append(args, v.now.Unix())
	case entity == EntitySlot:
		query = "SELECT id FROM slots WHERE id > ?"
	case entity == EntityPatient && kiosk:
		rule, err := kioskRegisteredFor("p.id")
		if err != nil {
			return nil, err
		}
		query = "SELECT p.id FROM patients p WHERE p.id > ? AND (" + rule + ")"
	case entity == EntityPatient:
		query = "SELECT id FROM patients WHERE id > ?"
	case entity == EntityAppointment && kiosk:
		query = `SELECT id FROM appointments WHERE id > ? AND status = 'booked'
			AND slot_id IN (SELECT id FROM slots WHERE starts_at > ?)` + kioskPatient
		args = append(args, v.now.Unix())
	case entity == EntityAppointment:
		query = "SELECT id FROM appointments WHERE id > ?"
	case entity == EntityRepeatItem && kiosk:
		query = "SELECT id FROM repeat_medications WHERE id > ?" + kioskPatient
	case entity == EntityRepeatItem:
		query = "SELECT id FROM repeat_medications WHERE id > ?"
	case entity == EntityRepeatRequest && kiosk:
		query = "SELECT id FROM prescription_requests WHERE id > ?" + kioskPatient
	case entity == EntityRepeatRequest:
		query = "SELECT id FROM prescription_requests WHERE id > ?"
	case entity == EntityStaff:
		query = "SELECT id FROM staff WHERE id > ?"
	case entity == EntityRegistration:
		query = "SELECT id FROM online_registrations WHERE id > ?"
	case entity == EntityProxy:
		query = "SELECT id FROM proxy_relationships WHERE id > ?"
	case entity == EntityHelpRequest:
		query = "SELECT id FROM help_requests WHERE id > ?"
	case entity == EntityProblemReport:
		query = "SELECT id FROM problem_reports WHERE id > ?"
	default:
		return nil, fmt.Errorf("unknown entity %q", entity)
	}
	rows, err := v.tx.QueryContext(ctx, query+" ORDER BY id LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make([]int64, 0, limit)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
