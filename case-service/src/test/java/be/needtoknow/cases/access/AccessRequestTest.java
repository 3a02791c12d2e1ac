package be.needtoknow.cases.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.cases.retention.RetentionPurge;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import be.needtoknow.testing.TestTopics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * T4: parents and pupil learn what the school holds through a link that the DPO issues for their
 * request; the DPO sees that the request was made and read, never the content (N3); no staff member
 * gets a whole-pupil export (N3, R1); a pupil asks on their own from 12 (M1).
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AccessRequestTest {

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    PupilPseudonyms pseudonyms;

    @Inject
    RetentionPurge purge;

    private String pupil;
    private String file;
    /** Unique strings planted in the pupil's records, so that a 200 is checked for what it carries. */
    private String privateMarker;
    private String careTeamMarker;
    private String teachersMarker;
    private String signalMarker;
    private String measureMarker;

    private static String dpo() {
        return TestTokens.of("frank.dpo", Fixtures.SCHOOL, "school", "dpo");
    }

    private static String body(String requestedBy) {
        return """
                {"requestedBy": "%s", "requestedAt": "2026-11-20T09:30:00Z",
                 "identityCheck": "eID shown at the school's desk"}""".formatted(requestedBy);
    }

    @BeforeEach
    void world() {
        Fixtures.importStaff();
        String m = UUID.randomUUID().toString().substring(0, 8);
        privateMarker = "hunch-" + m;
        careTeamMarker = "talked-with-mother-" + m;
        teachersMarker = "extra-time-" + m;
        signalMarker = "cries-at-break-" + m;
        measureMarker = "detention-" + m;
        pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        file = Fixtures.openCaseFile(pupil);
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"givenAt\": \"2026-01-15T10:00:00Z\", \"how\": \"WRITTEN\"}")
                .when().post("/case-files/" + file + "/confidentiality-notices").then().statusCode(201);
        for (String[] note : new String[][] { { "PRIVATE", privateMarker },
                { "CARE_TEAM", careTeamMarker + " <script>alert(1)</script>" }, { "TEACHERS", teachersMarker } }) {
            given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                    .body("{\"kind\": \"OBSERVATION\", \"visibility\": \"%s\", \"text\": \"%s\"}".formatted(note[0], note[1]))
                    .when().post("/case-files/" + file + "/notes").then().statusCode(201);
        }
        given().auth().oauth2(Fixtures.otherTeacher()).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"concern\": \"%s\"}".formatted(pupil, signalMarker))
                .when().post("/signals").then().statusCode(201);
        given().auth().oauth2(Fixtures.discipline()).contentType(ContentType.JSON)
                .body("{\"measureType\": \"%s\", \"decidedOn\": \"2026-02-03\"}".formatted(measureMarker))
                .when().post("/pupils/" + pupil + "/discipline-measures").then().statusCode(201);
    }

    /**
     * The DPO registers a request; returns the path of the link that reached the requester's own
     * mailbox (the parents' first address, or the pupil's), never the DPO's answer (T4, N3).
     */
    private String register(String pupilId, String requestedBy) {
        String answer = given().auth().oauth2(dpo()).contentType(ContentType.JSON).body(body(requestedBy))
                .when().post("/pupils/" + pupilId + "/access-requests")
                .then().statusCode(201)
                .body("requestedBy", equalTo(requestedBy))
                .body("registeredBy", equalTo("frank.dpo"))
                .body("identityCheck", equalTo("eID shown at the school's desk"))
                .body("firstReadAt", nullValue())
                .body("path", nullValue())
                .body("sent.channel", equalTo("MAIL"))
                .body("sent.addressee", equalTo(requestedBy))
                .body("sent.addresses", equalTo(requestedBy.equals("PARENTS") ? 2 : 1))
                .extract().asString();
        String path = Fixtures.familyLinkPath(requestedBy.equals("PARENTS") ? Fixtures.parentAddress(pupilId, 1)
                : Fixtures.pupilAddress(pupilId), "access-packages");
        // T4, N3: the link's secret is the requester's credential; the DPO's answer never carries it.
        assertFalse(answer.contains(path.substring(path.indexOf('.') + 1)), "the DPO's answer carries the link's secret");
        assertFalse(answer.contains("/access-packages/"), "the DPO's answer carries a link");
        return path;
    }

    private JsonNode record(String value) {
        try {
            return json.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The audit record of this action on this request with this outcome, from ntk.audit.v1. */
    private JsonNode audited(String action, String requestId, String outcome) {
        List<TestTopics.Received> read = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains(requestId) && r.value().contains(action) && r.value().contains(outcome),
                Duration.ofSeconds(30));
        JsonNode record = record(read.get(read.size() - 1).value());
        assertEquals(action, record.get("action").asText(), "no " + outcome + " " + action + " record for " + requestId);
        assertEquals(outcome, record.get("outcome").asText());
        assertEquals(requestId, record.get("resourceId").asText());
        return record;
    }

    private static String requestId(String path) {
        String link = path.substring("/access-packages/".length());
        return link.substring(0, link.indexOf('.'));
    }

    @Test
    void t4_theParentsLinkCarriesWhatTheSchoolHoldsButNoPrivateNoteAndNoReporter() {
        String path = register(pupil, "PARENTS");
        String body = given().accept(ContentType.JSON).when().get(path)
                .then().statusCode(200)
                .body("requestedBy", equalTo("PARENTS"))
                .body("pupil.pupilId", equalTo(pupil))
                .body("pupil.givenName", equalTo("Lotte"))
                .body("caseFiles", hasSize(1))
                .body("caseFiles[0].reason", equalTo("Often absent on Mondays"))
                .body("caseFiles[0].confidentialityNotices[0].how", equalTo("WRITTEN"))
                .body("caseFiles[0].notes", hasSize(2))
                .body("caseFiles[0].notes.visibility", not(hasItem("PRIVATE")))
                .body("signals[0].concern", equalTo(signalMarker))
                .body("disciplineMeasures[0].measureType", equalTo(measureMarker))
                .body("leftOut", hasItem("private-working-notes"))
                .body("leftOut", hasItem("signal-reporters"))
                .extract().asString();
        assertTrue(body.contains(careTeamMarker) && body.contains(teachersMarker), body);
        assertFalse(body.contains(privateMarker), "a private working note is in the package");
        assertFalse(body.contains("tom.teacher"), "a signal's reporter is in the package");

        // The read is audited with the link's holder as the actor.
        JsonNode read = audited("access-package.read", requestId(path), "GRANTED");
        assertEquals("parents-link", read.at("/actor/username").asText());
        assertEquals("legal-obligation", read.get("legalBasis").asText());
        audited("access-request.register", requestId(path), "GRANTED");
    }

    @Test
    void t4_withoutReferralServiceThePackageSaysTheReferralsCouldNotBeShown() {
        // The test profile points case-service at a port where nothing listens: referral-service is down.
        String path = register(pupil, "PARENTS");
        given().accept(ContentType.JSON).when().get(path)
                .then().statusCode(200)
                .body("referrals", nullValue()) // never an empty list: that would say there are none
                .body("leftOut", hasItem("referrals-unavailable"))
                .body("caseFiles", hasSize(1));
        String html = given().accept(BROWSER).when().get(path).then().statusCode(200).extract().asString();
        assertTrue(html.contains("De doorverwijzingen en overdrachten konden nu niet getoond worden. Dat wil niet zeggen "
                + "dat er geen zijn. Probeer het later opnieuw met dezelfde link."), html);
        assertFalse(html.contains("referrals-unavailable"), html);
        String en = given().accept(BROWSER).queryParam("lang", "en").when().get(register(pupil, "PUPIL"))
                .then().statusCode(200).extract().asString();
        assertTrue(en.contains("Your referrals and transfers could not be shown now. That does not mean there are none."),
                en);
    }

    @Test
    void t4_n3_theLinkGoesToEachParentsOwnMailboxAndTheTrailSaysHowNeverWhere() {
        String path = register(pupil, "PARENTS");
        // One message per address, each with the link; the DPO's mailbox, answer and list hold none.
        assertEquals(path, Fixtures.familyLinkPath(Fixtures.parentAddress(pupil, 2), "access-packages"));
        assertTrue(TestStack.mailbox(Fixtures.pupilAddress(pupil)).isEmpty(), "the pupil got the parents' link");
        var mail = TestStack.mailbox(Fixtures.parentAddress(pupil, 1)).get(0);
        assertTrue(mail.subject().startsWith("Sint-Jansschool: wat de school bijhoudt over Lotte"), mail.subject());
        assertTrue(mail.text().contains("Beste ouders") && mail.text().contains("English:"), mail.text());
        // The trail: who issued the link, through which channel, for which request; never the address or the secret.
        List<TestTopics.Received> sent = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains("family-message.mail") && r.value().contains("\"GRANTED\"")
                        && r.value().contains(pseudonyms.of(Fixtures.SCHOOL, pupil)),
                Duration.ofSeconds(30));
        JsonNode record = record(sent.get(sent.size() - 1).value());
        assertEquals("frank.dpo", record.at("/actor/username").asText());
        String secret = path.substring(path.indexOf('.') + 1);
        for (TestTopics.Received r : sent) {
            assertFalse(r.value().contains(secret) || r.value().contains("@example.org"),
                    "an audit record carries the link's secret or an address");
        }
    }

    @Test
    void m1_theParentsPackageOfAPupilOf12LeavesOutTheirConversationNotesAndThePupilsOwnHasThem() {
        String confided = "told-me-about-home-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"kind\": \"CONVERSATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"%s\"}".formatted(confided))
                .when().post("/case-files/" + file + "/notes").then().statusCode(201);
        String parents = given().accept(ContentType.JSON).when().get(register(pupil, "PARENTS"))
                .then().statusCode(200).body("leftOut", hasItem("pupil-conversation-notes"))
                .extract().asString();
        assertFalse(parents.contains(confided), "the pupil's conversation note is in the parents' package");
        assertTrue(parents.contains(careTeamMarker), parents);
        String parentsPage = given().accept(BROWSER).when().get(Fixtures.familyLinkPath(Fixtures.parentAddress(pupil, 1),
                "access-packages")).then().statusCode(200).extract().asString();
        assertFalse(parentsPage.contains(confided), "the pupil's conversation note is on the parents' page");
        assertTrue(parentsPage.contains("Vanaf 12 jaar beslist Lotte daar zelf over"), "the page does not say what was left out");
        String own = given().accept(ContentType.JSON).when().get(register(pupil, "PUPIL"))
                .then().statusCode(200).body("leftOut", not(hasItem("pupil-conversation-notes")))
                .extract().asString();
        assertTrue(own.contains(confided), "the pupil's own package lacks their conversation note");
    }

    @Test
    void t4_withoutARegisteredAddressTheRequestIsRefusedAndNothingIsStored() {
        String bare = "p-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body("""
                        {"pupils": [{"pupilId": "%s", "givenName": "Mila", "familyName": "Peeters",
                                     "birthDate": "2013-05-01", "classGroup": "1A"}]}""".formatted(bare))
                .when().put("/pupils").then().statusCode(200);
        given().auth().oauth2(dpo()).contentType(ContentType.JSON).body(body("PARENTS"))
                .when().post("/pupils/" + bare + "/access-requests")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", containsString("no-family-contact"));
        given().auth().oauth2(dpo()).when().get("/pupils/" + bare + "/access-requests")
                .then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void t4_aResendSendsANewLinkToTheRegisteredAddressesAndTheOldOneStopsWorking() {
        String first = register(pupil, "PARENTS");
        String id = requestId(first);
        String answer = given().auth().oauth2(dpo()).when().post("/pupils/" + pupil + "/access-requests/" + id + "/resend")
                .then().statusCode(200).body("sent.addresses", equalTo(2)).body("path", nullValue())
                .extract().asString();
        String second = Fixtures.familyLinkPath(Fixtures.parentAddress(pupil, 2), "access-packages", 2);
        assertFalse(second.equals(first), "the resend gave the same link");
        assertFalse(answer.contains(second.substring(second.indexOf('.') + 1)), "the DPO's answer carries the new secret");
        given().accept(ContentType.JSON).when().get(first).then().statusCode(404);
        given().accept(ContentType.JSON).when().get(second).then().statusCode(200);
        // Only the DPO resends, and only the school's own requests.
        given().auth().oauth2(Fixtures.counsellor()).when().post("/pupils/" + pupil + "/access-requests/" + id + "/resend")
                .then().statusCode(403);
        given().auth().oauth2(dpo()).when().post("/pupils/" + pupil + "/access-requests/" + UUID.randomUUID() + "/resend")
                .then().statusCode(404);
    }

    static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private static String inWords(java.time.temporal.TemporalAccessor when, String lang) {
        return java.time.format.DateTimeFormatter.ofLocalizedDate(java.time.format.FormatStyle.LONG)
                .withLocale(java.util.Locale.forLanguageTag(lang)).format(when);
    }

    /** The page as served, under target/pages/, for a look or an accessibility scan by hand. */
    private static void save(String name, String html) {
        try {
            java.nio.file.Files.createDirectories(java.nio.file.Path.of("target/pages"));
            java.nio.file.Files.writeString(java.nio.file.Path.of("target/pages/" + name + ".html"), html);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String today(String lang) {
        return inWords(LocalDate.now(java.time.ZoneId.of("Europe/Brussels")), lang);
    }

    @Test
    void t4_thePrintablePageIsDutchByDefaultEnglishOnRequestAndEscaped() {
        String path = register(pupil, "PARENTS");
        given().accept(ContentType.HTML).when().get(path)
                .then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<html lang=\"nl\">"))
                .body(containsString("<main data-state=\"OK\">"))
                .body(containsString("<title>Wat Sint-Jansschool over uw kind bijhoudt</title>"))
                .body(containsString("U vroeg op 20 november 2026 aan de school welke gegevens ze over uw kind bijhoudt."))
                .body(containsString(careTeamMarker + " &lt;script&gt;"))
                .body(containsString(measureMarker))
                .body(containsString("schriftelijk"))
                .body(not(containsString("<script>alert")))
                .body(not(containsString(privateMarker)));
        given().accept(ContentType.HTML).queryParam("lang", "en").when().get(path)
                .then().statusCode(200)
                .body(containsString("<html lang=\"en\">"))
                .body(containsString("<title>What Sint-Jansschool keeps on your child</title>"))
                .body(containsString("you asked the school what it keeps on your child."))
                .body(containsString(inWords(LocalDate.of(2026, 11, 20), "en")))
                .body(containsString("id=\"lang-switch\" href=\"" + path + "?lang=nl\""))
                .body(containsString(teachersMarker));
        // Without an Accept header (curl's */*), and for application/json: JSON, as before.
        given().when().get(path).then().statusCode(200).contentType(containsString("application/json"))
                .body("requestedBy", equalTo("PARENTS"));
        given().accept(ContentType.JSON).when().get(path).then().statusCode(200)
                .contentType(containsString("application/json")).body("signals[0].concern", equalTo(signalMarker));
    }

    @Test
    void t4_theParentsPageIsPlainDutchAndPrintsTheSchoolAndTheDateOnEveryPage() {
        String path = register(pupil, "PARENTS");
        String html = given().accept(BROWSER).when().get(path)
                .then().statusCode(200).contentType(containsString("text/html")).extract().asString();
        save("access-package-parents", html);
        // Plain words for the parents, with what the school holds (the markers planted in the records).
        for (String text : List.of("Gegevens van uw kind", "Begeleiding door de school", "Wat de school opschreef",
                "Zorgen die iemand van de school meldde", "Tuchtmaatregelen", "Wat niet in dit overzicht staat",
                "Wie een zorg over uw kind meldde. Die persoon deed dat in vertrouwen.",
                "Dit overzicht is gemaakt op " + today("nl") + ".", "14 maart 2012", "Often absent on Mondays",
                careTeamMarker, teachersMarker, signalMarker, measureMarker, "id=\"lang-switch\" href=\"" + path + "?lang=en\"")) {
            assertTrue(html.contains(text), text + " is not on the page:\n" + html);
        }
        // No rule ids, no codes.
        for (String jargon : List.of("T4", "CARE_TEAM", "TEACHERS", "OBSERVATION", "TAKEN_UP", "private-working-notes",
                "null", "<script")) {
            assertFalse(html.contains(jargon), jargon);
        }
        // Printable: the school and the day on every printed page, each item kept whole, no switch on paper.
        assertTrue(html.contains("@top-left { content: \"Sint-Jansschool\""), html);
        assertTrue(html.contains("@bottom-right { content: \"Gemaakt op " + today("nl") + " - pagina \" counter(page)"),
                html);
        assertTrue(html.contains("@media print"), html);
        assertTrue(html.contains(".item, dl.facts, .status { break-inside: avoid;"), html);
        assertTrue(html.contains("nav, .print-hint { display: none; }"), html);
        assertTrue(html.contains("<header>") && html.contains("<nav") && html.contains("<h1>"), html);
    }

    @Test
    void t4_m1_thePupilWhoAskedIsAddressedAsJe() {
        String path = register(pupil, "PUPIL");
        String html = given().accept(BROWSER).when().get(path)
                .then().statusCode(200).contentType(containsString("text/html")).extract().asString();
        save("access-package-pupil", html);
        assertTrue(html.contains("<title>Wat Sint-Jansschool over jou bijhoudt</title>"), html);
        assertTrue(html.contains("Je vroeg op 20 november 2026 aan de school wat ze over jou bijhoudt."), html);
        assertTrue(html.contains("Je gegevens"), html);
        assertTrue(html.contains(measureMarker) && html.contains(teachersMarker), html);
        assertFalse(html.contains("uw kind") || html.contains("U vroeg"), html);
        String en = given().accept(BROWSER).queryParam("lang", "en").when().get(path).then().statusCode(200)
                .extract().asString();
        assertTrue(en.contains("<title>What Sint-Jansschool keeps on you</title>"), en);
        assertTrue(en.contains("you asked the school what it keeps on you."), en);
    }

    @Test
    void t4_n3_theDposListShowsTheRequestAndItsFirstReadButNeverTheContentOrTheSecret() {
        String path = register(pupil, "PARENTS");
        String secret = path.substring(path.indexOf('.') + 1);
        given().auth().oauth2(dpo()).when().get("/pupils/" + pupil + "/access-requests")
                .then().statusCode(200).body("firstReadAt", hasItem(nullValue()));
        given().when().get(path).then().statusCode(200);
        given().when().get(path).then().statusCode(200);
        String list = given().auth().oauth2(dpo()).when().get("/pupils/" + pupil + "/access-requests")
                .then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].id", equalTo(requestId(path)))
                .body("[0].requestedBy", equalTo("PARENTS"))
                .body("[0].requestedAt", startsWith("2026-11-20T09:30"))
                .body("[0].registeredBy", equalTo("frank.dpo"))
                .body("[0].identityCheck", equalTo("eID shown at the school's desk"))
                .body("[0].expiresAt", notNullValue())
                .body("[0].firstReadAt", notNullValue())
                .body("[0].readCount", equalTo(2))
                .extract().asString();
        assertFalse(list.contains("path") || list.contains(secret), "the link is in the DPO's list");
        for (String marker : List.of(privateMarker, careTeamMarker, teachersMarker, signalMarker, measureMarker,
                "Often absent")) {
            assertFalse(list.contains(marker), "content is in the DPO's list: " + marker);
        }
        OffsetDateTime expires = OffsetDateTime.parse(given().auth().oauth2(dpo())
                .when().get("/pupils/" + pupil + "/access-requests").then().extract().path("[0].expiresAt"));
        // ntk.access.link-validity: 30 days.
        assertTrue(expires.isAfter(OffsetDateTime.now(ZoneOffset.UTC).plusDays(29))
                && expires.isBefore(OffsetDateTime.now(ZoneOffset.UTC).plusDays(31)), expires.toString());
    }

    @Test
    void t4_n3_r1_noStaffMemberGetsAWholePupilExportAndOnlyTheDpoRegisters() {
        for (String token : List.of(Fixtures.counsellor(), Fixtures.coordinator(), Fixtures.principal(),
                Fixtures.discipline(), Fixtures.teacher())) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(body("PARENTS"))
                    .when().post("/pupils/" + pupil + "/access-requests")
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo("urn:need-to-know:problem:not-dpo"));
            given().auth().oauth2(token).when().get("/pupils/" + pupil + "/access-requests").then().statusCode(403);
        }
        // The staff export is gone, for the owner and the DPO alike.
        for (String token : List.of(Fixtures.counsellor(), dpo())) {
            for (String accept : List.of("application/json", "text/html")) {
                given().auth().oauth2(token).accept(accept).when().get("/pupils/" + pupil + "/export")
                        .then().statusCode(404);
            }
        }
        // Another school's DPO, and a CLB's, do not find the pupil.
        for (String token : List.of(TestTokens.of("luc.dpo", Fixtures.OTHER_SCHOOL, "school", "dpo"),
                TestTokens.of("nina.dpo", "clb-gent", "clb", "dpo"))) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(body("PARENTS"))
                    .when().post("/pupils/" + pupil + "/access-requests").then().statusCode(404);
            given().auth().oauth2(token).when().get("/pupils/" + pupil + "/access-requests").then().statusCode(404);
        }
        given().contentType(ContentType.JSON).body(body("PARENTS"))
                .when().post("/pupils/" + pupil + "/access-requests").then().statusCode(401);
        given().auth().oauth2(dpo()).when().get("/pupils/" + pupil + "/access-requests")
                .then().statusCode(200).body("", hasSize(0));
        // The counsellor's refusal is audited against the pupil.
        String pseudonym = pseudonyms.of(Fixtures.SCHOOL, pupil);
        List<TestTopics.Received> read = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains("\"access-request.register\"") && r.value().contains("REFUSED")
                        && r.value().contains("bart.counsellor") && r.value().contains(pseudonym), Duration.ofSeconds(30));
        JsonNode refused = record(read.get(read.size() - 1).value());
        assertEquals("REFUSED", refused.get("outcome").asText());
        assertEquals("bart.counsellor", refused.at("/actor/username").asText());
    }

    @Test
    void t4_aWrongSecretIs404AndAuditedAsRefused() {
        String path = register(pupil, "PARENTS");
        String wrong = path.substring(0, path.length() - 4) + (path.endsWith("AAAA") ? "BBBB" : "AAAA");
        String body = given().accept(ContentType.JSON).when().get(wrong)
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:not-found"))
                .extract().asString();
        assertFalse(body.contains(careTeamMarker) || body.contains("Lotte"), body);
        JsonNode refused = audited("access-package.read", requestId(path), "REFUSED");
        assertEquals("parents-link", refused.at("/actor/username").asText());
        assertEquals("wrong link secret", refused.get("reason").asText());
        // For a browser, a page in plain words with the same status.
        for (String unknown : List.of(wrong, "/access-packages/" + UUID.randomUUID() + ".x", "/access-packages/not-a-link")) {
            String html = given().accept(BROWSER).when().get(unknown)
                    .then().statusCode(404).contentType(containsString("text/html")).extract().asString();
            assertTrue(html.contains("<main data-state=\"UNKNOWN\">"), html);
            assertTrue(html.contains("<title>Deze link werkt niet</title>"), html);
            assertTrue(html.contains("Vraag het overzicht dan opnieuw aan de functionaris voor gegevensbescherming"), html);
            assertFalse(html.contains(careTeamMarker) || html.contains("Lotte"), html);
        }
        assertTrue(given().accept(BROWSER).queryParam("lang", "en").when().get(wrong).then().statusCode(404)
                .extract().asString().contains("<title>This link does not work</title>"));
        // No secret, and an unknown request: 404 as well.
        given().when().get(path.substring(0, path.indexOf('.'))).then().statusCode(404);
        given().when().get("/access-packages/" + UUID.randomUUID() + ".x").then().statusCode(404);
        given().when().get("/access-packages/not-a-link").then().statusCode(404);
        // The wrong secret did not count as a read.
        given().auth().oauth2(dpo()).when().get("/pupils/" + pupil + "/access-requests")
                .then().statusCode(200).body("[0].firstReadAt", nullValue()).body("[0].readCount", equalTo(0));
    }

    @Test
    void t4_anExpiredLinkIs410AndAuditedAsRefused() {
        String path = register(pupil, "PARENTS");
        String id = requestId(path);
        QuarkusTransaction.requiringNew().run(() -> em
                .createNativeQuery("update access_request set expires_at = now() - interval '1 minute' where id = cast(?1 as uuid)")
                .setParameter(1, id).executeUpdate());
        String body = given().accept(ContentType.JSON).when().get(path)
                .then().statusCode(410).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:link-expired"))
                .extract().asString();
        assertFalse(body.contains(careTeamMarker) || body.contains("Lotte"), body);
        String html = given().accept(BROWSER).when().get(path)
                .then().statusCode(410).contentType(containsString("text/html")).extract().asString();
        save("access-package-expired", html);
        assertTrue(html.contains("<main data-state=\"EXPIRED\">"), html);
        assertTrue(html.contains("<title>Deze link is verlopen</title>"), html);
        assertTrue(html.contains("Vraag het overzicht opnieuw aan de functionaris voor gegevensbescherming van de school"), html);
        assertFalse(html.contains(careTeamMarker) || html.contains("Lotte"), html);
        assertTrue(given().accept(BROWSER).queryParam("lang", "en").when().get(path).then().statusCode(410)
                .extract().asString().contains("This link has expired."));
        assertEquals("link expired", audited("access-package.read", id, "REFUSED").get("reason").asText());
    }

    @Test
    void m1_aPupilUnder12CannotAskOnTheirOwn() {
        String young = "p-" + UUID.randomUUID().toString().substring(0, 8);
        // 11 years old on the day of the request (2026-11-20).
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body("""
                        {"pupils": [{"pupilId": "%s", "givenName": "Noor", "familyName": "Peeters",
                                     "birthDate": "%s", "classGroup": "6A",
                                     "parents": [{"name": "Els Peeters", "email": "%s"}, {"name": "Jo Peeters", "email": "%s"}],
                                     "pupilEmail": "%s"}]}""".formatted(young, LocalDate.of(2014, 11, 21),
                        Fixtures.parentAddress(young, 1), Fixtures.parentAddress(young, 2), Fixtures.pupilAddress(young)))
                .when().put("/pupils").then().statusCode(200);
        given().auth().oauth2(dpo()).contentType(ContentType.JSON).body(body("PUPIL"))
                .when().post("/pupils/" + young + "/access-requests")
                .then().statusCode(409).contentType("application/problem+json")
                .body("rule", equalTo("M1"))
                .body("type", equalTo("urn:need-to-know:problem:pupil-under-twelve"));
        given().auth().oauth2(dpo()).when().get("/pupils/" + young + "/access-requests")
                .then().statusCode(200).body("", hasSize(0));
        // Her parents may ask.
        register(young, "PARENTS");
    }

    @Test
    void m1_aPupilOf12OrOlderAsksOnTheirOwnAndReadsThroughTheirLink() {
        // Lotte, born 2012-03-14: 14 on the day of the request.
        String path = register(pupil, "PUPIL");
        given().when().get(path).then().statusCode(200).body("requestedBy", equalTo("PUPIL"))
                .body("disciplineMeasures[0].measureType", equalTo(measureMarker));
        assertEquals("pupil-link", audited("access-package.read", requestId(path), "GRANTED").at("/actor/username").asText());
    }

    @Test
    void a5_aRequestDoesNotHoldBackTheRetentionPurge() {
        given().auth().oauth2(Fixtures.counsellor()).when().post("/case-files/" + file + "/close").then().statusCode(200);
        String path = register(pupil, "PARENTS");
        assertTrue(purge.purgeClosedBefore(OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(1)) >= 1);
        // The file is gone; the request and its link remain, and show what the school still holds.
        given().when().get(path).then().statusCode(200).body("caseFiles", hasSize(0))
                .body("disciplineMeasures[0].measureType", equalTo(measureMarker));
        given().auth().oauth2(dpo()).when().get("/pupils/" + pupil + "/access-requests")
                .then().statusCode(200).body("", hasSize(1));
    }

    @Test
    void m1_twelveIsCountedOnTheDayOfTheRequest() {
        assertFalse(AccessRequests.capableOfDiscernment(LocalDate.of(2014, 11, 21), LocalDate.of(2026, 11, 20)));
        assertTrue(AccessRequests.capableOfDiscernment(LocalDate.of(2014, 11, 20), LocalDate.of(2026, 11, 20)));
        assertFalse(AccessRequests.capableOfDiscernment(LocalDate.of(2030, 1, 1), LocalDate.of(2026, 11, 20)));
    }

    @Test
    void t4_aBadRequestIsAProblemAndRegistersNothing() {
        given().auth().oauth2(dpo()).contentType(ContentType.JSON)
                .body("{\"requestedBy\": \"NEIGHBOUR\", \"requestedAt\": \"2026-11-20T09:30:00Z\", \"identityCheck\": \"x\"}")
                .when().post("/pupils/" + pupil + "/access-requests")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(dpo()).contentType(ContentType.JSON)
                .body("{\"requestedBy\": \"PARENTS\", \"requestedAt\": \"2999-01-01T00:00:00Z\", \"identityCheck\": \" \"}")
                .when().post("/pupils/" + pupil + "/access-requests")
                .then().statusCode(400).body("errors.field", hasItem(containsString("identityCheck")));
        given().auth().oauth2(dpo()).when().get("/pupils/" + pupil + "/access-requests")
                .then().statusCode(200).body("", hasSize(0));
        given().when().get("/access-packages/" + "x".repeat(300)).then().statusCode(400);
    }
}
