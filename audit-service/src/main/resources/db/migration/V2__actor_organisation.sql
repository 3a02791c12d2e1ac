-- A DPO sees what the organisation's own people did, also on records filed under another
-- organisation (a CLB worker accepting a school's referral). Computed from the stored record, so
-- no row is rewritten (the table is append-only).
ALTER TABLE audit_record ADD COLUMN actor_organisation_id TEXT
    GENERATED ALWAYS AS ((cast(record AS jsonb) -> 'actor' ->> 'organisationId')) STORED;
CREATE INDEX audit_record_by_actor_organisation ON audit_record (actor_organisation_id, position);
