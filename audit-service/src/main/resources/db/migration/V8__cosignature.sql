-- Witnesses (A2): the cosignatures (C2SP tlog-cosignature) that the other parties' witnesses
-- returned for the log's checkpoints. A cosignature is one signature line over the checkpoint of
-- its tree size; the witness is named by its verifier key. Append-only like the log itself.
CREATE TABLE cosignature (
    witness     TEXT        NOT NULL,
    tree_size   BIGINT      NOT NULL,
    line        TEXT        NOT NULL,
    cosigned_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (witness, tree_size)
);
CREATE INDEX cosignature_by_size ON cosignature (tree_size);

CREATE TRIGGER cosignature_no_update_delete BEFORE UPDATE OR DELETE ON cosignature
    FOR EACH ROW EXECUTE FUNCTION audit_record_is_append_only();
CREATE TRIGGER cosignature_no_truncate BEFORE TRUNCATE ON cosignature
    FOR EACH STATEMENT EXECUTE FUNCTION audit_record_is_append_only();

GRANT SELECT, INSERT ON cosignature TO ${appuser};
