-- 0012: the practice's settings for its devices (issue 16), as the feed
-- sends them (gpsync.SettingsData). Defaults are store.DefaultSettings',
-- for a replica that has not had settings with these in yet.
ALTER TABLE settings ADD COLUMN daily_release_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE settings ADD COLUMN kiosk_idle_seconds INTEGER NOT NULL DEFAULT 60;
ALTER TABLE settings ADD COLUMN kiosk_idle_warning_seconds INTEGER NOT NULL DEFAULT 30;
ALTER TABLE settings ADD COLUMN staff_idle_minutes INTEGER NOT NULL DEFAULT 5;
ALTER TABLE settings ADD COLUMN read_aloud_default INTEGER NOT NULL DEFAULT 0;
