package be.needtoknow.referrals.referral;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** C2: a message the recipient released for the school. Nothing else of its file flows back (C1). */
@Entity
@Table(name = "referral_feedback")
public class Feedback extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "referral_id", nullable = false)
    public UUID referralId;

    @Column(nullable = false)
    public String text;

    @Column(name = "released_by", nullable = false)
    public String releasedBy;

    @Column(name = "released_at", nullable = false)
    public OffsetDateTime releasedAt;

    static List<Feedback> of(UUID referralId) {
        return list("referralId = ?1 order by releasedAt", referralId);
    }

    /** As the school sees it. */
    public record View(String text, String releasedBy, OffsetDateTime releasedAt) {
        static View of(Feedback f) {
            return new View(f.text, f.releasedBy, f.releasedAt);
        }
    }
}
