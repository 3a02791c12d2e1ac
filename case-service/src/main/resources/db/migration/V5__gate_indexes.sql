-- The gate of every request on a case file asks, in one statement, whether the confidentiality
-- notice is on record (S1) and whether the caller is on the care team (CaseFileRelations): the
-- notice by its case file, not by a scan.
CREATE INDEX confidentiality_notice_by_case_file ON confidentiality_notice (case_file_id);
