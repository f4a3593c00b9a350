-- 0011: the practice manager's screens, as last fetched from the server,
-- so a manager can still read them while it cannot be reached (issue 16).
-- One row a view; the audit search keeps only its last search.
CREATE TABLE IF NOT EXISTS manage_views ( -- IF NOT EXISTS: tests rewind a file to an older schema without it
    name       TEXT PRIMARY KEY,
    body       TEXT NOT NULL, -- the server's answer, JSON
    fetched_at INTEGER NOT NULL
) WITHOUT ROWID;
