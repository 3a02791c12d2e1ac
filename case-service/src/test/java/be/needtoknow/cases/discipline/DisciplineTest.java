package be.needtoknow.cases.discipline;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

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
class DisciplineTest {

    private static final String MEASURE = "{\"measureType\": \"detention\", \"decidedOn\": \"2026-02-03\"}";

    @BeforeEach
    void staff() {
        Fixtures.importStaff();
    }

    @Test
    void r1_aCareTeamMemberDoesNotImposeThePupilsSanctions() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String file = Fixtures.openCaseFile(pupil);
        Fixtures.addToCareTeam(file, "dirk.principal", "principal");
        given().auth().oauth2(Fixtures.principal()).contentType(ContentType.JSON).body(MEASURE)
                .when().post("/pupils/" + pupil + "/discipline-measures")
                .then().statusCode(403).contentType("application/problem+json").body("rule", equalTo("R1"));
        given().auth().oauth2(Fixtures.discipline()).contentType(ContentType.JSON).body(MEASURE)
                .when().post("/pupils/" + pupil + "/discipline-measures")
                .then().statusCode(201).body("decidedBy", equalTo("eva.discipline"));
        // On the care team, the principal does not read the pupil's register either.
        given().auth().oauth2(Fixtures.principal()).when().get("/pupils/" + pupil + "/discipline-measures")
                .then().statusCode(403).contentType("application/problem+json").body("rule", equalTo("R1"));
        // Off the care team, the principal may.
        given().auth().oauth2(Fixtures.counsellor()).when().delete("/case-files/" + file + "/care-team/dirk.principal")
                .then().statusCode(204);
        given().auth().oauth2(Fixtures.principal()).contentType(ContentType.JSON).body(MEASURE)
                .when().post("/pupils/" + pupil + "/discipline-measures").then().statusCode(201);
        given().auth().oauth2(Fixtures.principal()).when().get("/pupils/" + pupil + "/discipline-measures")
                .then().statusCode(200).body("measureType", hasItem("detention"));
    }

    @Test
    void r1_theRegisterIsReadByThePrincipalAndDisciplineStaffOnly() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        given().auth().oauth2(Fixtures.discipline()).contentType(ContentType.JSON).body(MEASURE)
                .when().post("/pupils/" + pupil + "/discipline-measures").then().statusCode(201);
        given().auth().oauth2(Fixtures.principal()).when().get("/pupils/" + pupil + "/discipline-measures")
                .then().statusCode(200).body("measureType", hasItem("detention"));
        given().auth().oauth2(Fixtures.counsellor()).when().get("/pupils/" + pupil + "/discipline-measures").then().statusCode(403);
        given().auth().oauth2(Fixtures.coordinator()).when().get("/pupils/" + pupil + "/discipline-measures").then().statusCode(403);
        given().auth().oauth2(Fixtures.teacher()).contentType(ContentType.JSON).body(MEASURE)
                .when().post("/pupils/" + pupil + "/discipline-measures").then().statusCode(403);
        // A measure is registered for a pupil of the school only.
        given().auth().oauth2(Fixtures.discipline()).contentType(ContentType.JSON).body(MEASURE)
                .when().post("/pupils/nobody/discipline-measures").then().statusCode(404);
    }
}
