package be.needtoknow.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import be.needtoknow.stack.KeycloakServer;
import be.needtoknow.stack.Suite;
import be.needtoknow.stack.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Identity-provider failures, on the real Keycloak: (1) Keycloak down — the tokens it issued
 * go on working from the signing keys the services loaded, the services stay ready, and after its
 * restart new tokens work; (2) a new signing key (rotation) — its tokens are accepted without a
 * restart of the services; (3) a removed signing key — its tokens are refused (401) within the
 * bound {@code ntk.signing-keys.refresh-interval}, shortened here to 2 s, also a token the services
 * remember as verified (common VerifiedTokens). The scenarios run in this order on one suite; the
 * realm ends as it began (the key added in (2) is the one removed in (3)) and Keycloak runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(Order.DEFAULT + 1) // after the clients of the shared suite: it stops Keycloak and rotates its keys (SharedSuite)
@org.junit.jupiter.api.parallel.Isolated // alone: no other class may use the suite meanwhile
class IdentityProviderTest {

    private static final String ADMIN_REALM = "/admin/realms/" + KeycloakServer.REALM;
    private static final List<String> SERVICES = List.of("case-service", "referral-service", "audit-service");

    private Suite suite;
    private String pupil;
    private String caseFile;
    private String referral;
    private Set<String> kidsAtStart;
    /** The key component added in the rotation, removed in the last scenario. */
    private String rotatedComponent;
    private String rotatedCounsellorToken;
    private String rotatedDpoToken;

