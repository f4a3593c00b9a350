-- 0003: slot-type eligibility, letter expiry and revocation for kiosk
-- sign-in, and the kiosk exit PIN's verifier.
ALTER TABLE slot_types ADD COLUMN for_sex TEXT NOT NULL DEFAULT '';
ALTER TABLE slot_types ADD COLUMN min_age_years INTEGER NOT NULL DEFAULT 0;
ALTER TABLE slot_types ADD COLUMN max_age_years INTEGER NOT NULL DEFAULT 0;

ALTER TABLE settings ADD COLUMN kiosk_exit_pin TEXT NOT NULL DEFAULT '';

-- A replaced or expired letter stays known so the kiosk can say why it no
-- longer works, rather than "not recognised".
ALTER TABLE kiosk_verifiers ADD COLUMN expires_at INTEGER;
ALTER TABLE kiosk_verifiers ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0;

-- Slot types a kiosk patient may not book because of their recorded sex,
-- worked out by the server so the kiosk never holds the sex itself.
CREATE TABLE patient_not_eligible (
    patient_id   INTEGER NOT NULL,
    slot_type_id INTEGER NOT NULL,
    PRIMARY KEY (patient_id, slot_type_id)
);

-- Pull everything again so existing rows gain the new columns' values.
UPDATE sync_state SET cursor = 0 WHERE id = 1;
