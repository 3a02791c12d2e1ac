-- T1, T3, M1, M2: a referral sent with consent tells the family, through their own channel
-- (case-service mails the link to the contacts the school platform imported), what went to whom and
-- when, and lets the party whose consent counted withdraw it: the pupil from 12 (M1), the parents
-- below 12 (M2). A pupil of 12 or more who did not ask that the parents not be informed has the
-- parents informed too, by a notice that shows but does not withdraw (consent_counted false); a pupil
-- who asked it has no notice for the parents at all (M1). The link's secret is kept only as its
-- SHA-256; what case-service answered about the delivery is kept as for a transfer notice (V9), never
-- the link nor an address. Purged with its referral (A5): ON DELETE CASCADE.
CREATE TABLE referral_notice (
    id                UUID        PRIMARY KEY,
    referral_id       UUID        NOT NULL REFERENCES referral (id) ON DELETE CASCADE,
    party             TEXT        NOT NULL CHECK (party IN ('PARENTS', 'PUPIL')),
    consent_counted   BOOLEAN     NOT NULL,
    secret_hash       TEXT        NOT NULL,
    issued_at         TIMESTAMPTZ NOT NULL,
    sent_message_id   UUID,
    sent_channel      TEXT,
    sent_addresses    INTEGER     CHECK (sent_addresses >= 0),
    sent_at           TIMESTAMPTZ,
    sent_summary      TEXT,
    -- T3: when this notice's holder withdrew the consent, and why in their own words (optional).
    withdrawn_at      TIMESTAMPTZ,
    withdrawal_reason TEXT        CHECK (char_length(withdrawal_reason) <= 2000),
    UNIQUE (referral_id, party)
);

-- M1: whether the pupil was capable of discernment as decided when consent was recorded (the
-- register's birth date then, and an override M3): whose consent counted, so who may withdraw it.
ALTER TABLE referral ADD COLUMN consent_pupil_capable BOOLEAN;
-- T3: who withdrew the referral (the school, or the family through its notice) and when.
ALTER TABLE referral ADD COLUMN withdrawn_by TEXT CHECK (withdrawn_by IN ('SCHOOL', 'PARENTS', 'PUPIL'));
ALTER TABLE referral ADD COLUMN withdrawn_at TIMESTAMPTZ;

-- The runtime role reads and writes them (V4 granted it on every table; said again so that it does
-- not depend on which role ran V4, as V7 and V9 do).
GRANT SELECT, INSERT, UPDATE, DELETE ON referral_notice TO ${appuser};
