-- Tamper evidence (A2): an RFC 9162 Merkle tree over the records in log order.
--
-- leaf_index: the record's place in the tree, dense from 0 (the identity column may have gaps).
-- record now holds the record's canonical bytes (RFC 8785), the tree's leaf. Records stored before
-- this migration are numbered in their order; the service hashes them into the tree at start.
ALTER TABLE audit_record ADD COLUMN leaf_index BIGINT;
ALTER TABLE audit_record DISABLE TRIGGER audit_record_no_update_delete;
UPDATE audit_record r SET leaf_index = numbered.n - 1
    FROM (SELECT position, row_number() OVER (ORDER BY position) AS n FROM audit_record) numbered
    WHERE r.position = numbered.position;
ALTER TABLE audit_record ENABLE TRIGGER audit_record_no_update_delete;
ALTER TABLE audit_record ALTER COLUMN leaf_index SET NOT NULL;
ALTER TABLE audit_record ADD CONSTRAINT audit_record_leaf_index_unique UNIQUE (leaf_index);

-- The hashes of the tree's perfect subtrees: level 0 holds the leaf hashes, level l the node over
-- leaves [idx * 2^l, (idx + 1) * 2^l). Any proof or root is folded from O(log² n) of them.
CREATE TABLE merkle_node (
    level SMALLINT NOT NULL,
    idx   BIGINT   NOT NULL,
    hash  BYTEA    NOT NULL,
    PRIMARY KEY (level, idx)
);

-- Signed checkpoints (C2SP tlog-checkpoint): the tree size and root hash, signed with Ed25519.
CREATE TABLE checkpoint (
    tree_size  BIGINT      PRIMARY KEY,
    root_hash  BYTEA       NOT NULL,
    note       TEXT        NOT NULL,
    signed_at  TIMESTAMPTZ NOT NULL
);

-- Append-only like the records themselves.
CREATE TRIGGER merkle_node_no_update_delete BEFORE UPDATE OR DELETE ON merkle_node
    FOR EACH ROW EXECUTE FUNCTION audit_record_is_append_only();
CREATE TRIGGER merkle_node_no_truncate BEFORE TRUNCATE ON merkle_node
    FOR EACH STATEMENT EXECUTE FUNCTION audit_record_is_append_only();
CREATE TRIGGER checkpoint_no_update_delete BEFORE UPDATE OR DELETE ON checkpoint
    FOR EACH ROW EXECUTE FUNCTION audit_record_is_append_only();
CREATE TRIGGER checkpoint_no_truncate BEFORE TRUNCATE ON checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit_record_is_append_only();

-- One refusal for every append-only table, naming it.
CREATE OR REPLACE FUNCTION audit_record_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
