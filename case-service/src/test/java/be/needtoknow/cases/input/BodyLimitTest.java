package be.needtoknow.cases.input;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Hostile input: a body over the limit (quarkus.http.limits.max-body-size, 4 MB) is a 413
 * problem, and nothing of it is stored.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class BodyLimitTest {

    @Test
    void aBodyOverTheLimitIsA413ProblemAndNothingIsStored() {
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String reason = "x".repeat(5 * 1024 * 1024);
        // As curl does for a body over 1 MB, the client announces it and waits for the answer before
        // sending it (Expect: 100-continue): the server answers at once, before a byte of the body. A
        // client that sends regardless sees the connection closed after the answer, unread.
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON).header("Expect", "100-continue")
                .body("{\"pupilId\": \"" + pupil + "\", \"reason\": \"" + reason + "\"}")
                .when().post("/case-files")
                .then().statusCode(413).contentType("application/problem+json")
                .body("status", equalTo(413))
                .body("type", equalTo("urn:need-to-know:problem:body-too-large"))
                .body("title", equalTo("Request body too large"))
                .body("detail", containsString("4 MB"));
        // Nothing was stored: the pupil's case file can still be opened.
        Fixtures.openCaseFile(pupil);
    }
}
