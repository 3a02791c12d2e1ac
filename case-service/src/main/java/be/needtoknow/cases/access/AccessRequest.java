package be.needtoknow.cases.access;

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
 * T4: a parent's or a pupil's request to learn what the school holds, as the DPO registered it.
 * The requester reads the answer through a link (no account); only the SHA-256 of the link's secret
 * is kept. The row holds no content of the file.
 */
@Entity
@Table(name = "access_request")
public class AccessRequest extends PanacheEntityBase {

    /** Who asked: the parents, or the pupil from 12 (M1). */
    public enum Requester {
        PARENTS, PUPIL
    }

    @Id
    public UUID id;

    @Column(name = "organisation_id", nullable = false)
    public String organisationId;

    @Column(name = "pupil_id", nullable = false)
    public String pupilId;

    @Enumerated(EnumType.STRING)
    @Column(name = "requested_by", nullable = false)
    public Requester requestedBy;

    @Column(name = "requested_at", nullable = false)
    public OffsetDateTime requestedAt;

    /** How the DPO checked who asked (in the DPO's words). */
    @Column(name = "identity_check", nullable = false)
    public String identityCheck;

    @Column(name = "registered_by", nullable = false)
    public String registeredBy;

    @Column(name = "registered_at", nullable = false)
    public OffsetDateTime registeredAt;

    @Column(name = "secret_hash", nullable = false)
    public String secretHash;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "first_read_at")
    public OffsetDateTime firstReadAt;

    @Column(name = "read_count", nullable = false)
    public int readCount;

    static List<AccessRequest> of(String organisationId, String pupilId) {
        return list("organisationId = ?1 and pupilId = ?2 order by registeredAt", organisationId, pupilId);
    }
}
