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

import be.needtoknow.referrals.casefile.CaseServiceStandIn;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import be.needtoknow.testing.TestTopics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** School → CLB through the real broker: minimised (N1), consented (T1, T2, M1), addressed (N2, C1). */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = CaseServiceStandIn.class, scope = TestResourceScope.MATCHING_RESOURCES)
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
                .body("{\"pupilId\": \"sj-1001\", \"recipientId\": \"%s\"}".formatted(recipient))
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

    /** A draft to CLB Gent for this pupil, with the items. */
    static String draftWithItems(String pupilId) {
        String id = given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"recipientId\": \"clb-gent\"}".formatted(pupilId))
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(ITEMS)
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        return id;
    }

    static final String PUPIL_ALONE_PARENTS_NOT_INFORMED = """
            {"consulted": [{"party": "PUPIL", "when": "2026-11-20T10:00:00Z", "how": "conversation at school", "answer": "AGREED"}],
             "parentsNotInformed": true, "parentsNotInformedDecidedBy": "bart.counsellor, with the pupil"}""";

    @Test
    void m1_m2_theAgeIsTheRegistersAndABirthDateFromTheCallerIsRefused() {
        // The 10-year-old of the register, whatever the counsellor would type: a client that still sends
        // a birth date is told it is not taken.
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"pupilBirthDate\": \"%s\", \"recipientId\": \"clb-gent\"}"
                        .formatted(CaseServiceStandIn.PUPIL_OF_10, THIRTEEN))
                .when().post("/referrals")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:unknown-field"))
                .body("errors[0].field", equalTo("pupilBirthDate"));
        String id = draftWithItems(CaseServiceStandIn.PUPIL_OF_10);
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(PUPIL_ALONE_PARENTS_NOT_INFORMED)
                .when().post("/referrals/" + id + "/consent")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:consent-insufficient")).body("rule", equalTo("M1"));
        post(COUNSELLOR, "/referrals/" + id + "/send", null, 409);
        // M2: below twelve the parents consent and the child is heard.
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("""
                        {"consulted": [{"party": "PUPIL", "when": "2026-11-20T10:00:00Z", "how": "conversation", "answer": "HEARD"},
                                       {"party": "PARENTS", "when": "2026-11-21T18:00:00Z", "how": "phone call", "answer": "AGREED"}],
                         "parentsNotInformed": false}""")
                .when().post("/referrals/" + id + "/consent").then().statusCode(200).body("status", equalTo("READY"));
        // M1: the 13-year-old of the register consents herself and may ask that her parents not be informed.
        String own = draftWithItems(CaseServiceStandIn.PUPIL_OF_13);
        post(COUNSELLOR, "/referrals/" + own + "/consent", PUPIL_ALONE_PARENTS_NOT_INFORMED, 200);
    }

    @Test
    void m3_theOverrideWithItsReasonStillDecides() {
        String id = draftWithItems(CaseServiceStandIn.PUPIL_OF_10);
        post(COUNSELLOR, "/referrals/" + id + "/consent", PUPIL_ALONE_PARENTS_NOT_INFORMED.replace("\"parentsNotInformed\"",
                "\"capableOverride\": true, \"parentsNotInformed\""), 409);
        post(COUNSELLOR, "/referrals/" + id + "/consent", PUPIL_ALONE_PARENTS_NOT_INFORMED.replace("\"parentsNotInformed\"",
                "\"capableOverride\": true, \"overrideReason\": \"Mature, assessed by the CLB doctor.\", "
                        + "\"parentsNotInformed\""), 200);
    }

    @Test
    void m1_aCorrectionInTheRegisterCountsWhenConsentIsRecorded() {
        String pupil = "sj-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        CaseServiceStandIn.register(pupil, LocalDate.now().minusYears(13));
        String id = draftWithItems(pupil);
        // The school's platform corrects the birth date: she is nine.
        CaseServiceStandIn.register(pupil, LocalDate.now().minusYears(9));
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(PUPIL_ALONE_PARENTS_NOT_INFORMED)
                .when().post("/referrals/" + id + "/consent").then().statusCode(409).body("rule", equalTo("M1"));
    }

    @Test
    void m1_aPupilWhoIsNotInTheSchoolsRegisterIsRefusedAtCreationAndTheRefusalIsAudited() {
        String unknown = "sj-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).header("X-Correlation-Id", "unknown-" + unknown)
                .body("{\"pupilId\": \"%s\", \"recipientId\": \"clb-gent\"}".formatted(unknown))
                .when().post("/referrals")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:not-found"));
        List<TestTopics.Received> audit = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains("unknown-" + unknown), Duration.ofSeconds(30));
        String record = audit.get(audit.size() - 1).value();
        assertTrue(record.contains("\"outcome\":\"REFUSED\"") && record.contains("referral.create"), record);
    }

    @Test
    void m1_nothingChangesWhenThePupilRegisterCannotBeReached() {
        String id = draftWithItems(CaseServiceStandIn.PUPIL_OF_13);
        int before = given().auth().oauth2(COUNSELLOR).when().get("/referrals").then().statusCode(200)
                .extract().path("size()");
        CaseServiceStandIn.down();
        try {
            given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                    .body("{\"pupilId\": \"%s\", \"recipientId\": \"clb-gent\"}".formatted(CaseServiceStandIn.PUPIL_OF_13))
                    .when().post("/referrals")
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("type", equalTo("urn:need-to-know:problem:case-service-unavailable"));
            given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(PUPIL_AGREES)
                    .when().post("/referrals/" + id + "/consent")
                    .then().statusCode(503).body("type", equalTo("urn:need-to-know:problem:case-service-unavailable"));
        } finally {
            CaseServiceStandIn.up();
        }
        given().auth().oauth2(COUNSELLOR).when().get("/referrals").then().statusCode(200)
                .body("size()", equalTo(before))
                .body("find { it.id == '%s' }.status".formatted(id), equalTo("DRAFT"));
    }

    @Test
    void n2_c3_aSchoolRefersToTheClbThatServesItOrToADirectlyAccessibleCareService() {
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1001\", \"recipientId\": \"clb-brugge\"}")
                .when().post("/referrals")
                .then().statusCode(403).contentType("application/problem+json").body("rule", equalTo("N2"));
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1001\", \"recipientId\": \"nowhere\"}")
                .when().post("/referrals").then().statusCode(404);
        // C3: a directly accessible care service may be addressed by the school itself; another one only through the CLB.
        draft("care-jongerenhulp");
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1001\", \"recipientId\": \"care-de-horizon\"}")
                .when().post("/referrals").then().statusCode(403).body("rule", equalTo("C3"));
        // Only counsellors and coordinators refer.
        given().auth().oauth2(TestTokens.of("an.teacher", "school-sint-jan", "school", "teacher")).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1001\", \"recipientId\": \"clb-gent\"}")
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
        CaseServiceStandIn.down();
        try {
            given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON)
                    .body("""
                            {"items": [{"type": "NOTE", "purpose": "what happened", "caseFileId": "%s", "noteId": "%s"}]}"""
                            .formatted(java.util.UUID.randomUUID(), java.util.UUID.randomUUID()))
                    .when().put("/referrals/" + id + "/items")
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("type", equalTo("urn:need-to-know:problem:case-service-unavailable"));
        } finally {
            CaseServiceStandIn.up();
        }
        given().auth().oauth2(COUNSELLOR).when().get("/referrals").then().statusCode(200)
                .body("find { it.id == '%s' }.items.size()".formatted(id), equalTo(3));
    }
}
