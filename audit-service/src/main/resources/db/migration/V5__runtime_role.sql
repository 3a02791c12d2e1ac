-- A2: the service's runtime role (its datasource user) may only append to the log and read it —
-- no UPDATE, DELETE or TRUNCATE, by grants as well as by the triggers. It owns nothing, so it
-- cannot grant itself more or drop the triggers; the migrations run as the database's owner.
GRANT USAGE ON SCHEMA public TO ${appuser};
GRANT SELECT, INSERT ON audit_record, merkle_node, checkpoint TO ${appuser};
-- Its own outbox (the DPO's requests are audited too): the relay marks and clears what it sent.
GRANT SELECT, INSERT, UPDATE, DELETE ON outbox_event TO ${appuser};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${appuser};
