package be.needtoknow.cases.note;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.common.referral.ReferralGrant;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTopics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class NoteTest {

    @BeforeEach
    void staff() {
        Fixtures.importStaff();
    }

    static String write(String token, String file, String kind, String visibility, String text) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"kind\": \"%s\", \"visibility\": \"%s\", \"text\": \"%s\"}".formatted(kind, visibility, text))
                .when().post("/case-files/" + file + "/notes")
                .then().statusCode(201).extract().path("id");
    }

    static void notice(String token, String file) {
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"givenAt\": \"2026-01-15T10:00:00Z\", \"how\": \"SPOKEN\"}")
                .when().post("/case-files/" + file + "/confidentiality-notices")
                .then().statusCode(201).body("givenBy", equalTo("bart.counsellor"));
    }

    @Test
    void s1_aConversationNoteNeedsTheConfidentialityNoticeFirst() {
        String file = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"kind\": \"CONVERSATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"She told me about home.\"}")
                .when().post("/case-files/" + file + "/notes")
                .then().statusCode(409).contentType("application/problem+json")
                .body("rule", equalTo("S1"))
                .body("type", equalTo("urn:need-to-know:problem:confidentiality-notice-missing"));
        // Other kinds do not need it.
        write(Fixtures.counsellor(), file, "OBSERVATION", "CARE_TEAM", "Often tired in the morning.");
        notice(Fixtures.counsellor(), file);
        given().auth().oauth2(Fixtures.counsellor()).when().get("/case-files/" + file + "/confidentiality-notices")
                .then().statusCode(200).body("how", hasItem("SPOKEN"));
        write(Fixtures.counsellor(), file, "CONVERSATION", "CARE_TEAM", "She told me about home.");
    }

    @Test
    void s1_aNoticeInTheFutureIsRefused() {
        String file = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"givenAt\": \"2999-01-15T10:00:00Z\", \"how\": \"SPOKEN\"}")
                .when().post("/case-files/" + file + "/confidentiality-notices")
                .then().statusCode(400).body("errors.field", hasItem("givenAt"));
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"givenAt\": \"2026-01-15T10:00:00Z\", \"how\": \"WHISPERED\"}")
                .when().post("/case-files/" + file + "/confidentiality-notices")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void n3_eachVisibilityReachesExactlyItsReaders() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String file = Fixtures.openCaseFile(pupil);
        Fixtures.addToCareTeam(file, "bert.counsellor", "pupil-counsellor");
        String privateNote = write(Fixtures.counsellor(), file, "OBSERVATION", "PRIVATE", "My own working note.");
        String teamNote = write(Fixtures.counsellor(), file, "MEETING", "CARE_TEAM", "Team agreed on weekly talks.");
        String summary = write(Fixtures.counsellor(), file, "AGREEMENT", "TEACHERS", "Extra time for tests.");

        given().auth().oauth2(Fixtures.counsellor()).when().get("/case-files/" + file + "/notes").then().statusCode(200)
                .body("id", hasItem(privateNote)).body("id", hasItem(teamNote)).body("id", hasItem(summary));
        // A care-team member: not the author's private note.
        given().auth().oauth2(Fixtures.otherCounsellor()).when().get("/case-files/" + file + "/notes").then().statusCode(200)
                .body("id", not(hasItem(privateNote))).body("id", hasItem(teamNote)).body("id", hasItem(summary));
        // The pupil's teacher: only the need-to-know summary, and not the file.
        given().auth().oauth2(Fixtures.teacher()).when().get("/pupils/" + pupil + "/need-to-know").then().statusCode(200)
                .body("id", equalTo(java.util.List.of(summary))).body("[0].text", equalTo("Extra time for tests."));
        given().auth().oauth2(Fixtures.teacher()).when().get("/case-files/" + file + "/notes").then().statusCode(200)
                .body("id", equalTo(java.util.List.of(summary)));
        given().auth().oauth2(Fixtures.teacher()).when().get("/case-files/" + file).then().statusCode(404);
        // A teacher of other class groups (12A, 2AB: names that hold 2A), the principal and the
        // coordinator off the team: no note.
        given().auth().oauth2(Fixtures.otherTeacher()).when().get("/pupils/" + pupil + "/need-to-know").then().statusCode(404);
        given().auth().oauth2(Fixtures.otherTeacher()).when().get("/case-files/" + file + "/notes").then().statusCode(404);
        given().auth().oauth2(Fixtures.principal()).when().get("/case-files/" + file + "/notes").then().statusCode(404);
        given().auth().oauth2(Fixtures.coordinator()).when().get("/case-files/" + file + "/notes").then().statusCode(200)
                .body("$", hasSize(0));
        // On the care team, the principal reads the team's notes, still not the private one.
        Fixtures.addToCareTeam(file, "dirk.principal", "principal");
        given().auth().oauth2(Fixtures.principal()).when().get("/case-files/" + file + "/notes").then().statusCode(200)
                .body("id", hasItem(teamNote)).body("id", not(hasItem(privateNote)));
        // Another school: nothing.
        given().auth().oauth2(Fixtures.otherSchoolCoordinator()).when().get("/case-files/" + file + "/notes").then().statusCode(404);
    }

    @Test
    void n3_onlyTheCareTeamWrites() {
        String file = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        given().auth().oauth2(Fixtures.coordinator()).contentType(ContentType.JSON)
                .body("{\"kind\": \"OBSERVATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"x\"}")
                .when().post("/case-files/" + file + "/notes")
                .then().statusCode(403).body("rule", equalTo("N3"));
        given().auth().oauth2(Fixtures.teacher()).contentType(ContentType.JSON)
                .body("{\"kind\": \"OBSERVATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"x\"}")
                .when().post("/case-files/" + file + "/notes")
                .then().statusCode(404);
    }

    @Test
    void notesAreImmutableACorrectionIsANewVersionWithHistory() {
        String file = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        Fixtures.addToCareTeam(file, "bert.counsellor", "pupil-counsellor");
        String first = write(Fixtures.counsellor(), file, "OBSERVATION", "CARE_TEAM", "Absent three Mondays.");
        String second = given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"text\": \"Absent four Mondays.\"}")
                .when().post("/case-files/" + file + "/notes/" + first + "/corrections")
                .then().statusCode(201).body("history[0].text", equalTo("Absent three Mondays.")).extract().path("id");
        given().auth().oauth2(Fixtures.otherCounsellor()).when().get("/case-files/" + file + "/notes").then().statusCode(200)
                .body("id", hasItem(second)).body("id", not(hasItem(first)))
                .body("find { it.id == '%s' }.history.text".formatted(second), equalTo(java.util.List.of("Absent three Mondays.")));
        // Only the author corrects, and only the current version.
        given().auth().oauth2(Fixtures.otherCounsellor()).contentType(ContentType.JSON).body("{\"text\": \"no\"}")
                .when().post("/case-files/" + file + "/notes/" + second + "/corrections").then().statusCode(403);
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON).body("{\"text\": \"again\"}")
                .when().post("/case-files/" + file + "/notes/" + first + "/corrections").then().statusCode(409);
    }

    @Test
    void aNoteHasASizeLimitAndAKnownKind() {
        String file = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"kind\": \"OBSERVATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"" + "x".repeat(20_001) + "\"}")
                .when().post("/case-files/" + file + "/notes")
                .then().statusCode(400).body("errors.field", hasItem("text"));
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"kind\": \"GOSSIP\", \"visibility\": \"CARE_TEAM\", \"text\": \"x\"}")
                .when().post("/case-files/" + file + "/notes")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"kind\": \"OBSERVATION\", \"text\": \"x\"}")
                .when().post("/case-files/" + file + "/notes")
                .then().statusCode(400).body("errors.field", hasItem("visibility"));
    }

    static String forReferral(String token, String file, String note, String body, String correlation, int status) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).header("X-Correlation-Id", correlation).body(body)
                .when().post("/case-files/" + file + "/notes/" + note + "/for-referral")
                .then().statusCode(status).extract().asString();
    }

    /** The audit records of one request, by its correlation id, once the last one expected is there. */
    static List<String> auditOf(String correlation, String last) {
        return TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains(correlation) && r.value().contains(last), Duration.ofSeconds(30))
                .stream().map(TestTopics.Received::value).filter(v -> v.contains(correlation)).toList();
    }

    @Test
    void n1_aNoteIsHandedOverForAReferralDraftButNeverAPrivateWorkingNote() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String file = Fixtures.openCaseFile(pupil);
        String privateNote = write(Fixtures.counsellor(), file, "OBSERVATION", "PRIVATE", "My hunch.");
        String teamNote = write(Fixtures.counsellor(), file, "MEETING", "CARE_TEAM", "Weekly talks agreed.");
        String body = Fixtures.forReferral(pupil);
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON).body(body)
                .when().post("/case-files/" + file + "/notes/" + teamNote + "/for-referral")
                .then().statusCode(200).body("text", equalTo("Weekly talks agreed.")).body("pupilId", equalTo(pupil));
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON).body(body)
                .when().post("/case-files/" + file + "/notes/" + privateNote + "/for-referral")
                .then().statusCode(403).body("rule", equalTo("N1"));
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON).body("{\"text\": \"Weekly talks, Mondays.\"}")
                .when().post("/case-files/" + file + "/notes/" + teamNote + "/corrections").then().statusCode(201);
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON).body(body)
                .when().post("/case-files/" + file + "/notes/" + teamNote + "/for-referral")
                .then().statusCode(409);
    }

    @Test
    void n1_a1_aNoteForADraftIsAnAuditedReadNotADisclosureAndNoCallerTextIsRecorded() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String file = Fixtures.openCaseFile(pupil);
        String note = write(Fixtures.counsellor(), file, "MEETING", "CARE_TEAM", "Weekly talks agreed.");
        String correlation = "draft-" + UUID.randomUUID();
        forReferral(Fixtures.counsellor(), file, note, Fixtures.forReferral(pupil), correlation, 200);
        List<String> records = auditOf(correlation, "note.read");
        assertEquals(1, records.size(), records.toString());
        String record = records.get(0);
        assertTrue(record.contains("\"action\":\"note.read\"") && record.contains("\"purpose\":\"preparing a referral\"")
                && record.contains("\"legalBasis\":\"legal-task\"") && record.contains("\"resourceId\":\"" + note + "\""),
                record);
        assertFalse(record.contains("note.disclose") || record.contains("Weekly talks"), record);

        // The old request's free text (to whom, why) is no longer taken: 400, and it reaches no record.
        String marker = "MARKER-" + UUID.randomUUID();
        String old = "old-" + UUID.randomUUID();
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON).header("X-Correlation-Id", old)
                .body("{\"referralId\": \"%s\", \"grant\": \"x\", \"recipientId\": \"clb-gent\", \"purpose\": \"%s\"}"
                        .formatted(UUID.randomUUID(), marker))
                .when().post("/case-files/" + file + "/notes/" + note + "/for-referral")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:unknown-field"));
        List<TestTopics.Received> all = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains(old), Duration.ofSeconds(5));
        assertFalse(all.stream().anyMatch(r -> r.value().contains(marker)), "the caller's purpose reached the audit trail");
    }

    @Test
    void n1_aReferralThatReferralServiceDoesNotVouchForIsRefusedAuditedAndGetsNoNote() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String file = Fixtures.openCaseFile(pupil);
        Fixtures.addToCareTeam(file, "bert.counsellor", "pupil-counsellor");
        String note = write(Fixtures.counsellor(), file, "MEETING", "CARE_TEAM", "Weekly talks agreed.");
        UUID referral = UUID.randomUUID();
        String subject = UUID.nameUUIDFromBytes("bart.counsellor".getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        String good = Fixtures.referralGrant(referral, "bart.counsellor", Fixtures.SCHOOL, pupil);
        Map<String, String> refused = new LinkedHashMap<>();
        // An invented referral: no grant of referral-service's, or one made with another key.
        refused.put("invented", body(referral, "g1.forged"));
        refused.put("forged", body(referral, ReferralGrant.of(referral, Fixtures.SCHOOL, pupil, subject, Instant.now())
                .sign("another-key")));
        // Another referral than the grant's.
        refused.put("other-referral", body(UUID.randomUUID(), good));
        // A withdrawn or sent referral: referral-service makes no grant for it, and an old one has expired.
        refused.put("expired", body(referral, new ReferralGrant(referral, Fixtures.SCHOOL, pupil, subject,
                Instant.now().getEpochSecond() - 1).sign(Fixtures.REFERRAL_GRANT_KEY)));
        refused.forEach((kind, body) -> {
            String correlation = kind + "-" + UUID.randomUUID();
            String answer = given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                    .header("X-Correlation-Id", correlation).body(body)
                    .when().post("/case-files/" + file + "/notes/" + note + "/for-referral")
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo("urn:need-to-know:problem:referral-not-verified")).body("rule", equalTo("N1"))
                    .extract().asString();
            assertFalse(answer.contains("Weekly talks"), kind + ": " + answer);
            assertRefused(correlation);
        });
        // A colleague on the care team with the owner's grant: not the referral's owner.
        String colleague = "colleague-" + UUID.randomUUID();
        given().auth().oauth2(Fixtures.otherCounsellor()).contentType(ContentType.JSON).header("X-Correlation-Id", colleague)
                .body(body(referral, good))
                .when().post("/case-files/" + file + "/notes/" + note + "/for-referral")
                .then().statusCode(403).body("type", equalTo("urn:need-to-know:problem:referral-not-verified"));
        assertRefused(colleague);
        // Another pupil's referral.
        String otherPupil = "other-" + UUID.randomUUID();
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON).header("X-Correlation-Id", otherPupil)
                .body(body(referral, Fixtures.referralGrant(referral, "bart.counsellor", Fixtures.SCHOOL, Fixtures.newPupil(Fixtures.SCHOOL))))
                .when().post("/case-files/" + file + "/notes/" + note + "/for-referral")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:referral-of-another-pupil")).body("rule", equalTo("N1"));
        assertRefused(otherPupil);
    }

    static String body(UUID referral, String grant) {
        return "{\"referralId\": \"%s\", \"grant\": \"%s\"}".formatted(referral, grant);
    }

    /** One REFUSED record for the request, of a note read, and nothing granted or disclosed. */
    static void assertRefused(String correlation) {
        List<String> records = auditOf(correlation, "REFUSED");
        assertEquals(1, records.size(), records.toString());
        assertTrue(records.get(0).contains("\"action\":\"note.read\"") && records.get(0).contains("\"outcome\":\"REFUSED\"")
                && records.get(0).contains("\"purpose\":\"preparing a referral\""), records.get(0));
    }
}
