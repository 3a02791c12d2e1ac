-- Issue 16: an outbox event the broker refuses for good (record too large, topic not authorised or
-- gone, or the same event failing ntk.outbox.park-after times) is moved here out of outbox_event,
-- with why, so that the relay publishes the events behind it. It keeps its position and event id; an
-- operator lists (metadata only), retries (moved back into outbox_event) or discards it
-- (common: be.needtoknow.common.outbox.ParkedEvents, /operator/parked-events).
CREATE TABLE outbox_parked (
    position       BIGINT      PRIMARY KEY,
    event_id       UUID        NOT NULL UNIQUE,
    topic          TEXT        NOT NULL,
    event_key      TEXT        NOT NULL,
    event_type     TEXT        NOT NULL,
    source         TEXT        NOT NULL,
    subject        TEXT,
    occurred_at    TIMESTAMPTZ NOT NULL,
    payload        TEXT        NOT NULL,
    reason_class   TEXT        NOT NULL,
    reason_message TEXT        NOT NULL,
    attempts       INTEGER     NOT NULL,
    parked_at      TIMESTAMPTZ NOT NULL
);

-- The runtime role moves rows between the two tables (a retry puts the event back under its own
-- position, an explicit value for outbox_event's identity column: no more than INSERT; the row is
-- locked first, FOR UPDATE, which asks UPDATE). As V5 says,
-- the runtime role gets only what it needs; the audit log's own tables stay append-only.
GRANT SELECT, INSERT, UPDATE, DELETE ON outbox_parked TO ${appuser};
