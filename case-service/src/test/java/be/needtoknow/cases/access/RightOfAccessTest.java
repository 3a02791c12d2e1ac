package be.needtoknow.cases.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.needtoknow.cases.Fixtures;
import be.needtoknow.stack.testing.TestStack;
import be.needtoknow.stack.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** T4: parents and pupil can learn what the school holds, through the DPO or the case owner. */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RightOfAccessTest {

    private String pupil;

    @BeforeEach
    void world() {
        Fixtures.importStaff();
        pupil = Fixtures.newPupil(Fixtures.SCHOOL);
        String file = Fixtures.openCaseFile(pupil);
        given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                .body("{\"givenAt\": \"2026-01-15T10:00:00Z\", \"how\": \"WRITTEN\"}")
                .when().post("/case-files/" + file + "/confidentiality-notices").then().statusCode(201);
        for (String[] note : new String[][] { { "PRIVATE", "My hunch, to check." },
                { "CARE_TEAM", "Talked with mother <script>alert(1)</script>" }, { "TEACHERS", "Extra time for tests." } }) {
            given().auth().oauth2(Fixtures.counsellor()).contentType(ContentType.JSON)
                    .body("{\"kind\": \"OBSERVATION\", \"visibility\": \"%s\", \"text\": \"%s\"}".formatted(note[0], note[1]))
                    .when().post("/case-files/" + file + "/notes").then().statusCode(201);
        }
        given().auth().oauth2(Fixtures.otherTeacher()).contentType(ContentType.JSON)
                .body("{\"pupilId\": \"%s\", \"concern\": \"Cries at break time.\"}".formatted(pupil))
                .when().post("/signals").then().statusCode(201);
        given().auth().oauth2(Fixtures.discipline()).contentType(ContentType.JSON)
                .body("{\"measureType\": \"detention\", \"decidedOn\": \"2026-02-03\"}")
                .when().post("/pupils/" + pupil + "/discipline-measures").then().statusCode(201);
    }

    @Test
    void t4_theOwnerAndTheDpoGetEverythingButPrivateNotesAndWhoReportedSignals() {
        for (String token : new String[] { Fixtures.counsellor(), TestTokens.of("frank.dpo", Fixtures.SCHOOL, "school", "dpo") }) {
            String body = given().auth().oauth2(token).accept(ContentType.JSON)
                    .when().get("/pupils/" + pupil + "/export")
                    .then().statusCode(200)
                    .body("pupil.pupilId", equalTo(pupil))
                    .body("caseFiles", hasSize(1))
                    .body("caseFiles[0].reason", equalTo("Often absent on Mondays"))
                    .body("caseFiles[0].confidentialityNotices[0].how", equalTo("WRITTEN"))
                    .body("caseFiles[0].notes.visibility", not(hasItem("PRIVATE")))
                    .body("caseFiles[0].notes", hasSize(2))
                    .body("signals[0].concern", equalTo("Cries at break time."))
                    .body("disciplineMeasures[0].measureType", equalTo("detention"))
                    .body("leftOut", hasItem("private-working-notes"))
                    .body("leftOut", hasItem("signal-reporters"))
                    .extract().asString();
            org.junit.jupiter.api.Assertions.assertFalse(body.contains("My hunch"), "a private note was exported");
            org.junit.jupiter.api.Assertions.assertFalse(body.contains("tom.teacher"), "a signal's reporter was exported");
        }
    }

    @Test
    void t4_aPrintablePageInDutchByDefaultAndInEnglishOnRequest() {
        given().auth().oauth2(Fixtures.counsellor()).accept(ContentType.HTML)
                .when().get("/pupils/" + pupil + "/export")
                .then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<html lang=\"nl\">"))
                .body(containsString("Inzage: wat de school over deze leerling bijhoudt"))
                .body(containsString("Talked with mother &lt;script&gt;"))
                .body(containsString("schriftelijk"))
                .body(not(containsString("<script>alert")))
                .body(not(containsString("My hunch")));
        given().auth().oauth2(Fixtures.counsellor()).accept(ContentType.HTML).queryParam("lang", "en")
                .when().get("/pupils/" + pupil + "/export")
                .then().statusCode(200).body(containsString("Right of access: what the school holds on this pupil"));
    }

    @Test
    void t4_nobodyElseExportsAndAnotherSchoolSeesNoPupil() {
        given().auth().oauth2(Fixtures.otherCounsellor()).accept(ContentType.JSON).when().get("/pupils/" + pupil + "/export")
                .then().statusCode(403);
        given().auth().oauth2(Fixtures.principal()).accept(ContentType.JSON).when().get("/pupils/" + pupil + "/export")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.of("luc.dpo", Fixtures.OTHER_SCHOOL, "school", "dpo")).accept(ContentType.JSON)
                .when().get("/pupils/" + pupil + "/export").then().statusCode(404);
        given().auth().oauth2(TestTokens.of("nina.dpo", "clb-gent", "clb", "dpo")).accept(ContentType.JSON)
                .when().get("/pupils/" + pupil + "/export").then().statusCode(404);
    }
}
