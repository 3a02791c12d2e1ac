package be.needtoknow.cases.pupil;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import be.needtoknow.cases.ImportResult;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.problem.ProblemException;

/**
 * The idempotent pupil import of a school's platform: one transaction per batch, so a refused
 * batch stores nothing; each created or changed pupil leaves an audit record (A1).
 * <p>
 * A5: a complete batch ({@code complete: true}, the school's whole list) marks every pupil on record
 * who is not in it as left ({@code left_at}, audited {@code pupil.leave}); a pupil who had left and
 * is in a batch again is back ({@code left_at} cleared, audited {@code pupil.return}). The retention
 * purge removes a pupil who left, and what the school holds on them, after {@code ntk.retention.left-pupil}.
 */
@ApplicationScoped
public class PupilImport {

    /** Pupils per statement when marking leavers (well under PostgreSQL's parameter limit). */
    private static final int IDS_PER_STATEMENT = 1000;

    @Inject
    AuditTrail audit;

    @Inject
    EntityManager em;

    @Transactional
    public ImportResult upsert(Caller caller, PupilBatch batch) {
        if (!caller.hasRole(Roles.SCHOOL_SYSTEM)) {
            throw new Refused(caller, new AuditTrail.Access("pupil.import", caller.organisationId(), null, "pupil-batch",
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
            if (pupil != null && pupil.leftAt != null && !stillOnRecord(pupil)) {
                // A5: purged while this batch ran (the pupil had left long enough): back as a new pupil.
                em.detach(pupil);
                pupil = null;
            }
            String action;
            List<FamilyContact> contacts = FamilyContact.from(caller.organisationId(), row);
            if (pupil == null) {
                pupil = new Pupil();
                pupil.key = new Pupil.Key(caller.organisationId(), row.pupilId());
                pupil.take(row, now);
                pupil.persist();
                created++;
                action = "pupil.create";
            } else if (pupil.leftAt != null) {
                // A5: back at the school; the purge (which locks the row) no longer takes this pupil.
                pupil.take(row, now);
                pupil.leftAt = null;
                updated++;
                action = "pupil.return";
            } else if (pupil.differsFrom(row)
                    || !FamilyContact.same(FamilyContact.of(caller.organisationId(), row.pupilId()), contacts)) {
                pupil.take(row, now);
                updated++;
                action = "pupil.update";
            } else {
                continue;
            }
            // The family's contacts as the row gives them: the family channel reaches these and no others (X, T4).
            if (!action.equals("pupil.create")) {
                FamilyContact.of(caller.organisationId(), row.pupilId()).forEach(FamilyContact::delete);
                // The old rows go before the new ones take their positions.
                em.flush();
            }
            contacts.forEach(c -> c.persist());
            // The pupil is named by its pseudonym only: no record id that is the pupil's own id (N2).
            audit.granted(caller, new AuditTrail.Access(action, caller.organisationId(), row.pupilId(), "pupil",
                    null, "pupil import", LegalBasis.LEGAL_TASK));
        }
        if (batch.wholeList()) {
            markLeavers(caller, batch, now);
        }
        return new ImportResult(batch.pupils().size(), created, updated, batch.pupils().size() - created - updated);
    }

    /**
     * A5: locks a pupil who had left against the retention purge (which skips locked rows) and
     * tells whether the purge removed them first.
     */
    private boolean stillOnRecord(Pupil pupil) {
        return !em.createNativeQuery("SELECT 1 FROM pupil WHERE organisation_id = ?1 AND pupil_id = ?2 FOR UPDATE")
                .setParameter(1, pupil.key.organisationId).setParameter(2, pupil.key.pupilId).getResultList().isEmpty();
    }

    /**
     * A5: the pupils of the school on record, not yet marked as left, whom the complete batch does
     * not name, are marked as left now, each with an audit record. Only the rows this statement
     * changed are audited, so two imports at once record each leaver once.
     */
    private void markLeavers(Caller caller, PupilBatch batch, OffsetDateTime now) {
        Set<String> present = new HashSet<>(batch.pupils().stream().map(PupilRow::pupilId).toList());
        List<String> missing = new ArrayList<>();
        for (Object id : em.createNativeQuery("SELECT pupil_id FROM pupil WHERE organisation_id = ?1 AND left_at IS NULL")
                .setParameter(1, caller.organisationId()).getResultList()) {
            if (!present.contains((String) id)) {
                missing.add((String) id);
            }
        }
        for (int from = 0; from < missing.size(); from += IDS_PER_STATEMENT) {
            List<?> left = em.createNativeQuery("UPDATE pupil SET left_at = ?1 WHERE organisation_id = ?2 AND left_at IS NULL "
                    + "AND pupil_id IN (?3) RETURNING pupil_id")
                    .setParameter(1, now).setParameter(2, caller.organisationId())
                    .setParameter(3, missing.subList(from, Math.min(missing.size(), from + IDS_PER_STATEMENT)))
                    .getResultList();
            audit.granted(caller, left.stream().map(id -> new AuditTrail.Access("pupil.leave", caller.organisationId(),
                    (String) id, "pupil", null, "pupil import", LegalBasis.LEGAL_TASK)).toList());
        }
    }
}
