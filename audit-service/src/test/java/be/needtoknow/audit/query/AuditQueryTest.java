package be.needtoknow.audit.query;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import be.needtoknow.audit.AuditEvents;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.stack.testing.TestStack;
import be.needtoknow.stack.testing.TestTokens;
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
}
