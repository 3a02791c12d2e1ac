package be.needtoknow.common.referral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import be.needtoknow.common.referral.AccessGrant.Requester;

class AccessGrantTest {

    static final String KEY = "test-only-key";
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void t4_aGrantVerifiesWithItsKeyUntilItExpiresAndNeverOtherwise() {
        AccessGrant grant = AccessGrant.of(UUID.randomUUID(), "school-sint-jan", "sj.1001|x", Requester.PARENTS, true, NOW);
        String token = grant.sign(KEY);
        assertEquals(Optional.of(grant), AccessGrant.verify(token, KEY, NOW));
        assertEquals(Optional.of(grant), AccessGrant.verify(token, KEY, NOW.plusSeconds(AccessGrant.VALIDITY_SECONDS)));
        assertTrue(AccessGrant.verify(token, KEY, NOW.plusSeconds(AccessGrant.VALIDITY_SECONDS + 1)).isEmpty(), "expired");
        assertTrue(AccessGrant.verify(token, "another-key", NOW).isEmpty(), "another key");
    }

    @Test
    void m1_t4_aForgedGrantIsRefused() {
        AccessGrant grant = AccessGrant.of(UUID.randomUUID(), "school-sint-jan", "sj-1001", Requester.PARENTS, true, NOW);
        String token = grant.sign(KEY);
        // The parents turning "may not see" off under the same MAC: refused (M1).
        String lifted = new AccessGrant(grant.requestId(), grant.schoolId(), grant.pupilId(), Requester.PARENTS, false,
                grant.expiresAt()).sign(KEY);
        String swapped = lifted.substring(0, lifted.lastIndexOf('.')) + token.substring(token.lastIndexOf('.'));
        assertTrue(AccessGrant.verify(swapped, KEY, NOW).isEmpty(), "a changed field");
        String asPupil = token.replace(".PARENTS.", ".PUPIL.");
        assertTrue(AccessGrant.verify(asPupil, KEY, NOW).isEmpty(), "another requester");
    }

    @Test
    void t4_aReferralGrantNeverPassesForAnAccessGrant() {
        String referral = ReferralGrant.of(UUID.randomUUID(), "school-sint-jan", "sj-1001", "subject-1", NOW).sign(KEY);
        assertTrue(AccessGrant.verify(referral, KEY, NOW).isEmpty());
        String access = AccessGrant.of(UUID.randomUUID(), "school-sint-jan", "sj-1001", Requester.PUPIL, false, NOW).sign(KEY);
        assertTrue(ReferralGrant.verify(access, KEY, NOW).isEmpty());
    }

    @Test
    void t4_aMalformedGrantIsRefused() {
        String token = AccessGrant.of(UUID.randomUUID(), "s", "p", Requester.PUPIL, false, NOW).sign(KEY);
        for (String bad : new String[] { null, "", ".", "a1", "a1.x.y", token + "x", "%%%." + "AAAA", "x".repeat(3000) }) {
            assertTrue(AccessGrant.verify(bad, KEY, NOW).isEmpty(), String.valueOf(bad));
        }
    }
}
