package be.needtoknow.referrals.referral;

import java.util.List;
import java.util.UUID;

/**
 * Exactly what a recipient receives (N1, N2): the referral's id and kind, who sends it to whom, the
 * chosen items, and the basis on which it is sent. The preview is these bytes; the event's data
 * is these bytes.
 */
public record ReferralPayload(UUID referralId, Referral.Kind kind, String schoolId, String recipientId,
        String legalBasis, List<Item> items) {

    public static final String SENT = "be.needtoknow.referral.sent.v1";
    public static final String WITHDRAWN = "be.needtoknow.referral.withdrawn.v1";
}
