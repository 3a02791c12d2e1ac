-- The family is a party of its own (X, T4, M1): the pupil register holds the family's contacts, as
-- the school platform imports them, so that the suite delivers every family link (a transfer
-- notice, an access package) to the family itself, never through the staff member whose action
-- the link lets the family check. Purged with the pupil (A5: ON DELETE CASCADE).
CREATE TABLE family_contact (
    organisation_id TEXT    NOT NULL,
    pupil_id        TEXT    NOT NULL,
    position        INTEGER NOT NULL,
    -- PARENTS: a parent or guardian; PUPIL: the pupil's own address, used from 12 (M1).
    addressee       TEXT    NOT NULL CHECK (addressee IN ('PARENTS', 'PUPIL')),
    name            TEXT,
    email           TEXT    NOT NULL,
    phone           TEXT,
    PRIMARY KEY (organisation_id, pupil_id, position),
    FOREIGN KEY (organisation_id, pupil_id) REFERENCES pupil (organisation_id, pupil_id) ON DELETE CASCADE
);

-- What was sent to the family, when, to which kind of contact and through which channel, and who
-- issued it: never the address, never the link (its secret is the family's credential).
CREATE TABLE family_message (
    id              UUID        PRIMARY KEY,
    organisation_id TEXT        NOT NULL,
    pupil_id        TEXT        NOT NULL,
    kind            TEXT        NOT NULL,
    addressee       TEXT        NOT NULL CHECK (addressee IN ('PARENTS', 'PUPIL')),
    channel         TEXT        NOT NULL,
    addresses       INTEGER     NOT NULL,
    sent_at         TIMESTAMPTZ NOT NULL,
    issued_by       TEXT        NOT NULL,
    about_type      TEXT        NOT NULL,
    about_id        TEXT        NOT NULL,
    FOREIGN KEY (organisation_id, pupil_id) REFERENCES pupil (organisation_id, pupil_id) ON DELETE CASCADE
);
CREATE INDEX family_message_by_pupil ON family_message (organisation_id, pupil_id, sent_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON family_contact, family_message TO ${appuser};

-- The letterbox: for a school whose platform carries messages to parents itself (Smartschool and
-- the like), the family channel leaves each message here, addressed, for the school platform's
-- service account to collect once and deliver. The text holds the link until it is collected: the
-- row is deleted by the collection that hands it over (each message is handed over once).
CREATE TABLE family_letterbox (
    id              UUID        PRIMARY KEY,
    message_id      UUID        NOT NULL REFERENCES family_message (id) ON DELETE CASCADE,
    organisation_id TEXT        NOT NULL,
    pupil_id        TEXT        NOT NULL,
    address         TEXT        NOT NULL,
    subject         TEXT        NOT NULL,
    text            TEXT        NOT NULL,
    left_at         TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (organisation_id, pupil_id) REFERENCES pupil (organisation_id, pupil_id) ON DELETE CASCADE
);
CREATE INDEX family_letterbox_by_school ON family_letterbox (organisation_id, left_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON family_letterbox TO ${appuser};
