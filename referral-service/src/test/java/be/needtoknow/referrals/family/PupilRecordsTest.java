package be.needtoknow.referrals.family;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import be.needtoknow.common.referral.AccessGrant;
import be.needtoknow.common.referral.AccessGrant.Requester;
import be.needtoknow.common.referral.ReferralGrant;
import be.needtoknow.referrals.casefile.CaseServiceStandIn;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import be.needtoknow.testing.TestTopics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * T4, M1, M2: what referral-service holds on a pupil, for case-service's right-of-access package,
 * on case-service's signed access grant; what a pupil of 12 or more kept from the parents stays out
 * of the parents' package.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = CaseServiceStandIn.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PupilRecordsTest {

    static final String KEY = "test-only-referral-grant-key"; // %test.ntk.referral-grant.key
    static final String SCHOOL = "school-sint-jan";
    static final String COUNSELLOR = TestTokens.of("bart.counsellor", SCHOOL, "school", "pupil-counsellor");
    static final String CLB_GENT = TestTokens.of("service-account-clb-gent-system", "clb-gent", "clb", "recipient-system");

    static final String ITEMS = """
            {"items": [
              {"type": "QUESTION", "purpose": "what we ask the CLB", "text": "%s"},
              {"type": "CONTACT", "purpose": "to reach the referring counsellor", "name": "Bart Claes",
               "email": "bart.counsellor@school-sint-jan.example"}
            ]}""";

    static final String DISCUSSED_WITH_BOTH = """
            {"consulted": [{"party": "PUPIL", "when": "2026-11-20T10:00:00Z", "how": "conversation at school", "answer": "AGREED"},
                           {"party": "PARENTS", "when": "2026-11-21T18:00:00Z", "how": "phone call", "answer": "AGREED"}],
             "parentsNotInformed": false}""";

    static final String PUPIL_ALONE_PARENTS_NOT_INFORMED = """
            {"consulted": [{"party": "PUPIL", "when": "2026-11-20T10:00:00Z", "how": "conversation at school", "answer": "AGREED"}],
             "parentsNotInformed": true, "parentsNotInformedDecidedBy": "bart.counsellor, with the pupil"}""";

    /** A pupil of 13 of the register, of this test only. */
    static String pupilOfThirteen() {
        String pupil = "sj-" + UUID.randomUUID().toString().substring(0, 8);
        CaseServiceStandIn.register(pupil, LocalDate.now().minusYears(13));
        return pupil;
    }

    /** A draft to CLB Gent for the pupil, with a question and a contact. */
    static String draft(String pupil, String question) {
        String id = given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"recipientId\": \"clb-gent\"}".formatted(pupil))
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(ITEMS.formatted(question))
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        return id;
    }

    /** The draft, discussed as the consent says, and sent. */
    static String sent(String pupil, String question, String consent) {
        String id = draft(pupil, question);
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(consent)
                .when().post("/referrals/" + id + "/consent").then().statusCode(200);
        given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + id + "/send").then().statusCode(200);
        return id;
    }

    static String grant(String pupil, Requester requester, boolean parentsMayNotSee, UUID request) {
        return AccessGrant.of(request, SCHOOL, pupil, requester, parentsMayNotSee, Instant.now()).sign(KEY);
    }

    static ValidatableResponse read(String grant, String correlation) {
        return given().contentType(ContentType.JSON).header("X-Correlation-Id", correlation)
                .body("{\"grant\": \"" + grant + "\"}")
                .when().post("/pupil-records").then();
    }

    /** The audit records of one request, once there are as many as expected. */
    static List<String> trail(String correlation, int expected) {
        AtomicInteger seen = new AtomicInteger();
        return TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value() != null && r.value().contains("\"" + correlation + "\"") && seen.incrementAndGet() >= expected,
                Duration.ofSeconds(30)).stream().map(TestTopics.Received::value)
                .filter(v -> v != null && v.contains("\"" + correlation + "\"")).toList();
    }

    @Test
    void m1_m2_aReferralThePupilKeptFromTheParentsIsAbsentFromTheParentsPackageAndPresentInThePupilsOwn() {
        String pupil = pupilOfThirteen();
        sent(pupil, "Can you help with what she told me in confidence?", PUPIL_ALONE_PARENTS_NOT_INFORMED);
        sent(pupil, "Can you help with school refusal?", DISCUSSED_WITH_BOTH);

        // The parents of a pupil of 12 or more (case-service's word, from its register): only the second,
        // and the package says that something was left out, never what.
        String parents = "parents-" + UUID.randomUUID();
        String body = read(grant(pupil, Requester.PARENTS, true, UUID.randomUUID()), parents)
                .statusCode(200).contentType(ContentType.JSON)
                .body("referrals", hasSize(1))
                .body("referrals[0].items[0].text", equalTo("Can you help with school refusal?"))
                .body("referrals[0].consent.parentsNotInformed", equalTo(false))
                .body("leftOut", contains(PupilRecordsView.KEPT_FROM_PARENTS))
                .extract().asString();
        assertFalse(body.contains("confidence"), "the kept referral's words reached the parents");

        // The pupil's own package: both.
        read(grant(pupil, Requester.PUPIL, false, UUID.randomUUID()), "pupil-" + UUID.randomUUID())
                .statusCode(200)
                .body("referrals", hasSize(2))
                .body("referrals.collect { it.items[0].text }", containsInAnyOrder("Can you help with what she told me in confidence?",
                        "Can you help with school refusal?"))
                .body("leftOut", empty());

        // The parents' read is audited with the link's holder as actor: the read and the one referral shown.
        List<String> records = trail(parents, 2);
        assertEquals(2, records.size(), records.toString());
        assertTrue(records.stream().allMatch(r -> r.contains("\"username\":\"parents-link\"")
                && r.contains("\"outcome\":\"GRANTED\"") && r.contains("\"legalBasis\":\"legal-obligation\"")), records.toString());
        assertEquals(1, records.stream().filter(r -> r.contains("\"action\":\"referral.read\"")).count(), records.toString());
    }

    @Test
    void t4_theItemsConsentAndReleasedFeedbackAreThereAsSent() {
        String pupil = pupilOfThirteen();
        String id = sent(pupil, "Can you help Lotte with school refusal?", DISCUSSED_WITH_BOTH);
        draft(pupil, "A draft that was never sent"); // N1: nothing left the school: not in the package
        given().auth().oauth2(CLB_GENT).when().post("/referrals/" + id + "/receipt").then().statusCode(200);
        given().auth().oauth2(CLB_GENT).contentType(ContentType.JSON)
                .body("{\"text\": \"Lotte comes to the CLB weekly.\", \"releasedForSchool\": true}")
                .when().post("/referrals/" + id + "/feedback").then().statusCode(201);

        String correlation = "pupil-" + UUID.randomUUID();
        read(grant(pupil, Requester.PUPIL, false, UUID.randomUUID()), correlation)
                .statusCode(200)
                .body("referrals", hasSize(1))
                .body("referrals[0].kind", equalTo("REFERRAL"))
                .body("referrals[0].recipient", notNullValue())
                .body("referrals[0].recipientType", equalTo("CLB"))
                .body("referrals[0].status", equalTo("RECEIVED"))
                .body("referrals[0].sentAt", notNullValue())
                .body("referrals[0].legalBasis", equalTo("consent"))
                .body("referrals[0].items.type", contains("QUESTION", "CONTACT"))
                .body("referrals[0].items[0].purpose", equalTo("what we ask the CLB"))
                .body("referrals[0].items[0].text", equalTo("Can you help Lotte with school refusal?"))
                .body("referrals[0].items[1].email", equalTo("bart.counsellor@school-sint-jan.example"))
                .body("referrals[0].consent.consulted.party", contains("PUPIL", "PARENTS"))
                .body("referrals[0].consent.consulted.how", contains("conversation at school", "phone call"))
                .body("referrals[0].consent.consulted.answer", contains("AGREED", "AGREED"))
                .body("referrals[0].notices", nullValue())
                .body("referrals[0].feedback.text", contains("Lotte comes to the CLB weekly."))
                .body("referrals[0].id", nullValue())
                .body("leftOut", empty());

        List<String> records = trail(correlation, 2);
        assertTrue(records.stream().anyMatch(r -> r.contains("\"action\":\"referral.read\"")
                && r.contains("\"resourceId\":\"" + id + "\"") && r.contains("\"username\":\"pupil-link\"")
                && r.contains("\"subject\":\"access-request:") && r.contains("\"purpose\":\"right of access\"")
                && r.contains("\"legalBasis\":\"legal-obligation\"")), records.toString());
        assertTrue(records.stream().noneMatch(r -> r.contains("school refusal") || r.contains(pupil)),
                "the trail holds no content and no pupil id");
    }

    @Test
    void t4_aForgedOrExpiredGrantIsRefusedAndAudited() {
        String pupil = pupilOfThirteen();
        sent(pupil, "Can you help?", DISCUSSED_WITH_BOTH);
        UUID request = UUID.randomUUID();
        String otherKey = AccessGrant.of(request, SCHOOL, pupil, Requester.PUPIL, false, Instant.now()).sign("another-key");
        String expired = AccessGrant.of(request, SCHOOL, pupil, Requester.PUPIL, false,
                Instant.now().minusSeconds(AccessGrant.VALIDITY_SECONDS + 5)).sign(KEY);
        // The parents lifting "may not see" under the grant case-service signed (M1).
        String signed = grant(pupil, Requester.PARENTS, true, request);
        String lifted = signed.replace(".true.", ".false.");
        String referralGrant = ReferralGrant.of(request, SCHOOL, pupil, "bart", Instant.now()).sign(KEY);
        for (String bad : List.of(otherKey, expired, lifted, referralGrant, "not-a-grant")) {
            String correlation = "forged-" + UUID.randomUUID();
            read(bad, correlation).statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo("urn:need-to-know:problem:invalid-access-grant"))
                    .body("referrals", nullValue());
            List<String> records = trail(correlation, 1);
            assertTrue(records.size() == 1 && records.get(0).contains("\"outcome\":\"REFUSED\"")
                    && records.get(0).contains("POST /pupil-records"), records.toString());
            assertFalse(records.get(0).contains(bad), "the grant is never in the trail");
        }
        given().contentType(ContentType.JSON).body("{}").when().post("/pupil-records").then().statusCode(400);
    }
}
