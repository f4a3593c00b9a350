-- 0009: limits on what one device may do (issue 14, findings 5, 7 and 8).
-- A kiosk's detail check-ins have a failure budget, each device's reports,
-- help requests and lesson counts have quotas, and a kiosk that stops
-- syncing gives its slot leases back. When a device reaches a limit the
-- server itself tells the practice, with a problem report from 'system'.

-- Problem reports may now come from the server ('system'). SQLite cannot
-- alter a CHECK, so the table is rebuilt as 0006 rebuilt request items;
-- nothing references it, and the copy fires no trigger.
CREATE TABLE problem_reports_new (
    id                       INTEGER PRIMARY KEY,
    reported_at              INTEGER NOT NULL,
    reporter                 TEXT NOT NULL CHECK (reporter IN ('patient', 'staff', 'system')),
    device_id                TEXT NOT NULL DEFAULT '',
    category                 TEXT NOT NULL,
    description              TEXT NOT NULL,
    status                   TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    acknowledged_at          INTEGER,
    acknowledged_by_staff_id INTEGER REFERENCES staff (id),
    resolved_at              INTEGER,
    resolved_by_staff_id     INTEGER REFERENCES staff (id)
);
INSERT INTO problem_reports_new (id, reported_at, reporter, device_id, category, description, status,
    acknowledged_at, acknowledged_by_staff_id, resolved_at, resolved_by_staff_id)
    SELECT id, reported_at, reporter, device_id, category, description, status,
           acknowledged_at, acknowledged_by_staff_id, resolved_at, resolved_by_staff_id
    FROM problem_reports ORDER BY id;
DROP TABLE problem_reports;
ALTER TABLE problem_reports_new RENAME TO problem_reports;
-- 0006's triggers went with the old table.
CREATE TRIGGER problem_report_changed_ins AFTER INSERT ON problem_reports BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('problem_report', NEW.id); END;
CREATE TRIGGER problem_report_changed_upd AFTER UPDATE ON problem_reports BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('problem_report', NEW.id); END;

-- Detail check-ins that matched nobody, by kiosk and time only: no date of
-- birth, sex or initial is kept. Rows older than the budget's window are
-- deleted as new ones come.
CREATE TABLE checkin_failures (
    device_id TEXT NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX checkin_failures_by_device ON checkin_failures (device_id, failed_at);

-- A device that reached a limit: 'checkin' (detail check-in paused until
-- `until`) or an op kind (its quota). reached_at is when the practice was
-- last told, so it is told once, not once per refusal.
CREATE TABLE device_limits (
    device_id  TEXT NOT NULL,
    what       TEXT NOT NULL,
    reached_at INTEGER NOT NULL,
    until      INTEGER NOT NULL,
    PRIMARY KEY (device_id, what)
) WITHOUT ROWID;

-- Quotas count a device's applied ops of a kind over the last day.
CREATE INDEX applied_ops_by_device_kind ON applied_ops (device_id, kind, applied_at);

-- A kiosk that has not pulled for this long gives its leases back (0: it
-- keeps them until it returns or is revoked, as before).
ALTER TABLE online_settings ADD COLUMN lease_idle_minutes INTEGER NOT NULL DEFAULT 240
    CHECK (lease_idle_minutes >= 0);
