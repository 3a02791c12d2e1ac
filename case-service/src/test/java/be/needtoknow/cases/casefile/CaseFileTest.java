package be.needtoknow.cases.casefile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.stack.testing.TestStack;
import be.needtoknow.stack.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CaseFileTest {

    static String open(String token, String pupilId) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"reason\": \"Often absent on Mondays\"}".formatted(pupilId))
                .when().post("/case-files")
                .then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/case-files/"))
                .body("owner", equalTo("bart.counsellor"))
                .body("status", equalTo("OPEN"))
                .extract().path("id");
    }

    @Test
    void aCounsellorOpensACaseFileAndReadsIt() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String id = open(Fixtures.counsellor(), pupil);
        given().auth().oauth2(Fixtures.counsellor())
                .when().get("/case-files/" + id)
                .then().statusCode(200)
                .body("pupilId", equalTo(pupil))
                .body("reason", equalTo("Often absent on Mondays"));
        given().auth().oauth2(Fixtures.counsellor())
                .when().get("/case-files")
                .then().statusCode(200).body("id", hasItem(id));
    }

    @Test
    void atMostOneCaseFileIsOpenPerPupil() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        open(Fixtures.counsellor(), pupil);
        given().auth().oauth2(Fixtures.coordinator()).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"reason\": \"Second file\"}".formatted(pupil))
                .when().post("/case-files")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:case-file-already-open"));
    }

    @Test
    void n3_aTeacherDoesNotOpenCaseFiles() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        given().auth().oauth2(Fixtures.teacher()).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"reason\": \"x\"}".formatted(pupil))
                .when().post("/case-files")
                .then().statusCode(403).contentType("application/problem+json")
                .body("rule", equalTo("N3"));
    }

    @Test
    void n3_beingStaffIsNoReasonToRead() {
        String id = open(Fixtures.counsellor(), Fixtures.newPupil(Fixtures.SCHOOL));
        given().auth().oauth2(Fixtures.teacher()).when().get("/case-files/" + id).then().statusCode(404);
        given().auth().oauth2(Fixtures.otherCounsellor()).when().get("/case-files/" + id).then().statusCode(404);
        given().auth().oauth2(Fixtures.teacher()).when().get("/case-files").then().statusCode(200)
                .body("id", not(hasItem(id)));
    }

    @Test
    void n3_thePrincipalSeesThatAFileExistsButNotItsReason() {
        String id = open(Fixtures.counsellor(), Fixtures.newPupil(Fixtures.SCHOOL));
        given().auth().oauth2(Fixtures.principal()).when().get("/case-files/" + id)
                .then().statusCode(200)
                .body("owner", equalTo("bart.counsellor"))
                .body("status", equalTo("OPEN"))
                .body("reason", nullValue());
        given().auth().oauth2(Fixtures.coordinator()).when().get("/case-files/" + id)
                .then().statusCode(200).body("reason", notNullValue());
    }

    @Test
    void anotherSchoolNeverSeesTheFileNorItsPupil() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String id = open(Fixtures.counsellor(), pupil);
        given().auth().oauth2(Fixtures.otherSchoolCoordinator()).when().get("/case-files/" + id)
                .then().statusCode(404).body("type", equalTo("urn:need-to-know:problem:not-found"));
        given().auth().oauth2(Fixtures.otherSchoolCoordinator()).when().get("/case-files")
                .then().statusCode(200).body("id", not(hasItem(id)));
        // The other school cannot open a file on this school's pupil: to it, the pupil is unknown.
        given().auth().oauth2(TestTokens.of("hans.counsellor", Fixtures.OTHER_SCHOOL, "school", "pupil-counsellor"))
                .contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"reason\": \"x\"}".formatted(pupil))
                .when().post("/case-files")
                .then().statusCode(404);
    }

    @Test
    void anUnknownIdIsNotFoundWhateverItsShape() {
        given().auth().oauth2(Fixtures.coordinator()).when().get("/case-files/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Fixtures.coordinator()).when().get("/case-files/not-a-uuid")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void badInputIsAProblemNamingTheFields() {
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"\", \"reason\": \"" + "x".repeat(2001) + "\"}")
                .when().post("/case-files")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("pupilId"))
                .body("errors.field", hasItem("reason"));
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"p-1\", \"reason\": \"x\", \"owner\": \"someone.else\"}")
                .when().post("/case-files")
                .then().statusCode(400).body("type", equalTo("urn:need-to-know:problem:unknown-field"));
    }

    @Test
    void aTokenWithoutOrganisationIsRefusedAndNoTokenIs401() {
        given().auth().oauth2(TestTokens.withoutOrganisation("x.counsellor", "pupil-counsellor"))
                .when().get("/case-files")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:missing-organisation"));
        given().when().get("/case-files")
                .then().statusCode(401).contentType("application/problem+json");
    }
}
