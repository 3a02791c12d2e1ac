-- T4: a parent's or a pupil's request to learn what the school holds, registered by the school's
-- DPO (who checked the requester's identity). The requester reads the answer through a link; only
-- the SHA-256 of the link's secret is kept. No content is stored here: the package is built from
-- the pupil's records when the link is read. No reference to a case file, so that the retention
-- purge (A5) never waits on a request.
CREATE TABLE access_request (
    id              UUID        PRIMARY KEY,
    organisation_id TEXT        NOT NULL,
    pupil_id        TEXT        NOT NULL,
    requested_by    TEXT        NOT NULL CHECK (requested_by IN ('PARENTS', 'PUPIL')),
    requested_at    TIMESTAMPTZ NOT NULL,
    identity_check  TEXT        NOT NULL,
    registered_by   TEXT        NOT NULL,
    registered_at   TIMESTAMPTZ NOT NULL,
    secret_hash     TEXT        NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    first_read_at   TIMESTAMPTZ,
    read_count      INTEGER     NOT NULL DEFAULT 0,
    FOREIGN KEY (organisation_id, pupil_id) REFERENCES pupil (organisation_id, pupil_id)
);
CREATE INDEX access_request_by_pupil ON access_request (organisation_id, pupil_id, registered_at);

-- The runtime role reads and writes the rows (V3's default privileges cover a new table; said here
-- too, so that the grant does not depend on which role ran V3).
GRANT SELECT, INSERT, UPDATE, DELETE ON access_request TO ${appuser};
