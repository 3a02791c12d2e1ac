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
import be.needtoknow.testing.AuthorizationMatrix;
import be.needtoknow.testing.MatrixDatabase;
import be.needtoknow.testing.AuthorizationMatrix.Relation;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The authorization matrix of audit-service (A3: only the DPO reads the trail, of their own
 * organisation): its rows of the suite's one table, {@code docs/authorization-matrix.md}
 * (endpoint × caller, with the caller's role and relation → expected status; the callers are
 * described there), each row on a fresh record of a pupil of school-sint-jan; the anonymous caller
 * on every endpoint not public by design. What each call must show (status, the token and relation
 * of its caller, its GRANTED or REFUSED record (A1), no checkpoint signed by a refused write) is
 * checked by {@link AuthorizationMatrix#assertEveryCellHolds}.
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
            Map.entry("operator", () -> TestTokens.of("olga.operator", SCHOOL, "school", "operator")),
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
        Map<String, String> world = new java.util.HashMap<>(Map.of("{pupilId}", pupil, "{leaf}", Long.toString(leaf),
                "{pseudonym}", pseudonyms.of(SCHOOL, pupil)));
        if (row.path().contains("{position}")) {
            try (MatrixDatabase db = MatrixDatabase.fromConfig()) {
                world.put("{position}", Long.toString(db.parkPoisonEvent("audit-service")));
            }
        }
        return world;
    }

    /** The Relation clauses of audit-service's callers, checked against the world's record in the trail. */
    static final Map<String, Relation> RELATIONS = Map.of(
            "not a DPO", (c, w, db) -> !c.roles().contains("dpo"),
            "the actor of the record", (c, w, db) -> db.exists("select 1 from audit_record where organisation_id = ? "
                    + "and pupil_pseudonym = ? and actor_username = ?", SCHOOL, w.get("{pseudonym}"), c.username()),
            "no relation to the record", (c, w, db) -> !db.exists("select 1 from audit_record where "
                    + "pupil_pseudonym = ? and actor_username = ?", w.get("{pseudonym}"), c.username()));

    @Test
    void everyEndpointHasRows() {
        matrix().assertCoversEveryEndpoint();
    }

    @Test
    void theEndpointsOpenToAnyoneAreExactlyThosePublicByDesign() {
        matrix().assertOpenEndpointsAreListed();
    }

    @Test
    void everyCellHoldsAndEveryCallIsAudited() {
        matrix().assertEveryCellHolds(new AuthorizationMatrix.Setup() {
            @Override
            public String token(String caller) {
                return AuditMatrixTest.token(caller);
            }

            @Override
            public Map<String, String> world(AuthorizationMatrix.Row row) {
                return AuditMatrixTest.this.world(row);
            }

            @Override
            public Map<String, String> bodies() {
                return Map.of();
            }

            @Override
            public String organisation() {
                return SCHOOL;
            }

            @Override
            public Map<String, Relation> relations() {
                return RELATIONS;
            }
        });
    }
}
