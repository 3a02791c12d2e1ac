package be.needtoknow.common.caller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;

/**
 * Identity-provider failures: a signing key that the realm no longer publishes is removed (its
 * tokens refused); a key set that cannot be read changes nothing (Keycloak down); a key published
 * again is no longer removed. Against a small local HTTP server standing in for the realm's
 * discovery document and key set.
 */
class SigningKeysTest {

    private HttpServer realm;
    private volatile String keySet;
    private volatile int status;
    private SigningKeys keys;

    @BeforeEach
    void start() throws IOException {
        realm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String base = "http://127.0.0.1:" + realm.getAddress().getPort() + "/realms/r";
        realm.createContext("/realms/r/.well-known/openid-configuration", exchange -> {
            byte[] body = ("{\"issuer\": \"" + base + "\", \"jwks_uri\": \"" + base + "/certs\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        realm.createContext("/realms/r/certs", exchange -> {
            byte[] body = keySet.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        realm.start();
        keys = new SigningKeys();
        keys.authServerUrl = Optional.of(base);
        keys.interval = Duration.ofMinutes(1);
    }

    @AfterEach
    void stop() {
        realm.stop(0);
    }

    private void publish(int httpStatus, String... kids) {
        status = httpStatus;
        StringBuilder json = new StringBuilder("{\"keys\": [");
        for (int i = 0; i < kids.length; i++) {
            json.append(i == 0 ? "" : ", ").append("{\"kid\": \"").append(kids[i]).append("\", \"kty\": \"RSA\"}");
        }
        keySet = json.append("]}").toString();
    }

    private void refresh() throws Exception {
        keys.refresh().get(30, TimeUnit.SECONDS);
    }

    private static String token(String kid) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = kid == null ? "{\"alg\":\"RS256\"}" : "{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}";
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("{\"sub\":\"x\"}".getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void aKeyTheRealmNoLongerPublishesIsRemovedAndOneItPublishesAgainIsNot() throws Exception {
        publish(200, "old");
        refresh();
        assertFalse(keys.isRemoved(token("old")));
        publish(200, "old", "new"); // rotation: a key added
        refresh();
        assertFalse(keys.isRemoved(token("old")));
        assertFalse(keys.isRemoved(token("new")));
        publish(200, "new"); // the old key deleted
        refresh();
        assertTrue(keys.isRemoved(token("old")), "the deleted key's tokens are refused");
        assertThrows(AuthenticationFailedException.class, () -> keys.authenticate(
                new TokenAuthenticationRequest(new AccessTokenCredential(token("old"))), null).await().indefinitely());
        assertNull(keys.authenticate(new TokenAuthenticationRequest(new AccessTokenCredential(token("new"))), null)
                .await().indefinitely(), "other tokens are Quarkus OIDC's to verify");
        assertFalse(keys.isRemoved(token("new")));
        assertFalse(keys.isRemoved(token("never-seen")), "a key never seen is Quarkus OIDC's to judge");
        publish(200, "old", "new"); // published again
        refresh();
        assertFalse(keys.isRemoved(token("old")));
    }

    @Test
    void aKeySetThatCannotBeReadChangesNothing() throws Exception {
        publish(200, "k1");
        refresh();
        publish(503, "other");
        refresh(); // an error answer: the keys last read stay
        assertFalse(keys.isRemoved(token("k1")));
        keySet = "<html>not a key set</html>";
        status = 200;
        refresh();
        assertFalse(keys.isRemoved(token("k1")));
        keySet = "{\"no\": \"keys\"}";
        refresh();
        assertFalse(keys.isRemoved(token("k1")));
        realm.stop(0); // nothing answers
        refresh();
        assertFalse(keys.isRemoved(token("k1")));
    }

    @Test
    void theKeyIdIsReadFromTheHeaderOnly() {
        assertEquals("abc", SigningKeys.keyId(token("abc")));
        assertNull(SigningKeys.keyId(token(null)));
        assertNull(SigningKeys.keyId("not-a-jwt"));
        assertNull(SigningKeys.keyId("%%%.x.y"));
        assertNull(SigningKeys.keyId(""));
    }
}
