package be.needtoknow.cases.matrix;

import static io.restassured.RestAssured.given;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.testing.AuthorizationMatrix;
import be.needtoknow.testing.AuthorizationMatrix.Relation;
import be.needtoknow.testing.MatrixDatabase;
import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The authorization matrix of case-service: its rows of the suite's one table,
 * {@code docs/authorization-matrix.md} (endpoint × caller, with the caller's role and relation →
 * expected status; the callers are described there). Each row runs against a fresh world (a pupil
 * in class 2A with a case file owned by the counsellor, a care-team member, a confidentiality
 * notice, notes and a signal; for an access link, the parents' request registered by the DPO), so
 * rows never depend on each other; the anonymous caller is called on every endpoint not public by
 * design. What each call must show (status, the token and relation of its caller, its GRANTED or
 * REFUSED record (A1), an unchanged database after a refused write) is checked by
 * {@link AuthorizationMatrix#assertEveryCellHolds}; the Relation clauses of case-service are
 * checked here against the world's rows (N3: care team, classes taught; R1: discipline).
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AuthorizationMatrixTest {

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
            Map.entry("POST /case-files/{id}/notes/{noteId}/for-referral", "{\"referralId\": \"{referralId}\", \"grant\": \"{grant}\"}"),
            Map.entry("POST /signals", "{\"pupilId\": \"{pupilId}\", \"concern\": \"Seems withdrawn.\"}"),
            Map.entry("POST /signals/{id}/take-up", "{}"),
            Map.entry("POST /pupils/{pupilId}/discipline-measures", "{\"measureType\": \"detention\", \"decidedOn\": \"2026-02-03\"}"),
            Map.entry("POST /pupils/{pupilId}/access-requests", """
                    {"requestedBy": "PARENTS", "requestedAt": "2026-11-20T09:30:00Z", "identityCheck": "eID at the desk"}"""),
            Map.entry("POST /pupils/{pupilId}/access-requests/{requestId}/resend", ""),
            Map.entry("POST /family-letterbox/collect", ""),
            Map.entry("POST /pupils/{pupilId}/family-messages", """
                    {"referralId": "{referralId}", "grant": "{grant}", "addressee": "PARENTS", "path": "/transfer-notices/{noticeLink}"}"""));

    /** Each caller of the table's rows and its token (null: no token). */
    static final Map<String, Supplier<String>> CALLERS = Map.ofEntries(
            Map.entry("owner", Fixtures::counsellor),
            Map.entry("member", Fixtures::otherCounsellor),
            Map.entry("coordinator", Fixtures::coordinator),
            Map.entry("principal", Fixtures::principal),
            Map.entry("teacher", Fixtures::teacher),
            Map.entry("other-teacher", Fixtures::otherTeacher),
            Map.entry("discipline", Fixtures::discipline),
            Map.entry("platform", () -> Fixtures.schoolSystem(Fixtures.SCHOOL)),
            Map.entry("other-school", Fixtures::otherSchoolCoordinator),
            Map.entry("other-principal", () -> TestTokens.of("jan.principal", Fixtures.OTHER_SCHOOL, "school", "principal")),
            Map.entry("clb", () -> TestTokens.of("mia.clb", "clb-gent", "clb", "clb-worker")),
            Map.entry("dpo", () -> TestTokens.of("frank.dpo", Fixtures.SCHOOL, "school", "dpo")),
            Map.entry("other-dpo", () -> TestTokens.of("luc.dpo", Fixtures.OTHER_SCHOOL, "school", "dpo")),
            Map.entry("operator", () -> TestTokens.of("olga.operator", Fixtures.SCHOOL, "school", "operator")),
            Map.entry("anonymous", () -> null),
            // The holders of an access link have no token: the link is the credential (T4).
            Map.entry("parents", () -> null),
            Map.entry("stranger", () -> null));

    /** The usernames of the callers with a token, for the grants of the note-for-referral rows. */
    static final Map<String, String> CALLER_NAMES = Map.of("owner", "bart.counsellor", "member", "bert.counsellor",
            "coordinator", "carla.coordinator", "principal", "dirk.principal", "teacher", "an.teacher",
            "other-school", "ilse.coordinator", "clb", "mia.clb");

    static String token(String caller) {
        return CALLERS.get(caller).get();
    }

    static AuthorizationMatrix matrix() {
        return AuthorizationMatrix.load(AuthorizationMatrix.DOCUMENT, "case-service", CALLERS.keySet());
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
        world.put("{caseFile}", file);
        world.put("{pupilId}", pupil);
        world.put("{noteId}", note);
        world.put("{signalId}", signal);
        world.put("{username}", "bert.counsellor");
        world.put("{otherPupil}", Fixtures.newPupil(Fixtures.SCHOOL));
        world.put("{newPupil}", "p-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        world.put("{newStaff}", "zoe." + java.util.UUID.randomUUID().toString().substring(0, 8));
        return world;
    }

    /** The DPO registers the parents' request; the link issued for it, as it reached the parents' mailbox. */
    static String accessLink(String pupil) {
        registerAccessRequest(pupil);
        String path = Fixtures.familyLinkPath(Fixtures.parentAddress(pupil, 1), "access-packages");
        return path.substring("/access-packages/".length());
    }

    /** The DPO registers the parents' request; its id. */
    static String registerAccessRequest(String pupil) {
        return given().auth().oauth2(token("dpo")).contentType(ContentType.JSON)
                .body(BODIES.get("POST /pupils/{pupilId}/access-requests"))
                .when().post("/pupils/" + pupil + "/access-requests").then().statusCode(201).extract().path("id");
    }

    /** The same link with another secret. */
    static String wrongSecret(String link) {
        return link.substring(0, link.length() - 4) + (link.endsWith("AAAA") ? "BBBB" : "AAAA");
    }

    /** The username is on the case file's care team (a named member). */
    static boolean onCareTeam(MatrixDatabase db, Map<String, String> world, String username) {
        return db.exists("select 1 from care_team_member where case_file_id = ?::uuid and username = ?",
                world.get("{caseFile}"), username);
    }

    static boolean owns(MatrixDatabase db, Map<String, String> world, String username) {
        return db.exists("select 1 from case_file where id = ?::uuid and owner_username = ?", world.get("{caseFile}"),
                username);
    }

    /** The classes the user teaches, as the staff import says, include (or not) the world's pupil's class. */
    static boolean teachesThePupilsClass(MatrixDatabase db, Map<String, String> world, String username, boolean theirs) {
        return db.exists("select 1 from staff_member s join pupil p on p.organisation_id = s.organisation_id "
                + "where p.pupil_id = ? and s.username = ? and s.class_groups <> '' and "
                + "((',' || s.class_groups || ',') like ('%,' || p.class_group || ',%')) = ?",
                world.get("{pupilId}"), username, theirs);
    }

    /**
     * The Relation clauses of case-service's callers, each checked against the row's world: its
     * case file, care team and signal rows, the staff import (classes taught, functions), and the
     * access link issued for the parents.
     */
    static final Map<String, Relation> RELATIONS = Map.ofEntries(
            Map.entry("owns the case file (on its care team)", (c, w, db) -> owns(db, w, c.username())),
            Map.entry("not the owner", (c, w, db) -> !owns(db, w, c.username())),
            Map.entry("on the care team", (c, w, db) -> onCareTeam(db, w, c.username())),
            Map.entry("not on the care team",
                    (c, w, db) -> !onCareTeam(db, w, c.username()) && !owns(db, w, c.username())),
            Map.entry("teaches the pupil's class", (c, w, db) -> teachesThePupilsClass(db, w, c.username(), true)),
            Map.entry("also teaches the pupil's class", (c, w, db) -> teachesThePupilsClass(db, w, c.username(), true)),
            Map.entry("teaches another class", (c, w, db) -> teachesThePupilsClass(db, w, c.username(), false)),
            Map.entry("reported the signal", (c, w, db) -> db.exists(
                    "select 1 from signal where id = ?::uuid and reporter_username = ?", w.get("{signalId}"),
                    c.username())),
            Map.entry("enforces discipline", (c, w, db) -> db.exists("select 1 from staff_member where "
                    + "organisation_id = ? and username = ? and (',' || functions || ',') like '%,discipline,%'",
                    c.organisationId(), c.username())),
            Map.entry("the pupil's parents (the link and its secret)",
                    (c, w, db) -> c == null && w.get("{issuedLink}") != null && w.get("{issuedLink}").equals(w.get("{link}"))),
            Map.entry("not the parents (a wrong secret)",
                    (c, w, db) -> c == null && w.get("{issuedLink}") != null && w.get("{link}") != null
                            && !w.get("{issuedLink}").equals(w.get("{link}"))),
            Map.entry("no relation to the pupil or the case file", (c, w, db) -> !owns(db, w, c.username())
                    && !onCareTeam(db, w, c.username()) && !teachesThePupilsClass(db, w, c.username(), true)));

    @Test
    void everyEndpointHasRows() {
        matrix().assertCoversEveryEndpoint();
    }

    @Test
    void theEndpointsOpenToAnyoneAreExactlyThosePublicByDesign() {
        matrix().assertOpenEndpointsAreListed();
    }

    @Test
    void everyCellHoldsAndEveryCallIsAudited() {
        Fixtures.importStaff();
        matrix().assertEveryCellHolds(new AuthorizationMatrix.Setup() {
            @Override
            public String token(String caller) {
                return AuthorizationMatrixTest.token(caller);
            }

            @Override
            public Map<String, String> world(AuthorizationMatrix.Row row) {
                return AuthorizationMatrixTest.world(row);
            }

            @Override
            public String worldKey(AuthorizationMatrix.Row row) {
                // world(row) reads the caller for a referral grant (theirs) and an access link (a stranger's is wrong).
                boolean callers = row.path().endsWith("/for-referral") || row.path().startsWith("/access-packages/");
                return row.endpoint() + (callers ? " as " + row.caller() : "");
            }

            @Override
            public Map<String, String> bodies() {
                return BODIES;
            }

            @Override
            public String organisation() {
                return Fixtures.SCHOOL;
            }

            @Override
            public Map<String, Relation> relations() {
                return RELATIONS;
            }
        });
    }

    /** A fresh world for one row, with what the row's endpoint needs. */
    static Map<String, String> world(AuthorizationMatrix.Row row) {
        Map<String, String> world = world();
        if (row.path().startsWith("/signals/")) {
            world.put("{id}", world.get("{signalId}")); // {id} is the signal's on /signals/{id}/...
        }
        if (row.path().endsWith("/for-referral")) {
            // referral-service's grant for a draft of the row's caller (N1): the row tests who may read the note.
            String username = CALLER_NAMES.getOrDefault(row.caller(), row.caller());
            String school = row.caller().startsWith("other-") ? Fixtures.OTHER_SCHOOL : Fixtures.SCHOOL;
            java.util.UUID referral = java.util.UUID.randomUUID();
            world.put("{referralId}", referral.toString());
            world.put("{grant}", Fixtures.referralGrant(referral, username, school, world.get("{pupilId}")));
        }
        if (row.path().endsWith("/family-messages")) {
            // X: referral-service's grant for bart.counsellor's transfer; the row tests who may present it.
            java.util.UUID referral = java.util.UUID.randomUUID();
            world.put("{referralId}", referral.toString());
            world.put("{grant}", Fixtures.referralGrant(referral, "bart.counsellor", Fixtures.SCHOOL, world.get("{pupilId}")));
            world.put("{noticeLink}", be.needtoknow.common.link.LinkSecrets.link(java.util.UUID.randomUUID(),
                    be.needtoknow.common.link.LinkSecrets.newSecret()));
        }
        if (row.path().contains("{requestId}")) {
            world.put("{requestId}", registerAccessRequest(world.get("{pupilId}")));
        }
        if (row.path().contains("{position}")) {
            try (MatrixDatabase db = MatrixDatabase.fromConfig()) {
                world.put("{position}", Long.toString(db.parkPoisonEvent("case-service")));
            }
        }
        if (row.path().startsWith("/access-packages/")) {

            String link = accessLink(world.get("{pupilId}"));
            world.put("{issuedLink}", link);
            world.put("{link}", row.caller().equals("stranger") ? wrongSecret(link) : link);
        }
        return world;
    }
}
