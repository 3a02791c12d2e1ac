package be.needtoknow.cases;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.needtoknow.testing.TestStack;
import be.needtoknow.testing.Together;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Races: conflicting writes at the same moment. Each test starts many requests together (a
 * latch), over several rounds; every loser gets a problem answer (409, or the rule's refusal it would
 * get one after the other), never a 500 and never a second winner; and the invariant is checked in
 * the database itself, with plain SQL.
 */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RacesTest {

    private static final int AT_ONCE = 16;
    private static final int ROUNDS = 4;
    private static final String PROBLEM = "application/problem+json";
    private static final String MEASURE = "{\"measureType\": \"detention\", \"decidedOn\": \"2026-02-03\"}";

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void staff() {
        Fixtures.importStaff();
    }

    /** A refusal: a problem document of the given status, never a 500. */
    private static void assertProblem(Response r, int status) {
        assertEquals(status, r.statusCode(), r.asString());
        assertEquals(PROBLEM, r.contentType(), r.asString());
    }

    private long count(String sql, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<String> column(String sql, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }
    }

    /**
     * Notes are immutable; a correction names the version it corrects, and a version is corrected
     * once (N3, the note's history). Many corrections of the current version at once: one is stored,
     * every other one is a 409 problem; corrections of an older version are 409 too. In the
     * database the versions form one chain, without a fork and without a stored loser.
     */
    @Test
    void n3_concurrentCorrectionsOfOneNoteVersionLeaveOneChainWithoutAFork() throws Exception {
        String counsellor = Fixtures.counsellor();
        String file = Fixtures.openCaseFile(Fixtures.newPupil(Fixtures.SCHOOL));
        String first = given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                .body("{\"kind\": \"OBSERVATION\", \"visibility\": \"CARE_TEAM\", \"text\": \"version 0\"}")
                .when().post("/case-files/" + file + "/notes").then().statusCode(201).extract().path("id");
        List<String> chain = new ArrayList<>(List.of(first));
        for (int round = 1; round <= ROUNDS; round++) {
            String current = chain.get(chain.size() - 1);
            String older = chain.size() > 1 ? chain.get(chain.size() - 2) : null;
            int r = round;
            List<Response> answers = Together.attempts(AT_ONCE, i -> {
                // Every fourth attempt corrects the version before the current one, which is corrected already.
                String target = older != null && i % 4 == 3 ? older : current;
                return given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                        .body("{\"text\": \"version %d by attempt %d\"}".formatted(r, i))
                        .when().post("/case-files/" + file + "/notes/" + target + "/corrections");
            });
            String winner = null;
            String winnerText = null;
            for (Response answer : answers) {
                if (answer.statusCode() == 201) {
                    assertEquals(null, winner, "a second correction of one version was stored: " + answer.asString());
                    winner = answer.path("id");
                    winnerText = answer.path("text");
                    assertEquals(round, answer.<List<?>>path("history").size(), "the history of the stored correction");
                } else {
                    assertProblem(answer, 409);
                }
            }
            assertNotNull(winner, "no correction of version " + (round - 1) + " was stored");
            assertTrue(winnerText.startsWith("version " + round + " by attempt "), winnerText);
            assertEquals(List.of(current), column("select cast(corrects as text) from note where id = ?::uuid", winner),
                    "the stored correction names the version it corrects");
            chain.add(winner);
        }
        // The database: every version corrected at most once, exactly the chain stored, one current version.
        assertEquals(0, count("select count(*) from (select corrects from note where case_file_id = ?::uuid "
                + "and corrects is not null group by corrects having count(*) > 1) fork", file), "the chain forks");
        assertEquals(ROUNDS + 1, count("select count(*) from note where case_file_id = ?::uuid", file));
        assertEquals(1, count("select count(*) from note n where n.case_file_id = ?::uuid "
                + "and not exists (select 1 from note c where c.corrects = n.id)", file));
        given().auth().oauth2(counsellor).when().get("/case-files/" + file + "/notes").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].id", equalTo(chain.get(ROUNDS)))
                .body("[0].history.size()", equalTo(ROUNDS));
    }

    /**
     * R1: the principal is added to a pupil's care team while the principal registers discipline
     * measures for that pupil, all at once. Either may win, never both: each loser is the R1 refusal
     * (or a 409 for a second addition), and afterwards nobody both counsels the pupil (care team or
     * owner) and registered a measure for the pupil.
     */
    @Test
    void r1_aCareTeamAdditionRacingADisciplineMeasureNeverLetsOnePersonDoBoth() throws Exception {
        String counsellor = Fixtures.counsellor();
        String principal = Fixtures.principal();
        List<String> pupils = new ArrayList<>();
        int added = 0;
        int registered = 0;
        for (int round = 0; round < ROUNDS * 2; round++) {
            String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
            pupils.add(pupil);
            String file = Fixtures.openCaseFile(pupil);
            List<Response> answers = Together.attempts(AT_ONCE, i -> i % 2 == 0
                    ? given().auth().oauth2(counsellor).contentType(ContentType.JSON)
                            .body("{\"username\": \"dirk.principal\", \"role\": \"principal\", \"purpose\": \"school board\"}")
                            .when().post("/case-files/" + file + "/care-team")
                    : given().auth().oauth2(principal).contentType(ContentType.JSON).body(MEASURE)
                            .when().post("/pupils/" + pupil + "/discipline-measures"));
            int additions = 0;
            int measures = 0;
            for (int i = 0; i < answers.size(); i++) {
                Response answer = answers.get(i);
                if (answer.statusCode() == 201) {
                    if (i % 2 == 0) {
                        additions++;
                    } else {
                        measures++;
                        assertEquals("dirk.principal", answer.path("decidedBy"));
                    }
                } else if (answer.statusCode() == 403) {
                    assertProblem(answer, 403);
                    assertEquals("R1", answer.path("rule"), answer.asString());
                } else {
                    assertProblem(answer, 409);
                }
            }
            assertTrue(additions <= 1, "added to the care team " + additions + " times");
            assertFalse(additions == 1 && measures > 0, "round " + round + ": on the care team and " + measures
                    + " measure(s) registered for the same pupil");
            assertTrue(additions + measures > 0, "round " + round + ": nobody won");
            added += additions;
            registered += measures > 0 ? 1 : 0;
        }
        assertEquals(ROUNDS * 2, added + registered, "each round has exactly one kind of winner");
        // The database: no person is both on a care team (or owner) of a pupil and the registrar of a measure for it.
        String[] ids = pupils.toArray(String[]::new);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select count(*) from discipline_measure d
                  join case_file f on f.organisation_id = d.organisation_id and f.pupil_id = d.pupil_id
                 where d.pupil_id = any (?)
                   and (f.owner_username = d.decided_by
                        or exists (select 1 from care_team_member m where m.case_file_id = f.id and m.username = d.decided_by))""")) {
            s.setArray(1, c.createArrayOf("text", ids));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1), "someone counsels and punishes the same pupil (R1)");
            }
        }
        for (String pupil : pupils) {
            long onTeam = count("select count(*) from care_team_member m join case_file f on f.id = m.case_file_id "
                    + "where f.pupil_id = ? and m.username = 'dirk.principal'", pupil);
            long measured = count("select count(*) from discipline_measure where pupil_id = ? and decided_by = 'dirk.principal'",
                    pupil);
            assertTrue(onTeam <= 1, "on the care team twice");
            assertTrue(onTeam + measured > 0, "neither stored for " + pupil);
            assertFalse(onTeam > 0 && measured > 0, "both stored for " + pupil);
        }
    }

    /**
     * S4: one signal taken up by many requests at once, into a new case file (no file open yet) or
     * into the pupil's open one: one take-up wins, every other one is a 409 problem; afterwards the
     * signal belongs to the winner's case file and the pupil has one open case file.
     */
    @Test
    void s4_aSignalTakenUpManyTimesAtOnceIsTakenUpOnceIntoOneCaseFile() throws Exception {
        String coordinator = Fixtures.coordinator();
        for (int round = 0; round < ROUNDS; round++) {
            String pupil = Fixtures.newPupil(Fixtures.SCHOOL);
            String open = round % 2 == 1 ? Fixtures.openCaseFile(pupil) : null;
            String signal = given().auth().oauth2(Fixtures.teacher()).contentType(ContentType.JSON)
                    .body("{\"pupilId\": \"%s\", \"concern\": \"Falls asleep in class.\"}".formatted(pupil))
                    .when().post("/signals").then().statusCode(201).extract().path("id");
            List<Response> answers = Together.attempts(AT_ONCE, i -> given().auth().oauth2(coordinator).contentType(ContentType.JSON)
                    .body("{\"reason\": \"Signal taken up\"}")
                    .when().post("/signals/" + signal + "/take-up"));
            String caseFile = null;
            for (Response answer : answers) {
                if (answer.statusCode() == 200) {
                    assertEquals(null, caseFile, "a second take-up won: " + answer.asString());
                    assertEquals("TAKEN_UP", answer.path("status"));
                    caseFile = answer.path("caseFileId");
                    assertNotNull(caseFile);
                } else {
                    assertProblem(answer, 409);
                }
            }
            assertNotNull(caseFile, "no take-up won");
            if (open != null) {
                assertEquals(open, caseFile, "taken up into the pupil's open case file");
            }
            assertEquals(List.of("TAKEN_UP|" + caseFile + "|carla.coordinator"), column(
                    "select status || '|' || case_file_id || '|' || taken_up_by from signal where id = ?::uuid", signal));
            assertEquals(1, count("select count(*) from case_file where pupil_id = ? and status = 'OPEN'", pupil));
            assertEquals(1, count("select count(*) from case_file where pupil_id = ?", pupil), "a second file was opened");
        }
    }
}
