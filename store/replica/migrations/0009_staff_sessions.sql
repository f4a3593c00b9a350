-- 0009: a staff member signed in online signs their ops with a session key
-- from the practice server (issue 14); the op names that session. '' for
-- ops signed with a password's or a patient's key, or with none.
ALTER TABLE outbox ADD COLUMN session TEXT NOT NULL DEFAULT '';
