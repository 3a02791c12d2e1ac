package be.needtoknow.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import be.needtoknow.stack.Suite;
import be.needtoknow.stack.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The pages for the people who are not integrators, in a real browser (Debian's Chromium) on the
 * real stack with the real Keycloak: the DPO's console (login through the realm's login page,
 * search, the access report, verification of the log, logout), a DPO of another school who sees
 * nothing of it, the parents' transfer notice (objection with a reason, after which the
 * counsellor's send is refused, X) and the pupil's (agreement), and the printable right-of-access
 * package (T4), each opened from the link in the family's own mailbox. Every page is kept as a
 * screenshot under {@code target/screenshots/} and scanned with axe-core; Keycloak's own login page
 * is only photographed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private Suite suite;

    @BeforeAll
    void start() throws Exception {
        Browser.ensureInstalled(); // before the suite: a missing browser stops the test at once, with the command
        suite = SharedSuite.get();
    }

    private String token(String username) {
        return Tokens.password(suite.keycloak().tokenEndpoint(), username, Tokens.DEMO_PASSWORD);
    }

    private String audit() {
        return suite.serviceUrl("audit-service");
    }

    private static String marker(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A case file opened for the pupil by Bart, and its audit record in the trail (through Kafka).
     * On the shared suite the file may be open already (the other test of this class opened it):
     * then its opening is in the trail already.
     */
    private void caseFileFor(String pupil) {
        var answer = given().baseUri(suite.serviceUrl("case-service")).auth().oauth2(token("bart.counsellor"))
                .contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"reason\": \"%s\"}".formatted(pupil, marker("reason")))
                .when().post("/case-files").then().extract();
        assertTrue(answer.statusCode() == 201 || answer.statusCode() == 409
                && String.valueOf(answer.<String>path("type")).endsWith(":case-file-already-open"), answer.asString());
        String dpo = token("frank.dpo");
        await().atMost(Duration.ofSeconds(60)).until(() -> !given().baseUri(audit()).auth().oauth2(dpo)
                .queryParam("pupilId", pupil).queryParam("action", "case-file.open").when().get("/audit-records")
                .then().statusCode(200).extract().<List<String>>path("record.resourceId").isEmpty());
    }

    /** Logs in on the realm's login page, which the console sent the browser to. */
    private void logIn(Browser browser, String username, String shot) {
        browser.awaitUrl(suite.keycloak().url());
        browser.find("#username");
        browser.screenshot(shot); // Keycloak's own page: photographed, not ours to scan
        browser.find("#username").sendKeys(username);
        browser.find("#password").sendKeys(Tokens.DEMO_PASSWORD);
        browser.find("#kc-login").click();
        browser.awaitUrl(audit() + "/console");
    }

    /**
     * The DPO's console, A3/T4/A2: Frank logs in through the login page, searches Lotte's records,
     * opens her access report (names and functions, not usernames), runs a verification of the log
     * and sees its result, exports, and logs out; the console then asks for the login again.
     */
    @Test
    void theDpoLogsInSearchesOpensTheReportVerifiesAndLogsOut() throws Exception {
        caseFileFor("sj-1001");
        try (Browser browser = new Browser(Browser.Screen.DESK, SCREENSHOTS.resolve("dpo-console"))) {
            browser.open(audit() + "/console");
            logIn(browser, "frank.dpo", "login-page");
            browser.find("#main");
            browser.keep("console-home");
            assertTrue(browser.text().contains("Frank Mertens"), browser.text());

            browser.find("#nav-records").click();
            browser.find("input[name=pupilId]").sendKeys("sj-1001");
            browser.find("#search").click();
            browser.find("#records");
            browser.keep("search-by-pupil");
            assertFalse(browser.all("#records tr.record").isEmpty(), "Lotte's records are found");
            assertTrue(browser.has("#export-csv") && browser.has("#export-jsonl"), "the search can be exported");

            browser.find("#open-report").click();
            browser.find("#accesses");
            browser.keep("access-report");
            String report = browser.text();
            assertTrue(report.contains("Bart Claes") && report.contains("Sint-Jansschool"), report);
            assertFalse(report.contains("bart.counsellor") || report.contains("school-sint-jan")
                    || report.contains("service-account"), "usernames or ids in the parents' report: " + report);
            browser.printMedia();
            assertFalse(browser.shown("#lang-switch"), "the language switch is not printed");
            browser.printToPdf("access-report");
            browser.screenMedia();

            // A checkpoint now (one is signed every minute anyway), cosigned by the suite's two witnesses (A2).
            given().baseUri(audit()).auth().oauth2(token("frank.dpo")).when().post("/audit-log/checkpoints")
                    .then().statusCode(200);
            browser.open(audit() + "/console/log");
            browser.find("#verify");
            browser.keep("log-state");
            String state = browser.text();
            assertTrue(state.contains("witness.clb-gent.example") && state.contains("witness.school-board.example")
                    && !browser.find("#checkpoint-size").getText().isBlank(), state);
            browser.find("#verify").click();
            String result = browser.find("#verification-result").getText();
            browser.keep("log-verified");
            assertFalse(result.isBlank(), "the verification's result is shown");

            browser.find("#logout").click();
            browser.find("body");
            browser.keep("logged-out");
            browser.open(audit() + "/console/records");
            browser.awaitUrl(suite.keycloak().url()); // the session is gone: log in again
        }
        // Each page view and search is in the trail, as the API's queries are (A1).
        String dpo = token("frank.dpo");
        await().atMost(Duration.ofSeconds(60)).until(() -> given().baseUri(audit()).auth().oauth2(dpo)
                .queryParam("actor", "frank.dpo").queryParam("action", "audit.report").when().get("/audit-records")
                .then().statusCode(200).extract().<List<?>>path("").size() > 0);
    }

    /** A DPO of another school logs in to the same console and finds nothing of a Sint-Jan pupil (N2, A3). */
    @Test
    void aDpoOfAnotherSchoolSeesNothingOfIt() throws Exception {
        // A pupil of this class's own: the other classes (run at once) act on the demo pupils, some as De Linde.
        String pupil = SharedSuite.newPupil(suite, "browser-other-dpo");
        caseFileFor(pupil);
        try (Browser browser = new Browser(Browser.Screen.DESK, SCREENSHOTS.resolve("other-school-dpo"))) {
            browser.open(audit() + "/console/records?pupilId=" + pupil);
            logIn(browser, "luc.dpo", "login-page");
            browser.open(audit() + "/console/records?pupilId=" + pupil);
            browser.find("#main");
            browser.keep("search-other-schools-pupil");
            // Only Luc's own searches (each is itself in his school's trail), nothing of Sint-Jan's.
            assertTrue(browser.all("#records tr.record").stream().allMatch(r -> r.getText().contains("luc.dpo")
                    && r.getText().contains("audit.")), browser.text());
            String page = browser.driver().getPageSource();
            assertFalse(page.contains("bart") || page.contains("Bart") || page.contains("school-sint-jan"), page);

            browser.open(audit() + "/console/pupils/" + pupil + "/report");
            browser.find("#main");
            browser.keep("report-other-schools-pupil");
            assertTrue(browser.all("#accesses tr.access").stream().allMatch(r -> r.getText().contains("Luc Hermans")),
                    browser.text());
            assertFalse(browser.driver().getPageSource().contains("Bart"), browser.text());
        }
    }

    /**
     * X: the parents open their link on a phone, read what the new school would receive, and object
     * with a reason, in a form without any script; the counsellor's send is then refused. The
     * pupil's own link (from 12, M1) agrees. An unknown link gets a page that says so.
     */
    @Test
    void theParentsObjectAndTheSendIsRefusedThePupilAgrees() throws Exception {
        String counsellor = token("bart.counsellor");
        String referrals = suite.serviceUrl("referral-service");
        String item = marker("Extra tijd voor toetsen");
        // A pupil of this class's own (15, with both contacts): the classes that use the suite as clients run at once.
        String pupilId = SharedSuite.newPupil(suite, "browser-transfer");
        String transfer = given().baseUri(referrals).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"recipientId\": \"school-de-linde\"}".formatted(pupilId))
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        given().baseUri(referrals).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"items\": [{\"type\": \"QUESTION\", \"purpose\": \"to continue the support\", \"text\": \"%s\"}]}"
                        .formatted(item))
                .when().put("/referrals/" + transfer + "/items").then().statusCode(200);
        // The notices go to the family's own mailboxes (X, M1): the parents' and the pupil's own.
        FamilyMail.Mark parents = FamilyMail.mark(suite, FamilyMail.parentOf(pupilId), FamilyMail.TRANSFER_NOTICE);
        FamilyMail.Mark pupil = FamilyMail.mark(suite, FamilyMail.pupilAddressOf(pupilId), FamilyMail.TRANSFER_NOTICE);
        JsonPath discussed = given().baseUri(referrals).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"consulted": [
                          {"party": "PUPIL", "when": "2026-11-25T10:00:00Z", "how": "conversation at school", "answer": "AGREED"},
                          {"party": "PARENTS", "when": "2026-11-25T10:00:00Z", "how": "same conversation", "answer": "AGREED"}],
                         "parentsNotInformed": false}""")
                .when().post("/referrals/" + transfer + "/consent").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("PARENTS", "PUPIL"), discussed.<String>getList("notices.party").stream().sorted().toList());
        Map<String, String> links = new HashMap<>();
        links.put("PARENTS", parents.next());
        links.put("PUPIL", pupil.next());

        String reason = marker("Wij willen eerst met de nieuwe school praten");
        try (Browser browser = new Browser(Browser.Screen.PHONE, SCREENSHOTS.resolve("parents-page"))) {
            browser.open(links.get("PARENTS"));
            browser.find("main[data-state=OPEN]");
            browser.keep("notice-parents");
            assertTrue(browser.text().contains(item), browser.text());
            assertTrue(browser.text().contains("Basisschool De Linde"), browser.text());

            browser.find("#lang-switch").click();
            browser.find("html[lang=en]");
            browser.keep("notice-parents-english");
            browser.find("#lang-switch").click();
            browser.find("html[lang=nl]");

            browser.find("#reason").sendKeys(reason);
            browser.find("#object").click();
            String answer = browser.find("#answer").getText();
            browser.keep("notice-parents-objected");
            assertFalse(answer.isBlank());
            assertFalse(browser.has("#object") || browser.has("#agree"), "an answered notice offers no forms");

            browser.open(links.get("PUPIL"));
            browser.find("main[data-state=OPEN]");
            browser.keep("notice-pupil");
            browser.find("#agree").click();
            browser.find("#answer");
            browser.keep("notice-pupil-agreed");

            browser.open(referrals + "/transfer-notices/" + UUID.randomUUID() + ".not-a-secret");
            browser.find("main[data-state=UNKNOWN]");
            browser.keep("notice-unknown-link");
        }
        // The school sees the objection and its reason; the send is refused (X).
        given().baseUri(referrals).auth().oauth2(counsellor).when().post("/referrals/" + transfer + "/send")
                .then().statusCode(409).body("rule", equalTo("X"));
        String school = given().baseUri(referrals).auth().oauth2(counsellor).when().get("/referrals")
                .then().statusCode(200).extract().jsonPath().getList("findAll { it.id == '%s' }".formatted(transfer))
                .toString();
        assertTrue(school.contains(reason) && school.contains("OBJECTED") && school.contains("AGREED"), school);
    }

    /**
     * T3, M1: a referral sent with the consent of a pupil of 12 or more, as the pupil reads its notice
     * on a phone (what went to whom, when), in Dutch and English, and withdraws the consent with a
     * reason, in a form without any script; the page then says it was withdrawn and offers no form.
     */
    @Test
    void thePupilReadsTheReferralNoticeAndWithdraws() throws Exception {
        String counsellor = token("bart.counsellor");
        String referrals = suite.serviceUrl("referral-service");
        String pupilId = SharedSuite.newPupil(suite, "browser-notice");
        String item = marker("Kan het CLB met mij praten");
        String referral = given().baseUri(referrals).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"recipientId\": \"clb-gent\"}".formatted(pupilId))
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        given().baseUri(referrals).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"items\": [{\"type\": \"QUESTION\", \"purpose\": \"what we ask\", \"text\": \"%s\"}]}"
                        .formatted(item))
                .when().put("/referrals/" + referral + "/items").then().statusCode(200);
        given().baseUri(referrals).auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("""
                        {"consulted": [{"party": "PUPIL", "when": "2026-11-25T10:00:00Z", "how": "talk", "answer": "AGREED"}],
                         "parentsNotInformed": false}""")
                .when().post("/referrals/" + referral + "/consent").then().statusCode(200);
        FamilyMail.Mark pupil = FamilyMail.mark(suite, FamilyMail.pupilAddressOf(pupilId), FamilyMail.REFERRAL_NOTICE);
        given().baseUri(referrals).auth().oauth2(counsellor).when().post("/referrals/" + referral + "/send")
                .then().statusCode(200);
        String link = pupil.next();
        String reason = marker("Ik wil er eerst zelf over nadenken");
        try (Browser browser = new Browser(Browser.Screen.PHONE, SCREENSHOTS.resolve("referral-notice"))) {
            browser.open(link);
            browser.find("main[data-state]");
            browser.keep("referral-notice-pupil");
            assertTrue(browser.text().contains(item), browser.text());
            assertTrue(browser.text().contains("CLB Gent"), browser.text());

            browser.find("#lang-switch").click();
            browser.find("html[lang=en]");
            browser.keep("referral-notice-pupil-english");
            browser.find("#lang-switch").click();
            browser.find("html[lang=nl]");

            browser.find("#reason").sendKeys(reason);
            browser.find("#withdraw").click();
            browser.find("main[data-state=WITHDRAWN]");
            browser.keep("referral-notice-pupil-withdrawn");
            assertFalse(browser.has("#withdraw"), "a withdrawn referral offers no form");

            browser.open(referrals + "/referral-notices/" + UUID.randomUUID() + ".not-a-secret");
            browser.find("main[data-state=UNKNOWN]");
            browser.keep("referral-notice-unknown-link");
        }
        // The school sees the withdrawal (T3): by the pupil.
        given().baseUri(referrals).auth().oauth2(counsellor).when().get("/referrals/" + referral)
                .then().statusCode(200).body("status", equalTo("WITHDRAWN"));
    }

    /** T4: the parents' right-of-access package, as they open it and as it prints (no switch, the school on each page). */
    @Test
    void theAccessPackageReadsAndPrints() throws Exception {
        String concern = marker("Zit alleen tijdens de middagpauze");
        given().baseUri(suite.serviceUrl("case-service")).auth().oauth2(token("an.teacher")).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"sj-1002\", \"concern\": \"%s\"}".formatted(concern))
                .when().post("/signals").then().statusCode(201);
        // The link goes to Yusuf's parents' mailbox (T4), not to the DPO who registers the request.
        FamilyMail.Mark parents = FamilyMail.mark(suite, "aylin.demir@example.org", FamilyMail.ACCESS_PACKAGE);
        given().baseUri(suite.serviceUrl("case-service")).auth().oauth2(token("frank.dpo"))
                .contentType(ContentType.JSON)
                .body("{\"requestedBy\": \"PARENTS\", \"requestedAt\": \"2026-11-20T09:30:00Z\", "
                        + "\"identityCheck\": \"identity card shown at the office\"}")
                .when().post("/pupils/sj-1002/access-requests").then().statusCode(201);
        String link = parents.next();
        try (Browser browser = new Browser(Browser.Screen.PHONE, SCREENSHOTS.resolve("access-package"))) {
            browser.open(link);
            browser.find("main");
            browser.keep("access-package");
            assertTrue(browser.text().contains(concern), browser.text());
            assertFalse(browser.text().contains("an.teacher") || browser.text().contains("An Peeters"),
                    "who reported the signal is not in the package");
            browser.printMedia();
            assertFalse(browser.shown("#lang-switch"), "the language switch is not printed");
            browser.screenMedia();
            browser.printToPdf("access-package");

            browser.open(suite.serviceUrl("case-service") + "/access-packages/" + UUID.randomUUID() + ".not-a-secret");
            browser.find("main[data-state=UNKNOWN]");
            browser.keep("access-package-unknown-link");
        }
    }
}
