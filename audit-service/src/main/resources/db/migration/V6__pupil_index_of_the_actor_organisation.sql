-- The DPO's search by pupil covers the organisation's records and those of its own people
-- (organisation_id = org OR actor_organisation_id = org): each side of the OR narrowed by pupil,
-- so the query stays quick whatever the size of the log.
CREATE INDEX audit_record_by_actor_organisation_pupil ON audit_record (actor_organisation_id, pupil_pseudonym, leaf_index);
