-- 0013: a first sync from a snapshot (issue 17). While the device pulls a
-- snapshot, snapshot is the server's token for the next snapshot page; it
-- is stored with the cursor in the same transaction as the page, so a sync
-- cut off half way resumes where it stopped. '' when no snapshot is under way.
ALTER TABLE sync_state ADD COLUMN snapshot TEXT NOT NULL DEFAULT '';

-- While a snapshot is pulled into an empty replica, the replicated tables'
-- non-unique indexes are dropped and rebuilt once at its end (one sorted
-- build rather than a random insert per row: a 100,000-patient desktop's
-- patients go in four times faster). Their definitions wait here.
CREATE TABLE deferred_indexes (
    name TEXT PRIMARY KEY,
    sql  TEXT NOT NULL
);
