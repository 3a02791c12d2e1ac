package be.needtoknow.cases.casefile;

import jakarta.enterprise.context.ApplicationScoped;

import be.needtoknow.cases.pupil.Pupil;
import be.needtoknow.cases.staff.StaffMember;
import be.needtoknow.common.caller.Caller;

/** Looks up the facts of a {@link CaseFileAccess.Relation}: ownership, the care team, teaching. */
@ApplicationScoped
public class CaseFileRelations {

    public CaseFileAccess.Relation of(Caller caller, CaseFile file) {
        if (!caller.belongsTo(file.organisationId)) {
            return CaseFileAccess.Relation.NONE;
        }
        boolean owner = caller.subject().equals(file.ownerSubject);
        boolean member = CareTeamMember.isMember(file.id, caller.username());
        return new CaseFileAccess.Relation(true, owner, member, teaches(caller, file.organisationId, file.pupilId));
    }

    /** Whether the caller teaches the pupil's class group, by the school's staff directory. */
    public boolean teaches(Caller caller, String organisationId, String pupilId) {
        String classGroup = Pupil.of(organisationId, pupilId).map(p -> p.classGroup).orElse(null);
        return classGroup != null && StaffMember.of(organisationId, caller.username())
                .map(s -> s.classGroupSet().contains(classGroup)).orElse(false);
    }

    /** R1: whether the caller owns, or is on the care team of, any case file of the pupil. */
    public boolean onACareTeamOf(Caller caller, String organisationId, String pupilId) {
        return CaseFile.ofPupil(organisationId, pupilId).stream()
                .anyMatch(f -> caller.subject().equals(f.ownerSubject) || CareTeamMember.isMember(f.id, caller.username()));
    }
}
