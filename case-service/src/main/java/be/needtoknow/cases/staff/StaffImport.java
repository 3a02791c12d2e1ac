package be.needtoknow.cases.staff;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import be.needtoknow.cases.ImportResult;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.problem.Problem;
import be.needtoknow.common.problem.ProblemException;

/** The idempotent import of a school's staff and teaching assignments, by the school's platform. */
@ApplicationScoped
public class StaffImport {

    @Inject
    AuditTrail audit;

    @Inject
    CareTeamMemberships careTeams;

    @Transactional
    public ImportResult upsert(Caller caller, StaffBatch batch) {
        AuditTrail.Access access = new AuditTrail.Access("staff.import", caller.organisationId(), null, "staff-batch",
                null, "staff import", LegalBasis.LEGAL_TASK);
        if (!caller.hasRole(Roles.SCHOOL_SYSTEM)) {
            throw new Refused(caller, access, "not the school's platform",
                    ProblemException.forbidden("not-school-system", "Only the school platform's service account imports staff."));
        }
        ImportResult.requireUnique(batch.staff().stream().map(StaffRow::username).toList(), "staff[].username");
        refuseDisciplineOnCareTeams(caller, batch, access);
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

    /**
     * R1: whoever enforces discipline is not on a care team. A batch that gives the discipline
     * function to someone on the care team of an open case file is refused whole, naming the
     * memberships, and changes nothing: the school first ends those memberships (the case files'
     * owners decide who counsels), then imports again. Refusing rather than ending the memberships
     * quietly keeps the care team the owner's decision, and no counsellor is removed by a batch.
     */
    private void refuseDisciplineOnCareTeams(Caller caller, StaffBatch batch, AuditTrail.Access access) {
        List<String> conflicts = new ArrayList<>();
        for (StaffRow row : batch.staff()) {
            if (row.functions().contains(Roles.DISCIPLINE)) {
                for (UUID caseFileId : careTeams.openCaseFilesOf(caller.organisationId(), row.username())) {
                    conflicts.add(row.username() + " on the care team of case file " + caseFileId);
                }
            }
        }
        if (!conflicts.isEmpty()) {
            throw new Refused(caller, access, "discipline function for care-team members (R1)",
                    new ProblemException(Problem.of(409, "discipline-on-care-team", "Refused by rule R1",
                    "Those who punish are not those who counsel: end these care-team memberships before giving the "
                            + "discipline function: " + String.join("; ", conflicts) + ".").withRule("R1")));
        }
    }
}
