-- 0001: the practice's data.
-- Instants are INTEGER seconds since the Unix epoch (UTC). Civil dates
-- (date of birth, surgery day, review date) are TEXT 'YYYY-MM-DD' in
-- Europe/London. Booleans are INTEGER 0/1 with a CHECK.

CREATE TABLE practice (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    ods_code   TEXT NOT NULL CHECK (length(ods_code) BETWEEN 3 AND 10),
    name       TEXT NOT NULL CHECK (name <> ''),
    address    TEXT NOT NULL,
    postcode   TEXT NOT NULL,
    phone      TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- One row: the practice's online-services settings. Defaults follow
-- ../shared/domain/README.md and are repeated in store.DefaultSettings.
CREATE TABLE online_settings (
    id                          INTEGER PRIMARY KEY CHECK (id = 1),
    booking_window_days         INTEGER NOT NULL CHECK (booking_window_days BETWEEN 0 AND 365),
    min_notice_minutes          INTEGER NOT NULL CHECK (min_notice_minutes >= 0),
    max_held_appointments       INTEGER NOT NULL CHECK (max_held_appointments >= 0),
    max_held_unverified         INTEGER NOT NULL CHECK (max_held_unverified >= 0),
    min_age_years               INTEGER NOT NULL CHECK (min_age_years BETWEEN 0 AND 120),
    cancel_cutoff_minutes       INTEGER NOT NULL CHECK (cancel_cutoff_minutes >= 0),
    dna_suspend_count           INTEGER NOT NULL CHECK (dna_suspend_count >= 0),
    dna_lookback_days           INTEGER NOT NULL CHECK (dna_lookback_days >= 0),
    checkin_before_minutes      INTEGER NOT NULL CHECK (checkin_before_minutes >= 0),
    checkin_after_minutes       INTEGER NOT NULL CHECK (checkin_after_minutes >= 0),
    repeat_processing_days      INTEGER NOT NULL CHECK (repeat_processing_days >= 0),
    repeat_note_max_chars       INTEGER NOT NULL CHECK (repeat_note_max_chars >= 0),
    updated_at                  INTEGER NOT NULL
);

CREATE TABLE clinicians (
    id              INTEGER PRIMARY KEY,
    display_name    TEXT NOT NULL CHECK (display_name <> ''),
    role            TEXT NOT NULL CHECK (role IN ('gp', 'nurse', 'hca', 'pharmacist')),
    online_bookable INTEGER NOT NULL DEFAULT 1 CHECK (online_bookable IN (0, 1)),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE CHECK (username <> ''),
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('receptionist', 'clinician', 'manager')),
    clinician_id  INTEGER REFERENCES clinicians (id),
    password_hash TEXT,            -- argon2id encoded; NULL until set
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    INTEGER NOT NULL
);

-- Slot type names are shown to patients, so they are plain English.
CREATE TABLE slot_types (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL CHECK (name <> ''),
    minutes         INTEGER NOT NULL CHECK (minutes > 0),
    clinician_role  TEXT NOT NULL CHECK (clinician_role IN ('gp', 'nurse', 'hca', 'pharmacist')),
    online_bookable INTEGER NOT NULL CHECK (online_bookable IN (0, 1)),
    urgent          INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    -- urgent slots stay with reception
    CHECK (NOT (urgent = 1 AND online_bookable = 1))
);

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    clinician_id INTEGER NOT NULL REFERENCES clinicians (id),
    day          TEXT NOT NULL,        -- surgery day, Europe/London
    starts_at    INTEGER NOT NULL,
    ends_at      INTEGER NOT NULL CHECK (ends_at > starts_at),
    room         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_by_day ON sessions (day, clinician_id);

