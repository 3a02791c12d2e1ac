package be.needtoknow.referrals.matrix;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import be.needtoknow.stack.testing.AuthorizationMatrix;
import be.needtoknow.stack.testing.TestStack;
import be.needtoknow.stack.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The authorization matrix of referral-service: endpoint × caller → status, each row on a fresh
 * referral brought to the state its endpoint needs. Callers: owner = bart.counsellor (prepared the
 * referral); colleague = bert.counsellor (same school); coordinator = carla.coordinator; teacher;
 * principal; other-school = a counsellor of school-de-linde; clb = CLB Gent's system (the
 * addressee); clb-worker = a CLB Gent worker; other-clb = CLB Brugge's system; care = the care
 * service's system; dpo = the school's DPO; anonymous = no token. Transfers (X), to school-de-linde:
 * new-school = its care coordinator; new-school-system = its platform; new-school-teacher; parents =
 * the holder of the parents' notice link (no token); stranger = the same link with another secret.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ReferralMatrixTest {

    static final String MATRIX = """
            GET    /recipients                        | owner        | 200
            GET    /recipients                        | clb          | 200
            GET    /recipients                        | anonymous    | 401
            POST   /referrals                         | owner        | 201
            POST   /referrals                         | coordinator  | 201
            POST   /referrals                         | teacher      | 403
            POST   /referrals                         | principal    | 403
            POST   /referrals                         | dpo          | 403
            POST   /referrals                         | clb          | 403
            POST   /referrals                         | other-school | 403
            POST   /referrals                         | anonymous    | 401
            GET    /referrals                         | owner        | 200
            GET    /referrals                         | teacher      | 200
            GET    /referrals                         | clb          | 200
            GET    /referrals                         | other-clb    | 200
            PUT    /referrals/{id}/items              | owner        | 200
            PUT    /referrals/{id}/items              | colleague    | 404
            PUT    /referrals/{id}/items              | coordinator  | 404
            PUT    /referrals/{id}/items              | clb          | 404
            PUT    /referrals/{id}/items              | other-school | 404
            GET    /referrals/{id}/preview            | owner        | 200
            GET    /referrals/{id}/preview            | colleague    | 404
            GET    /referrals/{id}/preview            | clb          | 404
            GET    /referrals/{id}/preview            | other-clb    | 404
            POST   /referrals/{id}/consent            | owner        | 200
            POST   /referrals/{id}/consent            | colleague    | 404
            POST   /referrals/{id}/consent            | clb          | 404
            POST   /referrals/{id}/urgent-danger      | owner        | 200
            POST   /referrals/{id}/urgent-danger      | coordinator  | 404
            POST   /referrals/{id}/urgent-danger      | clb          | 404
            POST   /referrals/{id}/send               | owner        | 200
            POST   /referrals/{id}/send               | colleague    | 404
            POST   /referrals/{id}/send               | clb          | 404
            POST   /referrals/{id}/withdraw           | owner        | 200
            POST   /referrals/{id}/withdraw           | clb          | 404
            POST   /referrals/{id}/withdraw           | other-school | 404
            POST   /referrals/{id}/receipt            | clb          | 200
            POST   /referrals/{id}/receipt            | clb-worker   | 200
            POST   /referrals/{id}/receipt            | other-clb    | 404
            POST   /referrals/{id}/receipt            | care         | 404
            POST   /referrals/{id}/receipt            | owner        | 404
            POST   /referrals/{id}/acceptance         | clb          | 200
            POST   /referrals/{id}/acceptance         | other-clb    | 404
            POST   /referrals/{id}/acceptance         | owner        | 404
            POST   /referrals/{id}/decline            | clb          | 200
            POST   /referrals/{id}/decline            | other-clb    | 404
            POST   /referrals/{id}/feedback           | clb          | 201
            POST   /referrals/{id}/feedback           | other-clb    | 404
            POST   /referrals/{id}/feedback           | owner        | 404
            GET    /referrals/{id}/feedback           | owner        | 200
            GET    /referrals/{id}/feedback           | colleague    | 404
            GET    /referrals/{id}/feedback           | clb          | 404
            POST   /referrals/{id}/close              | clb          | 200
            POST   /referrals/{id}/close              | other-clb    | 404
            POST   /referrals/{id}/close              | owner        | 404
            POST   /referrals/{id}/receipt            | new-school   | 200
            POST   /referrals/{id}/receipt            | new-school-teacher | 404
            POST   /referrals/{id}/acceptance         | new-school-system  | 200
            GET    /referrals                         | new-school-system  | 200
            GET    /transfer-notices/{link}           | parents      | 200
            GET    /transfer-notices/{link}           | stranger     | 404
            POST   /transfer-notices/{link}/agreement | parents      | 200
            POST   /transfer-notices/{link}/agreement | stranger     | 404
            POST   /transfer-notices/{link}/objection | parents      | 200
            POST   /transfer-notices/{link}/objection | stranger     | 404
            """;

    static final String THIRTEEN = java.time.LocalDate.now().minusYears(13).toString();
    static final String ITEMS = """
            {"items": [{"type": "QUESTION", "purpose": "what we ask", "text": "Can you help?"},
                       {"type": "CONTACT", "purpose": "to reach us", "name": "Bart Claes"}]}""";
    static final String CONSENT = """
            {"consulted": [{"party": "PUPIL", "when": "2026-11-20T10:00:00Z", "how": "talk", "answer": "AGREED"}],
             "parentsNotInformed": false}""";

    static final Map<String, String> BODIES = Map.of(
            "POST /referrals", "{\"pupilId\": \"sj-1001\", \"pupilBirthDate\": \"" + THIRTEEN + "\", \"recipientId\": \"clb-gent\"}",
            "PUT /referrals/{id}/items", ITEMS,
            "POST /referrals/{id}/consent", CONSENT,
            "POST /referrals/{id}/urgent-danger", "{\"justification\": \"Injuries and fear of going home tonight.\"}",
            "POST /referrals/{id}/decline", "{\"reason\": \"Not ours to help with\"}",
            "POST /referrals/{id}/feedback", "{\"text\": \"We see her weekly.\", \"releasedForSchool\": true}",
            "POST /transfer-notices/{link}/objection", "{\"reason\": \"Not what we agreed.\"}");

    static final String DISCUSSED = """
            {"consulted": [{"party": "PUPIL", "when": "2026-11-20T10:00:00Z", "how": "talk", "answer": "AGREED"},
                           {"party": "PARENTS", "when": "2026-11-20T10:00:00Z", "how": "talk", "answer": "AGREED"}],
             "parentsNotInformed": false}""";

    static String token(String caller) {
        return switch (caller) {
            case "owner" -> TestTokens.of("bart.counsellor", "school-sint-jan", "school", "pupil-counsellor");
            case "colleague" -> TestTokens.of("bert.counsellor", "school-sint-jan", "school", "pupil-counsellor");
            case "coordinator" -> TestTokens.of("carla.coordinator", "school-sint-jan", "school", "care-coordinator");
            case "teacher" -> TestTokens.of("an.teacher", "school-sint-jan", "school", "teacher");
            case "principal" -> TestTokens.of("dirk.principal", "school-sint-jan", "school", "principal");
            case "dpo" -> TestTokens.of("frank.dpo", "school-sint-jan", "school", "dpo");
            case "other-school" -> TestTokens.of("hans.counsellor", "school-de-linde", "school", "pupil-counsellor");
            case "clb" -> TestTokens.of("service-account-clb-gent-system", "clb-gent", "clb", "recipient-system");
            case "clb-worker" -> TestTokens.of("mia.clb", "clb-gent", "clb", "clb-worker");
            case "other-clb" -> TestTokens.of("service-account-clb-brugge-system", "clb-brugge", "clb", "recipient-system");
            case "care" -> TestTokens.of("service-account-care-jongerenhulp-system", "care-jongerenhulp", "care", "recipient-system");
            case "new-school" -> TestTokens.of("ilse.coordinator", "school-de-linde", "school", "care-coordinator");
            case "new-school-teacher" -> TestTokens.of("greet.teacher", "school-de-linde", "school", "teacher");
            case "new-school-system" -> TestTokens.of("service-account-school-de-linde-system", "school-de-linde", "school",
                    "school-system");
            case "anonymous", "parents", "stranger" -> null;
            default -> throw new IllegalArgumentException("No caller '" + caller + "' in the matrix");
        };
    }

    private static void post(String caller, String path, String body) {
        String token = token(caller);
        var request = token == null ? given() : given().auth().oauth2(token);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        request.when().post(path).then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    /**
     * A referral of bart.counsellor to CLB Gent, or for the transfer rows a transfer to
     * school-de-linde, brought to the state the row's endpoint needs.
     */
    static Map<String, String> world(AuthorizationMatrix.Row row) {
        String endpoint = row.endpoint();
        boolean transfer = row.caller().startsWith("new-school") || endpoint.contains("/transfer-notices/");
        String create = transfer ? BODIES.get("POST /referrals").replace("clb-gent", "school-de-linde")
                : BODIES.get("POST /referrals");
        String id = given().auth().oauth2(token("owner")).contentType(ContentType.JSON).body(create)
                .when().post("/referrals").then().statusCode(201).extract().path("id");
        given().auth().oauth2(token("owner")).contentType(ContentType.JSON).body(ITEMS)
                .when().put("/referrals/" + id + "/items").then().statusCode(200);
        if (transfer) {
            java.util.List<String> links = given().auth().oauth2(token("owner")).contentType(ContentType.JSON)
                    .body(DISCUSSED).when().post("/referrals/" + id + "/consent").then().statusCode(200)
                    .extract().path("notices.path");
            if (endpoint.contains("/transfer-notices/")) {
                String link = links.get(0).substring("/transfer-notices/".length());
                return Map.of("{link}", row.caller().equals("stranger") ? link.substring(0, link.length() - 4) + "AAAA"
                        : link);
            }
            links.forEach(link -> post("anonymous", link + "/agreement", null));
            post("owner", "/referrals/" + id + "/send", null);
            if (endpoint.endsWith("/acceptance")) {
                post("new-school", "/referrals/" + id + "/receipt", null);
            }
            return Map.of("{id}", id);
        }
        boolean ready = endpoint.endsWith("/send") || endpoint.endsWith("/withdraw") || endpoint.endsWith("/receipt")
                || endpoint.endsWith("/acceptance") || endpoint.endsWith("/decline") || endpoint.endsWith("/feedback")
                || endpoint.endsWith("/close");
        if (ready) {
            post("owner", "/referrals/" + id + "/consent", CONSENT);
        }
        if (ready && !endpoint.endsWith("/send")) {
            post("owner", "/referrals/" + id + "/send", null);
        }
        if (endpoint.endsWith("/feedback") || endpoint.endsWith("/close")) {
            post("clb", "/referrals/" + id + "/receipt", null);
        }
        if (endpoint.endsWith("/close")) {
            post("clb", "/referrals/" + id + "/acceptance", null);
        }
        return new java.util.HashMap<>(Map.of("{id}", id));
    }

    @Test
    void everyEndpointHasRows() {
        AuthorizationMatrix.parse(MATRIX).assertCoversEveryEndpoint();
    }

    @Test
    void everyCellHoldsAndEveryRefusalIsAudited() {
        AuthorizationMatrix.parse(MATRIX).assertEveryCellHolds(ReferralMatrixTest::token, ReferralMatrixTest::world, BODIES);
    }

}
