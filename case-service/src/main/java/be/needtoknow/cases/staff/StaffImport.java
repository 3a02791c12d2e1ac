package be.needtoknow.cases.staff;

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

/** The idempotent import of a school's staff and teaching assignments, by the school's platform. */
@ApplicationScoped
public class StaffImport {

    @Inject
    AuditTrail audit;

    @Transactional
    public ImportResult upsert(Caller caller, StaffBatch batch) {
        AuditTrail.Access access = new AuditTrail.Access("staff.import", caller.organisationId(), null, "staff-batch",
                null, "staff import", LegalBasis.LEGAL_TASK);
        if (!caller.hasRole(Roles.SCHOOL_SYSTEM)) {
            audit.refused(caller, access, "not the school's platform");
            throw ProblemException.forbidden("not-school-system", "Only the school platform's service account imports staff.");
        }
        ImportResult.requireUnique(batch.staff().stream().map(StaffRow::username).toList(), "staff[].username");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int created = 0;
        int updated = 0;
        for (StaffRow row : batch.staff()) {
            String functions = StaffMember.join(row.functions());
            String classGroups = StaffMember.join(row.classGroups());
            StaffMember member = StaffMember.of(caller.organisationId(), row.username()).orElse(null);
            if (member == null) {
                member = new StaffMember();
                member.key = new StaffMember.Key(caller.organisationId(), row.username());
                created++;
            } else if (member.displayName.equals(row.name()) && member.functions.equals(functions)
                    && member.classGroups.equals(classGroups)) {
                continue;
            } else {
                updated++;
            }
            member.displayName = row.name();
            member.functions = functions;
            member.classGroups = classGroups;
            member.updatedAt = now;
            member.persist();
        }
        if (created + updated > 0) {
            audit.granted(caller, access);
        }
        return new ImportResult(batch.staff().size(), created, updated, batch.staff().size() - created - updated);
    }
}
