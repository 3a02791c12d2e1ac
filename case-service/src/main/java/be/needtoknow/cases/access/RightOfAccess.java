package be.needtoknow.cases.access;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import be.needtoknow.cases.pupil.Pupil;
import be.needtoknow.common.audit.AuditTrail;
import be.needtoknow.common.audit.AuditTrail.Access;
import be.needtoknow.common.audit.LegalBasis;
import be.needtoknow.common.caller.Caller;
import be.needtoknow.common.caller.OrganisationType;
import be.needtoknow.common.caller.Roles;
import be.needtoknow.common.problem.ProblemException;

/**
 * T4: parents and pupil can learn what the school holds. The export is made for the school's DPO
 * or the owner of one of the pupil's case files, and is itself audited.
 */
@ApplicationScoped
public class RightOfAccess {

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    @Transactional
    public PupilExport export(Caller caller, String pupilId) {
        Access access = new Access("pupil.export", caller.organisationId(), pupilId, "pupil-export", null,
                "right of access", LegalBasis.LEGAL_OBLIGATION);
        Pupil pupil = caller.organisationType() == OrganisationType.SCHOOL
                ? Pupil.of(caller.organisationId(), pupilId).orElse(null) : null;
        boolean owner = pupil != null && count("select count(f) from CaseFile f where f.organisationId = ?1 "
                + "and f.pupilId = ?2 and f.ownerSubject = ?3", caller.organisationId(), pupilId, caller.subject()) > 0;
        if (pupil == null || !(caller.hasRole(Roles.DPO) || owner)) {
            audit.refused(caller, access, pupil == null ? "unknown pupil" : "not the DPO or a case owner");
            throw pupil == null ? ProblemException.notFound("Pupil '" + pupilId + "'")
                    : ProblemException.forbidden("not-dpo-or-owner",
                            "The right-of-access export is made by the DPO or the owner of the pupil's case file.");
        }
        String org = caller.organisationId();
        List<PupilExport.CaseFile> files = em.createQuery("select f from CaseFile f where f.organisationId = ?1 "
                + "and f.pupilId = ?2 order by f.openedAt", be.needtoknow.cases.casefile.CaseFile.class)
                .setParameter(1, org).setParameter(2, pupilId).getResultList().stream()
                .map(f -> new PupilExport.CaseFile(f.id, f.status.name(), f.ownerUsername, f.reason, f.openedAt, f.closedAt,
                        em.createQuery("select m from CareTeamMember m where m.caseFileId = ?1 order by m.addedAt",
                                be.needtoknow.cases.careteam.CareTeamMember.class).setParameter(1, f.id).getResultList()
                                .stream().map(m -> new PupilExport.Member(m.username, m.teamRole, m.purpose, m.addedAt)).toList(),
                        em.createQuery("select n from ConfidentialityNotice n where n.caseFileId = ?1 order by n.givenAt",
                                be.needtoknow.cases.note.ConfidentialityNotice.class).setParameter(1, f.id).getResultList()
                                .stream().map(n -> new PupilExport.Notice(n.givenBy, n.givenAt, n.how.name())).toList(),
                        // Private working notes are the author's, not the file's: left out.
                        em.createQuery("select n from Note n where n.caseFileId = ?1 and n.visibility <> ?2 order by n.writtenAt",
                                be.needtoknow.cases.note.Note.class).setParameter(1, f.id)
                                .setParameter(2, be.needtoknow.cases.casefile.CaseFileAccess.Visibility.PRIVATE)
                                .getResultList().stream().map(n -> new PupilExport.Note(n.id, n.kind.name(),
                                        n.visibility.name(), n.authorUsername, n.writtenAt, n.text, n.corrects))
                                .toList()))
                .toList();
        // Who reported a signal is a third party's confidence: left out.
        List<PupilExport.Signal> signals = em.createQuery("select s from Signal s where s.organisationId = ?1 "
                + "and s.pupilId = ?2 order by s.reportedAt", be.needtoknow.cases.signal.Signal.class)
                .setParameter(1, org).setParameter(2, pupilId).getResultList().stream()
                .map(s -> new PupilExport.Signal(s.reportedAt, s.concern, s.status.name())).toList();
        List<PupilExport.DisciplineMeasure> measures = em.createQuery("select m from DisciplineMeasure m "
                + "where m.organisationId = ?1 and m.pupilId = ?2 order by m.decidedOn",
                be.needtoknow.cases.discipline.DisciplineMeasure.class)
                .setParameter(1, org).setParameter(2, pupilId).getResultList().stream()
                .map(m -> new PupilExport.DisciplineMeasure(m.measureType, m.decidedOn, m.decidedBy)).toList();
        audit.granted(caller, access);
        return new PupilExport(OffsetDateTime.now(ZoneOffset.UTC), caller.username(),
                new PupilExport.Pupil(pupil.key.pupilId, pupil.givenName, pupil.familyName, pupil.birthDate, pupil.classGroup),
                files, signals, measures, List.of(PupilExport.PRIVATE_NOTES, PupilExport.SIGNAL_REPORTERS));
    }

    private long count(String query, Object... parameters) {
        var q = em.createQuery(query, Long.class);
        for (int i = 0; i < parameters.length; i++) {
            q.setParameter(i + 1, parameters[i]);
        }
        return q.getSingleResult();
    }
}
