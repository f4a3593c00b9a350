-- 0004: the practice's name and ODS code as last heard from the server, so
-- a kiosk restarted during an outage still greets people by the practice's
-- name and still knows another practice's letter.
CREATE TABLE practice (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    name     TEXT NOT NULL,
    ods_code TEXT NOT NULL
);
