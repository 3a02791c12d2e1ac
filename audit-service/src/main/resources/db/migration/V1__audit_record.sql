-- The audit trail (A1, A2): records in the order audit-service appends them. It holds no case
-- content and no direct pupil identifier, only the keyed pupil pseudonym.
CREATE TABLE audit_record (
    position         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id         UUID        NOT NULL UNIQUE,
    source           TEXT        NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL,
    occurred_at      TIMESTAMPTZ NOT NULL,
    organisation_id  TEXT        NOT NULL,
    pupil_pseudonym  TEXT,
    actor_username   TEXT        NOT NULL,
    actor_role       TEXT        NOT NULL,
    action           TEXT        NOT NULL,
    outcome          TEXT        NOT NULL,
    record           TEXT        NOT NULL
);
CREATE INDEX audit_record_by_pupil ON audit_record (organisation_id, pupil_pseudonym, position);
CREATE INDEX audit_record_by_actor ON audit_record (organisation_id, actor_username, position);

-- Append-only (A2): no UPDATE, DELETE or TRUNCATE, whoever asks. The triggers hold for the
-- table's owner too; the Merkle tree (checkpoints, proofs) detects what a superuser could still do.
CREATE FUNCTION audit_record_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_record is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_record_no_update_delete BEFORE UPDATE OR DELETE ON audit_record
    FOR EACH ROW EXECUTE FUNCTION audit_record_is_append_only();
CREATE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_record
    FOR EACH STATEMENT EXECUTE FUNCTION audit_record_is_append_only();
