package be.needtoknow.referrals.outbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import be.needtoknow.common.outbox.Outbox;
import be.needtoknow.referrals.casefile.CaseServiceStandIn;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Poison events in referral-service (its own outbox and V6 migration): a referral the broker
 * refuses for good (larger than the producer may send) is parked, not published, and holds nothing
 * back; the operator sees its metadata only, retries it (parked again: it is still too large) and
 * discards it.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = CaseServiceStandIn.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ReferralParkedEventsTest {

    @Inject
    Outbox outbox;

    private String operator() {
        return TestTokens.of("olga.operator", "school-sint-jan", "school", "operator");
    }

    @Test
    void t2_aReferralTheBrokerRefusesIsParked_andTheOperatorRetriesAndDiscardsIt() {
        String marker = "REFERRAL-MARKER-" + UUID.randomUUID();
        UUID event = QuarkusTransaction.requiringNew().call(() -> outbox.append("ntk.referrals.clb-gent.v1", "poison",
                "be.needtoknow.test.poison.v1", "poison/1", Map.of("text", marker + "x".repeat(1_200_000))));
        JsonPath listed = await().atMost(Duration.ofSeconds(60)).until(
                () -> given().auth().oauth2(operator()).when().get("/operator/parked-events").then().statusCode(200)
                        .extract().jsonPath(),
                list -> list.getList("eventId").contains(event.toString()));
        assertFalse(listed.prettify().contains(marker), "the listing carried the payload");
        int index = listed.getList("eventId").indexOf(event.toString());
        long position = listed.getLong("[" + index + "].position");
        assertEquals("ntk.referrals.clb-gent.v1", listed.getString("[" + index + "].topic"));

        // Retried: back in the queue, refused again for the same reason, parked again under its position.
        given().auth().oauth2(operator()).when().post("/operator/parked-events/" + position + "/retry")
                .then().statusCode(200).body("eventId", equalTo(event.toString()));
        await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(operator()).when()
                .get("/operator/parked-events").then().statusCode(200).extract().jsonPath()
                .getList("position", Long.class).contains(position));

        given().auth().oauth2(operator()).when().delete("/operator/parked-events/" + position)
                .then().statusCode(200).body("eventId", equalTo(event.toString()));
        List<String> left = given().auth().oauth2(operator()).when().get("/operator/parked-events").then()
                .statusCode(200).extract().jsonPath().getList("eventId");
        assertFalse(left.contains(event.toString()));
        given().auth().oauth2(TestTokens.of("bart.counsellor", "school-sint-jan", "school", "pupil-counsellor"))
                .when().get("/operator/parked-events").then().statusCode(403);
    }
}
