-- 0001: a device's replica of the server's feed, its outbox, the local
-- effects of its unanswered actions, and items needing attention.

CREATE TABLE enrolment (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    device_id  TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('kiosk', 'desktop')),
    token      TEXT NOT NULL,
    server_url TEXT NOT NULL,
    cert_pin   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sync_state (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    cursor INTEGER NOT NULL CHECK (cursor >= 0)
);
INSERT INTO sync_state (id, cursor) VALUES (1, 0);

-- Replicated rows: exactly the server's view as the feed last sent it.
-- Local actions never write here (their effects live in local_* below), so
-- a feed page cannot overwrite an action still in the outbox, and a resync
-- can clear these tables wholesale. No foreign keys: a role sees part of
-- the server's data, and the feed may send a child before its parent.
CREATE TABLE settings (
    id                      INTEGER PRIMARY KEY CHECK (id = 1),
    booking_window_days     INTEGER NOT NULL,
    min_notice_minutes      INTEGER NOT NULL,
    max_held_appointments   INTEGER NOT NULL,
    max_held_unverified     INTEGER NOT NULL,
    min_age_years           INTEGER NOT NULL,
    cancel_cutoff_minutes   INTEGER NOT NULL,
    dna_suspend_count       INTEGER NOT NULL,
    dna_lookback_days       INTEGER NOT NULL,
    checkin_before_minutes  INTEGER NOT NULL,
    checkin_after_minutes   INTEGER NOT NULL,
    repeat_processing_days  INTEGER NOT NULL,
    repeat_note_max_chars   INTEGER NOT NULL
);

CREATE TABLE clinicians (
    id              INTEGER PRIMARY KEY,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL,
    online_bookable INTEGER NOT NULL
);

CREATE TABLE slot_types (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    minutes         INTEGER NOT NULL,
    clinician_role  TEXT NOT NULL,
    online_bookable INTEGER NOT NULL,
    urgent          INTEGER NOT NULL
);

CREATE TABLE slots (
    id              INTEGER PRIMARY KEY,
    clinician_id    INTEGER NOT NULL,
    slot_type_id    INTEGER NOT NULL,
    starts_at       INTEGER NOT NULL,           -- Unix seconds, UTC
    ends_at         INTEGER NOT NULL,
    online_bookable INTEGER NOT NULL,
    reception_only  INTEGER NOT NULL,
    release_at      INTEGER,
    taken           INTEGER NOT NULL,
    leased_to       TEXT NOT NULL DEFAULT '',
    lease_ends_at   INTEGER
);
CREATE INDEX slots_by_start ON slots (starts_at);

-- A kiosk fills only the first five columns; the rest are the desktop
-- role's and stay NULL on a kiosk even if a server sent them.
CREATE TABLE patients (
    id                         INTEGER PRIMARY KEY,
    given_name                 TEXT NOT NULL,
    identity_verified          INTEGER NOT NULL,
    online_ordering_unsuitable INTEGER NOT NULL,
    online_booking_suspended   INTEGER NOT NULL,
    nhs_number                 TEXT,
    family_name                TEXT,
    sex                        TEXT,
    date_of_birth              TEXT,            -- YYYY-MM-DD
    address                    TEXT,
    postcode                   TEXT,
    phone                      TEXT
);

CREATE TABLE kiosk_verifiers (
    verifier   TEXT PRIMARY KEY,                -- hex SHA-256, see sync.KioskVerifierPrefix
    patient_id INTEGER NOT NULL
);
CREATE INDEX kiosk_verifiers_by_patient ON kiosk_verifiers (patient_id);

CREATE TABLE appointments (
    id         INTEGER PRIMARY KEY,
    slot_id    INTEGER NOT NULL,
    patient_id INTEGER NOT NULL,
    channel    TEXT NOT NULL,
    status     TEXT NOT NULL,
    booked_at  INTEGER NOT NULL
);
CREATE INDEX appointments_by_patient ON appointments (patient_id);
CREATE INDEX appointments_by_slot ON appointments (slot_id);

