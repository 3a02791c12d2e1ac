-- The service's runtime role (its datasource user) reads and writes the rows; it owns nothing and
-- cannot change the schema. The migrations run as the database's owner.
GRANT USAGE ON SCHEMA public TO ${appuser};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${appuser};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${appuser};
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${appuser};
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${appuser};
-- The migrations' own bookkeeping is not the service's to touch.
REVOKE ALL ON flyway_schema_history FROM ${appuser};
