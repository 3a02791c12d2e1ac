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

import be.needtoknow.referrals.referral.TransferNotice.Party;

/**
 * T1, T3, M1, M2: what the family is told of a referral sent with their consent — what went to whom
 * and when — through a link that reaches them through their own channel (case-service mails it to
 * the contacts the school platform imported), never through the staff member whose action it shows.
 * The party whose consent counted (the pupil from 12, M1; below 12 the parents, M2) may withdraw
 * that consent through it; the parents of a pupil of 12 or more who did not ask that they not be
 * informed get a notice that informs only ({@link #consentCounted} false). Only the SHA-256 of the
 * link's secret is kept, and what case-service said it sent.
 */
@Entity
@Table(name = "referral_notice")
public class ReferralNotice extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "referral_id", nullable = false)
    public UUID referralId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Party party;

    /** M1, M2: this party's consent is the one that counted, so this party may withdraw it (T3). */
    @Column(name = "consent_counted", nullable = false)
    public boolean consentCounted;

    @Column(name = "secret_hash", nullable = false)
    public String secretHash;

    @Column(name = "issued_at", nullable = false)
    public OffsetDateTime issuedAt;

    /** case-service's record of the message that carried the link: what it sent, never the link. */
    @Column(name = "sent_message_id")
    public UUID sentMessageId;

    @Column(name = "sent_channel")
    public String sentChannel;

    @Column(name = "sent_addresses")
    public Integer sentAddresses;

    @Column(name = "sent_at")
    public OffsetDateTime sentAt;

    /** case-service's words for it ("sent to the pupil (1 address) by e-mail on …"): no address. */
    @Column(name = "sent_summary")
    public String sentSummary;

    /** T3: when this notice's holder withdrew the consent. */
    @Column(name = "withdrawn_at")
    public OffsetDateTime withdrawnAt;

    /** T3: why, in the holder's own words (optional), for the school. */
    @Column(name = "withdrawal_reason")
    public String withdrawalReason;

    static List<ReferralNotice> of(Referral r) {
        return list("referralId = ?1 order by party", r.id);
    }
}
