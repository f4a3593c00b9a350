-- 0010: online staff sign-in (issue 14). A member of staff signing in on a
-- desktop that can reach the server proves their password to it and gets
-- a session: a random key that signs their ops until they sign out, their
-- account changes, or it expires. The key never leaves the server's
-- database or the desktop's memory.
CREATE TABLE staff_sessions (
    id         TEXT PRIMARY KEY,   -- random, base64url; names the session in ops
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    device_id  TEXT NOT NULL,
    key        BLOB NOT NULL CHECK (length(key) = 32),
    nonce      TEXT NOT NULL UNIQUE, -- the desktop's, once only: a sign-in cannot be replayed
    started_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ended_at   INTEGER             -- signed out, password changed or account disabled
) WITHOUT ROWID;
CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id, ended_at);

-- Online staff sign-ins whose proof failed, by desktop and time only: the
-- budget that stops a desktop token being used to guess at the server.
CREATE TABLE staff_session_failures (
    device_id TEXT NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX staff_session_failures_by_device ON staff_session_failures (device_id, failed_at);
