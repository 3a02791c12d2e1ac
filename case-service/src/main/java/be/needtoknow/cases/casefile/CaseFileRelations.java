package be.needtoknow.cases.casefile;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import be.needtoknow.common.caller.Caller;

/** Looks up the facts of a {@link CaseFileAccess.Relation}: ownership, the care team, teaching. */
@ApplicationScoped
public class CaseFileRelations {

    @Inject
    EntityManager entityManager;

    /**
     * A case file of the caller's school, the caller's relation to it, and whether the pupil was
     * told that the school cannot keep secrets (S1): what every action on a case file asks first.
     */
    public record Found(CaseFile file, CaseFileAccess.Relation relation, boolean noticeGiven) {
    }

    /*
     * One statement for the gate of every request on a case file (a note write or read asked five
     * before the performance work on the note path): the file, whether the caller is a named member
     * of its care team, whether the caller teaches the pupil's class group by the staff directory,
     * and whether the S1 notice is on record. Ownership is the subject's and is compared in Java.
     * Class groups are stored comma-joined (StaffMember), so ",3A," is looked for in ",3A,4B,"
     * (exact, no wildcards). HQL rather than SQL: Hibernate keeps its translation, where a native
     * query with an entity result is mapped again on every call (a third of a note write's
     * processor time, measured with JFR).
     */
    private static final String FIND = """
            select f,
                   case when exists (select 1 from CareTeamMember m
                                      where m.caseFileId = f.id and m.username = :username) then true else false end,
                   case when exists (select 1 from Pupil p, StaffMember s
                                      where p.key.organisationId = f.organisationId and p.key.pupilId = f.pupilId
                                        and s.key.organisationId = f.organisationId and s.key.username = :username
                                        and locate(concat(',', p.classGroup, ','), concat(',', s.classGroups, ',')) > 0)
                        then true else false end,
                   case when exists (select 1 from ConfidentialityNotice n where n.caseFileId = f.id)
                        then true else false end
              from CaseFile f
             where f.id = :id and f.organisationId = :organisation""";

    /** Only within the caller's own school: another school's id is as unknown as a random one. */
    public Optional<Found> find(Caller caller, UUID id) {
        List<Object[]> rows = entityManager.createQuery(FIND, Object[].class)
                .setParameter("username", caller.username())
                .setParameter("id", id)
                .setParameter("organisation", caller.organisationId())
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = rows.get(0);
        CaseFile file = (CaseFile) row[0];
        boolean owner = caller.subject().equals(file.ownerSubject);
        return Optional.of(new Found(file, new CaseFileAccess.Relation(true, owner, (Boolean) row[1], (Boolean) row[2]),
                (Boolean) row[3]));
    }

    public CaseFileAccess.Relation of(Caller caller, CaseFile file) {
        if (!caller.belongsTo(file.organisationId)) {
            return CaseFileAccess.Relation.NONE;
        }
        return find(caller, file.id).map(Found::relation).orElse(CaseFileAccess.Relation.NONE);
    }

    /** R1: whether the caller owns, or is on the care team of, any case file of the pupil. */
    public boolean onACareTeamOf(Caller caller, String organisationId, String pupilId) {
        return CaseFile.ofPupil(organisationId, pupilId).stream()
                .anyMatch(f -> caller.subject().equals(f.ownerSubject) || CareTeamMember.isMember(f.id, caller.username()));
    }
}
