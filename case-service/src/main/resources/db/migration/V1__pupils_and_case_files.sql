-- Pupils as the school platform imports them: a pupil id is scoped by the school (organisation).
CREATE TABLE pupil (
    organisation_id TEXT        NOT NULL,
    pupil_id        TEXT        NOT NULL,
    given_name      TEXT        NOT NULL,
    family_name     TEXT        NOT NULL,
    birth_date      DATE        NOT NULL,
    class_group     TEXT        NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organisation_id, pupil_id)
);

-- The school's internal case file on a pupil: at most one open at a time.
CREATE TABLE case_file (
    id              UUID        PRIMARY KEY,
    organisation_id TEXT        NOT NULL,
    pupil_id        TEXT        NOT NULL,
    owner_subject   TEXT        NOT NULL,
    owner_username  TEXT        NOT NULL,
    reason          TEXT        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
    opened_at       TIMESTAMPTZ NOT NULL,
    closed_at       TIMESTAMPTZ,
    FOREIGN KEY (organisation_id, pupil_id) REFERENCES pupil (organisation_id, pupil_id)
);
CREATE UNIQUE INDEX case_file_one_open_per_pupil ON case_file (organisation_id, pupil_id) WHERE status = 'OPEN';
CREATE INDEX case_file_by_organisation ON case_file (organisation_id, opened_at DESC);
