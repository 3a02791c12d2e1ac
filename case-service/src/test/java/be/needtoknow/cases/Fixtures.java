package be.needtoknow.cases;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
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

    public static String discipline() {
        return TestTokens.of("eva.discipline", SCHOOL, "school", "discipline");
    }

    /**
     * Teaches class groups 12A, 2AB and 3C, not the fixtures' pupils (who are in 2A): names that hold
     * "2A", so that teaching is matched by the whole class group, never a part of one (N3).
     */
    public static String otherTeacher() {
        return TestTokens.of("tom.teacher", SCHOOL, "school", "teacher");
    }

    public static String otherSchoolCoordinator() {
        return TestTokens.of("ilse.coordinator", OTHER_SCHOOL, "school", "care-coordinator");
    }

    public static String schoolSystem(String school) {
        return TestTokens.of("service-account-" + school + "-system", school, "school", "school-system");
    }

    /** The school's staff directory, as the platform imports it (idempotent). */
    public static void importStaff() {
        given().auth().oauth2(schoolSystem(SCHOOL)).contentType(ContentType.JSON)
                .body("""
                        {"staff": [
                          {"username": "an.teacher", "name": "An Peeters", "functions": ["teacher"], "classGroups": ["2A", "2B"]},
                          {"username": "tom.teacher", "name": "Tom Peeters", "functions": ["teacher"], "classGroups": ["12A", "2AB", "3C"]},
                          {"username": "bart.counsellor", "name": "Bart Claes", "functions": ["pupil-counsellor"], "classGroups": []},
                          {"username": "bert.counsellor", "name": "Bert Claes", "functions": ["pupil-counsellor"], "classGroups": []},
                          {"username": "carla.coordinator", "name": "Carla Janssens", "functions": ["care-coordinator"], "classGroups": []},
                          {"username": "dirk.principal", "name": "Dirk Maes", "functions": ["principal"], "classGroups": []},
                          {"username": "eva.discipline", "name": "Eva Jacobs", "functions": ["discipline", "teacher"], "classGroups": ["2A"]}
                        ]}""")
                .when().put("/staff")
                .then().statusCode(200);
    }

    /** Opens a case file as the counsellor (who owns it) and returns its id. */
    public static String openCaseFile(String pupilId) {
        return given().auth().oauth2(counsellor()).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"reason\": \"Often absent on Mondays\"}".formatted(pupilId))
                .when().post("/case-files")
                .then().statusCode(201).extract().path("id");
    }

    /** Adds a staff member to the care team, as the owner. */
    public static void addToCareTeam(String caseFileId, String username, String role) {
        given().auth().oauth2(counsellor()).contentType(ContentType.JSON)
                .body("{\"username\": \"%s\", \"role\": \"%s\", \"purpose\": \"follow-up in class\"}".formatted(username, role))
                .when().post("/case-files/" + caseFileId + "/care-team")
                .then().statusCode(201);
    }

    /** Imports one new pupil into the school and returns its id. */
    public static String newPupil(String school) {
        String pupilId = "p-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(schoolSystem(school)).contentType(ContentType.JSON)
                .body("""
                        {"pupils": [{"pupilId": "%s", "givenName": "Lotte", "familyName": "Vermeulen",
                                     "birthDate": "2012-03-14", "classGroup": "2A",
                                     "parents": [{"name": "Els Vermeulen", "email": "%s"},
                                                 {"name": "Tom Vermeulen", "email": "%s", "phone": "+32 470 11 22 33"}],
                                     "pupilEmail": "%s"}]}""".formatted(pupilId, parentAddress(pupilId, 1),
                        parentAddress(pupilId, 2), pupilAddress(pupilId)))
                .when().put("/pupils")
                .then().statusCode(200);
        return pupilId;
    }

    /** The address of a fixture pupil's first or second parent: a mailbox of the test stack's mail server. */
    public static String parentAddress(String pupilId, int which) {
        return "parent" + which + "-" + pupilId + "@example.org";
    }

    /** The fixture pupil's own address (used from 12, M1). */
    public static String pupilAddress(String pupilId) {
        return pupilId + "@leerling.example.org";
    }

    /**
     * The path (with its secret) of the first family link of this kind ("access-packages") in an
     * address's mailbox, read over IMAP as the family reads it: the only place a family link goes.
     */
    public static String familyLinkPath(String address, String kind) {
        return familyLinkPath(address, kind, 1);
    }

    /**
     * The path of the nth (from 1) family link of this kind in the mailbox, waiting for it: the
     * family channel's mail sender sends within a second or so of the action. Links are counted once
     * each: the sender delivers at least once (a letter whose relay answered too late is sent again),
     * so one letter may arrive twice.
     */
    public static String familyLinkPath(String address, String kind, int nth) {
        java.util.concurrent.atomic.AtomicReference<String> found = new java.util.concurrent.atomic.AtomicReference<>();
        org.awaitility.Awaitility.await("link " + nth + " of kind " + kind + " in a family mailbox")
                .atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(200)).until(() -> {
                    java.util.List<String> links = TestStack.mailbox(address).stream().map(m -> m.link(kind))
                            .flatMap(java.util.Optional::stream).distinct().toList();
                    if (links.size() < nth) {
                        return false;
                    }
                    found.set(java.net.URI.create(links.get(nth - 1)).getPath());
                    return true;
                });
        return found.get();
    }

    /** The test profile's key of the referral grants (application.properties, %test). */
    public static final String REFERRAL_GRANT_KEY = "test-only-referral-grant-key";

    /**
     * referral-service's grant for a referral draft of this school's pupil, owned by this user (the
     * token's subject is derived from the username, as TestTokens makes it): what referral-service
     * sends along when its owner chooses a note (N1).
     */
    public static String referralGrant(UUID referralId, String username, String school, String pupilId) {
        String subject = UUID.nameUUIDFromBytes(username.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        return be.needtoknow.common.referral.ReferralGrant.of(referralId, school, pupilId, subject, java.time.Instant.now())
                .sign(REFERRAL_GRANT_KEY);
    }

    /** The body of a note asked for a referral's draft, with a good grant for the counsellor (bart.counsellor). */
    public static String forReferral(String pupilId) {
        UUID referral = UUID.randomUUID();
        return "{\"referralId\": \"%s\", \"grant\": \"%s\"}".formatted(referral,
                referralGrant(referral, "bart.counsellor", SCHOOL, pupilId));
    }
}
