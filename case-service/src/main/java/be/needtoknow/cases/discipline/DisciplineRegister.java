package be.needtoknow.cases.discipline;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Size;

import be.needtoknow.cases.casefile.CareTeams;
import be.needtoknow.cases.casefile.CaseFileAccess;
import be.needtoknow.cases.casefile.CaseFileRelations;
import be.needtoknow.cases.pupil.Pupil;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.audit.Refused;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.problem.ProblemException;

/** The discipline register, and R1's other half: a care-team member does not impose the pupil's sanctions. */
@ApplicationScoped
public class DisciplineRegister {

    static final String PURPOSE = "school rules and sanctions";

    @Inject
    AuditTrail audit;

    @Inject
    CaseFileRelations relations;

    @Inject
    EntityManager entityManager;

    public record Register(@NotBlank @Size(max = 100) String measureType, @NotNull @PastOrPresent LocalDate decidedOn) {
    }

    public record MeasureView(UUID id, String pupilId, String measureType, LocalDate decidedOn, String decidedBy,
            OffsetDateTime recordedAt) {
        static MeasureView of(DisciplineMeasure m) {
            return new MeasureView(m.id, m.pupilId, m.measureType, m.decidedOn, m.decidedBy, m.recordedAt);
        }
    }

    private static Access access(String action, Caller caller, String pupilId, UUID id) {
        return new Access(action, caller.organisationId(), pupilId, "discipline-measure", id == null ? null : id.toString(),
                PURPOSE, LegalBasis.LEGAL_TASK);
    }

    @Transactional
    public MeasureView register(Caller caller, String pupilId, Register request) {
        Access attempt = access("discipline.register", caller, pupilId, null);
        // R1: one at a time with care-team additions for this pupil, so that the check below sees them.
        CareTeams.serializeRoleChecks(entityManager, caller.organisationId(), pupilId);
        boolean onCareTeam = relations.onACareTeamOf(caller, caller.organisationId(), pupilId);
        if (!CaseFileAccess.mayRegisterDiscipline(caller, onCareTeam)) {
            if (onCareTeam && CaseFileAccess.mayReadDiscipline(caller)) {
                throw new Refused(caller, attempt, "on the pupil's care team (R1)",
                        ProblemException.refusedByRule("R1", "care-team-member-may-not-sanction", "You are on this "
                        + "pupil's care team: those who counsel are not those who punish. Another staff member "
                        + "registers the measure."));
            }
            throw new Refused(caller, attempt, "not discipline staff or the principal",
                    ProblemException.forbidden("not-discipline", "Disciplinary measures are registered by discipline "
                    + "staff and the principal."));
        }
        if (Pupil.of(caller.organisationId(), pupilId).isEmpty()) {
            throw new Refused(caller, attempt, "unknown pupil",
                    ProblemException.notFound("Pupil '" + pupilId + "'"));
        }
        DisciplineMeasure measure = new DisciplineMeasure();
        measure.id = UUID.randomUUID();
        measure.organisationId = caller.organisationId();
        measure.pupilId = pupilId;
        measure.measureType = request.measureType();
        measure.decidedOn = request.decidedOn();
        measure.decidedBy = caller.username();
        measure.recordedAt = OffsetDateTime.now(ZoneOffset.UTC);
        measure.persist();
        audit.granted(caller, access("discipline.register", caller, pupilId, measure.id));
        return MeasureView.of(measure);
    }

    @Transactional
    public List<MeasureView> read(Caller caller, String pupilId) {
        if (!CaseFileAccess.mayReadDiscipline(caller)) {
            throw new Refused(caller, access("discipline.read", caller, pupilId, null), "not discipline staff or the principal",
                    ProblemException.forbidden("not-discipline", "The discipline register is read by the principal and "
                    + "discipline staff only."));
        }
        if (Pupil.of(caller.organisationId(), pupilId).isEmpty()) {
            throw new Refused(caller, access("discipline.read", caller, pupilId, null), "unknown pupil",
                    ProblemException.notFound("Pupil '" + pupilId + "'"));
        }
        if (relations.onACareTeamOf(caller, caller.organisationId(), pupilId)) {
            // R1: the register of a pupil is kept apart from whoever counsels the pupil, principal included.
            throw new Refused(caller, access("discipline.read", caller, pupilId, null), "on the pupil's care team (R1)",
                    ProblemException.refusedByRule("R1", "care-team-member-may-not-read-discipline", "You are on this "
                            + "pupil's care team: those who counsel do not read the pupil's discipline register."));
        }
        List<DisciplineMeasure> measures = DisciplineMeasure.of(caller.organisationId(), pupilId);
        audit.granted(caller, access("discipline.read", caller, pupilId, null));
        return measures.stream().map(MeasureView::of).toList();
    }
}
