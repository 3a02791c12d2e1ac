package be.needtoknow.cases;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import be.needtoknow.stack.testing.TestTokens;
import io.restassured.http.ContentType;

/** Tokens of the demo parties and a fresh pupil per test, so tests never depend on each other. */
public final class Fixtures {

    public static final String SCHOOL = "school-sint-jan";
    public static final String OTHER_SCHOOL = "school-de-linde";

    private Fixtures() {
    }

    public static String counsellor() {
        return TestTokens.of("bart.counsellor", SCHOOL, "school", "pupil-counsellor");
    }

    public static String otherCounsellor() {
        return TestTokens.of("bert.counsellor", SCHOOL, "school", "pupil-counsellor");
    }

    public static String coordinator() {
        return TestTokens.of("carla.coordinator", SCHOOL, "school", "care-coordinator");
    }

    public static String principal() {
        return TestTokens.of("dirk.principal", SCHOOL, "school", "principal");
    }

    public static String teacher() {
        return TestTokens.of("an.teacher", SCHOOL, "school", "teacher");
    }

    public static String otherSchoolCoordinator() {
        return TestTokens.of("ilse.coordinator", OTHER_SCHOOL, "school", "care-coordinator");
    }

    public static String schoolSystem(String school) {
        return TestTokens.of("service-account-" + school + "-system", school, "school", "school-system");
    }

    /** Imports one new pupil into the school and returns its id. */
    public static String newPupil(String school) {
        String pupilId = "p-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(schoolSystem(school)).contentType(ContentType.JSON)
                .body("""
                        {"pupils": [{"pupilId": "%s", "givenName": "Lotte", "familyName": "Vermeulen",
                                     "birthDate": "2012-03-14", "classGroup": "2A"}]}""".formatted(pupilId))
                .when().put("/pupils")
                .then().statusCode(200);
        return pupilId;
    }
}
