package be.needtoknow.cases.matrix;

import static io.restassured.RestAssured.given;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.stack.testing.TestStack;
import be.needtoknow.stack.testing.TestTokens;
import be.needtoknow.stack.testing.AuthorizationMatrix;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The authorization matrix of case-service, as one table: endpoint × caller → expected status.
 * Each row runs against a fresh world (a pupil in class 2A with a case file owned by the
 * counsellor, a care-team member, a confidentiality notice, notes and a signal), so rows never
 * depend on each other. Every endpoint of the OpenAPI document must have rows, or this test
 * fails; and every refused row (401, 403, 404, 409) must have left a REFUSED audit record (A1).
 *
 * <p>Callers: owner = bart.counsellor (owns the file); member = bert.counsellor (on its care team);
 * coordinator = carla.coordinator; principal = dirk.principal; teacher = an.teacher (teaches the
 * pupil's class, not on the team); other-teacher = tom.teacher (another class); discipline =
 * eva.discipline; platform = the school's service account; other-school = a care coordinator of
 * school-de-linde; other-principal = the principal of school-de-linde; clb = a CLB worker; dpo = the school's DPO; anonymous = no token.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AuthorizationMatrixTest {

    static final String MATRIX = """
            PUT    /pupils                                          | platform      | 200
            PUT    /pupils                                          | owner         | 403
            PUT    /pupils                                          | clb           | 403
            PUT    /pupils                                          | anonymous     | 401
            PUT    /staff                                           | platform      | 200
            PUT    /staff                                           | principal     | 403
            POST   /case-files                                      | owner         | 201
            POST   /case-files                                      | coordinator   | 201
            POST   /case-files                                      | teacher       | 403
            POST   /case-files                                      | principal     | 403
            POST   /case-files                                      | discipline    | 403
            POST   /case-files                                      | platform      | 403
            POST   /case-files                                      | clb           | 403
            POST   /case-files                                      | other-school  | 404
            POST   /case-files                                      | anonymous     | 401
            GET    /case-files                                      | owner         | 200
            GET    /case-files                                      | teacher       | 200
            GET    /case-files                                      | clb           | 200
            GET    /case-files/{id}                                 | owner         | 200
            GET    /case-files/{id}                                 | member        | 200
            GET    /case-files/{id}                                 | coordinator   | 200
            GET    /case-files/{id}                                 | principal     | 200
            GET    /case-files/{id}                                 | teacher       | 404
            GET    /case-files/{id}                                 | discipline    | 404
            GET    /case-files/{id}                                 | dpo           | 404
            GET    /case-files/{id}                                 | other-school  | 404
            GET    /case-files/{id}                                 | clb           | 404
            GET    /case-files/{id}                                 | anonymous     | 401
            POST   /case-files/{id}/close                           | owner         | 200
            POST   /case-files/{id}/close                           | coordinator   | 200
            POST   /case-files/{id}/close                           | member        | 403
            POST   /case-files/{id}/close                           | principal     | 403
            POST   /case-files/{id}/close                           | teacher       | 404
            POST   /case-files/{id}/close                           | other-school  | 404
            GET    /case-files/{id}/care-team                       | owner         | 200
            GET    /case-files/{id}/care-team                       | member        | 200
            GET    /case-files/{id}/care-team                       | coordinator   | 200
            GET    /case-files/{id}/care-team                       | principal     | 404
            GET    /case-files/{id}/care-team                       | teacher       | 404
            GET    /case-files/{id}/care-team                       | other-school  | 404
            POST   /case-files/{id}/care-team                       | owner         | 201
            POST   /case-files/{id}/care-team                       | member        | 403
            POST   /case-files/{id}/care-team                       | coordinator   | 403
            POST   /case-files/{id}/care-team                       | teacher       | 404
            POST   /case-files/{id}/care-team                       | other-school  | 404
            DELETE /case-files/{id}/care-team/{username}            | owner         | 204
            DELETE /case-files/{id}/care-team/{username}            | member        | 403
            DELETE /case-files/{id}/care-team/{username}            | coordinator   | 403
            DELETE /case-files/{id}/care-team/{username}            | other-school  | 404
            POST   /case-files/{id}/confidentiality-notices         | owner         | 201
            POST   /case-files/{id}/confidentiality-notices         | member        | 201
            POST   /case-files/{id}/confidentiality-notices         | coordinator   | 403
            POST   /case-files/{id}/confidentiality-notices         | principal     | 403
            POST   /case-files/{id}/confidentiality-notices         | teacher       | 404
            POST   /case-files/{id}/confidentiality-notices         | other-school  | 404
            GET    /case-files/{id}/confidentiality-notices         | owner         | 200
            GET    /case-files/{id}/confidentiality-notices         | member        | 200
            GET    /case-files/{id}/confidentiality-notices         | coordinator   | 200
            GET    /case-files/{id}/confidentiality-notices         | principal     | 404
            GET    /case-files/{id}/confidentiality-notices         | teacher       | 404
            POST   /case-files/{id}/notes                           | owner         | 201
            POST   /case-files/{id}/notes                           | member        | 201
            POST   /case-files/{id}/notes                           | coordinator   | 403
            POST   /case-files/{id}/notes                           | principal     | 403
            POST   /case-files/{id}/notes                           | teacher       | 404
            POST   /case-files/{id}/notes                           | discipline    | 404
            POST   /case-files/{id}/notes                           | other-school  | 404
            GET    /case-files/{id}/notes                           | owner         | 200
            GET    /case-files/{id}/notes                           | member        | 200
            GET    /case-files/{id}/notes                           | coordinator   | 200
            GET    /case-files/{id}/notes                           | teacher       | 200
            GET    /case-files/{id}/notes                           | other-teacher | 404
            GET    /case-files/{id}/notes                           | principal     | 404
            GET    /case-files/{id}/notes                           | other-school  | 404
            GET    /case-files/{id}/notes                           | clb           | 404
            POST   /case-files/{id}/notes/{noteId}/corrections      | owner         | 201
            POST   /case-files/{id}/notes/{noteId}/corrections      | member        | 403
            POST   /case-files/{id}/notes/{noteId}/corrections      | coordinator   | 403
            POST   /case-files/{id}/notes/{noteId}/corrections      | teacher       | 404
            POST   /case-files/{id}/notes/{noteId}/corrections      | other-school  | 404
            POST   /case-files/{id}/notes/{noteId}/disclosures      | owner         | 200
            POST   /case-files/{id}/notes/{noteId}/disclosures      | member        | 200
            POST   /case-files/{id}/notes/{noteId}/disclosures      | coordinator   | 404
            POST   /case-files/{id}/notes/{noteId}/disclosures      | principal     | 404
            POST   /case-files/{id}/notes/{noteId}/disclosures      | teacher       | 404
            POST   /case-files/{id}/notes/{noteId}/disclosures      | other-school  | 404
            POST   /case-files/{id}/notes/{noteId}/disclosures      | clb           | 404
            GET    /pupils/{pupilId}/need-to-know                   | teacher       | 200
            GET    /pupils/{pupilId}/need-to-know                   | owner         | 200
            GET    /pupils/{pupilId}/need-to-know                   | other-teacher | 404
            GET    /pupils/{pupilId}/need-to-know                   | principal     | 404
            GET    /pupils/{pupilId}/need-to-know                   | other-school  | 404
            GET    /pupils/{pupilId}/export                         | owner         | 200
            GET    /pupils/{pupilId}/export                         | dpo           | 200
            GET    /pupils/{pupilId}/export                         | member        | 403
            GET    /pupils/{pupilId}/export                         | principal     | 403
            GET    /pupils/{pupilId}/export                         | teacher       | 403
            GET    /pupils/{pupilId}/export                         | other-school  | 404
            GET    /pupils/{pupilId}/export                         | clb           | 404
            POST   /signals                                         | teacher       | 201
            POST   /signals                                         | discipline    | 201
            POST   /signals                                         | principal     | 201
            POST   /signals                                         | platform      | 403
            POST   /signals                                         | clb           | 403
            POST   /signals                                         | other-school  | 404
            GET    /signals                                         | other-teacher | 200
            GET    /signals                                         | clb           | 200
            GET    /signals/intake                                  | coordinator   | 200
            GET    /signals/intake                                  | other-school  | 200
            GET    /signals/intake                                  | teacher       | 403
            GET    /signals/intake                                  | principal     | 403
            POST   /signals/{id}/take-up                      | coordinator   | 200
            POST   /signals/{id}/take-up                      | teacher       | 403
            POST   /signals/{id}/take-up                      | other-school  | 404
            GET    /pupils/{pupilId}/discipline-measures            | principal     | 200
            GET    /pupils/{pupilId}/discipline-measures            | discipline    | 200
            GET    /pupils/{pupilId}/discipline-measures            | owner         | 403
            GET    /pupils/{pupilId}/discipline-measures            | coordinator   | 403
            GET    /pupils/{pupilId}/discipline-measures            | teacher       | 403
            GET    /pupils/{pupilId}/discipline-measures            | other-principal | 404
            POST   /pupils/{pupilId}/discipline-measures            | discipline    | 201
            POST   /pupils/{pupilId}/discipline-measures            | principal     | 201
            POST   /pupils/{pupilId}/discipline-measures            | owner         | 403
            POST   /pupils/{pupilId}/discipline-measures            | member        | 403
            POST   /pupils/{pupilId}/discipline-measures            | teacher       | 403
            POST   /pupils/{pupilId}/discipline-measures            | other-principal | 404
            """;

    /** The request bodies, per endpoint. */
    static final Map<String, String> BODIES = Map.ofEntries(
            Map.entry("PUT /pupils", """
                    {"pupils": [{"pupilId": "{newPupil}", "givenName": "Mila", "familyName": "Smets",
                                 "birthDate": "2012-05-05", "classGroup": "2A"}]}"""),
            Map.entry("PUT /staff", """
                    {"staff": [{"username": "{newStaff}", "name": "Zoë Smets", "functions": ["teacher"], "classGroups": ["1A"]}]}"""),
            Map.entry("POST /case-files", "{\"pupilId\": \"{otherPupil}\", \"reason\": \"Concerns in class\"}"),
            Map.entry("POST /case-files/{id}/care-team", "{\"username\": \"an.teacher\", \"role\": \"teacher\", \"purpose\": \"class follow-up\"}"),
            Map.entry("POST /case-files/{id}/confidentiality-notices", "{\"givenAt\": \"2026-01-15T10:00:00Z\", \"how\": \"SPOKEN\"}"),
            Map.entry("POST /case-files/{id}/notes", "{\"kind\": \"OBSERVATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"Tired.\"}"),
            Map.entry("POST /case-files/{id}/notes/{noteId}/corrections", "{\"text\": \"Very tired.\"}"),
            Map.entry("POST /case-files/{id}/notes/{noteId}/disclosures", "{\"recipientId\": \"clb-gent\", \"purpose\": \"what happened at home\"}"),
            Map.entry("POST /signals", "{\"pupilId\": \"{pupilId}\", \"concern\": \"Seems withdrawn.\"}"),
            Map.entry("POST /signals/{id}/take-up", "{}"),
            Map.entry("POST /pupils/{pupilId}/discipline-measures", "{\"measureType\": \"detention\", \"decidedOn\": \"2026-02-03\"}"));

    static String token(String caller) {
        return switch (caller) {
            case "owner" -> Fixtures.counsellor();
            case "member" -> Fixtures.otherCounsellor();
            case "coordinator" -> Fixtures.coordinator();
            case "principal" -> Fixtures.principal();
            case "teacher" -> Fixtures.teacher();
            case "other-teacher" -> Fixtures.otherTeacher();
            case "discipline" -> Fixtures.discipline();
            case "platform" -> Fixtures.schoolSystem(Fixtures.SCHOOL);
            case "other-school" -> Fixtures.otherSchoolCoordinator();
            case "other-principal" -> TestTokens.of("jan.principal", Fixtures.OTHER_SCHOOL, "school", "principal");
            case "clb" -> TestTokens.of("mia.clb", "clb-gent", "clb", "clb-worker");
            case "dpo" -> TestTokens.of("frank.dpo", Fixtures.SCHOOL, "school", "dpo");
            case "anonymous" -> null;
            default -> throw new IllegalArgumentException("No caller '" + caller + "' in the matrix");
        };
    }

    /** A fresh world for one row. */
    static Map<String, String> world() {
        Map<String, String> world = new LinkedHashMap<>();
        String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String file = Fixtures.openCaseFile(pupil);
        Fixtures.addToCareTeam(file, "bert.counsellor", "pupil-counsellor");
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body(BODIES.get("POST /case-files/{id}/confidentiality-notices"))
                .when().post("/case-files/" + file + "/confidentiality-notices").then().statusCode(201);
        String note = given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"kind\": \"OBSERVATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"Absent again.\"}")
                .when().post("/case-files/" + file + "/notes").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"kind\": \"AGREEMENT\", \"visibility\": \"TEACHERS\", \"text\": \"Seat near the door.\"}")
                .when().post("/case-files/" + file + "/notes").then().statusCode(201);
        String signal = given().auth().oauth2(Fixtures.otherTeacher()).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"concern\": \"Crying in the corridor.\"}".formatted(pupil))
                .when().post("/signals").then().statusCode(201).extract().path("id");
        world.put("{id}", file);
        world.put("{pupilId}", pupil);
        world.put("{noteId}", note);
        world.put("{signalId}", signal);
        world.put("{username}", "bert.counsellor");
        world.put("{otherPupil}", Fixtures.newPupil(Fixtures.SCHOOL));
        world.put("{newPupil}", "p-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        world.put("{newStaff}", "zoe." + java.util.UUID.randomUUID().toString().substring(0, 8));
        return world;
    }

    @Test
    void everyEndpointHasRows() {
        AuthorizationMatrix.parse(MATRIX).assertCoversEveryEndpoint();
    }

    @Test
    void everyCellHoldsAndEveryRefusalIsAudited() {
        Fixtures.importStaff();
        AuthorizationMatrix.parse(MATRIX).assertEveryCellHolds(AuthorizationMatrixTest::token, row -> {
            Map<String, String> world = world();
            if (row.path().startsWith("/signals/")) {
                world.put("{id}", world.get("{signalId}")); // {id} is the signal's on /signals/{id}/...
            }
            return world;
        }, BODIES);
    }
}
