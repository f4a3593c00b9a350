-- 0006: the practice's side of the loop (issue 11). Prescribers decide
-- requested items with a reason code the kiosk words for the patient;
-- reception records how approved items left; the kiosk records that the
-- patient has seen the outcome; staff acknowledge and resolve help
-- requests and problem reports, which desktops now receive in the feed.

-- A decline now needs a reason code and the prescriber's words are
-- optional (except for 'other'). SQLite cannot alter a CHECK, so the
-- table is rebuilt; nothing references it, and the copy fires no trigger.
CREATE TABLE prescription_request_items_new (
    id                   INTEGER PRIMARY KEY,
    request_id           INTEGER NOT NULL REFERENCES prescription_requests (id),
    repeat_medication_id INTEGER NOT NULL REFERENCES repeat_medications (id),
    decision             TEXT NOT NULL DEFAULT 'pending'
                         CHECK (decision IN ('pending', 'approved', 'declined', 'cancelled')),
    reason               TEXT NOT NULL DEFAULT '',   -- the prescriber's own words, told to the patient
    reason_code          TEXT NOT NULL DEFAULT ''
                         CHECK (reason_code IN ('', 'needs_review', 'medication_changed', 'too_early', 'not_on_repeat', 'other')),
    decided_by_staff_id  INTEGER REFERENCES staff (id),
    decided_at           INTEGER,
    CHECK (decision <> 'declined' OR reason_code <> ''),
    CHECK (reason_code <> 'other' OR reason <> '')
);
-- Declines made before codes existed carry only words: they are 'other'.
INSERT INTO prescription_request_items_new
    (id, request_id, repeat_medication_id, decision, reason, reason_code, decided_by_staff_id, decided_at)
    SELECT id, request_id, repeat_medication_id, decision, reason,
           CASE WHEN decision = 'declined' THEN 'other' ELSE '' END, decided_by_staff_id, decided_at
    FROM prescription_request_items ORDER BY id;
DROP TABLE prescription_request_items;
ALTER TABLE prescription_request_items_new RENAME TO prescription_request_items;
CREATE UNIQUE INDEX prescription_items_one_outstanding
    ON prescription_request_items (repeat_medication_id) WHERE decision = 'pending';
CREATE INDEX prescription_items_by_request ON prescription_request_items (request_id);
-- 0002's triggers went with the old table.
CREATE TRIGGER request_item_changed_ins AFTER INSERT ON prescription_request_items BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('repeat_request', NEW.request_id);
    INSERT INTO changes (entity, entity_id) VALUES ('repeat_item', NEW.repeat_medication_id); END;
CREATE TRIGGER request_item_changed_upd AFTER UPDATE ON prescription_request_items BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('repeat_request', NEW.request_id);
    INSERT INTO changes (entity, entity_id) VALUES ('repeat_item', NEW.repeat_medication_id); END;

ALTER TABLE prescription_requests ADD COLUMN handed_out TEXT NOT NULL DEFAULT ''
    CHECK (handed_out IN ('', 'collected', 'pharmacy'));
ALTER TABLE prescription_requests ADD COLUMN handed_out_at INTEGER;
ALTER TABLE prescription_requests ADD COLUMN handed_out_by_staff_id INTEGER REFERENCES staff (id);
ALTER TABLE prescription_requests ADD COLUMN outcome_seen_at INTEGER;
CREATE INDEX prescription_requests_by_status ON prescription_requests (status, requested_at);

-- Alerts keep their 'open'/'closed' status (closed once resolved); who
-- acknowledged and who resolved, and when, are columns of their own.
ALTER TABLE help_requests ADD COLUMN acknowledged_at INTEGER;
ALTER TABLE help_requests ADD COLUMN acknowledged_by_staff_id INTEGER REFERENCES staff (id);
ALTER TABLE help_requests ADD COLUMN resolved_at INTEGER;
ALTER TABLE help_requests ADD COLUMN resolved_by_staff_id INTEGER REFERENCES staff (id);
ALTER TABLE problem_reports ADD COLUMN acknowledged_at INTEGER;
ALTER TABLE problem_reports ADD COLUMN acknowledged_by_staff_id INTEGER REFERENCES staff (id);
ALTER TABLE problem_reports ADD COLUMN resolved_at INTEGER;
ALTER TABLE problem_reports ADD COLUMN resolved_by_staff_id INTEGER REFERENCES staff (id);

CREATE TRIGGER help_request_changed_ins AFTER INSERT ON help_requests BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('help_request', NEW.id); END;
CREATE TRIGGER help_request_changed_upd AFTER UPDATE ON help_requests BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('help_request', NEW.id); END;
CREATE TRIGGER problem_report_changed_ins AFTER INSERT ON problem_reports BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('problem_report', NEW.id); END;
CREATE TRIGGER problem_report_changed_upd AFTER UPDATE ON problem_reports BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('problem_report', NEW.id); END;

ALTER TABLE online_settings ADD COLUMN clinicians_handle_alerts INTEGER NOT NULL DEFAULT 0
    CHECK (clinicians_handle_alerts IN (0, 1));

-- Send again what desktops now see more of: every request (its note, when
-- and how it was asked), appointments from yesterday on (when their status
-- changed), and the alerts, which enter the feed here.
INSERT INTO changes (entity, entity_id) SELECT 'repeat_request', id FROM prescription_requests ORDER BY id;
INSERT INTO changes (entity, entity_id) SELECT 'appointment', a.id FROM appointments a JOIN slots sl ON sl.id = a.slot_id
    WHERE sl.starts_at >= unixepoch('now') - 86400 ORDER BY a.id;
INSERT INTO changes (entity, entity_id) SELECT 'help_request', id FROM help_requests ORDER BY id;
INSERT INTO changes (entity, entity_id) SELECT 'problem_report', id FROM problem_reports ORDER BY id;
