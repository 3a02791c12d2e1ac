-- X: the parents' and the pupil's link reaches them through their own channel, never through the
-- staff member whose action they check. case-service holds the family's contacts and mails the link;
-- what it answered is kept here, so that the school sees that (and how) each notice was sent, never
-- the link nor an address: case-service's message id (its own record of what it sent), the channel
-- (MAIL), how many addresses, when, and its summary in words. Null for a notice issued before the
-- links were delivered. A resend replaces them, with the secret_hash (the old link no longer opens).
ALTER TABLE transfer_notice ADD COLUMN sent_message_id UUID;
ALTER TABLE transfer_notice ADD COLUMN sent_channel TEXT;
ALTER TABLE transfer_notice ADD COLUMN sent_addresses INTEGER CHECK (sent_addresses >= 0);
ALTER TABLE transfer_notice ADD COLUMN sent_at TIMESTAMPTZ;
ALTER TABLE transfer_notice ADD COLUMN sent_summary TEXT;

-- The runtime role reads and writes them (V4 granted it on every table; said again so that it does
-- not depend on which role ran V4, as V7 does).
GRANT SELECT, INSERT, UPDATE, DELETE ON transfer_notice TO ${appuser};
