-- 0002: failed kiosk sign-ins, for rate limiting. The identity is a hash of
-- the account ID tried, never the ID itself.
CREATE TABLE sign_in_failures (
    id       INTEGER PRIMARY KEY,
    identity TEXT NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_by_identity ON sign_in_failures (identity, at);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at);
