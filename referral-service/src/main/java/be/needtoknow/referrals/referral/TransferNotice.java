package be.needtoknow.referrals.referral;

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
 * X: what the parents (and a pupil capable of discernment) are shown of a transfer before it is
 * sent — the agreed item list — with a period to object. Reached through a link (they have no
 * account) that this service delivers to them through their own channel (case-service mails it to
 * the contacts the school platform imported), never through the staff member whose action they
 * check; only the SHA-256 of the link's secret is kept, and what case-service said it sent.
 */
@Entity
@Table(name = "transfer_notice")
public class TransferNotice extends PanacheEntityBase {

    public enum Party {
        PARENTS, PUPIL
    }

    public enum Answer {
        AGREED, OBJECTED
    }

    @Id
    public UUID id;

    @Column(name = "referral_id", nullable = false)
    public UUID referralId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Party party;

    @Column(name = "secret_hash", nullable = false)
    public String secretHash;

    /** The items this notice showed; a change of items leaves it behind. */
    @Column(name = "items_hash", nullable = false)
    public String itemsHash;

    @Column(name = "issued_at", nullable = false)
    public OffsetDateTime issuedAt;

    @Column(name = "period_ends_at", nullable = false)
    public OffsetDateTime periodEndsAt;

    @Enumerated(EnumType.STRING)
    public Answer answer;

    @Column(name = "answered_at")
    public OffsetDateTime answeredAt;

    /** The objection in the parents' or pupil's own words, for the school. */
    public String objection;

    /** case-service's record of the message that carried the link (X): what it sent, never the link. */
    @Column(name = "sent_message_id")
    public UUID sentMessageId;

    /** How the link was sent: MAIL. */
    @Column(name = "sent_channel")
    public String sentChannel;

    /** To how many of the party's registered addresses. */
    @Column(name = "sent_addresses")
    public Integer sentAddresses;

    @Column(name = "sent_at")
    public OffsetDateTime sentAt;

    /** case-service's words for it ("sent to the parents (2 addresses) by e-mail on …"): no address. */
    @Column(name = "sent_summary")
    public String sentSummary;

    /** Set when the items change or the discussion is recorded again. */
    @Column(name = "superseded_at")
    public OffsetDateTime supersededAt;

    /** The notices that cover the referral's current items. */
    static List<TransferNotice> current(Referral r) {
        return list("referralId = ?1 and supersededAt is null order by party", r.id);
    }

    /** The referral's items changed, or its discussion is recorded again: its notices no longer count. */
    static void supersede(Referral r, OffsetDateTime when) {
        update("supersededAt = ?1 where referralId = ?2 and supersededAt is null", when, r.id);
    }
}
