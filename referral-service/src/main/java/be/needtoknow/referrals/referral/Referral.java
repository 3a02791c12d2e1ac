package be.needtoknow.referrals.referral;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A referral to the CLB or external care, or a transfer to another school. */
@Entity
@Table(name = "referral")
public class Referral extends PanacheEntityBase {

    public enum Kind {
        REFERRAL, TRANSFER
    }

    /** T3: who withdrew a referral: the school, or the family whose consent counted, through its notice. */
    public enum WithdrawnBy {
        SCHOOL, PARENTS, PUPIL
    }

    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind kind;

    @Column(name = "school_id", nullable = false)
    public String schoolId;

    @Column(name = "pupil_id", nullable = false)
    public String pupilId;

    /**
     * For the age-12 presumption (M1, M2) only; never sent. The pupil register's (case-service), as
     * it was asked when the draft was created and again when consent was last recorded.
     */
    @Column(name = "pupil_birth_date", nullable = false)
    public LocalDate pupilBirthDate;

    @Column(name = "recipient_id", nullable = false)
    public String recipientId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ReferralStatus status;

    @Column(name = "owner_subject", nullable = false)
    public String ownerSubject;

    @Column(name = "owner_username", nullable = false)
    public String ownerUsername;

    /** The chosen items as JSON. */
    @Column(nullable = false)
    public String items;

    /**
     * N1, A1: the ids of the case-service notes among the items (comma-separated, empty when none),
     * never sent: sending records one disclosure per note. Replaced together with the items.
     */
    @Column(name = "chosen_notes", nullable = false)
    public String chosenNotes = "";

    @Column(name = "items_hash", nullable = false)
    public String itemsHash;

    /** The consent record as JSON, or null. */
    public String consent;

    /** T2: the hash of the items that the consent (or the urgent-danger basis) covers. */
    @Column(name = "consent_items_hash")
    public String consentItemsHash;

    /** consent, or vital-interest (urgent danger, without consent). */
    @Column(name = "legal_basis", nullable = false)
    public String legalBasis;

    /**
     * M1: whether the pupil was capable of discernment as decided when consent was last recorded
     * (the register's birth date then, or an override, M3): whose consent counts, and so who may
     * withdraw it (T3). Null before consent, and for urgent danger.
     */
    @Column(name = "consent_pupil_capable")
    public Boolean consentPupilCapable;

    @Column(name = "urgent_justification")
    public String urgentJustification;

    /** X: the transfer follows a definitive exclusion; the discussion with parents and pupil holds all the same. Never sent. */
    @Column(name = "after_definitive_exclusion", nullable = false)
    public boolean afterDefinitiveExclusion;

    @Column(name = "decline_reason")
    public String declineReason;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Column(name = "sent_at")
    public OffsetDateTime sentAt;

    /** T3: who withdrew it, and when. */
    @Enumerated(EnumType.STRING)
    @Column(name = "withdrawn_by")
    public WithdrawnBy withdrawnBy;

    @Column(name = "withdrawn_at")
    public OffsetDateTime withdrawnAt;

    static Optional<Referral> ofSchool(String schoolId, UUID id) {
        return find("id = ?1 and schoolId = ?2", id, schoolId).firstResultOptional();
    }

    /**
     * The referral, its row locked until the transaction ends (T2): every change of a referral (its
     * items, its consent, its sending, a move by either side) takes this lock first, so two changes
     * of one referral run one after the other and each sees what the other wrote. A send therefore
     * publishes the items as they are when it runs, and an edit that waited finds the referral SENT.
     */
    static Optional<Referral> ofSchoolForChange(String schoolId, UUID id) {
        return find("id = ?1 and schoolId = ?2", id, schoolId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** Only what was sent to this recipient: a draft is not the recipient's yet. */
    static Optional<Referral> addressedTo(String recipientId, UUID id) {
        return find("id = ?1 and recipientId = ?2 and sentAt is not null", id, recipientId).firstResultOptional();
    }

    /** As {@link #addressedTo(String, UUID)}, its row locked for a change (see {@link #ofSchoolForChange}). */
    static Optional<Referral> addressedToForChange(String recipientId, UUID id) {
        return find("id = ?1 and recipientId = ?2 and sentAt is not null", id, recipientId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    static List<Referral> ownedBy(String schoolId, String ownerSubject) {
        return list("schoolId = ?1 and ownerSubject = ?2 order by createdAt desc", schoolId, ownerSubject);
    }

    static List<Referral> addressedTo(String recipientId) {
        return list("recipientId = ?1 and sentAt is not null order by sentAt desc", recipientId);
    }
}
