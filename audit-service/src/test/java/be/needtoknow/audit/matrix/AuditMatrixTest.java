package be.needtoknow.audit.matrix;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

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
 * organisation): its rows of the suite's one table, {@code docs/authorization-matrix.md}
 * (endpoint × caller, with the caller's role and relation → expected status; the callers are
 * described there), each row on a fresh record of a pupil of school-sint-jan.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AuditMatrixTest {

    static final String SCHOOL = "school-sint-jan";

    @Inject
    PupilPseudonyms pseudonyms;

    /** Each caller of the table's rows and its token (null: no token). */
    static final Map<String, Supplier<String>> CALLERS = Map.ofEntries(
            Map.entry("dpo", () -> TestTokens.of("frank.dpo", SCHOOL, "school", "dpo")),
            Map.entry("other-dpo", () -> TestTokens.of("luc.dpo", "school-de-linde", "school", "dpo")),
            Map.entry("clb-dpo", () -> TestTokens.of("nina.dpo", "clb-gent", "clb", "dpo")),
            Map.entry("teacher", () -> TestTokens.of("an.teacher", SCHOOL, "school", "teacher")),
            Map.entry("principal", () -> TestTokens.of("dirk.principal", SCHOOL, "school", "principal")),
            Map.entry("counsellor", () -> TestTokens.of("bart.counsellor", SCHOOL, "school", "pupil-counsellor")),
            Map.entry("anonymous", () -> null));

    static String token(String caller) {
        return CALLERS.get(caller).get();
    }

    static AuthorizationMatrix matrix() {
        return AuthorizationMatrix.load(AuthorizationMatrix.DOCUMENT, "audit-service", CALLERS.keySet());
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
        matrix().assertCoversEveryEndpoint();
    }

    @Test
    void everyCellHoldsAndEveryRefusalIsAudited() {
        matrix().assertEveryCellHolds(AuditMatrixTest::token, this::world, Map.of());
    }
}
