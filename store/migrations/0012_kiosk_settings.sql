-- 0012: the practice manager's settings screen (issue 16). What was fixed
-- by a device's command-line flags becomes the practice's choice, sent to
-- every device in the change feed (the settings triggers of 0002 fire on
-- this table's updates, so a change reaches the devices at once).
--
-- daily_release_minutes: the time of day, in minutes after midnight on
-- the clock in Europe/London, from which the booking window's furthest
-- day can be booked; 0 (midnight) is the behaviour before this migration.
ALTER TABLE online_settings ADD COLUMN daily_release_minutes INTEGER NOT NULL DEFAULT 0
    CHECK (daily_release_minutes BETWEEN 0 AND 1439);
-- A kiosk screen left untouched asks "Are you still there?" after
-- kiosk_idle_seconds and clears everything kiosk_idle_warning_seconds
-- later; a staff desktop signs out after staff_idle_minutes. The defaults
-- are the flags' defaults before this migration.
ALTER TABLE online_settings ADD COLUMN kiosk_idle_seconds INTEGER NOT NULL DEFAULT 60
    CHECK (kiosk_idle_seconds BETWEEN 20 AND 600);
ALTER TABLE online_settings ADD COLUMN kiosk_idle_warning_seconds INTEGER NOT NULL DEFAULT 30
    CHECK (kiosk_idle_warning_seconds BETWEEN 20 AND 120);
ALTER TABLE online_settings ADD COLUMN staff_idle_minutes INTEGER NOT NULL DEFAULT 5
    CHECK (staff_idle_minutes BETWEEN 1 AND 60);
-- read_aloud_default: kiosks read each screen aloud while nobody is
-- signed in (before this migration, the --read-aloud flag).
ALTER TABLE online_settings ADD COLUMN read_aloud_default INTEGER NOT NULL DEFAULT 0
    CHECK (read_aloud_default IN (0, 1));
