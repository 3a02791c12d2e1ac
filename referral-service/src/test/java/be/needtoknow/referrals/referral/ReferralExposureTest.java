package be.needtoknow.referrals.referral;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import be.needtoknow.referrals.casefile.CaseServiceStandIn;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import be.needtoknow.testing.TestTopics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * What a 200 returns, not only its status: a marker planted in a referral's items surfaces only
 * where its reader is entitled to it (docs/entitlements.md).
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = CaseServiceStandIn.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ReferralExposureTest {

    static final String COUNSELLOR = ReferralTest.COUNSELLOR;
    static final String OTHER_COUNSELLOR = TestTokens.of("bert.counsellor", "school-sint-jan", "school", "pupil-counsellor");
    static final String COORDINATOR = TestTokens.of("carla.coordinator", "school-sint-jan", "school", "care-coordinator");
    static final String CLB_GENT = ReferralTest.CLB_GENT;

    static String marker() {
        return "CANARY-" + UUID.randomUUID();
    }

    /** A referral to CLB Gent whose question is the marker, with consent. */
    static String consented(String marker) {
        String id = ReferralTest.draft("clb-gent");
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("""
                        {"items": [{"type": "QUESTION", "purpose": "what we ask the CLB", "text": "%s"}]}""".formatted(marker))
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/consent", ReferralTest.PUPIL_AGREES, 200);
        return id;
    }

    @Test
    void n3_aReferrerListsExactlyTheReferralsWhoseDetailsTheyMayRead() {
        String marker = marker();
        String id = consented(marker);
        given().auth().oauth2(COUNSELLOR).when().get("/referrals").then().statusCode(200)
                .body("find { it.id == '%s' }.items[0].text".formatted(id), equalTo(marker));
        for (String colleague : List.of(OTHER_COUNSELLOR, COORDINATOR)) {
            // The details are the owner's ...
            given().auth().oauth2(colleague).when().get("/referrals/" + id + "/preview").then().statusCode(404);
            // ... and so is the list's entry: not its items, not even that it exists.
            String list = given().auth().oauth2(colleague).when().get("/referrals").then().statusCode(200)
                    .body("id", not(hasItem(id))).extract().asString();
            assertFalse(list.contains(marker), "a colleague's list carried another counsellor's referral items");
        }
    }

    @Test
    void t3_aWithdrawnReferralShowsTheRecipientItsStatusNotItsItems() {
        String marker = marker();
        String id = consented(marker);
        ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/send", null, 200);
        given().auth().oauth2(CLB_GENT).when().get("/referrals").then().statusCode(200)
                .body("find { it.id == '%s' }.items[0].text".formatted(id), equalTo(marker));
        ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/withdraw", null, 200);
        String list = given().auth().oauth2(CLB_GENT).when().get("/referrals").then().statusCode(200)
                .body("find { it.id == '%s' }.status".formatted(id), equalTo("WITHDRAWN"))
                .body("find { it.id == '%s' }.items".formatted(id), nullValue())
                .extract().asString();
        assertFalse(list.contains(marker), "the recipient still sees a withdrawn referral's items");
    }

    @Test
    void n2_theRecipientsEventsAreKeyedByTheReferralNeverByTheAuditPseudonym() {
        String id = consented(marker());
        ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/send", null, 200);
        ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/withdraw", null, 200);
        List<TestTopics.Received> gent = TestTopics.readUntil(TestTopics.as("clb-gent"), "ntk.referrals.clb-gent.v1",
                r -> r.value().contains(id) && "be.needtoknow.referral.withdrawn.v1".equals(r.headers().get("ce_type")),
                Duration.ofSeconds(30));
        List<TestTopics.Received> events = gent.stream().filter(r -> r.value().contains(id)).toList();
        assertEquals(2, events.size(), "the sent and the withdrawn event");
        for (TestTopics.Received event : events) {
            assertEquals(id, event.key(), "a referral event's key is its referral id");
        }
        // The audit trail keys the same referral's records by the pupil's pseudonym: never seen by the CLB.
        List<TestTopics.Received> audit = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains(id) && r.value().contains("\"referral.send\""), Duration.ofSeconds(30));
        String pseudonym = audit.stream().filter(r -> r.value().contains("\"referral.send\"") && r.value().contains(id))
                .findFirst().orElseThrow().key();
        for (TestTopics.Received event : events) {
            assertFalse(event.key().equals(pseudonym) || event.value().contains(pseudonym)
                    || event.headers().containsValue(pseudonym), "the pupil's audit pseudonym reached the CLB");
        }
    }

    @Test
    void t3_x_aWithdrawnTransferSaysSoOnTheParentsLinkAndNoLongerShowsTheList() {
        String id = TransferTest.transfer(CaseServiceStandIn.PUPIL_OF_13, false);
        List<String> links = TransferTest.discuss(id, TransferTest.DISCUSSED);
        given().when().get(links.get(0)).then().statusCode(200).body("items.size()", equalTo(2));
        ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/withdraw", null, 200);
        for (String link : links) {
            String page = given().when().get(link).then().statusCode(200)
                    .body("state", equalTo("WITHDRAWN"))
                    .body("items", nullValue())
                    .body("explanation", org.hamcrest.Matchers.containsString("ingetrokken"))
                    .extract().asString();
            assertFalse(page.contains("extra time for tests"), "a withdrawn transfer's list is still shown");
        }
        given().header("Accept-Language", "en").when().get(links.get(0)).then().statusCode(200)
                .body("explanation", org.hamcrest.Matchers.containsString("withdrawn"));
        ReferralTest.post(null, links.get(0) + "/agreement", null, 409);
    }
}
