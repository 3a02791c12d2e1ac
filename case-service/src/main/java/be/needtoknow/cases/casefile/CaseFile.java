package be.needtoknow.cases.casefile;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The school's internal case file on a pupil. */
@Entity
@Table(name = "case_file")
public class CaseFile extends PanacheEntityBase {

    public enum Status {
        OPEN, CLOSED
    }

    @Id
    public UUID id;

    @Column(name = "organisation_id", nullable = false)
    public String organisationId;

    @Column(name = "pupil_id", nullable = false)
    public String pupilId;

    @Column(name = "owner_subject", nullable = false)
    public String ownerSubject;

    @Column(name = "owner_username", nullable = false)
    public String ownerUsername;

    @Column(nullable = false)
    public String reason;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "opened_at", nullable = false)
    public OffsetDateTime openedAt;

    @Column(name = "closed_at")
    public OffsetDateTime closedAt;

    public static List<CaseFile> ofPupil(String organisationId, String pupilId) {
        return list("organisationId = ?1 and pupilId = ?2 order by openedAt", organisationId, pupilId);
    }

    public static Optional<CaseFile> openOf(String organisationId, String pupilId) {
        return find("organisationId = ?1 and pupilId = ?2 and status = ?3", organisationId, pupilId, Status.OPEN)
                .firstResultOptional();
    }

    static boolean openFor(String organisationId, String pupilId) {
        return count("organisationId = ?1 and pupilId = ?2 and status = ?3", organisationId, pupilId, Status.OPEN) > 0;
    }

    static List<CaseFile> ofSchool(String organisationId) {
        return list("organisationId = ?1 order by openedAt desc", organisationId);
    }

    /** R1: the open files on whose care team the staff member is, as owner or named member. */
    static List<CaseFile> openWithCareTeamMember(String organisationId, String username) {
        return list("organisationId = ?1 and status = ?2 and (ownerUsername = ?3 or id in "
                + "(select m.caseFileId from CareTeamMember m where m.username = ?3)) order by openedAt",
                organisationId, Status.OPEN, username);
    }

    /** The files the person owns or is a named care-team member of. */
    static List<CaseFile> onCareTeamOf(String organisationId, String subject, String username) {
        return list("organisationId = ?1 and (ownerSubject = ?2 or id in "
                + "(select m.caseFileId from CareTeamMember m where m.username = ?3)) order by openedAt desc",
                organisationId, subject, username);
    }
}
