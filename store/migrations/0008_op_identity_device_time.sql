-- 0008: an op's identity is its key, its kind and what it asked (issue 14,
-- finding 6), and the server's clock bounds a device's (finding 2).
--
-- payload_hash is a digest of the op's kind and payload, made by whoever
-- decoded it; a replay of the key with another digest is refused as
-- op_id_conflict. Rows from before this migration have none and are
-- answered as before.
ALTER TABLE applied_ops ADD COLUMN payload_hash TEXT NOT NULL DEFAULT '';
-- judged_at is the time the rules used: the device's created_at held
-- within the practice's allowance around the server's clock. created_at
-- stays what the device said. NULL before this migration (the rules used
-- created_at).
ALTER TABLE applied_ops ADD COLUMN judged_at INTEGER;
-- Op IDs are UUIDs in lower case from now on; an older upper-case key is
-- folded so its replay is still recognised. A key stored in both cases
-- (the finding itself) keeps both rows: OR IGNORE leaves the upper one.
UPDATE OR IGNORE applied_ops SET op_id = lower(op_id) WHERE op_id <> lower(op_id);
UPDATE OR IGNORE proxy_relationships SET client_ref = lower(client_ref) WHERE client_ref <> lower(client_ref);

-- How far a device's clock is believed: an op said to be made more than
-- device_time_back_hours ago (a device offline that long) or more than
-- device_time_ahead_minutes ahead is judged at that bound.
ALTER TABLE online_settings ADD COLUMN device_time_back_hours INTEGER NOT NULL DEFAULT 72;
ALTER TABLE online_settings ADD COLUMN device_time_ahead_minutes INTEGER NOT NULL DEFAULT 5;

-- Staff passwords are kept to a policy that puts an offline search of a
-- stolen desktop's sign-in checks out of reach (12 characters or more, no
-- PINs; docs/security.md has the numbers). password_policy says which
-- policy an account's password was set under: 1 before this migration,
-- 2 after. A desktop is sent a check only for a policy-2 password, so a
-- member of staff with an older password (perhaps a PIN) signs in at a
-- desktop again once the practice manager has set them a new one.
ALTER TABLE staff ADD COLUMN password_policy INTEGER NOT NULL DEFAULT 1;
-- Send every member of staff again, so every desktop replaces the
-- verifier it holds with a check (or nothing, for an older password).
INSERT INTO changes (entity, entity_id) SELECT 'staff', id FROM staff ORDER BY id;
