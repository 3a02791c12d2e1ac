package be.needtoknow.cases.note;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.stack.testing.TestStack;
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
        // A teacher of another class group, the principal and the coordinator off the team: no note.
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

    @Test
    void n1_aNoteIsDisclosedForAReferralButNeverAPrivateWorkingNote() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String file = Fixtures.openCaseFile(pupil);
        String privateNote = write(Fixtures.counsellor(), file, "OBSERVATION", "PRIVATE", "My hunch.");
        String teamNote = write(Fixtures.counsellor(), file, "MEETING", "CARE_TEAM", "Weekly talks agreed.");
        String body = "{\"recipientId\": \"clb-gent\", \"purpose\": \"what the school already did\"}";
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON).body(body)
                .when().post("/case-files/" + file + "/notes/" + teamNote + "/disclosures")
                .then().statusCode(200).body("text", equalTo("Weekly talks agreed.")).body("pupilId", equalTo(pupil));
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON).body(body)
                .when().post("/case-files/" + file + "/notes/" + privateNote + "/disclosures")
                .then().statusCode(403).body("rule", equalTo("N1"));
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON).body("{\"text\": \"Weekly talks, Mondays.\"}")
                .when().post("/case-files/" + file + "/notes/" + teamNote + "/corrections").then().statusCode(201);
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON).body(body)
                .when().post("/case-files/" + file + "/notes/" + teamNote + "/disclosures")
                .then().statusCode(409);
    }
}
