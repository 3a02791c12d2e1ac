-- A5 retention: when a referral or transfer reached an end state (CLOSED, WITHDRAWN, or DECLINED:
-- refused by the recipient, who may still close it). ntk.retention.ended-referral after that (and
-- after the last feedback released on it), the referral is purged with its items, consent record,
-- feedback and transfer notices. A trigger keeps it, so that every way a status is written sets it:
-- entering an end state (also DECLINED -> CLOSED) sets it to the transaction's time; any other
-- state clears it.
ALTER TABLE referral ADD COLUMN closed_at TIMESTAMPTZ;

CREATE FUNCTION referral_closed_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('CLOSED', 'WITHDRAWN', 'DECLINED') THEN
        IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status OR NEW.closed_at IS NULL THEN
            NEW.closed_at := now();
        END IF;
    ELSE
        NEW.closed_at := NULL;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER referral_closed_at BEFORE INSERT OR UPDATE OF status ON referral
    FOR EACH ROW EXECUTE FUNCTION referral_closed_at();

-- Backfill: a referral already in an end state ended at its last change at the latest.
UPDATE referral SET closed_at = updated_at WHERE status IN ('CLOSED', 'WITHDRAWN', 'DECLINED');

CREATE INDEX referral_ended ON referral (closed_at) WHERE closed_at IS NOT NULL;

-- The runtime role deletes what the purge deletes (V4 granted it on every table; said again so
-- that it does not depend on which role ran V4).
GRANT SELECT, INSERT, UPDATE, DELETE ON referral, referral_feedback, transfer_notice TO ${appuser};
