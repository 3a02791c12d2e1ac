package be.needtoknow.referrals.family;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import be.needtoknow.referrals.consent.ConsentRecord;
import be.needtoknow.referrals.referral.Feedback;
import be.needtoknow.referrals.referral.Item;
import be.needtoknow.referrals.referral.TransferNotice;

/**
 * T4: what referral-service holds on one pupil, for case-service's right-of-access package: every
 * referral and transfer that was sent, as it was sent, except what {@link #leftOut} names (M1).
 */
public record PupilRecordsView(List<PupilReferral> referrals, List<String> leftOut) {

    /** M1, GDPR art. 15(4): in the parents' package, the referrals a pupil of 12 or more kept from them. */
    public static final String KEPT_FROM_PARENTS = "referrals-kept-from-parents";

    /**
     * One referral or transfer as it was sent: to whom, its items byte for byte as the recipient got
     * them (N1), the discussion it was sent on (T1), its legal basis, the transfer's notices and their
     * answers (X), and the feedback the recipient released for the school (C2). No internal id.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PupilReferral(String kind, String recipient, String recipientType, String status, OffsetDateTime sentAt,
            String legalBasis, List<Item> items, ConsentRecord consent, List<PupilTransferNotice> notices,
            List<Feedback.View> feedback) {
    }

    /** A transfer notice (X): to whom, its period, the answer; never its link. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PupilTransferNotice(TransferNotice.Party party, OffsetDateTime issuedAt, OffsetDateTime periodEndsAt,
            TransferNotice.Answer answer, OffsetDateTime answeredAt, String objection, OffsetDateTime supersededAt) {
    }
}
