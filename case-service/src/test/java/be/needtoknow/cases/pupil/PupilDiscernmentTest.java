package be.needtoknow.cases.pupil;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTopics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * M1, M2: the birth date on which referral-service decides whose consent counts comes from the
 * pupil register, for the school's referrers only, and nothing else of the pupil comes with it.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PupilDiscernmentTest {

    @Inject
    PupilPseudonyms pseudonyms;

    /** Imports a pupil of the school with this birth date; returns its id. */
    static String pupil(String school, String birthDate) {
        String pupilId = "p-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(Fixtures.schoolSystem(school)).contentType(ContentType.JSON)
                .body("""
                        {"pupils": [{"pupilId": "%s", "givenName": "Nora", "familyName": "Peeters",
                                     "birthDate": "%s", "classGroup": "1A"}]}""".formatted(pupilId, birthDate))
                .when().put("/pupils").then().statusCode(200);
        return pupilId;
    }

    @Test
    void m1_m2_theSchoolsReferrersGetTheRegistersBirthDateAndNothingElse() throws Exception {
        String pupil = pupil(Fixtures.SCHOOL, "2017-04-09");
        Map<String, Object> answer = given().auth().oauth2(Fixtures.counsellor())
                .header("X-Correlation-Id", "discernment-" + pupil)
                .when().get("/pupils/" + pupil + "/discernment")
                .then().statusCode(200).body("pupilId", equalTo(pupil)).body("birthDate", equalTo("2017-04-09"))
                .extract().as(Map.class);
        assertEquals(Map.of("pupilId", pupil, "birthDate", "2017-04-09"), answer, "only what the decision needs");
        given().auth().oauth2(Fixtures.coordinator()).when().get("/pupils/" + pupil + "/discernment")
                .then().statusCode(200).body("birthDate", equalTo("2017-04-09"));
        // A1: the read is on the record, under the pupil's pseudonym.
        List<TestTopics.Received> read = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains("discernment-" + pupil), Duration.ofSeconds(30));
        JsonNode record = new ObjectMapper().readTree(read.get(read.size() - 1).value());
        assertEquals("pupil.discernment.read", record.get("action").asText());
        assertEquals("GRANTED", record.get("outcome").asText());
        assertEquals("bart.counsellor", record.at("/actor/username").asText());
        assertEquals(pseudonyms.of(Fixtures.SCHOOL, pupil), record.get("pupilPseudonym").asText());
    }

    @Test
    void n2_anotherSchoolsPupilIsAsUnknownAsNoPupilAndOtherRolesAreRefused() throws Exception {
        String pupil = pupil(Fixtures.SCHOOL, "2013-06-01");
        String unknown = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String otherSchool = given().auth().oauth2(Fixtures.otherSchoolCoordinator())
                .when().get("/pupils/" + pupil + "/discernment")
                .then().statusCode(404).contentType("application/problem+json").extract().path("type");
        given().auth().oauth2(Fixtures.counsellor()).when().get("/pupils/" + unknown + "/discernment")
                .then().statusCode(404).contentType("application/problem+json").body("type", equalTo(otherSchool));
        given().auth().oauth2(Fixtures.teacher()).header("X-Correlation-Id", "discernment-refused-" + pupil)
                .when().get("/pupils/" + pupil + "/discernment")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:need-to-know:problem:not-referrer"));
        given().auth().oauth2(Fixtures.principal()).when().get("/pupils/" + pupil + "/discernment").then().statusCode(403);
        given().when().get("/pupils/" + pupil + "/discernment").then().statusCode(401);
        List<TestTopics.Received> read = TestTopics.readUntil(TestTopics.admin(), "ntk.audit.v1",
                r -> r.value().contains("discernment-refused-" + pupil), Duration.ofSeconds(30));
        JsonNode record = new ObjectMapper().readTree(read.get(read.size() - 1).value());
        assertEquals("REFUSED", record.get("outcome").asText());
        assertEquals("pupil.discernment.read", record.get("action").asText());
    }
}
