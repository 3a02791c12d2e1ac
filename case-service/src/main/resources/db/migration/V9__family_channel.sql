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

-- The letters on their way to the family, one per address: e-mails waiting for the mail sender
-- (FamilyPost: sent, then deleted; retried with a growing delay while the relay does not take
-- them, so that no message a staff member was told was sent is lost), and, for a school whose
-- platform carries its messages to parents (Smartschool and the like), letters waiting in the
-- letterbox for the platform's service account to collect once. The text holds the link until
-- the letter is sent or collected; then the row is deleted.
CREATE TABLE family_letter (
    id              UUID        PRIMARY KEY,
    message_id      UUID        NOT NULL REFERENCES family_message (id) ON DELETE CASCADE,
    organisation_id TEXT        NOT NULL,
    pupil_id        TEXT        NOT NULL,
    channel         TEXT        NOT NULL CHECK (channel IN ('MAIL', 'LETTERBOX')),
    address         TEXT        NOT NULL,
    subject         TEXT        NOT NULL,
    text            TEXT        NOT NULL,
    left_at         TIMESTAMPTZ NOT NULL,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    -- MAIL: when the sender may (next) take the letter; a sender that takes it moves this on, so a
    -- sender that dies mid-send leaves it for another after a minute.
    due_at          TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (organisation_id, pupil_id) REFERENCES pupil (organisation_id, pupil_id) ON DELETE CASCADE
);
CREATE INDEX family_letter_due ON family_letter (channel, due_at);
CREATE INDEX family_letter_by_school ON family_letter (organisation_id, channel, left_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON family_letter TO ${appuser};
