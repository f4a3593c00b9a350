-- 0004: what the staff desktop needs: proxies it can sign in at a kiosk
-- (their own date of birth), the coercion question recorded for a proxy,
-- the op that made a link (so a registration made offline can name it),
-- and staff, registrations and proxies in the change feed.

ALTER TABLE proxy_relationships ADD COLUMN proxy_date_of_birth TEXT NOT NULL DEFAULT '';
ALTER TABLE proxy_relationships ADD COLUMN coercion_considered INTEGER NOT NULL DEFAULT 0 CHECK (coercion_considered IN (0, 1));
-- When staff checked the proxy's identity (created_at is when it reached the server).
ALTER TABLE proxy_relationships ADD COLUMN verified_at INTEGER;
-- The ID of the link_proxy op that created the link; NULL for links made another way.
ALTER TABLE proxy_relationships ADD COLUMN client_ref TEXT;
CREATE UNIQUE INDEX proxy_relationships_by_client_ref ON proxy_relationships (client_ref) WHERE client_ref IS NOT NULL;
CREATE INDEX proxy_relationships_by_patient ON proxy_relationships (patient_id);

CREATE TRIGGER staff_changed_ins AFTER INSERT ON staff BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('staff', NEW.id); END;
CREATE TRIGGER staff_changed_upd AFTER UPDATE ON staff BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('staff', NEW.id); END;

-- Alongside 0002's triggers, which re-send the patient.
CREATE TRIGGER registration_entity_ins AFTER INSERT ON online_registrations BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('registration', NEW.id); END;
CREATE TRIGGER registration_entity_upd AFTER UPDATE ON online_registrations BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('registration', NEW.id); END;

-- A proxy's letter is one of the patient's kiosk letters, and an ended
-- proxy can take the patient out of a kiosk's view, so a proxy re-sends
-- the patient and everything of theirs a kiosk may hold.
CREATE TRIGGER proxy_changed_ins AFTER INSERT ON proxy_relationships BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('proxy', NEW.id);
    INSERT INTO changes (entity, entity_id) VALUES ('patient', NEW.patient_id); END;
CREATE TRIGGER proxy_changed_upd AFTER UPDATE ON proxy_relationships BEGIN
    INSERT INTO changes (entity, entity_id) VALUES ('proxy', NEW.id);
    INSERT INTO changes (entity, entity_id) VALUES ('patient', NEW.patient_id);
    INSERT INTO changes (entity, entity_id) SELECT 'appointment', id FROM appointments WHERE patient_id = NEW.patient_id;
    INSERT INTO changes (entity, entity_id) SELECT 'repeat_item', id FROM repeat_medications WHERE patient_id = NEW.patient_id;
    INSERT INTO changes (entity, entity_id) SELECT 'repeat_request', id FROM prescription_requests WHERE patient_id = NEW.patient_id; END;

-- Rows written before these entities were in the feed enter it once,
-- proxies before the registrations that name them.
INSERT INTO changes (entity, entity_id) SELECT 'staff', id FROM staff ORDER BY id;
INSERT INTO changes (entity, entity_id) SELECT 'proxy', id FROM proxy_relationships ORDER BY id;
INSERT INTO changes (entity, entity_id) SELECT 'registration', id FROM online_registrations ORDER BY id;
