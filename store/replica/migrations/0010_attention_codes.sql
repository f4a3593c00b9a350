-- 0010: a rejected action's sentence code and values (store.Sentence,
-- gpsync.OpResult.Code/Args), so the kiosk can tell the patient in their
-- own language (issue 15). '' and '[]' for items from before, and for a
-- rejection the server gave no code: the kiosk then shows message.
ALTER TABLE attention ADD COLUMN code TEXT NOT NULL DEFAULT '';
ALTER TABLE attention ADD COLUMN args TEXT NOT NULL DEFAULT '[]';
