package be.needtoknow.cases.access;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import be.needtoknow.cases.casefile.CareTeamMember;
import be.needtoknow.cases.casefile.CaseFile;
import be.needtoknow.cases.casefile.CaseFileAccess.Visibility;
import be.needtoknow.cases.discipline.DisciplineMeasure;
import be.needtoknow.cases.note.ConfidentialityNotice;
import be.needtoknow.cases.note.Note;
import be.needtoknow.cases.pupil.Pupil;
import be.needtoknow.cases.signal.Signal;
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
    AuditTrail audit;

    @Transactional
    public PupilExport export(Caller caller, String pupilId) {
        Access access = new Access("pupil.export", caller.organisationId(), pupilId, "pupil-export", null,
                "right of access", LegalBasis.LEGAL_OBLIGATION);
        Pupil pupil = caller.organisationType() == OrganisationType.SCHOOL
                ? Pupil.of(caller.organisationId(), pupilId).orElse(null) : null;
        List<CaseFile> files = pupil == null ? List.of() : CaseFile.ofPupil(caller.organisationId(), pupilId);
        boolean owner = files.stream().anyMatch(f -> caller.subject().equals(f.ownerSubject));
        if (pupil == null || !(caller.hasRole(Roles.DPO) || owner)) {
            audit.refused(caller, access, pupil == null ? "unknown pupil" : "not the DPO or a case owner");
            throw pupil == null ? ProblemException.notFound("Pupil '" + pupilId + "'")
                    : ProblemException.forbidden("not-dpo-or-owner",
                            "The right-of-access export is made by the DPO or the owner of the pupil's case file.");
        }
        audit.granted(caller, access);
        return new PupilExport(OffsetDateTime.now(ZoneOffset.UTC), caller.username(),
                new PupilExport.Pupil(pupil.key.pupilId, pupil.givenName, pupil.familyName, pupil.birthDate, pupil.classGroup),
                files.stream().map(RightOfAccess::caseFile).toList(),
                // Who reported a signal is a third party's confidence: left out.
                Signal.about(caller.organisationId(), pupilId).stream()
                        .map(s -> new PupilExport.Signal(s.reportedAt, s.concern, s.status.name())).toList(),
                DisciplineMeasure.of(caller.organisationId(), pupilId).stream()
                        .map(m -> new PupilExport.DisciplineMeasure(m.measureType, m.decidedOn, m.decidedBy)).toList(),
                List.of(PupilExport.PRIVATE_NOTES, PupilExport.SIGNAL_REPORTERS));
    }

    private static PupilExport.CaseFile caseFile(CaseFile f) {
        return new PupilExport.CaseFile(f.id, f.status.name(), f.ownerUsername, f.reason, f.openedAt, f.closedAt,
                CareTeamMember.of(f.id).stream()
                        .map(m -> new PupilExport.Member(m.username, m.teamRole, m.purpose, m.addedAt)).toList(),
                ConfidentialityNotice.of(f.id).stream()
                        .map(n -> new PupilExport.Notice(n.givenBy, n.givenAt, n.how.name())).toList(),
                // Private working notes are the author's, not the file's: left out.
                Note.ofCaseFile(f.id).stream().filter(n -> n.visibility != Visibility.PRIVATE)
                        .map(n -> new PupilExport.Note(n.id, n.kind.name(), n.visibility.name(), n.authorUsername,
                                n.writtenAt, n.text, n.corrects))
                        .toList());
    }
}
