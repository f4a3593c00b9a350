-- 0013: a first sync from a snapshot (issue 17). While the device pulls a
-- snapshot, snapshot is the server's token for the next snapshot page; it
-- is stored with the cursor in the same transaction as the page, so a sync
-- cut off half way resumes where it stopped. '' when no snapshot is under way.
ALTER TABLE sync_state ADD COLUMN snapshot TEXT NOT NULL DEFAULT '';
