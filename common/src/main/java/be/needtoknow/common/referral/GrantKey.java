package be.needtoknow.common.referral;

import io.smallrye.config.ConfigMapping;

/**
 * The key that case-service and referral-service alone hold, with which each signs the grants the
 * other checks: referral-service's {@link ReferralGrant}s (case-service hands a note over, or sends a
 * family its link, only for a referral the other vouches for) and case-service's {@link AccessGrant}s
 * (the family's access package asks referral-service for the pupil's referrals). A deployment secret
 * ({@code NTK_REFERRAL_GRANT_KEY}); its development default lives in the local profile only, and the
 * prod profile refuses it. One typed setting, read by the framework at start-up (a service without
 * it does not start), instead of the same property injected by name in every class that signs or
 * checks.
 */
@ConfigMapping(prefix = "ntk.referral-grant")
public interface GrantKey {

    /** The shared key, as text. */
    String key();
}
