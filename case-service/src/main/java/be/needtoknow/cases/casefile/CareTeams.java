package be.needtoknow.cases.casefile;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import be.needtoknow.cases.staff.StaffMember;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.problem.ProblemException;

/** The care team of a case file: formed by its owner, never with someone who enforces discipline (R1). */
@ApplicationScoped
public class CareTeams {

    @Inject
    CaseFiles caseFiles;

    @Inject
    AuditTrail audit;

    @Inject
    Sanctions sanctions;

    @Inject
    EntityManager entityManager;

    /**
     * R1 under concurrency: adding someone to a pupil's care team and registering a discipline measure
     * for that pupil each check the other's rows, so two at once could both pass. Each takes this lock
     * on the pupil's row first (held to the end of its transaction), so they run one after the other
     * and the second sees what the first wrote. NO KEY UPDATE: it does not hold back the rows that
     * merely refer to the pupil (signals, case files).
     */
    public static void serializeRoleChecks(EntityManager entityManager, String organisationId, String pupilId) {
        entityManager.createNativeQuery("select 1 from pupil where organisation_id = ?1 and pupil_id = ?2 for no key update")
                .setParameter(1, organisationId).setParameter(2, pupilId).getResultList();
    }

    @Transactional
    public List<CareTeamMemberView> list(Caller caller, UUID caseFileId) {
        CaseFiles.Accessed accessed = caseFiles.require(caller, caseFileId, CaseFiles.Need.READ, "care-team.read");
        audit.granted(caller, CaseFiles.access("care-team.read", accessed.file()));
        return CareTeamMember.of(caseFileId).stream().map(CareTeamMemberView::of).toList();
    }

    @Transactional
    public CareTeamMemberView add(Caller caller, UUID caseFileId, AddMember request) {
        CaseFile file = caseFiles.require(caller, caseFileId, CaseFiles.Need.FORM_CARE_TEAM, "care-team.add").file();
        serializeRoleChecks(entityManager, file.organisationId, file.pupilId);
        StaffMember staff = StaffMember.of(file.organisationId, request.username()).orElse(null);
        if (staff == null) {
            throw new Refused(caller, CaseFiles.access("care-team.add", file), "unknown staff member",
                    ProblemException.notFound("Staff member '" + request.username() + "'"));
        }
        if (staff.enforcesDiscipline()) {
            throw new Refused(caller, CaseFiles.access("care-team.add", file), "member enforces discipline (R1)",
                    ProblemException.refusedByRule("R1", "discipline-on-care-team", "'" + request.username()
                            + "' enforces discipline at the school and cannot be on a care team: those who counsel "
                            + "are not those who punish."));
        }
        if (sanctions.registeredBy(file.organisationId, file.pupilId, request.username())) {
            throw new Refused(caller, CaseFiles.access("care-team.add", file), "member registered a measure for the pupil (R1)",
                    ProblemException.refusedByRule("R1", "sanctioned-pupil-on-care-team", "'" + request.username()
                            + "' registered a disciplinary measure for this pupil and cannot be on the pupil's care "
                            + "team: those who punish are not those who counsel."));
        }
        caseFiles.requireOpen(caller, file, "care-team.add");
        if (request.username().equals(file.ownerUsername) || CareTeamMember.isMember(file.id, request.username())) {
            throw new Refused(caller, CaseFiles.access("care-team.add", file), "already on the care team",
                    ProblemException.conflict("already-on-care-team", "'" + request.username() + "' is already on the care team."));
        }
        CareTeamMember member = new CareTeamMember();
        member.caseFileId = file.id;
        member.username = request.username();
        member.teamRole = request.role();
        member.purpose = request.purpose();
        member.addedBy = caller.username();
        member.addedAt = OffsetDateTime.now(ZoneOffset.UTC);
        member.persist();
        audit.granted(caller, CaseFiles.access("care-team.add", file));
        return CareTeamMemberView.of(member);
    }

    @Transactional
    public void remove(Caller caller, UUID caseFileId, String username) {
        CaseFile file = caseFiles.require(caller, caseFileId, CaseFiles.Need.FORM_CARE_TEAM, "care-team.remove").file();
        long removed = CareTeamMember.delete("caseFileId = ?1 and username = ?2", file.id, username);
        if (removed == 0) {
            throw new Refused(caller, CaseFiles.access("care-team.remove", file), "not a member",
                    ProblemException.notFound("Care-team member '" + username + "'"));
        }
        audit.granted(caller, CaseFiles.access("care-team.remove", file));
    }
}
