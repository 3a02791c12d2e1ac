package be.needtoknow.referrals.referral;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import be.needtoknow.testing.TestTokens;
import be.needtoknow.referrals.casefile.CaseServiceStandIn;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTopics;
import be.needtoknow.testing.Together;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * T1, T3, M1, M2: a referral sent with consent tells the family what went to whom and when, through a
 * link that case-service (here its stand-in, which keeps what it delivered as the family's mailboxes
 * would) mails to them, never through the counsellor; the party whose consent counted — the pupil
 * from 12, the parents below — may withdraw it there, which withdraws the referral as the school's
 * withdrawal does: the recipient is told on its topic and the school sees who withdrew.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = CaseServiceStandIn.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ReferralNoticeTest {

    static final String COUNSELLOR = ReferralTest.COUNSELLOR;
    static final String CLB_GENT = ReferralTest.CLB_GENT;
    static final String TOPIC = "ntk.referrals.clb-gent.v1";
    static final String WITHDRAWN = ReferralPayload.WITHDRAWN;
    static final String BROWSER = TransferNoticePageTest.BROWSER;

    static final String PARENTS_AGREE_CHILD_HEARD = """
            {"consulted": [{"party": "PUPIL", "when": "2026-11-20T10:00:00Z", "how": "conversation", "answer": "HEARD"},
                           {"party": "PARENTS", "when": "2026-11-20T10:00:00Z", "how": "meeting", "answer": "AGREED"}],
             "parentsNotInformed": false}""";

    /** A referral of this pupil to CLB Gent, consented as given and sent; returns its id. */
    static String sent(String pupilId, String consent) {
        String id = ReferralTest.draftWithItems(pupilId);
        ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/consent", consent, 200);
        ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/send", null, 200);
        return id;
    }

    /** A new pupil of school-sint-jan in the stand-in's register, this old today. */
    static String pupilAged(int years) {
        String pupil = "sj-" + UUID.randomUUID().toString().substring(0, 8);
        CaseServiceStandIn.register(pupil, LocalDate.now().minusYears(years));
        return pupil;
    }

    static JsonPath owners(String id) {
        return given().auth().oauth2(COUNSELLOR).when().get("/referrals/" + id).then().statusCode(200)
                .extract().jsonPath();
    }

    static long withdrawnEvents(String id) {
        return TestTopics.readToEnd(TestTopics.as("clb-gent"), TOPIC).stream()
                .filter(r -> id.equals(r.key()) && WITHDRAWN.equals(r.headers().get("ce_type"))).count();
    }

    static void awaitWithdrawnEvent(String id) {
        List<TestTopics.Received> gent = TestTopics.readUntil(TestTopics.as("clb-gent"), TOPIC,
                r -> r.value().contains(id) && WITHDRAWN.equals(r.headers().get("ce_type")), Duration.ofSeconds(30));
        assertEquals(WITHDRAWN, gent.get(gent.size() - 1).headers().get("ce_type"), "the CLB was not told");
    }

    @Test
    void t1_t3_aReferralSentWithTheConsentOfAPupilOf13SendsThePupilANoticeAndNoneToTheParentsWhoWereNotInformed() {
        String id = ReferralTest.draftWithItems(CaseServiceStandIn.PUPIL_OF_13);
        ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/consent", ReferralTest.PUPIL_ALONE_PARENTS_NOT_INFORMED, 200);
        String sendAnswer = given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + id + "/send")
                .then().statusCode(200).body("status", equalTo("SENT"))
                .body("notices.size()", equalTo(1)).body("notices[0].party", equalTo("PUPIL"))
                .body("notices[0].sent.channel", equalTo("MAIL")).body("notices[0].sent.addresses", equalTo(1))
                .body("notices[0].sent.summary", containsString("the pupil"))
                .extract().asString();
        // M1: the pupil asked that the parents not be informed: nothing went to them.
        List<String[]> deliveries = CaseServiceStandIn.deliveries(id);
        assertEquals(1, deliveries.size(), "only the pupil's notice is sent");
        assertEquals(CaseServiceStandIn.PUPIL, deliveries.get(0)[0]);
        String link = CaseServiceStandIn.delivered(id, CaseServiceStandIn.PUPIL);
        assertTrue(link.startsWith("/referral-notices/"), link);
        String secret = link.substring(link.indexOf('.') + 1);
        // The family's link is theirs: no answer of the counsellor's carries its path or secret.
        String read = given().auth().oauth2(COUNSELLOR).when().get("/referrals/" + id).then().statusCode(200)
                .body("notices[0].party", equalTo("PUPIL")).body("notices[0].path", nullValue())
                .body("withdrawnBy", nullValue()).extract().asString();
        String list = given().auth().oauth2(COUNSELLOR).when().get("/referrals").then().statusCode(200).extract().asString();
        for (String answer : List.of(sendAnswer, read, list)) {
            assertFalse(answer.contains(secret), "a counsellor's answer carries the family's secret");
            assertFalse(answer.contains("/referral-notices/"), "a counsellor's answer carries the family's link");
        }
        // The pupil's notice: what went to whom and when, the status, and the consent is theirs to withdraw.
        given().when().get(link).then().statusCode(200).body("party", equalTo("PUPIL"))
                .body("recipient", equalTo("CLB Gent")).body("status", equalTo("SENT")).body("state", equalTo("OPEN"))
                .body("sentAt", notNullValue()).body("consentCounted", equalTo(true)).body("mayWithdraw", equalTo(true))
                .body("items[0].text", equalTo("Can you help Lotte with school refusal?"))
                .body("explanation", containsString("niet ongedaan"));
        // The page says plainly what a withdrawal does and does not do, in Dutch, and in English on request.
        String page = given().accept(BROWSER).when().get(link).then().statusCode(200)
                .contentType(containsString("text/html")).extract().asString();
        assertTrue(page.contains("niet ongedaan gemaakt"), page);
        assertTrue(page.contains("action=\"" + link + "/withdrawal?lang=nl\""), "the form without script");
        assertFalse(page.contains("<script"), page);
        String english = given().accept(BROWSER).when().get(link + "?lang=en").then().statusCode(200).extract().asString();
        assertTrue(english.contains("is not undone") && english.contains("may no longer use the referral"), english);
        // A transfer has its own notice (X); an urgent-danger referral, without consent, issues none here.
        String urgent = ReferralTest.draftWithItems(CaseServiceStandIn.PUPIL_OF_13);
        ReferralTest.post(COUNSELLOR, "/referrals/" + urgent + "/urgent-danger",
                "{\"justification\": \"Visible injuries and she says she is afraid to go home tonight.\"}", 200);
        given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + urgent + "/send").then().statusCode(200)
                .body("notices", nullValue());
        assertTrue(CaseServiceStandIn.deliveries(urgent).isEmpty());
    }

    @Test
    void t1_withoutARegisteredAddressTheSendIsRefusedAndNothingChanges() {
        String pupil = pupilAged(13);
        CaseServiceStandIn.familyContacts(pupil, CaseServiceStandIn.PARENTS);
        String id = ReferralTest.draftWithItems(pupil);
        ReferralTest.post(COUNSELLOR, "/referrals/" + id + "/consent", ReferralTest.PUPIL_AGREES, 200);
        given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + id + "/send").then().statusCode(409)
                .contentType("application/problem+json").body("type", containsString("no-family-contact"));
        owners(id);
        given().auth().oauth2(COUNSELLOR).when().get("/referrals/" + id).then().body("status", equalTo("READY"))
                .body("sentAt", nullValue()).body("notices", nullValue());
        assertTrue(CaseServiceStandIn.deliveries(id).isEmpty(), "the pupil's refusal comes before any mail");
        given().auth().oauth2(CLB_GENT).when().get("/referrals/" + id).then().statusCode(404);
    }

    @Test
    void t3_thePupilWithdrawsFromTheirNoticeTheRecipientIsToldOnItsTopicAndTheSchoolSeesIt() {
        String id = sent(CaseServiceStandIn.PUPIL_OF_13, ReferralTest.PUPIL_AGREES);
        // The pupil of 13 consented and did not ask to keep the parents out: both are told (T, M1).
        given().auth().oauth2(COUNSELLOR).when().get("/referrals/" + id).then().statusCode(200)
                .body("notices.party", org.hamcrest.Matchers.containsInAnyOrder("PUPIL", "PARENTS"));
        ReferralTest.post(CLB_GENT, "/referrals/" + id + "/receipt", null, 200);
        String link = CaseServiceStandIn.delivered(id, CaseServiceStandIn.PUPIL);
        given().header("X-Correlation-Id", "pupil-withdraws-" + id).contentType(ContentType.JSON)
                .body("{\"reason\": \"I want to talk to the CLB myself first.\"}")
                .when().post(link + "/withdrawal")
                .then().statusCode(200).body("status", equalTo("WITHDRAWN")).body("state", equalTo("WITHDRAWN"))
                .body("withdrawnBy", equalTo("PUPIL")).body("mayWithdraw", equalTo(false));
        awaitWithdrawnEvent(id);
        // The recipient can no longer move it on, and sees the status, not the items.
        ReferralTest.post(CLB_GENT, "/referrals/" + id + "/acceptance", null, 409);
        given().auth().oauth2(CLB_GENT).when().get("/referrals/" + id).then().statusCode(200)
                .body("status", equalTo("WITHDRAWN")).body("items", nullValue()).body("withdrawnBy", nullValue());
        JsonPath school = owners(id);
        assertEquals("WITHDRAWN", school.getString("status"));
        assertEquals("PUPIL", school.getString("withdrawnBy"));
        assertNotNull(school.getString("withdrawnAt"));
        assertEquals("I want to talk to the CLB myself first.", school.getString("withdrawalReason"));
        // Audited with the link's holder as the actor, and no words of theirs in the record (A1).
        List<TestTopics.Received> audit = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains("pupil-withdraws-" + id), Duration.ofSeconds(30));
        JsonPath record = JsonPath.from(audit.get(audit.size() - 1).value());
        assertEquals("GRANTED", record.getString("outcome"));
        assertEquals("referral.withdraw", record.getString("action"));
        assertEquals("pupil-link", record.getString("actor.username"));
        assertFalse(audit.get(audit.size() - 1).value().contains("myself"), "the reason is content");
        // The page says who withdrew and when.
        String page = given().accept(BROWSER).when().get(link).then().statusCode(200).extract().asString();
        assertTrue(page.contains("Je hebt je toestemming op"), page);
        assertFalse(page.contains("id=\"withdraw\""), "nothing left to withdraw");
    }

    /**
     * T3: the owner sends the family's notices again: each with a new secret, to the same registered
     * contacts (the request takes no address); the old link no longer opens, the new one does, and the
     * answer carries neither. Another counsellor gets 404; a referral without notices 409.
     */
    @Test
    void t3_theOwnerSendsTheNoticesAgainWithNewSecretsAndTheOldLinkStopsOpening() {
        String id = sent(CaseServiceStandIn.PUPIL_OF_13, ReferralTest.PUPIL_AGREES);
        String before = CaseServiceStandIn.delivered(id, CaseServiceStandIn.PUPIL);
        int deliveries = CaseServiceStandIn.deliveries(id).size();
        String answer = given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + id + "/notices/resend")
                .then().statusCode(200).body("party", org.hamcrest.Matchers.hasItem("PUPIL"))
                .body("[0].sent.channel", equalTo("MAIL")).extract().asString();
        assertEquals(2 * deliveries, CaseServiceStandIn.deliveries(id).size(), "each notice delivered once more");
        String after = CaseServiceStandIn.delivered(id, CaseServiceStandIn.PUPIL);
        assertNotEquals(before, after);
        assertFalse(answer.contains(after.substring(after.indexOf('.') + 1)), "the answer carries the new secret");
        given().when().get(before).then().statusCode(404);
        given().when().get(after).then().statusCode(200).body("party", equalTo("PUPIL"));
        given().auth().oauth2(TestTokens.of("bert.counsellor", "school-sint-jan", "school", "pupil-counsellor")).when().post("/referrals/" + id + "/notices/resend")
                .then().statusCode(404);
        String draft = ReferralTest.draftWithItems(CaseServiceStandIn.PUPIL_OF_13);
        given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + draft + "/notices/resend")
                .then().statusCode(409).contentType(containsString("application/problem+json"))
                .body("type", equalTo("urn:need-to-know:problem:no-open-notice"));
    }

    @Test
    void m1_aParentsNoticeOfAPupilOf12IsInformativeAndCannotWithdraw() {
        String id = sent(pupilAged(12), ReferralTest.PUPIL_AGREES);
        String parents = CaseServiceStandIn.delivered(id, CaseServiceStandIn.PARENTS);
        assertNotNull(parents, "the parents of a pupil who did not keep them out are informed");
        given().when().get(parents).then().statusCode(200).body("party", equalTo("PARENTS"))
                .body("state", equalTo("INFORMED")).body("consentCounted", equalTo(false))
                .body("mayWithdraw", equalTo(false)).body("items.size()", equalTo(3));
        String page = given().accept(BROWSER).when().get(parents).then().statusCode(200).extract().asString();
        assertFalse(page.contains("/withdrawal"), "an informative notice has no form to withdraw");
        assertTrue(page.contains("alleen uw kind kan die intrekken"), page);
        given().contentType(ContentType.JSON).body("{}").when().post(parents + "/withdrawal")
                .then().statusCode(403).contentType("application/problem+json").body("rule", equalTo("M1"));
        given().contentType(ContentType.URLENC).formParam("reason", "").accept(BROWSER)
                .when().post(parents + "/withdrawal").then().statusCode(403).contentType(containsString("text/html"));
        owners(id);
        given().auth().oauth2(COUNSELLOR).when().get("/referrals/" + id).then().body("status", equalTo("SENT"))
                .body("withdrawnBy", nullValue());
    }

    @Test
    void m2_belowTwelveTheParentsNoticeWithdraws() {
        String id = sent(CaseServiceStandIn.PUPIL_OF_10, PARENTS_AGREE_CHILD_HEARD);
        List<String[]> deliveries = CaseServiceStandIn.deliveries(id);
        assertEquals(1, deliveries.size(), "below 12 the parents' consent counted: their notice only");
        assertEquals(CaseServiceStandIn.PARENTS, deliveries.get(0)[0]);
        String parents = deliveries.get(0)[1];
        given().when().get(parents).then().statusCode(200).body("consentCounted", equalTo(true))
                .body("mayWithdraw", equalTo(true));
        // The page's form, without script: answered by a redirect back to the page.
        given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("reason", "We would rather go to the family doctor first.")
                .when().post(parents + "/withdrawal?lang=en")
                .then().statusCode(303).header("Location", parents + "?lang=en");
        String page = given().accept(BROWSER).when().get(parents + "?lang=en").then().statusCode(200).extract().asString();
        assertTrue(page.contains("You withdrew your consent on"), page);
        JsonPath school = owners(id);
        assertEquals("WITHDRAWN", school.getString("status"));
        assertEquals("PARENTS", school.getString("withdrawnBy"));
        assertEquals("We would rather go to the family doctor first.", school.getString("withdrawalReason"));
        awaitWithdrawnEvent(id);
    }

    @Test
    void t3_aWrongSecretIs404AndAWithdrawnReferralCannotBeWithdrawnAgain() throws Exception {
        String id = sent(CaseServiceStandIn.PUPIL_OF_13, ReferralTest.PUPIL_AGREES);
        String link = CaseServiceStandIn.delivered(id, CaseServiceStandIn.PUPIL);
        String wrong = link.substring(0, link.length() - 4) + (link.endsWith("AAAA") ? "BBBB" : "AAAA");
        given().header("X-Correlation-Id", "wrong-referral-link-" + id).when().get(wrong)
                .then().statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{}").when().post(wrong + "/withdrawal").then().statusCode(404);
        given().accept(BROWSER).when().get(wrong).then().statusCode(404).contentType(containsString("text/html"));
        given().when().get("/referral-notices/not-a-notice").then().statusCode(404);
        List<TestTopics.Received> audit = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains("wrong-referral-link-" + id), Duration.ofSeconds(30));
        JsonPath record = JsonPath.from(audit.get(audit.size() - 1).value());
        assertEquals("REFUSED", record.getString("outcome"));
        assertEquals("referral.notice.read", record.getString("action"));
        owners(id);
        given().auth().oauth2(COUNSELLOR).when().get("/referrals/" + id).then().body("status", equalTo("SENT"));
        // Withdrawn once; a second withdrawal is out of order, and a referral the recipient closed is too.
        given().contentType(ContentType.JSON).body("{}").when().post(link + "/withdrawal").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{}").when().post(link + "/withdrawal").then().statusCode(409)
                .contentType("application/problem+json");
        String declined = sent(CaseServiceStandIn.PUPIL_OF_13, ReferralTest.PUPIL_AGREES);
        ReferralTest.post(CLB_GENT, "/referrals/" + declined + "/decline", "{\"reason\": \"Not ours to help with\"}", 200);
        String declinedLink = CaseServiceStandIn.delivered(declined, CaseServiceStandIn.PUPIL);
        given().when().get(declinedLink).then().statusCode(200).body("state", equalTo("ENDED"))
                .body("mayWithdraw", equalTo(false));
        given().contentType(ContentType.JSON).body("{}").when().post(declinedLink + "/withdrawal").then().statusCode(409);
        given().contentType(ContentType.JSON).body("{\"reason\": \"" + "x".repeat(2001) + "\"}")
                .when().post(declinedLink + "/withdrawal").then().statusCode(400);

        // A race: sixteen withdrawals at once through one link withdraw once, and the recipient is told once.
        String raced = sent(CaseServiceStandIn.PUPIL_OF_13, ReferralTest.PUPIL_AGREES);
        String racedLink = CaseServiceStandIn.delivered(raced, CaseServiceStandIn.PUPIL);
        List<Integer> statuses = Together.attempts(16, n -> given().contentType(ContentType.JSON)
                .body("{\"reason\": \"attempt " + n + "\"}").when().post(racedLink + "/withdrawal").then()
                .extract().statusCode());
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(15, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        awaitWithdrawnEvent(raced);
        assertEquals(1, withdrawnEvents(raced), "one withdrawn event on the recipient's topic");
    }
}
