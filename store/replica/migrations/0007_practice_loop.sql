-- 0007: the practice's side of the loop (issue 11): what became of repeat
-- requests and who decided, when an appointment's status changed, the
-- desk's inbox of help requests and problem reports, and the local effects
-- of the desk's decisions, hand-outs, outcomes and inbox actions and of a
-- kiosk's "outcome seen".

ALTER TABLE settings ADD COLUMN clinicians_handle_alerts INTEGER NOT NULL DEFAULT 0;

ALTER TABLE appointments ADD COLUMN status_changed_at INTEGER;   -- desktop only

-- handed_out and outcome_seen both roles hold; the rest is a desktop's and
-- stays NULL on a kiosk even if a server sent it.
ALTER TABLE repeat_requests ADD COLUMN handed_out TEXT NOT NULL DEFAULT '';
ALTER TABLE repeat_requests ADD COLUMN outcome_seen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE repeat_requests ADD COLUMN requested_at INTEGER;
ALTER TABLE repeat_requests ADD COLUMN channel TEXT;
ALTER TABLE repeat_requests ADD COLUMN note TEXT;
ALTER TABLE repeat_requests ADD COLUMN handed_out_at INTEGER;

ALTER TABLE repeat_request_items ADD COLUMN reason_code TEXT NOT NULL DEFAULT '';
ALTER TABLE repeat_request_items ADD COLUMN decided_by INTEGER;   -- desktop only
ALTER TABLE repeat_request_items ADD COLUMN decided_at INTEGER;   -- desktop only

-- Help requests and problem reports (desktop only; a kiosk never stores one).
CREATE TABLE alerts (
    entity      TEXT NOT NULL CHECK (entity IN ('help_request', 'problem_report')),
    id          INTEGER NOT NULL,
    device_id   TEXT NOT NULL,
    device_name TEXT NOT NULL,
    reporter    TEXT NOT NULL,
    category    TEXT NOT NULL,
    text        TEXT NOT NULL,
    raised_at   INTEGER NOT NULL,
    status      TEXT NOT NULL,
    handled_by  INTEGER NOT NULL DEFAULT 0,
    handled_at  INTEGER,
    PRIMARY KEY (entity, id)
);
CREATE INDEX alerts_by_status ON alerts (status, raised_at);

-- A prescriber's decision on one item made here. It shows at once over the
-- server's item; a rejection deletes it (the request is pending again) and
-- the feed's row showing the item decided retires it once answered.
CREATE TABLE local_decisions (
    op_id          TEXT NOT NULL REFERENCES outbox (op_id),
    request_id     INTEGER NOT NULL,
    repeat_item_id INTEGER NOT NULL,
    decision       TEXT NOT NULL CHECK (decision IN ('approved', 'declined')),
    reason_code    TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL DEFAULT '',
    ready_by       TEXT NOT NULL DEFAULT '',   -- as promised here; the server's answer replaces it
    PRIMARY KEY (request_id, repeat_item_id)
);
CREATE INDEX local_decisions_by_op ON local_decisions (op_id);

-- A hand-out recorded here (collected or sent to the pharmacy).
CREATE TABLE local_handouts (
    op_id      TEXT PRIMARY KEY REFERENCES outbox (op_id),
    request_id INTEGER NOT NULL,
    how        TEXT NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX local_handouts_by_request ON local_handouts (request_id);

-- An appointment outcome (arrived, seen, did not attend) recorded here;
-- the latest one made here wins over the server's status.
CREATE TABLE local_outcomes (
    op_id          TEXT PRIMARY KEY REFERENCES outbox (op_id),
    appointment_id INTEGER NOT NULL,
    status         TEXT NOT NULL,
    at             INTEGER NOT NULL
);
CREATE INDEX local_outcomes_by_appointment ON local_outcomes (appointment_id);

-- An inbox action (acknowledged, resolved) taken here.
CREATE TABLE local_alert_actions (
    op_id    TEXT PRIMARY KEY REFERENCES outbox (op_id),
    entity   TEXT NOT NULL,
    alert_id INTEGER NOT NULL,
    action   TEXT NOT NULL,
    staff_id INTEGER NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX local_alert_actions_by_alert ON local_alert_actions (entity, alert_id);

-- Outcomes a patient has been shown at this kiosk, so they are not shown
-- again before the server has heard.
CREATE TABLE local_outcomes_seen (
    op_id      TEXT PRIMARY KEY REFERENCES outbox (op_id),
    patient_id INTEGER NOT NULL,
    request_id INTEGER NOT NULL
);
CREATE INDEX local_outcomes_seen_by_request ON local_outcomes_seen (request_id);

-- A request's items as the desk shows them: a decision made here stands
-- over the server's until it is answered and the feed agrees (or it is
-- rejected and deleted). local_op is the op of that decision.
CREATE VIEW desk_request_items AS
SELECT i.request_id, i.repeat_item_id,
       coalesce(d.decision, i.decision) AS decision,
       CASE WHEN d.op_id IS NULL THEN i.reason_code ELSE d.reason_code END AS reason_code,
       CASE WHEN d.op_id IS NULL THEN i.reason ELSE d.reason END AS reason,
       d.op_id AS local_op, d.ready_by AS local_ready_by, i.decided_by, i.decided_at
FROM repeat_request_items i
LEFT JOIN local_decisions d ON d.request_id = i.request_id AND d.repeat_item_id = i.repeat_item_id;

-- The inbox as the desk shows it: the latest action taken here stands over
-- the server's status until it is answered and the feed agrees.
CREATE VIEW desk_alerts AS
SELECT a.entity, a.id, a.device_name, a.reporter, a.category, a.text, a.raised_at,
       coalesce(l.action, a.status) AS status,
       CASE WHEN l.op_id IS NULL THEN a.handled_by ELSE l.staff_id END AS handled_by,
       CASE WHEN l.op_id IS NULL THEN a.handled_at ELSE l.at END AS handled_at,
       l.op_id IS NOT NULL AND o.status IS NULL AS waiting
FROM alerts a
LEFT JOIN local_alert_actions l ON l.op_id = (
    SELECT l2.op_id FROM local_alert_actions l2 JOIN outbox o2 ON o2.op_id = l2.op_id
    WHERE l2.entity = a.entity AND l2.alert_id = a.id ORDER BY o2.seq DESC LIMIT 1)
LEFT JOIN outbox o ON o.op_id = l.op_id;

-- Pull everything again so existing rows gain the new columns' values.
UPDATE sync_state SET cursor = 0 WHERE id = 1;
