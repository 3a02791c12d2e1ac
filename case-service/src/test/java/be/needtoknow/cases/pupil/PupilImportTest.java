package be.needtoknow.cases.pupil;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.stack.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PupilImportTest {

    private static String batch(String... rows) {
        return "{\"pupils\": [" + String.join(",", rows) + "]}";
    }

    private static String row(String id, String birthDate) {
        return """
                {"pupilId": "%s", "givenName": "Yusuf", "familyName": "Demir", "birthDate": "%s", "classGroup": "2A"}"""
                .formatted(id, birthDate);
    }

    private static String id() {
        return "p-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void resendingTheSameBatchChangesNothing() {
        String a = id();
        String b = id();
        String body = batch(row(a, "2011-09-02"), row(b, "2012-01-30"));
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON).body(body)
                .when().put("/pupils")
                .then().statusCode(200).body("received", equalTo(2)).body("created", equalTo(2));
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON).body(body)
                .when().put("/pupils")
                .then().statusCode(200).body("created", equalTo(0)).body("updated", equalTo(0))
                .body("unchanged", equalTo(2));
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body(batch(row(a, "2011-09-03")))
                .when().put("/pupils")
                .then().statusCode(200).body("updated", equalTo(1));
    }

    @Test
    void aMalformedRowRejectsTheWholeBatchNamingTheRow() {
        String good = id();
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body(batch(row(good, "2011-09-02"), row(id(), "2999-01-01")))
                .when().put("/pupils")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:validation"))
                .body("errors.field", hasItem("pupils[1].birthDate"));
        // Nothing of the batch was stored: the good row is new when sent again.
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body(batch(row(good, "2011-09-02")))
                .when().put("/pupils")
                .then().statusCode(200).body("created", equalTo(1));
    }

    @Test
    void aDuplicatePupilIdInOneBatchIsRefused() {
        String same = id();
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body(batch(row(same, "2011-09-02"), row(same, "2011-09-02")))
                .when().put("/pupils")
                .then().statusCode(400).body("errors.field", hasItem("pupils[1].pupilId"));
    }

    @Test
    void unknownFieldsAndMalformedJsonAreProblems() {
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body("{\"pupils\": [], \"school\": \"x\"}")
                .when().put("/pupils")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:unknown-field"));
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body("{\"pupils\": [")
                .when().put("/pupils")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(Fixtures.schoolSystem(Fixtures.SCHOOL)).contentType(ContentType.JSON)
                .body(batch())
                .when().put("/pupils")
                .then().statusCode(400).body("errors.field", hasItem("pupils"));
    }

    @Test
    void onlyTheSchoolPlatformImportsPupils() {
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body(batch(row(id(), "2011-09-02")))
                .when().put("/pupils")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:not-school-system"));
    }

    @Test
    void withoutATokenTheAnswerIs401() {
        given().contentType(ContentType.JSON).body(batch(row(id(), "2011-09-02")))
                .when().put("/pupils")
                .then().statusCode(401);
    }
}
