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
 * T4: case-service's word that the holder of a right-of-access link may read, for this one access
 * request, what referral-service holds on the pupil. It is issued by case-service only while it
 * serves the package of a link it has verified, and only travels from case-service to
 * referral-service: the family never sees it.
 * <p>
 * Why a signed grant and not a service identity: the family holds the link, not an account, and the
 * services have no identity towards each other. Like {@link ReferralGrant} in the other direction,
 * it is an HMAC-SHA256 over all its fields with the key both services hold
 * ({@code ntk.referral-grant.key}). Its own version tag and MAC prefix mean that a referral grant
 * can never pass for an access grant, nor the other way round. It is short-lived
 * ({@link #VALIDITY_SECONDS}): good for the one package it is made for, with its retries.
 * <p>
 * {@code parentsMayNotSee} is case-service's decision from its register (M1, M2): the requester is
 * the parents and the pupil is 12 or more today, so what the pupil kept from the parents stays out.
 * Its fields are identifiers only: nothing of it reaches the audit trail but the request's id.
 */
public record AccessGrant(UUID requestId, String schoolId, String pupilId, Requester requester,
        boolean parentsMayNotSee, long expiresAt) {

    /** Who asked for the package: the parents, or the pupil themselves. */
    public enum Requester {
        PARENTS, PUPIL
    }

    /** How long a grant is good for: the one package it is made for, with its retries. */
    public static final long VALIDITY_SECONDS = 60;

    private static final String VERSION = "a1";

    /** A grant for this access request, valid from now for {@link #VALIDITY_SECONDS}. */
    public static AccessGrant of(UUID requestId, String schoolId, String pupilId, Requester requester,
            boolean parentsMayNotSee, Instant now) {
        return new AccessGrant(requestId, schoolId, pupilId, requester, parentsMayNotSee,
                now.getEpochSecond() + VALIDITY_SECONDS);
    }

    /** The grant as one token: its fields, each base64url, and their MAC, joined by dots. */
    public String sign(String key) {
        String body = String.join(".", VERSION, encode(requestId.toString()), encode(schoolId), encode(pupilId),
                requester.name(), Boolean.toString(parentsMayNotSee), Long.toString(expiresAt));
        return body + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key, body));
    }

    /**
     * The grant a token carries, if its MAC verifies and it has not expired; empty for anything
     * else (malformed, forged, another key, expired). Never says which: a caller learns nothing.
     */
    public static Optional<AccessGrant> verify(String token, String key, Instant now) {
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
        if (parts.length != 7 || !VERSION.equals(parts[0])) {
            return Optional.empty();
        }
        if (!"true".equals(parts[5]) && !"false".equals(parts[5])) {
            return Optional.empty();
        }
        try {
            AccessGrant grant = new AccessGrant(UUID.fromString(decode(parts[1])), decode(parts[2]), decode(parts[3]),
                    Requester.valueOf(parts[4]), Boolean.parseBoolean(parts[5]), Long.parseLong(parts[6]));
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
            mac.init(new SecretKeySpec(("ntk-access-grant:" + key).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
