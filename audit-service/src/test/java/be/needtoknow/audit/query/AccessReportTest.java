package be.needtoknow.audit.query;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import be.needtoknow.audit.AuditEvents;
import be.needtoknow.common.audit.PupilPseudonyms;
import be.needtoknow.stack.testing.TestStack;
import be.needtoknow.stack.testing.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** T4, A3: the DPO's per-pupil access report, for a parent's or pupil's question, as JSON and as a printable page. */
@QuarkusTest
@WithTestResource(value = TestStack.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AccessReportTest {

    static final String SCHOOL = "school-sint-jan";
    static final String DPO = TestTokens.of("frank.dpo", SCHOOL, "school", "dpo");

    @Inject
    PupilPseudonyms pseudonyms;

    String pupilWithTwoAccesses() {
        String pupil = "p-" + UUID.randomUUID();
        String pseudonym = pseudonyms.of(SCHOOL, pupil);
        AuditEvents.publish(UUID.randomUUID().toString(), "k", AuditEvents.record(SCHOOL, pseudonym, "bart.counsellor",
                "case-file.open"));
        AuditEvents.publish(UUID.randomUUID().toString(), "k", AuditEvents.record(SCHOOL, pseudonym, "an.teacher", "note.read")
                .replace("\"GRANTED\"", "\"REFUSED\"").replace("pupil guidance", "<script>alert(1)</script>"));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(DPO).accept("application/json").when()
                .get("/audit-records/pupils/" + pupil + "/report").then().statusCode(200)
                .extract().<List<Object>>path("accesses.findAll { it.action != 'audit.report' }").size() == 2);
        return pupil;
    }

    @Test
    void t4_theReportSaysWhoAccessedThePupilsDataWhenWhyAndOnWhatBasisInPlainDutch() {
        String pupil = pupilWithTwoAccesses();
        given().auth().oauth2(DPO).when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200).contentType(containsString("application/json"))
                .body("pupilId", equalTo(pupil))
                // The two accesses, and the DPO's own reports (which are in the trail too).
                .body("accesses.findAll { it.action != 'audit.report' }", hasSize(2))
                .body("accesses[0].who", equalTo("bart.counsellor"))
                .body("accesses[0].what", equalTo("een dossier voor de leerling geopend"))
                .body("accesses[0].basis", equalTo("de wettelijke opdracht van de school"))
                .body("accesses[1].outcome", equalTo("REFUSED"));
        given().auth().oauth2(DPO).accept("text/html").when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200).contentType(org.hamcrest.Matchers.equalToIgnoringCase("text/html;charset=UTF-8"))
                .body(containsString("Wie heeft de gegevens van deze leerling ingekeken?"))
                .body(containsString("geweigerd"))
                .body(containsString("&lt;script&gt;"))
                .body(not(containsString("<script>")));
        given().auth().oauth2(DPO).accept("text/html").queryParam("lang", "en")
                .when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200).body(containsString("Who accessed this pupil"))
                .body(containsString("opened a case file for the pupil"));
        // The report is itself in the trail.
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(DPO).queryParam("action", "audit.report")
                .queryParam("pupilId", pupil).when().get("/audit-records").then().extract()
                .<List<Object>>path("eventId").size() >= 3);
    }

    @Test
    void t4_onlyTheDpoMakesItAndOnlyForTheirOwnOrganisation() {
        String pupil = pupilWithTwoAccesses();
        given().auth().oauth2(TestTokens.of("luc.dpo", "school-de-linde", "school", "dpo"))
                .when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(200).body("accesses", hasSize(0));
        given().auth().oauth2(TestTokens.of("bart.counsellor", SCHOOL, "school", "pupil-counsellor"))
                .when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(DPO).queryParam("lang", "fr").when().get("/audit-records/pupils/" + pupil + "/report")
                .then().statusCode(400).body("errors.field", hasItem("lang"));
    }
}
