package be.needtoknow.referrals.referral;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A referral or transfer. The school sees everything of its own, with a transfer's notices (the
 * links' paths only in the answer that issues them); a recipient sees what it was sent and the status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReferralView(UUID id, Referral.Kind kind, String pupilId, String recipientId, ReferralStatus status,
        String owner, List<Item> items, Boolean consentCoversItems, Boolean afterDefinitiveExclusion,
        List<TransferNotices.NoticeView> notices, String declineReason, OffsetDateTime createdAt, OffsetDateTime sentAt) {
}
