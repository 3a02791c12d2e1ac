-- The basis a referral is sent on: consent (T1) or, without consent, the pupil's vital interest
-- in urgent danger, with a written justification that the DPO reviews afterwards.
ALTER TABLE referral ADD COLUMN legal_basis TEXT NOT NULL DEFAULT 'consent';
ALTER TABLE referral ADD COLUMN urgent_justification TEXT;
COMMENT ON COLUMN referral.consent_items_hash IS 'the hash of the items that the consent or the urgent-danger basis covers (T2)';

-- C2: what the recipient chooses to tell the school, explicitly released for it.
CREATE TABLE referral_feedback (
    id           UUID        PRIMARY KEY,
    referral_id  UUID        NOT NULL REFERENCES referral (id),
    text         TEXT        NOT NULL,
    released_by  TEXT        NOT NULL,
    released_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX referral_feedback_by_referral ON referral_feedback (referral_id, released_at);
