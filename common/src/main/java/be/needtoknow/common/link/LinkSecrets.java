package be.needtoknow.common.link;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Links whose secret is the credential: the parents' and pupil's transfer notices, the right-of-access
 * package. A link is {@code <id>.<secret>}: the id finds the record (so that a wrong secret is audited
 * against the right pupil), the secret proves the holder. The service keeps the secret's SHA-256 only,
 * hands the link out once, and compares in constant time. Hand-written: the JDK's SecureRandom and
 * MessageDigest are all it takes.
 */
public final class LinkSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private LinkSecrets() {
    }

    /** A link as presented: the record's id (empty when the link names none) and the secret given. */
    public record Presented(Optional<UUID> id, String secret) {

        public static Presented of(String link) {
            int dot = link.indexOf('.');
            Optional<UUID> id;
            try {
                id = Optional.of(UUID.fromString(dot < 0 ? link : link.substring(0, dot)));
            } catch (IllegalArgumentException e) {
                id = Optional.empty();
            }
            return new Presented(id, dot < 0 ? "" : link.substring(dot + 1));
        }

        /** Whether the secret given is the one whose hash is kept. */
        public boolean matches(String secretHash) {
            return MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.UTF_8),
                    secretHash.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A new secret: 32 random bytes, base64url without padding. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The link of a record with this id and secret. */
    public static String link(UUID id, String secret) {
        return id + "." + secret;
    }

    /** What is kept of a secret: its SHA-256, hex. */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