-- online_bookable is the practice's per-slot switch; it only takes effect
-- when the clinician and slot type are bookable online too. release_at is
-- the embargo: before it the slot is not offered on any channel (a slot
-- released online is released to the phone at the same time). channel says
-- who may book it: 'any' once released, or 'reception' only.
CREATE TABLE slots (
    id              INTEGER PRIMARY KEY,
    session_id      INTEGER NOT NULL REFERENCES sessions (id),
    slot_type_id    INTEGER NOT NULL REFERENCES slot_types (id),
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL CHECK (ends_at > starts_at),
    online_bookable INTEGER NOT NULL CHECK (online_bookable IN (0, 1)),
    release_at      INTEGER,
    channel         TEXT NOT NULL DEFAULT 'any' CHECK (channel IN ('any', 'reception')),
    CHECK (NOT (channel = 'reception' AND online_bookable = 1))
);
CREATE INDEX slots_by_start ON slots (starts_at);
CREATE INDEX slots_by_session ON slots (session_id);

CREATE TABLE patients (
    id                         INTEGER PRIMARY KEY,
    nhs_number                 TEXT NOT NULL UNIQUE CHECK (length(nhs_number) = 10),
    given_name                 TEXT NOT NULL CHECK (given_name <> ''),
    family_name                TEXT NOT NULL CHECK (family_name <> ''),
    sex                        TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other')),
    date_of_birth              TEXT NOT NULL,
    address                    TEXT NOT NULL,
    postcode                   TEXT NOT NULL,
    phone                      TEXT NOT NULL DEFAULT '',
    online_ordering_unsuitable INTEGER NOT NULL DEFAULT 0 CHECK (online_ordering_unsuitable IN (0, 1)),
    online_booking_suspended   INTEGER NOT NULL DEFAULT 0 CHECK (online_booking_suspended IN (0, 1)),
    registered_at              INTEGER NOT NULL
);
CREATE INDEX patients_by_family_name_dob ON patients (family_name COLLATE NOCASE, date_of_birth);
CREATE INDEX patients_by_dob ON patients (date_of_birth);

CREATE TABLE appointments (
    id                 INTEGER PRIMARY KEY,
    slot_id            INTEGER NOT NULL REFERENCES slots (id),
    patient_id         INTEGER NOT NULL REFERENCES patients (id),
    channel            TEXT NOT NULL CHECK (channel IN ('kiosk', 'reception', 'online')),
    status             TEXT NOT NULL DEFAULT 'booked'
                       CHECK (status IN ('booked', 'cancelled', 'arrived', 'did_not_attend', 'seen')),
    booked_at          INTEGER NOT NULL,
    booked_by_staff_id INTEGER REFERENCES staff (id),
    status_changed_at  INTEGER NOT NULL,
    reason             TEXT NOT NULL DEFAULT ''
);
-- One appointment per slot, enforced by the database whatever the caller.
CREATE UNIQUE INDEX appointments_one_per_slot ON appointments (slot_id) WHERE status <> 'cancelled';
CREATE INDEX appointments_by_patient ON appointments (patient_id, status);

CREATE TABLE repeat_medications (
    id             INTEGER PRIMARY KEY,
    patient_id     INTEGER NOT NULL REFERENCES patients (id),
    name           TEXT NOT NULL CHECK (name <> ''),
    strength       TEXT NOT NULL,
    form           TEXT NOT NULL,
    dosage         TEXT NOT NULL,
    quantity       TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'stopped')),
    review_due     TEXT,          -- civil date; a request after it goes to reception
    last_issued_at INTEGER,
    started_at     INTEGER NOT NULL
);
CREATE INDEX repeat_medications_by_patient ON repeat_medications (patient_id);

CREATE TABLE prescription_requests (
    id           INTEGER PRIMARY KEY,
    patient_id   INTEGER NOT NULL REFERENCES patients (id),
    channel      TEXT NOT NULL CHECK (channel IN ('kiosk', 'reception', 'online')),
    note         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'cancelled', 'completed')),
    requested_at INTEGER NOT NULL,
    ready_by     TEXT NOT NULL       -- civil date told to the patient
);
CREATE INDEX prescription_requests_by_patient ON prescription_requests (patient_id, status);

