package be.needtoknow.testing;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Signs access tokens shaped like the realm's (realm_access.roles, the organisation claim,
 * preferred_username, the audience of the suite) with the key of {@link TestStack}; and makes the
 * bad tokens a service must refuse: expired, not yet valid, of another issuer or audience,
 * unsigned, tampered with, signed by another key.
 */
public final class TestTokens {

    /** The audience the realm puts in every access token and every service requires. */
    public static final String AUDIENCE = "need-to-know";

    private TestTokens() {
    }

    /** A person or system of an organisation with realm roles. */
    public static String of(String username, String organisationId, String organisationType, String... roles) {
        return withOrganisation(claims(username, roles), organisationId, organisationType).sign(privateKey());
    }

    /** A token that lacks the organisation claim. */
    public static String withoutOrganisation(String username, String... roles) {
        return claims(username, roles).sign(privateKey());
    }

    /** Well signed, but its lifetime ended ten minutes ago (well beyond any clock skew). */
    public static String expired(String username, String organisationId, String organisationType, String... roles) {
        long now = Instant.now().getEpochSecond();
        return withOrganisation(claims(username, roles), organisationId, organisationType)
                .issuedAt(now - 900).expiresAt(now - 600).sign(privateKey());
    }

    /** Well signed and valid now, for a few seconds only: to see it refused once it expired. */
    public static String expiringIn(java.time.Duration lifetime, String username, String organisationId,
            String organisationType, String... roles) {
        long now = Instant.now().getEpochSecond();
        return withOrganisation(claims(username, roles), organisationId, organisationType)
                .issuedAt(now).expiresAt(now + lifetime.toSeconds()).sign(privateKey());
    }

    /** Well signed, but valid only from ten minutes from now on (issued then, not before then). */
    public static String notYetValid(String username, String organisationId, String organisationType, String... roles) {
        long now = Instant.now().getEpochSecond();
        return withOrganisation(claims(username, roles), organisationId, organisationType)
                .issuedAt(now + 600).claim("nbf", now + 600).expiresAt(now + 900).sign(privateKey());
    }

    /** Well signed, with the test key, but issued by another issuer. */
    public static String ofIssuer(String issuer, String username, String organisationId, String organisationType,
            String... roles) {
        return withOrganisation(claims(username, roles), organisationId, organisationType).issuer(issuer)
                .sign(privateKey());
    }

    /** Well signed, but meant for another audience (another service of the same realm). */
    public static String forAudience(String audience, String username, String organisationId, String organisationType,
            String... roles) {
        return withOrganisation(claims(username, roles), organisationId, organisationType).audience(audience)
                .sign(privateKey());
    }

    /** Well-formed and well-meant, but signed by a key the services do not know. */
    public static String signedByAnotherKey(String username, String organisationId, String organisationType,
            String... roles) {
        return withOrganisation(claims(username, roles), organisationId, organisationType)
                .sign(OtherKey.PAIR.getPrivate());
    }

    /**
     * The claims of a good token with the header {"alg":"none"} and no signature: a token that
     * merely claims to need no verification.
     */
    public static String unsigned(String username, String organisationId, String organisationType, String... roles) {
        String[] parts = of(username, organisationId, organisationType, roles).split("\\.");
        return base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
    }

    /**
     * A good token whose claims were changed after signing, its signature kept: the caller grants
     * itself the care coordinator's role.
     */
    public static String tampered(String token) {
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String escalated = claims.replace("\"roles\":[", "\"roles\":[\"care-coordinator\",");
        if (escalated.equals(claims)) {
            throw new IllegalArgumentException("the token has no realm roles to tamper with");
        }
        return parts[0] + "." + base64Url(escalated) + "." + parts[2];
    }

    private static JwtClaimsBuilder claims(String username, String... roles) {
        return Jwt.issuer(TestStack.ISSUER)
                .audience(AUDIENCE)
                .subject(UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)).toString())
                .claim("preferred_username", username)
                .claim("realm_access", Map.of("roles", List.of(roles)))
                .expiresIn(300);
    }

    private static JwtClaimsBuilder withOrganisation(JwtClaimsBuilder claims, String organisationId,
            String organisationType) {
        return claims.claim("organisation", Map.of("id", organisationId, "type", organisationType));
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static PrivateKey privateKey() {
        try {
            byte[] encoded = Base64.getDecoder().decode(System.getProperty(TestStack.PRIVATE_KEY_PROPERTY));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(encoded));
        } catch (Exception e) {
            throw new IllegalStateException("No test key: is TestStack the test resource?", e);
        }
    }

    /** A key pair of nobody the services trust, made once. */
    private static final class OtherKey {
        static final KeyPair PAIR = TestStack.rsaKeys();
    }
}
