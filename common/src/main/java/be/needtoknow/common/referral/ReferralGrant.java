package be.needtoknow.common.referral;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * N1: referral-service's word that a referral exists and may have its items chosen now. It is
 * issued by referral-service only while it holds the referral as a draft (or ready) of the caller,
 * its owner, inside the request that chooses the items, and only travels from referral-service to
 * case-service: the caller never sees it. case-service hands a note over for a referral only with a
 * grant that verifies and names the referral, the caller (subject and school) and the note's pupil.
 * <p>
 * Why a signed grant and not a call back from case-service to referral-service: the services are
 * deployed so that referral-service knows case-service's address, not the other way round; a grant
 * needs no new address, no second round trip inside the items request and no cycle between the two
 * services. A caller who calls case-service directly cannot make one: it is an HMAC-SHA256 over all
 * its fields with a key that only the two services hold ({@code ntk.referral-grant.key}, a
 * deployment secret). A grant is short-lived ({@link #VALIDITY_SECONDS}), so a withdrawn or sent
 * referral's grant does not outlive the request it was made for.
 * <p>
 * Its fields are identifiers only (no purpose, no free text): nothing of it reaches the audit trail
 * but the referral's id.
 */
public record ReferralGrant(UUID referralId, String schoolId, String pupilId, String subject, long expiresAt) {

    /** How long a grant is good for: the one items request it is made for, with its retries. */
    public static final long VALIDITY_SECONDS = 60;

    private static final String VERSION = "g1";

    /** A grant for this referral, its school, pupil and owner, valid from now for {@link #VALIDITY_SECONDS}. */
    public static ReferralGrant of(UUID referralId, String schoolId, String pupilId, String subject, Instant now) {
        return new ReferralGrant(referralId, schoolId, pupilId, subject, now.getEpochSecond() + VALIDITY_SECONDS);
    }

    /** The grant as one token: its fields, each base64url, and their MAC, joined by dots. */
    public String sign(String key) {
        String body = String.join(".", VERSION, encode(referralId.toString()), encode(schoolId), encode(pupilId),
                encode(subject), Long.toString(expiresAt));
        return body + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key, body));
    }

    /**
     * The grant a token carries, if its MAC verifies and it has not expired; empty for anything
     * else (malformed, forged, another key, expired). Never says which: a caller learns nothing.
     */
    public static Optional<ReferralGrant> verify(String token, String key, Instant now) {
        if (token == null || token.length() > 2000) {
            return Optional.empty();
        }
        int last = token.lastIndexOf('.');
        if (last < 0) {
            return Optional.empty();
        }
        String body = token.substring(0, last);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(token.substring(last + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac(key, body), given)) {
            return Optional.empty();
        }
        String[] parts = body.split("\\.", -1);
        if (parts.length != 6 || !VERSION.equals(parts[0])) {
            return Optional.empty();
        }
        try {
            ReferralGrant grant = new ReferralGrant(UUID.fromString(decode(parts[1])), decode(parts[2]), decode(parts[3]),
                    decode(parts[4]), Long.parseLong(parts[5]));
            return now.getEpochSecond() <= grant.expiresAt ? Optional.of(grant) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String text) {
        return new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
    }

    private static byte[] mac(String key, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(("ntk-referral-grant:" + key).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
