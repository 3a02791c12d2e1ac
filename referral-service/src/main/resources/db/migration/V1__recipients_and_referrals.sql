-- The recipient directory: CLBs, external care services and schools; which CLB serves which school.
CREATE TABLE recipient (
    id                  TEXT    PRIMARY KEY,
    name                TEXT    NOT NULL,
    type                TEXT    NOT NULL CHECK (type IN ('CLB', 'CARE', 'SCHOOL')),
    directly_accessible BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE clb_serves_school (
    school_id TEXT PRIMARY KEY,
    clb_id    TEXT NOT NULL REFERENCES recipient (id)
);

-- A referral (to a CLB or care service) or a transfer (to another school). items holds the
-- chosen items (N1) as JSON; consent is bound to the hash of exactly those items (T2).
CREATE TABLE referral (
    id                 UUID        PRIMARY KEY,
    kind               TEXT        NOT NULL CHECK (kind IN ('REFERRAL', 'TRANSFER')),
    school_id          TEXT        NOT NULL,
    pupil_id           TEXT        NOT NULL,
    pupil_birth_date   DATE        NOT NULL,
    recipient_id       TEXT        NOT NULL REFERENCES recipient (id),
    status             TEXT        NOT NULL,
    owner_subject      TEXT        NOT NULL,
    owner_username     TEXT        NOT NULL,
    items              TEXT        NOT NULL,
    items_hash         TEXT        NOT NULL,
    consent            TEXT,
    consent_items_hash TEXT,
    decline_reason     TEXT,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    sent_at            TIMESTAMPTZ
);
CREATE INDEX referral_by_school ON referral (school_id, created_at DESC);
CREATE INDEX referral_by_recipient ON referral (recipient_id, created_at DESC);
