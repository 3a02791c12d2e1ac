package be.needtoknow.cases.casefile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CareTeamTest {

    @BeforeEach
    void staff() {
        Fixtures.importStaff();
    }

    @Test
    void n3_theOwnerFormsTheTeamAndMembersThenSeeTheFile() {
        String file = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        given().auth().oauth2(Fixtures.teacher()).when().get("/case-files/" + file).then().statusCode(404);
        Fixtures.addToCareTeam(file, "an.teacher", "teacher");
        given().auth().oauth2(Fixtures.teacher()).when().get("/case-files/" + file).then().statusCode(200)
                .body("reason", equalTo("Often absent on Mondays"));
        given().auth().oauth2(Fixtures.teacher()).when().get("/case-files").then().statusCode(200).body("id", hasItem(file));
        given().auth().oauth2(Fixtures.counsellor()).when().get("/case-files/" + file + "/care-team").then().statusCode(200)
                .body("username", hasItem("an.teacher")).body("[0].purpose", equalTo("follow-up in class"));

        given().auth().oauth2(Fixtures.counsellor()).when().delete("/case-files/" + file + "/care-team/an.teacher")
                .then().statusCode(204);
        given().auth().oauth2(Fixtures.teacher()).when().get("/case-files/" + file).then().statusCode(404);
        given().auth().oauth2(Fixtures.teacher()).when().get("/case-files").then().statusCode(200).body("id", not(hasItem(file)));
    }

    @Test
    void r1_someoneWhoEnforcesDisciplineCannotJoinACareTeam() {
        String file = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"username\": \"eva.discipline\", \"role\": \"teacher\", \"purpose\": \"she teaches 2A\"}")
                .when().post("/case-files/" + file + "/care-team")
                .then().statusCode(403).contentType("application/problem+json")
                .body("rule", equalTo("R1"))
                .body("type", equalTo("urn:need-to-know:problem:discipline-on-care-team"));
        given().auth().oauth2(Fixtures.counsellor()).when().get("/case-files/" + file + "/care-team").then()
                .statusCode(200).body("username", not(hasItem("eva.discipline")));
    }

    @Test
    void onlyTheOwnerFormsTheTeamWithKnownStaffOnce() {
        String file = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        Fixtures.addToCareTeam(file, "bert.counsellor", "pupil-counsellor");
        // A member is not the owner.
        given().auth().oauth2(Fixtures.otherCounsellor()).contentType(ContentType.JSON)
                .body("{\"username\": \"an.teacher\", \"role\": \"teacher\", \"purpose\": \"x\"}")
                .when().post("/case-files/" + file + "/care-team")
                .then().statusCode(403).body("type", equalTo("urn:need-to-know:problem:not-case-file-owner"));
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"username\": \"nobody.known\", \"role\": \"teacher\", \"purpose\": \"x\"}")
                .when().post("/case-files/" + file + "/care-team")
                .then().statusCode(404);
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"username\": \"bert.counsellor\", \"role\": \"pupil-counsellor\", \"purpose\": \"x\"}")
                .when().post("/case-files/" + file + "/care-team")
                .then().statusCode(409);
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"username\": \"an.teacher\", \"role\": \"discipline\", \"purpose\": \"x\"}")
                .when().post("/case-files/" + file + "/care-team")
                .then().statusCode(400).body("errors.field", hasItem("role"));
        // Another school's coordinator cannot even tell that the file exists.
        given().auth().oauth2(Fixtures.otherSchoolCoordinator()).when().get("/case-files/" + file + "/care-team")
                .then().statusCode(404);
    }

    @Test
    void closingIsForTheOwnerOrACoordinatorAndHappensOnce() {
        String file = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        Fixtures.addToCareTeam(file, "an.teacher", "teacher");
        given().auth().oauth2(Fixtures.teacher()).when().post("/case-files/" + file + "/close").then().statusCode(403);
        given().auth().oauth2(Fixtures.principal()).when().post("/case-files/" + file + "/close").then().statusCode(403);
        given().auth().oauth2(Fixtures.coordinator()).when().post("/case-files/" + file + "/close").then().statusCode(200)
                .body("status", equalTo("CLOSED"));
        given().auth().oauth2(Fixtures.counsellor()).when().post("/case-files/" + file + "/close").then().statusCode(409);
        // A closed file takes no new notes.
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"kind\": \"OBSERVATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"late\"}")
                .when().post("/case-files/" + file + "/notes").then().statusCode(409);
    }

    @Test
    void r1_whoeverRegisteredAMeasureForThePupilCannotJoinItsCareTeam() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        given().auth().oauth2(Fixtures.principal()).contentType(ContentType.JSON)
                .body("{\"measureType\": \"suspension\", \"decidedOn\": \"2026-02-03\"}")
                .when().post("/pupils/" + pupil + "/discipline-measures").then().statusCode(201);
        String file = Fixtures.openCaseFile(pupil);
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"username\": \"dirk.principal\", \"role\": \"principal\", \"purpose\": \"care policy\"}")
                .when().post("/case-files/" + file + "/care-team")
                .then().statusCode(403).contentType("application/problem+json")
                .body("rule", equalTo("R1"))
                .body("type", equalTo("urn:need-to-know:problem:sanctioned-pupil-on-care-team"));
        given().auth().oauth2(Fixtures.counsellor()).when().get("/case-files/" + file + "/care-team").then()
                .statusCode(200).body("username", not(hasItem("dirk.principal")));
        // So the principal still sees only that the file exists, and none of its notes.
        given().auth().oauth2(Fixtures.principal()).when().get("/case-files/" + file + "/notes").then().statusCode(404);
        given().auth().oauth2(Fixtures.principal()).when().get("/case-files/" + file).then().statusCode(200)
                .body("reason", org.hamcrest.Matchers.nullValue());
        // The rule is about this pupil: he may be on the care team of a pupil he never sanctioned.
        String other = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        Fixtures.addToCareTeam(other, "dirk.principal", "principal");
    }

    @Test
    void r1_aStaffImportGivingACareTeamMemberTheDisciplineFunctionIsRefusedAndChangesNothing() {
        String file = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        Fixtures.addToCareTeam(file, "tom.teacher", "teacher");
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body("""
                        {"staff": [
                          {"username": "an.teacher", "name": "An Peeters (renamed)", "functions": ["teacher"], "classGroups": ["2A", "2B"]},
                          {"username": "tom.teacher", "name": "Tom Peeters", "functions": ["teacher", "discipline"], "classGroups": ["12A", "2AB", "3C"]}
                        ]}""")
                .when().put("/staff")
                .then().statusCode(409).contentType("application/problem+json")
                .body("rule", equalTo("R1"))
                .body("type", equalTo("urn:need-to-know:problem:discipline-on-care-team"))
                .body("detail", org.hamcrest.Matchers.containsString("tom.teacher on the care team of case file " + file));
        // Nothing of the batch was stored: the directory as before answers "unchanged" for every row.
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body("""
                        {"staff": [
                          {"username": "an.teacher", "name": "An Peeters", "functions": ["teacher"], "classGroups": ["2A", "2B"]},
                          {"username": "tom.teacher", "name": "Tom Peeters", "functions": ["teacher"], "classGroups": ["12A", "2AB", "3C"]}
                        ]}""")
                .when().put("/staff")
                .then().statusCode(200).body("unchanged", equalTo(2));
        // The refusal is in the trail (A1).
        String refused = be.needtoknow.testing.TestTopics.readUntil(be.needtoknow.testing.TestTopics.admin(),
                "ntk.audit.v1", r -> r.value().contains("\"staff.import\"") && r.value().contains("(R1)"),
                java.time.Duration.ofSeconds(30)).stream().filter(r -> r.value().contains("(R1)")).findFirst()
                .orElseThrow().value();
        org.junit.jupiter.api.Assertions.assertTrue(refused.contains("\"outcome\":\"REFUSED\""), refused);
        // Once the membership has ended, the same import is accepted.
        given().auth().oauth2(Fixtures.counsellor()).when().delete("/case-files/" + file + "/care-team/tom.teacher")
                .then().statusCode(204);
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body("""
                        {"staff": [{"username": "tom.teacher", "name": "Tom Peeters", "functions": ["teacher", "discipline"], "classGroups": ["12A", "2AB", "3C"]}]}""")
                .when().put("/staff")
                .then().statusCode(200).body("updated", equalTo(1));
        Fixtures.importStaff(); // tom.teacher back to teaching only, for the other tests
    }
}
