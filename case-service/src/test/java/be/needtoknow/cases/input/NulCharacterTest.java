package be.needtoknow.cases.input;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Hostile input: a NUL character, which the database cannot store, is bad input (400 problem),
 * never a server error, wherever it comes — a JSON string, the path or the query (found by
 * probing every endpoint of the three services with malformed bodies, wrong types, injection
 * strings, path-traversal ids and absurd pagination: these were the only 5xx).
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class NulCharacterTest {

    @Test
    void aNulInAJsonStringIsAProblemNamingTheField() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"" + pupil + "\", \"reason\": \"absent\\u0000\"}")
                .when().post("/case-files")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("reason"));
        // Nothing was stored: the file can still be opened.
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"" + pupil + "\", \"reason\": \"absent\"}")
                .when().post("/case-files").then().statusCode(201);
    }

    @Test
    void aNulInThePathOrTheQueryIsAProblem() {
        given().auth().oauth2(Fixtures.counsellor()).urlEncodingEnabled(false)
                .when().get("/pupils/sj%00/need-to-know")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", containsString("nul-character"));
        given().auth().oauth2(Fixtures.counsellor()).urlEncodingEnabled(false)
                .when().get("/case-files?status=%00")
                .then().statusCode(400).contentType("application/problem+json");
    }
}
