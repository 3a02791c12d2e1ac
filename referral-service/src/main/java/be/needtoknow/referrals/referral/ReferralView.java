package be.needtoknow.referrals.referral;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A referral or transfer. The school sees everything of its own, with the family's notices (a
 * transfer's, X; a referral's sent with consent, T1, T3): to whom and how each link was sent, never
 * the link, which goes to the family only; and once withdrawn, who withdrew (the school, or the pupil
 * or the parents through their notice), when, and the family's reason if they gave one (T3). A
 * recipient sees what it was sent and the status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReferralView(UUID id, Referral.Kind kind, String pupilId, String recipientId, ReferralStatus status,
        String owner, List<Item> items, Boolean consentCoversItems, Boolean afterDefinitiveExclusion,
        List<TransferNotices.NoticeView> notices, String declineReason, OffsetDateTime createdAt, OffsetDateTime sentAt,
        Referral.WithdrawnBy withdrawnBy, OffsetDateTime withdrawnAt, String withdrawalReason) {
}
