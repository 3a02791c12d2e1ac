package be.needtoknow.audit.query;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import be.needtoknow.audit.AuditEvents;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A3: the DPO searches the trail of their own organisation, and the search is itself recorded. */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AuditQueryTest {

    static final String SCHOOL = "school-sint-jan";
    static final String OTHER = "school-de-linde";

    @Inject
    PupilPseudonyms pseudonyms;

    @Test
    void a3_theDpoFindsAPupilsRecordsByTheSchoolsPupilIdInTheirOwnOrganisationOnly() {
        String pupil = "p-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        AuditEvents.publish(id, "k", AuditEvents.record(SCHOOL, pseudonyms.of(SCHOOL, pupil), "bart.counsellor", "case-file.open"));
        String dpo = TestTokens.of("frank.dpo", SCHOOL, "school", "dpo");
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(dpo).queryParam("pupilId", pupil)
                .when().get("/audit-records").then().statusCode(200).extract().<List<String>>path("eventId").contains(id));
        given().auth().oauth2(dpo).queryParam("actor", "bart.counsellor").queryParam("action", "case-file.open")
                .queryParam("size", 500)
                .when().get("/audit-records")
                .then().statusCode(200).body("eventId", hasItem(id));
        // The other school's DPO, even with the same pupil id, sees nothing of it.
        given().auth().oauth2(TestTokens.of("luc.dpo", OTHER, "school", "dpo")).queryParam("pupilId", pupil)
                .when().get("/audit-records")
                .then().statusCode(200).body("eventId", not(hasItem(id)));
        given().auth().oauth2(TestTokens.of("luc.dpo", OTHER, "school", "dpo")).queryParam("size", 500)
                .when().get("/audit-records")
                .then().statusCode(200).body("eventId", not(hasItem(id)));
    }

    @Test
    void a3_aClbsDpoSeesWhatTheClbsOwnPeopleDidOnASchoolsReferralAndNothingElseOfTheSchool() {
        String pupil = "p-" + UUID.randomUUID();
        String byClb = UUID.randomUUID().toString();
        String bySchool = UUID.randomUUID().toString();
        String pseudonym = pseudonyms.of(SCHOOL, pupil);
        // Filed under the school (its pupil, its referral), done by a CLB Gent worker.
        AuditEvents.publish(byClb, "k", AuditEvents.record(SCHOOL, pseudonym, "mia.clb", "referral.acceptance")
                .replace("\"organisationId\": \"" + SCHOOL + "\", \"organisationType\": \"school\"",
                        "\"organisationId\": \"clb-gent\", \"organisationType\": \"clb\""));
        AuditEvents.publish(bySchool, "k", AuditEvents.record(SCHOOL, pseudonym, "bart.counsellor", "referral.send"));
        String clbDpo = TestTokens.of("nina.dpo", "clb-gent", "clb", "dpo");
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(TestTokens.of("frank.dpo", SCHOOL, "school", "dpo"))
                .queryParam("pupilId", pupil).when().get("/audit-records").then().statusCode(200)
                .extract().<List<String>>path("eventId").containsAll(List.of(byClb, bySchool)));
        given().auth().oauth2(clbDpo).queryParam("actor", "mia.clb").queryParam("size", 500)
                .when().get("/audit-records")
                .then().statusCode(200).body("eventId", hasItem(byClb));
        given().auth().oauth2(clbDpo).queryParam("size", 500).queryParam("action", "referral.send")
                .when().get("/audit-records")
                .then().statusCode(200).body("eventId", not(hasItem(bySchool)));
        given().auth().oauth2(TestTokens.of("petra.dpo", "clb-brugge", "clb", "dpo")).queryParam("actor", "mia.clb")
                .when().get("/audit-records")
                .then().statusCode(200).body("eventId", not(hasItem(byClb)));
    }

    @Test
    void a3_theDpoListsTheDisclosuresWithoutConsent() {
        String pupil = "p-" + UUID.randomUUID();
        String urgent = UUID.randomUUID().toString();
        String consented = UUID.randomUUID().toString();
        String pseudonym = pseudonyms.of(SCHOOL, pupil);
        AuditEvents.publish(urgent, "k", AuditEvents.record(SCHOOL, pseudonym, "bart.counsellor", "referral.send")
                .replace("\"legalBasis\": \"legal-task\"", "\"legalBasis\": \"vital-interest\""));
        AuditEvents.publish(consented, "k", AuditEvents.record(SCHOOL, pseudonym, "bart.counsellor", "referral.send")
                .replace("\"legalBasis\": \"legal-task\"", "\"legalBasis\": \"consent\""));
        String dpo = TestTokens.of("frank.dpo", SCHOOL, "school", "dpo");
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(dpo).queryParam("pupilId", pupil)
                .when().get("/audit-records").then().statusCode(200).extract().<List<String>>path("eventId").contains(consented));
        given().auth().oauth2(dpo).queryParam("pupilId", pupil).queryParam("legalBasis", "vital-interest")
                .when().get("/audit-records")
                .then().statusCode(200).body("eventId", hasItem(urgent)).body("eventId", not(hasItem(consented)));
        given().auth().oauth2(dpo).queryParam("legalBasis", "whatever").when().get("/audit-records")
                .then().statusCode(400).body("errors.field", hasItem("legalBasis"));
    }

    @Test
    void a3_theDpoQueryIsItselfInTheTrail() {
        String pupil = "p-" + UUID.randomUUID();
        String dpo = TestTokens.of("frank.dpo", SCHOOL, "school", "dpo");
        given().auth().oauth2(dpo).queryParam("pupilId", pupil).when().get("/audit-records").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(dpo).queryParam("pupilId", pupil)
                .when().get("/audit-records").then().statusCode(200).extract().<List<String>>path("record.action")
                .contains("audit.search"));
    }

    @Test
    void onlyTheDpoReadsTheTrail() {
        given().auth().oauth2(TestTokens.of("dirk.principal", SCHOOL, "school", "principal"))
                .when().get("/audit-records")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:not-dpo"));
        given().when().get("/audit-records").then().statusCode(401);
    }

    @Test
    void badQueryParametersAreProblems() {
        String dpo = TestTokens.of("frank.dpo", SCHOOL, "school", "dpo");
        given().auth().oauth2(dpo).queryParam("size", 501).when().get("/audit-records")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("size"));
        given().auth().oauth2(dpo).queryParam("page", -1).when().get("/audit-records")
                .then().statusCode(400).body("errors.field", hasItem("page"));
        given().auth().oauth2(dpo).queryParam("size", "many").when().get("/audit-records")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("size"));
        given().auth().oauth2(dpo).queryParam("size", 0).when().get("/audit-records")
                .then().statusCode(400).body("errors.field", hasItem("size"));
        given().auth().oauth2(dpo).queryParam("action", "drop table;").when().get("/audit-records")
                .then().statusCode(400).body("errors.field", hasItem("action"));
    }

    @Test
    void a3_theDpoListsRefusedAttemptsByPeriodAndExportsThemSafeForASpreadsheet() {
        String pupil = "p-" + UUID.randomUUID();
        String pseudonym = pseudonyms.of(SCHOOL, pupil);
        String refused = UUID.randomUUID().toString();
        String granted = UUID.randomUUID().toString();
        AuditEvents.publish(refused, "k", AuditEvents.record(SCHOOL, pseudonym, "an.teacher", "note.read")
                .replace("\"GRANTED\"", "\"REFUSED\"").replace("pupil guidance", "=HYPERLINK(\\\"http://evil\\\")"));
        AuditEvents.publish(granted, "k", AuditEvents.record(SCHOOL, pseudonym, "bart.counsellor", "note.read"));
        String dpo = TestTokens.of("frank.dpo", SCHOOL, "school", "dpo");
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(dpo).queryParam("pupilId", pupil)
                .when().get("/audit-records").then().statusCode(200).extract().<List<String>>path("eventId")
                .containsAll(List.of(refused, granted)));
        given().auth().oauth2(dpo).queryParam("pupilId", pupil).queryParam("outcome", "REFUSED")
                .when().get("/audit-records")
                .then().statusCode(200).body("eventId", hasItem(refused)).body("eventId", not(hasItem(granted)));
        String hourAgo = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusHours(1).toString();
        String hourAhead = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusHours(1).toString();
        given().auth().oauth2(dpo).queryParam("pupilId", pupil).queryParam("from", hourAgo).queryParam("to", hourAhead)
                .when().get("/audit-records")
                .then().statusCode(200).body("eventId", hasItem(granted));
        given().auth().oauth2(dpo).queryParam("pupilId", pupil).queryParam("from", hourAhead)
                .when().get("/audit-records")
                .then().statusCode(200).body("eventId", not(hasItem(granted)));
        given().auth().oauth2(dpo).queryParam("from", hourAhead).queryParam("to", hourAgo).when().get("/audit-records")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("from"));
        given().auth().oauth2(dpo).queryParam("from", "yesterday").when().get("/audit-records")
                .then().statusCode(400).body("detail", containsString("from"));
        given().auth().oauth2(dpo).queryParam("outcome", "MAYBE").when().get("/audit-records")
                .then().statusCode(400).body("errors.field", hasItem("outcome"));

        String jsonLines = given().auth().oauth2(dpo).accept("application/x-ndjson").queryParam("pupilId", pupil)
                .when().get("/audit-records/export").then().statusCode(200).extract().asString();
        // Both records, one per line (with the DPO's own searches for the pupil, which are in the trail too).
        assertEquals(2, jsonLines.lines().filter(l -> l.contains(refused) || l.contains(granted)).count(), jsonLines);
        assertTrue(jsonLines.lines().allMatch(l -> l.startsWith("{\"leafIndex\":")), jsonLines);
        String csv = given().auth().oauth2(dpo).accept("text/csv").queryParam("pupilId", pupil)
                .when().get("/audit-records/export").then().statusCode(200).contentType(containsString("text/csv"))
                .extract().asString();
        assertTrue(csv.startsWith("leafIndex,occurredAt,actor,"), csv);
        assertTrue(csv.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""), csv);
        assertFalse(csv.contains(",\"=HYPERLINK"), "a formula reaches the spreadsheet: " + csv);
        given().auth().oauth2(TestTokens.of("luc.dpo", OTHER, "school", "dpo")).accept("text/csv")
                .queryParam("pupilId", pupil).when().get("/audit-records/export")
                .then().statusCode(200).body(not(containsString(pseudonym)));
        given().auth().oauth2(TestTokens.of("dirk.principal", SCHOOL, "school", "principal")).accept("text/csv")
                .when().get("/audit-records/export").then().statusCode(403);
    }
}
