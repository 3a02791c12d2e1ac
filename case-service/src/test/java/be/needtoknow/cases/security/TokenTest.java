package be.needtoknow.cases.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import be.needtoknow.testing.TestTopics;
import be.needtoknow.testing.TestTopics.Received;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Bad tokens on a pupil-data endpoint (GET /case-files/{id} of a real case file, which the good
 * token reads): each is refused as a problem (401; 403 for a token without an organisation), the
 * body holds no case data (N2), and each refusal leaves a REFUSED audit record naming the
 * endpoint, not the path, and never the token (A1).
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TokenTest {

    private static final String REASON = "Often absent on Mondays";
    private static final String ENDPOINT = "GET /case-files/{id}";

    private static String caseFile;

    @Inject
    ObjectMapper json;

    /** One case file of the school, opened once for the class: the data a bad token must not reach. */
    private static synchronized String caseFile() {
        if (caseFile == null) {
            caseFile = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        }
        return caseFile;
    }

    private static String coordinator(TokenMaker maker) {
        return maker.make("carla.coordinator", Fixtures.SCHOOL, "school", "care-coordinator");
    }

    @FunctionalInterface
    interface TokenMaker {
        String make(String username, String organisationId, String organisationType, String... roles);
    }

    /** Sends the token (null: none), checks the problem answer and returns the refusal's audit record. */
    private JsonNode refused(String token, int status) throws Exception {
        String correlation = "token-" + UUID.randomUUID();
        RequestSpecification request = given().header("X-Correlation-Id", correlation);
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        String body = request.when().get("/case-files/" + caseFile())
                .then().statusCode(status).contentType("application/problem+json").extract().asString();
        assertFalse(body.contains(REASON), "case data in a refusal");
        JsonNode problem = json.readTree(body);
        assertEquals(status, problem.get("status").asInt());
        List<Received> read = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value() != null && r.value().contains(correlation), Duration.ofSeconds(30));
        Received event = read.isEmpty() ? null : read.get(read.size() - 1);
        assertTrue(event != null && event.value().contains(correlation), "no audit record of the refusal");
        JsonNode record = json.readTree(event.value());
        assertEquals("REFUSED", record.get("outcome").asText());
        assertEquals("endpoint", record.get("resourceType").asText());
        assertEquals(ENDPOINT, record.get("resourceId").asText());
        assertFalse(record.has("pupilPseudonym"), "a pupil named where none can be known");
        if (token != null) {
            for (String part : token.split("\\.")) {
                assertFalse(!part.isEmpty() && event.value().contains(part), "a part of the token is in the audit record");
            }
        }
        return record;
    }

    /** A 401: anonymous actor, filed under the unknown organisation, with the reason. */
    private void unauthenticated(String token, String reason) throws Exception {
        JsonNode record = refused(token, 401);
        assertEquals("authenticate", record.get("action").asText());
        assertEquals("anonymous", record.at("/actor/username").asText());
        assertEquals("none", record.at("/actor/role").asText());
        assertFalse(record.get("actor").has("subject"), "an unverified token named the actor");
        assertEquals("unknown", record.get("organisationId").asText());
        assertEquals("not authenticated: " + reason, record.get("reason").asText());
    }

    @Test
    void theGoodTokenReadsTheFile() {
        given().auth().oauth2(Fixtures.coordinator()).when().get("/case-files/" + caseFile())
                .then().statusCode(200);
    }

    @Test
    void a1_noTokenIs401AndAudited() throws Exception {
        unauthenticated(null, "no token");
    }

    @Test
    void a1_anExpiredTokenIs401AndAudited() throws Exception {
        unauthenticated(coordinator(TestTokens::expired), "token expired");
    }

    @Test
    void a1_aTokenNotYetValidIs401AndAudited() throws Exception {
        unauthenticated(coordinator(TestTokens::notYetValid), "token not yet valid");
    }

    @Test
    void a1_aTokenOfAnotherIssuerIs401AndAudited() throws Exception {
        unauthenticated(coordinator((u, o, t, r) -> TestTokens.ofIssuer("https://keycloak.test/realms/master", u, o, t, r)),
                "token of another issuer");
    }

    @Test
    void a1_n2_aTokenForAnotherAudienceIs401AndAudited() throws Exception {
        // Keycloak's own account console is the audience of a realm token without the suite's mapper.
        unauthenticated(coordinator((u, o, t, r) -> TestTokens.forAudience("account", u, o, t, r)),
                "token for another audience");
    }

    @Test
    void a1_n2_anUnsignedTokenIs401AndAudited() throws Exception {
        unauthenticated(coordinator(TestTokens::unsigned), "unsigned token or algorithm not allowed");
    }

    @Test
    void a1_n3_aTamperedTokenIs401AndAudited() throws Exception {
        // A teacher grants themselves the care coordinator's role in a token they hold.
        String teacher = Fixtures.teacher();
        given().auth().oauth2(teacher).when().get("/case-files/" + caseFile()).then().statusCode(404);
        unauthenticated(TestTokens.tampered(teacher), "invalid signature");
    }

    @Test
    void a1_aTokenSignedByAnotherKeyIs401AndAudited() throws Exception {
        unauthenticated(coordinator(TestTokens::signedByAnotherKey), "invalid signature");
    }

    @Test
    void a1_garbageIs401AndAudited() throws Exception {
        unauthenticated("not-a-token", "malformed token");
    }

    @Test
    void a1_aTokenWithoutOrganisationIs403AndAuditedWithItsHolder() throws Exception {
        JsonNode record = refused(TestTokens.withoutOrganisation("x.coordinator", "care-coordinator"), 403);
        assertEquals("identify-organisation", record.get("action").asText());
        assertEquals("x.coordinator", record.at("/actor/username").asText());
        assertEquals("care-coordinator", record.at("/actor/role").asText());
        assertNotNull(record.at("/actor/subject").textValue());
        assertFalse(record.get("actor").has("organisationId"));
        assertEquals("unknown", record.get("organisationId").asText());
        assertEquals("no organisation claim in the token", record.get("reason").asText());
    }

    /*
     * A verified bearer token is remembered for a short while (common VerifiedTokens), so
     * that its next requests are not verified again. What must still hold: a remembered token is
     * refused once it expired, and a remembered identity never answers for another token.
     */

    @Inject
    be.needtoknow.common.caller.VerifiedTokens verifiedTokens;

    @Test
    void aVerifiedTokensNextRequestsAreAnsweredFromMemory() {
        String token = TestTokens.expiringIn(Duration.ofMinutes(2), "carla.coordinator", Fixtures.SCHOOL, "school",
                "care-coordinator");
        given().auth().oauth2(token).when().get("/case-files/" + caseFile()).then().statusCode(200);
        long before = verifiedTokens.hits();
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(token).when().get("/case-files/" + caseFile()).then().statusCode(200)
                    .body("reason", org.hamcrest.Matchers.equalTo(REASON));
        }
        // Other tests of this class may run at the same time and hit too: at least these five.
        assertTrue(verifiedTokens.hits() - before >= 5, "hits: " + (verifiedTokens.hits() - before));
    }

    @Test
    void a1_aRememberedTokenIsRefusedOnceItExpired() throws Exception {
        String token = TestTokens.expiringIn(Duration.ofSeconds(3), "carla.coordinator", Fixtures.SCHOOL, "school",
                "care-coordinator");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).when().get("/case-files/" + caseFile()).then().statusCode(200);
        }
        Thread.sleep(4_500);
        unauthenticated(token, "token expired");
    }

    @Test
    void n3_manyTokensAtOnceEachAnswerIsItsOwnHolders() throws Exception {
        // The coordinator reads the file, the teacher may not know it exists (N3): interleaved, at
        // once, each token several times, each answer must be that of the token's own holder.
        String coordinator = Fixtures.coordinator();
        String teacher = Fixtures.teacher();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<int[]>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                boolean asCoordinator = i % 2 == 0;
                answers.add(pool.submit(() -> {
                    int status = given().auth().oauth2(asCoordinator ? coordinator : teacher)
                            .when().get("/case-files/" + caseFile()).then().extract().statusCode();
                    return new int[] {asCoordinator ? 200 : 404, status};
                }));
            }
            for (java.util.concurrent.Future<int[]> answer : answers) {
                int[] expectedAndActual = answer.get();
                assertEquals(expectedAndActual[0], expectedAndActual[1], "an answer of another token's holder");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void healthAndOpenApiNeedNoTokenAndIgnoreABadOne() {
        given().auth().oauth2("not-a-token").when().get("/q/health/live").then().statusCode(200);
        given().auth().oauth2(coordinator(TestTokens::expired)).when().get("/q/openapi").then().statusCode(200);
    }
}
