package be.needtoknow.referrals.referral;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import be.needtoknow.referrals.casefile.CaseServiceStandIn;
import be.needtoknow.stack.testing.TestStack;
import be.needtoknow.stack.testing.TestTokens;
import be.needtoknow.stack.testing.TestTopics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * X: a transfer to another school carries the item list discussed with the parents and the pupil;
 * they see it through their own link and may object before it is sent, unless they agree earlier;
 * records of breaches of school rules never go, also not after a definitive exclusion.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = CaseServiceStandIn.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TransferTest {

    static final String COUNSELLOR = ReferralTest.COUNSELLOR;
    static final String NEW_SCHOOL = TestTokens.of("ilse.coordinator", "school-de-linde", "school", "care-coordinator");
    static final String NEW_SCHOOL_TEACHER = TestTokens.of("greet.teacher", "school-de-linde", "school", "teacher");
    static final String PUPIL_OF_13 = CaseServiceStandIn.PUPIL_OF_13;
    static final String PUPIL_OF_10 = CaseServiceStandIn.PUPIL_OF_10;

    static final String ITEMS = """
            {"items": [
              {"type": "QUESTION", "purpose": "to continue the support", "text": "Lotte needs extra time for tests."},
              {"type": "CONTACT", "purpose": "to reach the care coordinator", "name": "Carla Peeters"}
            ]}""";

    static final String DISCUSSED = """
            {"consulted": [{"party": "PUPIL", "when": "2026-11-20T10:00:00Z", "how": "conversation at school", "answer": "AGREED"},
                           {"party": "PARENTS", "when": "2026-11-20T10:00:00Z", "how": "same conversation", "answer": "AGREED"}],
             "parentsNotInformed": false}""";

    /** A transfer of this pupil (its age is the register's: {@link CaseServiceStandIn}) with its items. */
    static String transfer(String pupilId, boolean afterExclusion) {
        String id = given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("""
                        {"pupilId": "%s", "recipientId": "school-de-linde",
                         "afterDefinitiveExclusion": %s}""".formatted(pupilId, afterExclusion))
                .when().post("/referrals")
                .then().statusCode(201).body("kind", equalTo("TRANSFER")).body("status", equalTo("DRAFT"))
                .body("afterDefinitiveExclusion", equalTo(afterExclusion)).extract().path("id");
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(ITEMS)
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        return id;
    }

    /** Records the discussion; returns the notices' link paths, parents first. */
    static List<String> discuss(String id, String discussion) {
        return given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(discussion)
                .when().post("/referrals/" + id + "/consent")
                .then().statusCode(200).body("status", equalTo("READY")).body("notices.party", hasItem("PARENTS"))
                .extract().path("notices.path");
    }

    static void post(String token, String path, String body, int status) {
        ReferralTest.post(token, path, body, status);
    }

    @Test
    void x_afterADefinitiveExclusionTooTheTransferNeedsTheDiscussionWithParentsAndPupil() {
        String id = transfer(PUPIL_OF_13, true);
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body("""
                {"consulted": [{"party": "PARENTS", "when": "2026-11-20T10:00:00Z", "how": "letter", "answer": "AGREED"}],
                 "parentsNotInformed": false}""")
                .when().post("/referrals/" + id + "/consent")
                .then().statusCode(409).contentType("application/problem+json").body("rule", equalTo("X"));
        post(COUNSELLOR, "/referrals/" + id + "/send", null, 409);
        List<String> links = discuss(id, DISCUSSED);
        assertEquals(2, links.size(), "the parents and a pupil of 13 each get a link");
        // The pupil's and the parents' view: the list as the new school will receive it, in Dutch by default.
        JsonPath parents = given().when().get(links.get(0)).then().statusCode(200).extract().jsonPath();
        assertEquals("PARENTS", parents.getString("party"));
        assertEquals("OPEN", parents.getString("state"));
        assertEquals("Basisschool De Linde", parents.getString("newSchool"));
        assertTrue(parents.getString("explanation").contains("bezwaar"), parents.getString("explanation"));
        assertEquals("Lotte needs extra time for tests.", parents.getString("items[0].text"));
        given().header("Accept-Language", "en").when().get(links.get(1)).then().statusCode(200)
                .body("party", equalTo("PUPIL")).body("explanation", containsString("object until"));
        // The exclusion is the school's own business: the new school receives the items, not the flag.
        String preview = given().auth().oauth2(COUNSELLOR).when().get("/referrals/" + id + "/preview")
                .then().statusCode(200).extract().asString();
        assertFalse(preview.contains("xclusion"), preview);
        assertTrue(preview.contains("\"legalBasis\":\"legal-task\""), preview);
    }

    @Test
    void x_theTransferWaitsForThePeriodUnlessEveryoneAgreesAndThenOnlyTheNewSchoolReceivesIt() {
        String id = transfer(PUPIL_OF_13, false);
        List<String> links = discuss(id, DISCUSSED);
        given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + id + "/send")
                .then().statusCode(409).body("type", containsString("transfer-held-back")).body("rule", equalTo("X"));
        post(null, links.get(0) + "/agreement", null, 200);
        post(COUNSELLOR, "/referrals/" + id + "/send", null, 409); // the pupil has not agreed yet
        given().when().post(links.get(1) + "/agreement").then().statusCode(200).body("answer", equalTo("AGREED"));
        post(null, links.get(1) + "/agreement", null, 409); // answered once
        String preview = given().auth().oauth2(COUNSELLOR).when().get("/referrals/" + id + "/preview")
                .then().statusCode(200).extract().asString();
        post(COUNSELLOR, "/referrals/" + id + "/send", null, 200);

        List<TestTopics.Received> linde = TestTopics.readUntil(TestTopics.as("school-de-linde"),
                "ntk.referrals.school-de-linde.v1", r -> r.value().contains(id), Duration.ofSeconds(30));
        TestTopics.Received event = linde.get(linde.size() - 1);
        assertEquals(preview, event.value());
        assertFalse(event.value().contains("sj-1001"), "the school's pupil id stays with the school");
        // The new school's care coordinator answers for it; its teacher, and a CLB, do not see it.
        post(NEW_SCHOOL_TEACHER, "/referrals/" + id + "/receipt", null, 404);
        post(ReferralTest.CLB_GENT, "/referrals/" + id + "/receipt", null, 404);
        post(NEW_SCHOOL, "/referrals/" + id + "/receipt", null, 200);
        given().auth().oauth2(NEW_SCHOOL).when().get("/referrals")
                .then().statusCode(200).body("find { it.id == '" + id + "' }.pupilId", nullValue())
                .body("find { it.id == '" + id + "' }.status", equalTo("RECEIVED"));
        given().when().get(links.get(0)).then().statusCode(200).body("state", equalTo("SENT"));
    }

    @Test
    void x_anObjectionHoldsTheListBackAndTheSchoolSeesWhy() {
        String id = transfer(PUPIL_OF_10, false);
        List<String> links = discuss(id, """
                {"consulted": [{"party": "PUPIL", "when": "2026-11-20T10:00:00Z", "how": "conversation", "answer": "HEARD"},
                               {"party": "PARENTS", "when": "2026-11-20T10:00:00Z", "how": "meeting", "answer": "AGREED"}],
                 "parentsNotInformed": false}""");
        assertEquals(1, links.size(), "below twelve only the parents get a link");
        given().contentType(ContentType.JSON).body("{\"reason\": \"\"}").when().post(links.get(0) + "/objection")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"reason\": \"The contact person is not who we agreed on.\"}")
                .when().post(links.get(0) + "/objection")
                .then().statusCode(200).body("answer", equalTo("OBJECTED"));
        given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + id + "/send")
                .then().statusCode(409).body("detail", containsString("parents objected"));
        given().auth().oauth2(COUNSELLOR).when().get("/referrals")
                .then().statusCode(200)
                .body("find { it.id == '" + id + "' }.notices[0].objection", equalTo("The contact person is not who we agreed on."))
                .body("find { it.id == '" + id + "' }.notices[0].path", nullValue());
        // New items: the old notice is superseded, shows no list, and takes no answer.
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(ReferralTest.ITEMS)
                .when().put("/referrals/" + id + "/items").then().statusCode(200).body("notices", hasSize(0));
        given().when().get(links.get(0)).then().statusCode(200).body("state", equalTo("SUPERSEDED"))
                .body("items", nullValue());
        post(null, links.get(0) + "/agreement", null, 409);
    }

    @Test
    void x_aWrongLinkFindsNothingAndIsAudited() {
        String id = transfer(PUPIL_OF_13, false);
        String link = discuss(id, DISCUSSED).get(0);
        String wrong = link.substring(0, link.length() - 4) + "AAAA";
        given().header("X-Correlation-Id", "wrong-link-" + id).when().get(wrong)
                .then().statusCode(404).contentType("application/problem+json");
        given().when().get("/transfer-notices/not-a-notice").then().statusCode(404);
        given().when().get("/transfer-notices/" + java.util.UUID.randomUUID() + ".x").then().statusCode(404);
        List<TestTopics.Received> audit = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains("wrong-link-" + id), Duration.ofSeconds(30));
        JsonPath record = JsonPath.from(audit.get(audit.size() - 1).value());
        assertEquals("REFUSED", record.getString("outcome"));
        assertEquals("transfer.notice.read", record.getString("action"));
        assertEquals("school-sint-jan", record.getString("organisationId"));
    }

    @Test
    void x_r1_recordsOfBreachesOfSchoolRulesAreNeverEligible() {
        String id = transfer(PUPIL_OF_13, true);
        String discipline = """
                {"items": [{"type": "DISCIPLINE_MEASURE", "purpose": "the exclusion decision",
                            "measureId": "0b6b8f3e-6c1f-4a57-9a77-3a0c1c1f0001"}]}""";
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(discipline)
                .when().put("/referrals/" + id + "/items")
                .then().statusCode(403).body("rule", equalTo("X"));
        given().auth().oauth2(COUNSELLOR).when().get("/referrals/" + id + "/preview")
                .then().statusCode(200).body(not(containsString("DISCIPLINE")));
        String referral = ReferralTest.draft("clb-gent");
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(discipline)
                .when().put("/referrals/" + referral + "/items")
                .then().statusCode(403).body("rule", equalTo("R1"));
    }

    @Test
    void x_aTransferGoesToAnotherSchool() {
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1001\", \"recipientId\": \"school-sint-jan\"}")
                .when().post("/referrals")
                .then().statusCode(400).body("type", containsString("transfer-to-own-school"));
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1001\", \"recipientId\": \"clb-gent\", \"afterDefinitiveExclusion\": true}")
                .when().post("/referrals")
                .then().statusCode(400).body("type", containsString("not-a-transfer"));
    }
}
