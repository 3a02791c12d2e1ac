package be.needtoknow.referrals.referral;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A referral or transfer. The school sees everything of its own, with a transfer's notices: to whom
 * and how each link was sent, never the link, which goes to the family only (X); a recipient sees
 * what it was sent and the status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReferralView(UUID id, Referral.Kind kind, String pupilId, String recipientId, ReferralStatus status,
        String owner, List<Item> items, Boolean consentCoversItems, Boolean afterDefinitiveExclusion,
        List<TransferNotices.NoticeView> notices, String declineReason, OffsetDateTime createdAt, OffsetDateTime sentAt) {
}
