package be.needtoknow.cases.casefile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
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

    /**
     * Many counsellors open a case file for one pupil at the same moment: one is opened, every other
     * request is a 409 problem (never a 500), and the database holds one open file for the pupil.
     */
    @Test
    void racesOpeningCaseFilesForOnePupilAreConflictsNeverFailures() throws Exception {
        String counsellor = Fixtures.counsellor();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        // Every log line of the service meanwhile: none may name the pupil (a failing insert's SQL
        // error quotes the row's key).
        List<String> logged = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(new java.util.logging.SimpleFormatter().format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("").addHandler(capture);
        org.jboss.logging.Logger.getLogger("be.needtoknow.cases").info("race-log-probe");
        List<String> pupils = new java.util.ArrayList<>();
        try {
            for (int round = 0; round < 5; round++) {
                String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
                pupils.add(pupil);
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                java.util.List<java.util.concurrent.Future<io.restassured.response.Response>> answers = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                                .body("{\"pupilId\": \"%s\", \"reason\": \"raced\"}".formatted(pupil))
                                .when().post("/case-files");
                    }));
                }
                start.countDown();
                int opened = 0;
                for (var answer : answers) {
                    io.restassured.response.Response r = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
                    if (r.statusCode() == 201) {
                        opened++;
                    } else {
                        org.junit.jupiter.api.Assertions.assertEquals(409, r.statusCode(), r.asString());
                        org.junit.jupiter.api.Assertions.assertEquals("application/problem+json", r.contentType(), r.asString());
                    }
                }
                org.junit.jupiter.api.Assertions.assertEquals(1, opened, "exactly one case file opened for " + pupil);
                given().auth().oauth2(Fixtures.coordinator()).when().get("/case-files").then().statusCode(200)
                        .body("findAll { it.pupilId == '%s' && it.status == 'OPEN' }.size()".formatted(pupil), equalTo(1));
            }
        } finally {
            pool.shutdownNow();
            java.util.logging.Logger.getLogger("").removeHandler(capture);
        }
        org.junit.jupiter.api.Assertions.assertTrue(logged.stream().anyMatch(l -> l.contains("race-log-probe")),
                "the log capture works");
        for (String line : logged) {
            for (String pupil : pupils) {
                org.junit.jupiter.api.Assertions.assertFalse(line.contains(pupil), "a log line names the pupil: " + line);
            }
        }
    }
}
