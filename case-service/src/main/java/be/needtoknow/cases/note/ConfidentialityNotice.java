package be.needtoknow.cases.note;

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

/**
 * S1: the record that the pupil was told plainly that the school cannot guarantee secrecy and
 * that information may go to the principal, colleagues or the CLB — by whom, when, how.
 */
@Entity
@Table(name = "confidentiality_notice")
public class ConfidentialityNotice extends PanacheEntityBase {

    public enum How {
        SPOKEN, WRITTEN
    }

    @Id
    public UUID id;

    @Column(name = "case_file_id", nullable = false)
    public UUID caseFileId;

    @Column(name = "given_by", nullable = false)
    public String givenBy;

    @Column(name = "given_at", nullable = false)
    public OffsetDateTime givenAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public How how;

    @Column(name = "recorded_at", nullable = false)
    public OffsetDateTime recordedAt;

    public static List<ConfidentialityNotice> of(UUID caseFileId) {
        return list("caseFileId = ?1 order by givenAt", caseFileId);
    }
}
