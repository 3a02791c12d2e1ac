package be.needtoknow.cases.family;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import be.needtoknow.cases.pupil.FamilyContact.Addressee;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * What the family channel sent: which kind of message, to the parents or the pupil, through which
 * channel, to how many addresses, when, issued by whom, about which record. Never the address,
 * never the link: the link's secret is the family's credential and only its addressee gets it.
 */
@Entity
@Table(name = "family_message")
public class FamilyMessage extends PanacheEntityBase {

    /** What a message brings the family. */
    public enum Kind {
        /** X: a transfer's item list, with the period to object (referral-service's page). */
        TRANSFER_NOTICE,
        /** T4: what the school holds on the pupil (case-service's page). */
        ACCESS_PACKAGE,
        /** T1, T3: a referral sent with the family's consent: what went to whom, and how to withdraw (referral-service's page). */
        REFERRAL_NOTICE
    }

    /** How a message reaches the family: by e-mail, or through the school platform's letterbox. */
    public enum Channel {
        MAIL, LETTERBOX
    }

    @Id
    public UUID id;

    @Column(name = "organisation_id", nullable = false)
    public String organisationId;

    @Column(name = "pupil_id", nullable = false)
    public String pupilId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind kind;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Addressee addressee;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Channel channel;

    /** How many addresses it went to (one message each). */
    @Column(nullable = false)
    public int addresses;

    @Column(name = "sent_at", nullable = false)
    public OffsetDateTime sentAt;

    /** The staff member (or system) whose action the message is about and who issued it. */
    @Column(name = "issued_by", nullable = false)
    public String issuedBy;

    @Column(name = "about_type", nullable = false)
    public String aboutType;

    @Column(name = "about_id", nullable = false)
    public String aboutId;

    /** The latest message about a record (an access request, a transfer notice). */
    public static Optional<FamilyMessage> latestAbout(String aboutType, String aboutId) {
        return find("aboutType = ?1 and aboutId = ?2 order by sentAt desc", aboutType, aboutId).firstResultOptional();
    }
}
