package be.needtoknow.audit.console;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import be.needtoknow.audit.AuditEvents;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * The DPO's console: A3 (search, export, report, unusual access, urgent-danger review,
 * only the own organisation, every query recorded), A4 (statistics, small counts suppressed), A2
 * (the log's state, verification, checkpoint), T4 (the access report), A1 (refusals recorded).
 * The tests have no Keycloak: the console tenant is off in %test, so the pages take bearer tokens.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ConsoleTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern RECORD_ROW = Pattern.compile("<tr class=\"record\">");
    static final Pattern PROOF_LINK = Pattern.compile("href=\"/console/records/(\\d+)/proof[^\"]*\"");

    @Inject
    PupilPseudonyms pseudonyms;

    /** Each test in two schools of its own, with one pupil id both schools use, and unique markers. */
    final String schoolA = "school-a-" + UUID.randomUUID().toString().substring(0, 8);
    final String schoolB = "school-b-" + UUID.randomUUID().toString().substring(0, 8);
    final String pupil = "p-" + UUID.randomUUID();
    final String personA = "marker-a-" + UUID.randomUUID().toString().substring(0, 8);
    final String personB = "marker-b-" + UUID.randomUUID().toString().substring(0, 8);
    final String nightA = "night-a-" + UUID.randomUUID().toString().substring(0, 8);
    final String nightB = "night-b-" + UUID.randomUUID().toString().substring(0, 8);
    final String urgentA = "urgent-a-" + UUID.randomUUID().toString().substring(0, 8);
    final String urgentB = "urgent-b-" + UUID.randomUUID().toString().substring(0, 8);
    final String senderA = "sender-a-" + UUID.randomUUID().toString().substring(0, 8);
    final String senderB = "sender-b-" + UUID.randomUUID().toString().substring(0, 8);
    final String dpoNameA = "dpo-a-" + UUID.randomUUID().toString().substring(0, 8);
    final String dpoNameB = "dpo-b-" + UUID.randomUUID().toString().substring(0, 8);
    final String teacherName = "teacher-" + UUID.randomUUID().toString().substring(0, 8);
    final String personPaging = "paging-" + UUID.randomUUID().toString().substring(0, 8);
    String dpoA;
    String dpoB;
    String teacher;
    /** The tests' own view of the trail, by other DPOs of the two schools (their queries are theirs, not the console's). */
    String plantDpoA;
    String plantDpoB;

    @BeforeEach
    void tokens() {
        dpoA = TestTokens.of(dpoNameA, schoolA, "school", "dpo");
        dpoB = TestTokens.of(dpoNameB, schoolB, "school", "dpo");
        teacher = TestTokens.of(teacherName, schoolA, "school", "teacher", "pupil-counsellor");
        plantDpoA = TestTokens.of("dpo-plant-a", schoolA, "school", "dpo");
        plantDpoB = TestTokens.of("dpo-plant-b", schoolB, "school", "dpo");
    }

    // --- planting records ------------------------------------------------------------------------

    ObjectNode record(String school, String pseudonym, String actor, String action, OffsetDateTime at) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(AuditEvents.record(school, pseudonym, actor, action));
            node.put("occurredAt", at.toString());
            return node;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void publish(List<ObjectNode> records) {
        for (ObjectNode r : records) {
            AuditEvents.publish(UUID.randomUUID().toString(), "console-" + UUID.randomUUID(), r.toString());
        }
    }

    /** Both schools' records about the same pupil id, with their markers; waits until all are in the trail. */
    void plant() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<ObjectNode> a = new ArrayList<>();
        List<ObjectNode> b = new ArrayList<>();
        String pa = pseudonyms.of(schoolA, pupil);
        String pb = pseudonyms.of(schoolB, pupil);
        a.add(record(schoolA, pa, personA, "note.read", now.minusMinutes(5)));
        ObjectNode refused = record(schoolA, pa, personA, "note.read", now.minusMinutes(4));
        refused.put("outcome", "REFUSED").put("reason", "not on the care team");
        a.add(refused);
        b.add(record(schoolB, pb, personB, "note.read", now.minusMinutes(5)));
        // Urgent danger: a note disclosed on the vital interest.
        a.add(record(schoolA, pa, urgentA, "note.disclose", now.minusMinutes(3)).put("legalBasis", "vital-interest")
                .put("purpose", "referral to the CLB"));
        b.add(record(schoolB, pb, urgentB, "note.disclose", now.minusMinutes(3)).put("legalBasis", "vital-interest")
                .put("purpose", "referral to the CLB"));
        // A night's work on pupils (NIGHT: more than 10 in one night).
        for (int i = 0; i < 11; i++) {
            OffsetDateTime at = OffsetDateTime.parse("2025-01-15T23:00:00+01:00").plusMinutes(i);
            a.add(record(schoolA, pa, nightA, "note.read", at));
            b.add(record(schoolB, pb, nightB, "note.read", at));
        }
        // A4: January 2025, 5 referrals to the CLB (shown); February, 2 (suppressed). School B: 6 to care.
        for (int i = 0; i < 5; i++) {
            a.add(record(schoolA, pa, senderA, "referral.send", OffsetDateTime.parse("2025-01-1" + i + "T10:00:00Z"))
                    .put("purpose", "referral to the CLB"));
        }
        for (int i = 0; i < 2; i++) {
            a.add(record(schoolA, pa, senderA, "referral.send", OffsetDateTime.parse("2025-02-1" + i + "T10:00:00Z"))
                    .put("purpose", "referral to the CLB"));
        }
        for (int i = 0; i < 6; i++) {
            b.add(record(schoolB, pb, senderB, "referral.send", OffsetDateTime.parse("2025-01-1" + i + "T10:00:00Z"))
                    .put("purpose", "referral to a care service"));
        }
        publish(a);
        publish(b);
        await().atMost(Duration.ofSeconds(60)).until(() -> apiCount(plantDpoA, Map.of("actor", personA)) == 2
                && apiCount(plantDpoA, Map.of("actor", urgentA)) == 1 && apiCount(plantDpoA, Map.of("actor", nightA)) == 11
                && apiCount(plantDpoA, Map.of("actor", senderA)) == 7 && apiCount(plantDpoB, Map.of("actor", personB)) == 1
                && apiCount(plantDpoB, Map.of("actor", urgentB)) == 1 && apiCount(plantDpoB, Map.of("actor", nightB)) == 11
                && apiCount(plantDpoB, Map.of("actor", senderB)) == 6);
    }

    /** How many records the API's search finds (the API, not the console: the test's own view of the trail). */
    static int apiCount(String token, Map<String, String> query) {
        return given().auth().oauth2(token).queryParams(query).queryParam("size", 500).when().get("/audit-records")
                .then().statusCode(200).extract().<List<Object>>path("eventId").size();
    }

    static List<Map<String, Object>> apiRecords(String token, Map<String, String> query) {
        return given().auth().oauth2(token).queryParams(query).queryParam("size", 500).when().get("/audit-records")
                .then().statusCode(200).extract().path("record");
    }

    static int rows(String html) {
        Matcher m = RECORD_ROW.matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static Set<Long> proofLeaves(String html) {
        Set<Long> leaves = new TreeSet<>();
        Matcher m = PROOF_LINK.matcher(html);
        while (m.find()) {
            leaves.add(Long.parseLong(m.group(1)));
        }
        return leaves;
    }

    static String page(String token, String path) {
        return given().auth().oauth2(token).when().get(path).then().statusCode(200)
                .contentType(startsWith("text/html")).extract().asString();
    }

    // --- the tests -------------------------------------------------------------------------------

    @Test
    void a3_aDpoSearchesByPupilAndSeesOnlyTheirOwnOrganisationsRecords() {
        plant();
        String a = given().auth().oauth2(dpoA).queryParam("pupilId", pupil).queryParam("person", "")
                .queryParam("action", "").queryParam("outcome", "all").queryParam("from", "").queryParam("to", "")
                .when().get("/console/records").then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("<main id=\"main\">"), containsString("id=\"search-form\""),
                        containsString("id=\"records\""), containsString(personA), containsString(urgentA),
                        containsString(nightA), containsString("Geweigerd"), containsString("not on the care team"),
                        containsString("wettelijke opdracht van de school (legal-task)"),
                        containsString("leerlingenbegeleiding (pupil guidance)"),
                        containsString("id=\"open-report\""), containsString("id=\"export-csv\""),
                        containsString("id=\"export-jsonl\""),
                        containsString(dpoNameA), containsString(schoolA))
                .extract().asString();
        assertFalse(a.contains(personB) || a.contains(nightB) || a.contains(urgentB) || a.contains(schoolB), a);
        // 2 + 1 + 11 + 7 records about the pupil (and the test's own searches of them).
        assertTrue(rows(a) >= 21, a);

        // Narrowed by person and outcome.
        String refused = page(dpoA, "/console/records?pupilId=" + pupil + "&person=" + personA + "&outcome=REFUSED");
        assertEquals(1, rows(refused), refused);

        // The other school's DPO, the same pupil id: none of school A's records, anywhere.
        String b = page(dpoB, "/console/records?pupilId=" + pupil + "&outcome=all");
        assertFalse(b.contains(personA) || b.contains(nightA) || b.contains(urgentA) || b.contains(schoolA), b);
        assertTrue(b.contains(personB), b);
        String report = page(dpoB, "/console/pupils/" + pupil + "/report");
        // The parents' page names people in words, never by user name: B's own accesses are there as rows.
        assertFalse(report.contains(personA) || report.contains(schoolA) || report.contains(personB), report);
        assertTrue(report.contains("class=\"access\""), report);
        String unusual = page(dpoB, "/console/unusual?from=2025-01-14&to=2025-01-16");
        assertFalse(unusual.contains(nightA), unusual);
        assertTrue(unusual.contains(nightB), unusual);
        String urgent = page(dpoB, "/console/urgent-danger");
        assertFalse(urgent.contains(urgentA), urgent);
        assertTrue(urgent.contains(urgentB), urgent);
        String statistics = page(dpoB, "/console/statistics?from=2025-01&to=2025-02");
        assertFalse(statistics.contains(schoolA), statistics);
        assertTrue(statistics.contains(schoolB), statistics);
    }

    @Test
    void a3_theResultsArePagedByFifty() {
        List<ObjectNode> records = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (int i = 0; i < ConsoleResource.PAGE_SIZE + 1; i++) {
            records.add(record(schoolA, pseudonyms.of(schoolA, pupil), personPaging, "case-file.read", now.minusSeconds(100 - i)));
        }
        publish(records);
        await().atMost(Duration.ofSeconds(60)).until(() -> apiCount(plantDpoA, Map.of("actor", personPaging)) == records.size());
        String first = page(dpoA, "/console/records?person=" + personPaging);
        assertEquals(ConsoleResource.PAGE_SIZE, rows(first));
        assertTrue(first.contains("id=\"next-page\" href=\"/console/records?person=" + personPaging + "&amp;page=1\""), first);
        assertFalse(first.contains("id=\"prev-page\""), first);
        String second = page(dpoA, "/console/records?person=" + personPaging + "&page=1");
        assertEquals(1, rows(second));
        assertTrue(second.contains("id=\"prev-page\" href=\"/console/records?person=" + personPaging + "&amp;page=0\""), second);
        assertFalse(second.contains("id=\"next-page\""), second);
    }

    @Test
    void t4_a3_theReportUnusualAccessAndUrgentDangerPagesShowTheOrganisationsOwn() {
        plant();
        given().auth().oauth2(dpoA).when().get("/console/pupils/" + pupil + "/report").then().statusCode(200)
                .body(containsString("<title>Wie heeft de gegevens van deze leerling ingekeken?"),
                        containsString("id=\"accesses\""), containsString("class=\"access\""),
                        containsString("id=\"back-to-console\" href=\"/console/records?pupilId=" + pupil + "\""),
                        containsString("geweigerd"), not(containsString(personA)), not(containsString(personB)));
        given().auth().oauth2(dpoA).when().get("/console/unusual?from=2025-01-14&to=2025-01-16").then().statusCode(200)
                .body(containsString("id=\"flags\""), containsString("NIGHT"), containsString(nightA),
                        containsString("drempel 10"), not(containsString(nightB)));
        given().auth().oauth2(dpoA).when().get("/console/urgent-danger").then().statusCode(200)
                .body(containsString("<title>Dringend gevaar"), containsString(urgentA), containsString("note.disclose"),
                        containsString("vitaal belang"), not(containsString(urgentB)), not(containsString(personA)));
    }

    @Test
    void a4_theStatisticsPageHasATableAndAnSvgChartAndSuppressesSmallCounts() {
        plant();
        String html = given().auth().oauth2(dpoA).when().get("/console/statistics?from=2025-01&to=2025-02").then()
                .statusCode(200).extract().asString();
        assertTrue(html.contains("<svg id=\"chart\" role=\"img\" aria-labelledby=\"chart-title chart-desc\""), html);
        assertTrue(html.contains("<title id=\"chart-title\">"), html);
        // January: 5 shown, with a bar; February: 2, suppressed as "< 5", without a bar.
        assertTrue(html.contains("<td>2025-01</td>") && html.contains("<td>5</td>"), html);
        assertTrue(html.contains("<td>2025-02</td>") && html.contains("&lt; 5"), html);
        assertFalse(html.contains("<td>2</td>"), html);
        Matcher bars = Pattern.compile("<rect class=\"bar\"").matcher(html);
        int n = 0;
        while (bars.find()) {
            n++;
        }
        assertEquals(1, n, html);
        given().auth().oauth2(dpoA).when().get("/console/statistics?from=2025-03&to=2025-01").then().statusCode(400)
                .body(containsString("id=\"form-errors\""), containsString("De periode is leeg"));
    }

    @Test
    void a3_csvAndJsonLinesExportsCarryExactlyTheSearchsRecords() throws Exception {
        plant();
        String query = "pupilId=" + pupil + "&action=note.read&outcome=all&from=&to=";
        String html = page(dpoA, "/console/records?" + query);
        Set<Long> shown = proofLeaves(html);
        assertEquals(13, shown.size(), html); // 2 by personA, 11 at night
        Response csv = given().auth().oauth2(dpoA).when().get("/console/records/export?format=csv&" + query);
        assertEquals(200, csv.statusCode());
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        assertEquals("attachment; filename=\"audit-records.csv\"", csv.header("Content-Disposition"));
        String[] lines = csv.asString().split("\r\n");
        assertTrue(lines[0].startsWith("leafIndex,"), lines[0]);
        Set<Long> exported = new TreeSet<>();
        for (int i = 1; i < lines.length; i++) {
            exported.add(Long.parseLong(lines[i].substring(0, lines[i].indexOf(',')).replace("\"", "")));
        }
        assertEquals(shown, exported);
        assertFalse(csv.asString().contains(personB));

        Response jsonl = given().auth().oauth2(dpoA).when().get("/console/records/export?format=jsonl&" + query);
        assertEquals(200, jsonl.statusCode());
        assertTrue(jsonl.contentType().startsWith("application/x-ndjson"), jsonl.contentType());
        assertEquals("attachment; filename=\"audit-records.jsonl\"", jsonl.header("Content-Disposition"));
        Set<Long> lines2 = new TreeSet<>();
        for (String line : jsonl.asString().split("\n")) {
            JsonNode node = JSON.readTree(line);
            lines2.add(node.get("leafIndex").asLong());
            assertEquals(schoolA, node.path("record").path("organisationId").asText());
        }
        assertEquals(shown, lines2);
        // The export is recorded, as the API's (audit.export).
        await().atMost(Duration.ofSeconds(30)).until(() -> apiCount(dpoA, Map.of("action", "audit.export", "actor", dpoNameA)) == 2);
        given().auth().oauth2(dpoA).when().get("/console/records/export?format=xml&" + query).then().statusCode(400)
                .contentType(startsWith("text/html")).body(containsString("Kies CSV of JSON Lines"));
    }

    @Test
    void a3_a1_thePagesAreRecordedInTheTrailAsTheApisQueriesAre() {
        plant();
        page(dpoA, "/console/records?pupilId=" + pupil);
        page(dpoA, "/console/pupils/" + pupil + "/report");
        page(dpoA, "/console/unusual");
        page(dpoA, "/console/urgent-danger");
        page(dpoA, "/console/statistics");
        page(dpoA, "/console/log");
        // The API's equivalents, by the other DPO of the same school.
        String apiDpoName = "dpo-api-" + UUID.randomUUID().toString().substring(0, 8);
        String apiDpo = TestTokens.of(apiDpoName, schoolA, "school", "dpo");
        given().auth().oauth2(apiDpo).queryParam("pupilId", pupil).when().get("/audit-records").then().statusCode(200);
        given().auth().oauth2(apiDpo).accept("application/json").when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200);
        given().auth().oauth2(apiDpo).when().get("/audit-records/unusual").then().statusCode(200);
        given().auth().oauth2(apiDpo).queryParam("legalBasis", "vital-interest").when().get("/audit-records").then().statusCode(200);
        given().auth().oauth2(apiDpo).accept("application/json").when().get("/audit-statistics/registrations").then().statusCode(200);
        given().auth().oauth2(apiDpo).when().get("/audit-log/state").then().statusCode(200);
        List<String> actions = List.of("audit.search", "audit.report", "audit.unusual", "audit.statistics", "audit.state.read");
        await().atMost(Duration.ofSeconds(30)).until(() -> apiRecords(plantDpoA, Map.of("actor", dpoNameA)).size() >= 6
                && apiRecords(plantDpoA, Map.of("actor", apiDpoName)).size() >= 6);
        List<Map<String, Object>> console = apiRecords(plantDpoA, Map.of("actor", dpoNameA));
        List<Map<String, Object>> api = apiRecords(plantDpoA, Map.of("actor", apiDpoName));
        for (String action : actions) {
            Map<String, Object> c = console.stream().filter(r -> action.equals(r.get("action"))).findFirst().orElseThrow(
                    () -> new AssertionError("no " + action + " by the console: " + console));
            Map<String, Object> a = api.stream().filter(r -> action.equals(r.get("action"))).findFirst().orElseThrow();
            for (String field : List.of("purpose", "legalBasis", "resourceType", "outcome", "organisationId")) {
                assertEquals(a.get(field), c.get(field), action + " " + field);
            }
        }
        // The search by pupil names the pupil (by pseudonym), as the API's.
        Map<String, Object> search = console.stream().filter(r -> "audit.search".equals(r.get("action"))
                && r.get("pupilPseudonym") != null).findFirst().orElseThrow();
        assertEquals(pseudonyms.of(schoolA, pupil), search.get("pupilPseudonym"));
        // The search and the urgent-danger review: two audit.search records by the console.
        assertEquals(2, console.stream().filter(r -> "audit.search".equals(r.get("action"))).count());
    }

    @Test
    void a3_a1_anyoneButTheDpoGetsA403PageAndTheRefusalIsRecorded() {
        for (String path : List.of("/console", "/console/records", "/console/records?pupilId=" + pupil,
                "/console/pupils/" + pupil + "/report", "/console/unusual", "/console/urgent-danger", "/console/statistics",
                "/console/log", "/console/log/checkpoint", "/console/log/verifier-key", "/console/records/1/proof",
                "/console/records/export?format=csv")) {
            given().auth().oauth2(teacher).when().get(path).then().statusCode(403).contentType(startsWith("text/html"))
                    .body(containsString("<title>Geen toegang"), containsString("U hebt geen toegang tot deze console"),
                            containsString("<main id=\"main\">"), not(containsString("id=\"records\"")));
        }
        given().auth().oauth2(teacher).header("Origin", origin()).when().post("/console/log/verification").then()
                .statusCode(403).body(containsString("Geen toegang"));
        await().atMost(Duration.ofSeconds(30)).until(() -> apiCount(dpoA, Map.of("actor", teacherName, "outcome", "REFUSED")) >= 13);
        List<Map<String, Object>> refusals = apiRecords(dpoA, Map.of("actor", teacherName, "outcome", "REFUSED"));
        assertTrue(refusals.stream().allMatch(r -> "not the DPO".equals(r.get("reason"))), refusals.toString());
        assertTrue(refusals.stream().anyMatch(r -> "audit.search".equals(r.get("action"))), refusals.toString());
        assertTrue(refusals.stream().anyMatch(r -> "audit.report".equals(r.get("action"))), refusals.toString());
        // Without a token: no page at all.
        given().when().get("/console/records").then().statusCode(401);
    }

    @Test
    void a3_englishOnRequestKeptInEveryLinkAndForm() {
        String html = page(dpoA, "/console/records?lang=en");
        assertTrue(html.contains("<html lang=\"en\">"), html);
        assertTrue(html.contains("<title>Search audit records"), html);
        assertTrue(html.contains("<input type=\"hidden\" name=\"lang\" value=\"en\">"), html);
        assertTrue(html.contains("id=\"nav-records\" href=\"/console/records?lang=en\""), html);
        assertTrue(html.contains("id=\"nav-log\" href=\"/console/log?lang=en\""), html);
        assertTrue(html.contains("id=\"lang-switch\" href=\"/console/records\""), html);
        assertTrue(html.contains(">Nederlands</a>"), html);
        assertTrue(html.contains("id=\"logout\""), html);
        String dutch = page(dpoA, "/console/records?pupilId=x1&outcome=all");
        assertTrue(dutch.contains("<html lang=\"nl\">"), dutch);
        assertTrue(dutch.contains("<title>Auditrecords zoeken"), dutch);
        assertTrue(dutch.contains("id=\"lang-switch\" href=\"/console/records?pupilId=x1&amp;outcome=all&amp;lang=en\""), dutch);
        assertTrue(dutch.contains(">English</a>"), dutch);
        String english = page(dpoA, "/console/records?pupilId=x1&outcome=all&lang=en");
        assertTrue(english.contains("id=\"open-report\" href=\"/console/pupils/x1/report?lang=en\""), english);
        assertTrue(english.contains("id=\"export-csv\" href=\"/console/records/export?pupilId=x1&amp;format=csv&amp;lang=en\""), english);
        // Every page has its own title.
        Set<String> titles = new TreeSet<>();
        for (String path : List.of("/console", "/console/records", "/console/unusual", "/console/urgent-danger",
                "/console/statistics", "/console/log", "/console/pupils/x1/report")) {
            String p = page(dpoA, path);
            Matcher t = Pattern.compile("<title>([^<]*)</title>").matcher(p);
            assertTrue(t.find(), p);
            titles.add(t.group(1));
            // The report is the parents' own page, with only a way back to the console.
            assertTrue(p.contains("<main id=\"main\">") && (path.endsWith("/report") ? p.contains("id=\"back-to-console\"")
                    : p.contains("id=\"nav-urgent\"") && p.contains("id=\"nav-statistics\"") && p.contains("id=\"nav-unusual\"")), p);
        }
        assertEquals(7, titles.size(), titles.toString());
        given().auth().oauth2(dpoA).when().get("/console/signed-out?lang=en").then().statusCode(200)
                .body(containsString("You are signed out"));
        given().when().get("/console/signed-out").then().statusCode(200)
                .body(containsString("<title>U bent afgemeld"), containsString("href=\"/console\""));
    }

    @Test
    void a3_aBadDateShowsTheFormAgainWithAMessage() {
        given().auth().oauth2(dpoA).when().get("/console/records?pupilId=x&from=2026-02-30&to=yesterday").then()
                .statusCode(400).contentType(startsWith("text/html"))
                .body(containsString("id=\"search-form\""), containsString("id=\"form-errors\""),
                        containsString("Van (datum): geen geldige datum"), containsString("value=\"yesterday\""),
                        not(containsString("id=\"records\"")));
        given().auth().oauth2(dpoA).when().get("/console/records?from=2026-03-02&to=2026-03-01&lang=en").then()
                .statusCode(400).body(containsString("The period is empty"));
        given().auth().oauth2(dpoA).when().get("/console/records?outcome=MAYBE&page=x").then().statusCode(400)
                .body(containsString("kies Alle, Toegestaan of Geweigerd"), containsString("geen geldig paginanummer"));
        given().auth().oauth2(dpoA).when().get("/console/unusual?from=2025-01-01&to=2025-12-31").then().statusCode(400)
                .body(containsString("hoogstens 92 dagen"));
        given().auth().oauth2(dpoA).when().get("/console/urgent-danger?from=nope").then().statusCode(400)
                .body(containsString("geen geldige datum"));
        given().auth().oauth2(dpoA).when().get("/console/statistics?from=2025-13").then().statusCode(400)
                .body(containsString("geen geldige maand"));
        given().auth().oauth2(dpoA).when().get("/console/records/abc/proof").then().statusCode(400)
                .body(containsString("geen geldig recordnummer"));
    }

    @Test
    void a2_theLogPageShowsTheCheckpointAndVerifyGivesTheResult() {
        plant();
        given().auth().oauth2(dpoA).when().post("/audit-log/checkpoints").then().statusCode(200);
        String html = page(dpoA, "/console/log");
        assertTrue(html.contains("id=\"checkpoint-size\"") && html.contains("id=\"checkpoint-root\""), html);
        assertTrue(html.contains("audit.need-to-know.local"), html);
        assertTrue(html.contains("<form method=\"post\" action=\"/console/log/verification\""), html);
        assertTrue(html.contains("id=\"verify\"") && html.contains("id=\"download-checkpoint\"")
                && html.contains("id=\"download-verifier-key\""), html);
        given().auth().oauth2(dpoA).header("Origin", origin()).when().post("/console/log/verification").then()
                .statusCode(200).body(containsString("id=\"verification-result\""),
                        matchesPattern("(?s).*Het logboek is (in orde: [0-9.]+ records nagekeken|NIET in orde).*"));
        given().auth().oauth2(dpoA).header("Origin", origin()).formParam("lang", "en").when()
                .post("/console/log/verification").then().statusCode(200)
                .body(matchesPattern("(?s).*The log is (consistent: [0-9,]+ records checked|NOT consistent).*"));
        // A form post from another origin, or without any, is refused.
        given().auth().oauth2(dpoA).header("Origin", "https://evil.example").when().post("/console/log/verification")
                .then().statusCode(403).body(not(containsString("verification-result")));
        given().auth().oauth2(dpoA).when().post("/console/log/verification").then().statusCode(403);
        // A GET of the form's address (after signing in again) leads to the log's page.
        given().auth().oauth2(dpoA).redirects().follow(false).when().get("/console/log/verification?lang=en").then()
                .statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/console/log?lang=en"));
        await().atMost(Duration.ofSeconds(30)).until(() -> apiCount(dpoA, Map.of("actor", dpoNameA, "action", "audit.verify")) == 4);
        assertEquals(2, apiCount(dpoA, Map.of("actor", dpoNameA, "action", "audit.verify", "outcome", "REFUSED")));

        Response checkpoint = given().auth().oauth2(dpoA).when().get("/console/log/checkpoint");
        assertEquals(200, checkpoint.statusCode());
        assertEquals("attachment; filename=\"checkpoint.txt\"", checkpoint.header("Content-Disposition"));
        assertTrue(checkpoint.asString().startsWith("audit.need-to-know.local\n"), checkpoint.asString());
        Response key = given().auth().oauth2(dpoA).when().get("/console/log/verifier-key");
        assertEquals(200, key.statusCode());
        assertEquals("attachment; filename=\"verifier-key.txt\"", key.header("Content-Disposition"));
        assertTrue(key.asString().contains("audit.need-to-know.local+"), key.asString());
    }

    @Test
    void a2_aRecordsInclusionProofFromTheSearchPageAndNotAnotherSchools() {
        plant();
        given().auth().oauth2(dpoA).when().post("/audit-log/checkpoints").then().statusCode(200);
        String html = page(dpoA, "/console/records?person=" + personA + "&outcome=GRANTED");
        Set<Long> leaves = proofLeaves(html);
        assertEquals(1, leaves.size(), html);
        long leaf = leaves.iterator().next();
        given().auth().oauth2(dpoA).when().get("/console/records/" + leaf + "/proof").then().statusCode(200)
                .body(containsString("id=\"proof-record\""), containsString(personA), containsString("id=\"proof-path\""),
                        containsString("id=\"proof-checkpoint\""));
        given().auth().oauth2(dpoB).when().get("/console/records/" + leaf + "/proof").then().statusCode(404)
                .body(containsString("Niet gevonden"), not(containsString(personA)));
        given().auth().oauth2(dpoA).when().get("/console/records/999999999/proof").then().statusCode(400)
                .body(containsString("nog niet onder een ondertekend controlepunt"));
    }

    @Test
    void a3_theHomePageExplainsAndLinks() {
        given().auth().oauth2(dpoA).when().get("/console").then().statusCode(200)
                .body(containsString("<h1>Console van de functionaris voor gegevensbescherming</h1>"),
                        containsString("href=\"/console/records\""), containsString("href=\"/console/urgent-danger\""),
                        containsString(dpoNameA), containsString(schoolA), containsString("id=\"logout\" href=\"/console/logout\""));
        given().auth().oauth2(dpoA).when().get("/console").then()
                .header("Content-Security-Policy", equalTo("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"));
        // Pages for a browser, not part of the API's document.
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body(containsString("/audit-records"), not(containsString("/console")));
    }

    static String origin() {
        return "http://localhost:" + RestAssured.port;
    }
}