CREATE TABLE repeat_items (
    id             INTEGER PRIMARY KEY,
    patient_id     INTEGER NOT NULL,
    name           TEXT NOT NULL,
    strength       TEXT NOT NULL,
    form           TEXT NOT NULL,
    dosage         TEXT NOT NULL,
    active         INTEGER NOT NULL,
    review_due     TEXT,                        -- YYYY-MM-DD
    outstanding    INTEGER NOT NULL,
    last_issued_at INTEGER                      -- desktop only
);
CREATE INDEX repeat_items_by_patient ON repeat_items (patient_id);

CREATE TABLE repeat_requests (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL,
    status     TEXT NOT NULL,
    ready_by   TEXT NOT NULL
);
CREATE INDEX repeat_requests_by_patient ON repeat_requests (patient_id);

CREATE TABLE repeat_request_items (
    request_id     INTEGER NOT NULL,
    repeat_item_id INTEGER NOT NULL,
    decision       TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (request_id, repeat_item_id)
) WITHOUT ROWID;
CREATE INDEX repeat_request_items_by_item ON repeat_request_items (repeat_item_id);

-- The outbox, in send order. Answered ops stay, with their result, so a
-- replayed result is recognised and attention items can name their op.
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT, -- send order, never reused
    op_id       TEXT NOT NULL UNIQUE,              -- UUID v4, the server's idempotency key
    kind        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    payload     TEXT NOT NULL,                     -- JSON per sync/ops.go
    -- A cancel of something made here that the server has not confirmed
    -- yet waits for that op: its server ID goes into payload when known.
    depends_on  TEXT REFERENCES outbox (op_id),
    status      TEXT CHECK (status IN ('applied', 'rejected', 'dropped')), -- NULL: unanswered
    reason      TEXT NOT NULL DEFAULT '',
    message     TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL DEFAULT '',
    answered_at INTEGER
);
CREATE INDEX outbox_unanswered ON outbox (seq) WHERE status IS NULL;
CREATE INDEX outbox_by_dependency ON outbox (depends_on) WHERE depends_on IS NOT NULL;

-- Local effects of ops. A row lives while its op is unanswered, and after
-- it is applied until the feed brings the server's own row; a rejection
-- deletes it (undo).
CREATE TABLE local_appointments (
    local_id       INTEGER PRIMARY KEY AUTOINCREMENT, -- Ref.LocalID, never reused
    op_id          TEXT NOT NULL UNIQUE REFERENCES outbox (op_id),
    server_id      INTEGER UNIQUE,                    -- the server's appointment ID once applied
    slot_id        INTEGER NOT NULL,
    patient_id     INTEGER NOT NULL,
    channel        TEXT NOT NULL,
    firm           INTEGER NOT NULL,                  -- booked under this device's own lease
    booked_at      INTEGER NOT NULL,
    -- Copied from the slot so the appointment still shows, at its time,
    -- after a resync has cleared the replicated slots.
    starts_at      INTEGER NOT NULL,
    ends_at        INTEGER NOT NULL,
    clinician_id   INTEGER NOT NULL,
    slot_type_id   INTEGER NOT NULL
);
CREATE INDEX local_appointments_by_patient ON local_appointments (patient_id);
CREATE INDEX local_appointments_by_slot ON local_appointments (slot_id);

CREATE TABLE local_requests (
    local_id     INTEGER PRIMARY KEY AUTOINCREMENT,   -- Ref.LocalID, never reused
    op_id        TEXT NOT NULL UNIQUE REFERENCES outbox (op_id),
    server_id    INTEGER UNIQUE,                      -- the server's request ID once applied
    patient_id   INTEGER NOT NULL,
    requested_at INTEGER NOT NULL,
    ready_by     TEXT NOT NULL
);
CREATE INDEX local_requests_by_patient ON local_requests (patient_id);

CREATE TABLE local_request_items (
    local_id       INTEGER NOT NULL REFERENCES local_requests (local_id) ON DELETE CASCADE,
    repeat_item_id INTEGER NOT NULL,
    name           TEXT NOT NULL,
    PRIMARY KEY (local_id, repeat_item_id)
) WITHOUT ROWID;
CREATE INDEX local_request_items_by_item ON local_request_items (repeat_item_id);

