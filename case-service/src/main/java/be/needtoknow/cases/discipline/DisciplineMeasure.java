package be.needtoknow.cases.discipline;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A disciplinary measure, in a register kept apart from the guidance file (R1): read by the
 * principal and discipline staff only, never eligible for a referral or transfer.
 */
@Entity
@Table(name = "discipline_measure")
public class DisciplineMeasure extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "organisation_id", nullable = false)
    public String organisationId;

    @Column(name = "pupil_id", nullable = false)
    public String pupilId;

    @Column(name = "measure_type", nullable = false)
    public String measureType;

    @Column(name = "decided_on", nullable = false)
    public LocalDate decidedOn;

    @Column(name = "decided_by", nullable = false)
    public String decidedBy;

    @Column(name = "recorded_at", nullable = false)
    public OffsetDateTime recordedAt;

    public static List<DisciplineMeasure> of(String organisationId, String pupilId) {
        return list("organisationId = ?1 and pupilId = ?2 order by decidedOn", organisationId, pupilId);
    }

    /** R1: whether this staff member registered a measure for the pupil (and so may not counsel them). */
    public static boolean registeredBy(String organisationId, String pupilId, String username) {
        return count("organisationId = ?1 and pupilId = ?2 and decidedBy = ?3", organisationId, pupilId, username) > 0;
    }
}
