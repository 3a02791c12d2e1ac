package be.needtoknow.common.referral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class ReferralGrantTest {

    static final String KEY = "test-only-key";

    @Test
    void n1_aGrantVerifiesWithItsKeyUntilItExpiresAndNeverOtherwise() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        ReferralGrant grant = ReferralGrant.of(UUID.randomUUID(), "school-sint-jan", "sj.1001|x", "subject-1", now);
        String token = grant.sign(KEY);
        assertEquals(Optional.of(grant), ReferralGrant.verify(token, KEY, now));
        assertEquals(Optional.of(grant), ReferralGrant.verify(token, KEY, now.plusSeconds(ReferralGrant.VALIDITY_SECONDS)));
        assertTrue(ReferralGrant.verify(token, KEY, now.plusSeconds(ReferralGrant.VALIDITY_SECONDS + 1)).isEmpty(), "expired");
        assertTrue(ReferralGrant.verify(token, "another-key", now).isEmpty(), "another key");
        // Another pupil in the same MAC: refused.
        String other = ReferralGrant.of(grant.referralId(), "school-sint-jan", "sj-1002", "subject-1", now).sign(KEY);
        String swapped = other.substring(0, other.lastIndexOf('.')) + token.substring(token.lastIndexOf('.'));
        assertTrue(ReferralGrant.verify(swapped, KEY, now).isEmpty(), "a changed field");
        for (String bad : new String[] { null, "", ".", "g1", "g1.x.y", token + "x", "%%%." + "AAAA", "x".repeat(3000) }) {
            assertTrue(ReferralGrant.verify(bad, KEY, now).isEmpty(), String.valueOf(bad));
        }
    }
}
