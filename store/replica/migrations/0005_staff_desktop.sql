-- 0005: what a staff desktop needs: staff verifiers for offline sign-in,
-- registrations and proxies, the desktop's own unconfirmed ones, patient
-- search indexes, and the member of staff behind each op.

-- A proxy's kiosk letter, and the services a letter does not give.
ALTER TABLE kiosk_verifiers ADD COLUMN acting_for INTEGER NOT NULL DEFAULT 0;
ALTER TABLE kiosk_verifiers ADD COLUMN no_appointments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE kiosk_verifiers ADD COLUMN no_prescriptions INTEGER NOT NULL DEFAULT 0;

ALTER TABLE practice ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE practice ADD COLUMN postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE practice ADD COLUMN phone TEXT NOT NULL DEFAULT '';

-- The member of staff signed in when the op was made (0 on a kiosk).
ALTER TABLE outbox ADD COLUMN staff_id INTEGER NOT NULL DEFAULT 0;

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,   -- argon2id PHC string; '' = cannot sign in
    active        INTEGER NOT NULL
);

-- Failed staff sign-ins on this desktop, kept for the lockout window.
CREATE TABLE staff_sign_in_failures (
    username TEXT NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX staff_sign_in_failures_by_user ON staff_sign_in_failures (username, at);

CREATE TABLE registrations (
    id                    INTEGER PRIMARY KEY,
    patient_id            INTEGER NOT NULL,
    proxy_id              INTEGER NOT NULL DEFAULT 0,
    account_id            TEXT NOT NULL,
    verification_method   TEXT NOT NULL,
    verified_by_staff_id  INTEGER NOT NULL DEFAULT 0,
    verified_at           INTEGER NOT NULL,
    service_appointments  INTEGER NOT NULL,
    service_prescriptions INTEGER NOT NULL,
    record_access         TEXT NOT NULL,
    kiosk_enabled         INTEGER NOT NULL,
    letter_issued_at      INTEGER,
    letter_expires_at     INTEGER,
    revoked               INTEGER NOT NULL
);
CREATE INDEX registrations_by_patient ON registrations (patient_id);

CREATE TABLE proxies (
    id                    INTEGER PRIMARY KEY,
    patient_id            INTEGER NOT NULL,
    proxy_patient_id      INTEGER NOT NULL DEFAULT 0,
    proxy_name            TEXT NOT NULL,
    proxy_date_of_birth   TEXT NOT NULL,
    relationship          TEXT NOT NULL,
    legal_basis           TEXT NOT NULL,
    service_appointments  INTEGER NOT NULL,
    service_prescriptions INTEGER NOT NULL,
    service_record        INTEGER NOT NULL,
    proxy_verification    TEXT NOT NULL,
    verified_by_staff_id  INTEGER NOT NULL DEFAULT 0,
    created_at            INTEGER NOT NULL,
    ended                 INTEGER NOT NULL
);
CREATE INDEX proxies_by_patient ON proxies (patient_id);

-- Proxies linked and registrations issued here: shown at once, and kept
-- (linked to the server's ID once applied) until the feed brings the
-- server's row; a rejection deletes them.
CREATE TABLE local_proxies (
    op_id                 TEXT PRIMARY KEY REFERENCES outbox (op_id),
    server_id             INTEGER,
    patient_id            INTEGER NOT NULL,
    proxy_name            TEXT NOT NULL,
    proxy_date_of_birth   TEXT NOT NULL,
    relationship          TEXT NOT NULL,
    legal_basis           TEXT NOT NULL,
    service_appointments  INTEGER NOT NULL,
    service_prescriptions INTEGER NOT NULL,
    service_record        INTEGER NOT NULL,
    proxy_verification    TEXT NOT NULL,
    created_at            INTEGER NOT NULL
);
CREATE INDEX local_proxies_by_patient ON local_proxies (patient_id);

CREATE TABLE local_registrations (
    op_id                 TEXT PRIMARY KEY REFERENCES outbox (op_id),
    server_id             INTEGER,
    patient_id            INTEGER NOT NULL,
    proxy_key             TEXT NOT NULL,  -- '' self, 'p:<server id>' or 'op:<link op id>'
    account_id            TEXT NOT NULL UNIQUE,
    verification_method   TEXT NOT NULL,
    verified_at           INTEGER NOT NULL,
    service_appointments  INTEGER NOT NULL,
    service_prescriptions INTEGER NOT NULL,
    record_access         TEXT NOT NULL,
    kiosk_enabled         INTEGER NOT NULL,
    letter_issued_at      INTEGER NOT NULL,
    letter_expires_at     INTEGER NOT NULL
);
CREATE INDEX local_registrations_by_patient ON local_registrations (patient_id);

CREATE INDEX patients_by_nhs_number ON patients (nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX patients_by_surname_dob ON patients (family_name COLLATE NOCASE, date_of_birth) WHERE family_name IS NOT NULL;

-- Pull everything again so kiosk letters and desktops gain the new data.
UPDATE sync_state SET cursor = 0 WHERE id = 1;
