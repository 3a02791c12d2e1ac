package be.needtoknow.cases.retention;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.Together;
import be.needtoknow.testing.TestTokens;
import be.needtoknow.testing.TestTopics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A5: every kind of record the school holds is purged after its retention period (closed case
 * files, signals never taken up, discipline measures, pupils who left with everything held on
 * them); what is not yet past its period, or not in an end state, is untouched; each purged thing
 * leaves an audit record naming it by id and the pupil by pseudonym; the API no longer returns it.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RetentionPurgeTest {

    @Inject
    RetentionPurge purge;

    @Inject
    EntityManager em;

    @Inject
    PupilPseudonyms pseudonyms;

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
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

    private long rows(String table, String file) {
        return count("select count(*) from " + table + " where " + (table.equals("case_file") ? "id" : "case_file_id")
                + " = cast(?1 as uuid)", file);
    }

    private long byId(String table, String id) {
        return count("select count(*) from " + table + " where id = cast(?1 as uuid)", id);
    }

    private long pupils(String organisation, String pupil) {
        return count("select count(*) from pupil where organisation_id = ?1 and pupil_id = ?2", organisation, pupil);
    }

    /** The audit records of this purge action for this thing, as stored in the outbox in the purge's own transaction. */
    private long purgeRecords(String action, String resourceType, String id) {
        return count("select count(*) from outbox_event where topic = 'ntk.audit.v1' and subject = ?1 and payload like ?2",
                resourceType + "/" + id, "%\"action\":\"" + action + "\"%");
    }

    private static String reportSignal(String token, String pupil, String concern) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"concern\": \"%s\"}".formatted(pupil, concern))
                .when().post("/signals").then().statusCode(201).extract().path("id");
    }

    private static String registerMeasure(String token, String pupil, String type) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"measureType\": \"%s\", \"decidedOn\": \"%s\"}".formatted(type, java.time.LocalDate.now(ZoneOffset.UTC)))
                .when().post("/pupils/" + pupil + "/discipline-measures").then().statusCode(201).extract().path("id");
    }

    private static String marker() {
        return "marker-" + UUID.randomUUID();
    }

    @Test
    void a5_aFileClosedLongerThanTheRetentionPeriodIsPurgedWithItsNotesAndThePurgeIsAudited() {
        String open = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        String closed = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"kind\": \"OBSERVATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"to be purged\"}")
                .when().post("/case-files/" + closed + "/notes").then().statusCode(201);
        given().auth().oauth2(Fixtures.counsellor()).when().post("/case-files/" + closed + "/close").then().statusCode(200);

        // Not yet past the period: nothing goes.
        purge.purgeClosedBefore(now().minusDays(1));
        assertEquals(1, rows("case_file", closed));

        assertTrue(purge.purgeClosedBefore(now().plusSeconds(1)) >= 1);
        assertEquals(0, rows("case_file", closed));
        assertEquals(0, rows("note", closed));
        assertEquals(1, rows("case_file", open), "an open case file is never purged");
        given().auth().oauth2(Fixtures.counsellor()).when().get("/case-files/" + closed).then().statusCode(404);
        assertEquals(1, purgeRecords("case-file.purge", "case-file", closed));

        List<TestTopics.Received> records = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains(closed) && r.value().contains("case-file.purge"), Duration.ofSeconds(30));
        String purgeRecord = records.get(records.size() - 1).value();
        assertTrue(purgeRecord.contains("\"legalBasis\":\"legal-obligation\""), purgeRecord);
        assertTrue(purgeRecord.contains("\"username\":\"retention-job\""), purgeRecord);
    }

    @Test
    void a5_aSignalNeverTakenUpIsPurgedAfterItsPeriodOnceEvenByConcurrentRunsATakenUpOneStays() throws Exception {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String untakenMarker = marker();
        String untaken = reportSignal(Fixtures.teacher(), pupil, untakenMarker);
        String takenUp = reportSignal(Fixtures.teacher(), pupil, marker());
        String file = given().auth().oauth2(Fixtures.coordinator()).contentType(ContentType.JSON)
                .body("{\"reason\": \"Signal of possible harm\"}")
                .when().post("/signals/" + takenUp + "/take-up").then().statusCode(200).extract().path("caseFileId");

        purge.purgeUntakenSignalsBefore(now().minusDays(1));
        assertEquals(1, byId("signal", untaken), "not yet past its period");

        Together.attempts(4, n -> purge.purgeUntakenSignalsBefore(now().plusSeconds(1)));
        assertEquals(0, byId("signal", untaken));
        assertEquals(0, count("select count(*) from signal where concern = ?1", untakenMarker));
        assertEquals(1, byId("signal", takenUp), "a signal taken up stays as long as its case file");
        assertEquals(1, rows("case_file", file));
        assertEquals(1, purgeRecords("signal.purge", "signal", untaken), "purged and audited exactly once");
        assertEquals(0, purgeRecords("signal.purge", "signal", takenUp));

        given().auth().oauth2(Fixtures.coordinator()).when().get("/signals/intake").then().statusCode(200)
                .body("id", not(hasItem(untaken)));
        given().auth().oauth2(Fixtures.teacher()).when().get("/signals").then().statusCode(200)
                .body("id", not(hasItem(untaken)));
        given().auth().oauth2(Fixtures.coordinator()).contentType(ContentType.JSON).body("{\"reason\": \"late\"}")
                .when().post("/signals/" + untaken + "/take-up").then().statusCode(404);
    }

    @Test
    void a5_aDisciplineMeasureIsPurgedAfterItsPeriodAndTheRegisterNoLongerShowsIt() throws Exception {
        Fixtures.importStaff();
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String measure = registerMeasure(Fixtures.discipline(), pupil, "detention");

        purge.purgeDisciplineMeasuresBefore(now().minusDays(1));
        assertEquals(1, byId("discipline_measure", measure), "not yet past its period");
        // A measure is decided on a date: it is past its period once both that date and its registration are.
        purge.purgeDisciplineMeasuresBefore(now().plusSeconds(1));
        assertEquals(1, byId("discipline_measure", measure), "its decision date is not yet before the cut-off");

        Together.attempts(3, n -> purge.purgeDisciplineMeasuresBefore(now().plusDays(2)));
        assertEquals(0, byId("discipline_measure", measure));
        assertEquals(1, purgeRecords("discipline-measure.purge", "discipline-measure", measure));
        given().auth().oauth2(Fixtures.discipline()).when().get("/pupils/" + pupil + "/discipline-measures")
                .then().statusCode(200).body("id", not(hasItem(measure)));
    }

    @Test
    void a5_aPupilWhoLeftIsPurgedWithEverythingTheSchoolHoldsAfterThePeriodAPupilWhoStayedIsNot() {
        // A school of its own: the complete import below marks every other pupil of it as left.
        String school = "school-a5-" + UUID.randomUUID().toString().substring(0, 8);
        String system = TestTokens.of("service-account-" + school + "-system", school, "school", "school-system");
        String counsellor = TestTokens.of("bart.counsellor", school, "school", "pupil-counsellor");
        String teacher = TestTokens.of("an.teacher", school, "school", "teacher");
        String discipline = TestTokens.of("eva.discipline", school, "school", "discipline");
        String dpo = TestTokens.of("frank.dpo", school, "school", "dpo");
        given().auth().oauth2(system).contentType(ContentType.JSON).body("""
                {"staff": [
                  {"username": "an.teacher", "name": "An Peeters", "functions": ["teacher"], "classGroups": ["2A"]},
                  {"username": "bart.counsellor", "name": "Bart Claes", "functions": ["pupil-counsellor"], "classGroups": []},
                  {"username": "eva.discipline", "name": "Eva Jacobs", "functions": ["discipline"], "classGroups": []}
                ]}""").when().put("/staff").then().statusCode(200);
        String leaver = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String stayer = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String row = """
                {"pupilId": "%s", "givenName": "Lotte", "familyName": "Vermeulen", "birthDate": "2012-03-14", "classGroup": "2A",
                 "parents": [{"name": "Els Vermeulen", "email": "%s"}]}""";
        given().auth().oauth2(system).contentType(ContentType.JSON)
                .body("{\"pupils\": [" + row.formatted(leaver, Fixtures.parentAddress(leaver, 1)) + ","
                        + row.formatted(stayer, Fixtures.parentAddress(stayer, 1)) + "]}")
                .when().put("/pupils").then().statusCode(200);

        // Everything the school holds on the leaver: an open and a closed case file with notes, signals
        // (one taken up, one not), a discipline measure and an access request. The stayer has a file too.
        String noteMarker = marker();
        String closedFile = given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"reason\": \"Often absent\"}".formatted(leaver))
                .when().post("/case-files").then().statusCode(201).extract().path("id");
        given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"kind\": \"OBSERVATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"%s\"}".formatted(noteMarker))
                .when().post("/case-files/" + closedFile + "/notes").then().statusCode(201);
        given().auth().oauth2(counsellor).when().post("/case-files/" + closedFile + "/close").then().statusCode(200);
        String openFile = given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"reason\": \"Still worried\"}".formatted(leaver))
                .when().post("/case-files").then().statusCode(201).extract().path("id");
        given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"givenAt\": \"2026-01-15T10:00:00Z\", \"how\": \"SPOKEN\"}")
                .when().post("/case-files/" + openFile + "/confidentiality-notices").then().statusCode(201);
        given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"kind\": \"CONVERSATION\", \"visibility\": \"PRIVATE\", \"text\": \"%s\"}".formatted(noteMarker))
                .when().post("/case-files/" + openFile + "/notes").then().statusCode(201);
        String signal = reportSignal(teacher, leaver, marker());
        String measure = registerMeasure(discipline, leaver, "detention");
        var request = given().auth().oauth2(dpo).contentType(ContentType.JSON).body("""
                {"requestedBy": "PARENTS", "requestedAt": "2026-11-20T09:30:00Z", "identityCheck": "eID shown"}""")
                .when().post("/pupils/" + leaver + "/access-requests").then().statusCode(201).extract();
        String accessRequest = request.path("id");
        // The link reached the parents' own mailbox (T4), not the DPO's answer.
        String link = Fixtures.familyLinkPath(Fixtures.parentAddress(leaver, 1), "access-packages");
        given().when().get(link).then().statusCode(200);
        String stayerFile = given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"reason\": \"Often absent\"}".formatted(stayer))
                .when().post("/case-files").then().statusCode(201).extract().path("id");

        // The platform's complete list no longer names the leaver.
        given().auth().oauth2(system).contentType(ContentType.JSON)
                .body("{\"complete\": true, \"pupils\": [" + row.formatted(stayer, Fixtures.parentAddress(stayer, 1)) + "]}")
                .when().put("/pupils").then().statusCode(200);
        assertEquals(1, count("select count(*) from pupil where organisation_id = ?1 and pupil_id = ?2 and left_at is not null",
                school, leaver));

        assertEquals(1, rows("confidentiality_notice", openFile));

        // Not yet past the period: nothing goes.
        purge.purgeLeftPupilsBefore(now().minusDays(1));
        assertEquals(1, pupils(school, leaver));
        assertEquals(1, rows("case_file", openFile));

        assertTrue(purge.purgeLeftPupilsBefore(now().plusSeconds(1)) >= 1);
        assertEquals(0, pupils(school, leaver));
        assertEquals(0, count("select count(*) from case_file where organisation_id = ?1 and pupil_id = ?2", school, leaver));
        assertEquals(0, count("select count(*) from note where text = ?1", noteMarker));
        assertEquals(0, rows("confidentiality_notice", openFile));
        assertEquals(0, count("select count(*) from signal where organisation_id = ?1 and pupil_id = ?2", school, leaver));
        assertEquals(0, count("select count(*) from discipline_measure where organisation_id = ?1 and pupil_id = ?2",
                school, leaver));
        assertEquals(0, count("select count(*) from access_request where organisation_id = ?1 and pupil_id = ?2",
                school, leaver));
        // The family's contacts and the record of what was sent to them go with the pupil (A5).
        assertEquals(0, count("select count(*) from family_contact where organisation_id = ?1 and pupil_id = ?2",
                school, leaver));
        assertEquals(0, count("select count(*) from family_message where organisation_id = ?1 and pupil_id = ?2",
                school, leaver));
        assertEquals(1, count("select count(*) from family_contact where organisation_id = ?1 and pupil_id = ?2",
                school, stayer));
        assertEquals(1, pupils(school, stayer), "a pupil still at the school stays");
        assertEquals(1, rows("case_file", stayerFile));

        // Audited thing by thing; the pupil by pseudonym, never by the school's id.
        assertEquals(1, purgeRecords("case-file.purge", "case-file", closedFile));
        assertEquals(1, purgeRecords("case-file.purge", "case-file", openFile));
        assertEquals(1, purgeRecords("signal.purge", "signal", signal));
        assertEquals(1, purgeRecords("discipline-measure.purge", "discipline-measure", measure));
        assertEquals(1, purgeRecords("access-request.purge", "access-request", accessRequest));
        String pseudonym = pseudonyms.of(school, leaver);
        List<TestTopics.Received> records = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains("\"pupil.purge\"") && r.value().contains(pseudonym), Duration.ofSeconds(30));
        String pupilRecord = records.get(records.size() - 1).value();
        assertTrue(pupilRecord.contains("\"legal-obligation\""), pupilRecord);
        assertTrue(pupilRecord.contains("retention-job"), pupilRecord);
        assertFalse(pupilRecord.contains(leaver), "the pupil's own id is in no audit record (N2)");

        // The API knows neither the pupil nor the files any more.
        given().auth().oauth2(counsellor).when().get("/case-files/" + openFile).then().statusCode(404);
        given().auth().oauth2(counsellor).when().get("/case-files/" + closedFile).then().statusCode(404);
        given().auth().oauth2(dpo).when().get("/pupils/" + leaver + "/access-requests").then().statusCode(404);
        given().when().get(link).then().statusCode(404);
        given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"reason\": \"x\"}".formatted(leaver))
                .when().post("/case-files").then().statusCode(404);
    }

    @Test
    void a5_aPupilWhoCameBackBeforeThePeriodEndedIsNotPurged() {
        String school = "school-a5-" + UUID.randomUUID().toString().substring(0, 8);
        String system = TestTokens.of("service-account-" + school + "-system", school, "school", "school-system");
        String back = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String row = """
                {"pupilId": "%s", "givenName": "Yusuf", "familyName": "Demir", "birthDate": "2011-09-02", "classGroup": "3B"}""";
        given().auth().oauth2(system).contentType(ContentType.JSON)
                .body("{\"complete\": true, \"pupils\": [" + row.formatted(back) + "," + row.formatted(other) + "]}")
                .when().put("/pupils").then().statusCode(200);
        given().auth().oauth2(system).contentType(ContentType.JSON)
                .body("{\"complete\": true, \"pupils\": [" + row.formatted(other) + "]}")
                .when().put("/pupils").then().statusCode(200);
        // Back in a later (partial) import: no longer left.
        given().auth().oauth2(system).contentType(ContentType.JSON)
                .body("{\"pupils\": [" + row.formatted(back) + "]}")
                .when().put("/pupils").then().statusCode(200);
        purge.purgeLeftPupilsBefore(now().plusSeconds(1));
        assertEquals(1, pupils(school, back));
        assertEquals(1, pupils(school, other));
    }
}
