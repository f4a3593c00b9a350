-- 0005: kiosk letters changed shape. A kiosk verifier now hashes the
-- account ID in store.NormaliseAccountID's form (sync.KioskVerifierPrefix
-- v2), so a letter signs in however its ID is typed, and a kiosk letter no
-- longer carries the Linkage Key's 14-day expiry (it works until reissued
-- or revoked). Verifiers are worked out when the feed is read, so nothing
-- stored changes; send every patient with a kiosk letter again, so every
-- device replaces the verifiers it holds, whichever of server and device
-- was upgraded first.
INSERT INTO changes (entity, entity_id)
    SELECT DISTINCT 'patient', patient_id FROM online_registrations WHERE kiosk_enabled = 1 ORDER BY patient_id;
