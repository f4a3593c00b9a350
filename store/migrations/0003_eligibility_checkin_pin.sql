-- 0003: who a kind of appointment is for, check-in codes printed on kiosk
-- slips, and the PIN staff use to leave a kiosk.

-- Eligibility, e.g. cervical screening: female, 25 to 64. '' and 0 mean
-- no limit. Applied to patients booking for themselves; reception judges.
ALTER TABLE slot_types ADD COLUMN for_sex TEXT NOT NULL DEFAULT '' CHECK (for_sex IN ('', 'female', 'male'));
ALTER TABLE slot_types ADD COLUMN min_age_years INTEGER NOT NULL DEFAULT 0 CHECK (min_age_years BETWEEN 0 AND 120);
ALTER TABLE slot_types ADD COLUMN max_age_years INTEGER NOT NULL DEFAULT 0 CHECK (max_age_years BETWEEN 0 AND 120);

-- The SHA-256 of the random code a kiosk printed on the appointment's slip
-- (the code itself is only on the paper). Scanning the slip on arrival
-- checks the patient in.
ALTER TABLE appointments ADD COLUMN checkin_code_hash TEXT;
CREATE UNIQUE INDEX appointments_by_checkin_code ON appointments (checkin_code_hash) WHERE checkin_code_hash IS NOT NULL;

-- argon2id verifier of the PIN that lets staff close a kiosk; '' for none
-- set, when a kiosk cannot be closed from its screen at all.
ALTER TABLE online_settings ADD COLUMN kiosk_exit_pin TEXT NOT NULL DEFAULT '';
