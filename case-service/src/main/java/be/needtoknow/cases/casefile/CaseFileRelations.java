package be.needtoknow.cases.casefile;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

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
     * One statement for the gate of every request on a case file (issue 15: a note write or read
     * asked five before): the file, whether the caller is a named member of its care team, whether
     * the caller teaches the pupil's class group by the staff directory, and whether the S1 notice
     * is on record. Ownership is the subject's and is compared in Java. Class groups are stored
     * comma-joined (StaffMember).
     */
    private static final String FIND = """
            SELECT {f.*},
                   EXISTS (SELECT 1 FROM care_team_member m
                            WHERE m.case_file_id = f.id AND m.username = :username) AS care_team_member,
                   EXISTS (SELECT 1 FROM pupil p JOIN staff_member s
                                ON s.organisation_id = p.organisation_id AND s.username = :username
                            WHERE p.organisation_id = f.organisation_id AND p.pupil_id = f.pupil_id
                              AND p.class_group = ANY (string_to_array(s.class_groups, ','))) AS teaches_pupil,
                   EXISTS (SELECT 1 FROM confidentiality_notice n WHERE n.case_file_id = f.id) AS notice_given
              FROM case_file f
             WHERE f.id = :id AND f.organisation_id = :organisation""";

    /** Only within the caller's own school: another school's id is as unknown as a random one. */
    public Optional<Found> find(Caller caller, UUID id) {
        @SuppressWarnings("unchecked")
        NativeQuery<Object[]> query = entityManager.unwrap(Session.class).createNativeQuery(FIND)
                .addEntity("f", CaseFile.class)
                .addScalar("care_team_member", StandardBasicTypes.BOOLEAN)
                .addScalar("teaches_pupil", StandardBasicTypes.BOOLEAN)
                .addScalar("notice_given", StandardBasicTypes.BOOLEAN)
                .setParameter("username", caller.username())
                .setParameter("id", id)
                .setParameter("organisation", caller.organisationId());
        List<Object[]> rows = query.getResultList();
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
