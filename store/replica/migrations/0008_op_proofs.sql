-- 0008: every op carries a proof of who made it (issue 14): a MAC made
-- when the op is made, with a key from the patient's letter and date of
-- birth, or the staff member's password, that this file never holds.
-- '' for the device's own ops (problem reports, help, lesson counts) and
-- for ops queued before this version, which the server now refuses.
ALTER TABLE outbox ADD COLUMN proof TEXT NOT NULL DEFAULT '';

-- Staff sign-in now uses a check of each password (sync.StaffData's
-- signInCheck), not the argon2id verifier, which is the key that signs a
-- member of staff's ops and must not sit on a desktop. Drop the verifiers
-- held here and pull everything again, which brings the checks; until that
-- pull, nobody can sign in at this desktop.
UPDATE staff SET password_hash = '';
UPDATE sync_state SET cursor = 0 WHERE id = 1;
