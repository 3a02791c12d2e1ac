package be.needtoknow.cases.signal;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** S4: a concern about a pupil, reported by any staff member into the care coordinators' intake. */
@Entity
@Table(name = "signal")
public class Signal extends PanacheEntityBase {

    public enum Status {
        NEW, TAKEN_UP
    }

    @Id
    public UUID id;

    @Column(name = "organisation_id", nullable = false)
    public String organisationId;

    @Column(name = "pupil_id", nullable = false)
    public String pupilId;

    @Column(name = "reporter_subject", nullable = false)
    public String reporterSubject;

    @Column(name = "reporter_username", nullable = false)
    public String reporterUsername;

    @Column(nullable = false)
    public String concern;

    @Column(name = "reported_at", nullable = false)
    public OffsetDateTime reportedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "case_file_id")
    public UUID caseFileId;

    @Column(name = "taken_up_by")
    public String takenUpBy;

    @Column(name = "taken_up_at")
    public OffsetDateTime takenUpAt;

    static List<Signal> reportedBy(String organisationId, String subject) {
        return list("organisationId = ?1 and reporterSubject = ?2 order by reportedAt desc", organisationId, subject);
    }

    public static List<Signal> about(String organisationId, String pupilId) {
        return list("organisationId = ?1 and pupilId = ?2 order by reportedAt", organisationId, pupilId);
    }

    static List<Signal> intake(String organisationId) {
        return list("organisationId = ?1 and status = ?2 order by reportedAt", organisationId, Status.NEW);
    }
}