-- A cancellation made here: it hides its target at once. server_id is the
-- target's server ID once known, local_id its local row if it has one.
CREATE TABLE local_cancels (
    op_id     TEXT PRIMARY KEY REFERENCES outbox (op_id),
    entity    TEXT NOT NULL CHECK (entity IN ('appointment', 'repeat_request')),
    server_id INTEGER,
    local_id  INTEGER,
    CHECK (server_id IS NOT NULL OR local_id IS NOT NULL)
);
CREATE INDEX local_cancels_by_server ON local_cancels (entity, server_id);
CREATE INDEX local_cancels_by_local ON local_cancels (entity, local_id);

CREATE TABLE attention (
    op_id        TEXT PRIMARY KEY REFERENCES outbox (op_id),
    kind         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    message      TEXT NOT NULL,
    at           INTEGER NOT NULL,
    dismissed_at INTEGER
);

-- What the device shows: replicated appointments still booked and not
-- cancelled here, plus local ones whose server row has not arrived.
CREATE VIEW live_appointments AS
SELECT a.id AS server_id, NULL AS local_id, NULL AS op_id, a.patient_id, a.slot_id, a.channel, a.booked_at,
       'confirmed' AS state, s.starts_at, s.ends_at,
       coalesce(c.display_name, '') AS clinician_name, coalesce(t.name, '') AS slot_type_name
FROM appointments a
LEFT JOIN slots s ON s.id = a.slot_id
LEFT JOIN clinicians c ON c.id = s.clinician_id
LEFT JOIN slot_types t ON t.id = s.slot_type_id
WHERE a.status = 'booked'
  AND NOT EXISTS (SELECT 1 FROM local_cancels x WHERE x.entity = 'appointment' AND x.server_id = a.id)
UNION ALL
SELECT la.server_id, la.local_id, la.op_id, la.patient_id, la.slot_id, la.channel, la.booked_at,
       CASE WHEN la.server_id IS NOT NULL THEN 'confirmed' WHEN la.firm THEN 'firm' ELSE 'provisional' END,
       la.starts_at, la.ends_at, coalesce(c.display_name, ''), coalesce(t.name, '')
FROM local_appointments la
LEFT JOIN clinicians c ON c.id = la.clinician_id
LEFT JOIN slot_types t ON t.id = la.slot_type_id
WHERE NOT EXISTS (SELECT 1 FROM appointments a WHERE a.id = la.server_id)
  AND NOT EXISTS (SELECT 1 FROM local_cancels x WHERE x.entity = 'appointment'
                  AND (x.local_id = la.local_id OR x.server_id = la.server_id));

-- Requests as the device shows them; a request cancelled here shows as
-- cancelled at once.
CREATE VIEW live_requests AS
SELECT r.id AS server_id, NULL AS local_id, NULL AS op_id, r.patient_id, r.ready_by, 'confirmed' AS state,
       CASE WHEN EXISTS (SELECT 1 FROM local_cancels x WHERE x.entity = 'repeat_request' AND x.server_id = r.id)
            THEN 'cancelled' ELSE r.status END AS status
FROM repeat_requests r
UNION ALL
SELECT lr.server_id, lr.local_id, lr.op_id, lr.patient_id, lr.ready_by,
       CASE WHEN lr.server_id IS NULL THEN 'provisional' ELSE 'confirmed' END,
       CASE WHEN EXISTS (SELECT 1 FROM local_cancels x WHERE x.entity = 'repeat_request'
                         AND (x.local_id = lr.local_id OR x.server_id = lr.server_id))
            THEN 'cancelled' ELSE 'pending' END
FROM local_requests lr
WHERE NOT EXISTS (SELECT 1 FROM repeat_requests r WHERE r.id = lr.server_id);

-- An item is outstanding if the server says so and its pending request has
-- not been cancelled here, or if a request made here still asks for it.
CREATE VIEW live_repeat_items AS
SELECT ri.id, ri.patient_id, ri.name, ri.strength, ri.form, ri.dosage, ri.active, ri.review_due, ri.last_issued_at,
       (ri.outstanding AND NOT EXISTS (
            SELECT 1 FROM repeat_request_items i
            JOIN local_cancels x ON x.entity = 'repeat_request' AND x.server_id = i.request_id
            WHERE i.repeat_item_id = ri.id AND i.decision = 'pending'))
       OR EXISTS (
            SELECT 1 FROM local_request_items li
            JOIN live_requests lr ON lr.local_id = li.local_id
            WHERE li.repeat_item_id = ri.id AND lr.status = 'pending') AS outstanding
FROM repeat_items ri;
