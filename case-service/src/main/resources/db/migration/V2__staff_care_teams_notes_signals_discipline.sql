-- Staff as the school platform imports them: their functions (school roles) and the class groups
-- they teach. case-service needs both: who holds discipline (R1) and who teaches a pupil (N3).
CREATE TABLE staff_member (
    organisation_id TEXT        NOT NULL,
    username        TEXT        NOT NULL,
    display_name    TEXT        NOT NULL,
    functions       TEXT        NOT NULL,   -- comma-separated school roles, sorted
    class_groups    TEXT        NOT NULL,   -- comma-separated class groups taught, sorted
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organisation_id, username)
);

-- The named members of a pupil's care team, per case file (N3), never someone who enforces
-- discipline (R1).
CREATE TABLE care_team_member (
    case_file_id UUID        NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    username     TEXT        NOT NULL,
    team_role    TEXT        NOT NULL,
    purpose      TEXT        NOT NULL,
    added_by     TEXT        NOT NULL,
    added_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (case_file_id, username)
);

-- S1: the pupil was told plainly that the school cannot guarantee secrecy.
CREATE TABLE confidentiality_notice (
    id           UUID        PRIMARY KEY,
    case_file_id UUID        NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    given_by     TEXT        NOT NULL,
    given_at     TIMESTAMPTZ NOT NULL,
    how          TEXT        NOT NULL CHECK (how IN ('SPOKEN', 'WRITTEN')),
    recorded_at  TIMESTAMPTZ NOT NULL
);

-- Notes are immutable: a correction is a new row that names the note it corrects.
CREATE TABLE note (
    id              UUID        PRIMARY KEY,
    case_file_id    UUID        NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    corrects        UUID        REFERENCES note (id) ON DELETE CASCADE,
    author_subject  TEXT        NOT NULL,
    author_username TEXT        NOT NULL,
    kind            TEXT        NOT NULL CHECK (kind IN ('CONVERSATION', 'OBSERVATION', 'MEETING', 'AGREEMENT')),
    visibility      TEXT        NOT NULL CHECK (visibility IN ('PRIVATE', 'CARE_TEAM', 'TEACHERS')),
    text            TEXT        NOT NULL,
    written_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX note_by_case_file ON note (case_file_id, written_at);
CREATE UNIQUE INDEX note_corrected_once ON note (corrects) WHERE corrects IS NOT NULL;

-- S4: a concern reported by any staff member, in the intake of the school's care coordinators.
CREATE TABLE signal (
    id                UUID        PRIMARY KEY,
    organisation_id   TEXT        NOT NULL,
    pupil_id          TEXT        NOT NULL,
    reporter_subject  TEXT        NOT NULL,
    reporter_username TEXT        NOT NULL,
    concern           TEXT        NOT NULL,
    reported_at       TIMESTAMPTZ NOT NULL,
    status            TEXT        NOT NULL CHECK (status IN ('NEW', 'TAKEN_UP')),
    case_file_id      UUID        REFERENCES case_file (id) ON DELETE SET NULL,
    taken_up_by       TEXT,
    taken_up_at       TIMESTAMPTZ,
    FOREIGN KEY (organisation_id, pupil_id) REFERENCES pupil (organisation_id, pupil_id)
);
CREATE INDEX signal_intake ON signal (organisation_id, status, reported_at);

-- The discipline register: kept apart from the guidance file, read by the principal and
-- discipline staff only, never eligible for a referral or transfer.
CREATE TABLE discipline_measure (
    id              UUID        PRIMARY KEY,
    organisation_id TEXT        NOT NULL,
    pupil_id        TEXT        NOT NULL,
    measure_type    TEXT        NOT NULL,
    decided_on      DATE        NOT NULL,
    decided_by      TEXT        NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (organisation_id, pupil_id) REFERENCES pupil (organisation_id, pupil_id)
);
