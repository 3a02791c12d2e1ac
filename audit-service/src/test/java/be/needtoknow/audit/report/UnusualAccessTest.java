package be.needtoknow.audit.report;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A3: the DPO spots unusual access (many pupils, many refusals, night work) in their organisation's trail. */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class UnusualAccessTest {

    static final String PATH = "/audit-records/unusual";
    static final String SCHOOL = "school-sint-jan";
    static final String OTHER = "school-de-linde";
    static final String DPO = TestTokens.of("frank.dpo", SCHOOL, "school", "dpo");
    static final String OTHER_DPO = TestTokens.of("luc.dpo", OTHER, "school", "dpo");
    /** The records lie in January 2024; this period holds them. */
    static final String FROM = "2024-01-01T00:00:00Z";
    static final String TO = "2024-02-01T00:00:00Z";

    final List<String> pseudonyms = new ArrayList<>();

    /** A granted read of a new pupil by a person, at a time. */
    String read(String actor, OffsetDateTime at) {
        String pseudonym = ReportRecords.pseudonym();
        pseudonyms.add(pseudonym);
        return ReportRecords.record(SCHOOL, actor, at).pupil(pseudonym).build();
    }

    static List<Map<String, Object>> flagsOf(String token, String actor) {
        List<Map<String, Object>> all = given().auth().oauth2(token).queryParam("from", FROM).queryParam("to", TO)
                .when().get(PATH).then().statusCode(200).extract().path("");
        return all.stream().filter(f -> actor.equals(f.get("actor"))).toList();
    }

    /** Waits until the last person's flag is there: published last on one partition, all before it are in too. */
    static Map<String, Object> awaitFlag(String token, String actor, int count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> flagsOf(token, actor).stream()
                .anyMatch(f -> ((Number) f.get("count")).intValue() == count));
        List<Map<String, Object>> flags = flagsOf(token, actor);
        assertEquals(1, flags.size(), "one flag for " + actor + ": " + flags);
        return flags.get(0);
    }

    void assertNoPupilInTheAnswer(String token) {
        String body = given().auth().oauth2(token).queryParam("from", FROM).queryParam("to", TO)
                .when().get(PATH).then().statusCode(200).extract().asString();
        for (String pseudonym : pseudonyms) {
            assertFalse(body.contains(pseudonym), "a pupil pseudonym among the flags");
        }
        assertFalse(body.contains("pupilPseudonym") || body.contains("resourceId") || body.contains("purpose"),
                "record content among the flags");
    }

    @Test
    void a3_aPersonReading21DistinctPupilsInAnHourIsFlaggedAnd20IsNot() {
        String twenty = ReportRecords.person("an");
        String spread = ReportRecords.person("els");
        String many = ReportRecords.person("bart");
        OffsetDateTime morning = OffsetDateTime.parse("2024-01-10T10:00:00+01:00");
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(read(twenty, morning.plusMinutes(2L * i)));
        }
        // The 21st read is of a pupil already read: still 20 pupils.
        records.add(ReportRecords.record(SCHOOL, twenty, morning.plusMinutes(45)).pupil(pseudonyms.get(0)).build());
        for (int i = 0; i < 21; i++) {
            records.add(read(spread, morning.plusMinutes(5L * i))); // 21 pupils, but over 100 minutes
        }
        for (int i = 0; i < 21; i++) {
            records.add(read(many, morning.plusMinutes(2L * i)));
        }
        ReportRecords.publishAll(records);

        Map<String, Object> flag = awaitFlag(DPO, many, 21);
        assertEquals("MANY_PUPILS", flag.get("flag"));
        assertEquals("pupil-counsellor", flag.get("role"));
        assertEquals(SCHOOL, flag.get("organisation"));
        assertEquals("2024-01-10T10:00:00+01:00", flag.get("from"));
        assertEquals("2024-01-10T10:40:00+01:00", flag.get("to"));
        assertEquals(20, ((Number) flag.get("threshold")).intValue());
        assertEquals(List.of(), flagsOf(DPO, twenty));
        assertEquals(List.of(), flagsOf(DPO, spread));
        assertNoPupilInTheAnswer(DPO);
        // The other school's DPO sees nothing of it.
        assertEquals(List.of(), flagsOf(OTHER_DPO, many));
        given().auth().oauth2(OTHER_DPO).queryParam("from", FROM).queryParam("to", TO).when().get(PATH)
                .then().statusCode(200).body(not(containsString(many)));
    }

    @Test
    void a3_sixRefusalsInAnHourAreFlaggedAndFiveAreNotAlsoForAClbWorkerOnTheSchoolsPupils() {
        String five = ReportRecords.person("jan");
        String six = ReportRecords.person("mia.clb");
        OffsetDateTime afternoon = OffsetDateTime.parse("2024-01-11T14:00:00+01:00");
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(ReportRecords.record(SCHOOL, five, afternoon.plusMinutes(10L * i)).pupil(null).refused().build());
        }
        for (int i = 0; i < 6; i++) {
            // Filed under the school (its pupils), done by a CLB Gent worker.
            String pseudonym = ReportRecords.pseudonym();
            pseudonyms.add(pseudonym);
            records.add(ReportRecords.record(SCHOOL, six, afternoon.plusMinutes(10L * i)).pupil(pseudonym)
                    .action("referral.read").role("clb-worker").actorOrganisation("clb-gent", "clb").refused().build());
        }
        ReportRecords.publishAll(records);

        Map<String, Object> flag = awaitFlag(DPO, six, 6);
        assertEquals("REFUSALS", flag.get("flag"));
        assertEquals("clb-worker", flag.get("role"));
        assertEquals("clb-gent", flag.get("organisation"));
        assertEquals("2024-01-11T14:00:00+01:00", flag.get("from"));
        assertEquals("2024-01-11T14:50:00+01:00", flag.get("to"));
        assertEquals(5, ((Number) flag.get("threshold")).intValue());
        assertEquals(List.of(), flagsOf(DPO, five));
        assertNoPupilInTheAnswer(DPO);
        // The CLB's DPO sees what the CLB's own worker did; another school's DPO does not.
        assertEquals(1, flagsOf(TestTokens.of("nina.dpo", "clb-gent", "clb", "dpo"), six).size());
        assertEquals(List.of(), flagsOf(OTHER_DPO, six));
    }

    @Test
    void a3_nightWorkOnPupilsIsFlaggedByTheNightInBrussels() {
        String evening = ReportRecords.person("pieter");
        String earlyMorning = ReportRecords.person("sofie");
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            // 06:10 to 06:50 in Brussels (05:10 UTC, which would be night in UTC): not night.
            records.add(read(earlyMorning, OffsetDateTime.parse("2024-01-15T05:10:00Z").plusMinutes(4L * i)));
        }
        for (int i = 0; i < 11; i++) {
            // 22:05 to 22:55 in Brussels (21:05 UTC, still evening in UTC): night.
            records.add(read(evening, OffsetDateTime.parse("2024-01-15T21:05:00Z").plusMinutes(5L * i)));
        }
        ReportRecords.publishAll(records);

        Map<String, Object> flag = awaitFlag(DPO, evening, 11);
        assertEquals("NIGHT", flag.get("flag"));
        assertEquals("2024-01-15T22:00:00+01:00", flag.get("from"));
        assertEquals("2024-01-16T06:00:00+01:00", flag.get("to"));
        assertEquals(10, ((Number) flag.get("threshold")).intValue());
        assertEquals(List.of(), flagsOf(DPO, earlyMorning));
        assertNoPupilInTheAnswer(DPO);
        assertEquals(List.of(), flagsOf(OTHER_DPO, evening));
    }

    @Test
    void a3_askingIsRecordedAndOnlyTheDpoMayAsk() {
        String dpoName = ReportRecords.person("dpo");
        String dpo = TestTokens.of(dpoName, SCHOOL, "school", "dpo");
        String teacher = ReportRecords.person("teacher");
        given().auth().oauth2(dpo).when().get(PATH).then().statusCode(200); // the last 7 days
        given().auth().oauth2(TestTokens.of(teacher, SCHOOL, "school", "teacher")).when().get(PATH)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:not-dpo"));
        given().when().get(PATH).then().statusCode(401);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(dpo).queryParam("action", "audit.unusual")
                .queryParam("actor", dpoName).when().get("/audit-records").then().statusCode(200)
                .extract().<List<String>>path("record.outcome").contains("GRANTED"));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(dpo).queryParam("action", "audit.unusual")
                .queryParam("actor", teacher).when().get("/audit-records").then().statusCode(200)
                .extract().<List<String>>path("record.outcome").contains("REFUSED"));
    }

    @Test
    void a3_badPeriodsAreProblemsNamingTheParameters() {
        given().auth().oauth2(DPO).queryParam("from", TO).queryParam("to", FROM).when().get(PATH)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("from", "to"));
        // 93 days is too long, 92 fine.
        given().auth().oauth2(DPO).queryParam("from", "2024-01-01T00:00:00Z").queryParam("to", "2024-04-03T00:00:00Z")
                .when().get(PATH)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("from", "to"));
        given().auth().oauth2(DPO).queryParam("from", "2024-01-01T00:00:00Z").queryParam("to", "2024-04-02T00:00:00Z")
                .when().get(PATH).then().statusCode(200);
        given().auth().oauth2(DPO).queryParam("from", "yesterday").when().get(PATH)
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("from"));
        given().auth().oauth2(DPO).queryParam("to", "2024-02-30T00:00:00Z").when().get(PATH)
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("to"));
        // An offset other than Z is an instant too.
        given().auth().oauth2(DPO).queryParam("from", "2024-01-10T00:00:00+01:00").queryParam("to", "2024-01-11T00:00+01:00")
                .when().get(PATH).then().statusCode(200);
    }
}
