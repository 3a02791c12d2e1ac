-- The DPO's reports by period (A3 unusual access, A4 registration statistics) filter on occurred_at;
-- this index keeps them from reading the whole trail. An index changes no row (append-only holds).
CREATE INDEX audit_record_by_occurred_at ON audit_record (occurred_at);
