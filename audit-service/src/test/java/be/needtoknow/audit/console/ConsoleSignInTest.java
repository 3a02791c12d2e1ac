package be.needtoknow.audit.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import be.needtoknow.audit.ConsoleAndWitnesses;
import be.needtoknow.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The console's sign-in as configured (tenant "console" on /console/*): a browser without a session
 * is sent to the realm's authorization endpoint as client ntk-dpo-console, with PKCE (S256); the
 * page after logout needs no session; the API stays on bearer tokens. (The realm itself is not
 * here: its endpoints are given, not discovered; the sign-in through Keycloak's page is deploy/e2e's.)
 */
@QuarkusTest
@TestProfile(ConsoleAndWitnesses.class)
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
public class ConsoleSignInTest {

    /** A stand-in for the realm: it only publishes an (empty) key set; nothing here signs anyone in. */
    static HttpServer realm;
    static String REALM;

    static synchronized String realm() {
        if (realm == null) {
            try {
                realm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            realm.createContext("/realms/need-to-know/protocol/openid-connect/certs", exchange -> {
                byte[] body = "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            realm.start();
            REALM = "http://127.0.0.1:" + realm.getAddress().getPort() + "/realms/need-to-know";
        }
        return REALM;
    }

    @AfterAll
    static void stopRealm() {
        if (realm != null) {
            realm.stop(0);
        }
    }

    /** The console's tenant on, against the stand-in realm (the settings of this class's run, ConsoleAndWitnesses). */
    public static Map<String, String> consoleOn() {
        String url = realm();
        return Map.ofEntries(Map.entry("quarkus.oidc.console.tenant-enabled", "true"),
                Map.entry("quarkus.oidc.console.tenant-paths", "/console/*"),
                Map.entry("quarkus.oidc.console.auth-server-url", url),
                Map.entry("quarkus.oidc.console.discovery-enabled", "false"),
                Map.entry("quarkus.oidc.console.authorization-path", "protocol/openid-connect/auth"),
                Map.entry("quarkus.oidc.console.token-path", "protocol/openid-connect/token"),
                Map.entry("quarkus.oidc.console.jwks-path", "protocol/openid-connect/certs"),
                Map.entry("quarkus.oidc.console.end-session-path", "protocol/openid-connect/logout"),
                Map.entry("quarkus.oidc.console.credentials.secret", "test-only-console-secret"),
                Map.entry("quarkus.oidc.console.authentication.state-secret",
                        "test-only-console-state-secret-0123456789abcdef"));
    }

    @Test
    void a3_aBrowserWithoutASessionIsSentToTheRealmsLoginWithPkce() {
        String realmUrl = realm();
        given().redirects().follow(false).when().get("/console/records?pupilId=x").then().statusCode(302)
                .header("Location", startsWith(realmUrl + "/protocol/openid-connect/auth?"))
                .header("Location", containsString("client_id=ntk-dpo-console"))
                .header("Location", containsString("response_type=code"))
                .header("Location", containsString("code_challenge_method=S256"))
                .header("Location", containsString("code_challenge="))
                .header("Location", containsString("scope=openid"));
        given().redirects().follow(false).when().get("/console").then().statusCode(302)
                .header("Location", startsWith(realmUrl + "/protocol/openid-connect/auth?"));
        // Logout needs a session first (then Keycloak's end-session endpoint, back to /console/signed-out).
        given().redirects().follow(false).when().get("/console/logout").then().statusCode(302)
                .header("Location", startsWith(realmUrl + "/protocol/openid-connect/auth?"));
        // The page after logout needs no session.
        given().redirects().follow(false).when().get("/console/signed-out").then().statusCode(200)
                .body(containsString("U bent afgemeld"));
        // The API is still the bearer tokens' (no redirect): a request without one is a 401 problem.
        given().redirects().follow(false).when().get("/audit-records").then().statusCode(401)
                .contentType("application/problem+json");
        // A path segment "console" elsewhere is still the API's.
        given().redirects().follow(false).when().get("/audit-records/pupils/console/report").then().statusCode(401)
                .contentType("application/problem+json");
    }
}
