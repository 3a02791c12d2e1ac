package be.needtoknow.audit.report;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A4: the registration statistics for the government: counts per month, school and recipient type, small counts suppressed. */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RegistrationStatisticsTest {

    static final String PATH = "/audit-statistics/registrations";
    static final String TO_CLB = "referral to the CLB";
    static final String TO_CARE = "referral to a care service";
    static final String TO_SCHOOL = "transfer to another school";

    /** Each test counts in a school of its own, so that the counts are its records only. */
    final String school = "school-" + UUID.randomUUID();
    final String dpoName = ReportRecords.person("dpo");
    final String dpo = TestTokens.of(dpoName, school, "school", "dpo");
    final String counsellor = ReportRecords.person("counsellor");
    final List<String> pseudonyms = new ArrayList<>();

    String send(String purpose, String at) {
        String pseudonym = ReportRecords.pseudonym();
        pseudonyms.add(pseudonym);
        return ReportRecords.record(school, counsellor, OffsetDateTime.parse(at)).pupil(pseudonym)
                .action("referral.send").purpose(purpose).build();
    }

    /** Publishes and waits until all are in the trail (the DPO's search by the counsellor finds them all). */
    void publish(List<String> records) {
        ReportRecords.publishAll(records);
        await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(dpo).queryParam("actor", counsellor)
                .queryParam("size", 500).when().get("/audit-records").then().statusCode(200)
                .extract().<List<Object>>path("eventId").size() == records.size());
    }

    /** March: 5 to the CLB, 4 to care; April: 6 transfers; May: 1 to the CLB (in May in UTC); and what is not counted. */
    void spring2024() {
        List<String> records = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            records.add(send(TO_CLB, "2024-03-0" + i + "T10:00:00+01:00"));
            records.add(send(TO_CARE, "2024-03-1" + i + "T10:00:00+01:00"));
        }
        records.add(send(TO_CLB, "2024-03-31T23:59:00Z")); // still March in UTC
        for (int i = 1; i <= 6; i++) {
            records.add(send(TO_SCHOOL, "2024-04-0" + i + "T10:00:00+02:00"));
        }
        records.add(send(TO_CLB, "2024-04-30T23:30:00-02:00")); // 1 May, 01:30 UTC
        // Not counted: refused sends, other actions, other purposes, other months.
        for (int i = 1; i <= 3; i++) {
            records.add(ReportRecords.record(school, counsellor, OffsetDateTime.parse("2024-04-1" + i + "T10:00:00Z"))
                    .action("referral.send").purpose(TO_CLB).refused().build());
            records.add(ReportRecords.record(school, counsellor, OffsetDateTime.parse("2024-04-1" + i + "T10:00:00Z"))
                    .action("referral.accept").purpose(TO_CARE).build());
            records.add(send("referral for help", "2024-04-2" + i + "T10:00:00Z"));
        }
        records.add(send(TO_CLB, "2024-02-29T23:59:59Z"));
        records.add(send(TO_CLB, "2024-06-01T00:00:00Z"));
        publish(records);
    }

    @Test
    void a4_referralsAreCountedPerMonthSchoolAndRecipientTypeWithCountsBelowFiveSuppressed() {
        spring2024();
        String body = given().auth().oauth2(dpo).queryParam("from", "2024-03").queryParam("to", "2024-05")
                .when().get(PATH)
                .then().statusCode(200).contentType(containsString("application/json"))
                .body("", hasSize(4))
                .body("[0].month", equalTo("2024-03")).body("[0].school", equalTo(school))
                .body("[0].recipientType", equalTo("CARE")).body("[0].count", nullValue())
                .body("[0].suppressed", equalTo(true))
                .body("[1].month", equalTo("2024-03")).body("[1].recipientType", equalTo("CLB"))
                .body("[1].count", equalTo(5)).body("[1].suppressed", equalTo(false))
                .body("[2].month", equalTo("2024-04")).body("[2].recipientType", equalTo("SCHOOL"))
                .body("[2].count", equalTo(6))
                .body("[3].month", equalTo("2024-05")).body("[3].recipientType", equalTo("CLB"))
                .body("[3].count", nullValue()).body("[3].suppressed", equalTo(true))
                .extract().asString();
        // No identifiers: no pseudonym, no person, no record id.
        for (String pseudonym : pseudonyms) {
            assertFalse(body.contains(pseudonym), "a pupil pseudonym in the statistics");
        }
        assertFalse(body.contains(counsellor), "a person in the statistics");
        assertFalse(body.contains("leafIndex") || body.contains("eventId")
                || body.contains("resourceId"), "a record id in the statistics");
    }

    @Test
    void a4_theSameRowsAsCsvForTheGovernment() {
        spring2024();
        given().auth().oauth2(dpo).accept("text/csv").queryParam("from", "2024-03").queryParam("to", "2024-05")
                .when().get(PATH)
                .then().statusCode(200).contentType(org.hamcrest.Matchers.equalToIgnoringCase("text/csv;charset=UTF-8"))
                .body(equalTo("month,school,recipientType,count\r\n"
                        + "\"2024-03\",\"" + school + "\",\"CARE\",<5\r\n"
                        + "\"2024-03\",\"" + school + "\",\"CLB\",5\r\n"
                        + "\"2024-04\",\"" + school + "\",\"SCHOOL\",6\r\n"
                        + "\"2024-05\",\"" + school + "\",\"CLB\",<5\r\n"));
        // A period of one month: only its cells.
        given().auth().oauth2(dpo).accept("text/csv").queryParam("from", "2024-04").queryParam("to", "2024-04")
                .when().get(PATH)
                .then().statusCode(200)
                .body(equalTo("month,school,recipientType,count\r\n" + "\"2024-04\",\"" + school + "\",\"SCHOOL\",6\r\n"));
    }

    @Test
    void a4_theStatisticsAreOfTheDposOwnSchoolOnlyAndMakingThemIsRecorded() {
        spring2024();
        String otherDpo = TestTokens.of("luc.dpo", "school-de-linde", "school", "dpo");
        given().auth().oauth2(otherDpo).queryParam("from", "2024-03").queryParam("to", "2024-05")
                .when().get(PATH)
                .then().statusCode(200).body("school", not(hasItem(school)));
        given().auth().oauth2(otherDpo).accept("text/csv").queryParam("from", "2024-03").queryParam("to", "2024-05")
                .when().get(PATH)
                .then().statusCode(200).body(not(containsString(school)));
        // A CLB's DPO: the referrals a school sent are the school's, not the CLB's.
        given().auth().oauth2(TestTokens.of("nina.dpo", "clb-gent", "clb", "dpo"))
                .queryParam("from", "2024-03").queryParam("to", "2024-05")
                .when().get(PATH)
                .then().statusCode(200).body("school", not(hasItem(school)));

        given().auth().oauth2(dpo).queryParam("from", "2024-03").when().get(PATH).then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(dpo).queryParam("actor", dpoName)
                .queryParam("action", "audit.statistics").when().get("/audit-records").then().statusCode(200)
                .extract().<List<String>>path("record.legalBasis").contains("legal-obligation"));
    }

    @Test
    void a4_onlyTheDpoMakesTheStatisticsAndARefusalIsRecorded() {
        String principal = ReportRecords.person("principal");
        given().auth().oauth2(TestTokens.of(principal, school, "school", "principal"))
                .when().get(PATH)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:not-dpo"));
        given().auth().oauth2(TestTokens.of(principal, school, "school", "principal")).accept("text/csv")
                .when().get(PATH)
                .then().statusCode(403);
        given().when().get(PATH).then().statusCode(401);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(dpo).queryParam("actor", principal)
                .queryParam("action", "audit.statistics").when().get("/audit-records").then().statusCode(200)
                .extract().<List<String>>path("record.outcome").equals(List.of("REFUSED", "REFUSED")));
    }

    @Test
    void a4_badPeriodsAreProblemsNamingTheParameters() {
        given().auth().oauth2(dpo).queryParam("from", "2024-05").queryParam("to", "2024-03").when().get(PATH)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("from", "to"));
        // 61 months is too many, 60 are fine.
        given().auth().oauth2(dpo).queryParam("from", "2019-01").queryParam("to", "2024-01").when().get(PATH)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("from", "to"));
        given().auth().oauth2(dpo).queryParam("from", "2019-02").queryParam("to", "2024-01").when().get(PATH)
                .then().statusCode(200);
        given().auth().oauth2(dpo).queryParam("from", "2024-13").when().get(PATH)
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("from"));
        given().auth().oauth2(dpo).queryParam("to", "March").accept("text/csv").when().get(PATH)
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("to"));
        // By default: the last 12 months, up to the current one.
        given().auth().oauth2(dpo).when().get(PATH).then().statusCode(200).body("", hasSize(0));
        // A from after the current month, with the default to, is an inverted period.
        given().auth().oauth2(dpo).queryParam("from", "2999-01").when().get(PATH)
                .then().statusCode(400).body("errors.field", hasItems("from", "to"));
    }
}
