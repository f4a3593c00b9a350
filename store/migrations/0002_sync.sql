-- 0002: devices, the change feed, the op log, slot leases, help requests.

ALTER TABLE online_settings ADD COLUMN kiosk_leases_per_day INTEGER NOT NULL DEFAULT 2 CHECK (kiosk_leases_per_day >= 0);
ALTER TABLE online_settings ADD COLUMN lease_return_minutes INTEGER NOT NULL DEFAULT 120 CHECK (lease_return_minutes >= 0);

CREATE TABLE devices (
    id            TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('kiosk', 'desktop')),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,   -- hex SHA-256 of the bearer token
    enrolled_at   INTEGER NOT NULL,
    revoked_at    INTEGER,
    last_pull_at  INTEGER                 -- leases end only after the holder has synced past their end
);

CREATE TABLE enrolment_codes (
    code_hash  TEXT PRIMARY KEY,          -- hex SHA-256 of the normalised code
    role       TEXT NOT NULL CHECK (role IN ('kiosk', 'desktop')),
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    device_id  TEXT REFERENCES devices (id)
);

-- Every op a device sent, with the result it was given, so a replay gets
-- the same answer and changes nothing.
CREATE TABLE applied_ops (
    op_id      TEXT PRIMARY KEY,
    device_id  TEXT NOT NULL REFERENCES devices (id),
    kind       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
    reason     TEXT NOT NULL DEFAULT '',
    message    TEXT NOT NULL DEFAULT '',
    result     TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,          -- when the device says it happened
    applied_at INTEGER NOT NULL
);

CREATE TABLE slot_leases (
    slot_id    INTEGER PRIMARY KEY REFERENCES slots (id),
    device_id  TEXT NOT NULL REFERENCES devices (id),
    granted_at INTEGER NOT NULL,
    ends_at    INTEGER NOT NULL           -- the kiosk may book it firm until then
);
CREATE INDEX slot_leases_by_device ON slot_leases (device_id, ends_at);

CREATE TABLE help_requests (
    id           INTEGER PRIMARY KEY,
    device_id    TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    requested_at INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed'))
);

-- The change feed: one row per change to a synced row, numbered in commit
-- order (the server has a single writer). Triggers write it in the same
-- transaction as the change, so no change can be missed.
CREATE TABLE changes (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL
);

CREATE TRIGGER settings_changed_ins AFTER INSERT ON online_settings BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('settings', NEW.id); END;
CREATE TRIGGER settings_changed_upd AFTER UPDATE ON online_settings BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('settings', NEW.id); END;

CREATE TRIGGER clinician_changed_ins AFTER INSERT ON clinicians BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('clinician', NEW.id); END;
CREATE TRIGGER clinician_changed_upd AFTER UPDATE ON clinicians BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('clinician', NEW.id); END;
CREATE TRIGGER clinician_changed_del AFTER DELETE ON clinicians BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('clinician', OLD.id); END;

CREATE TRIGGER slot_type_changed_ins AFTER INSERT ON slot_types BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('slot_type', NEW.id); END;
CREATE TRIGGER slot_type_changed_upd AFTER UPDATE ON slot_types BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('slot_type', NEW.id); END;
CREATE TRIGGER slot_type_changed_del AFTER DELETE ON slot_types BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('slot_type', OLD.id); END;

CREATE TRIGGER slot_changed_ins AFTER INSERT ON slots BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('slot', NEW.id); END;
CREATE TRIGGER slot_changed_upd AFTER UPDATE ON slots BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('slot', NEW.id); END;
CREATE TRIGGER slot_changed_del AFTER DELETE ON slots BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('slot', OLD.id); END;

CREATE TRIGGER lease_changed_ins AFTER INSERT ON slot_leases BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('slot', NEW.slot_id); END;
CREATE TRIGGER lease_changed_del AFTER DELETE ON slot_leases BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('slot', OLD.slot_id); END;