CREATE TABLE prescription_request_items (
    id                   INTEGER PRIMARY KEY,
    request_id           INTEGER NOT NULL REFERENCES prescription_requests (id),
    repeat_medication_id INTEGER NOT NULL REFERENCES repeat_medications (id),
    decision             TEXT NOT NULL DEFAULT 'pending'
                         CHECK (decision IN ('pending', 'approved', 'declined', 'cancelled')),
    reason               TEXT NOT NULL DEFAULT '',   -- told to the patient when declined
    decided_by_staff_id  INTEGER REFERENCES staff (id),
    decided_at           INTEGER,
    CHECK (decision <> 'declined' OR reason <> '')
);
-- No duplicate outstanding request for the same item.
CREATE UNIQUE INDEX prescription_items_one_outstanding
    ON prescription_request_items (repeat_medication_id) WHERE decision = 'pending';

CREATE TABLE online_registrations (
    id                     INTEGER PRIMARY KEY,
    patient_id             INTEGER NOT NULL REFERENCES patients (id),
    proxy_relationship_id  INTEGER REFERENCES proxy_relationships (id),
    verification_method    TEXT NOT NULL CHECK (verification_method IN
                           ('photo_id_and_address', 'vouching', 'vouching_with_information')),
    verified_by_staff_id   INTEGER REFERENCES staff (id),
    verified_at            INTEGER NOT NULL,
    coercion_considered    INTEGER NOT NULL CHECK (coercion_considered = 1),
    service_appointments   INTEGER NOT NULL CHECK (service_appointments IN (0, 1)),
    service_prescriptions  INTEGER NOT NULL CHECK (service_prescriptions IN (0, 1)),
    record_access          TEXT NOT NULL CHECK (record_access IN ('none', 'summary', 'detailed')),
    kiosk_enabled          INTEGER NOT NULL DEFAULT 0 CHECK (kiosk_enabled IN (0, 1)),
    account_id             TEXT NOT NULL UNIQUE,
    linkage_key_hash       TEXT NOT NULL,
    letter_issued_at       INTEGER,
    letter_expires_at      INTEGER,
    revoked_at             INTEGER,
    revoked_reason         TEXT NOT NULL DEFAULT '',
    -- vouching alone may not unlock the detailed record
    CHECK (NOT (verification_method = 'vouching' AND record_access = 'detailed'))
);
CREATE INDEX online_registrations_by_patient ON online_registrations (patient_id);

CREATE TABLE proxy_relationships (
    id                      INTEGER PRIMARY KEY,
    patient_id              INTEGER NOT NULL REFERENCES patients (id),
    proxy_patient_id        INTEGER REFERENCES patients (id),
    proxy_name              TEXT NOT NULL CHECK (proxy_name <> ''),
    relationship            TEXT NOT NULL CHECK (relationship IN
                            ('parent', 'carer', 'care_home_staff', 'attorney', 'deputy', 'other')),
    legal_basis             TEXT NOT NULL CHECK (legal_basis IN
                            ('patient_consent', 'parental_responsibility', 'lasting_power_of_attorney',
                             'court_appointed_deputy', 'best_interests')),
    service_appointments    INTEGER NOT NULL CHECK (service_appointments IN (0, 1)),
    service_prescriptions   INTEGER NOT NULL CHECK (service_prescriptions IN (0, 1)),
    service_record          INTEGER NOT NULL CHECK (service_record IN (0, 1)),
    proxy_verification      TEXT NOT NULL CHECK (proxy_verification IN ('photo_id_and_address', 'vouching')),
    verified_by_staff_id    INTEGER REFERENCES staff (id),
    safeguarding_considered INTEGER NOT NULL CHECK (safeguarding_considered = 1),
    created_at              INTEGER NOT NULL,
    ended_at                INTEGER
);

CREATE TABLE check_ins (
    id             INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL UNIQUE REFERENCES appointments (id),
    device_id      TEXT NOT NULL DEFAULT '',
    checked_in_at  INTEGER NOT NULL
);

CREATE TABLE problem_reports (
    id          INTEGER PRIMARY KEY,
    reported_at INTEGER NOT NULL,
    reporter    TEXT NOT NULL CHECK (reporter IN ('patient', 'staff')),
    device_id   TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL,
    description TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed'))
);

-- Tamper-evident audit log: each event's hash covers its fields and the
-- previous event's hash (see store/audit.go for the exact encoding).
CREATE TABLE audit_events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    at           INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    device       TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id   INTEGER NOT NULL,
    detail       TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE
);
