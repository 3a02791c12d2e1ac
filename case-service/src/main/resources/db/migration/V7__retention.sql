-- A5 retention. A pupil who is no longer in the school platform's complete import has left the
-- school: left_at is when the import first missed them (cleared when they come back). After
-- ntk.retention.left-pupil the pupil and everything the school holds on them are purged.
-- No backfill: every pupil on record today was in the imports so far, so none is known to have left.
ALTER TABLE pupil ADD COLUMN left_at TIMESTAMPTZ;
CREATE INDEX pupil_left ON pupil (left_at) WHERE left_at IS NOT NULL;

-- The purges choose by age: closed case files, signals never taken up, discipline measures.
CREATE INDEX case_file_closed ON case_file (closed_at) WHERE status = 'CLOSED';
CREATE INDEX signal_untaken ON signal (reported_at) WHERE status = 'NEW';
CREATE INDEX discipline_measure_by_recorded ON discipline_measure (recorded_at);
-- A pupil's records, found by the pupil when the pupil is purged.
CREATE INDEX signal_by_pupil ON signal (organisation_id, pupil_id);
CREATE INDEX discipline_measure_by_pupil ON discipline_measure (organisation_id, pupil_id);
CREATE INDEX signal_by_case_file ON signal (case_file_id) WHERE case_file_id IS NOT NULL;

-- The runtime role deletes what the purge deletes (V3 granted it on every table; said again so
-- that it does not depend on which role ran V3).
GRANT SELECT, INSERT, UPDATE, DELETE ON pupil, case_file, signal, discipline_measure, access_request TO ${appuser};
