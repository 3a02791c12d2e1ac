package be.needtoknow.audit.matrix;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import be.needtoknow.audit.AuditEvents;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.stack.testing.AuthorizationMatrix;
import be.needtoknow.stack.testing.TestStack;
import be.needtoknow.stack.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The authorization matrix of audit-service (A3: only the DPO reads the trail, of their own
 * organisation): endpoint × caller → status, each row on a fresh record of a pupil of
 * school-sint-jan. Callers: dpo = its DPO; other-dpo = school-de-linde's DPO; clb-dpo = CLB Gent's
 * DPO; teacher, principal, counsellor of school-sint-jan; anonymous = no token. Same table format
 * and runner as the other services' (be.needtoknow.stack.testing.AuthorizationMatrix).
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AuditMatrixTest {

    static final String MATRIX = """
            GET    /audit-records                              | dpo          | 200
            GET    /audit-records                              | other-dpo    | 200
            GET    /audit-records                              | clb-dpo      | 200
            GET    /audit-records                              | teacher      | 403
            GET    /audit-records                              | principal    | 403
            GET    /audit-records                              | anonymous    | 401
            GET    /audit-records/export                       | dpo          | 200
            GET    /audit-records/export                       | counsellor   | 403
            GET    /audit-records/export                       | anonymous    | 401
            GET    /audit-records/pupils/{pupilId}/report      | dpo          | 200
            GET    /audit-records/pupils/{pupilId}/report      | other-dpo    | 200
            GET    /audit-records/pupils/{pupilId}/report      | counsellor   | 403
            GET    /audit-records/pupils/{pupilId}/report      | anonymous    | 401
            GET    /audit-records/unusual                      | dpo          | 200
            GET    /audit-records/unusual                      | teacher      | 403
            GET    /audit-statistics/registrations             | dpo          | 200
            GET    /audit-statistics/registrations             | principal    | 403
            GET    /audit-log/checkpoint                       | dpo          | 200
            GET    /audit-log/checkpoint                       | teacher      | 403
            GET    /audit-log/checkpoint                       | anonymous    | 401
            POST   /audit-log/checkpoints                      | dpo          | 200
            POST   /audit-log/checkpoints                      | principal    | 403
            GET    /audit-log/verifier-key                     | dpo          | 200
            GET    /audit-log/verifier-key                     | teacher      | 200
            GET    /audit-log/verifier-key                     | anonymous    | 401
            GET    /audit-log/proofs/inclusion?leafIndex={leaf} | dpo         | 200
            GET    /audit-log/proofs/inclusion?leafIndex={leaf} | other-dpo   | 404
            GET    /audit-log/proofs/inclusion?leafIndex={leaf} | teacher     | 403
            GET    /audit-log/proofs/consistency?first=1       | dpo          | 200
            GET    /audit-log/proofs/consistency?first=1       | teacher      | 403
            POST   /audit-log/verification                     | dpo          | 200
            POST   /audit-log/verification                     | counsellor   | 403
            POST   /audit-log/verification                     | anonymous    | 401
            """;

    static final String SCHOOL = "school-sint-jan";

    @Inject
    PupilPseudonyms pseudonyms;

    static String token(String caller) {
        return switch (caller) {
            case "dpo" -> TestTokens.of("frank.dpo", SCHOOL, "school", "dpo");
            case "other-dpo" -> TestTokens.of("luc.dpo", "school-de-linde", "school", "dpo");
            case "clb-dpo" -> TestTokens.of("nina.dpo", "clb-gent", "clb", "dpo");
            case "teacher" -> TestTokens.of("an.teacher", SCHOOL, "school", "teacher");
            case "principal" -> TestTokens.of("dirk.principal", SCHOOL, "school", "principal");
            case "counsellor" -> TestTokens.of("bart.counsellor", SCHOOL, "school", "pupil-counsellor");
            case "anonymous" -> null;
            default -> throw new IllegalArgumentException("No caller '" + caller + "' in the matrix");
        };
    }

    /** A record about a new pupil, stored, and a checkpoint that covers it. */
    Map<String, String> world(AuthorizationMatrix.Row row) {
        String pupil = "p-" + UUID.randomUUID();
        AuditEvents.publish(UUID.randomUUID().toString(), "k",
                AuditEvents.record(SCHOOL, pseudonyms.of(SCHOOL, pupil), "bart.counsellor", "case-file.open"));
        String dpo = token("dpo");
        await().atMost(Duration.ofSeconds(30)).until(() -> !given().auth().oauth2(dpo).queryParam("pupilId", pupil)
                .when().get("/audit-records").then().statusCode(200).extract().<List<Object>>path("leafIndex").isEmpty());
        long leaf = given().auth().oauth2(dpo).queryParam("pupilId", pupil).when().get("/audit-records")
                .then().extract().<Number>path("[0].leafIndex").longValue();
        given().auth().oauth2(dpo).when().post("/audit-log/checkpoints").then().statusCode(200);
        return Map.of("{pupilId}", pupil, "{leaf}", Long.toString(leaf));
    }

    @Test
    void everyEndpointHasRows() {
        AuthorizationMatrix.parse(MATRIX).assertCoversEveryEndpoint();
    }

    @Test
    void everyCellHoldsAndEveryRefusalIsAudited() {
        AuthorizationMatrix.parse(MATRIX).assertEveryCellHolds(AuditMatrixTest::token, this::world, Map.of());
    }
}
