package be.needtoknow.referrals.referral;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import be.needtoknow.referrals.casefile.CaseServiceStandIn;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import be.needtoknow.testing.TestTopics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * X: a transfer to another school carries the item list discussed with the parents and the pupil;
 * they see it through their own link and may object before it is sent, unless they agree earlier;
 * records of breaches of school rules never go, also not after a definitive exclusion.
 * <p>
 * The parents and the pupil are a party of their own: their link's secret is their credential, so
 * it goes straight to them through the family's channel (case-service mails it to the contacts the
 * school platform imported; here its stand-in keeps what it delivered, as the family's mailboxes
 * would) and never to the counsellor whose action they check, who could otherwise agree on their
 * behalf and skip the period to object. The school sees that and how each link was sent; without a
 * registered address nothing is issued; a resend gives new secrets, so an old link no longer opens.
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
    static final String COLLEAGUE = TestTokens.of("bert.counsellor", "school-sint-jan", "school", "pupil-counsellor");

    @Inject
    EntityManager em;

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

    /**
     * Records the discussion; returns the links delivered to the family (X: through case-service, here
     * its stand-in, never in the counsellor's answer), parents first.
     */
    static List<String> discuss(String id, String discussion) {
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(discussion)
                .when().post("/referrals/" + id + "/consent")
                .then().statusCode(200).body("status", equalTo("READY")).body("notices.party", hasItem("PARENTS"));
        return CaseServiceStandIn.links(id);
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

    private long count(String sql, Object... parameters) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = em.createNativeQuery(sql);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            return ((Number) query.getSingleResult()).longValue();
        });
    }

    private static String consent(String id, int status) {
        return given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(DISCUSSED)
                .when().post("/referrals/" + id + "/consent").then().statusCode(status).extract().asString();
    }

    private static String referrals() {
        return given().auth().oauth2(COUNSELLOR).when().get("/referrals").then().statusCode(200).extract().asString();
    }

    private static String secretOf(String link) {
        return link.substring(link.lastIndexOf('.') + 1);
    }

    /** Plant and search: none of the delivered links, nor their secrets, is in what the school's staff gets. */
    private static void assertNoLinkIn(String body, List<String[]> delivered) {
        assertFalse(body.contains("/transfer-notices/"), body);
        for (String[] d : delivered) {
            assertFalse(body.contains(d[1]), "the " + d[0] + "'s link reached the counsellor");
            assertFalse(body.contains(secretOf(d[1])), "the " + d[0] + "'s secret reached the counsellor");
        }
    }

    /** The audit records of this referral in the outbox, with this action and outcome. */
    private long auditRecords(String id, String action, String outcome) {
        return count("select count(*) from outbox_event where topic = 'ntk.audit.v1' and subject = ?1 "
                + "and payload like ?2 and payload like ?3", "referral/" + id, "%\"action\":\"" + action + "\"%",
                "%\"outcome\":\"" + outcome + "\"%");
    }

    @Test
    void x_theCounsellorsConsentAnswerCarriesNoFamilyLink() {
        String id = transfer(CaseServiceStandIn.PUPIL_OF_13, false);
        String answer = consent(id, 200);
        List<String[]> delivered = CaseServiceStandIn.deliveries(id);
        assertEquals(2, delivered.size(), "one link to the parents, one to the pupil of 13");
        assertNoLinkIn(answer, delivered);
        String list = referrals();
        assertNoLinkIn(list, delivered);
        String preview = given().auth().oauth2(COUNSELLOR).when().get("/referrals/" + id + "/preview")
                .then().statusCode(200).extract().asString();
        assertNoLinkIn(preview, delivered);
        // Nor in anything this service stores for others to read: its audit records and events.
        for (String[] d : delivered) {
            assertEquals(0, count("select count(*) from outbox_event where payload like ?1", "%" + secretOf(d[1]) + "%"));
        }

        // What the school sees instead: that, how, when and to how many addresses each was sent.
        JsonPath consented = JsonPath.from(answer);
        assertEquals(List.of("PARENTS", "PUPIL"), consented.getList("notices.party"));
        assertEquals(List.of(2, 1), consented.getList("notices.sent.addresses"));
        assertEquals(List.of("MAIL", "MAIL"), consented.getList("notices.sent.channel"));
        assertTrue(consented.getString("notices[0].sent.summary").contains("2 addresses"), answer);
        assertNotNull(consented.getString("notices[0].sent.sentAt"), answer);
        JsonPath listed = JsonPath.from(list);
        assertEquals(List.of(2, 1), listed.getList("find { it.id == '" + id + "' }.notices.sent.addresses"));
        assertEquals(consented.getString("notices[1].sent.summary"),
                listed.getString("find { it.id == '" + id + "' }.notices[1].sent.summary"));

        // The family's own links open their notices.
        given().when().get(CaseServiceStandIn.delivered(id, CaseServiceStandIn.PARENTS)).then().statusCode(200)
                .body("party", equalTo("PARENTS")).body("state", equalTo("OPEN"));
        given().when().get(CaseServiceStandIn.delivered(id, CaseServiceStandIn.PUPIL)).then().statusCode(200)
                .body("party", equalTo("PUPIL"));
    }

    @Test
    void x_withoutARegisteredContactTheConsentIsRefusedAndNothingIsStored() {
        String id = transfer(CaseServiceStandIn.PUPIL_WITHOUT_CONTACT, false);
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(DISCUSSED)
                .when().post("/referrals/" + id + "/consent")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("no-family-contact"));
        assertNothingIssued(id);
        assertEquals(1, auditRecords(id, "referral.consent", "REFUSED"), "the refusal is audited (A1)");

        // The pupil has no address, the parents do: refused before any mail went out, so the
        // parents never get a link that the rollback left dead.
        String pupil = "sj-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        CaseServiceStandIn.register(pupil, LocalDate.now().minusYears(13));
        CaseServiceStandIn.familyContacts(pupil, CaseServiceStandIn.PARENTS);
        String partly = transfer(pupil, false);
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(DISCUSSED)
                .when().post("/referrals/" + partly + "/consent")
                .then().statusCode(409).body("type", endsWith("no-family-contact"));
        assertNothingIssued(partly);

        // Once the school platform's import carries the addresses, the same discussion goes through.
        CaseServiceStandIn.familyContacts(pupil, CaseServiceStandIn.PARENTS, CaseServiceStandIn.PUPIL);
        consent(partly, 200);
        assertEquals(2, CaseServiceStandIn.deliveries(partly).size());
    }

    private void assertNothingIssued(String id) {
        assertEquals(List.of(), CaseServiceStandIn.deliveries(id), "no link reached anyone");
        assertEquals(0, count("select count(*) from transfer_notice where referral_id = cast(?1 as uuid)", id));
        assertEquals(1, count("select count(*) from referral where id = cast(?1 as uuid) and consent is null "
                + "and consent_items_hash is null and status = 'DRAFT'", id), "no consent is recorded");
        given().auth().oauth2(COUNSELLOR).when().get("/referrals").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.status", equalTo("DRAFT"))
                .body("find { it.id == '" + id + "' }.notices", hasSize(0));
        post(COUNSELLOR, "/referrals/" + id + "/send", 409);
    }

    private static void post(String token, String path, int status) {
        ReferralTest.post(token, path, null, status);
    }

    @Test
    void x_aResendGivesNewSecretsAndTheOldLinkNoLongerOpens() {
        String id = transfer(CaseServiceStandIn.PUPIL_OF_13, false);
        List<String> old = discuss(id, DISCUSSED);
        assertEquals(2, old.size());
        // The parents answered before they lost their mail: the answer stays.
        post(null, old.get(0) + "/agreement", 200);

        String answer = given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + id + "/notices/resend")
                .then().statusCode(200).contentType(containsString("application/json"))
                .body("party", equalTo(List.of("PARENTS", "PUPIL")))
                .body("sent.addresses", equalTo(List.of(2, 1)))
                .body("sent.channel", equalTo(List.of("MAIL", "MAIL")))
                .body("[0].answer", equalTo("AGREED"))
                .extract().asString();
        List<String[]> delivered = CaseServiceStandIn.deliveries(id);
        assertEquals(4, delivered.size(), "each link delivered again, to the same registered contacts");
        assertNoLinkIn(answer, delivered);
        assertNoLinkIn(referrals(), delivered);
        List<String> renewed = CaseServiceStandIn.links(id);
        assertEquals(2, renewed.size());
        for (int i = 0; i < 2; i++) {
            String before = old.get(i);
            String after = renewed.get(i);
            assertNotEquals(secretOf(before), secretOf(after), "a new secret");
            assertEquals(before.substring(0, before.lastIndexOf('.')), after.substring(0, after.lastIndexOf('.')),
                    "the same notice, with its period and answer");
            given().when().get(before).then().statusCode(404).contentType("application/problem+json");
            given().when().get(after).then().statusCode(200).body("state", equalTo("OPEN"));
        }
        given().when().get(renewed.get(0)).then().body("answer", equalTo("AGREED"));
        post(null, old.get(1) + "/agreement", 404);
        post(null, renewed.get(1) + "/agreement", 200);
        assertEquals(1, auditRecords(id, "transfer.notice.resend", "GRANTED"));
        // Both agreed through their own links: the school may send.
        post(COUNSELLOR, "/referrals/" + id + "/send", 200);
    }

    @Test
    void x_onlyTheOwnerResendsAndOnlyWhileTheNoticesMayBeAnswered() {
        String id = transfer(CaseServiceStandIn.PUPIL_OF_10, false);
        String link = discuss(id, DISCUSSED).get(0);
        // Another counsellor of the school, the new school: as for every owner-only endpoint, 404.
        for (String other : List.of(COLLEAGUE, NEW_SCHOOL)) {
            given().auth().oauth2(other).when().post("/referrals/" + id + "/notices/resend")
                    .then().statusCode(404).contentType("application/problem+json");
        }
        given().when().post("/referrals/" + id + "/notices/resend").then().statusCode(401);
        assertEquals(1, CaseServiceStandIn.deliveries(id).size(), "nothing sent again");
        assertEquals(2, auditRecords(id, "transfer.notice.resend", "REFUSED"));

        // case-service cannot be reached: 503, and nothing changed (the link sent before still opens).
        CaseServiceStandIn.down();
        try {
            given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + id + "/notices/resend")
                    .then().statusCode(503).contentType("application/problem+json");
        } finally {
            CaseServiceStandIn.up();
        }
        given().when().get(link).then().statusCode(200).body("state", equalTo("OPEN"));

        // Sent: the notices can no longer be answered, so no new link.
        post(null, link + "/agreement", 200);
        post(COUNSELLOR, "/referrals/" + id + "/send", 200);
        given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + id + "/notices/resend")
                .then().statusCode(409).contentType("application/problem+json").body("type", endsWith("notice-closed"));
        given().when().get(link).then().statusCode(200).body("state", equalTo("SENT"));
        assertEquals(1, CaseServiceStandIn.deliveries(id).size(), "nothing sent again");

        // The period ended: a new link could no longer be answered; a new discussion gives a new period.
        String ended = transfer(CaseServiceStandIn.PUPIL_OF_10, false);
        String endedLink = discuss(ended, DISCUSSED).get(0);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update transfer_notice "
                + "set period_ends_at = now() - interval '1 minute' where referral_id = cast(?1 as uuid)")
                .setParameter(1, ended).executeUpdate());
        given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + ended + "/notices/resend")
                .then().statusCode(409).body("type", endsWith("notice-closed"))
                .body("detail", containsString("Record the discussion again"));
        given().when().get(endedLink).then().statusCode(200).body("state", equalTo("PERIOD_ENDED"));

        // Withdrawn, or its items changed (the notices superseded): 409 too.
        String withdrawn = transfer(CaseServiceStandIn.PUPIL_OF_10, false);
        discuss(withdrawn, DISCUSSED);
        post(COUNSELLOR, "/referrals/" + withdrawn + "/withdraw", 200);
        post(COUNSELLOR, "/referrals/" + withdrawn + "/notices/resend", 409);
        String changed = transfer(CaseServiceStandIn.PUPIL_OF_10, false);
        discuss(changed, DISCUSSED);
        given().auth().oauth2(COUNSELLOR).contentType(ContentType.JSON).body(ReferralTest.ITEMS)
                .when().put("/referrals/" + changed + "/items").then().statusCode(200);
        given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + changed + "/notices/resend")
                .then().statusCode(409).body("type", endsWith("no-open-notice"));
        // A referral to the CLB has no notices.
        String referral = ReferralTest.draft("clb-gent");
        given().auth().oauth2(COUNSELLOR).when().post("/referrals/" + referral + "/notices/resend")
                .then().statusCode(409).body("type", endsWith("no-open-notice"));
        assertNull(CaseServiceStandIn.delivered(referral, CaseServiceStandIn.PARENTS));
        given().auth().oauth2(COUNSELLOR).when().get("/referrals").then().statusCode(200)
                .body("find { it.id == '" + changed + "' }.notices", hasSize(0))
                .body("find { it.id == '" + referral + "' }.notices", nullValue());
    }
}