CREATE TRIGGER patient_changed_ins AFTER INSERT ON patients BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('patient', NEW.id); END;
CREATE TRIGGER patient_changed_upd AFTER UPDATE ON patients BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('patient', NEW.id); END;

-- An appointment changes its slot's availability too.
CREATE TRIGGER appointment_changed_ins AFTER INSERT ON appointments BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('appointment', NEW.id);
    INSERT INTO changes (entity, entity_id) VALUES ('slot', NEW.slot_id); END;
CREATE TRIGGER appointment_changed_upd AFTER UPDATE ON appointments BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('appointment', NEW.id);
    INSERT INTO changes (entity, entity_id) VALUES ('slot', NEW.slot_id); END;

CREATE TRIGGER repeat_item_changed_ins AFTER INSERT ON repeat_medications BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('repeat_item', NEW.id); END;
CREATE TRIGGER repeat_item_changed_upd AFTER UPDATE ON repeat_medications BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('repeat_item', NEW.id); END;

CREATE TRIGGER repeat_request_changed_ins AFTER INSERT ON prescription_requests BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('repeat_request', NEW.id); END;
CREATE TRIGGER repeat_request_changed_upd AFTER UPDATE ON prescription_requests BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('repeat_request', NEW.id); END;
-- An item decision changes the request and the item's "outstanding" flag.
CREATE TRIGGER request_item_changed_ins AFTER INSERT ON prescription_request_items BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('repeat_request', NEW.request_id);
    INSERT INTO changes (entity, entity_id) VALUES ('repeat_item', NEW.repeat_medication_id); END;
CREATE TRIGGER request_item_changed_upd AFTER UPDATE ON prescription_request_items BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('repeat_request', NEW.request_id);
    INSERT INTO changes (entity, entity_id) VALUES ('repeat_item', NEW.repeat_medication_id); END;

-- A registration decides whether a kiosk may hold the patient at all, so
-- it re-sends the patient and everything of theirs a kiosk may hold.
CREATE TRIGGER registration_changed_ins AFTER INSERT ON online_registrations BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('patient', NEW.patient_id);
    INSERT INTO changes (entity, entity_id) SELECT 'appointment', id FROM appointments WHERE patient_id = NEW.patient_id;
    INSERT INTO changes (entity, entity_id) SELECT 'repeat_item', id FROM repeat_medications WHERE patient_id = NEW.patient_id;
    INSERT INTO changes (entity, entity_id) SELECT 'repeat_request', id FROM prescription_requests WHERE patient_id = NEW.patient_id; END;
CREATE TRIGGER registration_changed_upd AFTER UPDATE ON online_registrations BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('patient', NEW.patient_id);
    INSERT INTO changes (entity, entity_id) SELECT 'appointment', id FROM appointments WHERE patient_id = NEW.patient_id;
    INSERT INTO changes (entity, entity_id) SELECT 'repeat_item', id FROM repeat_medications WHERE patient_id = NEW.patient_id;
    INSERT INTO changes (entity, entity_id) SELECT 'repeat_request', id FROM prescription_requests WHERE patient_id = NEW.patient_id; END;

-- Rows written before the feed existed enter it once, parents first.
INSERT INTO changes (entity, entity_id) SELECT 'settings', id FROM online_settings;
INSERT INTO changes (entity, entity_id) SELECT 'clinician', id FROM clinicians ORDER BY id;
INSERT INTO changes (entity, entity_id) SELECT 'slot_type', id FROM slot_types ORDER BY id;
INSERT INTO changes (entity, entity_id) SELECT 'slot', id FROM slots ORDER BY id;
INSERT INTO changes (entity, entity_id) SELECT 'patient', id FROM patients ORDER BY id;
INSERT INTO changes (entity, entity_id) SELECT 'appointment', id FROM appointments ORDER BY id;
INSERT INTO changes (entity, entity_id) SELECT 'repeat_item', id FROM repeat_medications ORDER BY id;
INSERT INTO changes (entity, entity_id) SELECT 'repeat_request', id FROM prescription_requests ORDER BY id;
