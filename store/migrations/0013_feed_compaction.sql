-- 0013: a first sync from a snapshot, and a change log that does not keep
-- history for ever (issue 17; store/feed.go, store/feedcompact.go).
--
-- Compaction drops a change once a newer change of the same row is in the
-- log and every device still syncing is past it: the newest change of
-- each row stays, so the feed from any position still brings every row's
-- newest state. The index finds a row's changes.
CREATE INDEX changes_by_row ON changes (entity, entity_id, seq);

-- The after= of a device's last sync's first page, and when: its replica
-- holds everything up to there, so compaction may pass it.
ALTER TABLE devices ADD COLUMN feed_cursor INTEGER;
ALTER TABLE devices ADD COLUMN feed_cursor_at INTEGER;

-- One row: changes at or below floor keep only each row's newest; head is
-- the newest change when compaction last ran, at ran_at.
CREATE TABLE feed_compaction (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    floor  INTEGER NOT NULL CHECK (floor >= 0),
    head   INTEGER NOT NULL CHECK (head >= 0),
    ran_at INTEGER NOT NULL
);
INSERT INTO feed_compaction (id, floor, head, ran_at) VALUES (1, 0, 0, 0);
