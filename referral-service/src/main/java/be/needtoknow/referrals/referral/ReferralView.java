package be.needtoknow.referrals.referral;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A referral as the school sees it: status and, for the school only, its items and consent state. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReferralView(UUID id, Referral.Kind kind, String pupilId, String recipientId, ReferralStatus status,
        String owner, List<Item> items, Boolean consentCoversItems, String declineReason, OffsetDateTime createdAt,
        OffsetDateTime sentAt) {
}
