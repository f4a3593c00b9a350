-- 0006: kiosk verifiers hash the account ID in store.NormaliseAccountID's
-- form (sync.KioskVerifierPrefix v2), so "RAYW7M4VFRAD" signs in as
-- "RAYW-7M4V-FRAD" does; and a letter no longer expires at the kiosk (the
-- 14 days on it are the Linkage Key's, for the NHS App).
--
-- The verifiers held here were made the old way and can never match now.
-- The replica holds only their hashes, so it cannot remake them: drop them
-- and pull everything again, which brings every kiosk letter in the new
-- form. Until that first pull, letters are not recognised here.
DELETE FROM kiosk_verifiers;
ALTER TABLE kiosk_verifiers DROP COLUMN expires_at;

UPDATE sync_state SET cursor = 0 WHERE id = 1;
