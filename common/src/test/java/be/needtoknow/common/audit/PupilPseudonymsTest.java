package be.needtoknow.common.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Pseudonyms of the audit trail (docs/security-model.md): stable, keyed, per school, no identifier inside. */
class PupilPseudonymsTest {

    private final PupilPseudonyms pseudonyms = new PupilPseudonyms("a-deployment-secret");

    @Test
    void theSamePupilAlwaysGetsTheSamePseudonym() {
        assertEquals(pseudonyms.of("school-a", "p-1"), new PupilPseudonyms("a-deployment-secret").of("school-a", "p-1"));
    }

    @Test
    void itIsHmacSha256OfOrganisationNewlinePupilAsHex() {
        // RFC 4231-style check against the JDK's HMAC, computed independently here.
        String expected = java.util.HexFormat.of().formatHex(hmac("a-deployment-secret", "school-a\np-1"));
        assertEquals(expected, pseudonyms.of("school-a", "p-1"));
        assertTrue(pseudonyms.of("school-a", "p-1").matches("[0-9a-f]{64}"));
    }

    @Test
    void anotherSchoolOrAnotherKeyGivesAnotherPseudonym() {
        assertNotEquals(pseudonyms.of("school-a", "p-1"), pseudonyms.of("school-b", "p-1"));
        assertNotEquals(pseudonyms.of("school-a", "p-1"), new PupilPseudonyms("another-secret").of("school-a", "p-1"));
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        assertNotEquals(pseudonyms.of("ab", "c"), pseudonyms.of("a", "bc"));
    }

    private static byte[] hmac(String key, String message) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
