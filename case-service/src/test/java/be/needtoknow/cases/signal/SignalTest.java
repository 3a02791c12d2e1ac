package be.needtoknow.cases.signal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SignalTest {

    static String report(String token, String pupil) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"concern\": \"Bruises on the arm, says she fell.\"}".formatted(pupil))
                .when().post("/signals")
                .then().statusCode(201).body("status", equalTo("NEW")).extract().path("id");
    }

    @Test
    void s4_anyTeacherReportsAndTheCoordinatorTakesItUpIntoANewCaseFile() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String signal = report(Fixtures.otherTeacher(), pupil);
        given().auth().oauth2(Fixtures.otherTeacher()).when().get("/signals").then().statusCode(200)
                .body("id", hasItem(signal));
        given().auth().oauth2(Fixtures.coordinator()).when().get("/signals/intake").then().statusCode(200)
                .body("find { it.id == '%s' }.reportedBy".formatted(signal), equalTo("tom.teacher"));
        // No open case file yet: a reason is needed to open one.
        given().auth().oauth2(Fixtures.coordinator()).contentType(ContentType.JSON).body("{}")
                .when().post("/signals/" + signal + "/take-up").then().statusCode(400);
        String file = given().auth().oauth2(Fixtures.coordinator()).contentType(ContentType.JSON)
                .body("{\"reason\": \"Signal of possible harm\"}")
                .when().post("/signals/" + signal + "/take-up")
                .then().statusCode(200).body("status", equalTo("TAKEN_UP")).body("caseFileId", notNullValue())
                .extract().path("caseFileId");
        // The reporter learns it was taken up, never the file.
        given().auth().oauth2(Fixtures.otherTeacher()).when().get("/signals").then().statusCode(200)
                .body("find { it.id == '%s' }.status".formatted(signal), equalTo("TAKEN_UP"))
                .body("find { it.id == '%s' }".formatted(signal), not(hasKey("caseFileId")));
        given().auth().oauth2(Fixtures.otherTeacher()).when().get("/case-files/" + file).then().statusCode(404);
        given().auth().oauth2(Fixtures.coordinator()).when().get("/signals/intake").then().statusCode(200)
                .body("id", not(hasItem(signal)));
        given().auth().oauth2(Fixtures.coordinator()).contentType(ContentType.JSON).body("{}")
                .when().post("/signals/" + signal + "/take-up").then().statusCode(409);
    }

    @Test
    void s4_aSignalOnAPupilWithAnOpenFileIsLinkedToIt() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String file = Fixtures.openCaseFile(pupil);
        String signal = report(Fixtures.discipline(), pupil);
        given().auth().oauth2(Fixtures.coordinator()).contentType(ContentType.JSON).body("{}")
                .when().post("/signals/" + signal + "/take-up")
                .then().statusCode(200).body("caseFileId", equalTo(file));
    }

    @Test
    void s4_theIntakeIsTheCoordinatorsAndSignalsStayInTheSchool() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String signal = report(Fixtures.teacher(), pupil);
        given().auth().oauth2(Fixtures.teacher()).when().get("/signals/intake").then().statusCode(403);
        given().auth().oauth2(Fixtures.teacher()).contentType(ContentType.JSON).body("{}")
                .when().post("/signals/" + signal + "/take-up").then().statusCode(403);
        given().auth().oauth2(Fixtures.otherSchoolCoordinator()).when().get("/signals/intake").then().statusCode(200)
                .body("id", not(hasItem(signal)));
        given().auth().oauth2(Fixtures.otherSchoolCoordinator()).contentType(ContentType.JSON).body("{\"reason\": \"x\"}")
                .when().post("/signals/" + signal + "/take-up").then().statusCode(404);
        // Another school's staff cannot report on this school's pupil: to them it does not exist.
        given().auth().oauth2(Fixtures.otherSchoolCoordinator()).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"concern\": \"x\"}".formatted(pupil))
                .when().post("/signals").then().statusCode(404);
        // The school platform is not staff.
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"concern\": \"x\"}".formatted(pupil))
                .when().post("/signals").then().statusCode(403);
    }
}
