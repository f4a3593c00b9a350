-- 0011: the practice manager's desk (issue 16).

-- Nonces of signed manager requests, each accepted once. Rows older than
-- the clock allowance are pruned: a request that old is refused by its
-- time anyway.
CREATE TABLE manage_nonces (
    nonce   TEXT PRIMARY KEY,
    seen_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX manage_nonces_by_time ON manage_nonces (seen_at);

-- What each device last said about itself (headers on every request), for
-- the manager's device list. Recorded at most once a minute unless it
-- changed.
ALTER TABLE devices ADD COLUMN last_seen_at INTEGER;
ALTER TABLE devices ADD COLUMN app_version TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN outbox_waiting INTEGER NOT NULL DEFAULT 0;

-- The audit search's filters, each newest first by seq.
CREATE INDEX audit_by_actor ON audit_events (actor, seq);
CREATE INDEX audit_by_device ON audit_events (device, seq);
CREATE INDEX audit_by_action ON audit_events (action, seq);
CREATE INDEX audit_by_subject ON audit_events (subject_kind, subject_id, seq);
CREATE INDEX audit_by_at ON audit_events (at, seq);