    @BeforeAll
    void start() throws Exception {
        suite = SharedSuite.get(); // its services read the realm's key set every 2 s: the removed-key bound
        pupil = SharedSuite.newPupil(suite, "idp");
        kidsAtStart = publishedKids();
        String counsellor = userToken("bart.counsellor");
        caseFile = given().baseUri(url("case-service")).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"reason\": \"Worried about bullying during breaks\"}".formatted(pupil))
                .when().post("/case-files").then().statusCode(201).extract().path("id");
        referral = given().baseUri(url("referral-service")).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"recipientId\": \"clb-gent\"}".formatted(pupil))
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        String dpo = userToken("frank.dpo");
        await().atMost(Duration.ofSeconds(60)).until(() -> auditTrail(dpo).statusCode() == 200
                && auditTrail(dpo).jsonPath().getList("record.resourceId").contains(caseFile));
    }

    // --- (1) Keycloak down ------------------------------------------------------------------------

    @Test
    @Order(1)
    void keycloakDown_issuedTokensKeepWorkingTheServicesStayReady_andAfterItsRestartNewTokensWork() throws Exception {
        String usedCounsellor = userToken("bart.counsellor");
        String usedDpo = userToken("frank.dpo");
        assertServes(usedCounsellor, usedDpo);
        // Never shown to a service before the outage: verified from the loaded keys, not remembered.
        String freshCounsellor = userToken("bart.counsellor");
        String freshDpo = userToken("frank.dpo");
        String kidBefore = kid(freshCounsellor);
        // Her own case file, owned by her subject id: after Keycloak's restart on its kept database (as
        // the run command's every start, KeycloakServer.start with keepRealm) she is the same subject.
        String pupil = SharedSuite.newPupil(suite, "idp-kept");
        String file = given().baseUri(url("case-service")).auth().oauth2(freshCounsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"reason\": \"Often absent on Mondays\"}".formatted(pupil))
                .when().post("/case-files").then().statusCode(201).extract().path("id");

        suite.keycloak().stop();
        assertThrows(IllegalStateException.class, () -> userToken("bart.counsellor"), "Keycloak still answers");
        assertServes(freshCounsellor, freshDpo);
        // For several of the services' key-set reads (every 2 s, all failing): still serving, still ready.
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    assertServes(usedCounsellor, usedDpo);
                    return SERVICES.stream().allMatch(s -> suite.readiness(s).up());
                });
        // A token that names a key the services do not know cannot be checked now: 401, not 500.
        String unknownKey = withKid(freshCounsellor, "no-such-key");
        for (String service : List.of("case-service", "referral-service")) {
            given().baseUri(url(service)).auth().oauth2(unknownKey).when().get(path(service))
                    .then().statusCode(401).contentType(containsString("application/problem+json"));
        }

        suite.keycloak().restart();
        suite.keycloak().awaitReady(Duration.ofMinutes(4));
        String after = userToken("bart.counsellor");
        assertEquals(kidBefore, kid(after), "the restarted Keycloak signs with the same key");
        assertEquals(claim(freshCounsellor, "sub"), claim(after, "sub"), "the counsellor is the same subject");
        given().baseUri(url("case-service")).auth().oauth2(after).when().get("/case-files/" + file)
                .then().statusCode(200).body("id", org.hamcrest.Matchers.equalTo(file));
        assertServes(after, userToken("frank.dpo"));
        assertServes(freshCounsellor, freshDpo);
        assertEquals(kidsAtStart, publishedKids());
    }

    // --- (2) Rotation -----------------------------------------------------------------------------

    @Test
    @Order(2)
    void rotation_aNewSigningKeysTokensAreAcceptedWithoutARestartOfTheServices() {
        String oldCounsellor = userToken("bart.counsellor");
        String oldKid = kid(oldCounsellor);
        long[] pids = SERVICES.stream().mapToLong(suite::servicePid).toArray();
        String realmId = given().baseUri(suite.keycloak().url()).auth().oauth2(adminToken())
                .when().get(ADMIN_REALM).then().statusCode(200).extract().path("id");
        Response created = given().baseUri(suite.keycloak().url()).auth().oauth2(adminToken())
                .contentType(ContentType.JSON)
                .body("""
                        {"name": "e2e-rotated", "providerId": "rsa-generated",
                         "providerType": "org.keycloak.keys.KeyProvider", "parentId": "%s",
                         "config": {"priority": ["200"], "enabled": ["true"], "active": ["true"],
                                    "algorithm": ["RS256"], "keySize": ["2048"]}}""".formatted(realmId))
                .when().post(ADMIN_REALM + "/components");
        created.then().statusCode(201);
        String location = created.header("Location");
        rotatedComponent = location.substring(location.lastIndexOf('/') + 1);

        rotatedCounsellorToken = userToken("bart.counsellor");
        rotatedDpoToken = userToken("frank.dpo");
        assertNotEquals(oldKid, kid(rotatedCounsellorToken), "the realm signs with the new key");
        assertEquals(kid(rotatedCounsellorToken), kid(rotatedDpoToken));
        // Quarkus OIDC loads the key set again on the first token naming an unknown key (at most once
        // per quarkus.oidc.token.forced-jwk-refresh-interval, 30 s; the outage test used that up).
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(
                () -> assertServes(rotatedCounsellorToken, rotatedDpoToken));
        // The old key is still published: its tokens still work. Nothing was restarted.
        assertServes(oldCounsellor, userToken("frank.dpo"));
        assertEquals(List.of(pids[0], pids[1], pids[2]), SERVICES.stream().map(suite::servicePid).toList());
    }

    // --- (3) A removed key ------------------------------------------------------------------------

    @Test
    @Order(3)
    void removedKey_itsTokensAreRefusedWithinTheRefreshInterval_evenWhenRememberedAsVerified() {
        assertTrue(rotatedComponent != null && rotatedCounsellorToken != null, "the rotation ran first");
        assertServes(rotatedCounsellorToken, rotatedDpoToken); // verified, so remembered by VerifiedTokens
        given().baseUri(suite.keycloak().url()).auth().oauth2(adminToken())
                .when().delete(ADMIN_REALM + "/components/" + rotatedComponent).then().statusCode(204);
        long removedAt = System.nanoTime();
        assertEquals(kidsAtStart, publishedKids(), "the realm publishes the keys it started with");

        // Refused by every service within the bound: 2 s here (ntk.signing-keys.refresh-interval), plus
        // the read itself; the limit below allows for a busy machine.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertEquals(Map.of("case-service", 401, "referral-service", 401,
                        "audit-service", 401), statusesOfRotatedTokens()));
        Duration took = Duration.ofNanos(System.nanoTime() - removedAt);
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "refused after " + took);
        for (String service : SERVICES) {
            given().baseUri(url(service)).auth().oauth2(service.equals("audit-service") ? rotatedDpoToken
                    : rotatedCounsellorToken).when().get(path(service))
                    .then().statusCode(401).contentType(containsString("application/problem+json"));
        }
        // The realm signs with its first key again, whose tokens the services accept as before.
        String counsellor = userToken("bart.counsellor");
        assertTrue(kidsAtStart.contains(kid(counsellor)));
        assertServes(counsellor, userToken("frank.dpo"));
        rotatedComponent = null;
        assertTrue(suite.keycloak().isRunning());
    }

    // --- helpers ----------------------------------------------------------------------------------

    private Map<String, Integer> statusesOfRotatedTokens() {
        Map<String, Integer> statuses = new java.util.HashMap<>();
        for (String service : SERVICES) {
            statuses.put(service, given().baseUri(url(service)).auth()
                    .oauth2(service.equals("audit-service") ? rotatedDpoToken : rotatedCounsellorToken)
                    .when().get(path(service)).then().extract().statusCode());
        }
        return statuses;
    }

    /** What the counsellor and the DPO see in each service, as before the failure. */
    private void assertServes(String counsellor, String dpo) {
        given().baseUri(url("case-service")).auth().oauth2(counsellor).when().get("/case-files")
                .then().statusCode(200).body("id", hasItem(caseFile));
        given().baseUri(url("referral-service")).auth().oauth2(counsellor).when().get("/referrals")
                .then().statusCode(200).body("id", hasItem(referral));
        auditTrail(dpo).then().statusCode(200).body("record.resourceId", hasItem(caseFile));
    }

    private Response auditTrail(String dpo) {
        return given().baseUri(url("audit-service")).auth().oauth2(dpo).queryParam("pupilId", pupil)
                .queryParam("action", "case-file.open").when().get("/audit-records");
    }

    private static String path(String service) {
        return switch (service) {
            case "case-service" -> "/case-files";
            case "referral-service" -> "/referrals";
            default -> "/audit-records";
        };
    }

    private String url(String service) {
        return suite.serviceUrl(service);
    }

    private String userToken(String username) {
        return Tokens.password(suite.keycloak().tokenEndpoint(), username, Tokens.DEMO_PASSWORD);
    }

    private String adminToken() {
        return Tokens.fetch(suite.keycloak().url() + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", Suite.DEV_KEYCLOAK_ADMIN[0],
                        "password", Suite.DEV_KEYCLOAK_ADMIN[1]));
    }

    /** The key ids of the realm's published key set. */
    private Set<String> publishedKids() {
        return new TreeSet<>(given().baseUri(suite.keycloak().issuer()).when().get("/protocol/openid-connect/certs")
                .then().statusCode(200).extract().jsonPath().getList("keys.kid", String.class));
    }

    private static String kid(String token) {
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8))
                .getString("kid");
    }

    /** A claim of the token's payload, read without verifying it. */
    private static String claim(String token, String name) {
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8))
                .getString(name);
    }

    /** The token with another "kid" header (its signature no longer matches either). */
    private static String withKid(String token, String kid) {
        String[] parts = token.split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)
                .replaceFirst("\"kid\"\\s*:\\s*\"[^\"]*\"", "\"kid\":\"" + kid + "\"");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[1] + "." + parts[2];
    }
}
