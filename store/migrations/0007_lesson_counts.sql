-- 0007: anonymous counts of completed practice-mode lessons (issue 12),
-- for the practice's uptake figures. A row is one device's tally of one
-- lesson on one day: no learner, patient or member of staff is recorded,
-- so there is nothing here about a person. No trigger puts it in the
-- change feed: no device is sent these counts.
CREATE TABLE lesson_counts (
    device_id TEXT NOT NULL REFERENCES devices (id),
    lesson    TEXT NOT NULL CHECK (length(lesson) BETWEEN 1 AND 40 AND lesson NOT GLOB '*[^a-z0-9-]*'),
    day       TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'), -- YYYY-MM-DD, Europe/London
    count     INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (device_id, lesson, day)
) WITHOUT ROWID;
-- The report reads by day across devices.
CREATE INDEX lesson_counts_by_day ON lesson_counts (day);
