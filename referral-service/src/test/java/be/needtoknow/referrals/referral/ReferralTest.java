package be.needtoknow.referrals.referral;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import be.needtoknow.stack.testing.TestStack;
import be.needtoknow.stack.testing.TestTokens;
import be.needtoknow.stack.testing.TestTopics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** School → CLB through the real broker: minimised (N1), consented (T1, T2, M1), addressed (N2, C1). */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ReferralTest {

    static final String COUNSELLOR = TestTokens.of("bart.counsellor", "school-sint-jan", "school", "pupil-counsellor");
    static final String CLB_GENT = TestTokens.of("service-account-clb-gent-system", "clb-gent", "clb", "recipient-system");
    static final String CLB_BRUGGE = TestTokens.of("service-account-clb-brugge-system", "clb-brugge", "clb", "recipient-system");
    static final String THIRTEEN = LocalDate.now().minusYears(13).toString();

    static final String ITEMS = """
            {"items": [
              {"type": "QUESTION", "purpose": "what we ask the CLB", "text": "Can you help Lotte with school refusal?"},
              {"type": "PUPIL", "purpose": "to contact the pupil", "givenName": "Lotte", "familyName": "Vermeulen",
               "birthDate": "%s"},
              {"type": "CONTACT", "purpose": "to reach the referring counsellor", "name": "Bart Claes",
               "email": "bart.counsellor@school-sint-jan.example"}
            ]}""".formatted(THIRTEEN);

    static final String PUPIL_AGREES = """
            {"consulted": [{"party": "PUPIL", "when": "2026-11-20T10:00:00Z", "how": "conversation at school", "answer": "AGREED"},
                           {"party": "PARENTS", "when": "2026-11-21T18:00:00Z", "how": "phone call", "answer": "AGREED"}],
             "parentsNotInformed": false}""";

    static String draft(String recipient) {
        return given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1001\", \"pupilBirthDate\": \"%s\", \"recipientId\": \"%s\"}".formatted(THIRTEEN, recipient))
                .when().post("/referrals")
                .then().statusCode(201).body("status", equalTo("DRAFT")).extract().path("id");
    }

    /** A POST, with a token or (null) without one. */
    static void post(String token, String path, String body, int status) {
        var request = token == null ? given() : given().auth().oauth2(token);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        request.when().post(path).then().statusCode(status);
    }

    @Test
    void n1_n2_c1_theClbReceivesExactlyThePreviewAndNoOtherClbEver() {
        String id = draft("clb-gent");
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(ITEMS)
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        String preview = given().auth().oauth2(COUNSELLOR).when().get("/referrals/" + id + "/preview")
                .then().statusCode(200).extract().asString();
        post(COUNSELLOR, "/referrals/" + id + "/consent", PUPIL_AGREES, 200);
        post(COUNSELLOR, "/referrals/" + id + "/send", null, 200);

        List<TestTopics.Received> gent = TestTopics.readUntil(TestTopics.as("clb-gent"), "ntk.referrals.clb-gent.v1",
                r -> r.value().contains(id), Duration.ofSeconds(30));
        TestTopics.Received event = gent.get(gent.size() - 1);
        assertEquals(preview, event.value(), "the CLB received something else than the preview");
        assertEquals("be.needtoknow.referral.sent.v1", event.headers().get("ce_type"));
        assertEquals("/referral-service", event.headers().get("ce_source"));
        assertFalse(event.value().contains("sj-1001"), "the school's pupil id is not the CLB's business");

        List<TestTopics.Received> brugge = TestTopics.readUntil(TestTopics.as("clb-brugge"),
                "ntk.referrals.clb-brugge.v1", r -> r.value().contains(id), Duration.ofSeconds(3));
        assertFalse(brugge.stream().anyMatch(r -> r.value().contains(id)), "another CLB's topic carried the referral");

        // C1: the addressed CLB moves it on; another CLB cannot even see it.
        post(CLB_BRUGGE, "/referrals/" + id + "/receipt", null, 404);
        given().auth().oauth2(CLB_BRUGGE).when().get("/referrals").then().statusCode(200).body("id", not(hasItem(id)));
        post(CLB_GENT, "/referrals/" + id + "/receipt", null, 200);
        post(CLB_GENT, "/referrals/" + id + "/acceptance", null, 200);
        given().auth().oauth2(COUNSELLOR).when().get("/referrals").then().statusCode(200)
                .body("find { it.id == '%s' }.status".formatted(id), equalTo("ACCEPTED"));
        // Out of order: an accepted referral is not acknowledged again.
        given().auth().oauth2(CLB_GENT).when().post("/referrals/" + id + "/receipt").then().statusCode(409)
                .contentType("application/problem+json").body("type", equalTo("urn:need-to-know:problem:transition-not-allowed"));
    }

    @Test
    void t2_consentCoversExactlyTheItemsItWasGivenFor() {
        String id = draft("clb-gent");
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(ITEMS)
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        post(COUNSELLOR, "/referrals/" + id + "/consent", PUPIL_AGREES, 200);
        // One more item after consent: back to draft, and sending is refused until consent is given again.
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body(ITEMS.replace("]}", ", {\"type\": \"QUESTION\", \"purpose\": \"extra\", \"text\": \"And her brother?\"}]}"))
                .when().put("/referrals/" + id + "/items").then().statusCode(200)
                .body("status", equalTo("DRAFT")).body("consentCoversItems", equalTo(false));
        given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + id + "/send").then().statusCode(409)
                .body("rule", equalTo("T2"));
        post(COUNSELLOR, "/referrals/" + id + "/consent", PUPIL_AGREES, 200);
        post(COUNSELLOR, "/referrals/" + id + "/send", null, 200);
    }

    @Test
    void m1_aPupilOfTwelveOrMoreConsentsThemselves() {
        String id = draft("clb-gent");
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(ITEMS)
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("""
                        {"consulted": [{"party": "PARENTS", "when": "2026-11-21T18:00:00Z", "how": "phone", "answer": "AGREED"}],
                         "parentsNotInformed": false}""")
                .when().post("/referrals/" + id + "/consent").then().statusCode(409).body("rule", equalTo("M1"));
        given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + id + "/send").then().statusCode(409);
    }

    @Test
    void n2_c3_aSchoolRefersToTheClbThatServesItOrToADirectlyAccessibleCareService() {
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1001\", \"pupilBirthDate\": \"%s\", \"recipientId\": \"clb-brugge\"}".formatted(THIRTEEN))
                .when().post("/referrals")
                .then().statusCode(403).contentType("application/problem+json").body("rule", equalTo("N2"));
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1001\", \"pupilBirthDate\": \"%s\", \"recipientId\": \"nowhere\"}".formatted(THIRTEEN))
                .when().post("/referrals").then().statusCode(404);
        // C3: a directly accessible care service may be addressed by the school itself; another one only through the CLB.
        draft("care-jongerenhulp");
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1001\", \"pupilBirthDate\": \"%s\", \"recipientId\": \"care-de-horizon\"}".formatted(THIRTEEN))
                .when().post("/referrals").then().statusCode(403).body("rule", equalTo("C3"));
        // Only counsellors and coordinators refer.
        given().auth().oauth2(TestTokens.of("an.teacher", "school-sint-jan", "school", "teacher")).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1001\", \"pupilBirthDate\": \"%s\", \"recipientId\": \"clb-gent\"}".formatted(THIRTEEN))
                .when().post("/referrals").then().statusCode(403);
    }

    @Test
    void t3_aWithdrawalReachesTheRecipient() {
        String id = draft("clb-gent");
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(ITEMS)
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        post(COUNSELLOR, "/referrals/" + id + "/consent", PUPIL_AGREES, 200);
        post(COUNSELLOR, "/referrals/" + id + "/send", null, 200);
        post(COUNSELLOR, "/referrals/" + id + "/withdraw", null, 200);
        List<TestTopics.Received> gent = TestTopics.readUntil(TestTopics.as("clb-gent"), "ntk.referrals.clb-gent.v1",
                r -> r.value().contains(id) && "be.needtoknow.referral.withdrawn.v1".equals(r.headers().get("ce_type")),
                Duration.ofSeconds(30));
        assertEquals("be.needtoknow.referral.withdrawn.v1", gent.get(gent.size() - 1).headers().get("ce_type"));
        post(CLB_GENT, "/referrals/" + id + "/acceptance", null, 409);
    }

    @Test
    void c1_aDeclineNeedsAReasonAndOnlyTheOwnerPreparesTheReferral() {
        String id = draft("clb-gent");
        String other = TestTokens.of("bert.counsellor", "school-sint-jan", "school", "pupil-counsellor");
        given().auth().oauth2(other).when().get("/referrals/" + id + "/preview").then().statusCode(404);
        given().auth().oauth2(CLB_GENT).when().get("/referrals/" + id + "/preview").then().statusCode(404);
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(ITEMS)
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        post(COUNSELLOR, "/referrals/" + id + "/consent", PUPIL_AGREES, 200);
        post(COUNSELLOR, "/referrals/" + id + "/send", null, 200);
        post(CLB_GENT, "/referrals/" + id + "/decline", "{}", 400);
        post(CLB_GENT, "/referrals/" + id + "/decline", "{\"reason\": \"Better served by the youth-care service\"}", 200);
        given().auth().oauth2(COUNSELLOR).when().get("/referrals").then().statusCode(200)
                .body("find { it.id == '%s' }.declineReason".formatted(id), equalTo("Better served by the youth-care service"));
    }

    @Test
    void urgentDanger_withoutConsentOnlyWithAJustificationAndOnTheRecordForTheDpo() {
        String id = draft("clb-gent");
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(ITEMS)
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        post(COUNSELLOR, "/referrals/" + id + "/urgent-danger", "{\"justification\": \"short\"}", 400);
        post(COUNSELLOR, "/referrals/" + id + "/urgent-danger",
                "{\"justification\": \"Visible injuries and she says she is afraid to go home tonight.\"}", 200);
        post(COUNSELLOR, "/referrals/" + id + "/send", null, 200);
        List<TestTopics.Received> gent = TestTopics.readUntil(TestTopics.as("clb-gent"), "ntk.referrals.clb-gent.v1",
                r -> r.value().contains(id), Duration.ofSeconds(30));
        assertTrue(gent.get(gent.size() - 1).value().contains("\"legalBasis\":\"vital-interest\""));
        List<TestTopics.Received> audit = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains(id) && r.value().contains("referral.send"), Duration.ofSeconds(30));
        String record = audit.get(audit.size() - 1).value();
        assertTrue(record.contains("\"legalBasis\":\"vital-interest\""), record);
        assertFalse(record.contains("afraid"), "the justification is content: not in the audit record");
    }

    @Test
    void c2_onlyFeedbackExplicitlyReleasedReachesTheSchool() {
        String id = draft("clb-gent");
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(ITEMS)
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        post(COUNSELLOR, "/referrals/" + id + "/consent", PUPIL_AGREES, 200);
        post(COUNSELLOR, "/referrals/" + id + "/send", null, 200);
        String feedback = "{\"text\": \"Lotte comes to the CLB weekly; no action needed at school for now.\", \"releasedForSchool\": %s}";
        post(CLB_GENT, "/referrals/" + id + "/feedback", feedback.formatted("true"), 409); // not acknowledged yet
        post(CLB_GENT, "/referrals/" + id + "/receipt", null, 200);
        post(CLB_GENT, "/referrals/" + id + "/feedback", feedback.formatted("false"), 400);
        post(CLB_BRUGGE, "/referrals/" + id + "/feedback", feedback.formatted("true"), 404);
        post(COUNSELLOR, "/referrals/" + id + "/feedback", feedback.formatted("true"), 404);
        post(CLB_GENT, "/referrals/" + id + "/feedback", feedback.formatted("true"), 201);
        given().auth().oauth2(COUNSELLOR).when().get("/referrals/" + id + "/feedback").then().statusCode(200)
                .body("[0].text", equalTo("Lotte comes to the CLB weekly; no action needed at school for now."))
                .body("[0].releasedBy", equalTo("service-account-clb-gent-system"));
        given().auth().oauth2(CLB_BRUGGE).when().get("/referrals/" + id + "/feedback").then().statusCode(404);
    }

    @Test
    void n1_aNoteItemNeedsCaseServiceAndNothingChangesWhenItCannotBeReached() {
        String id = draft("clb-gent");
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(ITEMS)
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("""
                        {"items": [{"type": "NOTE", "purpose": "what happened", "caseFileId": "%s", "noteId": "%s"}]}"""
                        .formatted(java.util.UUID.randomUUID(), java.util.UUID.randomUUID()))
                .when().put("/referrals/" + id + "/items")
                .then().statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:case-service-unavailable"));
        given().auth().oauth2(COUNSELLOR).when().get("/referrals").then().statusCode(200)
                .body("find { it.id == '%s' }.items.size()".formatted(id), equalTo(3));
    }
}
