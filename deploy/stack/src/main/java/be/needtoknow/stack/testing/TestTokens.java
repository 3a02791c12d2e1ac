package be.needtoknow.stack.testing;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Signs access tokens shaped like the realm's (realm_access.roles, the organisation claim,
 * preferred_username) with the key of {@link TestStack}.
 */
public final class TestTokens {

    private TestTokens() {
    }

    /** A person or system of an organisation with realm roles. */
    public static String of(String username, String organisationId, String organisationType, String... roles) {
        return claims(username, roles).claim("organisation", Map.of("id", organisationId, "type", organisationType))
                .sign(privateKey());
    }

    /** A token that lacks the organisation claim. */
    public static String withoutOrganisation(String username, String... roles) {
        return claims(username, roles).sign(privateKey());
    }

    private static JwtClaimsBuilder claims(String username, String... roles) {
        return Jwt.issuer(TestStack.ISSUER)
                .subject(UUID.nameUUIDFromBytes(username.getBytes()).toString())
                .claim("preferred_username", username)
                .claim("realm_access", Map.of("roles", List.of(roles)))
                .expiresIn(300);
    }

    private static PrivateKey privateKey() {
        try {
            byte[] encoded = Base64.getDecoder().decode(System.getProperty(TestStack.PRIVATE_KEY_PROPERTY));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(encoded));
        } catch (Exception e) {
            throw new IllegalStateException("No test key: is TestStack the test resource?", e);
        }
    }
}
