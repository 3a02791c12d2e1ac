package be.needtoknow.cases.pupil;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import be.needtoknow.cases.ImportResult;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.problem.ProblemException;

/**
 * The idempotent pupil import of a school's platform: one transaction per batch, so a refused
 * batch stores nothing; each created or changed pupil leaves an audit record (A1).
 */
@ApplicationScoped
public class PupilImport {


    @Inject
    AuditTrail audit;

    @Transactional
    public ImportResult upsert(Caller caller, PupilBatch batch) {
        if (!caller.hasRole(Roles.SCHOOL_SYSTEM)) {
            throw audit.refuse(caller, new AuditTrail.Access("pupil.import", caller.organisationId(), null, "pupil-batch",
                    null, "pupil import", LegalBasis.LEGAL_TASK), "not the school's platform",
                    ProblemException.forbidden("not-school-system",
                    "Only the school platform's service account imports pupils."));
        }
        ImportResult.requireUnique(batch.pupils().stream().map(PupilRow::pupilId).toList(), "pupils[].pupilId");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int created = 0;
        int updated = 0;
        for (PupilRow row : batch.pupils()) {
            Pupil pupil = Pupil.of(caller.organisationId(), row.pupilId()).orElse(null);
            String action;
            if (pupil == null) {
                pupil = new Pupil();
                pupil.key = new Pupil.Key(caller.organisationId(), row.pupilId());
                pupil.take(row, now);
                pupil.persist();
                created++;
                action = "pupil.create";
            } else if (pupil.differsFrom(row)) {
                pupil.take(row, now);
                updated++;
                action = "pupil.update";
            } else {
                continue;
            }
            // The pupil is named by its pseudonym only: no record id that is the pupil's own id (N2).
            audit.granted(caller, new AuditTrail.Access(action, caller.organisationId(), row.pupilId(), "pupil",
                    null, "pupil import", LegalBasis.LEGAL_TASK));
        }
        return new ImportResult(batch.pupils().size(), created, updated, batch.pupils().size() - created - updated);
    }
}
