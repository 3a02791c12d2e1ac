-- X: a transfer to another school, also after a definitive exclusion (recorded, so that the
-- discussion with parents and pupil is seen to have happened in that case too).
ALTER TABLE referral ADD COLUMN after_definitive_exclusion BOOLEAN NOT NULL DEFAULT FALSE;

-- X: the notice that shows the parents (and a pupil capable of discernment) the agreed item list
-- before it is sent, with a period to object. The link's secret is kept only as its SHA-256.
-- A notice covers the items it showed (items_hash): change the items, or record the discussion
-- again, and it is superseded (kept, with its answer, for the record).
CREATE TABLE transfer_notice (
    id              UUID        PRIMARY KEY,
    referral_id     UUID        NOT NULL REFERENCES referral (id),
    party           TEXT        NOT NULL CHECK (party IN ('PARENTS', 'PUPIL')),
    secret_hash     TEXT        NOT NULL,
    items_hash      TEXT        NOT NULL,
    issued_at       TIMESTAMPTZ NOT NULL,
    period_ends_at  TIMESTAMPTZ NOT NULL,
    answer          TEXT        CHECK (answer IN ('AGREED', 'OBJECTED')),
    answered_at     TIMESTAMPTZ,
    objection       TEXT,
    superseded_at   TIMESTAMPTZ
);
CREATE INDEX transfer_notice_by_referral ON transfer_notice (referral_id);
